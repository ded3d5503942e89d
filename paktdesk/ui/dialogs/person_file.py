"""A person's file (Akte): master data, employment shares over time, pay interruptions,
qualification and requalification with their histories and scans. Everything is edited through
small dialogs; the file refreshes after every change."""

from __future__ import annotations

from datetime import date

from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...core.periods import format_date
from ...core.requalification import RequalStatus, current_requalification
from ...core.validation import format_vza
from .. import messages
from ..attachments import open_attachment
from ..context import UiContext
from .employment import EmploymentDialog, InterruptionDialog
from .person import EndPersonDialog, PersonDialog
from .qualification import QualificationDialog, RequalificationDialog
from .tables import fill, history_table, selected_id
from .dialog_keys import KeyboardDialog

STATUS_COLOURS = {
    RequalStatus.QUALIFIED: "#dcefdc", RequalStatus.COMPLETED: "#dcefdc", RequalStatus.RUNNING: "#fff3c4",
    RequalStatus.OVERDUE: "#f6d3d1", RequalStatus.MISSING: "#f6d3d1", RequalStatus.UNKNOWN: "#e8e8e8",
}


def _button(text: str, parent: QWidget, slot, tip: str = "") -> QPushButton:
    button = QPushButton(text, parent)
    button.clicked.connect(slot)
    if tip:
        button.setToolTip(tip)
    return button


