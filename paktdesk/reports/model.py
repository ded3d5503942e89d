"""What the printed forms are made of: plain, frozen input objects.

The workspace gathers them from the stored rows (``paktdesk/workspace/reports.py``); the
renderers only lay them out. Amounts are int cents, dates are ``datetime.date``, and every
money figure of a proof or a Mittelabruf is a figure of ``core.balances`` carried here as it is;
renderers add nothing up but the visible lines of a table they print beside that figure."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from ..core.balances import BalanceLine
from ..core.entities import FundingArea
from ..core.periods import Period

# progress(done, total); raising from it cancels the rendering
Progress = Callable[[int, int], None]

@dataclass(frozen=True, slots=True)
class Letterhead:
    """The sender, printed on every page: owner name and AGS, plus the date of printing."""

    owner_name: str
    owner_kind: str
    ags: str
    printed_on: date
    address_lines: tuple[str, ...] = ()
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    city: str = ""
    anchor: str = ""  # the hash chain's head when the form was drawn (issue 17), printed in the footer


@dataclass(frozen=True, slots=True)
class VersionLine:
    """One version of a decision (Erstbescheid, Änderungsbescheid)."""

    version_no: int
    kind: str
    decided_on: date
    first_day: date
    last_day: date
    amount_cents: int
    note: str = ""


@dataclass(frozen=True, slots=True)
class DecisionHead:
    """A Zuwendungsbescheid as the forms show it (its current version plus the history)."""

    file_number: str
    grantor: str
    funding_area: str  # the area's German label
    versions: tuple[VersionLine, ...]
    area: FundingArea = FundingArea.INTEGRATION_MANAGEMENT  # its behaviour (e.g. grant wording)
    grantor_address: tuple[str, ...] = ()  # postal address lines of the grantor record, if one matches
    grantor_email: str = ""

    @property
    def current(self) -> VersionLine:
        return self.versions[-1]

    @property
    def amount_cents(self) -> int:
        return self.current.amount_cents

    @property
    def period(self) -> Period:
        return Period.inclusive(self.current.first_day, self.current.last_day)


@dataclass(frozen=True, slots=True)
class ReceiptLine:
    receipt_date: date
    number: str  # e.g. "P-0012"
    payee: str
    purpose: str
    amount_cents: int
    paid_on: date | None = None
    budget_year: int | None = None
    person: str = ""


@dataclass(frozen=True, slots=True)
class ReceiptList:
    """A Belegliste for one cost category; ``lines`` in date order."""

    code: str
    label: str
    list_kind: str  # "Personalausgaben" / "Sachausgaben"
    lines: Sequence[ReceiptLine]

    @property
    def total_cents(self) -> int:
        return sum(line.amount_cents for line in self.lines)


@dataclass(frozen=True, slots=True)
class CategoryLine:
    """Expenditure of one cost category: planned (None = no plan) and actual."""

    label: str
    group: str
    actual_cents: int
    planned_cents: int | None = None


@dataclass(frozen=True, slots=True)
class NumericProof:
    """A zahlenmäßiger Nachweis: for one integration manager's position, or for the decision."""

    title: str
    categories: tuple[CategoryLine, ...]
    figures: BalanceLine  # the core's line of the decision or of the person
    person_name: str = ""
    provider_name: str = ""
    vza_milli: int | None = None
    qualification: str = ""
    funded_period: Period | None = None
    funded_months: int | None = None
    extension_days: int = 0
    notes: tuple[str, ...] = ()

    @property
    def is_person(self) -> bool:
        return bool(self.person_name)


@dataclass(frozen=True, slots=True)
class NarrativeSection:
    """A part of the Sachbericht: the applicant's text, or a provider's contribution."""

    author: str
    text: str
    is_applicant: bool = True


@dataclass(frozen=True, slots=True)
class KeyFigureRow:
    group: str
    label: str
    values: tuple[int, ...]  # one per person column
    applicant_value: int | None = None  # recorded for the applicant as a whole

    @property
    def total(self) -> int:
        return sum(self.values)


@dataclass(frozen=True, slots=True)
class KeyFigureSheet:
    """The Land's sheet "Auswertung Zeitraum": rows = figures, columns = persons + total."""

    years: tuple[int, ...]
    persons: tuple[str, ...]
    rows: tuple[KeyFigureRow, ...]
    problems: tuple[str, ...] = ()  # implausible applicant totals (core.key_figures.applicant_problems)

    @property
    def has_applicant_column(self) -> bool:
        return any(row.applicant_value is not None for row in self.rows)


@dataclass(frozen=True, slots=True)
class Confirmations:
    document: str  # "Verwendungsnachweis" / "Zwischennachweis"
    has_audit_office: bool
    place: str = ""
    contact_name: str = ""
    signer_name: str = ""  # from the profile; the contact person only where no signer is recorded
    signer_title: str = ""
    audit_office_name: str = ""
    audit_note: str = ""
    retention_years: int = 5
    retention_until: date | None = None
    interim: bool = False  # a Zwischennachweis: the state so far, the purpose not yet achieved

    @property
    def signer(self) -> str:
        return self.signer_name or self.contact_name


