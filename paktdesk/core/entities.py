"""The domain's records as frozen dataclasses. Storage turns rows into these and back.

Conventions: amounts are ``*_cents`` ints; employment shares are ``vza_milli`` ints (0,5 VZÄ = 500);
date ranges are stored as entered, ``first_day`` and inclusive ``last_day`` (None = open), and
exposed as half-open :class:`Period` by the ``period`` properties.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from .periods import Period


class OwnerKind(StrEnum):
    GEMEINDE = "Gemeinde"
    STADT = "Stadt"
    LANDKREIS = "Landkreis"
    STADTKREIS = "Stadtkreis"
    GVV = "Gemeindeverwaltungsverband"
    TRAEGER = "Freier Träger"


class FundingRoute(StrEnum):
    LAND = "land"  # decision from the Regierungspräsidium directly
    KREIS = "kreis"  # share passed on by the Kreis (since 2025)

    @property
    def label(self) -> str:
        return {"land": "direkt vom Land (RP Stuttgart)", "kreis": "über den Landkreis"}[self.value]


class ProviderKind(StrEnum):
    OWN = "eigen"
    FREE = "frei"
    MUNICIPAL = "kommune"

    @property
    def label(self) -> str:
        return {
            "eigen": "Eigene Verwaltung",
            "frei": "Freier Träger",
            "kommune": "Andere Kommune (Vereinbarung)",
        }[self.value]


class Category(StrEnum):
    A = "a"
    B = "b"
    C = "c"

    @property
    def label(self) -> str:
        return {
            "a": "a) Hochschulabschluss Soziale Arbeit/Sozialpädagogik o. ä.",
            "b": "b) anderer geeigneter Hochschulabschluss",
            "c": "c) mittlerer Abschluss, Berufsausbildung und Erfahrung",
        }[self.value]


class FundingArea(StrEnum):
    INTEGRATION_MANAGEMENT = "1"
    YOUNG_REFUGEES = "2"
    LANGUAGE = "3"
    VOLUNTEERING = "4"

    @property
    def label(self) -> str:
        return {
            "1": "Integrationsmanagement",
            "2": "Junge Geflüchtete (Schule, Ausbildung)",
            "3": "Spracherwerb",
            "4": "Bürgerschaftliches Engagement",
        }[self.value]

    @property
    def funded_by_positions(self) -> bool:
        """Integrationsmanagement pays a fixed amount per named person's position; the other
        areas fund a decision's cost plan as a whole (see :mod:`paktdesk.core.grant_rules`)."""
        return self is FundingArea.INTEGRATION_MANAGEMENT

    @property
    def grant_label(self) -> str:
        """How the forms name the granted amount of a decision in this area."""
        return "Bewilligte Zuwendung (Festbetrag)" if self.funded_by_positions else "Bewilligte Zuwendung"


class ListKind(StrEnum):
    PERSONNEL = "P"
    MATERIAL = "S"

    @property
    def label(self) -> str:
        return {"P": "Personalausgaben", "S": "Sachausgaben"}[self.value]


class VersionKind(StrEnum):
    ORIGINAL = "Erstbescheid"
    AMENDMENT = "Änderungsbescheid"


class ProofKind(StrEnum):
    FINAL = "VN"
    INTERIM = "ZN"

    @property
    def label(self) -> str:
        return {"VN": "Verwendungsnachweis", "ZN": "Zwischennachweis"}[self.value]


class ThirdPartyKind(StrEnum):
    """A row of third-party money: the amount of the financing plan, or money received."""

    PLANNED = "plan"
    RECEIVED = "eingang"

    @property
    def label(self) -> str:
        return {"plan": "Finanzierungsplan", "eingang": "Eingang"}[self.value]


def _period(first: date, last: date | None) -> Period | None:
    return Period.inclusive(first, last) if last else None


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    kind: OwnerKind
    ags: str
    street: str = ""
    postcode: str = ""
    city: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    iban: str = ""
    bank_name: str = ""
    funding_route: FundingRoute = FundingRoute.LAND
    kreis_name: str = ""
    has_audit_office: bool = False
    signer_name: str = ""
    signer_title: str = ""  # Amtsbezeichnung: Bürgermeister:in, Kämmerer:in …
    audit_office_name: str = ""
    audit_note: str = ""  # the Rechnungsprüfungsamt's Prüfvermerk as printed
    retention_years: int = 5  # receipts kept N years after the proof was submitted (domain.md §8)


