"""Plan vs. actual of a decision (Zuwendungsbescheid) as pure functions over stored rows.

Input is one :class:`DecisionMoney`: the decision, its versions, the current version's positions
and cost plan, payments, receipts (summed per person/budget year/category/month, see
:class:`ReceiptSum`), pass-through agreements with their payments and the providers' proofs, and
third-party money (Drittmittel: financing-plan rows and money received).
Nothing here reads the database; :mod:`paktdesk.db.balance_queries` gathers the rows.

The figures, in int cents (stated once, used everywhere – screen, PDF, export):

``planned``
    The decided amount of the current version (never recomputed) for a decision; the fixed
    amounts (Festbeträge) of a person's positions; the cost plan of a category; the decided
    amount spread over the calendar years by days for a year; the agreed amount of a pass-through.
``received``
    Payments from the grantor with a received date (reversals and repayments are negative rows).
``spent``
    The owner's own receipts (Belege), reversals included as negative rows.
``passed_on``
    Money paid on to providers (Weiterleitung), reversals included.
``provider_refund``
    Passed on but not covered by the providers' own proofs (only once a proof is in):
    ``passed_on − min(passed_on, proven)`` per agreement. It is money the provider owes back.
``actual``
    ``spent + passed_on − provider_refund``: the cost actually borne for the funded purpose.
``third_party``
    Third-party money received (Drittmittel rows of kind "Eingang", reversals negative): money
    of a co-financier (Landkreis, foundation, church …) for the same purpose. The amount of the
    financing plan (rows of kind "Finanzierungsplan") is ``DecisionBalance.third_party_planned``.
``own_share``
    ``actual − planned − third_party`` (the Eigenanteil; zero or negative when the fixed amount
    and the third-party money cover more than the cost – domain notes §3).
``due``
    The grant the owner may keep: ``min(planned, actual − third_party)``, never below 0.
    Assumption [A]: under Festbetragsfinanzierung the grant is reduced only when the cost not
    covered by third-party money falls below the fixed amount (ANBest-K: other money for the same
    purpose reduces the grant first); the decision's own wording wins, so the GUI shows this as a
    proposal.
``balance``
    ``due − received``: positive = to claim (Nachforderung), negative = to pay back
    (Rückforderung).

``planned``, ``received``, ``spent``, ``passed_on``, ``provider_refund``, ``actual`` and
``third_party`` of the lines per person and per year add up exactly to the decision's totals
(received, and third-party money not given for a named person, are spread over the persons by
their fixed amounts with :func:`split_cents`; third-party money by the year it was received).
The lines per category carry no third-party money (it is not given per cost category). ``due`` and
``balance`` are only meaningful per line and do not add up (``min`` is not additive); the
decision's own balance is the one that counts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from . import entities as e
from .funding import position_amount
from .money import split_cents
from .periods import format_date

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
    """One row of a plan-vs-actual table. ``None`` means "not applicable here"."""

    key: str
    label: str
    planned: int | None
    received: int | None
    spent: int = 0
    passed_on: int = 0
    provider_refund: int = 0
    third_party: int = 0  # Drittmittel received

    @property
    def actual(self) -> int:
        return self.spent + self.passed_on - self.provider_refund

    @property
    def own_share(self) -> int | None:
        return None if self.planned is None else self.actual - self.planned - self.third_party

    @property
    def due(self) -> int | None:
        return None if self.planned is None else max(0, min(self.planned, self.actual - self.third_party))

    @property
    def balance(self) -> int | None:
        if self.planned is None or self.received is None:
            return None
        return self.due - self.received

    @property
    def balance_label(self) -> str:
        return balance_label(self.balance)

    @property
    def plan_difference(self) -> int | None:
        """Actual minus plan, the way a cost plan comparison reads (same as ``own_share``)."""
        return self.own_share


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

def total_line(money: DecisionMoney) -> BalanceLine:
    providers = provider_lines(money)
    return BalanceLine(
        key=f"decision:{money.decision.id}", label=money.decision.file_number,
        planned=money.decided, received=received_total(money.payments), spent=spent_total(money),
        passed_on=sum(p.amount_cents for p in money.pass_through_payments),
        provider_refund=sum(p.provider_refund for p in providers),
        third_party=third_party_received(money.third_party),
    )


def balance_by_person(money: DecisionMoney) -> tuple[BalanceLine, ...]:
    """One line per person with a position, then persons with receipts but no position, then
    receipts without a person and pass-through money for providers without a funded person.

    Pass-through money of a provider is spread over its persons on the decision in proportion to
    their fixed amounts; the grantor's payments over all positioned persons the same way."""
    fixed: dict[int, int] = defaultdict(int)
    for p in money.positions:
        fixed[p.person_id] += p.amount_cents
    spent: dict[int | None, int] = defaultdict(int)
    for r in money.receipts:
        spent[r.person_id] += r.amount_cents
    passed: dict[int | str, int] = defaultdict(int)
    refund: dict[int | str, int] = defaultdict(int)
    for line in provider_lines(money):
        owners = [pid for pid in fixed
                  if money.persons.get(pid) and money.persons[pid].provider_id == line.provider_id]
        weights = [fixed[pid] for pid in owners]
        if owners and sum(weights) > 0:
            for pid, part in zip(owners, split_cents(line.passed_on, weights), strict=True):
                passed[pid] += part
            for pid, part in zip(owners, split_cents(line.provider_refund, weights), strict=True):
                refund[pid] += part
        else:
            passed[UNASSIGNED_PASS_THROUGH] += line.passed_on
            refund[UNASSIGNED_PASS_THROUGH] += line.provider_refund

    received = received_total(money.payments)
    positioned = sorted(fixed, key=lambda pid: (money.person_label(pid), pid))
    weights = [fixed[pid] for pid in positioned]
    shares = (dict(zip(positioned, split_cents(received, weights), strict=True))
              if positioned and sum(weights) > 0 else {})
    has_plan = bool(positioned)
    third: dict[int | None, int] = third_party_by_person(money, positioned, weights)

    lines = [BalanceLine(f"person:{pid}", money.person_label(pid), fixed[pid], shares.get(pid, 0),
                         spent.pop(pid, 0), passed.pop(pid, 0), refund.pop(pid, 0), third.pop(pid, 0))
             for pid in positioned]
    if has_plan and not shares and received:  # all fixed amounts zero: nothing to spread by
        lines.append(BalanceLine("person:unassigned-payments", "Zahlungen ohne Zuordnung", None, received))
    others = sorted((pid for pid in set(spent) | set(third) if pid is not None),
                    key=lambda pid: (money.person_label(pid), pid))
    for pid in others:
        lines.append(BalanceLine(f"person:{pid}", money.person_label(pid), 0 if has_plan else None,
                                 0 if has_plan else None, spent.pop(pid, 0), 0, 0, third.pop(pid, 0)))
    if third.get(None):
        lines.append(BalanceLine("person:unassigned-third-party", "Drittmittel ohne Zuordnung", None, None,
                                 third_party=third.pop(None)))
    if spent.get(None):
        lines.append(BalanceLine("person:none", NO_PERSON, 0 if has_plan else None,
                                 0 if has_plan else None, spent.pop(None), 0, 0))
    if passed.get(UNASSIGNED_PASS_THROUGH) or refund.get(UNASSIGNED_PASS_THROUGH):
        lines.append(BalanceLine("person:pass-through", UNASSIGNED_PASS_THROUGH, 0 if has_plan else None,
                                 0 if has_plan else None, 0, passed[UNASSIGNED_PASS_THROUGH],
                                 refund[UNASSIGNED_PASS_THROUGH]))
    return tuple(lines)


