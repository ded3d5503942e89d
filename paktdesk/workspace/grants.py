"""Use cases of the money side: decisions with versions and positions, payments, receipts,
pass-through to providers, key figures, the narrative report and proof submission."""

from __future__ import annotations

import dataclasses
from datetime import date

from ..core import checks
from ..core import entities as e
from ..core.errors import LockedError, ValidationError
from ..core.funding import position_amount
from ..core.money import format_cents
from ..db import grants as grants_db
from ..db import repo
from ..db import rules as rules_db
from ..db.audit import now_utc
from .base import Change, WorkspaceBase


class GrantUseCases(WorkspaceBase):
    # rule sets
    def rule_sets(self) -> list[e.RuleSet]:
        return rules_db.rule_sets(self.store)

    def rule_set(self, rule_set_id: int) -> e.RuleSet:
        return rules_db.rule_set(self.store, rule_set_id)

    def rule_set_for_day(self, day: date) -> e.RuleSet | None:
        return rules_db.rule_set_for(self.store, day)

    def save_rule_set(self, rules: e.RuleSet) -> Change:
        for category, cents in rules.rates.items():
            if category not in ("a", "b", "c") or cents < 0:
                raise ValidationError(f"Ungültiger Satz für Kategorie {category}.", field="rates")
        with self._action("Regelwerk gespeichert") as act:
            old, new = rules_db.save_rule_set(self.store, rules)
            act.audit("rule_sets", new["id"], old, new)
        return self._done(Change("Regelwerk gespeichert", "rule_sets", (new["id"],)))

    # decisions
    def decisions(self) -> list[e.Decision]:
        return repo.find(self.store, e.Decision, "deleted_at IS NULL")

    def decision(self, decision_id: int) -> e.Decision:
        return repo.get(self.store, e.Decision, decision_id)

    def versions(self, decision_id: int) -> list[e.DecisionVersion]:
        return repo.find(self.store, e.DecisionVersion, "decision_id = ?", [decision_id], order_by="version_no")

    def current_version(self, decision_id: int) -> e.DecisionVersion:
        return grants_db.current_version(self.store, decision_id)

    def positions(self, version_id: int) -> list[e.Position]:
        return repo.find(self.store, e.Position, "version_id = ?", [version_id])

    def cost_plan(self, version_id: int) -> list[e.CostPlanItem]:
        return repo.find(self.store, e.CostPlanItem, "version_id = ?", [version_id])

    def plan_position(self, *, rule_set: e.RuleSet, person_id: int, vza_milli: int,
                      category: e.Category, first_day: date, months: int) -> e.Position:
        """A position with its rate from the rule set and its computed fixed amount."""
        rate = rule_set.rate_for(category)
        if rate is None:
            raise ValidationError(
                f"Im Regelwerk „{rule_set.name}“ ist für Kategorie {category} kein Fördersatz "
                "hinterlegt. Bitte unter Einstellungen eintragen.", field="category")
        if months > rule_set.max_months:
            raise ValidationError(
                f"Höchstens {rule_set.max_months} Monate Förderung je Stelle ({rule_set.name}).",
                field="months")
        position = e.Position(None, 0, person_id, vza_milli, category, first_day, months, rate,
                              position_amount(rate_cents_per_year=rate, vza_milli=vza_milli, months=months))
        return checks.check_position(position, min_vza_milli=rule_set.min_vza_milli)

    def _store_version(self, act, version: e.DecisionVersion, positions: list[e.Position],
                       cost_plan: list[e.CostPlanItem]) -> tuple[int, list[str]]:
        version_id = self._insert(act, version)
        for position in positions:
            self._insert(act, dataclasses.replace(position, version_id=version_id))
        for item in cost_plan:
            self._insert(act, dataclasses.replace(item, version_id=version_id))
        warnings = []
        if positions:
            computed = sum(p.amount_cents for p in positions)
            if computed != version.amount_cents:
                warnings.append(
                    f"Die Summe der Stellen ({format_cents(computed)}) weicht vom bewilligten Betrag "
                    f"({format_cents(version.amount_cents)}) ab. Es gilt der Betrag des Bescheids.")
        return version_id, warnings

    def create_decision(self, decision: e.Decision, version: e.DecisionVersion, *,
                        positions: list[e.Position] = (), cost_plan: list[e.CostPlanItem] = ()) -> Change:
        decision = checks.check_decision(decision)
        version = checks.check_version(version)
        with self._action("Bescheid angelegt") as act:
            decision_id = self._insert(act, decision)
            version = dataclasses.replace(version, decision_id=decision_id, version_no=1,
                                          kind=e.VersionKind.ORIGINAL)
            _, warnings = self._store_version(act, version, list(positions), list(cost_plan))
        return self._done(Change("Bescheid angelegt", "decisions", (decision_id,), tuple(warnings)))

    def amend_decision(self, decision_id: int, version: e.DecisionVersion, *,
                       positions: list[e.Position] = (), cost_plan: list[e.CostPlanItem] = ()) -> Change:
        version = checks.check_version(version)
        with self._action("Änderungsbescheid erfasst") as act:
            number = grants_db.next_version_no(self.store, decision_id)
            version = dataclasses.replace(version, decision_id=decision_id, version_no=number,
                                          kind=e.VersionKind.AMENDMENT)
            version_id, warnings = self._store_version(act, version, list(positions), list(cost_plan))
        return self._done(Change("Änderungsbescheid erfasst", "decisions", (decision_id, version_id),
                                 tuple(warnings)))

    # payments
    def payments(self, decision_id: int) -> list[e.Payment]:
        return repo.find(self.store, e.Payment, "decision_id = ?", [decision_id], order_by="received_on, id")

    def record_payment(self, payment: e.Payment) -> Change:
        payment = checks.check_payment(payment)
        repo.get(self.store, e.Decision, payment.decision_id)
        with self._action("Zahlung erfasst") as act:
            new_id = self._insert(act, payment)
        return self._done(Change("Zahlung erfasst", "payments", (new_id,)))

    # receipts
    def receipts(self, decision_id: int) -> list[e.Receipt]:
        return repo.find(self.store, e.Receipt, "decision_id = ?", [decision_id],
                         order_by="list_kind, receipt_date, number")

    def next_receipt_number(self, decision_id: int, list_kind: e.ListKind) -> int:
        return grants_db.next_receipt_number(self.store, decision_id, str(list_kind))

    def add_receipt(self, receipt: e.Receipt) -> Change:
        """Book a receipt; number 0 means "the next free number of its list"."""
        with self._action("Beleg erfasst") as act:
            if receipt.number == 0:
                receipt = dataclasses.replace(
                    receipt, number=grants_db.next_receipt_number(self.store, receipt.decision_id,
                                                                  str(receipt.list_kind)))
            receipt = checks.check_receipt(receipt)
            self._check_receipt_refs(receipt)
            if grants_db.is_locked(self.store, receipt.decision_id, receipt.receipt_date.isoformat()):
                raise LockedError("Für diesen Zeitraum ist der Nachweis eingereicht; neue Belege "
                                  "sind dort nicht mehr möglich.")
            new_id = self._insert(act, receipt)
        return self._done(Change("Beleg erfasst", "receipts", (new_id,)))

    def update_receipt(self, receipt: e.Receipt) -> Change:
        current = repo.get(self.store, e.Receipt, receipt.id)
        receipt = checks.check_receipt(receipt)
        self._check_receipt_refs(receipt)
        for day in {current.receipt_date, receipt.receipt_date}:
            if grants_db.is_locked(self.store, current.decision_id, day.isoformat()):
                raise LockedError("Der Beleg gehört zu einem eingereichten Nachweis und kann nicht "
                                  "geändert werden. Bitte stornieren und neu erfassen.")
        with self._action("Beleg geändert") as act:
            self._update(act, receipt)
        return self._done(Change("Beleg geändert", "receipts", (receipt.id,)))

    def reverse_receipt(self, receipt_id: int, reason: str) -> Change:
        """Storno: a new row with the negative amount, pointing at the original."""
        if not reason.strip():
            raise ValidationError("Bitte einen Grund für die Stornierung angeben.", field="reason")
        original = repo.get(self.store, e.Receipt, receipt_id)
        if original.reversal_of is not None:
            raise ValidationError("Eine Stornobuchung kann nicht storniert werden.")
        if repo.count(self.store, e.Receipt, "reversal_of = ?", [receipt_id]):
            raise ValidationError("Dieser Beleg ist bereits storniert.")
        with self._action("Beleg storniert") as act:
            reversal = dataclasses.replace(
                original, id=None, amount_cents=-original.amount_cents, reversal_of=receipt_id,
                reversal_reason=reason.strip(), attachment_id=None,
                number=grants_db.next_receipt_number(self.store, original.decision_id, str(original.list_kind)),
                receipt_date=date.today())
            new_id = self._insert(act, reversal)
        return self._done(Change("Beleg storniert", "receipts", (new_id,)))

    def _check_receipt_refs(self, receipt: e.Receipt) -> None:
        repo.get(self.store, e.Decision, receipt.decision_id)
        if grants_db.receipt_number_taken(self.store, receipt.decision_id, str(receipt.list_kind),
                                          receipt.number, receipt.id):
            raise ValidationError(
                f"Die Belegnummer {receipt.list_kind}-{receipt.number} ist in diesem Bescheid schon vergeben.",
                field="number")
        codes = {c.code: c for c in self.cost_categories()}
        if receipt.cost_category not in codes:
            raise ValidationError(f"Unbekannte Kostenart „{receipt.cost_category}“.", field="cost_category")
        if codes[receipt.cost_category].list_kind != receipt.list_kind:
            raise ValidationError("Die Kostenart passt nicht zur Belegliste (Personal/Sach).",
                                  field="cost_category")

    # pass-through
    def pass_throughs(self, decision_id: int) -> list[e.PassThrough]:
        return repo.find(self.store, e.PassThrough, "decision_id = ?", [decision_id])

    def add_pass_through(self, item: e.PassThrough) -> Change:
        item = checks.check_pass_through(item)
        with self._action("Weiterleitung vereinbart") as act:
            new_id = self._insert(act, item)
        return self._done(Change("Weiterleitung vereinbart", "pass_throughs", (new_id,)))

    def pay_pass_through(self, item: e.PassThroughPayment) -> Change:
        checks.check_amount(item.amount_cents, label="Der weitergeleitete Betrag")
        with self._action("Weiterleitung ausgezahlt") as act:
            new_id = self._insert(act, item)
        return self._done(Change("Weiterleitung ausgezahlt", "pass_through_payments", (new_id,)))

    def add_provider_proof(self, item: e.ProviderProof) -> Change:
        checks.check_amount(item.spent_cents, label="Der nachgewiesene Betrag", allow_zero=True)
        with self._action("Nachweis des Trägers erfasst") as act:
            new_id = self._insert(act, item)
        return self._done(Change("Nachweis des Trägers erfasst", "provider_proofs", (new_id,)))

    # narrative report, proof submission (key figures: see key_figures.py)
    def narrative(self, decision_id: int, provider_id: int | None = None) -> e.NarrativeReport | None:
        found = repo.find(self.store, e.NarrativeReport, "decision_id = ? AND provider_id IS ?",
                          [decision_id, provider_id])
        return found[0] if found else None

    def save_narrative(self, decision_id: int, text: str, provider_id: int | None = None) -> Change:
        current = self.narrative(decision_id, provider_id)
        with self._action("Sachbericht gespeichert") as act:
            if current is None:
                new_id = self._insert(act, e.NarrativeReport(None, decision_id, provider_id, text, now_utc()))
            else:
                self._update(act, dataclasses.replace(current, text=text, updated_at=now_utc()))
                new_id = current.id
        return self._done(Change("Sachbericht gespeichert", "narrative_reports", (new_id,)))

    def submit_proof(self, item: e.ProofSubmission) -> Change:
        checks.check_date_order(item.first_day, item.last_day, field="last_day")
        with self._action(f"{item.kind.label} als eingereicht markiert") as act:
            new_id = self._insert(act, item)
        return self._done(Change("Nachweis eingereicht", "proof_submissions", (new_id,)))

    def money_summary(self, decision_id: int) -> dict[str, int]:
        return grants_db.money_summary(self.store, decision_id)