@dataclass(frozen=True, slots=True)
class Grantor:
    """A Zuwendungsgeber's postal address; a decision's grantor text that starts with ``name``
    selects it (the RP, or from 2025 a Kreis for its Gemeinden)."""

    id: int | None
    name: str
    department: str = ""
    street: str = ""
    postcode: str = ""
    city: str = ""
    email: str = ""

    def address_lines(self) -> tuple[str, ...]:
        place = " ".join(p for p in (self.postcode, self.city) if p)
        parts = [self.name, *(d.strip() for d in self.department.split(",")), self.street, place]
        return tuple(p for p in parts if p)


@dataclass(frozen=True, slots=True)
class Provider:
    id: int | None
    name: str
    kind: ProviderKind
    ags: str = ""
    address: str = ""
    contact: str = ""
    notes: str = ""
    deleted_at: str | None = None


@dataclass(frozen=True, slots=True)
class Person:
    id: int | None
    first_name: str
    last_name: str
    provider_id: int
    email: str = ""
    phone: str = ""
    notes: str = ""
    ended_on: date | None = None
    deleted_at: str | None = None

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def sort_name(self) -> str:
        return f"{self.last_name}, {self.first_name}"


@dataclass(frozen=True, slots=True)
class Employment:
    """A person's employment share (VZÄ) at a provider over a stretch of time."""

    id: int | None
    person_id: int
    provider_id: int
    first_day: date
    last_day: date | None
    vza_milli: int
    position_id: int | None = None
    note: str = ""

    def active_on(self, day: date) -> bool:
        return self.first_day <= day and (self.last_day is None or day <= self.last_day)


@dataclass(frozen=True, slots=True)
class Interruption:
    """Pay interrupted (Elternzeit, lange Krankheit): extends the funded period."""

    id: int | None
    person_id: int
    first_day: date
    last_day: date
    reason: str

    @property
    def period(self) -> Period:
        return Period.inclusive(self.first_day, self.last_day)


@dataclass(frozen=True, slots=True)
class Qualification:
    id: int | None
    person_id: int
    category: Category
    degree: str
    evidence_attachment_id: int | None = None
    checked_by: str = ""
    checked_on: date | None = None


@dataclass(frozen=True, slots=True)
class Requalification:
    id: int | None
    person_id: int
    course: str
    course_provider: str
    started_on: date
    deadline: date
    hours_planned: int = 0
    hours_done: int = 0
    deadline_reason: str = ""  # why the rule's deadline was overridden, if it was
    completed_on: date | None = None
    certificate_attachment_id: int | None = None


@dataclass(frozen=True, slots=True)
class RuleSet:
    """A directive version's rules, kept as data the clerk can edit."""

    id: int | None
    code: str
    name: str
    valid_from: date
    valid_to: date | None
    rates: dict[str, int] = field(default_factory=dict)  # category → cents per VZÄ and year
    min_vza_milli: int = 250
    max_months: int = 60
    max_extension_months: int = 12
    proof_deadline_months: int = 3
    requal_months: int = 24
    requal_hours: int = 0
    requal_evidence: str = "Zertifikat"

    def rate_for(self, category: Category | str) -> int | None:
        return self.rates.get(str(category))


@dataclass(frozen=True, slots=True)
class Decision:
    """A Zuwendungsbescheid; its content lives in versions (Erstbescheid, Änderungsbescheide)."""

    id: int | None
    funding_area: FundingArea
    grantor: str
    file_number: str
    notes: str = ""
    deleted_at: str | None = None


@dataclass(frozen=True, slots=True)
class DecisionVersion:
    id: int | None
    decision_id: int
    version_no: int
    kind: VersionKind
    decided_on: date
    first_day: date
    last_day: date
    amount_cents: int
    rule_set_id: int | None = None
    note: str = ""

    @property
    def period(self) -> Period:
        return Period.inclusive(self.first_day, self.last_day)


