"""Use cases around the people of the programme: requalification status, ending a person, the
Papierkorb for providers, attachments (scans), the deadline board with its "erledigt" marks,
rule changes that re-evaluate everyone, bulk shifts of deadlines and the calendar export."""

from __future__ import annotations

import dataclasses
import mimetypes
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from ..core import checks
from ..core import entities as e
from ..core.deadlines import (
    DEMO_TODAY_SETTING,
    BoardItem,
    Deadline,
    DecisionFacts,
    LeadTimes,
    PositionFacts,
    board,
    decision_deadlines,
    key_figure_deadline,
    key_figure_years,
    open_items,
    payment_request_deadlines,
    requalification_deadline,
)
from ..core.employment import check_interruptions_before_end, shares_to_close, total_on
from ..core.errors import NotFoundError, ValidationError
from ..core.money import format_cents
from ..core.periods import Period, add_months, format_date
from ..core.requalification import (
    RequalRule,
    RequalStatus,
    StatusChange,
    StatusResult,
    changes_between,
    check_deadline_choice,
    current_qualification,
    current_requalification,
    evaluate,
    is_overridden,
)
from ..db import attachments as attachments_db
from ..db import grants as grants_db
from ..db import people as people_db
from ..db import profile as profile_db
from ..db import repo
from ..db import rules as rules_db
from ..db.audit import now_utc
from ..exchange import ics, qualification_csv
from .base import Change, WorkspaceBase
from ..core.os_errors import reason as os_reason

MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024
SETTING_LEAD = "deadline_lead_days"
SETTING_REQUAL_CATEGORIES = "requal_categories"
SETTING_INTERIM = "interim_proof_deadlines"


@dataclass(frozen=True, slots=True)
class QualificationRow:
    person_id: int
    name: str
    provider: str
    vza_milli: int
    category: str
    status: RequalStatus
    deadline: date | None
    ended_on: date | None
    notes: str


@dataclass(frozen=True, slots=True)
class RuleChangeResult:
    """What a rule change did: the stored change, persons whose status or deadline moved, and
    rate changes (existing decisions keep their amounts)."""

    change: Change
    status_changes: tuple[StatusChange, ...]
    rate_changes: tuple[str, ...]

    def lines(self) -> list[str]:
        lines = [c.describe() for c in self.status_changes] + list(self.rate_changes)
        return lines or ["Keine Person ist von der Änderung betroffen."]


def _today(today: date | None) -> date:
    return today or date.today()


