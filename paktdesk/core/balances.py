"""Plan vs. actual of a decision (Zuwendungsbescheid) as pure functions over stored rows: the one
computation of money that every screen, printed form and export reads.

Input is one :class:`DecisionMoney`: the decision, its versions, the current version's positions
and cost plan, payments, receipts (summed per person/budget year/category/month, see
:class:`ReceiptSum`), pass-through agreements with their payments and the providers' proofs, and
third-party money (Drittmittel: financing-plan rows and money received). Nothing here reads the
database; :mod:`paktdesk.db.balance_queries` gathers the rows (for a Zwischennachweis only the rows
dated inside the reporting period, with ``report_period`` set).

The figures, in int cents:

``planned``
    The decided amount of the current version (never recomputed) for a decision; the fixed
    amounts (Festbeträge) of a person's positions; the cost plan of a category; the decided
    amount spread over the calendar years by days for a year; the agreed amount of a pass-through.
    With a ``report_period`` the part of each that falls into it
    (:func:`paktdesk.core.grant_rules.grant_share_in_period`).
``received``
    Payments from the grantor with a received date (reversals and repayments are negative rows);
    ``requested_open`` those requested and not yet received.
``spent``
    The owner's own receipts (Belege), reversals and credits included as negative rows.
``passed_on``
    Money paid on to providers (Weiterleitung), reversals included.
``provider_refund``
    Passed on but not covered by the providers' own proofs (only once a proof is in):
    ``passed_on − min(passed_on, proven)`` per agreement. It is money the provider owes back.
``actual``
    ``spent + passed_on − provider_refund``: the cost actually borne for the funded purpose;
    ``eligible`` the part a grant can cover (costs of a decision funded by positions that belong
    to no funded person are ``not_eligible``).
``third_party``
    Third-party money received (Drittmittel rows of kind "Eingang", reversals negative).
``due``
    The grant the owner may keep (:mod:`paktdesk.core.grant_rules`): per funded person
    ``min(fixed amount, eligible − third_party)``, never below 0; for a decision funded by
    positions the sum over its persons (capped by the decided amount); for a decision funded by a
    cost plan ``min(decided, eligible − third_party)``.
``own_share``
    ``actual − due − third_party`` (the Eigenanteil), never negative.
``balance``
    ``due − received − requested_open``: positive = to claim (Nachforderung), negative = to pay
    back (Rückforderung).

The split rule, stated once: money of a decision that reaches several persons (payments received
and requested, Drittmittel not given for a named person) is shared over the persons with a
position in proportion to their fixed amounts, persons in name order, by largest remainder
(:func:`split_cents`); money passed on to a provider, and its refund, over that provider's persons
the same way, in the order of their positions. So ``planned``, ``received``, ``spent``,
``passed_on``, ``provider_refund``, ``actual``, ``third_party`` and ``due`` of the lines per person
add up exactly to the decision's figures (for ``due``: unless the decided amount is below the sum
of the fixed amounts, where the decision's cap applies). The lines per category and per year carry
no grant settlement (``due`` is ``None``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date

from . import entities as e
from .funding import extended_period, position_amount
from .grant_rules import grant_due, grant_share_in_period, own_share, third_party_surplus
from .money import split_cents
from .periods import Period, format_date

NO_PERSON = "ohne Person"
UNASSIGNED_PASS_THROUGH = "Weiterleitung ohne Stelle"
PASS_THROUGH_CATEGORY = "__weiterleitung__"
PASS_THROUGH_LABEL = "Weiterleitung an Träger"


@dataclass(frozen=True, slots=True)
class ReceiptSum:
    """Receipts of one decision summed per person, budget year, cost category and month.

    ``month`` is the first day of the month the money left (paid date, else receipt date).
    Reversal rows are included with their negative amounts."""

    person_id: int | None
    budget_year: int
    cost_category: str
    list_kind: str
    month: date
    amount_cents: int
    count: int


@dataclass(frozen=True, slots=True)
class DecisionMoney:
    """Everything the balances of one decision are computed from: stored rows, nothing derived."""

    decision: e.Decision
    versions: tuple[e.DecisionVersion, ...]  # all versions, oldest first
    positions: tuple[e.Position, ...]  # of the current version
    cost_plan: tuple[e.CostPlanItem, ...]  # of the current version
    payments: tuple[e.Payment, ...]
    receipts: tuple[ReceiptSum, ...]
    pass_throughs: tuple[e.PassThrough, ...]
    pass_through_payments: tuple[e.PassThroughPayment, ...]
    provider_proofs: tuple[e.ProviderProof, ...]
    persons: Mapping[int, e.Person] = field(default_factory=dict)
    providers: Mapping[int, e.Provider] = field(default_factory=dict)
    categories: tuple[e.CostCategory, ...] = ()
    third_party: tuple[e.ThirdPartyFund, ...] = ()  # Drittmittel: plan and received rows
    interruptions: tuple[e.Interruption, ...] = ()  # of the persons with a position
    max_extension_months: int = 12  # of the current version's rule set
    proof_deadline_months: int = 3  # of the current version's rule set
    report_period: Period | None = None  # rows filtered to this period (Zwischennachweis)

    @property
    def current(self) -> e.DecisionVersion:
        return self.versions[-1]

    @property
    def decided(self) -> int:
        return self.current.amount_cents

    def person_label(self, person_id: int | None) -> str:
        if person_id is None:
            return NO_PERSON
        person = self.persons.get(person_id)
        return person.sort_name if person else f"Person Nr. {person_id}"

    def provider_label(self, provider_id: int) -> str:
        provider = self.providers.get(provider_id)
        return provider.name if provider else f"Träger Nr. {provider_id}"

    def category_label(self, code: str) -> str:
        if code == PASS_THROUGH_CATEGORY:
            return PASS_THROUGH_LABEL
        for category in self.categories:
            if category.code == code:
                return category.label
        return code


@dataclass(frozen=True, slots=True)
class BalanceLine:
    """One row of a plan-vs-actual table. ``None`` means "not applicable here".

    ``due`` is set by the builders of this module (:mod:`paktdesk.core.grant_rules` states the
    rule); lines where no grant is settled (years, cost categories) leave it ``None`` and so have
    no own share and no balance."""

    key: str
    label: str
    planned: int | None
    received: int | None
    spent: int = 0
    passed_on: int = 0
    provider_refund: int = 0
    third_party: int = 0  # Drittmittel received
    due: int | None = None  # the grant the owner may keep for this line
    not_eligible: int = 0  # part of ``actual`` that no fixed amount or cost plan covers
    requested_open: int = 0  # requested from the grantor, not yet received
    third_party_planned: int = 0  # Drittmittel of the financing plan
    planned_costs: int | None = None  # total of the cost plan, where the decision has one

    @property
    def actual(self) -> int:
        return self.spent + self.passed_on - self.provider_refund

    @property
    def eligible(self) -> int:
        """Costs that count for the grant (zuwendungsfähig)."""
        return self.actual - self.not_eligible

    @property
    def own_share(self) -> int | None:
        if self.due is None:
            return None
        return own_share(actual=self.actual, due=self.due, third_party=self.third_party)

    @property
    def third_party_surplus(self) -> int:
        return third_party_surplus(actual=self.actual, third_party=self.third_party)

    @property
    def balance(self) -> int | None:
        """``due − received − requested_open``: positive = still to claim (Nachforderung),
        negative = to pay back (Rückforderung). Open requests count as if received."""
        if self.due is None or self.received is None:
            return None
        return self.due - self.received - self.requested_open

    @property
    def balance_label(self) -> str:
        return balance_label(self.balance)

    @property
    def plan_difference(self) -> int | None:
        """Actual minus plan, the way a cost plan comparison reads."""
        return None if self.planned is None else self.actual - self.planned

    @property
    def planned_total(self) -> int:
        """The financing plan's total: the cost plan where there is one, else grant plus Drittmittel."""
        if self.planned_costs is not None:
            return self.planned_costs
        return (self.planned or 0) + self.third_party_planned

    @property
    def planned_own_share(self) -> int:
        """The own share the financing plan foresees."""
        return max(0, self.planned_total - (self.planned or 0) - self.third_party_planned)


