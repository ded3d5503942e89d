"""Mark a (interim) proof of use as submitted. From then on the receipts, received payments and
pass-through payments of its period are locked: corrections only as Storno with a reason."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from ...core import entities as e
from .. import messages
from .money_fields import DateField, FormDialog


class ProofSubmissionDialog(FormDialog):
    def __init__(self, ctx, *, decision_id: int, parent: QWidget | None = None):
        ws = ctx.workspace
        decision = ws.decision(decision_id)
        version = ws.current_version(decision_id)
        super().__init__(ctx, "Nachweis als eingereicht markieren", parent=parent,
                         intro=f"Bescheid {decision.file_number}. Nach dem Markieren sind Belege und Zahlungen des "
                               "Zeitraums gesperrt; Korrekturen sind nur noch als Storno mit Grund möglich. "
                               "Das lässt sich nicht zurücknehmen.")
        self.decision_id = decision_id
        self.kind_combo = QComboBox(self)
        for kind in e.ProofKind:
            self.kind_combo.addItem(kind.label, kind.value)
        self.first_field = DateField("den Beginn des Nachweiszeitraums", parent=self)
        self.last_field = DateField("das Ende des Nachweiszeitraums", parent=self)
        self.first_field.set_value(version.first_day)
        self.last_field.set_value(version.last_day)
        self.submitted_field = DateField("das Einreichungsdatum", parent=self)
        self.submitted_field.set_value(date.today())
        self.note_edit = QLineEdit(self)
        for label, widget, name in (("Art:", self.kind_combo, "kind"), ("Zeitraum von:", self.first_field, "first_day"),
                                    ("bis:", self.last_field, "last_day"),
                                    ("Eingereicht am:", self.submitted_field, "submitted_on"),
                                    ("Bemerkung:", self.note_edit, "note")):
            self.add_row(label, widget, name=name)
        self.save_button.setText("Als eingereicht &markieren")

    def save(self):
        item = e.ProofSubmission(None, self.decision_id, e.ProofKind(self.kind_combo.currentData()),
                                 self.first_field.value(), self.last_field.value(), self.submitted_field.value(),
                                 note=self.note_edit.text())
        if not messages.confirm(self, "Wirklich sperren?",
                                f"{item.kind.label} für {item.first_day:%d.%m.%Y} – {item.last_day:%d.%m.%Y} als "
                                "eingereicht markieren? Belege und Zahlungen dieses Zeitraums werden gesperrt."):
            return None
        return self.run(lambda: self.ctx.workspace.submit_proof(item))
