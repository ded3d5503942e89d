"""Payments from the grantor: a request (Mittelabruf) and/or its receipt (Zahlungseingang) with
Kassenzeichen; a repayment after a Rückforderung. Shows what is decided, received and still open."""

from __future__ import annotations

import dataclasses
from datetime import date

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from ...core import entities as e
from ...core.money import format_cents
from .money_fields import DateField, FormDialog, MoneyField, fill_combo, select_data


def decision_items(ws) -> list[tuple[str, int]]:
    return [(f"{d.file_number} – {d.funding_area.label}", d.id) for d in ws.decisions()]


def person_items(ws, decision_id: int | None, none_label: str) -> list[tuple[str, int | None]]:
    """``none_label`` first, then the persons holding a position in any version of the decision
    (everyone when it has none yet or no decision is chosen)."""
    persons = ws.persons()
    if decision_id is not None:
        on_decision = {p.person_id for s in ws.decision_history(decision_id) for p in s.positions}
        if on_decision:
            persons = [p for p in persons if p.id in on_decision]
    return [(none_label, None), *((p.sort_name, p.id) for p in persons)]


class PaymentDialog(FormDialog):
    def __init__(self, ctx, *, decision_id: int | None = None, payment_id: int | None = None,
                 parent: QWidget | None = None):
        ws = ctx.workspace
        self.payment = ws.payment(payment_id) if payment_id else None
        super().__init__(ctx, "Zahlung bearbeiten" if self.payment else "Zahlung erfassen", parent=parent,
                         intro="Mittelabruf und Zahlungseingang des Zuwendungsgebers. Ein Abruf ohne "
                               "Eingangsdatum gilt als noch nicht erhalten.")
        self.decision_combo = QComboBox(self)
        fill_combo(self.decision_combo, decision_items(ws))
        select_data(self.decision_combo, self.payment.decision_id if self.payment else decision_id)
        self.decision_combo.setEnabled(self.payment is None)
        self.requested_field = DateField("das Abrufdatum", optional=True, parent=self)
        self.received_field = DateField("das Eingangsdatum", optional=True, parent=self)
        self.amount_field = MoneyField("Betrag", self)
        self.cash_ref_edit = QLineEdit(self)
        self.cash_ref_edit.setPlaceholderText("Kassenzeichen laut Bescheid oder Kontoauszug")
        self.note_edit = QLineEdit(self)
        self.add_row("Bescheid:", self.decision_combo, name="decision")
        self.add_row("Abgerufen am:", self.requested_field, name="requested_on")
        self.add_row("Eingegangen am:", self.received_field, name="received_on")
        self.add_row("Betrag:", self.amount_field, name="amount")
        self.add_row("Kassenzeichen:", self.cash_ref_edit, name="cash_ref")
        self.add_row("Bemerkung:", self.note_edit, name="note")
        if self.payment:
            self.requested_field.set_value(self.payment.requested_on)
            self.received_field.set_value(self.payment.received_on)
            self.amount_field.set_value(self.payment.amount_cents)
            self.cash_ref_edit.setText(self.payment.cash_ref)
            self.note_edit.setText(self.payment.note)
        self.decision_combo.currentIndexChanged.connect(self.show_remainder)
        self.show_remainder()

    def show_remainder(self) -> None:
        decision_id = self.decision_combo.currentData()
        if decision_id is None:
            self.info_label.setText("Bitte zuerst einen Bescheid erfassen.")
            return
        r = self.ctx.workspace.open_remainder(decision_id)
        self.info_label.setText(
            f"Bewilligt {format_cents(r['decided'])} · erhalten {format_cents(r['received'])} · abgerufen, "
            f"noch nicht erhalten {format_cents(r['requested_open'])} · noch abrufbar {format_cents(r['requestable'])}")

    def save(self):
        ws = self.ctx.workspace
        values = dict(requested_on=self.requested_field.value(), received_on=self.received_field.value(),
                      amount_cents=self.amount_field.value(), cash_ref=self.cash_ref_edit.text(),
                      note=self.note_edit.text())
        if self.payment:
            changed = dataclasses.replace(self.payment, **values)
            return self.run(lambda: ws.update_payment(changed))
        payment = e.Payment(None, self.decision_combo.currentData(), **values)
        return self.run(lambda: ws.record_payment(payment))


class RepaymentDialog(FormDialog):
    def __init__(self, ctx, *, decision_id: int | None = None, parent: QWidget | None = None):
        super().__init__(ctx, "Rückzahlung erfassen", parent=parent,
                         intro="Geld, das nach einer Rückforderung an den Zuwendungsgeber zurückgezahlt wurde.")
        self.decision_combo = QComboBox(self)
        fill_combo(self.decision_combo, decision_items(ctx.workspace))
        select_data(self.decision_combo, decision_id)
        self.paid_field = DateField("das Zahldatum", parent=self)
        self.paid_field.set_value(date.today())
        self.amount_field = MoneyField("Betrag", self)
        self.cash_ref_edit = QLineEdit(self)
        self.note_edit = QLineEdit(self)
        for label, widget, name in (("Bescheid:", self.decision_combo, "decision"),
                                    ("Zurückgezahlt am:", self.paid_field, "paid_on"),
                                    ("Betrag:", self.amount_field, "amount"),
                                    ("Kassenzeichen:", self.cash_ref_edit, "cash_ref"),
                                    ("Bemerkung:", self.note_edit, "note")):
            self.add_row(label, widget, name=name)

    def save(self):
        ws = self.ctx.workspace
        decision_id, amount, day = self.decision_combo.currentData(), self.amount_field.value(), self.paid_field.value()
        return self.run(lambda: ws.record_repayment(decision_id, amount, day, cash_ref=self.cash_ref_edit.text(),
                                                    note=self.note_edit.text()))
