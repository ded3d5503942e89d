"""Storno: asks for the reason (required) and the date of the reversal, then calls the given
reversal use case. The original stays as it was; a reversal row with the negative amount is added."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import QLineEdit, QWidget

from .money_fields import DateField, FormDialog

REASON_MISSING = "Bitte einen Grund für die Stornierung angeben."


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
        self.add_row("Grund *:", self.reason_edit, name="reason",
                      check=lambda: None if self.reason_edit.text().strip() else REASON_MISSING)
        self.add_row("Datum:", self.date_field, name="on")
        self.save_button.setText("S&tornieren")

    def save(self):
        day = self.date_field.value()
        return self.run(lambda: self.reverse(self.reason_edit.text(), day))