@dataclass(frozen=True, slots=True)
class ProofOfUse:
    """The Verwendungsnachweis package of one decision."""

    letterhead: Letterhead
    decision: DecisionHead
    period: Period
    numeric: tuple[NumericProof, ...]  # the decision as a whole first, then one per person
    narrative: tuple[NarrativeSection, ...]
    receipt_lists: tuple[ReceiptList, ...]
    key_figures: KeyFigureSheet | None
    confirmations: Confirmations
    explanation: str = ""  # "Abweichungen vom Finanzierungsplan / Erläuterungen", the clerk's text
    narrative_on: date | None = None  # last change of the applicant's Sachbericht (None: none written)
    draft: bool = False  # printed as "Entwurf" on every page
    include_receipt_lists: bool = False  # the RP asks for Beleglisten only on request

    @property
    def has_narrative(self) -> bool:
        return any(s.is_applicant and s.text.strip() for s in self.narrative)


@dataclass(frozen=True, slots=True)
class InterimProof:
    """A Zwischennachweis for a period inside a decision."""

    letterhead: Letterhead
    decision: DecisionHead
    period: Period
    numeric: tuple[NumericProof, ...]
    receipt_lists: tuple[ReceiptList, ...]
    confirmations: Confirmations
    explanation: str = ""
    include_receipt_lists: bool = False


@dataclass(frozen=True, slots=True)
class StatementRow:
    """One decision of the Förderübersicht: its decided amount and its settlement for the part of
    the Bewilligungszeitraum inside the statement's period (``figures``, from core.balances)."""

    file_number: str
    grantor: str
    first_day: date
    last_day: date
    decided_cents: int
    figures: BalanceLine
    partial: bool  # the period covers only part of the Bewilligungszeitraum


@dataclass(frozen=True, slots=True)
class StatementGroup:
    funding_area: str
    rows: tuple[StatementRow, ...]
    total: BalanceLine  # core.balances.sum_lines of the rows
    decided_cents: int


@dataclass(frozen=True, slots=True)
class FundingStatement:
    """Förderübersicht: every decision touching a period, by Förderbereich."""

    letterhead: Letterhead
    period: Period
    groups: tuple[StatementGroup, ...]
    total: BalanceLine | None = None  # all areas (core.balances.sum_lines)
    decided_cents: int = 0


@dataclass(frozen=True, slots=True)
class Instalment:
    requested_on: date | None
    received_on: date | None
    amount_cents: int
    cash_ref: str = ""


@dataclass(frozen=True, slots=True)
class PaymentRequest:
    """Mittelabruf: granted, per statement, instalments paid, amount now requested."""

    letterhead: Letterhead
    decision: DecisionHead
    statement_cents: int  # Ausgaben laut Nachweis (to date)
    instalments: tuple[Instalment, ...]
    requested_cents: int
    iban: str = ""
    bank_name: str = ""
    statement_until: date | None = None
    notes: tuple[str, ...] = field(default=())
    due_cents: int = 0  # grant due on the costs booked so far (core.balances)
    paid_cents: int = 0  # received from the grantor
    pending_cents: int = 0  # requested earlier and not received yet
    requestable_cents: int = 0  # due − paid − pending, never below zero
    warnings: tuple[str, ...] = field(default=())
    signer_name: str = ""
    signer_title: str = ""


@dataclass(frozen=True, slots=True)
class RenderResult:
    """What a renderer reports back: page count and things the clerk should know."""

    pages: int
    warnings: tuple[str, ...] = ()


# -- Qualifikationsübersicht and Änderungsprotokoll (rendered by qualification_overview.py and
#    audit_trail.py) ---------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class QualificationLine:
    """One person of the Qualifikationsübersicht (texts as stored, dates as ``date``)."""

    name: str
    provider: str
    vza_milli: int
    category: str  # "a", "b", "c" or "" (none recorded)
    degree: str
    checked_by: str
    checked_on: date | None
    status: str
    deadline: date | None = None
    course: str = ""
    course_provider: str = ""
    hours_done: int | None = None
    hours_planned: int | None = None
    completed_on: date | None = None
    ended_on: date | None = None
    notes: str = ""


@dataclass(frozen=True, slots=True)
class QualificationOverview:
    letterhead: Letterhead
    as_of: date  # the status is evaluated on this day
    lines: tuple[QualificationLine, ...]
    categories: tuple[str, ...] = ()  # legend lines, e.g. "a) Hochschulabschluss …"
    rule_note: str = ""  # the requalification rule in force, in words


@dataclass(frozen=True, slots=True)
class AuditChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class AuditLine:
    number: int
    at: str  # local time, "09.05.2026 14:30:12"
    user: str
    action: str
    entity: str  # German label of the record type
    entity_id: int | None
    changes: tuple[AuditChange, ...] = ()


@dataclass(frozen=True, slots=True)
class AuditTrail:
    letterhead: Letterhead
    lines: tuple[AuditLine, ...]
    period_text: str = "alle Einträge"  # "Zeitraum 01.01.2025 – 31.12.2025", "ab 01.03.2025"
    entity: str = ""  # German label of the filter, "" = all
