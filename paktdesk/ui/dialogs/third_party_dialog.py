"""Drittmittel: a co-financier's amount in the financing plan, or money received from it, for a
decision and optionally one integration manager. Typed by keyboard (Enter moves on, Enter in
the last field saves); shows what is planned and received so far."""

from __future__ import annotations

import dataclasses

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from ...core import entities as e
from ...core.money import format_cents
from .money_fields import (
    DateField,
    EnterMovesOn,
    FormDialog,
    MoneyField,
    fill_combo,
    select_data,
)
from .payment_dialog import decision_items, person_items

WHOLE_DECISION = "– Bescheid insgesamt –"


class ThirdPartyDialog(FormDialog):
    def __init__(self, ctx, *, decision_id: int | None = None, row_id: int | None = None,
                 parent: QWidget | None = None):
        ws = ctx.workspace
        self.row = ws.third_party_fund(row_id) if row_id else None
        super().__init__(ctx, "Drittmittel bearbeiten" if self.row else "Drittmittel erfassen", parent=parent,
                         intro="Geld eines weiteren Mittelgebers (z. B. Landkreis, Stiftung, Kirche) für denselben "
                               "Zweck: den Betrag laut Finanzierungsplan und jeden Eingang mit Datum. Drittmittel "
                               "mindern den Eigenanteil und, wo die Kosten sonst nicht reichen, die Zuwendung.")
        self.decision_combo = QComboBox(self)
        self.decision_combo.setAccessibleName("Bescheid")
        fill_combo(self.decision_combo, decision_items(ws))
        select_data(self.decision_combo, self.row.decision_id if self.row else decision_id)
        self.decision_combo.setEnabled(self.row is None)
        self.kind_combo = QComboBox(self)
        self.kind_combo.setAccessibleName("Art")
        fill_combo(self.kind_combo, [(e.ThirdPartyKind.RECEIVED.label, e.ThirdPartyKind.RECEIVED),
                                     (e.ThirdPartyKind.PLANNED.label, e.ThirdPartyKind.PLANNED)])
        self.giver_edit = QLineEdit(self)
        self.giver_edit.setAccessibleName("Mittelgeber")
        self.giver_edit.setPlaceholderText("z. B. Landkreis Heilbronn")
        self.giver_edit.setMinimumWidth(340)
        self.received_field = DateField("das Eingangsdatum", parent=self)
        self.amount_field = MoneyField("Betrag", self)
        self.person_combo = QComboBox(self)
        self.person_combo.setAccessibleName("Person")
        self.purpose_edit = QLineEdit(self)
        self.purpose_edit.setAccessibleName("Zweck / Bemerkung")
        self.purpose_edit.setPlaceholderText("z. B. Kofinanzierung laut Kreistagsbeschluss vom …")
        for label, widget, name in (("Bescheid:", self.decision_combo, "decision"), ("Art:", self.kind_combo, "kind"),
                                    ("Mittelgeber:", self.giver_edit, "giver"),
                                    ("Eingegangen am:", self.received_field, "received_on"),
                                    ("Betrag:", self.amount_field, "amount"), ("Für Person:", self.person_combo, "person"),
                                    ("Zweck / Bemerkung:", self.purpose_edit, "purpose")):
            self.add_row(label, widget, name=name)
        self.enter_fields = [self.kind_combo, self.giver_edit, self.received_field, self.amount_field,
                       self.person_combo, self.purpose_edit]
        self.enter = EnterMovesOn(self.enter_fields, self._save_clicked, self)
        self.decision_combo.currentIndexChanged.connect(self._decision_changed)
        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self._decision_changed()
        if self.row:
            select_data(self.kind_combo, self.row.kind)
            self.giver_edit.setText(self.row.giver)
            self.received_field.set_value(self.row.received_on)
            self.amount_field.set_value(self.row.amount_cents)
            select_data(self.person_combo, self.row.person_id)
            self.purpose_edit.setText(self.row.purpose)
        else:
            givers = sorted({t.giver for t in ws.third_party_funds(self.decision_combo.currentData())}) \
                if self.decision_combo.currentData() is not None else []
            if len(givers) == 1:
                self.giver_edit.setText(givers[0])  # the usual case: one co-financier per decision
        self._kind_changed()
        self.initial_focus = self.kind_combo  # the decision is proposed; the kind is the first choice

    def _decision_changed(self) -> None:
        fill_combo(self.person_combo, person_items(self.ctx.workspace, self.decision_combo.currentData(), WHOLE_DECISION))
        self.show_totals()

    def _kind_changed(self) -> None:
        received = self.kind_combo.currentData() == e.ThirdPartyKind.RECEIVED
        self.received_field.setEnabled(received)
        self.enter.fields = [f for f in self.enter_fields if received or f is not self.received_field]
        if not received:
            self.received_field.clear()
        label = self.form.labelForField(self.received_field)
        if label is not None:
            label.setEnabled(received)

    def show_totals(self) -> None:
        decision_id = self.decision_combo.currentData()
        if decision_id is None:
            self.info_label.setText("Bitte zuerst einen Bescheid erfassen.")
            return
        totals = self.ctx.workspace.third_party_totals(decision_id)
        self.info_label.setText(f"Drittmittel dieses Bescheids: geplant {format_cents(totals['planned'])} · "
                                f"erhalten {format_cents(totals['received'])}")

    def save(self):
        ws = self.ctx.workspace
        kind = self.kind_combo.currentData()
        values = dict(kind=kind, giver=self.giver_edit.text(), amount_cents=self.amount_field.value(),
                      received_on=self.received_field.value() if kind == e.ThirdPartyKind.RECEIVED else None,
                      person_id=self.person_combo.currentData(), purpose=self.purpose_edit.text())
        if self.row:
            changed = dataclasses.replace(self.row, **values)
            return self.run(lambda: ws.update_third_party(changed))
        item = e.ThirdPartyFund(None, self.decision_combo.currentData(), **values)
        return self.run(lambda: ws.add_third_party(item))
