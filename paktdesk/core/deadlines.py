"""The deadline board (Übersicht), computed every time from the data: no background job that
could fail to fire.

Each deadline has a stable key (what "erledigt" marks and calendar UIDs refer to; it does not
contain the date, so a deadline that moves stays the same deadline), its date, its kind, what it
concerns, and on the board a colour class from the lead times of its kind.

Kinds (shared/domain.md §5): requalification deadlines; end of each funded period and of its
extension by pay interruptions; proof of use due ``proof_deadline_months`` after the end of the
longest-funded person's (extended) period of a decision; interim proofs where recorded; key
figures due 31 January for the previous year; planned payment requests.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from .entities import Interruption, Payment
from .errors import ValidationError
from .funding import extended_period, funded_period
from .money import format_cents
from .periods import Period, add_months, format_date
from .requalification import RequalStatus, StatusResult

KEY_FIGURES_ANNUAL_FROM = 2020  # yearly key figures since 2020 (half-yearly before)
KEY_FIGURES_DUE = (1, 31)  # month, day of the following year
# setting of a demo Datenbestand: the day its story is told at (ISO date); the deadline board shows
# the deadlines as on that day, so the demo looks the same whenever it is opened
DEMO_TODAY_SETTING = "demo_today"


class DeadlineKind(StrEnum):
    REQUALIFICATION = "nachqualifizierung"
    FUNDING_END = "foerderende"
    EXTENSION_END = "verlaengerung"
    PROOF = "verwendungsnachweis"
    INTERIM_PROOF = "zwischennachweis"
    KEY_FIGURES = "kennzahlen"
    PAYMENT_REQUEST = "mittelabruf"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]

    @property
    def is_event(self) -> bool:
        """An event (a period ends) passes by itself; a task stays on the board until done."""
        return self in (DeadlineKind.FUNDING_END, DeadlineKind.EXTENSION_END,
                        DeadlineKind.PAYMENT_REQUEST)


_KIND_LABELS = {
    DeadlineKind.REQUALIFICATION: "Nachqualifizierung",
    DeadlineKind.FUNDING_END: "Ende Förderzeitraum",
    DeadlineKind.EXTENSION_END: "Ende Verlängerung",
    DeadlineKind.PROOF: "Verwendungsnachweis",
    DeadlineKind.INTERIM_PROOF: "Zwischennachweis",
    DeadlineKind.KEY_FIGURES: "Kennzahlen",
    DeadlineKind.PAYMENT_REQUEST: "Mittelabruf",
}


class Urgency(StrEnum):
    OVERDUE = "ueberfaellig"
    SOON = "bald"
    LATER = "demnaechst"
    FAR = "spaeter"
    DONE = "erledigt"
    PAST = "vorbei"  # an event whose date has passed

    def label(self, soon_days: int = 30, later_days: int = 90) -> str:
        return {
            Urgency.OVERDUE: "überfällig",
            Urgency.SOON: f"fällig in ≤ {soon_days} Tagen",
            Urgency.LATER: f"fällig in ≤ {later_days} Tagen",
            Urgency.FAR: "später",
            Urgency.DONE: "erledigt",
            Urgency.PAST: "vorbei",
        }[self]

    @property
    def is_open(self) -> bool:
        return self not in (Urgency.DONE, Urgency.PAST)


@dataclass(frozen=True, slots=True)
class LeadTimes:
    """Days before a deadline from which it counts as due soon / due later, per kind.

    Stored in the setting ``deadline_lead_days`` as
    ``{"soon": 30, "later": 90, "kinds": {"verwendungsnachweis": {"soon": 60, "later": 120}}}``.
    """

    soon: int = 30
    later: int = 90
    kinds: Mapping[str, tuple[int, int]] = field(default_factory=dict)

    @classmethod
    def from_setting(cls, value: Mapping | None) -> LeadTimes:
        value = value or {}
        soon, later = int(value.get("soon", 30)), int(value.get("later", 90))
        kinds = {}
        for kind, pair in (value.get("kinds") or {}).items():
            if kind in DeadlineKind._value2member_map_:
                kinds[kind] = (int(pair.get("soon", soon)), int(pair.get("later", later)))
        return cls(soon, later, kinds)

    def to_setting(self) -> dict:
        return {"soon": self.soon, "later": self.later,
                "kinds": {k: {"soon": s, "later": la} for k, (s, la) in sorted(self.kinds.items())}}

    def for_kind(self, kind: DeadlineKind | str) -> tuple[int, int]:
        return self.kinds.get(str(kind), (self.soon, self.later))

    def validate(self) -> LeadTimes:
        for kind, (soon, later) in [("", (self.soon, self.later)), *self.kinds.items()]:
            where = f" ({DeadlineKind(kind).label})" if kind else ""
            if not (0 <= soon <= later <= 3650):
                raise ValidationError(
                    f"Vorlaufzeiten{where}: „bald“ ({soon} Tage) muss zwischen 0 und „demnächst“ "
                    f"({later} Tage) liegen, höchstens 3650 Tage.", field="deadline_lead_days")
        return self


@dataclass(frozen=True, slots=True)
class Deadline:
    key: str
    due: date
    kind: DeadlineKind
    concerns: str  # German text: what the deadline is about
    detail: str = ""
    person_id: int | None = None
    decision_id: int | None = None
    done_on: str | None = None  # set when the data itself shows it done (e.g. proof submitted)
    done_by: str | None = None


@dataclass(frozen=True, slots=True)
class BoardItem:
    deadline: Deadline
    urgency: Urgency
    days_left: int
    lead: tuple[int, int]
    done_on: str | None = None
    done_by: str | None = None

    @property
    def key(self) -> str:
        return self.deadline.key

    @property
    def due(self) -> date:
        return self.deadline.due

    @property
    def kind(self) -> DeadlineKind:
        return self.deadline.kind

    @property
    def urgency_label(self) -> str:
        return self.urgency.label(*self.lead)

    def when_text(self) -> str:
        """"in 12 Tagen", "heute", "seit 3 Tagen überfällig"."""
        days = self.days_left
        if self.urgency == Urgency.DONE:
            return "erledigt"
        if days == 0:
            return "heute"
        if days == 1:
            return "morgen"
        if days > 0:
            return f"in {days} Tagen"
        if self.urgency == Urgency.PAST:
            return "vorbei"
        return "seit 1 Tag überfällig" if days == -1 else f"seit {-days} Tagen überfällig"


def classify(due: date, today: date, *, soon_days: int, later_days: int) -> Urgency:
    days = (due - today).days
    if days < 0:
        return Urgency.OVERDUE
    if days <= soon_days:
        return Urgency.SOON
    if days <= later_days:
        return Urgency.LATER
    return Urgency.FAR


def board(deadlines: Iterable[Deadline], *, today: date, lead: LeadTimes,
          done: Mapping[str, tuple[str, str]] | None = None) -> list[BoardItem]:
    """Every deadline with its colour class, by date. ``done`` maps key → (when, who)."""
    done = done or {}
    items = []
    for d in deadlines:
        pair = lead.for_kind(d.kind)
        days = (d.due - today).days
        marked = done.get(d.key)
        if marked is not None or d.done_on is not None:
            on, by = marked if marked is not None else (d.done_on, d.done_by or "")
            items.append(BoardItem(d, Urgency.DONE, days, pair, on, by))
        elif d.kind.is_event and days < 0:
            items.append(BoardItem(d, Urgency.PAST, days, pair))
        else:
            items.append(BoardItem(d, classify(d.due, today, soon_days=pair[0], later_days=pair[1]),
                                   days, pair))
    return sorted(items, key=lambda i: (i.due, i.kind.label, i.deadline.concerns, i.key))


def open_items(items: Iterable[BoardItem]) -> list[BoardItem]:
    return [i for i in items if i.urgency.is_open]


# --- the kinds ---------------------------------------------------------------------------------

def requalification_deadline(person_id: int, name: str, result: StatusResult) -> Deadline | None:
    """The deadline of a running or overdue requalification (None otherwise)."""
    if result.status not in (RequalStatus.RUNNING, RequalStatus.OVERDUE) or result.record is None:
        return None
    record = result.record
    course = record.course + (f" ({record.course_provider})" if record.course_provider else "")
    hours = (f"{record.hours_done} von {record.hours_planned} Stunden"
             if record.hours_planned else f"{record.hours_done} Stunden")
    return Deadline(
        key=f"nachqualifizierung:{person_id}:{record.started_on.isoformat()}",
        due=result.deadline,
        kind=DeadlineKind.REQUALIFICATION,
        concerns=f"{name}: Nachqualifizierung abschließen – {course}",
        detail=f"Begonnen {format_date(record.started_on)}, {hours}"
               + (f"; Frist abweichend: {record.deadline_reason}" if record.deadline_reason else ""),
        person_id=person_id,
    )


@dataclass(frozen=True, slots=True)
class PositionFacts:
    """A funded position of a decision's current version, with its holder's interruptions."""

    person_id: int
    person_name: str
    first_day: date
    months: int
    interruptions: tuple[Interruption, ...] = ()


@dataclass(frozen=True, slots=True)
class DecisionFacts:
    decision_id: int
    file_number: str
    period: Period  # of the current version
    positions: tuple[PositionFacts, ...] = ()
    max_extension_months: int = 12
    proof_deadline_months: int = 3
    final_proof_submitted_on: date | None = None
    interim_proofs: tuple[tuple[date, str], ...] = ()  # (due, note) as recorded


def position_periods(decision: DecisionFacts, position: PositionFacts) -> tuple[Period, Period]:
    """The base funded period and the one extended by pay interruptions (capped)."""
    base = funded_period(position.first_day, position.months)
    extended = extended_period(position.first_day, position.months, list(position.interruptions),
                               max_extension_months=decision.max_extension_months)
    return base, extended


def proof_due(decision: DecisionFacts) -> date:
    """Proof of use: ``proof_deadline_months`` after the last funded day of the longest-funded
    person (extensions included); without positions after the end of the decision's period.
    Counted in whole months from the day after the end: end 30.06. → due 30.09., end 28.02. → 31.05."""
    ends = [position_periods(decision, p)[1].end for p in decision.positions]
    end = max(ends) if ends else decision.period.end
    return add_months(end, decision.proof_deadline_months) - timedelta(days=1)


def decision_deadlines(decision: DecisionFacts) -> list[Deadline]:
    items = []
    for p in decision.positions:
        base, extended = position_periods(decision, p)
        suffix = f"{p.person_id}:{p.first_day.isoformat()}"
        items.append(Deadline(
            key=f"foerderende:{decision.decision_id}:{suffix}",
            due=base.last_day,
            kind=DeadlineKind.FUNDING_END,
            concerns=f"{p.person_name}: Förderzeitraum {base.format()} endet",
            detail=f"Bescheid {decision.file_number}",
            person_id=p.person_id, decision_id=decision.decision_id,
        ))
        if extended.end > base.end:
            reasons = ", ".join(sorted({i.reason for i in p.interruptions if base.overlaps(i.period)}))
            days = (extended.end - base.end).days
            items.append(Deadline(
                key=f"verlaengerung:{decision.decision_id}:{suffix}",
                due=extended.last_day,
                kind=DeadlineKind.EXTENSION_END,
                concerns=f"{p.person_name}: verlängerter Förderzeitraum endet "
                         f"(+{days} Tage wegen {reasons or 'Unterbrechung'})",
                detail=f"Bescheid {decision.file_number}; höchstens "
                       f"{decision.max_extension_months} Monate Verlängerung",
                person_id=p.person_id, decision_id=decision.decision_id,
            ))
    submitted = decision.final_proof_submitted_on
    items.append(Deadline(
        key=f"verwendungsnachweis:{decision.decision_id}",
        due=proof_due(decision),
        kind=DeadlineKind.PROOF,
        concerns=f"Verwendungsnachweis für Bescheid {decision.file_number} einreichen",
        detail=f"{decision.proof_deadline_months} Monate nach Ende des längsten Förderzeitraums",
        decision_id=decision.decision_id,
        done_on=submitted.isoformat() if submitted else None,
        done_by="als eingereicht erfasst" if submitted else None,
    ))
    for due, note in decision.interim_proofs:
        items.append(Deadline(
            key=f"zwischennachweis:{decision.decision_id}:{due.isoformat()}",
            due=due,
            kind=DeadlineKind.INTERIM_PROOF,
            concerns=f"Zwischennachweis für Bescheid {decision.file_number} einreichen",
            detail=note,
            decision_id=decision.decision_id,
        ))
    return items


def key_figure_years(periods: Iterable[Period], *, today: date) -> list[int]:
    """Calendar years with programme activity (from 2020 on, up to this year) that need key figures."""
    years = set()
    for period in periods:
        first = max(period.start.year, KEY_FIGURES_ANNUAL_FROM)
        last = min(period.last_day.year, today.year)
        years.update(range(first, last + 1))
    return sorted(years)


def key_figure_deadline(year: int) -> Deadline:
    month, day = KEY_FIGURES_DUE
    return Deadline(
        key=f"kennzahlen:{year}",
        due=date(year + 1, month, day),
        kind=DeadlineKind.KEY_FIGURES,
        concerns=f"Kennzahlen {year} an das Land melden",
        detail=f"Landeseinheitliche Auswertung für 01.01.{year} – 31.12.{year}",
    )


def payment_request_deadlines(payments: Iterable[Payment], file_numbers: Mapping[int, str], *,
                              today: date) -> list[Deadline]:
    """Planned payment requests: requested on a future day (or today) and not yet received."""
    return [
        Deadline(
            key=f"mittelabruf:{p.id}",
            due=p.requested_on,
            kind=DeadlineKind.PAYMENT_REQUEST,
            concerns=f"Mittel abrufen: {format_cents(p.amount_cents)} für Bescheid "
                     f"{file_numbers.get(p.decision_id, p.decision_id)}",
            detail=p.note,
            decision_id=p.decision_id,
        )
        for p in payments
        if p.requested_on is not None and p.requested_on >= today and p.received_on is None
        and p.reversal_of is None
    ]