class PeopleUseCases(WorkspaceBase):
    # --- settings ------------------------------------------------------------------------------
    def lead_times(self) -> LeadTimes:
        return LeadTimes.from_setting(profile_db.get_setting(self.store, SETTING_LEAD))

    def save_lead_times(self, lead: LeadTimes) -> Change:
        lead.validate()
        with self._action("Vorlaufzeiten der Fristen gespeichert") as act:
            old = profile_db.set_setting(self.store, SETTING_LEAD, lead.to_setting())
            act.audit("settings", None, {SETTING_LEAD: old}, {SETTING_LEAD: lead.to_setting()})
        return self._done(Change("Vorlaufzeiten der Fristen gespeichert", "settings"))

    def requal_categories(self) -> list[str]:
        """Categories that must requalify (setting ``requal_categories``, default c)."""
        value = profile_db.get_setting(self.store, SETTING_REQUAL_CATEGORIES, ["c"])
        return sorted(c for c in value if c in ("a", "b", "c"))

    def requal_rule(self, day: date) -> RequalRule:
        """The requalification rule of the rule set in force on ``day``."""
        return RequalRule.of(rules_db.rule_set_for(self.store, day), categories=self.requal_categories())

    # --- register -----------------------------------------------------------------------------
    def register_person(self, person: e.Person, *, first_share: e.Employment | None = None,
                        qualification: e.Qualification | None = None) -> Change:
        """A new person with (optionally) the first employment share and qualification, as one
        action: either all of it is stored or nothing."""
        if person.id is not None:
            raise ValueError("register_person is for new persons")
        clean = checks.check_person(person)
        provider = self.provider(clean.provider_id)
        if provider.deleted_at:
            raise ValidationError(f"Der Träger „{provider.name}“ liegt im Papierkorb.", field="provider")
        if first_share is not None:
            rules = rules_db.rule_set_for(self.store, first_share.first_day)
            first_share = checks.check_employment(
                dataclasses.replace(first_share, person_id=0), [],
                min_vza_milli=rules.min_vza_milli if rules else 250)
        if qualification is not None and qualification.checked_on and not qualification.checked_by.strip():
            raise ValidationError("Bitte angeben, wer den Nachweis geprüft hat.", field="checked_by")
        with self._action("Person angelegt") as act:
            person_id = self._insert(act, clean)
            if first_share is not None:
                self._insert(act, dataclasses.replace(first_share, person_id=person_id))
            if qualification is not None:
                self._insert(act, dataclasses.replace(qualification, person_id=person_id))
        return self._done(Change("Person angelegt", "persons", (person_id,)))

    def qualification_overview(self, today: date | None = None) -> list[QualificationRow]:
        """Qualifikationsübersicht: every person with provider, VZÄ today, category, status and
        deadline (computed, never stored)."""
        today = _today(today)
        persons = self.persons()
        providers = {t.id: t.name for t in self.providers(include_deleted=True)}
        statuses = self.requalification_statuses(today, persons=persons)
        shares = self._records_by_person(e.Employment)
        rows = []
        for person in persons:
            result = statuses[person.id]
            rows.append(QualificationRow(
                person_id=person.id, name=person.sort_name, provider=providers.get(person.provider_id, ""),
                vza_milli=total_on(shares.get(person.id, []), today),
                category=str(result.category) if result.category else "",
                status=result.status, deadline=result.deadline, ended_on=person.ended_on,
                notes="; ".join(result.notes)))
        return rows

    # --- requalification status ----------------------------------------------------------------
    def _records_by_person(self, cls: type) -> dict[int, list]:
        grouped: dict[int, list] = defaultdict(list)
        for record in repo.find(self.store, cls):
            grouped[record.person_id].append(record)
        return grouped

    def _evaluate(self, category: e.Category | None, records: list[e.Requalification], today: date,
                  rules_cache: dict) -> StatusResult:
        current = current_requalification(records)
        day = current.started_on if current else today
        if day not in rules_cache:
            rules_cache[day] = self.requal_rule(day)
        return evaluate(category, records, rules_cache[day], today)

    def requalification_statuses(self, today: date | None = None, *,
                                 persons: Iterable[e.Person] | None = None) -> dict[int, StatusResult]:
        """Status of every (not deleted) person on ``today``."""
        today = _today(today)
        quals = self._records_by_person(e.Qualification)
        requals = self._records_by_person(e.Requalification)
        cache: dict = {}
        result = {}
        for person in (self.persons() if persons is None else persons):
            current = current_qualification(quals.get(person.id, []))
            result[person.id] = self._evaluate(current.category if current else None,
                                               requals.get(person.id, []), today, cache)
        return result

    def requalification_status(self, person_id: int, today: date | None = None) -> StatusResult:
        today = _today(today)
        current = current_qualification(self.qualifications(person_id))
        return self._evaluate(current.category if current else None,
                              self.requalifications(person_id), today, {})

    def default_requalification_deadline(self, started_on: date) -> date:
        return self.requal_rule(started_on).default_deadline(started_on)

    def update_requalification(self, person_id: int, *, today: date | None = None,
                               **changes) -> Change:
        """Progress, completion or a changed deadline: a new record based on the current one,
        so the history stays. ``changes`` are fields of :class:`Requalification`."""
        current = current_requalification(self.requalifications(person_id))
        if current is None:
            raise ValidationError("Für diese Person ist keine Nachqualifizierung erfasst.")
        unknown = set(changes) - {f.name for f in dataclasses.fields(e.Requalification)} | (
            set(changes) & {"id", "person_id"})
        if unknown:
            raise ValueError(f"unknown fields {sorted(unknown)}")
        record = dataclasses.replace(current, id=None, **changes)
        if record.completed_on and record.completed_on > _today(today):
            raise ValidationError(
                f"Der Abschluss ({format_date(record.completed_on)}) liegt in der Zukunft.",
                field="completed_on")
        return self.add_requalification(record)

    def complete_requalification(self, person_id: int, *, completed_on: date, hours_done: int,
                                 certificate_attachment_id: int | None = None,
                                 today: date | None = None) -> Change:
        current = current_requalification(self.requalifications(person_id))
        certificate = certificate_attachment_id or (current.certificate_attachment_id if current else None)
        return self.update_requalification(person_id, today=today, completed_on=completed_on,
                                           hours_done=hours_done, certificate_attachment_id=certificate)

    def _read_attachment(self, path: Path | None) -> tuple[str, bytes, str] | None:
        if path is None:
            return None
        path = Path(path)
        try:
            content = path.read_bytes()
        except OSError as err:
            raise ValidationError(f"Die Datei „{path.name}“ kann nicht gelesen werden: {os_reason(err)}.",
                                  field="attachment") from err
        name = path.name
        _check_attachment(name, content)
        return name, content, mimetypes.guess_type(name)[0] or "application/octet-stream"

    def _store_attachment(self, act, found: tuple[str, bytes, str] | None) -> int | None:
        if found is None:
            return None
        name, content, mime = found
        new_id, row = attachments_db.add(self.store, filename=name, mime=mime, content=content, now=now_utc())
        act.audit("attachments", new_id, None, row)
        return new_id

    def save_qualification(self, item: e.Qualification, *, evidence_file: Path | None = None) -> Change:
        """A new qualification record (the newest one counts), with its scan if given: one action."""
        if item.checked_on and not item.checked_by.strip():
            raise ValidationError("Bitte angeben, wer den Nachweis geprüft hat.", field="checked_by")
        if item.checked_by.strip() and not item.checked_on:
            raise ValidationError("Bitte angeben, wann der Nachweis geprüft wurde.", field="checked_on")
        person = self.person(item.person_id)
        if person.deleted_at:
            raise ValidationError(f"{person.full_name} liegt im Papierkorb.")
        found = self._read_attachment(evidence_file)
        with self._action("Qualifikation erfasst") as act:
            attachment_id = self._store_attachment(act, found)
            if attachment_id is not None:
                item = dataclasses.replace(item, evidence_attachment_id=attachment_id)
            new_id = self._insert(act, dataclasses.replace(item, degree=item.degree.strip(),
                                                           checked_by=item.checked_by.strip()))
        return self._done(Change("Qualifikation erfasst", "qualifications", (new_id,)))

    def save_requalification(self, item: e.Requalification, *, certificate_file: Path | None = None,
                             today: date | None = None) -> Change:
        """A new requalification record (start, renewal, progress or completion) with the
        certificate if given, as one action; the record before it stays as history."""
        clean = checks.check_requalification(item)
        if clean.completed_on and clean.completed_on > _today(today):
            raise ValidationError(
                f"Der Abschluss ({format_date(clean.completed_on)}) liegt in der Zukunft.", field="completed_on")
        rule = self.requal_rule(clean.started_on)
        check_deadline_choice(clean, rule)
        person = self.person(clean.person_id)
        if person.deleted_at:
            raise ValidationError(f"{person.full_name} liegt im Papierkorb.")
        found = self._read_attachment(certificate_file)
        with self._action("Nachqualifizierung erfasst") as act:
            attachment_id = self._store_attachment(act, found)
            if attachment_id is not None:
                clean = dataclasses.replace(clean, certificate_attachment_id=attachment_id)
            new_id = self._insert(act, clean)
        return self._done(Change("Nachqualifizierung erfasst", "requalifications", (new_id,)))

    def set_qualification_evidence(self, qualification_id: int, attachment_id: int | None) -> Change:
        item = repo.get(self.store, e.Qualification, qualification_id)
        if attachment_id is not None:
            attachments_db.get(self.store, attachment_id)
        with self._action("Nachweis zur Qualifikation hinterlegt") as act:
            self._update(act, dataclasses.replace(item, evidence_attachment_id=attachment_id))
        return self._done(Change("Nachweis zur Qualifikation hinterlegt", "qualifications",
                                 (qualification_id,)))

    def set_requalification_certificate(self, requalification_id: int, attachment_id: int | None) -> Change:
        item = repo.get(self.store, e.Requalification, requalification_id)
        if attachment_id is not None:
            attachments_db.get(self.store, attachment_id)
        with self._action("Zertifikat zur Nachqualifizierung hinterlegt") as act:
            self._update(act, dataclasses.replace(item, certificate_attachment_id=attachment_id))
        return self._done(Change("Zertifikat zur Nachqualifizierung hinterlegt", "requalifications",
                                 (requalification_id,)))

    # --- attachments ---------------------------------------------------------------------------
    def add_attachment_file(self, path: Path) -> Change:
        path = Path(path)
        try:
            content = path.read_bytes()
        except OSError as err:
            raise ValidationError(f"Die Datei „{path.name}“ kann nicht gelesen werden: {os_reason(err)}.",
                                  field="filename") from err
        return self.add_attachment(path.name, content)

    # --- ending, Papierkorb --------------------------------------------------------------------
    def end_person(self, person_id: int, ended_on: date) -> Change:
        """The person leaves on ``ended_on`` (last working day): open shares end that day."""
        person = self.person(person_id)
        if person.deleted_at:
            raise ValidationError("Die Person liegt im Papierkorb. Bitte zuerst wiederherstellen.")
        shares = self.employments(person_id)
        if shares and ended_on < min(s.first_day for s in shares):
            raise ValidationError(
                f"Das Ausscheiden am {format_date(ended_on)} liegt vor dem ersten Arbeitstag "
                f"({format_date(min(s.first_day for s in shares))}).", field="ended_on")
        closing = shares_to_close(shares, ended_on)
        check_interruptions_before_end(self.interruptions(person_id), ended_on)
        action = "Person ausgeschieden"
        with self._action(action) as act:
            self._update(act, dataclasses.replace(person, ended_on=ended_on))
            for share in closing:
                self._update(act, share)
        return self._done(Change(action, "persons", (person_id,)))

    def trash(self) -> tuple[list[e.Person], list[e.Provider]]:
        """The Papierkorb: persons and providers deleted softly, newest first."""
        persons = [p for p in self.persons(include_deleted=True) if p.deleted_at]
        providers = [t for t in self.providers(include_deleted=True) if t.deleted_at]
        return (sorted(persons, key=lambda p: p.deleted_at, reverse=True),
                sorted(providers, key=lambda t: t.deleted_at, reverse=True))

    def delete_provider(self, provider_id: int) -> Change:
        """Into the Papierkorb; refused while persons still belong to the provider."""
        provider = self.provider(provider_id)
        if provider.deleted_at:
            raise ValidationError(f"„{provider.name}“ liegt schon im Papierkorb.")
        if people_db.provider_blockers(self.store, provider_id)["active_persons"]:
            raise ValidationError(
                f"Dem Träger „{provider.name}“ sind noch Integrationsmanager:innen zugeordnet. "
                "Bitte diese zuerst einem anderen Träger zuordnen oder löschen.")
        with self._action("Träger in den Papierkorb gelegt") as act:
            old, new = repo.set_columns(self.store, e.Provider, provider_id, {"deleted_at": now_utc()})
            act.audit("providers", provider_id, {"deleted_at": old["deleted_at"]},
                      {"deleted_at": new["deleted_at"]})
        return self._done(Change("Träger in den Papierkorb gelegt", "providers", (provider_id,)))

    def restore_provider(self, provider_id: int) -> Change:
        with self._action("Träger wiederhergestellt") as act:
            old, _ = repo.set_columns(self.store, e.Provider, provider_id, {"deleted_at": None})
            act.audit("providers", provider_id, {"deleted_at": old["deleted_at"]}, {"deleted_at": None})
        return self._done(Change("Träger wiederhergestellt", "providers", (provider_id,)))

    def purge_person(self, person_id: int) -> Change:
        """Delete for good from the Papierkorb; refused when money is booked against the person."""
        person = self.person(person_id)
        if not person.deleted_at:
            raise ValidationError("Endgültig löschen geht nur aus dem Papierkorb.")
        if people_db.person_money_count(self.store, person_id):
            raise ValidationError(
                f"Für {person.full_name} sind Stellen oder Belege gebucht. Endgültiges Löschen "
                "ist nicht möglich; die Person bleibt als ausgeschieden erhalten.")
        with self._action("Person endgültig gelöscht") as act:
            removed = people_db.purge_person(self.store, person_id)
            for table, rows in removed.items():
                for row in rows:
                    act.audit(table, row["id"], row, None)
        return self._done(Change("Person endgültig gelöscht", "persons", (person_id,)))

    def purge_provider(self, provider_id: int) -> Change:
        provider = self.provider(provider_id)
        if not provider.deleted_at:
            raise ValidationError("Endgültig löschen geht nur aus dem Papierkorb.")
        blockers = people_db.provider_blockers(self.store, provider_id)
        if blockers["pass_throughs"]:
            raise ValidationError(
                f"An „{provider.name}“ wurden Mittel weitergeleitet. Endgültiges Löschen ist nicht "
                "möglich; der Träger bleibt im Papierkorb.")
        if blockers["persons"] or blockers["employments"] or blockers["narratives"]:
            raise ValidationError(
                f"Auf „{provider.name}“ verweisen noch Personen, Stellenanteile oder Sachberichte "
                "(auch im Papierkorb). Endgültiges Löschen ist nicht möglich.")
        with self._action("Träger endgültig gelöscht") as act:
            row = people_db.purge_provider(self.store, provider_id)
            act.audit("providers", provider_id, row, None)
        return self._done(Change("Träger endgültig gelöscht", "providers", (provider_id,)))

    # --- the deadline board --------------------------------------------------------------------
    def interim_proof_deadlines(self) -> list[tuple[int, date, str]]:
        return [(int(x["decision_id"]), date.fromisoformat(x["due"]), x.get("note", ""))
                for x in profile_db.get_setting(self.store, SETTING_INTERIM, [])]

    def add_interim_proof_deadline(self, decision_id: int, due: date, note: str = "") -> Change:
        decision = self.decision(decision_id)
        current = profile_db.get_setting(self.store, SETTING_INTERIM, [])
        if any(int(x["decision_id"]) == decision_id and x["due"] == due.isoformat() for x in current):
            raise ValidationError(f"Für Bescheid {decision.file_number} ist am {format_date(due)} "
                                  "schon ein Zwischennachweis eingetragen.", field="due")
        new = sorted([*current, {"decision_id": decision_id, "due": due.isoformat(), "note": note.strip()}],
                     key=lambda x: (x["due"], x["decision_id"]))
        with self._action("Zwischennachweis-Frist eingetragen") as act:
            profile_db.set_setting(self.store, SETTING_INTERIM, new)
            act.audit("settings", None, {SETTING_INTERIM: current}, {SETTING_INTERIM: new})
        return self._done(Change("Zwischennachweis-Frist eingetragen", "settings"))

    def remove_interim_proof_deadline(self, decision_id: int, due: date) -> Change:
        current = profile_db.get_setting(self.store, SETTING_INTERIM, [])
        new = [x for x in current if not (int(x["decision_id"]) == decision_id and x["due"] == due.isoformat())]
        if len(new) == len(current):
            raise NotFoundError("Diese Zwischennachweis-Frist gibt es nicht (mehr).")
        with self._action("Zwischennachweis-Frist entfernt") as act:
            profile_db.set_setting(self.store, SETTING_INTERIM, new)
            act.audit("settings", None, {SETTING_INTERIM: current}, {SETTING_INTERIM: new})
        return self._done(Change("Zwischennachweis-Frist entfernt", "settings"))

    def _deadline_list(self, today: date) -> Iterator[Deadline]:
        everyone = {p.id: p for p in self.persons(include_deleted=True)}
        persons = [p for p in everyone.values() if not p.deleted_at]
        for person_id, result in self.requalification_statuses(today, persons=persons).items():
            person = everyone[person_id]
            item = requalification_deadline(person_id, person.full_name, result)
            if item and not (person.ended_on and person.ended_on < item.due):
                yield item

        # every table read once (a Kreis file has hundreds of decisions and persons: one query
        # per decision and person made the Übersicht wait)
        interruptions = self._records_by_person(e.Interruption)
        interim = defaultdict(list)
        for decision_id, due, note in self.interim_proof_deadlines():
            interim[decision_id].append((due, note))
        decisions = self.decisions()
        current_versions = grants_db.current_versions(self.store)
        positions_of = defaultdict(list)
        for position in repo.find(self.store, e.Position, order_by="id"):
            positions_of[position.version_id].append(position)
        finals_of = defaultdict(list)
        for proof in repo.find(self.store, e.ProofSubmission, order_by="id"):
            if proof.kind == e.ProofKind.FINAL:
                finals_of[proof.decision_id].append(proof.submitted_on)
        rules_cache: dict = {}
        active_periods: list[Period] = []
        for decision in decisions:
            version = current_versions.get(decision.id) or self.current_version(decision.id)
            key = ("id", version.rule_set_id) if version.rule_set_id else ("day", version.first_day)
            if key not in rules_cache:
                rules_cache[key] = (rules_db.rule_set(self.store, version.rule_set_id) if version.rule_set_id
                                    else rules_db.rule_set_for(self.store, version.first_day))
            rules = rules_cache[key]
            positions = tuple(
                PositionFacts(p.person_id, everyone[p.person_id].full_name, p.first_day, p.months,
                              tuple(interruptions.get(p.person_id, ())))
                for p in positions_of[version.id])
            finals = finals_of[decision.id]
            facts = DecisionFacts(
                decision.id, decision.file_number, version.period, positions,
                max_extension_months=rules.max_extension_months if rules else 12,
                proof_deadline_months=rules.proof_deadline_months if rules else 3,
                final_proof_submitted_on=max(finals) if finals else None,
                interim_proofs=tuple(sorted(interim.get(decision.id, ()))))
            yield from decision_deadlines(facts)
            active_periods.extend(Period(p.first_day, add_months(p.first_day, p.months)) for p in positions)

        shares_of = self._records_by_person(e.Employment)
        for person in persons:
            for share in sorted(shares_of.get(person.id, ()), key=lambda share: share.first_day):
                last = share.last_day or max(today, share.first_day)
                active_periods.append(Period.inclusive(share.first_day, last))
        for year in key_figure_years(active_periods, today=today):
            yield key_figure_deadline(year)

        file_numbers = {d.id: d.file_number for d in decisions}
        live = set(file_numbers)
        planned = repo.find(self.store, e.Payment,  # only the candidates, not every payment ever made
                            "requested_on >= ? AND received_on IS NULL AND reversal_of IS NULL",
                            [today.isoformat()], order_by="decision_id, coalesce(received_on, requested_on), id")
        payments = [p for p in planned if p.decision_id in live]
        yield from payment_request_deadlines(payments, file_numbers, today=today)

    def demo_day(self) -> date | None:
        """The story day of a demo Datenbestand (the window and the command line show the demo as on
        that day), or None for a clerk's own data."""
        value = self.setting(DEMO_TODAY_SETTING)
        try:
            return date.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            return None

    def deadlines(self, today: date | None = None) -> list[BoardItem]:
        """The whole board on ``today``: every deadline with its colour class, by date.
        Use :func:`paktdesk.core.deadlines.open_items` for the ones still to do."""
        today = _today(today)
        return board(self._deadline_list(today), today=today, lead=self.lead_times(),
                     done=people_db.done_marks(self.store))

    def open_deadlines(self, today: date | None = None) -> list[BoardItem]:
        return open_items(self.deadlines(today))

    def _board_item(self, key: str, today: date | None) -> BoardItem:
        for item in self.deadlines(today):
            if item.key == key:
                return item
        raise NotFoundError("Diese Frist gibt es nicht (mehr). Bitte die Übersicht neu laden.")

    def mark_deadline_done(self, key: str, *, today: date | None = None) -> Change:
        """Mark a deadline done: records who and when."""
        item = self._board_item(key, today)
        if item.deadline.done_on is not None:
            raise ValidationError("Diese Frist ist durch die Daten bereits erledigt "
                                  f"({item.deadline.done_by}).")
        with self._action("Frist als erledigt markiert") as act:
            at = now_utc()
            old = people_db.mark_done(self.store, key, at=at, by=self.user)
            act.audit("deadlines_done", None, {"key": key, "done": old},
                      {"key": key, "done_on": at, "done_by": self.user, "due": item.due.isoformat(),
                       "concerns": item.deadline.concerns})
        return self._done(Change("Frist als erledigt markiert", "deadlines_done"))

    def unmark_deadline_done(self, key: str) -> Change:
        with self._action("Erledigt-Markierung aufgehoben") as act:
            old = people_db.unmark_done(self.store, key)
            if old is None:
                raise NotFoundError("Diese Frist ist nicht als erledigt markiert.")
            act.audit("deadlines_done", None, {"key": key, "done_on": old[0], "done_by": old[1]}, None)
        return self._done(Change("Erledigt-Markierung aufgehoben", "deadlines_done"))

    def export_qualification_csv(self, path: Path, *, today: date | None = None) -> int:
        """The Qualifikationsübersicht as a CSV file for German Excel; returns the row count."""
        rows = self.qualification_overview(today)
        qualification_csv.export(Path(path), rows)
        return len(rows)

    def export_ics(self, path: Path, *, today: date | None = None, reminder_days: int = 14,
                   now: datetime | None = None) -> int:
        """Write the open deadlines as an iCalendar file, and the ones done as cancellations of
        their events (so a calendar that imported an earlier file drops them); returns how many
        open deadlines it holds."""
        from ..core.deadlines import Urgency

        board_items = self.deadlines(today)
        items = open_items(board_items)
        done = [i.deadline for i in board_items if i.urgency == Urgency.DONE]
        profile = self.profile()
        domain = f"{profile.ags}.paktdesk" if profile else "paktdesk"
        name = f"PaktDesk Fristen – {profile.name}" if profile else "PaktDesk Fristen"
        data = ics.render([i.deadline for i in items], uid_domain=domain, calendar_name=name,
                          reminder_days=reminder_days, cancelled=done, today=_today(today), now=now)
        ics.write(Path(path), data)
        return len(items)

    # --- rule changes and bulk shifts ----------------------------------------------------------
    def change_rule_set(self, rules: e.RuleSet, *, requal_categories: list[str] | None = None,
                        today: date | None = None) -> RuleChangeResult:
        """Save a rule set (rates, requalification rule) and re-evaluate every person, in one
        transaction: the audit log records each person whose status or deadline moved, and the
        stored default deadlines of running requalifications follow the new rule."""
        today = _today(today)
        _check_rule_set(rules)
        if requal_categories is not None:
            bad = [c for c in requal_categories if c not in ("a", "b", "c")]
            if bad:
                raise ValidationError(f"Unbekannte Kategorie „{bad[0]}“.", field="requal_categories")
        persons = self.persons()
        names = {p.id: p.full_name for p in persons}
        before = self.requalification_statuses(today, persons=persons)
        old_rules = rules_db.rule_set(self.store, rules.id) if rules.id is not None else None
        action = "Regelwerk geändert" if rules.id is not None else "Regelwerk angelegt"
        with self._action(action) as act:
            old, new = rules_db.save_rule_set(self.store, rules)
            act.audit("rule_sets", new["id"], old, new)
            if requal_categories is not None:
                value = sorted(set(requal_categories))
                old_value = profile_db.set_setting(self.store, SETTING_REQUAL_CATEGORIES, value)
                if old_value != value:
                    act.audit("settings", None, {SETTING_REQUAL_CATEGORIES: old_value},
                              {SETTING_REQUAL_CATEGORIES: value})
            after = self.requalification_statuses(today, persons=persons)
            changes = changes_between(before, after, names)
            for change in changes:
                act.audit("persons", change.person_id,
                          {"status": change.old.label, "frist": _iso(change.old.deadline)},
                          {"status": change.new.label, "frist": _iso(change.new.deadline),
                           "grund": action})
            for result in after.values():
                record = result.record
                if (record is not None and result.deadline is not None and not is_overridden(record)
                        and result.status in (RequalStatus.RUNNING, RequalStatus.OVERDUE)
                        and record.deadline != result.deadline):
                    self._update(act, dataclasses.replace(record, deadline=result.deadline))
        rate_changes = _rate_changes(old_rules, rules, after)
        change = Change(action, "rule_sets", (new["id"],),
                        tuple(c.describe() for c in changes) + rate_changes)
        return RuleChangeResult(self._done(change), tuple(changes), rate_changes)

    def shift_deadlines(self, *, note: str, months: int = 0, days: int = 0,
                        person_ids: Iterable[int] | None = None,
                        today: date | None = None) -> Change:
        """Move the deadlines of running (or overdue) requalifications by ``months`` and ``days``,
        e.g. after a policy change. Each moved deadline becomes a new record with ``note`` as
        the reason; one transaction, one audit entry per person."""
        today = _today(today)
        note = (note or "").strip()
        if not note:
            raise ValidationError("Bitte einen Vermerk angeben, warum die Fristen verschoben werden.",
                                  field="note")
        if months == 0 and days == 0:
            raise ValidationError("Bitte angeben, um wie viele Monate oder Tage verschoben wird.",
                                  field="months")
        persons = {p.id: p for p in self.persons()}
        wanted = set(persons) if person_ids is None else set(person_ids)
        unknown = wanted - set(persons)
        if unknown:
            raise NotFoundError(f"Person Nr. {min(unknown)} gibt es nicht (mehr).")
        statuses = self.requalification_statuses(today, persons=[persons[i] for i in wanted])
        moves = []
        for person_id, result in sorted(statuses.items(), key=lambda x: persons[x[0]].sort_name):
            if result.status not in (RequalStatus.RUNNING, RequalStatus.OVERDUE):
                continue
            new_deadline = add_months(result.deadline, months) + timedelta(days=days)
            if new_deadline < result.record.started_on:
                raise ValidationError(
                    f"{persons[person_id].full_name}: Die neue Frist ({format_date(new_deadline)}) läge "
                    f"vor dem Beginn ({format_date(result.record.started_on)}).", field="months")
            moves.append((person_id, result, new_deadline))
        if not moves:
            raise ValidationError("Keine der gewählten Personen hat eine laufende Nachqualifizierung.")
        with self._action("Fristen verschoben") as act:
            ids = []
            for person_id, result, new_deadline in moves:
                record = dataclasses.replace(result.record, id=None, deadline=new_deadline,
                                             deadline_reason=note)
                new_id, row = repo.insert(self.store, record, now=now_utc())
                ids.append(new_id)
                act.audit("requalifications", new_id,
                          {"person_id": person_id, "frist": result.deadline.isoformat()},
                          {**row, "vermerk": note})
        lines = tuple(f"{persons[pid].full_name}: {format_date(r.deadline)} → {format_date(d)}"
                      for pid, r, d in moves)
        return self._done(Change("Fristen verschoben", "requalifications", tuple(ids), lines))