class PersonFileDialog(KeyboardDialog):
    """Opened from the persons list with Enter or a double click."""

    def __init__(self, ctx: UiContext, person_id: int, parent: QWidget | None = None, *,
                 today: date | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.person_id = person_id
        self.today = today or date.today()
        self.setWindowTitle("Integrationsmanager:in")
        self.resize(980, 620)

        self.name_label = QLabel(self)
        self.name_label.setStyleSheet("font-size: 15pt; font-weight: bold;")
        self.details_label = QLabel(self)
        self.details_label.setWordWrap(True)
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        self.status_label.setMargin(6)
        self.edit_button = _button("Stammdaten bearbeiten …", self, self.edit_person)
        self.end_button = _button("Ausscheiden …", self, self.end_person,
                                  "Letzten Arbeitstag eintragen; offene Stellenanteile enden dann")
        head = QHBoxLayout()
        names = QVBoxLayout()
        names.addWidget(self.name_label)
        names.addWidget(self.details_label)
        head.addLayout(names, 1)
        head.addWidget(self.edit_button)
        head.addWidget(self.end_button)

        self.tabs = QTabWidget(self)
        self.shares_table = history_table(["Beginn", "Ende", "VZÄ", "Träger", "Vermerk"], self, right=(2,),
                                          stretch=4)
        self.interruptions_table = history_table(["Von", "Bis", "Tage", "Grund"], self, right=(2,))
        self.qualifications_table = history_table(
            ["Kategorie", "Abschluss", "Geprüft von", "Geprüft am", "Nachweis"], self, stretch=1)
        self.requal_table = history_table(
            ["Kurs", "Anbieter", "Beginn", "Frist", "Grund abw. Frist", "Stunden", "Abschluss", "Zertifikat"],
            self, right=(5,), stretch=0)
        for table, name in ((self.shares_table, "Stellenanteile"), (self.interruptions_table, "Unterbrechungen"),
                            (self.qualifications_table, "Qualifikationen"), (self.requal_table, "Nachqualifizierung")):
            table.setAccessibleName(name)
        self.initial_focus = self.shares_table  # a list to read first, not a button Space would press
        self.tabs.addTab(self._tab(self.shares_table, [
            _button("Neuer Stellenanteil …", self, self.new_share),
            _button("Ändern …", self, self.edit_share),
            _button("Löschen", self, self.delete_share, "Einen versehentlich erfassten Anteil löschen"),
        ], "Die Anteile über die Zeit. Alle Anteile zusammen höchstens 1,0 VZÄ an jedem Tag."), "Stellenanteile")
        self.tabs.addTab(self._tab(self.interruptions_table, [
            _button("Neue Unterbrechung …", self, self.new_interruption),
            _button("Ändern …", self, self.edit_interruption),
            _button("Löschen", self, self.delete_interruption),
        ], "Elternzeit, lange Krankheit: verlängern den Förderzeitraum (höchstens 12 Monate nach Regelwerk)."),
            "Unterbrechungen")
        self.tabs.addTab(self._tab(self.qualifications_table, [
            _button("Neue Qualifikation …", self, self.new_qualification),
            _button("Nachweis öffnen", self, self.open_evidence),
        ], "Die oberste Zeile ist die aktuelle Angabe; ältere bleiben als Historie."), "Qualifikation")
        self.tabs.addTab(self._tab(self.requal_table, [
            _button("Beginnen / erneuern …", self, self.new_requalification),
            _button("Fortschreiben / abschließen …", self, self.update_requalification),
            _button("Zertifikat öffnen", self, self.open_certificate),
        ], "Die oberste Zeile ist der aktuelle Stand; jede Änderung ist ein neuer Eintrag."),
            "Nachqualifizierung")

        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.button(QDialogButtonBox.StandardButton.Close).setText("Schließen")
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.status_label)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(close)
        for number in range(4):
            QShortcut(QKeySequence(f"Alt+{number + 1}"), self,
                      activated=lambda n=number: self.tabs.setCurrentIndex(n))
        QShortcut(QKeySequence("Ctrl+N"), self, activated=self.new_in_current_tab)
        for button in (self.edit_button, self.end_button):
            button.setEnabled(not ctx.workspace.read_only)
        ctx.changed.connect(self._on_change)
        self.refresh()

    def _tab(self, table, buttons: list[QPushButton], hint: str) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        label = QLabel(hint, page)
        label.setWordWrap(True)
        layout.addWidget(label)
        row = QHBoxLayout()
        for button in buttons:
            row.addWidget(button)
            button.setEnabled(not self.ctx.workspace.read_only or "öffnen" in button.text())
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(table, 1)
        table.doubleClicked.connect(lambda _index: buttons[1].click())
        return page

    def _on_change(self, _change) -> None:
        if self.isVisible() or not self.isHidden():
            self.refresh()

    # --- showing -------------------------------------------------------------------------------
    def refresh(self) -> None:
        ws = self.ctx.workspace
        self.person = ws.person(self.person_id)
        person = self.person
        providers = {t.id: t.name for t in ws.providers(include_deleted=True)}
        self.name_label.setText(person.full_name)
        details = [providers.get(person.provider_id, "")]
        if person.email:
            details.append(person.email)
        if person.phone:
            details.append(person.phone)
        if person.ended_on:
            details.append(f"ausgeschieden am {format_date(person.ended_on)}")
        self.details_label.setText(" · ".join(details))
        self.end_button.setText("Austritt ändern …" if person.ended_on else "Ausscheiden …")

        status = ws.requalification_status(self.person_id, self.today)
        text = f"Qualifikation: {status.label}"
        if status.category:
            text = f"Kategorie {status.category} · {text}"
        if status.deadline:
            text += f" · Frist {format_date(status.deadline)}"
        if status.notes:
            text += " · " + " ".join(status.notes)
        self.status_label.setText(text)
        self.status_label.setStyleSheet(f"background: {STATUS_COLOURS[status.status]}; border-radius: 4px;")

        shares = sorted(ws.employments(self.person_id), key=lambda s: s.first_day, reverse=True)
        fill(self.shares_table, [(s.id, [format_date(s.first_day), format_date(s.last_day) or "offen",
                                         format_vza(s.vza_milli), providers.get(s.provider_id, ""), s.note])
                                 for s in shares])
        interruptions = sorted(ws.interruptions(self.person_id), key=lambda i: i.first_day, reverse=True)
        fill(self.interruptions_table, [(i.id, [format_date(i.first_day), format_date(i.last_day),
                                                str(i.period.days), i.reason]) for i in interruptions])
        quals = list(reversed(ws.qualifications(self.person_id)))
        fill(self.qualifications_table, [
            (q.id, [f"Kategorie {q.category}", q.degree, q.checked_by, format_date(q.checked_on),
                    "Scan liegt vor" if q.evidence_attachment_id else "–"]) for q in quals],
            colours=[QColor("#eef5ff") if n == 0 else None for n in range(len(quals))])
        requals = list(reversed(ws.requalifications(self.person_id)))
        fill(self.requal_table, [
            (r.id, [r.course, r.course_provider, format_date(r.started_on), format_date(r.deadline),
                    r.deadline_reason, f"{r.hours_done} / {r.hours_planned}", format_date(r.completed_on),
                    "liegt vor" if r.certificate_attachment_id else "–"]) for r in requals],
            colours=[QColor("#eef5ff") if n == 0 else None for n in range(len(requals))])

    # --- actions -------------------------------------------------------------------------------
    def _run(self, dialog) -> bool:
        return dialog.exec() == QDialog.DialogCode.Accepted

    def new_in_current_tab(self) -> None:
        [self.new_share, self.new_interruption, self.new_qualification,
         self.new_requalification][self.tabs.currentIndex()]()

    def edit_person(self) -> None:
        self._run(PersonDialog(self.ctx, self.person, self))

    def end_person(self) -> None:
        self._run(EndPersonDialog(self.ctx, self.person, self))

    def new_share(self) -> None:
        self._run(EmploymentDialog(self.ctx, self.person, None, self))

    def edit_share(self) -> None:
        share_id = selected_id(self.shares_table)
        share = next((s for s in self.ctx.workspace.employments(self.person_id) if s.id == share_id), None)
        if share is not None:
            self._run(EmploymentDialog(self.ctx, self.person, share, self))

    def delete_share(self) -> None:
        share_id = selected_id(self.shares_table)
        if share_id is None:
            return
        row = self.shares_table.currentRow()
        label = f"{self.shares_table.item(row, 0).text()} – {self.shares_table.item(row, 1).text()}"
        if messages.confirm(self, "Stellenanteil löschen",
                            f"Den Stellenanteil {label} ({self.shares_table.item(row, 2).text()} VZÄ) "
                            "löschen? Änderungen des Umfangs bitte als neuen Anteil erfassen, nicht löschen."):
            self.ctx.perform(lambda: self.ctx.workspace.delete_employment(share_id), parent=self)

    def new_interruption(self) -> None:
        self._run(InterruptionDialog(self.ctx, self.person, None, self))

    def edit_interruption(self) -> None:
        item_id = selected_id(self.interruptions_table)
        item = next((i for i in self.ctx.workspace.interruptions(self.person_id) if i.id == item_id), None)
        if item is not None:
            self._run(InterruptionDialog(self.ctx, self.person, item, self))

    def delete_interruption(self) -> None:
        item_id = selected_id(self.interruptions_table)
        if item_id is not None and messages.confirm(
                self, "Unterbrechung löschen", "Die markierte Unterbrechung löschen? Die Fristen "
                "verkürzen sich dann wieder."):
            self.ctx.perform(lambda: self.ctx.workspace.delete_interruption(item_id), parent=self)

    def new_qualification(self) -> None:
        quals = self.ctx.workspace.qualifications(self.person_id)
        self._run(QualificationDialog(self.ctx, self.person, quals[-1] if quals else None, self))

    def new_requalification(self) -> None:
        self._run(RequalificationDialog(self.ctx, self.person, None, self, today=self.today))

    def update_requalification(self) -> None:
        current = current_requalification(self.ctx.workspace.requalifications(self.person_id))
        if current is None:
            messages.info(self, "Keine Nachqualifizierung", "Bitte zuerst eine Nachqualifizierung beginnen.")
            return
        self._run(RequalificationDialog(self.ctx, self.person, current, self, today=self.today))

    def open_evidence(self) -> None:
        item_id = selected_id(self.qualifications_table)
        item = next((q for q in self.ctx.workspace.qualifications(self.person_id) if q.id == item_id), None)
        if item is None or item.evidence_attachment_id is None:
            messages.info(self, "Kein Nachweis", "Zu dieser Qualifikation ist kein Scan hinterlegt.")
            return
        open_attachment(self.ctx, item.evidence_attachment_id, self)

    def open_certificate(self) -> None:
        item_id = selected_id(self.requal_table)
        item = next((r for r in self.ctx.workspace.requalifications(self.person_id) if r.id == item_id), None)
        if item is None or item.certificate_attachment_id is None:
            messages.info(self, "Kein Zertifikat", "Zu diesem Eintrag ist kein Zertifikat hinterlegt.")
            return
        open_attachment(self.ctx, item.certificate_attachment_id, self)

    def done(self, result: int) -> None:  # noqa: D401 - Qt override
        try:
            self.ctx.changed.disconnect(self._on_change)
        except (RuntimeError, TypeError):
            pass
        super().done(result)
