"""Gemeinden (Kreis role): a Landkreis takes over the exchange files of its Gemeinden and Träger
(read on a worker thread, then a preview, then all or nothing), and sees its Förderübersicht per
Gemeinde and for the whole Kreis with the key figures added up. For any other owner the page
says what to do instead."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.entities import OwnerKind
from ...core.errors import PaktDeskError
from ...workspace.exchange_chain import KEY_CHANGE
from ...core.money import format_cents
from ...core.validation import format_vza
from .. import file_folders, messages, read_jobs
from ..file_folders import remember_folder, start_folder
from ..context import UiContext
from ..dialogs.import_preview import ImportPreviewDialog, format_stamp
from ..formatting import format_count
from ..settings_store import ui_settings
from ..workers import Job

COLUMNS = ("Körperschaft", "AGS", "Zeitraum", "Stand vom", "Personen", "VZÄ", "Bewilligt", "Erhalten",
           "Ausgegeben", "Weitergeleitet", "Belege", "Drittmittel")
NUMERIC = {"Personen", "VZÄ", "Bewilligt", "Erhalten", "Ausgegeben", "Weitergeleitet", "Belege", "Drittmittel"}
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
TOTAL_COLOUR = "#eef0f3"


def _table(parent: QWidget, columns: list[str] | tuple[str, ...]) -> QTableWidget:
    table = QTableWidget(0, len(columns), parent)
    table.setHorizontalHeaderLabels(list(columns))
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(False)
    return table


def _fit_height(table: QTableWidget) -> None:
    height = table.horizontalHeader().sizeHint().height() + table.verticalHeader().length()
    scroll = table.horizontalScrollBar().sizeHint().height() if table.horizontalScrollBar().isVisible() else 0
    table.setFixedHeight(height + 2 * table.frameWidth() + 2 + scroll)


class ConsolidationPage(QWidget):
    preview_ready = Signal(object)  # the ImportPreviewDialog, open (window-modal)
    imported = Signal(bool)  # True: files taken over; False: cancelled or refused
    overview_ready = Signal()  # the Förderübersicht shows the Datenbestand as it is now

    def __init__(self, ctx: UiContext, parent: QWidget | None = None, *, settings: QSettings | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.settings = settings if settings is not None else ui_settings()
        self.task: Job | None = None  # files being read
        self.overview_task: Job | None = None
        self._overview_again = False
        self.preview_dialog: ImportPreviewDialog | None = None
        self.overview = None
        self._stale = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.stack = QStackedWidget(self)
        layout.addWidget(self.stack)
        self.not_kreis = self._not_kreis_panel()
        self.kreis_panel = self._kreis_panel()
        self.stack.addWidget(self.not_kreis)
        self.stack.addWidget(self.kreis_panel)
        ctx.changed.connect(self._on_change)
        self.refresh()

    # --- building --------------------------------------------------------------------------------
    def _not_kreis_panel(self) -> QWidget:
        panel = QWidget(self)
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(24, 20, 24, 20)
        heading = QLabel("Gemeinden zusammenführen", panel)
        heading.setStyleSheet("font-size: 15pt; font-weight: bold;")
        self.not_kreis_label = QLabel(panel)
        self.not_kreis_label.setWordWrap(True)
        self.not_kreis_label.setObjectName("notKreis")
        self.not_kreis_label.setStyleSheet(
            "#notKreis { background: #eef3fb; border: 1px solid #bfd2ee; border-radius: 4px; padding: 10px 12px; }")
        layout.addWidget(heading)
        layout.addWidget(self.not_kreis_label)
        layout.addStretch(1)
        return panel

    def _kreis_panel(self) -> QWidget:
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget(scroll)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(10)
        self.title_label = QLabel(body)
        self.title_label.setStyleSheet("font-size: 15pt; font-weight: bold;")
        layout.addWidget(self.title_label)
        intro = QLabel("Austauschdateien (JSON) der kreisangehörigen Gemeinden und Träger übernehmen. Jede Datei "
                       "wird vorher geprüft (Schema, Prüfsumme, Kontrollsummen, Zugehörigkeit zum Kreis); eine "
                       "neuere Datei derselben Gemeinde und desselben Zeitraums ersetzt die ältere. Die eigene "
                       "Austauschdatei des Kreises (Seite „Export“) enthält die übernommenen Dateien.", body)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        bar = QHBoxLayout()
        self.import_button = QPushButton("Dateien &übernehmen …", body)
        self.import_button.setToolTip("Eine oder mehrere Austauschdateien wählen; zuerst erscheint eine Vorschau")
        self.remove_button = QPushButton("&Entfernen …", body)
        self.remove_button.setToolTip("Die markierte übernommene Gemeinde-Datei wieder entfernen")
        bar.addWidget(self.import_button)
        bar.addWidget(self.remove_button)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.status_label = QLabel(body)
        self.status_label.setWordWrap(True)
        self.status_label.hide()
        layout.addWidget(self.status_label)

        self.computing_label = QLabel("Übersicht wird berechnet …", body)
        self.computing_label.setStyleSheet("color: palette(placeholder-text);")
        self.computing_label.hide()
        layout.addWidget(self._heading("Förderübersicht", body))
        layout.addWidget(self.computing_label)
        self.table = _table(body, COLUMNS)
        for column, name in enumerate(COLUMNS):
            self.table.horizontalHeaderItem(column).setTextAlignment(_RIGHT if name in NUMERIC else _LEFT)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        layout.addWidget(self.table)
        self.empty_label = QLabel("Noch keine Gemeinde-Dateien übernommen.", body)
        self.empty_label.setStyleSheet("color: palette(placeholder-text);")
        layout.addWidget(self.empty_label)

        layout.addWidget(self._heading("Kennzahlen zusammen (Kreis und Gemeinden)", body))
        self.key_table = _table(body, ["Kennzahl"])
        self.key_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        layout.addWidget(self.key_table)
        self.key_empty_label = QLabel("Keine Kennzahlen erfasst.", body)
        self.key_empty_label.setStyleSheet("color: palette(placeholder-text);")
        layout.addWidget(self.key_empty_label)
        layout.addStretch(1)
        scroll.setWidget(body)

        self.import_button.clicked.connect(lambda: self.import_files())
        self.remove_button.clicked.connect(self.remove_selected)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        return scroll

    @staticmethod
    def _heading(text: str, parent: QWidget) -> QLabel:
        label = QLabel(text, parent)
        label.setStyleSheet("font-weight: bold; font-size: 11pt; margin-top: 8px;")
        return label

    # --- state -----------------------------------------------------------------------------------
    def is_kreis(self) -> bool:
        profile = self.ctx.workspace.profile()
        return profile is not None and profile.kind == OwnerKind.LANDKREIS

    def _on_change(self, _change) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event) -> None:
        if self._stale:
            self.refresh()
        super().showEvent(event)

    def refresh(self) -> None:
        self._stale = False
        if not self.is_kreis():
            self.overview = None
            self.not_kreis_label.setText(self._not_kreis_text())
            self.stack.setCurrentWidget(self.not_kreis)
            return
        self.stack.setCurrentWidget(self.kreis_panel)
        if self.overview_task is not None:
            self._overview_again = True  # something changed while the last overview was computed
            return
        self.computing_label.show()
        path = self.ctx.workspace.path
        self.overview_task = read_jobs.start(
            self, read_jobs.reading(path, lambda reader: reader.consolidation_overview()),
            name="Förderübersicht des Kreises", on_success=lambda overview: self._overview_done(overview, None),
            on_failure=lambda error: self._overview_done(None, error))

    def _overview_done(self, overview, error) -> None:
        self.overview_task = None
        if self._overview_again:
            self._overview_again = False
            self.refresh()
            return
        self.computing_label.hide()
        if error is not None:
            self.overview = None
            self.status_label.setText(str(error))
            self.status_label.setStyleSheet("color: #b3261e;")
            self.status_label.show()
        else:
            self.overview = overview
            self.title_label.setText(f"Gemeinden im {overview.own.label}")
            self._fill_overview()
            self._fill_key_figures()
        self._update_buttons()
        self.overview_ready.emit()

    def busy(self) -> bool:
        """A file import or the overview is being worked out on a worker thread."""
        return self.task is not None or self.overview_task is not None

    def _not_kreis_text(self) -> str:
        profile = self.ctx.workspace.profile()
        if profile is None:
            return ("Die Zusammenführung von Gemeinde-Dateien ist einem Landkreis vorbehalten. Bitte zuerst unter "
                    "Einstellungen → Stammdaten angeben, wem dieser Datenbestand gehört.")
        if profile.kind == OwnerKind.STADTKREIS:
            return (f"Dieser Datenbestand gehört dem Stadtkreis „{profile.name}“. Ein Stadtkreis hat keine "
                    "kreisangehörigen Gemeinden; Dateien von Gemeinden zusammenführen kann nur ein Landkreis. "
                    "Die eigene Austauschdatei für das Regierungspräsidium entsteht auf der Seite „Export“.")
        return (f"Dieser Datenbestand gehört „{profile.name}“ ({profile.kind}). Dateien von Gemeinden "
                "zusammenführen kann nur ein Datenbestand eines Landkreises (Art „Landkreis“ in den Stammdaten).\n\n"
                "Ihre eigene Austauschdatei für den Landkreis erstellen Sie auf der Seite „Export“ im Format "
                "„JSON-Austauschdatei“ und senden sie auf gesichertem Weg an den Landkreis.")

    # --- tables ----------------------------------------------------------------------------------
    def _fill_overview(self) -> None:
        overview = self.overview
        rows = [(overview.own, False), *((row, False) for row in overview.gemeinden)]
        if overview.gemeinden:
            rows.append((overview.gemeinden_total, True))
        rows.append((overview.total, True))
        table = self.table
        table.setRowCount(len(rows))
        bold = table.font()
        bold.setBold(True)
        for row, (item, total) in enumerate(rows):
            period = "gesamt" if item.period == "gesamter Datenbestand" else item.period
            values = [item.label, item.ags, period, format_stamp(item.created_at)[:10] if item.created_at else "",
                      format_count(item.persons), format_vza(item.vza_milli), format_cents(item.decided_cents),
                      format_cents(item.received_cents), format_cents(item.spent_cents),
                      format_cents(item.passed_on_cents), format_count(item.receipts),
                      format_cents(item.third_party_received_cents)]
            for column, text in enumerate(values):
                cell = QTableWidgetItem(text)
                cell.setData(Qt.ItemDataRole.UserRole, item.import_id)
                if column == 0:
                    cell.setToolTip(item.label)
                elif COLUMNS[column] == "Drittmittel":
                    cell.setToolTip(f"Drittmittel erhalten; laut Finanzierungsplan "
                                    f"{format_cents(item.third_party_planned_cents)}")
                if COLUMNS[column] in NUMERIC:
                    cell.setTextAlignment(_RIGHT)
                if total:
                    cell.setFont(bold)
                    cell.setBackground(QBrush(QColor(TOTAL_COLOUR)))
                table.setItem(row, column, cell)
        self.empty_label.setVisible(not overview.gemeinden)
        _fit_height(table)

    def _fill_key_figures(self) -> None:
        figures = self.overview.key_figures
        years = sorted(figures)
        labels = {d.code: d.label for d in self.ctx.workspace.key_figure_defs(active_only=False)}
        order = list(labels)
        codes = sorted({code for values in figures.values() for code in values},
                       key=lambda c: (order.index(c) if c in order else len(order), c))
        table = self.key_table
        table.setColumnCount(1 + len(years))
        table.setHorizontalHeaderLabels(["Kennzahl", *years])
        table.horizontalHeaderItem(0).setTextAlignment(_LEFT)
        for column in range(1, 1 + len(years)):
            table.horizontalHeaderItem(column).setTextAlignment(_RIGHT)
            table.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            table.setColumnWidth(column, max(90, table.fontMetrics().horizontalAdvance("000.000") + 30))
        table.setRowCount(len(codes))
        for row, code in enumerate(codes):
            table.setItem(row, 0, QTableWidgetItem(labels.get(code, code)))
            for column, year in enumerate(years, start=1):
                value = figures[year].get(code)
                cell = QTableWidgetItem("" if value is None else format_count(value))
                cell.setTextAlignment(_RIGHT)
                table.setItem(row, column, cell)
        self.key_table.setVisible(bool(codes))
        self.key_empty_label.setVisible(not codes)
        _fit_height(table)
        table.setMaximumWidth(table.horizontalHeader().length() + 2 * table.frameWidth() + 2)

    def gemeinde_rows(self) -> list[dict[str, str]]:
        """The Gemeinden's rows of the overview by column title (tests)."""
        count = len(self.overview.gemeinden) if self.overview else 0
        return [{name: self.table.item(row, column).text() for column, name in enumerate(COLUMNS)}
                for row in range(1, 1 + count)]

    def selected_import(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.table.item(rows[0].row(), 0).data(Qt.ItemDataRole.UserRole) if rows else None

    def _update_buttons(self) -> None:
        writable = not self.ctx.workspace.read_only
        self.import_button.setEnabled(writable and self.task is None)
        self.remove_button.setEnabled(writable and self.selected_import() is not None)

    # --- import ----------------------------------------------------------------------------------
    def import_files(self, paths: list[Path] | None = None) -> bool:
        """Choose files (or take ``paths``), read them on a worker thread, then show the preview."""
        if self.task is not None or not self.is_kreis():
            return False
        if paths is None:
            folder = str(start_folder(self.settings, file_folders.CONSOLIDATION))
            names, _ = QFileDialog.getOpenFileNames(self, "Austauschdateien der Gemeinden wählen", folder,
                                                    "Austauschdateien (*.json);;Alle Dateien (*)")
            paths = [Path(name) for name in names]
        if not paths:
            return False
        remember_folder(self.settings, file_folders.CONSOLIDATION, paths[0])
        read = self.ctx.workspace.read_gemeinde_files  # reads files only: safe on the worker
        count = len(paths)
        self.task = read_jobs.start(
            self, lambda: read(paths), name="Gemeinde-Dateien lesen",
            on_success=lambda files: self._files_read(files, None),
            on_failure=lambda error: self._files_read(None, error),
            progress=("Gemeinde-Dateien prüfen",
                      f"{count} {'Datei wird' if count == 1 else 'Dateien werden'} gelesen und geprüft …"))
        self._update_buttons()
        return True

    def _files_read(self, files, error) -> None:
        self.task = None
        self._update_buttons()
        if error is not None:
            messages.warn(self, "Dateien nicht gelesen", str(error))
            self.imported.emit(False)
            return
        accept_key_change = False
        try:
            preview = self.ctx.workspace.plan_gemeinde_import(files)
            new_keys = [item for item in preview.items if item.reason == KEY_CHANGE]
            if new_keys and messages.confirm(
                    self, "Anderer Signaturschlüssel",
                    "\n\n".join(item.message for item in new_keys)
                    + "\n\nHat die Gemeinde bestätigt, dass sie mit einem neuen Datenbestand arbeitet? "
                      "Dann den neuen Schlüssel übernehmen."):
                accept_key_change = True
                preview = self.ctx.workspace.plan_gemeinde_import(files, accept_key_change=True)
        except PaktDeskError as err:
            messages.warn(self, "Nicht übernommen", str(err))
            self.imported.emit(False)
            return
        dialog = ImportPreviewDialog(preview, self)
        dialog.accepted.connect(lambda: self._apply(preview, accept_key_change=accept_key_change))
        dialog.rejected.connect(lambda: self._cancelled())
        dialog.finished.connect(dialog.deleteLater)
        self.preview_dialog = dialog
        dialog.open()
        self.preview_ready.emit(dialog)

    def _cancelled(self) -> None:
        self.preview_dialog = None
        self.ctx.status_message.emit("Übernahme abgebrochen; es wurde nichts gespeichert.")
        self.imported.emit(False)

    def _apply(self, preview, *, accept_key_change: bool = False) -> None:
        self.preview_dialog = None
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # one transaction, about a second at Kreis scale
        try:
            change = self.ctx.workspace.apply_gemeinde_import(preview, accept_key_change=accept_key_change)
        except PaktDeskError as err:
            QApplication.restoreOverrideCursor()
            messages.warn(self, "Nicht übernommen", str(err))
            self.imported.emit(False)
            return
        QApplication.restoreOverrideCursor()
        taken = len(change.ids)
        text = (f"{taken} {'Datei' if taken == 1 else 'Dateien'} übernommen: "
                + ", ".join(change.warnings) if taken else "Nichts Neues: alle Dateien waren bereits übernommen.")
        self.status_label.setText(text)
        self.status_label.setStyleSheet("color: #1e6b34;")
        self.status_label.show()
        self.ctx.status_message.emit(text)
        self.imported.emit(taken > 0)

    def remove_selected(self) -> None:
        import_id = self.selected_import()
        if import_id is None:
            return
        row = next(r for r in self.overview.gemeinden if r.import_id == import_id)
        if not messages.confirm(self, "Gemeinde-Datei entfernen",
                                f"Die übernommene Datei von „{row.label}“ ({row.period}) entfernen? Ihre Zahlen "
                                "fehlen dann in der Übersicht und in der Austauschdatei des Kreises."):
            return
        self.ctx.perform(lambda: self.ctx.workspace.remove_gemeinde_import(import_id), parent=self)

