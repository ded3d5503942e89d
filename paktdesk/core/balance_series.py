"""The series a chart of a decision's money needs, as pure functions over :class:`DecisionMoney`.

Two pictures (issue "Grants and money"): per decision, decided vs. received vs. spent over time
(cumulative, by month), and per person, spending against the fixed amount. The GUI only draws
what these return; amounts are int cents, months are first days of a month."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from .balances import BalanceLine, DecisionMoney, balance_by_person, month_start
from .periods import add_months

MONTH_NAMES = ("Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez")


def month_label(month: date) -> str:
    """``date(2023, 3, 1)`` → ``"Mär 2023"`` (German axis label)."""
    return f"{MONTH_NAMES[month.month - 1]} {month.year}"


@dataclass(frozen=True, slots=True)
class MonthlySeries:
    """Cumulative amounts at the end of each month, all lists as long as ``months``."""

    months: tuple[date, ...]
    decided: tuple[int, ...]  # amount of the version in force (by decision date)
    received: tuple[int, ...]  # payments received
    spent: tuple[int, ...]  # own receipts, by paid date (else receipt date)
    used: tuple[int, ...]  # spent plus money passed on to providers

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(month_label(m) for m in self.months)

    @property
    def maximum(self) -> int:
        return max([0, *self.decided, *self.received, *self.spent, *self.used])


def _cumulative(months: list[date], amounts: dict[date, int]) -> tuple[int, ...]:
    running, result = 0, []
    for month in months:
        running += amounts.get(month, 0)
        result.append(running)
    return tuple(result)


def monthly_series(money: DecisionMoney, *, until: date | None = None) -> MonthlySeries:
    """From the earliest of first decision date, period start and first booking to the later of
    the period end and the last booking (or ``until``, if later)."""
    received: dict[date, int] = defaultdict(int)
    for p in money.payments:
        if p.received_on is not None:
            received[month_start(p.received_on)] += p.amount_cents
    spent: dict[date, int] = defaultdict(int)
    for r in money.receipts:
        spent[r.month] += r.amount_cents
    passed: dict[date, int] = defaultdict(int)
    for z in money.pass_through_payments:
        passed[month_start(z.paid_on)] += z.amount_cents
    used = defaultdict(int, spent)
    for month, amount in passed.items():
        used[month] += amount

    version_months = [month_start(v.decided_on) for v in money.versions]
    first = min([month_start(money.versions[0].first_day), *version_months, *received, *spent, *passed])
    last = max([month_start(money.current.last_day), *received, *spent, *passed,
                *([month_start(until)] if until else [])])
    months = []
    month = first
    while month <= last:
        months.append(month)
        month = add_months(month, 1)

    decided = []
    for month in months:
        in_force = [v for v in money.versions if month_start(v.decided_on) <= month]
        decided.append(in_force[-1].amount_cents if in_force else 0)
    return MonthlySeries(tuple(months), tuple(decided), _cumulative(months, received),
                         _cumulative(months, spent), _cumulative(months, used))


@dataclass(frozen=True, slots=True)
class PersonBar:
    """One person's spending (own receipts plus pass-through share) against the fixed amount."""

    key: str
    label: str
    fixed: int
    actual: int

    @property
    def over(self) -> bool:
        return self.actual > self.fixed


def person_bars(money: DecisionMoney) -> tuple[PersonBar, ...]:
    """Persons with a position (or with receipts) of the decision; lines without a person are left
    out of the picture (they stay in the table)."""
    bars = []
    for line in balance_by_person(money):
        if not line.key.startswith("person:") or not line.key[7:].isdigit():
            continue
        bars.append(_bar(line))
    return tuple(bars)


def _bar(line: BalanceLine) -> PersonBar:
    return PersonBar(line.key, line.label, line.planned or 0, line.actual)