def third_party_by_person(money: DecisionMoney, positioned: list[int], weights: list[int]
                          ) -> dict[int | None, int]:
    """Drittmittel received per person: rows for a named person go to that person; rows for the
    decision as a whole are spread over the positioned persons by their fixed amounts (key None
    when there is nothing to spread by)."""
    result: dict[int | None, int] = defaultdict(int)
    general = 0
    for row in money.third_party:
        if row.kind != e.ThirdPartyKind.RECEIVED:
            continue
        if row.person_id is None:
            general += row.amount_cents
        else:
            result[row.person_id] += row.amount_cents
    if general:
        if positioned and sum(weights) > 0:
            for pid, part in zip(positioned, split_cents(general, weights), strict=True):
                result[pid] += part
        else:
            result[None] += general
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
    plan = {item.cost_category: item.amount_cents for item in money.cost_plan}
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
    return DecisionBalance(
        decision_id=money.decision.id, file_number=money.decision.file_number,
        grantor=money.decision.grantor, funding_area=money.decision.funding_area,
        version_no=version.version_no, decided_on=version.decided_on, first_day=version.first_day,
        last_day=version.last_day, total=total_line(money), computed=computed,
        requested_open=requested_open(money.payments), positions=checks,
        by_person=balance_by_person(money), by_year=balance_by_year(money),
        by_category=balance_by_category(money), by_provider=provider_lines(money),
        third_party_planned=third_party_planned(money.third_party),
    )


def sum_lines(lines: Iterable[BalanceLine], *, key: str = "sum", label: str = "Summe") -> BalanceLine:
    """Add lines column by column (``None`` counts as 0 unless every line has ``None``)."""
    lines = list(lines)

    def add(name: str) -> int | None:
        values = [getattr(line, name) for line in lines]
        if values and all(v is None for v in values):
            return None
        return sum(v for v in values if v is not None)

    return BalanceLine(key, label, add("planned"), add("received"), add("spent"), add("passed_on"),
                       add("provider_refund"), add("third_party"))
