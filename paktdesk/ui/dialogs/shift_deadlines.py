"""Bulk shift of requalification deadlines (e.g. after a policy change), with a note."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QCheckBox, QLabel, QSpinBox, QWidget

from ...core.errors import ValidationError
from ...core.periods import format_date
from ...core.requalification import RequalStatus
from ..context import UiContext
from .form import FormDialog


class ShiftDeadlinesDialog(FormDialog):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None, *, today: date | None = None):
        super().__init__(ctx, "Fristen der Nachqualifizierung verschieben", parent, save_text="Verschieben",
                         intro="Verschiebt die Fristen der gewählten laufenden Nachqualifizierungen um "
                               "Monate und Tage. Jede Verschiebung wird mit dem Vermerk als neuer Eintrag "
                               "gespeichert und protokolliert.")
        self.today = today
        self.boxes: dict[int, QCheckBox] = {}
        statuses = ctx.workspace.requalification_statuses(today)
        names = {p.id: p for p in ctx.workspace.persons()}
        for person_id, result in sorted(statuses.items(), key=lambda x: names[x[0]].sort_name):
            if result.status not in (RequalStatus.RUNNING, RequalStatus.OVERDUE):
                continue
            box = QCheckBox(f"{names[person_id].full_name} – Frist {format_date(result.deadline)} "
                            f"({result.label})", self)
            box.setChecked(True)
            self.boxes[person_id] = box
            self.form.addRow("" if len(self.boxes) > 1 else self.mnemonics.label("Personen"), box)
        if not self.boxes:
            self.form.addRow(QLabel("Zurzeit läuft keine Nachqualifizierung.", self))
            self.save_button.setEnabled(False)
        self.months_spin = QSpinBox(self)
        self.months_spin.setRange(-120, 120)
        self.months_spin.setSuffix(" Monate")
        self.days_spin = QSpinBox(self)
        self.days_spin.setRange(-3650, 3650)
        self.days_spin.setSuffix(" Tage")
        self.add_row("Verschieben um", self.months_spin, name="months")
        self.add_row("und", self.days_spin, name="days")
        self.note_edit = self.text_field("note", "Vermerk *", placeholder="z. B. Erlass des Ministeriums vom …")
        self.resize(620, self.sizeHint().height())

    def submit(self):
        chosen = [pid for pid, box in self.boxes.items() if box.isChecked()]
        if not chosen:
            raise ValidationError("Bitte mindestens eine Person wählen.", field=None)
        return self.ctx.workspace.shift_deadlines(note=self.note_edit.text(), months=self.months_spin.value(),
                                                  days=self.days_spin.value(), person_ids=chosen,
                                                  today=self.today)