def _check_attachment(name: str, content: bytes) -> None:
    if not name:
        raise ValidationError("Der Anhang braucht einen Dateinamen.", field="attachment")
    if not content:
        raise ValidationError(f"Die Datei „{name}“ ist leer.", field="attachment")
    if len(content) > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            f"Die Datei „{name}“ ist größer als {MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB. "
            "Bitte den Scan mit geringerer Auflösung speichern.", field="attachment")


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _check_rule_set(rules: e.RuleSet) -> None:
    for category, cents in rules.rates.items():
        if category not in ("a", "b", "c") or not isinstance(cents, int) or cents < 0:
            raise ValidationError(f"Ungültiger Satz für Kategorie {category}.", field="rates")
    for name, label in (("requal_months", "Die Frist der Nachqualifizierung (Monate)"),
                        ("requal_hours", "Die Stunden der Nachqualifizierung"),
                        ("max_extension_months", "Die höchste Verlängerung (Monate)"),
                        ("proof_deadline_months", "Die Frist des Verwendungsnachweises (Monate)")):
        value = getattr(rules, name)
        if not isinstance(value, int) or value < 0 or value > 240:
            raise ValidationError(f"{label} muss eine ganze Zahl zwischen 0 und 240 sein.", field=name)
    if not 1 <= rules.min_vza_milli <= 1000:
        raise ValidationError("Der Mindest-Stellenanteil muss zwischen 0,001 und 1,0 VZÄ liegen.",
                              field="min_vza_milli")
    if rules.max_months <= 0:
        raise ValidationError("Die Höchstförderdauer muss mindestens 1 Monat sein.", field="max_months")
    if not rules.name.strip() or not rules.code.strip():
        raise ValidationError("Bitte Kürzel und Namen des Regelwerks angeben.", field="name")