def balance_label(balance: int | None) -> str:
    if balance is None:
        return ""
    if balance > 0:
        return "Nachforderung"
    if balance < 0:
        return "Rückforderung"
    return "ausgeglichen"


@dataclass(frozen=True, slots=True)
class PositionCheck:
    """A position of the current version: the decided fixed amount beside the one computed
    from rate × VZÄ × months ÷ 12. The decided amount always wins; a difference is flagged."""

    position_id: int | None
    person_id: int
    person_label: str
    vza_milli: int
    category: str
    first_day: date
    months: int
    rate_cents: int
    decided_cents: int
    computed_cents: int

    @property
    def difference(self) -> int:
        return self.decided_cents - self.computed_cents

    @property
    def flagged(self) -> bool:
        return self.difference != 0


@dataclass(frozen=True, slots=True)
class ProviderLine:
    """A pass-through agreement: agreed, paid on, proven by the provider, refund due."""

    pass_through_id: int
    provider_id: int
    label: str
    agreed: int
    passed_on: int
    proven: int | None  # None: no proof received yet
    provider_refund: int

    @property
    def open(self) -> int:
        """Agreed but not yet paid on."""
        return self.agreed - self.passed_on


@dataclass(frozen=True, slots=True)
class DecisionBalance:
    """Plan vs. actual of one decision, with the breakdowns a clerk and the proof of use need."""

    decision_id: int
    file_number: str
    grantor: str
    funding_area: e.FundingArea
    version_no: int
    decided_on: date
    first_day: date
    last_day: date
    total: BalanceLine
    computed: int | None  # sum of computed position amounts (area 1) or of the cost plan
    requested_open: int  # requested from the grantor, not yet received
    positions: tuple[PositionCheck, ...]
    by_person: tuple[BalanceLine, ...]
    by_year: tuple[BalanceLine, ...]
    by_category: tuple[BalanceLine, ...]
    by_provider: tuple[ProviderLine, ...]
    third_party_planned: int = 0  # Drittmittel in the financing plan

    @property
    def decided(self) -> int:
        return self.total.planned

    @property
    def received(self) -> int:
        return self.total.received

    @property
    def open_remainder(self) -> int:
        """Decided but not yet received from the grantor."""
        return self.total.planned - self.total.received

    @property
    def still_requestable(self) -> int:
        """Decided minus received minus requested-but-not-yet-received."""
        return self.open_remainder - self.requested_open

    @property
    def due(self) -> int:
        """The grant due for the decision on the costs booked so far (see ``total.due``)."""
        return self.total.due or 0

    @property
    def requestable(self) -> int:
        """What a Mittelabruf may still ask for: the grant due on the costs booked so far, less
        what was received and what is requested and not yet received; never below zero."""
        return max(0, self.due - self.received - self.requested_open)

    @property
    def computed_difference(self) -> int | None:
        return None if self.computed is None else self.decided - self.computed

    @property
    def period_label(self) -> str:
        return f"{format_date(self.first_day)} – {format_date(self.last_day)}"


