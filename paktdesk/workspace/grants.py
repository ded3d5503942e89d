"""Use cases of the grant side: rule sets, decisions with versions, positions and cost plans,
key figures, the narrative report and proof submission. Money in and out (payments, receipts,
pass-through, plan vs. actual) lives in :mod:`.money`."""

from __future__ import annotations

import dataclasses
from datetime import date

from ..core import checks
from ..core import entities as e
from ..core.balances import VersionSummary, version_summary
from ..core.errors import ValidationError
from ..core.funding import position_amount
from ..core.money import format_cents
from ..core.periods import format_date
from ..db import balance_queries as balance_db
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
    def decisions(self, *, include_deleted: bool = False) -> list[e.Decision]:
        return repo.find(self.store, e.Decision, "" if include_deleted else "deleted_at IS NULL")

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

    def decision_history(self, decision_id: int) -> list[VersionSummary]:
        """Every version, oldest first, with its positions (decided beside computed amount) or
        cost plan: the history stays visible and printable."""
        persons = {p.id: p for p in self.persons(include_deleted=True)}
        return [version_summary(v, self.positions(v.id), self.cost_plan(v.id), persons)
                for v in self.versions(decision_id)]

    def plan_position(self, *, rule_set: e.RuleSet, person_id: int, vza_milli: int,
                      category: e.Category, first_day: date, months: int) -> e.Position:
        """A position with its rate from the rule set and its computed fixed amount (the clerk
        then enters the amount the decision states, if it differs: the decision wins)."""
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

    def _check_content(self, area: e.FundingArea, version: e.DecisionVersion, positions: list[e.Position],
                       cost_plan: list[e.CostPlanItem]) -> list[str]:
        """Positions (Integrationsmanagement) or cost plan (the other three areas) of a version.
        Raises for what cannot be stored; returns warnings for what is allowed but unusual."""
        warnings: list[str] = []
        if area == e.FundingArea.INTEGRATION_MANAGEMENT:
            if cost_plan:
                raise ValidationError("Beim Integrationsmanagement wird nach Stellen gefördert, nicht nach "
                                      "Kostenplan. Bitte die Stellen erfassen.", field="cost_plan")
            rules = self.rule_set(version.rule_set_id) if version.rule_set_id else None
            minimum = rules.min_vza_milli if rules else 250
            vza: dict[int, int] = {}
            for position in positions:
                person = self.person(position.person_id)
                if person.deleted_at:
                    raise ValidationError(f"{person.full_name} liegt im Papierkorb und kann keine Stelle "
                                          "erhalten.", field="positions")
                checks.check_position(position, min_vza_milli=minimum)
                checks.check_amount(position.amount_cents, label="Der Festbetrag der Stelle", field="positions",
                                    allow_zero=True)
                if not version.first_day <= position.first_day <= version.last_day:
                    raise ValidationError(
                        f"Die Stelle von {person.full_name} beginnt am {format_date(position.first_day)}, "
                        f"außerhalb des Bewilligungszeitraums {version.period.format()}.", field="positions")
                if rules and position.months > rules.max_months + rules.max_extension_months:
                    raise ValidationError(
                        f"Die Stelle von {person.full_name} hat {position.months} Monate; nach „{rules.name}“ "
                        f"sind höchstens {rules.max_months} (+ {rules.max_extension_months} Verlängerung) möglich.",
                        field="positions")
                vza[position.person_id] = vza.get(position.person_id, 0) + position.vza_milli
                if vza[position.person_id] > 1000:
                    raise ValidationError(f"{person.full_name} hätte in diesem Bescheid zusammen mehr als "
                                          "1,0 VZÄ.", field="positions")
            if not positions:
                warnings.append("Der Bescheid hat noch keine Stellen.")
            summary = version_summary(version, positions)
            for item in summary.positions:
                if item.flagged:
                    person = self.person(item.person_id)
                    warnings.append(
                        f"Stelle {person.full_name}: laut Bescheid {format_cents(item.decided_cents)}, "
                        f"berechnet {format_cents(item.computed_cents)}. Es gilt der Betrag des Bescheids.")
            if positions and summary.positions_decided != version.amount_cents:
                warnings.append(
                    f"Die Summe der Stellen ({format_cents(summary.positions_decided)}) weicht vom bewilligten "
                    f"Betrag ({format_cents(version.amount_cents)}) ab. Es gilt der Betrag des Bescheids.")
        else:
            if positions:
                raise ValidationError(f"Im Förderbereich „{area.label}“ gibt es keine Stellen, sondern einen "
                                      "Kostenplan.", field="positions")
            codes = {c.code for c in self.cost_categories()}
            seen: set[str] = set()
            for item in cost_plan:
                if item.cost_category not in codes:
                    raise ValidationError(f"Unbekannte Kostenart „{item.cost_category}“ im Kostenplan.",
                                          field="cost_plan")
                if item.cost_category in seen:
                    raise ValidationError("Jede Kostenart darf im Kostenplan nur einmal vorkommen.",
                                          field="cost_plan")
                seen.add(item.cost_category)
                checks.check_amount(item.amount_cents, label="Der geplante Betrag", field="cost_plan",
                                    allow_zero=True)
            planned = sum(item.amount_cents for item in cost_plan)
            if not cost_plan:
                warnings.append("Der Bescheid hat noch keinen Kostenplan.")
            elif planned != version.amount_cents:
                warnings.append(f"Der Kostenplan ({format_cents(planned)}) weicht vom bewilligten Betrag "
                                f"({format_cents(version.amount_cents)}) ab. Es gilt der Betrag des Bescheids.")
        return warnings

    def _store_version(self, act, version: e.DecisionVersion, positions: list[e.Position],
                       cost_plan: list[e.CostPlanItem]) -> int:
        version_id = self._insert(act, version)
        for position in positions:
            self._insert(act, dataclasses.replace(position, id=None, version_id=version_id))
        for item in cost_plan:
            self._insert(act, dataclasses.replace(item, id=None, version_id=version_id))
        return version_id

    def _live_decision(self, decision_id: int) -> e.Decision:
        decision = self.decision(decision_id)
        if decision.deleted_at:
            raise ValidationError(f"Der Bescheid {decision.file_number} liegt im Papierkorb.")
        return decision

    def create_decision(self, decision: e.Decision, version: e.DecisionVersion, *,
                        positions: list[e.Position] = (), cost_plan: list[e.CostPlanItem] = ()) -> Change:
        """Erstbescheid: header, first version, positions (Integrationsmanagement) or cost plan."""
        decision = checks.check_decision(decision)
        version = checks.check_version(version)
        positions, cost_plan = list(positions), list(cost_plan)
        warnings = self._check_content(decision.funding_area, version, positions, cost_plan)
        with self._action("Bescheid angelegt") as act:
            decision_id = self._insert(act, dataclasses.replace(decision, id=None, deleted_at=None))
            version = dataclasses.replace(version, id=None, decision_id=decision_id, version_no=1,
                                          kind=e.VersionKind.ORIGINAL)
            self._store_version(act, version, positions, cost_plan)
        return self._done(Change("Bescheid angelegt", "decisions", (decision_id,), tuple(warnings)))

    def amend_decision(self, decision_id: int, version: e.DecisionVersion, *,
                       positions: list[e.Position] | None = None,
                       cost_plan: list[e.CostPlanItem] | None = None) -> Change:
        """Änderungsbescheid: a new version; earlier versions stay as they were. Positions or cost
        plan left out (``None``) are taken over from the current version."""
        decision = self._live_decision(decision_id)
        version = checks.check_version(version)
        current = self.current_version(decision_id)
        positions = list(self.positions(current.id) if positions is None else positions)
        cost_plan = list(self.cost_plan(current.id) if cost_plan is None else cost_plan)
        warnings = self._check_content(decision.funding_area, version, positions, cost_plan)
        if version.decided_on < current.decided_on:
            warnings.append(f"Der Änderungsbescheid ist älter als die bisherige Fassung vom "
                            f"{format_date(current.decided_on)}.")
        with self._action("Änderungsbescheid erfasst") as act:
            number = grants_db.next_version_no(self.store, decision_id)
            version = dataclasses.replace(version, id=None, decision_id=decision_id, version_no=number,
                                          kind=e.VersionKind.AMENDMENT)
            version_id = self._store_version(act, version, positions, cost_plan)
        return self._done(Change("Änderungsbescheid erfasst", "decisions", (decision_id, version_id),
                                 tuple(warnings)))

    def update_decision(self, decision: e.Decision) -> Change:
        """Change a decision's header (Zuwendungsgeber, Aktenzeichen, Notiz). The Förderbereich
        can only change while the decision has no positions, cost plan or bookings."""
        current = self._live_decision(decision.id)
        clean = checks.check_decision(dataclasses.replace(decision, deleted_at=current.deleted_at))
        if clean.funding_area != current.funding_area:
            content = sum(len(self.positions(v.id)) + len(self.cost_plan(v.id)) for v in self.versions(decision.id))
            if content or any(balance_db.booking_counts(self.store, decision.id).values()):
                raise ValidationError("Der Förderbereich kann nicht mehr geändert werden: Der Bescheid hat "
                                      "schon Stellen, einen Kostenplan oder Buchungen.", field="funding_area")
        if clean == current:
            return Change("Bescheid unverändert", "decisions", (decision.id,))
        with self._action("Bescheid geändert") as act:
            self._update(act, clean)
        return self._done(Change("Bescheid geändert", "decisions", (decision.id,)))

    def delete_decision(self, decision_id: int) -> Change:
        """Into the Papierkorb; only a decision without payments, receipts, pass-through or a
        submitted proof (booked money is corrected by reversals, never deleted)."""
        decision = self._live_decision(decision_id)
        counts = balance_db.booking_counts(self.store, decision_id)
        if any(counts.values()):
            raise ValidationError(
                f"Der Bescheid {decision.file_number} hat Buchungen ({counts['payments']} Zahlungen, "
                f"{counts['receipts']} Belege, {counts['pass_throughs']} Weiterleitungen, "
                f"{counts['third_party']} Drittmittel-Buchungen) und kann nicht "
                "gelöscht werden.")
        with self._action("Bescheid in den Papierkorb gelegt") as act:
            old, new = repo.set_columns(self.store, e.Decision, decision_id, {"deleted_at": now_utc()})
            act.audit("decisions", decision_id, {"deleted_at": old["deleted_at"]}, {"deleted_at": new["deleted_at"]})
        return self._done(Change("Bescheid in den Papierkorb gelegt", "decisions", (decision_id,)))

    def restore_decision(self, decision_id: int) -> Change:
        decision = self.decision(decision_id)
        if not decision.deleted_at:
            return Change("Bescheid unverändert", "decisions", (decision_id,))
        with self._action("Bescheid wiederhergestellt") as act:
            old, _ = repo.set_columns(self.store, e.Decision, decision_id, {"deleted_at": None})
            act.audit("decisions", decision_id, {"deleted_at": old["deleted_at"]}, {"deleted_at": None})
        return self._done(Change("Bescheid wiederhergestellt", "decisions", (decision_id,)))

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

    def proof_submissions(self, decision_id: int) -> list[e.ProofSubmission]:
        return repo.find(self.store, e.ProofSubmission, "decision_id = ?", [decision_id], order_by="first_day")

    def submit_proof(self, item: e.ProofSubmission) -> Change:
        """Mark a (interim) proof of use as submitted. From then on the receipts, received
        payments and pass-through payments of its period are locked: corrections are reversals."""
        checks.check_date_order(item.first_day, item.last_day, field="last_day")
        self._live_decision(item.decision_id)
        with self._action(f"{item.kind.label} als eingereicht markiert") as act:
            new_id = self._insert(act, item)
            act.anchor_purpose = f"{item.kind.label} eingereicht am {item.submitted_on:%d.%m.%Y} (Nr. {new_id})"
        return self._done(Change("Nachweis eingereicht", "proof_submissions", (new_id,)))

    def money_summary(self, decision_id: int) -> dict[str, int]:
        return grants_db.money_summary(self.store, decision_id)

    def money_summaries(self) -> dict[int, dict]:
        """Every decision's :meth:`money_summary` plus its current ``version``, read at once."""
        return grants_db.money_summaries(self.store)
