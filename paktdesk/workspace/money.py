"""Use cases of money in and out: payments from the grantor, receipts (Belege) with scans,
pass-through to providers, reversals (Storno), the receipt import, plan vs. actual and the series
for charts.

Once a proof of use is submitted for a period, the receipts, received payments and pass-through
payments dated in it are locked: they are never changed or deleted, only reversed by a new row
with a reason (the database refuses the rest, too: migration 0003)."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..core import checks
from ..core import entities as e
from ..core.balance_series import MonthlySeries, PersonBar, monthly_series, person_bars
from ..core.balances import DecisionBalance, DecisionMoney, decision_balance
from ..core.errors import LockedError, ValidationError
from ..core.money import format_cents
from ..core.periods import format_date
from ..core.validation import optional_text
from ..db import attachments as attachments_db
from ..db import balance_queries as balance_db
from ..db import grants as grants_db
from ..db import (
    money_listings,  # noqa: F401 - registers the pass-through list
    repo,
)
from ..db import profile as profile_db
from ..db.audit import now_utc
from .base import Change, WorkspaceBase
from ..core.os_errors import reason as os_reason

MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024
if TYPE_CHECKING:
    from ..exchange import receipt_import as ri

IMPORT_MAPPING_SETTING = "receipt_import_mapping"
IMPORT_PROFILES_SETTING = "receipt_import_profiles"

LOCKED_RECEIPT = ("Der Beleg gehört zu einem eingereichten Nachweis und kann nicht mehr geändert "
                  "werden. Bitte stornieren (mit Grund) und neu erfassen.")
LOCKED_PAYMENT = ("Die Zahlung gehört zu einem eingereichten Nachweis und kann nicht mehr geändert "
                  "werden. Bitte stornieren (mit Grund) und neu erfassen.")
LOCKED_PASS_THROUGH = ("Die Weiterleitungszahlung gehört zu einem eingereichten Nachweis und kann nicht "
                       "mehr geändert werden. Bitte stornieren (mit Grund).")


@functools.cache
def _receipt_import():
    """The receipt import (CSV/XLSX reading) only when receipts are imported or compared; cached,
    as the duplicate check asks for it twice per row of a 20,000-row import."""
    from ..exchange import receipt_import

    return receipt_import


def _key_text(text: str) -> str:
    return _receipt_import().normalize_key_text(text)


@dataclass(slots=True)
class _ReceiptContext:
    """What checking a receipt against its decision needs, loaded once (one receipt or an import)."""

    decision: e.Decision
    version: e.DecisionVersion
    categories: dict[str, e.CostCategory]
    person_ids: set[int]  # persons with a position in the decision
    persons: dict[int, e.Person]
    locked: list[tuple[date, date]]
    keys: dict[tuple, str] = field(default_factory=dict)  # duplicate key → "P-0012"
    category_names: dict[str, str] = field(default_factory=dict)  # code or label (normalised) → code

    def is_locked(self, day: date) -> bool:
        return any(first <= day <= last for first, last in self.locked)


def _receipt_label(list_kind: str, number: int) -> str:
    return f"{list_kind}-{number:04d}"


class MoneyUseCases(WorkspaceBase):
    # --- attachments -------------------------------------------------------------------------
    def add_attachment(self, path: Path | str, content: bytes | None = None, *,
                       filename: str | None = None) -> Change:
        """Store a scan or document in the data file (identical content is stored once).
        ``path`` is read unless ``content`` is given (then only its name counts).
        ``Change.ids`` holds the attachment's id."""
        path = Path(path)
        name = (filename or path.name).strip()
        if content is None:
            try:
                size = path.stat().st_size
                if size > MAX_ATTACHMENT_BYTES:
                    raise ValidationError(self._too_big(name), field="attachment")
                content = path.read_bytes()
            except FileNotFoundError:
                raise ValidationError(f"Die Datei „{name}“ gibt es nicht (mehr).", field="attachment") from None
            except IsADirectoryError:
                raise ValidationError(f"„{name}“ ist ein Ordner, keine Datei.", field="attachment") from None
            except OSError as err:
                raise ValidationError(f"Die Datei „{name}“ kann nicht gelesen werden ({os_reason(err)}).",
                                      field="attachment") from None
        if not name:
            raise ValidationError("Die Anlage braucht einen Dateinamen.", field="attachment")
        if len(content) > MAX_ATTACHMENT_BYTES:
            raise ValidationError(self._too_big(name), field="attachment")
        if not content:
            raise ValidationError(f"Die Datei „{name}“ ist leer.", field="attachment")
        digest = hashlib.sha256(content).hexdigest()
        same = attachments_db.find_same(self.store, digest, len(content))
        if same is not None:
            return Change("Anlage bereits vorhanden", "attachments", (same.id,))
        import mimetypes

        mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
        with self._action("Anlage gespeichert") as act:
            row = attachments_db.insert(self.store, filename=name[:255], mime=mime, content=content,
                                        sha256=digest, now=now_utc())
            act.audit("attachments", row["id"], None, row)
        return self._done(Change("Anlage gespeichert", "attachments", (row["id"],)))

    @staticmethod
    def _too_big(name: str) -> str:
        return (f"Die Datei „{name}“ ist größer als {MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB. "
                "Bitte mit geringerer Auflösung scannen oder als PDF verkleinern.")

    def attachment(self, attachment_id: int) -> e.Attachment:
        return attachments_db.get(self.store, attachment_id)

    def attachment_content(self, attachment_id: int) -> bytes:
        """The stored bytes, checked against their SHA-256 (a damaged scan is reported, not shown)."""
        info = attachments_db.get(self.store, attachment_id)
        content = attachments_db.content(self.store, attachment_id)
        if hashlib.sha256(content).hexdigest() != info.sha256 or len(content) != info.size:
            raise ValidationError(f"Die Anlage „{info.filename}“ ist beschädigt (Prüfsumme stimmt nicht). "
                                  "Bitte eine Sicherung zurückspielen.")
        return content

    # --- payments ----------------------------------------------------------------------------
    def payments(self, decision_id: int) -> list[e.Payment]:
        return repo.find(self.store, e.Payment, "decision_id = ?", [decision_id],
                         order_by="coalesce(received_on, requested_on), id")

    def payment(self, payment_id: int) -> e.Payment:
        return repo.get(self.store, e.Payment, payment_id)

    def _live_decision_for_money(self, decision_id: int) -> e.Decision:
        decision = repo.get(self.store, e.Decision, decision_id)
        if decision.deleted_at:
            raise ValidationError(f"Der Bescheid {decision.file_number} liegt im Papierkorb.")
        return decision

    def _check_payment(self, payment: e.Payment) -> e.Payment:
        if payment.reversal_of is not None:
            raise ValidationError("Stornobuchungen bitte über „Stornieren“ erfassen.")
        decision = self._live_decision_for_money(payment.decision_id)
        payment = checks.check_payment(payment)
        if payment.requested_on is None and payment.received_on is None:
            raise ValidationError("Bitte das Abrufdatum oder das Eingangsdatum angeben.", field="received_on")
        cash_ref = optional_text(payment.cash_ref, label="Das Kassenzeichen", field="cash_ref", max_length=100)
        note = optional_text(payment.note, label="Die Bemerkung", field="note", max_length=1000)
        decided = grants_db.current_version(self.store, decision.id).amount_cents
        booked = grants_db.payments_booked(self.store, decision.id, except_id=payment.id)
        if booked + payment.amount_cents > decided:
            raise ValidationError(
                f"Mit dieser Zahlung ({format_cents(payment.amount_cents)}) wären {format_cents(booked + payment.amount_cents)} "
                f"abgerufen oder erhalten – mehr als bewilligt ({format_cents(decided)}). "
                f"Höchstens {format_cents(max(0, decided - booked))} sind noch offen.", field="amount")
        return dataclasses.replace(payment, cash_ref=cash_ref, note=note)

    def record_payment(self, payment: e.Payment) -> Change:
        """A payment requested from and/or received from the grantor (Mittelabruf, Eingang)."""
        payment = self._check_payment(dataclasses.replace(payment, id=None))
        with self._action("Zahlung erfasst") as act:
            new_id = self._insert(act, payment)
        return self._done(Change("Zahlung erfasst", "payments", (new_id,)))

    def update_payment(self, payment: e.Payment) -> Change:
        current = self.payment(payment.id)
        self._refuse_changed_payment(current)
        if payment.decision_id != current.decision_id:
            raise ValidationError("Eine Zahlung kann nicht zu einem anderen Bescheid verschoben werden.")
        payment = self._check_payment(payment)
        with self._action("Zahlung geändert") as act:
            self._update(act, payment)
        return self._done(Change("Zahlung geändert", "payments", (payment.id,)))

    def mark_payment_received(self, payment_id: int, received_on: date, *, cash_ref: str | None = None) -> Change:
        """A requested payment has arrived."""
        current = self.payment(payment_id)
        changed = dataclasses.replace(current, received_on=received_on,
                                      cash_ref=current.cash_ref if cash_ref is None else cash_ref)
        return self.update_payment(changed)

    def _refuse_changed_payment(self, current: e.Payment) -> None:
        if current.reversal_of is not None:
            raise ValidationError("Eine Stornobuchung kann nicht geändert werden.")
        if grants_db.is_reversed(self.store, "payments", current.id):
            raise ValidationError("Die Zahlung ist storniert und kann nicht mehr geändert werden.")
        if grants_db.payment_locked(self.store, current.decision_id,
                                    current.received_on.isoformat() if current.received_on else None):
            raise LockedError(LOCKED_PAYMENT)

    def delete_payment(self, payment_id: int) -> Change:
        """Remove a payment entered by mistake (only while not locked; otherwise reverse it)."""
        current = self.payment(payment_id)
        self._refuse_changed_payment(current)
        with self._action("Zahlung gelöscht") as act:
            old = grants_db.delete_money_row(self.store, "payments", payment_id)
            act.audit("payments", payment_id, old, None)
        return self._done(Change("Zahlung gelöscht", "payments", (payment_id,)))

    def reverse_payment(self, payment_id: int, reason: str, *, on: date | None = None) -> Change:
        """Storno: a new row with the negative amount, pointing at the original; the audit log
        records both rows."""
        reason = self._reason(reason)
        original = self.payment(payment_id)
        self._refuse_second_reversal("payments", original.id, original.reversal_of, "Zahlung")
        day = on or date.today()
        with self._action("Zahlung storniert") as act:
            reversal = dataclasses.replace(
                original, id=None, amount_cents=-original.amount_cents, reversal_of=payment_id,
                reversal_reason=reason,
                requested_on=day if original.requested_on and not original.received_on else original.requested_on,
                received_on=day if original.received_on else None)
            if reversal.requested_on and reversal.received_on and reversal.received_on < reversal.requested_on:
                reversal = dataclasses.replace(reversal, requested_on=None)
            new_id = self._insert(act, reversal)
            act.audit("payments", payment_id, None, {"storniert_durch": new_id, "grund": reason})
        return self._done(Change("Zahlung storniert", "payments", (new_id,)))

    def record_repayment(self, decision_id: int, amount_cents: int, paid_on: date, *,
                         cash_ref: str = "", note: str = "") -> Change:
        """Money paid back to the grantor (after a Rückforderung): a payment row with a negative
        amount, so "received" is net of it."""
        self._live_decision_for_money(decision_id)
        checks.check_amount(amount_cents, label="Der zurückgezahlte Betrag")
        received = sum(p.amount_cents for p in self.payments(decision_id) if p.received_on)
        if amount_cents > received:
            raise ValidationError(f"Es können höchstens die erhaltenen {format_cents(received)} zurückgezahlt "
                                  "werden.", field="amount")
        payment = e.Payment(None, decision_id, None, paid_on, -amount_cents,
                            cash_ref=optional_text(cash_ref, label="Das Kassenzeichen", field="cash_ref",
                                                   max_length=100),
                            note=("Rückzahlung " + optional_text(note, label="Die Bemerkung", field="note",
                                                                 max_length=900)).strip())
        with self._action("Rückzahlung erfasst") as act:
            new_id = self._insert(act, payment)
        return self._done(Change("Rückzahlung erfasst", "payments", (new_id,)))

    def open_remainder(self, decision_id: int) -> dict[str, int]:
        """Decided, requested (not yet received), received, and what is still open."""
        decided = grants_db.current_version(self.store, decision_id).amount_cents
        payments = self.payments(decision_id)
        received = sum(p.amount_cents for p in payments if p.received_on)
        requested = sum(p.amount_cents for p in payments if not p.received_on and p.requested_on)
        return {"decided": decided, "received": received, "requested_open": requested,
                "open": decided - received, "requestable": decided - received - requested}

    # --- receipts ----------------------------------------------------------------------------
    def receipts(self, decision_id: int) -> list[e.Receipt]:
        return repo.find(self.store, e.Receipt, "decision_id = ?", [decision_id],
                         order_by="list_kind, receipt_date, number")

    def receipt(self, receipt_id: int) -> e.Receipt:
        return repo.get(self.store, e.Receipt, receipt_id)

    def next_receipt_number(self, decision_id: int, list_kind: e.ListKind | str) -> int:
        return grants_db.next_receipt_number(self.store, decision_id, str(list_kind))

    def receipt_locked(self, receipt_id: int) -> bool:
        r = self.receipt(receipt_id)
        return grants_db.receipt_locked(self.store, r.decision_id, r.receipt_date.isoformat())

    def _receipt_context(self, decision_id: int, *,
                         pairs: list[tuple[str, int]] | None = None) -> _ReceiptContext:
        decision = self._live_decision_for_money(decision_id)
        version = grants_db.current_version(self.store, decision_id)
        person_ids = grants_db.decision_person_ids(self.store, decision_id)
        persons = {p.id: p for p in repo.find(self.store, e.Person)}
        locked = [(s.first_day, s.last_day) for s in
                  repo.find(self.store, e.ProofSubmission, "decision_id = ?", [decision_id])]
        context = _ReceiptContext(decision, version, {c.code: c for c in profile_db.cost_categories(self.store)},
                                  person_ids, persons, locked)
        if pairs:
            for day, amount, payee, purpose, kind, number in grants_db.receipt_keys(self.store, decision_id, pairs):
                context.keys.setdefault((day, amount, _key_text(payee), _key_text(purpose)),
                                        _receipt_label(kind, number))
        return context

    def _receipt_problems(self, receipt: e.Receipt, ctx: _ReceiptContext, *,
                          check_lock: bool = True) -> tuple[list[str], list[str]]:
        """(errors, warnings) of a receipt against its decision. Shared by entry and import."""
        errors: list[str] = []
        warnings: list[str] = []
        category = ctx.categories.get(receipt.cost_category)
        if category is None:
            errors.append(f"Unbekannte Kostenart „{receipt.cost_category}“.")
        elif category.list_kind != receipt.list_kind:
            errors.append(f"Die Kostenart „{category.label}“ gehört zu den "
                          f"{category.list_kind.label}, nicht zu den {e.ListKind(receipt.list_kind).label}.")
        version = ctx.version
        if receipt.reversal_of is None and not version.first_day <= receipt.receipt_date <= version.last_day:
            errors.append(f"Das Belegdatum {format_date(receipt.receipt_date)} liegt außerhalb des "
                          f"Bewilligungszeitraums {version.period.format()}.")
        if receipt.person_id is not None:
            person = ctx.persons.get(receipt.person_id)
            if person is None:
                errors.append(f"Die Person Nr. {receipt.person_id} gibt es nicht.")
            elif (ctx.decision.funding_area == e.FundingArea.INTEGRATION_MANAGEMENT
                  and receipt.person_id not in ctx.person_ids):
                errors.append(f"{person.full_name} hat in diesem Bescheid keine Stelle.")
        if not version.first_day.year <= receipt.budget_year <= version.last_day.year + 1:
            warnings.append(f"Das Haushaltsjahr {receipt.budget_year} liegt außerhalb der Jahre des Bescheids "
                            f"({version.first_day.year}–{version.last_day.year}).")
        if check_lock and receipt.reversal_of is None and ctx.is_locked(receipt.receipt_date):
            errors.append("Für diesen Zeitraum ist der Nachweis eingereicht; neue Belege sind dort nicht "
                          "mehr möglich.")
        return errors, warnings

    def find_duplicate_receipt(self, receipt: e.Receipt) -> str | None:
        """The number of a booked, not reversed receipt of the same decision with the same date,
        amount, payee and purpose (case and spacing ignored), or None."""
        for _id, kind, number, payee, purpose in grants_db.receipt_candidates(
                self.store, receipt.decision_id, receipt.receipt_date.isoformat(), receipt.amount_cents,
                except_id=receipt.id):
            if _key_text(payee) == _key_text(receipt.payee) and _key_text(purpose) == _key_text(receipt.purpose):
                return _receipt_label(kind, number)
        return None

    def _clean_receipt(self, receipt: e.Receipt, *, allow_duplicate: bool) -> tuple[e.Receipt, list[str]]:
        receipt = checks.check_receipt(receipt)
        ctx = self._receipt_context(receipt.decision_id)
        if ctx.is_locked(receipt.receipt_date):
            raise LockedError("Für diesen Zeitraum ist der Nachweis eingereicht; neue Belege sind dort nicht "
                              "mehr möglich. Korrekturen bitte als Storno.")
        errors, warnings = self._receipt_problems(receipt, ctx, check_lock=False)
        if errors:
            raise ValidationError(" ".join(errors), field="receipt")
        if grants_db.receipt_number_taken(self.store, receipt.decision_id, str(receipt.list_kind),
                                          receipt.number, receipt.id):
            raise ValidationError(
                f"Die Belegnummer {_receipt_label(str(receipt.list_kind), receipt.number)} ist in diesem "
                "Bescheid schon vergeben.", field="number")
        duplicate = self.find_duplicate_receipt(receipt)
        if duplicate and not allow_duplicate:
            raise ValidationError(
                f"Dieser Beleg scheint schon erfasst zu sein ({duplicate}: gleiches Datum, gleicher Betrag, "
                "Empfänger und Zweck). Wirklich ein zweites Mal buchen?", field="duplicate")
        if duplicate:
            warnings.append(f"Gleicher Beleg wie {duplicate} bewusst ein zweites Mal gebucht.")
        return receipt, warnings

    def add_receipt(self, receipt: e.Receipt, *, allow_duplicate: bool = False) -> Change:
        """Book a receipt; number 0 means "the next free number of its list" (P or S). A receipt
        that looks like one already booked is refused unless ``allow_duplicate``."""
        if receipt.reversal_of is not None:
            raise ValidationError("Stornobuchungen bitte über „Stornieren“ erfassen.")
        receipt = dataclasses.replace(receipt, id=None, list_kind=e.ListKind(receipt.list_kind))
        with self._action("Beleg erfasst") as act:
            if receipt.number == 0:
                receipt = dataclasses.replace(receipt, number=self.next_receipt_number(
                    receipt.decision_id, receipt.list_kind))
            receipt, warnings = self._clean_receipt(receipt, allow_duplicate=allow_duplicate)
            new_id = self._insert(act, receipt)
        return self._done(Change("Beleg erfasst", "receipts", (new_id,), tuple(warnings)))

    def _refuse_changed_receipt(self, current: e.Receipt) -> None:
        if grants_db.receipt_locked(self.store, current.decision_id, current.receipt_date.isoformat()):
            raise LockedError(LOCKED_RECEIPT)
        if current.reversal_of is not None:
            raise ValidationError("Eine Stornobuchung kann nicht geändert werden.")
        if grants_db.is_reversed(self.store, "receipts", current.id):
            raise ValidationError("Der Beleg ist storniert und kann nicht mehr geändert werden.")

    def update_receipt(self, receipt: e.Receipt, *, allow_duplicate: bool = False) -> Change:
        current = self.receipt(receipt.id)
        self._refuse_changed_receipt(current)
        if receipt.decision_id != current.decision_id:
            raise ValidationError("Ein Beleg kann nicht zu einem anderen Bescheid verschoben werden.")
        receipt, warnings = self._clean_receipt(
            dataclasses.replace(receipt, list_kind=e.ListKind(receipt.list_kind), reversal_of=None,
                                reversal_reason=""), allow_duplicate=allow_duplicate)
        if receipt == current:
            return Change("Beleg unverändert", "receipts", (receipt.id,))
        with self._action("Beleg geändert") as act:
            self._update(act, receipt)
        return self._done(Change("Beleg geändert", "receipts", (receipt.id,), tuple(warnings)))

    def attach_to_receipt(self, receipt_id: int, attachment_id: int | None) -> Change:
        current = self.receipt(receipt_id)
        self._refuse_changed_receipt(current)
        if attachment_id is not None:
            self.attachment(attachment_id)
        with self._action("Beleg-Anlage geändert") as act:
            self._update(act, dataclasses.replace(current, attachment_id=attachment_id))
        return self._done(Change("Beleg-Anlage geändert", "receipts", (receipt_id,)))

    def delete_receipt(self, receipt_id: int) -> Change:
        """Remove a receipt entered by mistake (only while not locked; otherwise reverse it)."""
        current = self.receipt(receipt_id)
        self._refuse_changed_receipt(current)
        with self._action("Beleg gelöscht") as act:
            old = grants_db.delete_money_row(self.store, "receipts", receipt_id)
            act.audit("receipts", receipt_id, old, None)
        return self._done(Change("Beleg gelöscht", "receipts", (receipt_id,)))

    def reverse_receipt(self, receipt_id: int, reason: str, *, on: date | None = None) -> Change:
        """Storno: a new row with the negative amount and the next number of its list, pointing
        at the original; possible also after the proof of use was submitted."""
        reason = self._reason(reason)
        original = self.receipt(receipt_id)
        self._refuse_second_reversal("receipts", original.id, original.reversal_of, "Beleg")
        day = on or date.today()
        with self._action("Beleg storniert") as act:
            reversal = dataclasses.replace(
                original, id=None, amount_cents=-original.amount_cents, reversal_of=receipt_id,
                reversal_reason=reason, attachment_id=None,
                number=self.next_receipt_number(original.decision_id, original.list_kind),
                receipt_date=day, paid_on=day if original.paid_on else None)
            new_id = self._insert(act, reversal)
            act.audit("receipts", receipt_id, None, {"storniert_durch": new_id, "grund": reason})
        return self._done(Change("Beleg storniert", "receipts", (new_id,)))

    def _reason(self, reason: str) -> str:
        text = (reason or "").strip()
        if not text:
            raise ValidationError("Bitte einen Grund für die Stornierung angeben.", field="reason")
        return optional_text(text, label="Der Grund", field="reason", max_length=500)

    def _refuse_second_reversal(self, table: str, row_id: int, reversal_of: int | None, label: str) -> None:
        if reversal_of is not None:
            raise ValidationError("Eine Stornobuchung kann nicht storniert werden.")
        if grants_db.is_reversed(self.store, table, row_id):
            raise ValidationError(f"{'Diese' if label == 'Zahlung' else 'Dieser'} {label} ist bereits storniert.")

    # --- pass-through ------------------------------------------------------------------------
    def pass_throughs(self, decision_id: int) -> list[e.PassThrough]:
        return repo.find(self.store, e.PassThrough, "decision_id = ?", [decision_id])

    def pass_through(self, pass_through_id: int) -> e.PassThrough:
        return repo.get(self.store, e.PassThrough, pass_through_id)

    def pass_through_payments(self, pass_through_id: int) -> list[e.PassThroughPayment]:
        return repo.find(self.store, e.PassThroughPayment, "pass_through_id = ?", [pass_through_id],
                         order_by="paid_on, id")

    def provider_proofs(self, pass_through_id: int) -> list[e.ProviderProof]:
        return repo.find(self.store, e.ProviderProof, "pass_through_id = ?", [pass_through_id],
                         order_by="received_on, id")

    def add_pass_through(self, item: e.PassThrough) -> Change:
        """Weiterleitungsvereinbarung with a provider over part of a decision's money."""
        item = checks.check_pass_through(dataclasses.replace(item, id=None))
        self._live_decision_for_money(item.decision_id)
        provider = repo.get(self.store, e.Provider, item.provider_id)
        if provider.deleted_at:
            raise ValidationError(f"Der Träger {provider.name} liegt im Papierkorb.", field="provider")
        item = dataclasses.replace(
            item, reference=optional_text(item.reference, label="Das Zeichen der Vereinbarung", field="reference",
                                          max_length=200),
            note=optional_text(item.note, label="Die Bemerkung", field="note", max_length=1000))
        warnings = []
        decided = grants_db.current_version(self.store, item.decision_id).amount_cents
        agreed = grants_db.pass_through_agreed(self.store, item.decision_id) + item.amount_cents
        if agreed > decided:
            warnings.append(f"Zusammen werden {format_cents(agreed)} weitergeleitet, mehr als bewilligt "
                            f"({format_cents(decided)}).")
        with self._action("Weiterleitung vereinbart") as act:
            new_id = self._insert(act, item)
        return self._done(Change("Weiterleitung vereinbart", "pass_throughs", (new_id,), tuple(warnings)))

    def pay_pass_through(self, item: e.PassThroughPayment) -> Change:
        """Money paid on to the provider under an agreement (never more than agreed)."""
        if item.reversal_of is not None:
            raise ValidationError("Stornobuchungen bitte über „Stornieren“ erfassen.")
        checks.check_amount(item.amount_cents, label="Der weitergeleitete Betrag")
        agreement = repo.get(self.store, e.PassThrough, item.pass_through_id)
        self._live_decision_for_money(agreement.decision_id)
        if grants_db.is_locked(self.store, agreement.decision_id, item.paid_on.isoformat()):
            raise LockedError("Für diesen Zeitraum ist der Nachweis eingereicht; neue Weiterleitungszahlungen "
                              "sind dort nicht mehr möglich.")
        paid = grants_db.pass_through_paid(self.store, agreement.id)
        if paid + item.amount_cents > agreement.amount_cents:
            raise ValidationError(
                f"Vereinbart sind {format_cents(agreement.amount_cents)}, ausgezahlt schon {format_cents(paid)}; "
                f"höchstens {format_cents(agreement.amount_cents - paid)} können noch weitergeleitet werden.",
                field="amount")
        item = dataclasses.replace(item, id=None, note=optional_text(item.note, label="Die Bemerkung",
                                                                     field="note", max_length=1000))
        with self._action("Weiterleitung ausgezahlt") as act:
            new_id = self._insert(act, item)
        return self._done(Change("Weiterleitung ausgezahlt", "pass_through_payments", (new_id,)))

    def reverse_pass_through_payment(self, payment_id: int, reason: str, *, on: date | None = None) -> Change:
        reason = self._reason(reason)
        original = repo.get(self.store, e.PassThroughPayment, payment_id)
        self._refuse_second_reversal("pass_through_payments", original.id, original.reversal_of,
                                     "Weiterleitungszahlung")
        with self._action("Weiterleitungszahlung storniert") as act:
            reversal = dataclasses.replace(original, id=None, amount_cents=-original.amount_cents,
                                           paid_on=on or date.today(), reversal_of=payment_id,
                                           reversal_reason=reason)
            new_id = self._insert(act, reversal)
            act.audit("pass_through_payments", payment_id, None, {"storniert_durch": new_id, "grund": reason})
        return self._done(Change("Weiterleitungszahlung storniert", "pass_through_payments", (new_id,)))

    def add_provider_proof(self, item: e.ProviderProof) -> Change:
        """The provider's own proof of use for the money passed on (with its scan)."""
        checks.check_amount(item.spent_cents, label="Der nachgewiesene Betrag", allow_zero=True)
        repo.get(self.store, e.PassThrough, item.pass_through_id)
        if item.attachment_id is not None:
            self.attachment(item.attachment_id)
        item = dataclasses.replace(item, id=None, note=optional_text(item.note, label="Die Bemerkung",
                                                                     field="note", max_length=1000))
        with self._action("Nachweis des Trägers erfasst") as act:
            new_id = self._insert(act, item)
        return self._done(Change("Nachweis des Trägers erfasst", "provider_proofs", (new_id,)))

    # --- plan vs. actual, charts -------------------------------------------------------------
    def decision_money(self, decision_id: int) -> DecisionMoney:
        """The stored rows behind a decision's figures (for reports and exports, too)."""
        return balance_db.decision_money(self.store, decision_id)

    def balance(self, decision_id: int) -> DecisionBalance:
        """Plan vs. actual of one decision: totals, per person, per year, per cost category,
        per provider, and the positions with decided beside computed amounts."""
        return decision_balance(self.decision_money(decision_id))

    def balances(self) -> list[DecisionBalance]:
        return [self.balance(i) for i in balance_db.decision_ids(self.store)]

    def money_series(self, decision_id: int, *, until: date | None = None) -> MonthlySeries:
        return monthly_series(self.decision_money(decision_id), until=until)

    def person_bars(self, decision_id: int) -> tuple[PersonBar, ...]:
        return person_bars(self.decision_money(decision_id))

    # --- receipt import ----------------------------------------------------------------------
    def import_mapping(self) -> dict[str, str]:
        """The column mapping the clerk used last time (remembered in the data file)."""
        value = profile_db.get_setting(self.store, IMPORT_MAPPING_SETTING, {})
        return {k: v for k, v in value.items() if isinstance(k, str) and isinstance(v, str)} \
            if isinstance(value, dict) else {}

    def import_profiles(self) -> dict[str, dict]:
        """Saved column profiles ("SAP Einzelposten", "Buchungsjournal Kasse"): name →
        ``{"headers": [...], "mapping": {field: header}}``, kept in the data file."""
        value = profile_db.get_setting(self.store, IMPORT_PROFILES_SETTING, {})
        profiles = {}
        for name, item in (value.items() if isinstance(value, dict) else ()):
            if not (isinstance(name, str) and isinstance(item, dict)):
                continue
            mapping = item.get("mapping") if isinstance(item.get("mapping"), dict) else {}
            headers = item.get("headers") if isinstance(item.get("headers"), list) else []
            profiles[name] = {"headers": [h for h in headers if isinstance(h, str)],
                              "mapping": {k: v for k, v in mapping.items() if isinstance(k, str) and isinstance(v, str)}}
        return profiles

    def matching_import_profile(self, headers: tuple[str, ...] | list[str]) -> str:
        """The saved profile whose columns this file has (all it maps, and most of the rest), or ""."""
        ri = _receipt_import()
        return ri.best_profile(headers, self.import_profiles())

    def preview_receipt_import(self, source: Path | str | bytes, *, decision_id: int, filename: str = "",
                               mapping: Mapping[str, str] | None = None, default_category: str | None = None,
                               skip_duplicates: bool = True, header_row: int | None = None,
                               mapping_changes: Mapping[str, str] | None = None,
                               profile: str | None = None) -> ri.ImportPreview:
        """Read the file and check every row as the import would, without writing anything.

        ``mapping`` replaces the proposal entirely; otherwise the proposal is the named
        ``profile``'s (or the saved profile matching the file's header, or the mapping used last
        time) completed from the usual column names, and ``mapping_changes`` (field → column,
        "" to leave a field unmapped) corrects it. ``header_row``: the line of the column names
        when it is not the one found. File-level problems raise
        :class:`~paktdesk.exchange.receipt_import.ImportFileError`."""
        ri = _receipt_import()
        data, filename = self._import_bytes(source, filename)
        profiles = self.import_profiles()
        table = ri.read_table(data, filename=filename, header_row=header_row,
                              profiles={profile: profiles[profile]} if profile in profiles else profiles)
        chosen = ""
        if mapping is not None:
            mapping = dict(mapping)
        else:
            if profile:
                if profile not in profiles:
                    raise ri.ImportFileError(f"Ein Spaltenprofil „{profile}“ gibt es nicht. Gespeichert sind: "
                                             + (", ".join(sorted(profiles)) or "keine") + ".")
                chosen = profile
            else:
                chosen = ri.best_profile(table.headers, profiles)
            remembered = profiles[chosen]["mapping"] if chosen else self.import_mapping()
            mapping = ri.suggest_mapping(table.headers, remembered)
            for key, header in (mapping_changes or {}).items():
                if str(header or "").strip():
                    mapping[key] = header
                else:
                    mapping.pop(key, None)
        rows = ri.parse_rows(table, mapping)
        pairs = [(r.receipt_date.isoformat(), r.amount_cents) for r in rows
                 if r.receipt_date is not None and r.amount_cents is not None and not r.skipped]
        ctx = self._receipt_context(decision_id, pairs=pairs)
        if default_category is not None and default_category not in ctx.categories:
            raise ValidationError(f"Unbekannte Kostenart „{default_category}“.", field="default_category")
        preview_rows = self._preview_rows(rows, ctx, default_category, skip_duplicates=skip_duplicates,
                                          mapping=mapping)
        return ri.ImportPreview(
            table.kind, table.encoding, table.headers, mapping, tuple(preview_rows), skip_duplicates,
            header_line=table.header_line, header_found=table.header_found,
            title_lines=tuple(" ".join(ri.cell_text(c) for c in r.cells if ri.cell_text(c)) for r in table.title_rows),
            warnings=tuple(ri.check_totals(rows)), profile=chosen)

    def _import_bytes(self, source: Path | str | bytes, filename: str) -> tuple[bytes, str]:
        ri = _receipt_import()
        if isinstance(source, bytes | bytearray):
            return bytes(source), filename
        path = Path(source)
        try:
            if path.stat().st_size > ri.MAX_BYTES:
                raise ri.ImportFileError(f"Die Datei ist zu groß (über {ri.MAX_BYTES // (1024 * 1024)} MB).")
            return path.read_bytes(), filename or path.name
        except FileNotFoundError:
            raise ri.ImportFileError(f"Die Datei „{path.name}“ gibt es nicht.") from None
        except OSError as err:
            raise ri.ImportFileError(f"Die Datei „{path.name}“ kann nicht gelesen werden ({os_reason(err)}).") from None

    def _resolve_category(self, text: str, ctx: _ReceiptContext, default: str | None) -> tuple[str | None, str]:
        if not text:
            if default:
                return default, ""
            return None, "Die Kostenart fehlt (Spalte zuordnen oder eine Standard-Kostenart wählen)."
        if not ctx.category_names:
            for code, category in ctx.categories.items():
                ctx.category_names.setdefault(_key_text(category.label), code)
                ctx.category_names[_key_text(code)] = code
        code = ctx.category_names.get(_key_text(text))
        if code is not None:
            return code, ""
        return None, f"Unbekannte Kostenart „{text[:60]}“."

    def _resolve_person(self, text: str, ctx: _ReceiptContext) -> tuple[int | None, str]:
        if not text:
            return None, ""
        wanted = _key_text(text)
        pool = [ctx.persons[i] for i in ctx.person_ids if i in ctx.persons] \
            if ctx.decision.funding_area == e.FundingArea.INTEGRATION_MANAGEMENT else \
            [p for p in ctx.persons.values() if not p.deleted_at]
        exact = [p for p in pool if wanted in (_key_text(p.sort_name), _key_text(p.full_name),
                                               _key_text(f"{p.last_name} {p.first_name}"))]
        if not exact:
            exact = [p for p in pool if wanted == _key_text(p.last_name)]
        if len(exact) == 1:
            return exact[0].id, ""
        if len(exact) > 1:
            return None, f"„{text[:60]}“ passt auf mehrere Personen; bitte „Nachname, Vorname“ angeben."
        return None, f"Die Person „{text[:60]}“ hat in diesem Bescheid keine Stelle."

    def _preview_rows(self, rows: list[ri.ImportRow], ctx: _ReceiptContext,
                      default_category: str | None, *, skip_duplicates: bool = True,
                      mapping: Mapping[str, str] | None = None) -> list[ri.PreviewRow]:
        ri = _receipt_import()
        mapping = mapping or {}

        def at(key: str, text: str) -> str:  # the message names the file's column, where there is one
            return f"Spalte „{mapping[key][:30]}“: {text}" if mapping.get(key) else text

        from ..db import receipt_references as refs_db
        result: list[ri.PreviewRow] = []
        in_file: dict[tuple, int] = {}
        numbers: set[tuple[str, int]] = set()  # numbers given in this file
        documents_in_file: dict[str, int] = {}
        booked_documents = refs_db.booked_document_numbers(
            self.store, ctx.decision.id, [dict(r.references).get("document_number", "") for r in rows])
        for row in rows:
            if row.skipped:
                result.append(ri.PreviewRow(row.line, row, None, skip_duplicates=skip_duplicates))
                continue
            errors = list(row.errors)
            code, problem = self._resolve_category(row.cost_category, ctx, default_category)
            if problem:
                errors.append(at("cost_category", problem))
            person_id, problem = self._resolve_person(row.person, ctx)
            if problem:
                errors.append(at("person", problem))
            receipt = None
            duplicate = ""
            if not errors:
                category = ctx.categories[code]
                receipt = e.Receipt(None, ctx.decision.id, category.list_kind, row.number or 0, row.receipt_date,
                                    row.paid_on, row.budget_year, row.payee, row.purpose, code, row.amount_cents,
                                    person_id)
                problems, _warnings = self._receipt_problems(receipt, ctx)
                errors.extend(problems)
                if row.number is not None:
                    key = (str(category.list_kind), row.number)
                    if key in numbers or grants_db.receipt_number_taken(self.store, ctx.decision.id, *key):
                        errors.append(f"Die laufende Nummer {_receipt_label(*key)} ist schon vergeben.")
                    numbers.add(key)
                document = dict(row.references).get("document_number", "")
                dup_key = (row.receipt_date.isoformat(), row.amount_cents, _key_text(row.payee),
                           _key_text(row.purpose))
                if document and document in booked_documents:
                    duplicate = (f"Dublette: Belegnr. {document} ist schon gebucht als "
                                 f"{_receipt_label(*booked_documents[document])}.")
                elif dup_key in ctx.keys:
                    duplicate = f"Dublette: schon gebucht als {ctx.keys[dup_key]}."
                elif dup_key in in_file:
                    duplicate = f"Dublette: gleicher Beleg wie Zeile {in_file[dup_key]} dieser Datei."
                else:
                    in_file[dup_key] = row.line
                if document and not duplicate:
                    if document in documents_in_file and dup_key in in_file and in_file[dup_key] != row.line:
                        pass
                    documents_in_file.setdefault(document, row.line)
            result.append(ri.PreviewRow(
                row.line, row, receipt if not errors else None, tuple(errors), duplicate,
                ctx.categories[code].label if code else "",
                ctx.persons[person_id].sort_name if person_id else "", skip_duplicates))
        return result

    def import_receipts(self, source: Path | str | bytes, *, decision_id: int, filename: str = "",
                        mapping: Mapping[str, str] | None = None, default_category: str | None = None,
                        skip_duplicates: bool = True, header_row: int | None = None,
                        mapping_changes: Mapping[str, str] | None = None, profile: str | None = None,
                        save_profile: str | None = None) -> Change:
        """All rows or none, in one transaction. Refused (nothing written) when any row has an
        error; duplicates and rows that are no receipts (totals) are skipped (duplicates, with
        ``skip_duplicates=False``, booked as well). Credits are booked with their negative amount.
        The finance system's references go into their own table beside each receipt. The column
        mapping is remembered for the next import, and under ``save_profile`` as a named profile."""
        ri = _receipt_import()
        from ..db import receipt_references as refs_db
        data, filename = self._import_bytes(source, filename)
        profile_name = (save_profile or "").strip()
        if len(profile_name) > 80:
            raise ValidationError("Der Name des Spaltenprofils ist zu lang (höchstens 80 Zeichen).", field="profile")
        with self._action("Belege importiert") as act:
            preview = self.preview_receipt_import(data, decision_id=decision_id, filename=filename,
                                                  mapping=mapping, default_category=default_category,
                                                  skip_duplicates=skip_duplicates, header_row=header_row,
                                                  mapping_changes=mapping_changes, profile=profile)
            if preview.error_rows:
                shown = [m for r in preview.error_rows[:5] for m in r.messages()]
                more = len(preview.error_rows) - 5
                raise ValidationError(
                    f"Import abgebrochen, es wurde nichts gespeichert: {len(preview.error_rows)} Zeile(n) mit "
                    "Fehlern. " + " ".join(shown) + (f" … und {more} weitere." if more > 0 else ""))
            if not preview.rows_to_import:
                raise ValidationError("Die Datei enthält keine neuen Belege (alle Zeilen sind Dubletten "
                                      "oder übersprungen).")
            # new numbers start above every booked one; only numbers given in the file can be in the way
            next_number = {kind: self.next_receipt_number(decision_id, kind) for kind in ("P", "S")}
            taken = {(str(r.receipt.list_kind), r.receipt.number) for r in preview.rows_to_import if r.receipt.number}
            ids = []
            pending_references: list[tuple[int, dict[str, str]]] = []
            now = now_utc()
            for row in preview.rows_to_import:
                receipt = row.receipt
                if receipt.number == 0:
                    kind = str(receipt.list_kind)
                    while (kind, next_number[kind]) in taken:
                        next_number[kind] += 1
                    receipt = dataclasses.replace(receipt, number=next_number[kind])
                    taken.add((kind, next_number[kind]))
                # checked row by row in the preview above; the references go into the receipt's
                # own audit entry (one entry per booked receipt, as for every other receipt)
                new_id, written = repo.insert(self.store, receipt, now=now)
                if row.row.references:
                    references = dict(row.row.references)
                    pending_references.append((new_id, references))
                    written = {**written, **references}
                act.audit("receipts", new_id, None, written)
                ids.append(new_id)
            refs_db.insert_many(self.store, pending_references, now=now)
            mapping_now = dict(preview.mapping)
            old = profile_db.set_setting(self.store, IMPORT_MAPPING_SETTING, mapping_now)
            if old != mapping_now:
                act.audit("settings", None, {IMPORT_MAPPING_SETTING: old}, {IMPORT_MAPPING_SETTING: mapping_now})
            if profile_name:
                profiles = self.import_profiles()
                before = profiles.get(profile_name)
                profiles[profile_name] = {"headers": [h for h in preview.headers if h], "mapping": mapping_now}
                profile_db.set_setting(self.store, IMPORT_PROFILES_SETTING, profiles)
                act.audit("settings", None, {IMPORT_PROFILES_SETTING: {profile_name: before}},
                          {IMPORT_PROFILES_SETTING: {profile_name: profiles[profile_name]}})
            act.audit("receipts", None, None, {"import": filename, "zeilen": len(preview.rows),
                                               "gebucht": len(ids), "summe_cent": preview.total_cents,
                                               "dubletten": len(preview.duplicate_rows),
                                               "uebersprungen": len(preview.skipped_rows)})
        warnings = list(preview.warnings)
        if preview.duplicate_rows:
            warnings.append(f"{len(preview.duplicate_rows)} Dubletten "
                            + ("übersprungen." if skip_duplicates else "trotzdem übernommen."))
        if preview.skipped_rows:
            warnings.append(f"{len(preview.skipped_rows)} Zeilen ohne Beleg übersprungen (Summen-, Kopf- oder "
                            "Leerzeilen der Liste).")
        if profile_name:
            warnings.append(f"Spaltenzuordnung als Profil „{profile_name}“ gespeichert.")
        return self._done(Change(f"{len(ids)} Belege importiert ({format_cents(preview.total_cents)})",
                                 "receipts", tuple(ids), tuple(warnings)))