# --- building blocks --------------------------------------------------------------------------

def month_start(day: date) -> date:
    return day.replace(day=1)


def receipt_sums(receipts: Iterable[e.Receipt]) -> tuple[ReceiptSum, ...]:
    """Sum receipt rows the same way the database query does (for models and tests)."""
    totals: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for r in receipts:
        key = (r.person_id, r.budget_year, r.cost_category, str(r.list_kind),
               month_start(r.paid_on or r.receipt_date))
        totals[key][0] += r.amount_cents
        totals[key][1] += 1
    return tuple(ReceiptSum(*key, amount, count) for key, (amount, count) in sorted(
        totals.items(), key=lambda item: (item[0][0] or 0, *item[0][1:])))


def received_total(payments: Iterable[e.Payment]) -> int:
    return sum(p.amount_cents for p in payments if p.received_on is not None)


def requested_open(payments: Iterable[e.Payment]) -> int:
    """Requested, not yet received (a reversal of such a request cancels it)."""
    return sum(p.amount_cents for p in payments if p.received_on is None and p.requested_on is not None)


def payments_booked(payments: Iterable[e.Payment]) -> int:
    """Everything requested or received, net of reversals: what counts against the decided amount."""
    return sum(p.amount_cents for p in payments)


def spent_total(money: DecisionMoney) -> int:
    return sum(r.amount_cents for r in money.receipts)


