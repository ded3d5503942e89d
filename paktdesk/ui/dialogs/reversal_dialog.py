"""Storno: asks for the reason (required) and the date of the reversal, then calls the given
reversal use case. The original stays as it was; a reversal row with the negative amount is added."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import QLineEdit, QWidget

from ...core.errors import ValidationError
from .money_fields import DateField, FormDialog


class ReversalDialog(FormDialog):
    def __init__(self, ctx, *, what: str, reverse: Callable[[str, date], object], parent: QWidget | None = None):
        super().__init__(ctx, "Stornieren", parent=parent,
                         intro=f"{what}\n\nDie Buchung bleibt erhalten; eine Stornobuchung mit dem negativen "
                               "Betrag wird hinzugefügt. Beides steht im Änderungsprotokoll.")
        self.reverse = reverse
        self.reason_edit = QLineEdit(self)
        self.reason_edit.setPlaceholderText("z. B. doppelt erfasst, falscher Betrag laut Kontoauszug")
        self.reason_edit.setMinimumWidth(380)
        self.date_field = DateField("das Stornodatum", parent=self)
        self.date_field.set_value(date.today())
        self.form.addRow("Grund:", self.reason_edit)
        self.form.addRow("Datum:", self.date_field)
        self.save_button.setText("Stornieren")

    def save(self):
        if not self.reason_edit.text().strip():
            raise ValidationError("Bitte einen Grund für die Stornierung angeben.")
        day = self.date_field.value()
        return self.ctx.perform(lambda: self.reverse(self.reason_edit.text(), day), parent=self)
