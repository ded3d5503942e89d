"""Dialogs for a person (new with first share and qualification, edit, leave) and a provider."""

from __future__ import annotations

import dataclasses

from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from ...core import entities as e
from ...core.validation import check_ags
from ..context import UiContext
from .form import DateField, FormDialog, VzaField, select_data


NEW_PROVIDER = "new-provider"  # the data of the "Neuer Träger …" entry
NO_PROVIDER = "Bitte einen Träger wählen oder mit „Neuer Träger …“ anlegen."


def provider_combo(ctx: UiContext, parent: QWidget, selected: int | None = None, *,
                   offer_new: bool = False) -> QComboBox:
    combo = QComboBox(parent)
    fill_providers(ctx, combo, selected, offer_new=offer_new)
    return combo


def fill_providers(ctx: UiContext, combo: QComboBox, selected: int | None, *, offer_new: bool) -> None:
    combo.blockSignals(True)
    combo.clear()
    for provider in ctx.workspace.providers():
        combo.addItem(provider.name, provider.id)
    if selected is not None:
        if combo.findData(selected) < 0:  # a provider in the Papierkorb still shows for old records
            combo.addItem(ctx.workspace.provider(selected).name + " (Papierkorb)", selected)
        select_data(combo, selected)
    if offer_new:
        combo.addItem("Neuer Träger …", NEW_PROVIDER)
    combo.blockSignals(False)


def category_combo(parent: QWidget, *, allow_none: bool) -> QComboBox:
    combo = QComboBox(parent)
    if allow_none:
        combo.addItem("– noch nicht erfasst –", None)
    for category in e.Category:
        combo.addItem(category.label, category)
    return combo


class PersonDialog(FormDialog):
    """Add a person (with first share and qualification, stored together) or edit one."""

    def __init__(self, ctx: UiContext, person: e.Person | None = None, parent: QWidget | None = None):
        new = person is None
        super().__init__(ctx, "Integrationsmanager:in anlegen" if new else "Integrationsmanager:in bearbeiten",
                         parent, intro="Felder mit * sind Pflicht. Datumsangaben als TT.MM.JJJJ.")
        self.person = person
        self.first_name_edit = self.text_field("first_name", "Vorname", text=person.first_name if person else "")
        self.last_name_edit = self.text_field("last_name", "Nachname *", text=person.last_name if person else "")
        self.provider_combo = self.add_row(
            "Träger *", provider_combo(ctx, self, person.provider_id if person else None, offer_new=True),
            name="provider", check=self._provider_problem)
        self._provider_chosen = self.provider_combo.currentData()
        self.provider_combo.activated.connect(self._provider_activated)
        self.email_edit = self.text_field("email", "E-Mail", text=person.email if person else "")
        self.phone_edit = self.text_field("phone", "Telefon", text=person.phone if person else "")
        self.notes_edit = self.notes_field("notes", "Notizen", person.notes if person else "")
        self.start_edit = self.vza_edit = self.category_combo = self.degree_edit = None
        if new:
            heading = QLabel("<b>Erster Stellenanteil und Qualifikation</b> (optional, später ergänzbar)", self)
            self.form.addRow(heading)
            self.start_edit = self.add_row("Erster Arbeitstag", DateField("first_day", required=False, parent=self),
                                           name="first_day")
            self.vza_edit = self.add_row("Stellenanteil (VZÄ)", VzaField(parent=self), name="vza")
            self.vza_edit.setText("0,5")
            self.category_combo = self.add_row("Qualifikation", category_combo(self, allow_none=True),
                                               name="category")
            self.degree_edit = self.text_field("degree", "Abschluss", placeholder="z. B. B.A. Soziale Arbeit")
        self.resize(560, self.sizeHint().height())

    def _provider_problem(self) -> str | None:
        return NO_PROVIDER if self.provider_combo.currentData() in (None, NEW_PROVIDER) else None

    def _provider_activated(self, _index: int) -> None:
        """ "Neuer Träger …": the provider dialog in place; the new one is chosen after saving."""
        if self.provider_combo.currentData() != NEW_PROVIDER:
            self._provider_chosen = self.provider_combo.currentData()
            return
        dialog = ProviderDialog(self.ctx, None, self)
        created = dialog.exec() == ProviderDialog.DialogCode.Accepted and dialog.result_change is not None
        chosen = dialog.result_change.ids[0] if created else self._provider_chosen
        fill_providers(self.ctx, self.provider_combo, chosen, offer_new=True)
        if chosen is None:  # nothing to go back to: leave the entry, the check says what is missing
            self.provider_combo.setCurrentIndex(self.provider_combo.findData(NEW_PROVIDER))
        self._provider_chosen = chosen
        self.messages.recheck("provider")
        self.provider_combo.setFocus()

    def submit(self):
        base = self.person or e.Person(None, "", "", 0)
        person = dataclasses.replace(
            base, first_name=self.first_name_edit.text(), last_name=self.last_name_edit.text(),
            provider_id=self.provider_combo.currentData(), email=self.email_edit.text().strip(),
            phone=self.phone_edit.text().strip(), notes=self.notes_edit.toPlainText())
        if self.person is not None:
            return self.ctx.workspace.save_person(person)
        first_day = self.start_edit.value()
        share = None
        if first_day is not None:
            share = e.Employment(None, 0, person.provider_id, first_day, None, self.vza_edit.value())
        category = self.category_combo.currentData()
        qualification = (e.Qualification(None, 0, category, self.degree_edit.text().strip())
                         if category is not None else None)
        return self.ctx.workspace.register_person(person, first_share=share, qualification=qualification)