def third_party_received(rows: Iterable[e.ThirdPartyFund]) -> int:
    """Drittmittel received (reversals included as negative rows)."""
    return sum(t.amount_cents for t in rows if t.kind == e.ThirdPartyKind.RECEIVED)


def third_party_planned(rows: Iterable[e.ThirdPartyFund]) -> int:
    """Drittmittel in the financing plan (reversals of plan rows included)."""
    return sum(t.amount_cents for t in rows if t.kind == e.ThirdPartyKind.PLANNED)


def position_checks(money: DecisionMoney) -> tuple[PositionCheck, ...]:
    return tuple(
        PositionCheck(
            position_id=p.id, person_id=p.person_id, person_label=money.person_label(p.person_id),
            vza_milli=p.vza_milli, category=str(p.category), first_day=p.first_day, months=p.months,
            rate_cents=p.rate_cents, decided_cents=p.amount_cents,
            computed_cents=position_amount(rate_cents_per_year=p.rate_cents, vza_milli=p.vza_milli,
                                           months=p.months),
        )
        for p in money.positions
    )


def check_positions(positions: Iterable[e.Position], persons: Mapping[int, e.Person] | None = None
                    ) -> tuple[PositionCheck, ...]:
    """Position checks for positions not (yet) stored, e.g. while a decision dialog is open."""
    persons = persons or {}
    result = []
    for p in positions:
        person = persons.get(p.person_id)
        result.append(PositionCheck(
            position_id=p.id, person_id=p.person_id,
            person_label=person.sort_name if person else f"Person Nr. {p.person_id}",
            vza_milli=p.vza_milli, category=str(p.category), first_day=p.first_day, months=p.months,
            rate_cents=p.rate_cents, decided_cents=p.amount_cents,
            computed_cents=position_amount(rate_cents_per_year=p.rate_cents, vza_milli=p.vza_milli,
                                           months=p.months)))
    return tuple(result)


@dataclass(frozen=True, slots=True)
class VersionSummary:
    """One version of a decision as its history shows it: the decided amount beside the sum
    computed from its positions (or its cost plan), and the difference."""

    version: e.DecisionVersion
    positions: tuple[PositionCheck, ...]
    cost_plan: tuple[e.CostPlanItem, ...]

    @property
    def computed(self) -> int | None:
        if self.positions:
            return sum(p.computed_cents for p in self.positions)
        if self.cost_plan:
            return sum(item.amount_cents for item in self.cost_plan)
        return None

    @property
    def positions_decided(self) -> int:
        return sum(p.decided_cents for p in self.positions)

    @property
    def difference(self) -> int | None:
        """Decided minus computed (``None`` without positions or cost plan)."""
        computed = self.computed
        return None if computed is None else self.version.amount_cents - computed

    @property
    def flagged(self) -> bool:
        return bool(self.difference) or any(p.flagged for p in self.positions)


def version_summary(version: e.DecisionVersion, positions: Iterable[e.Position],
                    cost_plan: Iterable[e.CostPlanItem] = (),
                    persons: Mapping[int, e.Person] | None = None) -> VersionSummary:
    return VersionSummary(version, check_positions(positions, persons), tuple(cost_plan))


def provider_lines(money: DecisionMoney) -> tuple[ProviderLine, ...]:
    paid: dict[int, int] = defaultdict(int)
    for payment in money.pass_through_payments:
        paid[payment.pass_through_id] += payment.amount_cents
    proven: dict[int, int] = defaultdict(int)
    has_proof: set[int] = set()
    for proof in money.provider_proofs:
        proven[proof.pass_through_id] += proof.spent_cents
        has_proof.add(proof.pass_through_id)
    lines = []
    for item in money.pass_throughs:
        passed = paid[item.id]
        proof = proven[item.id] if item.id in has_proof else None
        refund = passed - min(passed, proof) if proof is not None and passed > 0 else 0
        lines.append(ProviderLine(item.id, item.provider_id, money.provider_label(item.provider_id),
                                  item.amount_cents, passed, proof, refund))
    return tuple(lines)


def _proof_year(money: DecisionMoney, pass_through_id: int) -> int | None:
    days = [p.received_on for p in money.provider_proofs if p.pass_through_id == pass_through_id]
    return max(days).year if days else None


