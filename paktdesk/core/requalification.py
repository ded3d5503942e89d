"""Qualification and requalification status, computed from the records, never typed.

Rules (shared/domain.md §4; the requalification rule is data of the rule set):
- the newest qualification record gives the person's category; a category the rule does not
  send to requalification (by default a and b) means *qualifiziert*;
- for a category that needs requalification (by default c) the newest requalification record is
  the current one (renewal, progress and completion each add a new record, so the history stays);
  its deadline is the rule's default, start + ``requal_months``, unless the record overrides it
  with a reason;
- a record counts as completed when it has a completion date and at least the rule's hours;
  otherwise the requalification is running until the deadline and overdue after it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from .entities import Category, Qualification, Requalification, RuleSet
from .errors import ValidationError
from .periods import add_months, format_date

DEFAULT_REQUAL_CATEGORIES = frozenset({Category.C})


class RequalStatus(StrEnum):
    QUALIFIED = "qualifiziert"
    RUNNING = "Nachqualifizierung läuft"
    OVERDUE = "Nachqualifizierung überfällig"
    COMPLETED = "abgeschlossen"
    MISSING = "Nachqualifizierung fehlt"  # category needs it, nothing recorded
    UNKNOWN = "keine Qualifikation erfasst"

    @property
    def needs_attention(self) -> bool:
        return self in (RequalStatus.OVERDUE, RequalStatus.MISSING, RequalStatus.UNKNOWN)


@dataclass(frozen=True, slots=True)
class RequalRule:
    """The requalification part of a rule set, plus which categories must requalify."""

    months: int = 24
    hours: int = 0
    evidence: str = "Zertifikat"
    categories: frozenset[Category] = DEFAULT_REQUAL_CATEGORIES

    @classmethod
    def of(cls, rules: RuleSet | None, *, categories: Iterable[str] | None = None) -> RequalRule:
        cats = DEFAULT_REQUAL_CATEGORIES if categories is None else frozenset(Category(c) for c in categories)
        if rules is None:
            return cls(categories=cats)
        return cls(months=rules.requal_months, hours=rules.requal_hours,
                   evidence=rules.requal_evidence, categories=cats)

    def default_deadline(self, started_on: date) -> date:
        return add_months(started_on, self.months)

    def describe(self) -> str:
        hours = f", mindestens {self.hours} Stunden" if self.hours else ""
        evidence = f", Nachweis: {self.evidence}" if self.evidence else ""
        return f"Abschluss innerhalb von {self.months} Monaten nach Beginn{hours}{evidence}"


@dataclass(frozen=True, slots=True)
class StatusResult:
    status: RequalStatus
    category: Category | None = None
    record: Requalification | None = None  # the current requalification record
    deadline: date | None = None  # effective deadline of the current record
    notes: tuple[str, ...] = field(default=())

    @property
    def label(self) -> str:
        return str(self.status)


def current_qualification(records: Sequence[Qualification]) -> Qualification | None:
    """The newest qualification record (highest id; records without id count as newest)."""
    return max(records, key=_order, default=None)


def current_requalification(records: Sequence[Requalification]) -> Requalification | None:
    """The newest requalification record: it replaces the ones before it."""
    return max(records, key=_order, default=None)


def _order(record) -> tuple[int, int]:
    return (1, 0) if record.id is None else (0, record.id)


def is_overridden(record: Requalification) -> bool:
    return bool(record.deadline_reason.strip())


def effective_deadline(record: Requalification, rule: RequalRule) -> date:
    """The record's own deadline if it was overridden with a reason, else the rule's default."""
    return record.deadline if is_overridden(record) else rule.default_deadline(record.started_on)


def is_completed(record: Requalification, rule: RequalRule, today: date) -> bool:
    return (record.completed_on is not None and record.completed_on <= today
            and record.hours_done >= rule.hours)


def evaluate(category: Category | None, records: Sequence[Requalification], rule: RequalRule,
             today: date) -> StatusResult:
    """The person's status on ``today`` from their category and requalification records."""
    if category is None:
        return StatusResult(RequalStatus.UNKNOWN)
    if category not in rule.categories:
        return StatusResult(RequalStatus.QUALIFIED, category)
    current = current_requalification(records)
    if current is None:
        return StatusResult(RequalStatus.MISSING, category,
                            notes=(f"Kategorie {category} erfordert eine Nachqualifizierung "
                                   f"({rule.describe()}).",))
    deadline = effective_deadline(current, rule)
    notes = []
    if current.completed_on is not None and current.hours_done < rule.hours:
        notes.append(f"Abschluss erfasst, aber nur {current.hours_done} von {rule.hours} "
                     "Stunden nachgewiesen.")
    if is_completed(current, rule, today):
        if rule.evidence and current.certificate_attachment_id is None:
            notes.append(f"Nachweis ({rule.evidence}) noch nicht hinterlegt.")
        return StatusResult(RequalStatus.COMPLETED, category, current, deadline, tuple(notes))
    if is_overridden(current):
        notes.append(f"Frist abweichend von der Regel: {current.deadline_reason}")
    status = RequalStatus.OVERDUE if today > deadline else RequalStatus.RUNNING
    return StatusResult(status, category, current, deadline, tuple(notes))


def check_deadline_choice(record: Requalification, rule: RequalRule) -> Requalification:
    """A deadline that differs from the rule's default needs a reason; none lies before the start."""
    if record.deadline < record.started_on:
        raise ValidationError(
            f"Die Frist ({format_date(record.deadline)}) liegt vor dem Beginn der "
            f"Nachqualifizierung ({format_date(record.started_on)}).", field="deadline")
    default = rule.default_deadline(record.started_on)
    if record.deadline != default and not is_overridden(record):
        raise ValidationError(
            f"Die Frist weicht von der Regel ab (nach der Regel: {format_date(default)}). "
            "Bitte einen Grund für die abweichende Frist angeben.", field="deadline_reason")
    return record


@dataclass(frozen=True, slots=True)
class StatusChange:
    """A person whose status (or deadline) differs after a rule change."""

    person_id: int
    name: str
    old: StatusResult
    new: StatusResult

    def describe(self) -> str:
        text = f"{self.name}: {self.old.label} → {self.new.label}"
        if self.old.deadline != self.new.deadline:
            text += f" (Frist {format_date(self.old.deadline) or '–'} → {format_date(self.new.deadline) or '–'})"
        return text


def changes_between(before: dict[int, StatusResult], after: dict[int, StatusResult],
                    names: dict[int, str]) -> list[StatusChange]:
    """Persons whose status or effective deadline differ, sorted by name."""
    changed = [
        StatusChange(pid, names.get(pid, str(pid)), before[pid], after[pid])
        for pid in before.keys() & after.keys()
        if (before[pid].status, before[pid].deadline) != (after[pid].status, after[pid].deadline)
    ]
    return sorted(changed, key=lambda c: c.name.casefold())