def _rate_changes(old: e.RuleSet | None, new: e.RuleSet, after: dict[int, StatusResult]) -> tuple[str, ...]:
    if old is None:
        return ()
    lines = []
    for category in ("a", "b", "c"):
        before, now = old.rates.get(category), new.rates.get(category)
        if before == now:
            continue
        count = sum(1 for r in after.values() if r.category == category)
        lines.append(
            f"Fördersatz Kategorie {category} ({new.name}): "
            f"{format_cents(before) if before is not None else 'keiner'} → "
            f"{format_cents(now) if now is not None else 'keiner'}; {count} Person(en) mit dieser "
            "Kategorie. Bestehende Bescheide bleiben unverändert.")
    return tuple(lines)


def parse_shift(text: str) -> tuple[int, int]:
    """"3M", "-2M", "14T" (German Tage) → (months, days); used by the command line and dialogs."""
    raw = (text or "").strip().upper().replace(" ", "")
    try:
        if raw.endswith("M"):
            return int(raw[:-1]), 0
        if raw.endswith(("T", "D")):
            return 0, int(raw[:-1])
    except ValueError:
        pass
    raise ValidationError(f"„{text}“ ist keine Verschiebung. Bitte z. B. 3M (Monate) oder 14T (Tage).",
                          field="shift")