# --- the breakdowns ---------------------------------------------------------------------------

def _fixed_by_person(money: DecisionMoney) -> dict[int, int]:
    """The fixed amounts of each person's positions (in the order of their positions)."""
    fixed: dict[int, int] = defaultdict(int)
    for p in money.positions:
        fixed[p.person_id] += p.amount_cents
    return fixed


def _position_period(money: DecisionMoney, position: e.Position) -> Period:
    """A position's funded period, extended where the person's pay was interrupted."""
    own = [i for i in money.interruptions if i.person_id == position.person_id]
    return extended_period(position.first_day, position.months, own,
                           max_extension_months=money.max_extension_months)


def _planned_by_person(money: DecisionMoney) -> dict[int, int]:
    """Fixed amounts per person, or with a report period the part of each position's fixed
    amount that falls into it."""
    if money.report_period is None:
        return dict(_fixed_by_person(money))
    planned: dict[int, int] = defaultdict(int)
    for p in money.positions:
        planned[p.person_id] += grant_share_in_period(p.amount_cents, _position_period(money, p),
                                                      money.report_period)
    return dict(planned)


def _in_period(money: DecisionMoney, amount: int) -> int:
    """An amount of the decision as a whole (decided, cost plan, Drittmittel plan) spread over the
    Bewilligungszeitraum: the part of the report period, or all of it without one."""
    if money.report_period is None:
        return amount
    return grant_share_in_period(amount, money.current.period, money.report_period)


def _by_name(money: DecisionMoney, person_ids: Iterable[int]) -> list[int]:
    return sorted(person_ids, key=lambda pid: (money.person_label(pid), pid))


def _split(total: int, owners: list[int], weights: list[int]) -> dict[int, int] | None:
    if not owners or sum(weights) <= 0:
        return None
    return dict(zip(owners, split_cents(total, weights), strict=True))


@dataclass(frozen=True, slots=True)
class PassThroughShare:
    """A provider's pass-through money as it falls to one line of the persons' table."""

    provider: str
    passed_on: int
    provider_refund: int


def pass_through_shares(money: DecisionMoney) -> dict[int | str, tuple[PassThroughShare, ...]]:
    """Pass-through money per person key: a provider's money is spread over its persons on the
    decision in proportion to their fixed amounts (order of their positions); money of a provider
    without a funded person stays under :data:`UNASSIGNED_PASS_THROUGH`."""
    fixed = _fixed_by_person(money)
    shares: dict[int | str, list[PassThroughShare]] = defaultdict(list)
    for line in provider_lines(money):
        owners = [pid for pid in fixed
                  if money.persons.get(pid) and money.persons[pid].provider_id == line.provider_id]
        weights = [fixed[pid] for pid in owners]
        passed = _split(line.passed_on, owners, weights)
        refund = _split(line.provider_refund, owners, weights)
        if passed is None or refund is None:
            shares[UNASSIGNED_PASS_THROUGH].append(
                PassThroughShare(line.label, line.passed_on, line.provider_refund))
            continue
        for pid in owners:
            shares[pid].append(PassThroughShare(line.label, passed[pid], refund[pid]))
    return {key: tuple(items) for key, items in shares.items()}


