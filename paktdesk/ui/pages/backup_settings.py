"""Einstellungen → Datensicherung: the backups with "Jetzt sichern", "Zurückspielen …" and
"Datei prüfen", how many backups rotation keeps, an optional second target (USB stick, network
share) and the retention periods for personal data."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...core.errors import PaktDeskError
from ...workspace.safety import Retention
from .. import messages
from ..backup_actions import (
    backup_now,
    check_now,
    offer_restore,
    problems_text,
    restore_from_menu,
)
from ..anchor_box import AnchorBox
from ..backup_table import BackupTable, describe
from ..context import UiContext
from ..scroll_page import scrolling_body

_OK_STYLE = "color: #1e6b34;"
_BAD_STYLE = "color: #a11d1d;"


UNITS = {"Tage": "Tag", "Wochen": "Woche", "Monate": "Monat", "Jahre": "Jahr"}


def _spin(parent: QWidget, minimum: int, maximum: int, unit: str) -> QSpinBox:
    """A number with its unit, singular for 1 ("1 Jahr", "5 Jahre")."""
    box = QSpinBox(parent)
    box.setRange(minimum, maximum)
    box.setMinimumWidth(110)
    box.setAlignment(Qt.AlignmentFlag.AlignRight)

    def unit_for(value: int) -> None:
        box.setSuffix(" " + (UNITS[unit] if value == 1 else unit))
    box.valueChanged.connect(unit_for)
    unit_for(box.value())
    return box


def _row(*widgets, stretch: bool = True) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        row.addWidget(widget)
    if stretch:
        row.addStretch(1)
    return row


class BackupSettingsPage(QScrollArea):
    """Backups, rotation, second target and retention periods of the open Datenbestand."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        body, layout = scrolling_body(self, max_width=1100, spacing=14)
        layout.addWidget(self._build_backups(body))
        self.anchor_box = AnchorBox(ctx, body)
        layout.addWidget(self.anchor_box)
        layout.addWidget(self._build_rotation(body))
        layout.addWidget(self._build_retention(body))
        layout.addStretch(1)
        outer = QWidget(self)
        outer_layout = QHBoxLayout(outer)
        outer_layout.setContentsMargins(0, 0, 0, 0)
        outer_layout.addWidget(body, 1)
        self.setWidget(outer)

        read_only = ctx.workspace.read_only
        for widget in (self.restore_button, self.save_rotation_button, self.save_retention_button,
                       self.choose_second_button, self.clear_second_button, self.daily_spin, self.weekly_spin,
                       self.monthly_spin, *self.retention_spins.values()):
            widget.setEnabled(not read_only)
        if read_only:
            self.read_only_label.setText("Die Datei ist schreibgeschützt geöffnet: Sicherungen lassen sich "
                                         "anlegen, Einstellungen nicht ändern.")
        self.read_only_label.setVisible(read_only)
        ctx.changed.connect(self._on_change)
        ctx.backups_changed.connect(self._on_backups_changed)
        self.load()

    # --- building ---------------------------------------------------------------------------------
    def _build_backups(self, parent: QWidget) -> QGroupBox:
        box = QGroupBox("Sicherungen", parent)
        intro = QLabel("PaktDesk sichert den Datenbestand beim Beenden, vor jedem Programm-Update, vor dem "
                       "Zurückspielen einer Sicherung und vor Importen. Jede Sicherung wird vollständig geprüft, "
                       "bevor sie zählt; nach „Jetzt sichern“ läuft diese Prüfung im Hintergrund weiter, während "
                       "Sie arbeiten. Beschädigte Sicherungen werden nicht angeboten.", box)
        intro.setWordWrap(True)
        self.read_only_label = QLabel(box)
        self.read_only_label.setStyleSheet("color: #8a4b00;")
        self.folder_label = QLabel(box)
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_folder_button = QPushButton("Ordner öffnen", box)
        self.open_folder_button.setToolTip("Den Sicherungsordner im Explorer zeigen")
        self.open_folder_button.clicked.connect(self.open_folder)
        self.table = BackupTable(box)
        self.table.setMinimumHeight(self.table.verticalHeader().defaultSectionSize() * 7)
        self.detail_label = QLabel(box)
        self.detail_label.setWordWrap(True)
        self.detail_label.setStyleSheet("color: palette(placeholder-text);")
        self.empty_label = QLabel("Noch keine Sicherung vorhanden. „Jetzt sichern“ legt die erste an.", box)
        self.empty_label.setStyleSheet("color: palette(placeholder-text);")
        self.backup_button = QPushButton("&Jetzt sichern", box)
        self.backup_button.setToolTip("Eine Sicherung anlegen; sie wird danach im Hintergrund vollständig geprüft "
                                      "und erst dann in das zweite Sicherungsziel kopiert")
        self.restore_button = QPushButton("&Zurückspielen …", box)
        self.restore_button.setToolTip("Den Datenbestand auf den Stand der markierten Sicherung zurücksetzen")
        self.check_button = QPushButton("Datei &prüfen", box)
        self.check_button.setToolTip("SQLite-Integrität, Prüfsummen der gebuchten Beträge und Kontrollsummen")
        self.check_label = QLabel(box)
        self.check_label.setWordWrap(True)
        self.backup_button.clicked.connect(self.make_backup)
        self.restore_button.clicked.connect(self.restore)
        self.check_button.clicked.connect(self.check_file)
        self.table.itemSelectionChanged.connect(self._update_restore_button)

        folder_row = QHBoxLayout()
        folder_row.addWidget(QLabel("Ordner:", box))
        folder_row.addWidget(self.folder_label, 1)
        folder_row.addWidget(self.open_folder_button)
        buttons = _row(self.backup_button, self.restore_button, self.check_button)
        layout = QVBoxLayout(box)
        layout.addWidget(intro)
        layout.addWidget(self.read_only_label)
        layout.addLayout(folder_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail_label)
        layout.addWidget(self.empty_label)
        layout.addLayout(buttons)
        layout.addWidget(self.check_label)
        return box

    def _build_rotation(self, parent: QWidget) -> QGroupBox:
        box = QGroupBox("Wie viele Sicherungen aufbewahrt werden", parent)
        intro = QLabel("Ältere Sicherungen werden automatisch gelöscht. Aufbewahrt wird jeweils die neueste "
                       "Sicherung je Tag, je Woche und je Monat. Sicherungen vor einem Update, einem Import oder "
                       "dem Zurückspielen bleiben zusätzlich erhalten.", box)
        intro.setWordWrap(True)
        self.daily_spin = _spin(box, 1, 1000, "Tage")
        self.weekly_spin = _spin(box, 0, 1000, "Wochen")
        self.monthly_spin = _spin(box, 0, 1000, "Monate")
        self.second_edit = QLineEdit(box)
        self.second_edit.setReadOnly(True)
        self.second_edit.setPlaceholderText("keins")
        self.second_edit.setMinimumWidth(360)
        self.choose_second_button = QPushButton("Wählen …", box)
        self.choose_second_button.clicked.connect(self.choose_second_folder)
        self.clear_second_button = QPushButton("Entfernen", box)
        self.clear_second_button.clicked.connect(lambda: self.second_edit.clear())
        second_hint = QLabel("Jede Sicherung wird zusätzlich dorthin kopiert, z. B. auf einen USB-Stick oder ein "
                             "Netzlaufwerk. (Der Datenbestand selbst muss auf diesem PC bleiben.)", box)
        second_hint.setWordWrap(True)
        second_hint.setStyleSheet("color: palette(placeholder-text);")
        self.save_rotation_button = QPushButton("Speichern", box)
        self.save_rotation_button.clicked.connect(self.save_rotation)
        form = QFormLayout()
        form.addRow("Tägliche Sicherungen:", _row(self.daily_spin))
        form.addRow("Wöchentliche Sicherungen:", _row(self.weekly_spin))
        form.addRow("Monatliche Sicherungen:", _row(self.monthly_spin))
        form.addRow("Zweites Sicherungsziel:",
                    _row(self.second_edit, self.choose_second_button, self.clear_second_button))
        form.addRow("", second_hint)
        layout = QVBoxLayout(box)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addLayout(_row(self.save_rotation_button))
        return box

    def _build_retention(self, parent: QWidget) -> QGroupBox:
        box = QGroupBox("Aufbewahrungsfristen für personenbezogene Daten", parent)
        intro = QLabel("Personenbezogene Daten einer Integrationsmanager:in lassen sich auf Wunsch löschen, "
                       "sobald diese Fristen abgelaufen sind (gezählt ab dem 1. Januar nach dem Ereignis). "
                       "Gebuchte Beträge bleiben immer erhalten; die Person wird dann nur noch mit einer Nummer "
                       "geführt.", box)
        intro.setWordWrap(True)
        self.retention_spins = {
            "grant_files_years": _spin(box, 0, 100, "Jahre"),
            "receipts_years": _spin(box, 0, 100, "Jahre"),
            "books_years": _spin(box, 0, 100, "Jahre"),
            "accounts_lag_years": _spin(box, 0, 100, "Jahre"),
            "backup_months": _spin(box, 0, 100, "Monate"),
        }
        labels = {
            "grant_files_years": ("Förderakten:", "nach Einreichen des Verwendungsnachweises"),
            "receipts_years": ("Belege:", "nach dem Jahresabschluss"),
            "books_years": ("Bücher:", "gebuchte Beträge werden von PaktDesk nie gelöscht"),
            "accounts_lag_years": ("Jahresabschluss:", "nach Ende des Haushaltsjahres aufgestellt"),
            "backup_months": ("Sicherungen älter als:", "werden beim Löschen personenbezogener Daten entfernt"),
        }
        form = QFormLayout()
        for key, spin in self.retention_spins.items():
            label, hint = labels[key]
            note = QLabel(hint, box)
            note.setStyleSheet("color: palette(placeholder-text);")
            form.addRow(label, _row(spin, note))
        self.save_retention_button = QPushButton("Speichern", box)
        self.save_retention_button.clicked.connect(self.save_retention)
        layout = QVBoxLayout(box)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addLayout(_row(self.save_retention_button))
        return box

    # --- loading ----------------------------------------------------------------------------------
    def load(self) -> None:
        self.refresh_backups()
        settings = self.ctx.workspace.backup_settings()
        self.daily_spin.setValue(settings.keep.daily)
        self.weekly_spin.setValue(settings.keep.weekly)
        self.monthly_spin.setValue(settings.keep.monthly)
        self.second_edit.setText(str(settings.second_folder) if settings.second_folder else "")
        retention = self.ctx.workspace.retention()
        for key, spin in self.retention_spins.items():
            spin.setValue(getattr(retention, key))

    def refresh_backups(self) -> None:
        workspace = self.ctx.workspace
        self.folder_label.setText(str(workspace.backup_folder()))
        try:
            entries = workspace.backups()
        except (OSError, PaktDeskError):
            entries = []
        self.table.set_entries(entries)
        self.table.setVisible(bool(entries))
        self.empty_label.setVisible(not entries)
        self._update_restore_button()

    def _update_restore_button(self) -> None:
        entry = self.table.selected_entry()
        self.detail_label.setText(describe(entry) if entry is not None else "")
        self.detail_label.setVisible(entry is not None)
        self.restore_button.setEnabled(not self.ctx.workspace.read_only and entry is not None and entry.restorable)

    def _on_backups_changed(self, _outcome) -> None:
        self.refresh_backups()

    def _on_change(self, change) -> None:
        self.anchor_box.load()  # every change moves the chain's head
        if change.entity in ("*", "settings"):
            self.load()
        else:
            self.refresh_backups()

    # --- actions ----------------------------------------------------------------------------------
    def make_backup(self):
        result = backup_now(self.ctx, self)
        self.refresh_backups()
        return result

    def restore(self):
        restored = restore_from_menu(self.ctx, self)
        self.refresh_backups()
        return restored

    def check_file(self):
        report = check_now(self.ctx, self)
        if report is None:
            return None
        stamp = datetime.now().strftime("%d.%m.%Y %H:%M")
        if report.ok:
            self.check_label.setStyleSheet(_OK_STYLE)
            self.check_label.setText(f"Geprüft am {stamp}: in Ordnung. SQLite-Integrität, Verweise, Aufbau "
                                     "der Datei, Prüfsummen der gebuchten Beträge und Kontrollsummen stimmen.")
        else:
            self.check_label.setStyleSheet(_BAD_STYLE)
            self.check_label.setText(f"Geprüft am {stamp}: {len(report.problems)} Problem(e) gefunden.\n"
                                     + problems_text(report, limit=4))
            offer_restore(self.ctx, self, report)
        return report

    def open_folder(self) -> None:
        folder = self.ctx.workspace.backup_folder()
        if not folder.is_dir():
            messages.info(self, "Noch kein Sicherungsordner",
                          f"Den Ordner „{folder}“ gibt es noch nicht; er entsteht mit der ersten Sicherung.")
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def choose_second_folder(self) -> None:
        start = self.second_edit.text() or str(Path.home())
        name = QFileDialog.getExistingDirectory(self, "Zweites Sicherungsziel wählen", start)
        if name:
            self.second_edit.setText(name)

    def save_rotation(self) -> bool:
        workspace = self.ctx.workspace
        settings = workspace.backup_settings()
        keep = dataclasses.replace(settings.keep, daily=self.daily_spin.value(), weekly=self.weekly_spin.value(),
                                   monthly=self.monthly_spin.value())
        second = Path(self.second_edit.text()) if self.second_edit.text().strip() else None
        new = dataclasses.replace(settings, keep=keep, second_folder=second)
        return self.ctx.perform(lambda: workspace.save_backup_settings(new), parent=self) is not None

    def save_retention(self) -> bool:
        values = {key: spin.value() for key, spin in self.retention_spins.items()}
        retention = Retention(**values)
        return self.ctx.perform(lambda: self.ctx.workspace.save_retention(retention), parent=self) is not None