class EndPersonDialog(FormDialog):
    def __init__(self, ctx: UiContext, person: e.Person, parent: QWidget | None = None):
        super().__init__(ctx, f"{person.full_name} scheidet aus", parent, save_text="Ausscheiden",
                         intro="Offene Stellenanteile enden am letzten Arbeitstag. Die Person bleibt mit "
                               "allen Buchungen erhalten.")
        self.person = person
        self.date_edit = self.add_row("Letzter Arbeitstag *", DateField("ended_on", parent=self), name="ended_on")

    def submit(self):
        return self.ctx.workspace.end_person(self.person.id, self.date_edit.value())


class ProviderDialog(FormDialog):
    def __init__(self, ctx: UiContext, provider: e.Provider | None = None, parent: QWidget | None = None):
        super().__init__(ctx, "Träger anlegen" if provider is None else "Träger bearbeiten", parent,
                         intro="Eigene Verwaltung, freier Träger oder andere Kommune (Vereinbarung).")
        self.provider = provider
        self.name_edit = self.text_field("name", "Name *", text=provider.name if provider else "")
        self.kind_combo = QComboBox(self)
        for kind in e.ProviderKind:
            self.kind_combo.addItem(kind.label, kind)
        if provider:
            select_data(self.kind_combo, provider.kind)
        self.add_row("Art", self.kind_combo, name="kind")
        self.ags_edit = self.text_field("ags", "Gemeindeschlüssel", placeholder="nur bei Kommunen, 8 Ziffern",
                                        text=provider.ags if provider else "")
        self.address_edit = self.text_field("address", "Anschrift", text=provider.address if provider else "")
        self.contact_edit = self.text_field("contact", "Ansprechperson", text=provider.contact if provider else "")
        self.notes_edit = self.notes_field("notes", "Notizen", provider.notes if provider else "")
        self.resize(520, self.sizeHint().height())

    def submit(self):
        if self.ags_edit.text().strip():
            check_ags(self.ags_edit.text())
        base = self.provider or e.Provider(None, "", e.ProviderKind.OWN)
        return self.ctx.workspace.save_provider(dataclasses.replace(
            base, name=self.name_edit.text(), kind=self.kind_combo.currentData(), ags=self.ags_edit.text(),
            address=self.address_edit.text().strip(), contact=self.contact_edit.text().strip(),
            notes=self.notes_edit.toPlainText()))