def balance_by_person(money: DecisionMoney) -> tuple[BalanceLine, ...]:
    """One line per person with a position (name order), then persons with receipts but no
    position, then receipts without a person and pass-through money for providers without a
    funded person. Only the lines of persons with a position carry a fixed amount; the costs of
    the other lines are not eligible for a grant funded by positions."""
    fixed = _fixed_by_person(money)
    planned = _planned_by_person(money)
    spent: dict[int | None, int] = defaultdict(int)
    for r in money.receipts:
        spent[r.person_id] += r.amount_cents
    passed: dict[int | str, int] = defaultdict(int)
    refund: dict[int | str, int] = defaultdict(int)
    for key, items in pass_through_shares(money).items():
        passed[key] = sum(i.passed_on for i in items)
        refund[key] = sum(i.provider_refund for i in items)

    positioned = _by_name(money, fixed)
    weights = [fixed[pid] for pid in positioned]
    received = received_total(money.payments)
    requested = requested_open(money.payments)
    received_of = _split(received, positioned, weights) or {}
    requested_of = _split(requested, positioned, weights) or {}
    has_plan = bool(positioned)
    third = third_party_by_person(money, positioned, weights)
    third_plan = third_party_by_person(money, positioned, weights, kind=e.ThirdPartyKind.PLANNED)

    lines = []
    for pid in positioned:
        line = BalanceLine(f"person:{pid}", money.person_label(pid), planned.get(pid, 0), received_of.get(pid, 0),
                           spent.pop(pid, 0), passed.pop(pid, 0), refund.pop(pid, 0), third.pop(pid, 0),
                           requested_open=requested_of.get(pid, 0), third_party_planned=third_plan.pop(pid, 0))
        lines.append(_settled(line, line.planned))
    if has_plan and not received_of and (received or requested):  # all fixed amounts zero
        lines.append(BalanceLine("person:unassigned-payments", "Zahlungen ohne Zuordnung", None, received,
                                 requested_open=requested))

    def unfunded(key: str, label: str, **amounts) -> BalanceLine:
        line = BalanceLine(key, label, 0 if has_plan else None, 0 if has_plan else None, **amounts)
        if not has_plan:
            return line
        return _settled(BalanceLine(key, label, 0, 0, not_eligible=line.actual, **amounts), 0)

    for pid in _by_name(money, (pid for pid in set(spent) | set(third) if pid is not None)):
        lines.append(unfunded(f"person:{pid}", money.person_label(pid), spent=spent.pop(pid, 0),
                              third_party=third.pop(pid, 0), third_party_planned=third_plan.pop(pid, 0)))
    if third.get(None) or third_plan.get(None):
        lines.append(BalanceLine("person:unassigned-third-party", "Drittmittel ohne Zuordnung", None, None,
                                 third_party=third.pop(None, 0), third_party_planned=third_plan.pop(None, 0)))
    if spent.get(None):
        lines.append(unfunded("person:none", NO_PERSON, spent=spent.pop(None)))
    if passed.get(UNASSIGNED_PASS_THROUGH) or refund.get(UNASSIGNED_PASS_THROUGH):
        lines.append(unfunded("person:pass-through", UNASSIGNED_PASS_THROUGH,
                              passed_on=passed[UNASSIGNED_PASS_THROUGH],
                              provider_refund=refund[UNASSIGNED_PASS_THROUGH]))
    return tuple(lines)


def _settled(line: BalanceLine, planned: int | None) -> BalanceLine:
    """The line with its grant due computed from its own figures."""
    if planned is None:
        return line
    return replace(line, due=grant_due(planned=planned, eligible=line.eligible, third_party=line.third_party))


def third_party_by_person(money: DecisionMoney, positioned: list[int], weights: list[int], *,
                          kind: e.ThirdPartyKind = e.ThirdPartyKind.RECEIVED) -> dict[int | None, int]:
    """Drittmittel of one kind per person: rows for a named person go to that person; rows for the
    decision as a whole are spread over the positioned persons by their fixed amounts (key None
    when there is nothing to spread by). Plan rows count with their part of a report period."""
    result: dict[int | None, int] = defaultdict(int)
    general = 0
    for row in money.third_party:
        if row.kind != kind:
            continue
        if row.person_id is None:
            general += row.amount_cents
        else:
            result[row.person_id] += row.amount_cents
    if kind == e.ThirdPartyKind.PLANNED:
        result = defaultdict(int, {pid: _in_period(money, amount) for pid, amount in result.items()})
        general = _in_period(money, general)
    if general:
        shares = _split(general, positioned, weights)
        if shares is None:
            result[None] += general
        else:
            for pid, part in shares.items():
                result[pid] += part
    return result


def years_of(first: date, last: date) -> list[int]:
    return list(range(first.year, last.year + 1))


def planned_by_year(money: DecisionMoney) -> dict[int, int]:
    """The decided amount spread over the calendar years of the period by days (parts add up)."""
    version = money.current
    years = years_of(version.first_day, version.last_day)
    days = []
    for year in years:
        start = max(version.first_day, date(year, 1, 1))
        end = min(version.last_day, date(year, 12, 31))
        days.append((end - start).days + 1)
    return dict(zip(years, split_cents(version.amount_cents, days), strict=True))


