"""Use cases of third-party money (Drittmittel): a co-financier's amount in the financing plan
and the money received from it, per decision and optionally per integration manager.

Like receipts and payments: one transaction with audit rows per action; a row covered by a
submitted proof of use is never changed or deleted, only reversed by a new row with a reason
(the database refuses the rest, too: triggers of migration 0006)."""

from __future__ import annotations

import dataclasses
from datetime import date

from ..core import checks
from ..core import entities as e
from ..core.errors import LockedError, ValidationError
from ..core.money import format_cents
from ..core.periods import format_date
from ..db import grants as grants_db
from ..db import repo
from ..db import third_party as third_party_db
from .base import Change, WorkspaceBase

ENTITY = third_party_db.TABLE
LOCKED = ("Die Drittmittel gehören zu einem eingereichten Nachweis und können nicht mehr geändert "
          "werden. Bitte stornieren (mit Grund) und neu erfassen.")
LOCKED_NEW_RECEIVED = ("Für diesen Zeitraum ist der Nachweis eingereicht; neue Drittmittel-Eingänge sind "
                       "dort nicht mehr möglich. Korrekturen bitte als Storno.")
LOCKED_NEW_PLAN = ("Der Verwendungsnachweis des Bescheids ist eingereicht; der Finanzierungsplan kann nicht "
                   "mehr ergänzt werden.")


class ThirdPartyUseCases(WorkspaceBase):
    def third_party_funds(self, decision_id: int) -> list[e.ThirdPartyFund]:
        """Plan rows first, then money received by date (reversals included)."""
        return third_party_db.rows(self.store, decision_id)

    def third_party_fund(self, row_id: int) -> e.ThirdPartyFund:
        return repo.get(self.store, e.ThirdPartyFund, row_id)

    def third_party_totals(self, decision_id: int) -> dict[str, int]:
        """Planned (financing plan) and received Drittmittel of a decision, net of reversals."""
        planned, received = third_party_db.totals(self.store, decision_id)
        return {"planned": planned, "received": received}

    def third_party_locked(self, row_id: int) -> bool:
        return third_party_db.is_locked(self.store, self.third_party_fund(row_id))

    def _check_third_party(self, item: e.ThirdPartyFund) -> tuple[e.ThirdPartyFund, list[str]]:
        if item.reversal_of is not None:
            raise ValidationError("Stornobuchungen bitte über „Stornieren“ erfassen.")
        item = checks.check_third_party(item)
        decision = repo.get(self.store, e.Decision, item.decision_id)
        if decision.deleted_at:
            raise ValidationError(f"Der Bescheid {decision.file_number} liegt im Papierkorb.")
        version = grants_db.current_version(self.store, decision.id)
        warnings: list[str] = []
        if item.person_id is not None:
            person = repo.get(self.store, e.Person, item.person_id)
            if person.deleted_at:
                raise ValidationError(f"{person.full_name} liegt im Papierkorb.", field="person")
            if (decision.funding_area == e.FundingArea.INTEGRATION_MANAGEMENT
                    and item.person_id not in grants_db.decision_person_ids(self.store, decision.id)):
                raise ValidationError(f"{person.full_name} hat in diesem Bescheid keine Stelle.", field="person")
        if item.received_on is not None and not version.first_day <= item.received_on <= version.last_day:
            warnings.append(f"Der Eingang am {format_date(item.received_on)} liegt außerhalb des "
                            f"Bewilligungszeitraums {version.period.format()}.")
        return item, warnings

    def _plan_warning(self, item: e.ThirdPartyFund) -> list[str]:
        planned, received = third_party_db.totals(self.store, item.decision_id, except_id=item.id)
        if item.kind == e.ThirdPartyKind.PLANNED:
            planned += item.amount_cents
        else:
            received += item.amount_cents
        if planned and received > planned:
            return [(f"Erhalten sind {format_cents(received)} Drittmittel, mehr als im Finanzierungsplan "
                     f"({format_cents(planned)}).")]
        return []

    def add_third_party(self, item: e.ThirdPartyFund) -> Change:
        """Record Drittmittel: an amount of the financing plan or money received."""
        item, warnings = self._check_third_party(dataclasses.replace(item, id=None))
        if third_party_db.new_row_locked(self.store, item):
            raise LockedError(LOCKED_NEW_PLAN if item.kind == e.ThirdPartyKind.PLANNED else LOCKED_NEW_RECEIVED)
        warnings += self._plan_warning(item)
        with self._action("Drittmittel erfasst") as act:
            new_id = self._insert(act, item)
        return self._done(Change("Drittmittel erfasst", ENTITY, (new_id,), tuple(warnings)))

    def _refuse_changed(self, current: e.ThirdPartyFund) -> None:
        if third_party_db.is_locked(self.store, current):
            raise LockedError(LOCKED)
        if current.reversal_of is not None:
            raise ValidationError("Eine Stornobuchung kann nicht geändert werden.")
        if third_party_db.is_reversed(self.store, current.id):
            raise ValidationError("Die Drittmittel sind storniert und können nicht mehr geändert werden.")

    def update_third_party(self, item: e.ThirdPartyFund) -> Change:
        current = self.third_party_fund(item.id)
        self._refuse_changed(current)
        if item.decision_id != current.decision_id:
            raise ValidationError("Drittmittel können nicht zu einem anderen Bescheid verschoben werden.")
        item, warnings = self._check_third_party(item)
        if third_party_db.new_row_locked(self.store, item):  # moved into a submitted period
            raise LockedError(LOCKED_NEW_PLAN if item.kind == e.ThirdPartyKind.PLANNED else LOCKED_NEW_RECEIVED)
        if item == current:
            return Change("Drittmittel unverändert", ENTITY, (item.id,))
        warnings += self._plan_warning(item)
        with self._action("Drittmittel geändert") as act:
            self._update(act, item)
        return self._done(Change("Drittmittel geändert", ENTITY, (item.id,), tuple(warnings)))

    def delete_third_party(self, row_id: int) -> Change:
        """Remove a row entered by mistake (only while no submitted proof covers it; otherwise
        reverse it)."""
        current = self.third_party_fund(row_id)
        self._refuse_changed(current)
        with self._action("Drittmittel gelöscht") as act:
            old = third_party_db.delete(self.store, row_id)
            act.audit(ENTITY, row_id, old, None)
        return self._done(Change("Drittmittel gelöscht", ENTITY, (row_id,)))

    def reverse_third_party(self, row_id: int, reason: str, *, on: date | None = None) -> Change:
        """Storno: a new row with the negative amount pointing at the original (possible also after
        the proof was submitted). Money received is reversed on ``on`` (default today)."""
        text = (reason or "").strip()
        if not text:
            raise ValidationError("Bitte einen Grund für die Stornierung angeben.", field="reason")
        original = self.third_party_fund(row_id)
        if original.reversal_of is not None:
            raise ValidationError("Eine Stornobuchung kann nicht storniert werden.")
        if third_party_db.is_reversed(self.store, row_id):
            raise ValidationError("Diese Drittmittel sind bereits storniert.")
        reversal = checks.check_third_party(dataclasses.replace(
            original, id=None, amount_cents=-original.amount_cents, reversal_of=row_id, reversal_reason=text,
            received_on=(on or date.today()) if original.is_received else None))
        with self._action("Drittmittel storniert") as act:
            new_id = self._insert(act, reversal)
            act.audit(ENTITY, row_id, None, {"storniert_durch": new_id, "grund": reversal.reversal_reason})
        return self._done(Change("Drittmittel storniert", ENTITY, (new_id,)))
