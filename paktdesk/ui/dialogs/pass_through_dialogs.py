"""Weiterleitung to providers: the agreement, the amounts paid on (with dates) and the provider's
own proof of use with its scan."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from ...core import entities as e
from ...core.money import format_cents
from .money_fields import DateField, FormDialog, MoneyField, fill_combo, select_data
from .payment_dialog import decision_items


class AgreementDialog(FormDialog):
    def __init__(self, ctx, *, decision_id: int | None = None, parent: QWidget | None = None):
        super().__init__(ctx, "Weiterleitung vereinbaren", parent=parent,
                         intro="Vereinbarung mit einem Träger über einen Teil der Zuwendung (Weiterleitungsvertrag).")
        ws = ctx.workspace
        self.decision_combo = QComboBox(self)
        fill_combo(self.decision_combo, decision_items(ws))
        select_data(self.decision_combo, decision_id)
        self.provider_combo = QComboBox(self)
        fill_combo(self.provider_combo, [(p.name, p.id) for p in ws.providers() if p.kind != e.ProviderKind.OWN]
                   or [(p.name, p.id) for p in ws.providers()])
        self.date_field = DateField("das Datum der Vereinbarung", parent=self)
        self.date_field.set_value(date.today())
        self.reference_edit = QLineEdit(self)
        self.amount_field = MoneyField("Vereinbarter Betrag", self)
        self.note_edit = QLineEdit(self)
        for label, widget, name in (("Bescheid:", self.decision_combo, "decision"),
                                    ("Träger:", self.provider_combo, "provider"),
                                    ("Vereinbart am:", self.date_field, "agreed_on"),
                                    ("Zeichen/Vertrag:", self.reference_edit, "reference"),
                                    ("Betrag:", self.amount_field, "amount"), ("Bemerkung:", self.note_edit, "note")):
            self.add_row(label, widget, name=name)

    def save(self):
        item = e.PassThrough(None, self.decision_combo.currentData(), self.provider_combo.currentData(),
                             self.date_field.value(), self.reference_edit.text(), self.amount_field.value(),
                             note=self.note_edit.text())
        return self.run(lambda: self.ctx.workspace.add_pass_through(item))


class PassThroughPaymentDialog(FormDialog):
    def __init__(self, ctx, *, pass_through_id: int, parent: QWidget | None = None):
        super().__init__(ctx, "Weiterleitung auszahlen", parent=parent)
        ws = ctx.workspace
        self.pass_through_id = pass_through_id
        agreement = ws.pass_through(pass_through_id)
        paid = sum(z.amount_cents for z in ws.pass_through_payments(pass_through_id))
        self.info_label.setText(f"{ws.provider(agreement.provider_id).name}: vereinbart "
                                f"{format_cents(agreement.amount_cents)}, ausgezahlt {format_cents(paid)}, "
                                f"offen {format_cents(agreement.amount_cents - paid)}")
        self.date_field = DateField("das Auszahlungsdatum", parent=self)
        self.date_field.set_value(date.today())
        self.amount_field = MoneyField("Betrag", self)
        self.note_edit = QLineEdit(self)
        self.add_row("Ausgezahlt am:", self.date_field, name="paid_on")
        self.add_row("Betrag:", self.amount_field, name="amount")
        self.add_row("Bemerkung:", self.note_edit, name="note")

    def save(self):
        item = e.PassThroughPayment(None, self.pass_through_id, self.date_field.value(), self.amount_field.value(),
                                    note=self.note_edit.text())
        return self.run(lambda: self.ctx.workspace.pay_pass_through(item))


class ProviderProofDialog(FormDialog):
    def __init__(self, ctx, *, pass_through_id: int, parent: QWidget | None = None):
        super().__init__(ctx, "Nachweis des Trägers erfassen", parent=parent,
                         intro="Der Verwendungsnachweis, den der Träger für das weitergeleitete Geld vorlegt.")
        self.pass_through_id = pass_through_id
        self.attachment_id: int | None = None
        self.date_field = DateField("das Eingangsdatum", parent=self)
        self.date_field.set_value(date.today())
        self.amount_field = MoneyField("Nachgewiesene Ausgaben", self)
        self.note_edit = QLineEdit(self)
        attach_box = QWidget(self)
        row = QHBoxLayout(attach_box)
        row.setContentsMargins(0, 0, 0, 0)
        self.attach_button = QPushButton("Scan anhängen …", self)
        self.attachment_label = QLabel("kein Scan", self)
        row.addWidget(self.attach_button)
        row.addWidget(self.attachment_label, 1)
        self.attach_button.clicked.connect(self.choose_attachment)
        self.add_row("Eingegangen am:", self.date_field, name="received_on")
        self.add_row("Nachgewiesen:", self.amount_field, name="amount")
        self.add_row("Bemerkung:", self.note_edit, name="note")
        self.add_row("Anlage:", attach_box, name="attachment")

    def choose_attachment(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Scan wählen", "", "Scans (*.pdf *.png *.jpg *.jpeg *.tif *.tiff);;"
                                                                        "Alle Dateien (*)")
        if not path:
            return
        change = self.ctx.perform(lambda: self.ctx.workspace.add_attachment(Path(path)), parent=self)
        if change is not None:
            self.attachment_id = change.ids[0]
            self.attachment_label.setText(Path(path).name)

    def save(self):
        item = e.ProviderProof(None, self.pass_through_id, self.date_field.value(), self.amount_field.value(),
                               note=self.note_edit.text(), attachment_id=self.attachment_id)
        return self.run(lambda: self.ctx.workspace.add_provider_proof(item))
