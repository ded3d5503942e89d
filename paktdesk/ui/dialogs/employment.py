"""Dialogs for an employment share and a pay interruption."""

from __future__ import annotations

import dataclasses

from PySide6.QtWidgets import QComboBox, QWidget

from ...core import entities as e
from ..context import UiContext
from .form import DateField, FormDialog, VzaField
from .person import provider_combo

INTERRUPTION_REASONS = ("Elternzeit", "Lange Krankheit", "Mutterschutz", "Pflegezeit", "Sonderurlaub ohne Bezüge")


class EmploymentDialog(FormDialog):
    def __init__(self, ctx: UiContext, person: e.Person, item: e.Employment | None = None,
                 parent: QWidget | None = None):
        super().__init__(ctx, "Stellenanteil erfassen" if item is None else "Stellenanteil ändern", parent,
                         intro=f"{person.full_name}: Stellenanteil mindestens 0,25 VZÄ (nach Regelwerk), "
                               "alle Anteile zusammen höchstens 1,0 VZÄ an jedem Tag. Eine Änderung des "
                               "Umfangs bitte als neuen Anteil ab dem Stichtag erfassen und den alten beenden.")
        self.person = person
        self.item = item
        self.first_edit = self.add_row("Beginn *", DateField("first_day", parent=self), name="first_day")
        self.last_edit = self.add_row("Ende", DateField("last_day", required=False, parent=self), name="last_day")
        self.vza_edit = self.add_row("VZÄ *", VzaField(parent=self), name="vza")
        self.provider_combo = self.add_row(
            "Träger", provider_combo(ctx, self, item.provider_id if item else person.provider_id), name="provider")
        self.note_edit = self.text_field("note", "Vermerk", text=item.note if item else "")
        if item:
            self.first_edit.set_value(item.first_day)
            self.last_edit.set_value(item.last_day)
            self.vza_edit.set_value(item.vza_milli)
        self.resize(520, self.sizeHint().height())

    def submit(self):
        base = self.item or e.Employment(None, self.person.id, self.person.provider_id, self.first_edit.value(),
                                         None, 0)
        return self.ctx.workspace.save_employment(dataclasses.replace(
            base, first_day=self.first_edit.value(), last_day=self.last_edit.value(),
            vza_milli=self.vza_edit.value(), provider_id=self.provider_combo.currentData(),
            note=self.note_edit.text().strip()))


class InterruptionDialog(FormDialog):
    def __init__(self, ctx: UiContext, person: e.Person, item: e.Interruption | None = None,
                 parent: QWidget | None = None):
        super().__init__(ctx, "Unterbrechung erfassen" if item is None else "Unterbrechung ändern", parent,
                         intro=f"{person.full_name}: Zeiten ohne Gehaltszahlung verlängern den geförderten "
                               "Zeitraum (höchstens bis zur Grenze des Regelwerks); alle davon abhängigen "
                               "Fristen verschieben sich.")
        self.person = person
        self.item = item
        self.first_edit = self.add_row("Von *", DateField("first_day", parent=self), name="first_day")
        self.last_edit = self.add_row("Bis *", DateField("last_day", parent=self), name="last_day")
        self.reason_combo = QComboBox(self)
        self.reason_combo.setEditable(True)
        self.reason_combo.addItems(INTERRUPTION_REASONS)
        self.add_row("Grund *", self.reason_combo, name="reason")
        if item:
            self.first_edit.set_value(item.first_day)
            self.last_edit.set_value(item.last_day)
            self.reason_combo.setCurrentText(item.reason)
        self.resize(520, self.sizeHint().height())

    def submit(self):
        item = e.Interruption(self.item.id if self.item else None, self.person.id, self.first_edit.value(),
                              self.last_edit.value(), self.reason_combo.currentText().strip())
        return self.ctx.workspace.save_interruption(item)
