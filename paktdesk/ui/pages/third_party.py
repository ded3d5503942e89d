"""Förderung › Drittmittel: money of co-financiers (Landkreis, foundation, church …) per decision,
as a list with the actions a clerk needs: record (financing plan or received), edit, reverse with
a reason once a proof is submitted, delete a wrong entry after a confirmation."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QWidget

from ...core.money import format_cents
from ...core.periods import format_date
from .. import messages
from ..context import UiContext
from ..dialogs.reversal_dialog import ReversalDialog
from ..dialogs.third_party_dialog import ThirdPartyDialog
from ..page_keys import page_shortcut
from .money_pages import _button, _MoneyListPage

LOCKED_TEXT = ("Diese Drittmittel gehören zu einem eingereichten Nachweis und können nicht mehr geändert "
               "oder gelöscht werden. Korrekturen bitte mit „Stornieren“.")


def describe(row) -> str:
    what = f"Eingang vom {format_date(row.received_on)}" if row.is_received else "Betrag laut Finanzierungsplan"
    return f"{what} von {row.giver} über {format_cents(row.amount_cents)}"


class ThirdPartyPage(_MoneyListPage):
    """Drittmittel: Finanzierungsplan und Eingänge je Bescheid und Mittelgeber."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None):
        super().__init__(ctx, "third_party_funds", noun=("Drittmittel-Buchung", "Drittmittel-Buchungen"),
                         filter_hint="Mittelgeber, Aktenzeichen, Zweck, Person",
                         empty_text="Noch keine Drittmittel erfasst.\nMit „Drittmittel erfassen“ den Betrag laut "
                                    "Finanzierungsplan oder einen Eingang buchen.",
                         shrink=("giver", "decision", "person"), grow="purpose",
                         blanks={"received_on": "–"}, parent=parent)
        self.new_button = _button(self, "Drittmittel &erfassen …", self.new_entry, tip="Strg+N")
        self.edit_button = _button(self, "&Bearbeiten …", self.edit_selected)
        self.reverse_button = _button(self, "&Stornieren …", self.reverse_selected,
                                      tip="Nach eingereichtem Nachweis: Korrektur mit Grund")
        self.delete_button = _button(self, "&Löschen …", self.delete_selected,
                                     tip="Nur Fehleingaben, solange kein Nachweis eingereicht ist")
        page_shortcut(self.table, QKeySequence.StandardKey.Delete, self.delete_selected)
        self.activated.connect(self.edit_entry)

    def new_entry(self) -> ThirdPartyDialog:
        dialog = ThirdPartyDialog(self.ctx, parent=self)
        dialog.open()
        return dialog

    def edit_entry(self, row_id: int) -> ThirdPartyDialog | None:
        ws = self.ctx.workspace
        if ws.third_party_locked(row_id):
            messages.info(self, "Gesperrt", LOCKED_TEXT)
            return None
        dialog = ThirdPartyDialog(self.ctx, row_id=row_id, parent=self)
        dialog.open()
        return dialog

    def edit_selected(self) -> None:
        row_id = self._selected_or_tell("eine Drittmittel-Buchung")
        if row_id is not None:
            self.edit_entry(row_id)

    def reverse_selected(self) -> ReversalDialog | None:
        row_id = self._selected_or_tell("eine Drittmittel-Buchung")
        if row_id is None:
            return None
        ws = self.ctx.workspace
        row = ws.third_party_fund(row_id)
        dialog = ReversalDialog(self.ctx, what=f"{describe(row)} stornieren.",
                                reverse=lambda reason, day: ws.reverse_third_party(row_id, reason, on=day),
                                parent=self)
        dialog.open()
        return dialog

    def delete_selected(self) -> bool:
        """Delete after a confirmation (the default answer is No). Returns True when deleted."""
        row_id = self._selected_or_tell("eine Drittmittel-Buchung")
        if row_id is None:
            return False
        ws = self.ctx.workspace
        row = ws.third_party_fund(row_id)
        if ws.third_party_locked(row_id):
            messages.info(self, "Gesperrt", LOCKED_TEXT)
            return False
        if not messages.confirm(self, "Drittmittel löschen", f"{describe(row)} wirklich löschen?\n\n"
                                "Nur für Fehleingaben; die Löschung steht im Änderungsprotokoll."):
            return False
        return self.ctx.perform(lambda: ws.delete_third_party(row_id), parent=self) is not None
