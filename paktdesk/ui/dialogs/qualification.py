"""Dialogs for a qualification record and a requalification record (each a new record: the
newest counts, the older ones stay as history), with the scan attached in the same action."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from ...core import entities as e
from ...core.errors import ValidationError
from ...core.periods import format_date
from ..attachments import choose_scan
from ..context import UiContext
from .form import DateField, FormDialog, IntField
from .person import category_combo


class FileChooser(QWidget):
    """"Scan auswählen …" with the chosen file's name; the file is stored only on Save."""

    def __init__(self, name: str, parent: QWidget | None = None, *, existing: str = ""):
        super().__init__(parent)
        self.name = name
        self.path: Path | None = None
        self.existing = existing
        self.label = QLabel(existing or "kein Scan", self)
        self.button = QPushButton("Scan auswählen …", self)
        self.clear_button = QPushButton("Entfernen", self)
        self.clear_button.setEnabled(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.button)
        layout.addWidget(self.clear_button)
        self.button.clicked.connect(self.choose)
        self.clear_button.clicked.connect(lambda: self.set_path(None))

    def choose(self) -> None:
        path = choose_scan(self.window())
        if path is not None:
            self.set_path(path)

    def set_path(self, path: Path | None) -> None:
        self.path = path
        self.label.setText(f"neu: {path.name}" if path else (self.existing or "kein Scan"))
        self.clear_button.setEnabled(path is not None)


class QualificationDialog(FormDialog):
    def __init__(self, ctx: UiContext, person: e.Person, current: e.Qualification | None = None,
                 parent: QWidget | None = None):
        super().__init__(ctx, "Qualifikation erfassen", parent,
                         intro=f"{person.full_name}: Die Kategorie bestimmt den Fördersatz der Stelle nach "
                               "dem Regelwerk des Bescheids. Die neue Angabe ersetzt die bisherige; "
                               "die bisherige bleibt in der Historie.")
        self.person = person
        self.category_combo = self.add_row("Kategorie *", category_combo(self, allow_none=False), name="category")
        if current:
            self.category_combo.setCurrentIndex(self.category_combo.findData(current.category))
        self.degree_edit = self.text_field("degree", "Abschluss", text=current.degree if current else "",
                                           placeholder="z. B. B.A. Soziale Arbeit (DHBW Stuttgart)")
        self.checked_by_edit = self.text_field("checked_by", "Nachweis geprüft von")
        self.checked_on_edit = self.add_row("Geprüft am", DateField("checked_on", required=False, parent=self),
                                            name="checked_on")
        self.file_chooser = self.add_row("Nachweis (Scan)", FileChooser("attachment", self), name="attachment")
        self.resize(600, self.sizeHint().height())

    def submit(self):
        item = e.Qualification(None, self.person.id, self.category_combo.currentData(), self.degree_edit.text(),
                               checked_by=self.checked_by_edit.text(), checked_on=self.checked_on_edit.value())
        return self.ctx.workspace.save_qualification(item, evidence_file=self.file_chooser.path)


class RequalificationDialog(FormDialog):
    """Start (or renew) a requalification, or record progress/completion of the current one."""

    def __init__(self, ctx: UiContext, person: e.Person, current: e.Requalification | None = None,
                 parent: QWidget | None = None, *, today: date | None = None):
        update = current is not None
        super().__init__(ctx, "Nachqualifizierung fortschreiben" if update else "Nachqualifizierung beginnen",
                         parent, intro=f"{person.full_name}: Jede Änderung wird als neuer Eintrag gespeichert; "
                                       "die bisherigen bleiben in der Historie. Die Frist ergibt sich aus der "
                                       "Regel; eine abweichende Frist braucht einen Grund.")
        self.person = person
        self.current = current
        self.today = today
        self.course_edit = self.text_field("course", "Kurs *", text=current.course if current else "",
                                           placeholder="z. B. Weiterbildung Integrationsmanagement (modular)")
        self.provider_edit = self.text_field("course_provider", "Anbieter",
                                             text=current.course_provider if current else "")
        self.start_edit = self.add_row("Beginn *", DateField("started_on", parent=self), name="started_on")
        self.planned_edit = self.add_row("Stunden geplant", IntField("hours_planned", self), name="hours_planned")
        self.done_edit = self.add_row("Stunden erbracht", IntField("hours_done", self), name="hours_done")
        self.deadline_edit = self.add_row("Frist *", DateField("deadline", parent=self), name="deadline")
        self.rule_label = QLabel(self)
        self.rule_label.setWordWrap(True)
        self.form.addRow("", self.rule_label)
        self.reason_edit = self.text_field("deadline_reason", "Grund für abweichende Frist",
                                           text=current.deadline_reason if current else "")
        self.completed_edit = self.add_row("Abgeschlossen am", DateField("completed_on", required=False, parent=self),
                                           name="completed_on")
        self.file_chooser = self.add_row("Zertifikat (Scan)", FileChooser("attachment", self), name="attachment")
        if current:
            self.start_edit.set_value(current.started_on)
            self.planned_edit.setText(str(current.hours_planned))
            self.done_edit.setText(str(current.hours_done))
            self.deadline_edit.set_value(current.deadline)
            self.completed_edit.set_value(current.completed_on)
            if current.certificate_attachment_id:
                self.file_chooser.existing = "Zertifikat liegt vor"
                self.file_chooser.set_path(None)
        self._default: date | None = current.deadline if current and not current.deadline_reason else None
        self.start_edit.editingFinished.connect(self.update_default_deadline)
        self.update_default_deadline()
        self.resize(620, self.sizeHint().height())

    def update_default_deadline(self) -> None:
        """Fill in the rule's deadline for the start date, unless the clerk typed another one."""
        try:
            start = self.start_edit.value()
        except ValidationError:
            self.rule_label.setText("")
            return
        rule = self.ctx.workspace.requal_rule(start)
        default = rule.default_deadline(start)
        self.rule_label.setText(f"Nach der Regel: {format_date(default)} ({rule.describe()}).")
        typed = self.deadline_edit.text().strip()
        if not typed or (self._default is not None and typed == format_date(self._default)):
            self.deadline_edit.set_value(default)
        self._default = default

    def submit(self):
        item = e.Requalification(
            None, self.person.id, self.course_edit.text(), self.provider_edit.text().strip(),
            self.start_edit.value(), self.deadline_edit.value(), hours_planned=self.planned_edit.value(),
            hours_done=self.done_edit.value(), deadline_reason=self.reason_edit.text().strip(),
            completed_on=self.completed_edit.value(),
            certificate_attachment_id=self.current.certificate_attachment_id if self.current else None)
        return self.ctx.workspace.save_requalification(item, certificate_file=self.file_chooser.path,
                                                       today=self.today)