def balance_by_year(money: DecisionMoney) -> tuple[BalanceLine, ...]:
    """Per calendar year: receipts by budget year, payments by received date, pass-through by paid
    date, provider refunds by the date of the provider's proof, Drittmittel by received date."""
    planned = planned_by_year(money)
    received: dict[int, int] = defaultdict(int)
    for p in money.payments:
        if p.received_on is not None:
            received[p.received_on.year] += p.amount_cents
    spent: dict[int, int] = defaultdict(int)
    for r in money.receipts:
        spent[r.budget_year] += r.amount_cents
    passed: dict[int, int] = defaultdict(int)
    for z in money.pass_through_payments:
        passed[z.paid_on.year] += z.amount_cents
    refund: dict[int, int] = defaultdict(int)
    for line in provider_lines(money):
        if line.provider_refund:
            refund[_proof_year(money, line.pass_through_id)] += line.provider_refund
    third: dict[int, int] = defaultdict(int)
    for row in money.third_party:
        if row.kind == e.ThirdPartyKind.RECEIVED and row.received_on is not None:
            third[row.received_on.year] += row.amount_cents
    years = sorted(set(planned) | set(received) | set(spent) | set(passed) | set(refund) | set(third))
    return tuple(BalanceLine(f"year:{y}", str(y), planned.get(y, 0), received.get(y, 0), spent.get(y, 0),
                             passed.get(y, 0), refund.get(y, 0), third.get(y, 0)) for y in years)


def balance_by_category(money: DecisionMoney) -> tuple[BalanceLine, ...]:
    """Per cost category: cost plan (where the decision has one) vs receipts; pass-through money
    as its own line. ``received`` is not split by category (``None``)."""
    plan = {item.cost_category: _in_period(money, item.amount_cents) for item in money.cost_plan}
    has_plan = bool(plan)
    spent: dict[str, int] = defaultdict(int)
    for r in money.receipts:
        spent[r.cost_category] += r.amount_cents
    order = {c.code: (c.sort_order, c.code) for c in money.categories}
    codes = sorted(set(plan) | set(spent), key=lambda code: order.get(code, (10**6, code)))
    lines = [BalanceLine(f"category:{code}", money.category_label(code),
                         plan.get(code, 0) if has_plan else None, None, spent.get(code, 0))
             for code in codes]
    providers = provider_lines(money)
    passed = sum(p.amount_cents for p in money.pass_through_payments)
    refund = sum(p.provider_refund for p in providers)
    if providers or passed:
        lines.append(BalanceLine(f"category:{PASS_THROUGH_CATEGORY}", PASS_THROUGH_LABEL,
                                 plan.get(PASS_THROUGH_CATEGORY, 0) if has_plan else None, None,
                                 0, passed, refund))
    return tuple(lines)


def person_categories(money: DecisionMoney, person_id: int | None) -> tuple[BalanceLine, ...]:
    """Expenditure of one person by cost category (for the numeric proof per integration manager)."""
    spent: dict[str, int] = defaultdict(int)
    for r in money.receipts:
        if r.person_id == person_id:
            spent[r.cost_category] += r.amount_cents
    order = {c.code: (c.sort_order, c.code) for c in money.categories}
    return tuple(BalanceLine(f"category:{code}", money.category_label(code), None, None, spent[code])
                 for code in sorted(spent, key=lambda code: order.get(code, (10**6, code))))


def total_line(money: DecisionMoney, persons: tuple[BalanceLine, ...] | None = None) -> BalanceLine:
    """The decision as a whole; its ``due`` follows the funding area (module docstring)."""
    persons = balance_by_person(money) if persons is None else persons
    plan_costs = sum(_in_period(money, item.amount_cents) for item in money.cost_plan) if money.cost_plan else None
    by_positions = money.decision.funding_area.funded_by_positions and bool(money.positions)
    decided = _in_period(money, money.decided)
    planned = min(decided, sum(_planned_by_person(money).values())) if by_positions and money.report_period \
        else decided
    line = BalanceLine(
        key=f"decision:{money.decision.id}", label=money.decision.file_number,
        planned=planned, received=received_total(money.payments), spent=spent_total(money),
        passed_on=sum(p.amount_cents for p in money.pass_through_payments),
        provider_refund=sum(p.provider_refund for p in provider_lines(money)),
        third_party=third_party_received(money.third_party),
        requested_open=requested_open(money.payments),
        third_party_planned=_in_period(money, third_party_planned(money.third_party)),
        planned_costs=plan_costs,
    )
    if not by_positions:
        return _settled(line, planned)
    not_eligible = sum(p.not_eligible for p in persons)
    due = min(planned, sum(p.due or 0 for p in persons))
    return replace(line, not_eligible=not_eligible, due=due)