@dataclass(frozen=True, slots=True)
class Position:
    """A funded position of an Integrationsmanagement decision, held by a named person."""

    id: int | None
    version_id: int
    person_id: int
    vza_milli: int
    category: Category
    first_day: date
    months: int
    rate_cents: int
    amount_cents: int


@dataclass(frozen=True, slots=True)
class CostPlanItem:
    id: int | None
    version_id: int
    cost_category: str
    amount_cents: int


@dataclass(frozen=True, slots=True)
class CostCategory:
    code: str
    label: str
    list_kind: ListKind
    sort_order: int = 0


@dataclass(frozen=True, slots=True)
class Payment:
    id: int | None
    decision_id: int
    requested_on: date | None
    received_on: date | None
    amount_cents: int
    cash_ref: str = ""
    note: str = ""
    reversal_of: int | None = None
    reversal_reason: str = ""


@dataclass(frozen=True, slots=True)
class Receipt:
    id: int | None
    decision_id: int
    list_kind: ListKind
    number: int
    receipt_date: date
    paid_on: date | None
    budget_year: int
    payee: str
    purpose: str
    cost_category: str
    amount_cents: int
    person_id: int | None = None
    attachment_id: int | None = None
    reversal_of: int | None = None
    reversal_reason: str = ""


@dataclass(frozen=True, slots=True)
class PassThrough:
    """Weiterleitung: an agreement to pass part of a decision's money on to a provider."""

    id: int | None
    decision_id: int
    provider_id: int
    agreed_on: date
    reference: str
    amount_cents: int
    note: str = ""


@dataclass(frozen=True, slots=True)
class PassThroughPayment:
    id: int | None
    pass_through_id: int
    paid_on: date
    amount_cents: int
    note: str = ""
    reversal_of: int | None = None
    reversal_reason: str = ""


@dataclass(frozen=True, slots=True)
class ProviderProof:
    """The provider's own proof of use for money passed on to it."""

    id: int | None
    pass_through_id: int
    received_on: date
    spent_cents: int
    note: str = ""
    attachment_id: int | None = None


@dataclass(frozen=True, slots=True)
class ThirdPartyFund:
    """Drittmittel: money of a co-financier (Mittelgeber: Landkreis, foundation, church …) for a
    decision, either its amount in the financing plan (``PLANNED``, no date) or money received
    (``RECEIVED``, with the date). ``person_id`` names the integration manager it is for (None:
    the decision as a whole). Corrections after a submitted proof are reversal rows."""

    id: int | None
    decision_id: int
    kind: ThirdPartyKind
    giver: str
    amount_cents: int
    received_on: date | None = None
    person_id: int | None = None
    purpose: str = ""
    reversal_of: int | None = None
    reversal_reason: str = ""

    @property
    def is_received(self) -> bool:
        return self.kind == ThirdPartyKind.RECEIVED


@dataclass(frozen=True, slots=True)
class KeyFigureDef:
    code: str
    label: str
    group: str
    sort_order: int
    active: bool = True


@dataclass(frozen=True, slots=True)
class KeyFigure:
    id: int | None
    year: int
    person_id: int | None  # None: the applicant as a whole
    code: str
    value: int


@dataclass(frozen=True, slots=True)
class NarrativeReport:
    id: int | None
    decision_id: int
    provider_id: int | None  # None: the applicant's merged report
    text: str
    updated_at: str = ""


@dataclass(frozen=True, slots=True)
class Attachment:
    id: int | None
    filename: str
    mime: str
    size: int
    sha256: str
    created_at: str = ""


@dataclass(frozen=True, slots=True)
class ProofSubmission:
    """A proof of use (or interim proof) marked as submitted: locks its bookings."""

    id: int | None
    decision_id: int
    kind: ProofKind
    first_day: date
    last_day: date
    submitted_on: date
    note: str = ""


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: str
    user: str
    action: str
    entity: str
    entity_id: int | None
    old: str | None
    new: str | None
