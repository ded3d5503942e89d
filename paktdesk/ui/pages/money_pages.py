"""Förderung with actions: Bescheide, Zahlungen, Belege and Weiterleitungen as lists with the
buttons a clerk needs (new, edit, reverse with a reason, import, open a scan). Every action goes
through a use case of the workspace; the lists refresh on the ``changed`` signal."""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QInputDialog, QPushButton, QWidget

from ... import atomic
from ...core.errors import PaktDeskError
from ...core.money import format_cents
from ...core.periods import format_date
from .. import messages
from ..context import UiContext
from ..dialogs.decision_dialog import DecisionDialog
from ..dialogs.pass_through_dialogs import (
    AgreementDialog,
    PassThroughPaymentDialog,
    ProviderProofDialog,
)
from ..dialogs.payment_dialog import PaymentDialog, RepaymentDialog
from ..dialogs.proof_submission_dialog import ProofSubmissionDialog
from ..dialogs.receipt_entry import ReceiptEntryDialog
from ..dialogs.receipt_import_dialog import ReceiptImportDialog
from ..dialogs.reversal_dialog import ReversalDialog
from ..list_page import ListPage


def _button(page: ListPage, text: str, slot, *, tip: str = "") -> QPushButton:
    button = QPushButton(text, page)
    button.setToolTip(tip)
    button.clicked.connect(slot)
    page.toolbar.addWidget(button)
    return button


class _MoneyListPage(ListPage):
    def _selected_or_tell(self, what: str) -> int | None:
        record_id = self.selected_id()
        if record_id is None:
            messages.info(self, "Nichts ausgewählt", f"Bitte zuerst {what} in der Liste auswählen.")
        return record_id


class DecisionsPage(_MoneyListPage):
    """Zuwendungsbescheide: new, open (header, versions, positions), amendment, Papierkorb."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None):
        super().__init__(ctx, "decisions", noun=("Bescheid", "Bescheide"),
                         filter_hint="Aktenzeichen oder Zuwendungsgeber",
                         empty_text="Noch keine Zuwendungsbescheide erfasst.\nMit „Neuer Bescheid“ beginnen.",
                         shrink=("area", "grantor"), parent=parent)
        self.new_button = _button(self, "&Neuer Bescheid …", self.new_decision, tip="Strg+N")
        self.open_button = _button(self, "Ö&ffnen …", self.open_selected, tip="Enter")
        self.amend_button = _button(self, "Änderungs&bescheid …", self.amend_selected)
        self.submit_button = _button(self, "Nachweis ein&gereicht …", self.submit_selected,
                                     tip="Sperrt Belege und Zahlungen des Nachweiszeitraums")
        self.delete_button = _button(self, "In den &Papierkorb", self.delete_selected,
                                     tip="Nur Bescheide ohne Zahlungen, Belege und Weiterleitungen")
        self.activated.connect(self.open_decision)

    def submit_selected(self) -> ProofSubmissionDialog | None:
        decision_id = self._selected_or_tell("einen Bescheid")
        if decision_id is None:
            return None
        dialog = ProofSubmissionDialog(self.ctx, decision_id=decision_id, parent=self)
        dialog.open()
        return dialog

    def new_decision(self) -> DecisionDialog:
        dialog = DecisionDialog(self.ctx, mode="new", parent=self)
        dialog.open()
        return dialog

    def open_decision(self, decision_id: int) -> DecisionDialog:
        dialog = DecisionDialog(self.ctx, decision_id=decision_id, mode="edit", parent=self)
        dialog.open()
        return dialog

    def open_selected(self) -> None:
        decision_id = self._selected_or_tell("einen Bescheid")
        if decision_id is not None:
            self.open_decision(decision_id)

    def amend_selected(self) -> DecisionDialog | None:
        decision_id = self._selected_or_tell("einen Bescheid")
        if decision_id is None:
            return None
        dialog = DecisionDialog(self.ctx, decision_id=decision_id, mode="amend", parent=self)
        dialog.open()
        return dialog

    def delete_selected(self) -> None:
        decision_id = self._selected_or_tell("einen Bescheid")
        if decision_id is None:
            return
        decision = self.ctx.workspace.decision(decision_id)
        if messages.confirm(self, "In den Papierkorb", f"Bescheid {decision.file_number} in den Papierkorb legen?"):
            self.ctx.perform(lambda: self.ctx.workspace.delete_decision(decision_id), parent=self)


class PaymentsPage(_MoneyListPage):
    """Zahlungen des Zuwendungsgebers: Abruf/Eingang erfassen, bearbeiten, stornieren, Rückzahlung."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None):
        super().__init__(ctx, "payments", noun=("Zahlung", "Zahlungen"),
                         filter_hint="Aktenzeichen, Kassenzeichen, Bemerkung",
                         empty_text="Noch keine Zahlungen erfasst.", grow="note",
                         blanks={"received_on": "noch offen"}, parent=parent)
        self.new_button = _button(self, "&Zahlung erfassen …", self.new_payment, tip="Strg+N")
        self.edit_button = _button(self, "&Bearbeiten …", self.edit_selected,
                                   tip="z. B. den Eingang eines Abrufs buchen")
        self.reverse_button = _button(self, "&Stornieren …", self.reverse_selected)
        self.repay_button = _button(self, "&Rückzahlung …", self.repay)
        self.activated.connect(self.edit_payment)

    def new_payment(self) -> PaymentDialog:
        dialog = PaymentDialog(self.ctx, parent=self)
        dialog.open()
        return dialog

    def edit_payment(self, payment_id: int) -> PaymentDialog:
        dialog = PaymentDialog(self.ctx, payment_id=payment_id, parent=self)
        dialog.open()
        return dialog

    def edit_selected(self) -> None:
        payment_id = self._selected_or_tell("eine Zahlung")
        if payment_id is not None:
            self.edit_payment(payment_id)

    def reverse_selected(self) -> ReversalDialog | None:
        payment_id = self._selected_or_tell("eine Zahlung")
        if payment_id is None:
            return None
        ws = self.ctx.workspace
        payment = ws.payment(payment_id)
        dialog = ReversalDialog(
            self.ctx, what=f"Zahlung über {format_cents(payment.amount_cents)} "
                           f"({payment.cash_ref or 'ohne Kassenzeichen'}) stornieren.",
            reverse=lambda reason, day: ws.reverse_payment(payment_id, reason, on=day), parent=self)
        dialog.open()
        return dialog

    def repay(self) -> RepaymentDialog:
        dialog = RepaymentDialog(self.ctx, parent=self)
        dialog.open()
        return dialog