def decision_balance(money: DecisionMoney) -> DecisionBalance:
    """Plan vs. actual of one decision with all breakdowns."""
    version = money.current
    checks = position_checks(money)
    if money.positions:
        computed = sum(c.computed_cents for c in checks)
    elif money.cost_plan:
        computed = sum(item.amount_cents for item in money.cost_plan)
    else:
        computed = None
    persons = balance_by_person(money)
    return DecisionBalance(
        decision_id=money.decision.id, file_number=money.decision.file_number,
        grantor=money.decision.grantor, funding_area=money.decision.funding_area,
        version_no=version.version_no, decided_on=version.decided_on, first_day=version.first_day,
        last_day=version.last_day, total=total_line(money, persons), computed=computed,
        requested_open=requested_open(money.payments), positions=checks,
        by_person=persons, by_year=balance_by_year(money),
        by_category=balance_by_category(money), by_provider=provider_lines(money),
        third_party_planned=_in_period(money, third_party_planned(money.third_party)),
    )


def proof_of_use_due(money: DecisionMoney) -> date:
    """The deadline of the decision's proof of use (:func:`paktdesk.core.deadlines.proof_due`)."""
    from .deadlines import DecisionFacts, PositionFacts, proof_due
    facts = DecisionFacts(
        money.decision.id, money.decision.file_number, money.current.period,
        tuple(PositionFacts(p.person_id, money.person_label(p.person_id), p.first_day, p.months,
                            tuple(i for i in money.interruptions if i.person_id == p.person_id))
              for p in money.positions),
        max_extension_months=money.max_extension_months, proof_deadline_months=money.proof_deadline_months)
    return proof_due(facts)


def request_warnings(money: DecisionMoney, today: date) -> tuple[str, ...]:
    """What a clerk must know before sending a Mittelabruf on ``today``."""
    warnings = []
    last = money.current.last_day
    if today > last:
        warnings.append(f"Der Bewilligungszeitraum endete am {format_date(last)}: Mittel für diesen Bescheid "
                        "werden in der Regel nur noch mit dem Verwendungsnachweis abgerechnet.")
    due = proof_of_use_due(money)
    if today >= due:
        warnings.append(f"Der Verwendungsnachweis war am {format_date(due)} fällig; bitte zuerst den "
                        "Verwendungsnachweis einreichen.")
    return tuple(warnings)


def settlement_period(first_day: date, last_day: date, wanted: Period | None) -> Period | None:
    """The reporting period a settlement of the decision running ``first_day``–``last_day`` is
    computed for when a form or file covers ``wanted``: ``None`` (the whole decision) when
    ``wanted`` is ``None``, covers the whole Bewilligungszeitraum or misses it; else the part of
    the Bewilligungszeitraum inside ``wanted``, settled as a Zwischennachweis of that part."""
    if wanted is None:
        return None
    funded = Period.inclusive(first_day, last_day)
    part = funded.intersection(wanted)
    return None if part is None or part == funded else part


def sum_lines(lines: Iterable[BalanceLine], *, key: str = "sum", label: str = "Summe") -> BalanceLine:
    """Add lines column by column (``None`` counts as 0 unless every line has ``None``)."""
    lines = list(lines)

    def add(name: str) -> int | None:
        values = [getattr(line, name) for line in lines]
        if values and all(v is None for v in values):
            return None
        return sum(v for v in values if v is not None)

    return BalanceLine(key, label, add("planned"), add("received"), add("spent"), add("passed_on"),
                       add("provider_refund"), add("third_party"), due=add("due"),
                       not_eligible=add("not_eligible"), requested_open=add("requested_open"),
                       third_party_planned=add("third_party_planned"), planned_costs=add("planned_costs"))