class ReceiptsPage(_MoneyListPage):
    """Belege: schnelle Erfassung, Bearbeiten, Storno mit Grund, Scan ansehen, Import."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None):
        super().__init__(ctx, "receipts", noun=("Beleg", "Belege"), filter_hint="Empfänger, Zweck, Kostenart, Person",
                         empty_text="Noch keine Belege erfasst.", shrink=("payee", "purpose", "category", "person"),
                         hidden=("paid_on",), parent=parent)
        self.new_button = _button(self, "Belege &erfassen …", self.enter_receipts, tip="Strg+N")
        self.edit_button = _button(self, "&Bearbeiten …", self.edit_selected)
        self.reverse_button = _button(self, "&Stornieren …", self.reverse_selected)
        self.scan_button = _button(self, "S&can öffnen", self.open_scan)
        self.import_button = _button(self, "&Importieren …", self.import_receipts,
                                     tip="CSV oder XLSX aus der Finanzsoftware")
        self.activated.connect(self.edit_receipt)
        self._scan_folder: Path | None = None

    def enter_receipts(self) -> ReceiptEntryDialog:
        dialog = ReceiptEntryDialog(self.ctx, parent=self)
        dialog.open()
        return dialog

    def edit_receipt(self, receipt_id: int) -> ReceiptEntryDialog | None:
        ws = self.ctx.workspace
        if ws.receipt_locked(receipt_id):
            messages.info(self, "Gesperrt", "Der Beleg gehört zu einem eingereichten Nachweis und kann nicht mehr "
                                            "geändert werden. Korrekturen bitte mit „Stornieren“.")
            return None
        dialog = ReceiptEntryDialog(self.ctx, receipt_id=receipt_id, parent=self)
        dialog.open()
        return dialog

    def edit_selected(self) -> None:
        receipt_id = self._selected_or_tell("einen Beleg")
        if receipt_id is not None:
            self.edit_receipt(receipt_id)

    def reverse_selected(self) -> ReversalDialog | None:
        receipt_id = self._selected_or_tell("einen Beleg")
        if receipt_id is None:
            return None
        ws = self.ctx.workspace
        r = ws.receipt(receipt_id)
        dialog = ReversalDialog(
            self.ctx, what=f"Beleg {r.list_kind.value}-{r.number:04d} vom {format_date(r.receipt_date)} "
                           f"({r.payee}, {format_cents(r.amount_cents)}) stornieren.",
            reverse=lambda reason, day: ws.reverse_receipt(receipt_id, reason, on=day), parent=self)
        dialog.open()
        return dialog

    def open_scan(self) -> Path | None:
        """Write the stored scan to a temporary file and open it with the system viewer."""
        receipt_id = self._selected_or_tell("einen Beleg")
        if receipt_id is None:
            return None
        ws = self.ctx.workspace
        receipt = ws.receipt(receipt_id)
        if receipt.attachment_id is None:
            messages.info(self, "Kein Scan", "Zu diesem Beleg ist kein Scan gespeichert.")
            return None
        try:
            info = ws.attachment(receipt.attachment_id)
            content = ws.attachment_content(receipt.attachment_id)
        except PaktDeskError as err:
            messages.warn(self, "Scan nicht lesbar", str(err))
            return None
        if self._scan_folder is None:
            self._scan_folder = Path(tempfile.mkdtemp(prefix="paktdesk-scan-"))
        path = self._scan_folder / Path(info.filename).name
        atomic.write_bytes(path, content)  # a viewer never sees half a file
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        return path

    def import_receipts(self) -> ReceiptImportDialog:
        dialog = ReceiptImportDialog(self.ctx, parent=self)
        dialog.open()
        return dialog


class PassThroughPage(_MoneyListPage):
    """Weiterleitungen an Träger: Vereinbarung, Auszahlungen (mit Storno) und Nachweis des Trägers."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None):
        super().__init__(ctx, "pass_throughs", noun=("Weiterleitung", "Weiterleitungen"),
                         filter_hint="Träger, Aktenzeichen, Zeichen",
                         empty_text="Noch keine Weiterleitungen vereinbart.", shrink=("provider", "reference"),
                         parent=parent)
        self.new_button = _button(self, "&Vereinbarung …", self.new_agreement, tip="Strg+N")
        self.pay_button = _button(self, "Aus&zahlung …", self.pay_selected)
        self.proof_button = _button(self, "&Nachweis des Trägers …", self.proof_selected)
        self.reverse_button = _button(self, "Auszahlung s&tornieren …", self.reverse_payment)
        self.activated.connect(self.pay)

    def new_agreement(self) -> AgreementDialog:
        dialog = AgreementDialog(self.ctx, parent=self)
        dialog.open()
        return dialog

    def pay(self, pass_through_id: int) -> PassThroughPaymentDialog:
        dialog = PassThroughPaymentDialog(self.ctx, pass_through_id=pass_through_id, parent=self)
        dialog.open()
        return dialog

    def pay_selected(self) -> None:
        record_id = self._selected_or_tell("eine Weiterleitung")
        if record_id is not None:
            self.pay(record_id)

    def proof_selected(self) -> ProviderProofDialog | None:
        record_id = self._selected_or_tell("eine Weiterleitung")
        if record_id is None:
            return None
        dialog = ProviderProofDialog(self.ctx, pass_through_id=record_id, parent=self)
        dialog.open()
        return dialog

    def reverse_payment(self) -> ReversalDialog | None:
        record_id = self._selected_or_tell("eine Weiterleitung")
        if record_id is None:
            return None
        ws = self.ctx.workspace
        reversed_ids = {z.reversal_of for z in ws.pass_through_payments(record_id) if z.reversal_of}
        payments = [z for z in ws.pass_through_payments(record_id) if z.reversal_of is None and z.id not in reversed_ids]
        if not payments:
            messages.info(self, "Keine Auszahlung", "Für diese Weiterleitung gibt es keine stornierbare Auszahlung.")
            return None
        labels = [f"{format_date(z.paid_on)} · {format_cents(z.amount_cents)}" for z in payments]
        choice, ok = QInputDialog.getItem(self, "Auszahlung stornieren", "Welche Auszahlung?", labels, 0, False)
        if not ok:
            return None
        payment = payments[labels.index(choice)]
        dialog = ReversalDialog(
            self.ctx, what=f"Auszahlung vom {format_date(payment.paid_on)} über {format_cents(payment.amount_cents)} "
                           "stornieren.",
            reverse=lambda reason, day: ws.reverse_pass_through_payment(payment.id, reason, on=day), parent=self)
        dialog.open()
        return dialog
