"""The rules that turn costs into the grant a Zuwendungsempfänger may keep, stated once.

Every screen, form and export reads these figures through :mod:`paktdesk.core.balances`; nothing
else computes them.

Festbetragsfinanzierung per named person (RP Stuttgart, VwV Integrationsmanagement; domain notes
§3 and §8): the fixed amount is granted per named person's position. Where a person's eligible
costs, less the third-party money for the same purpose, fall below the fixed amount, that person's
grant falls to those costs. One person's surplus costs never make up for another's shortfall
(assumption [A]: the grant is computed per person and summed), so the grant due for a decision
funded by positions is the **sum of its persons' amounts due**, capped by the decided amount.
A decision funded by a cost plan (the other three funding areas) is settled as a whole:
``min(decided, eligible costs − third-party money)``.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from .money import round_half_up
from .periods import Period


def grant_due(*, planned: int, eligible: int, third_party: int = 0) -> int:
    """The grant the owner may keep: the fixed (or decided) amount, capped by the eligible cost
    not covered by third-party money; never below zero."""
    return max(0, min(planned, eligible - third_party))


def own_share(*, actual: int, due: int, third_party: int) -> int:
    """Eigenanteil: what the owner bears itself, ``costs − grant due − third-party money``.

    Never negative: where third-party money exceeds the costs, the surplus is not an own share
    (see :func:`third_party_surplus`)."""
    return max(0, actual - due - third_party)


def third_party_surplus(*, actual: int, third_party: int) -> int:
    """Third-party money beyond the whole cost (to be settled with the co-financier)."""
    return max(0, third_party - actual)


def grant_share_in_period(amount: int, funded: Period, report: Period) -> int:
    """The part of ``amount`` that falls into ``report``, for a Zwischennachweis.

    Rule: a fixed amount (or a decided amount) is spread evenly over the days of the period it
    funds (``funded``: a person's funded period, or the Bewilligungszeitraum); the share of the
    reporting period is ``amount × days of (funded ∩ report) ÷ days of funded``, rounded
    commercially (half up) to the cent. A reporting period that covers the whole funded period
    gets the whole amount, one outside it gets nothing."""
    overlap = funded.intersection(report)
    if overlap is None or funded.days <= 0:
        return 0
    if overlap.days >= funded.days:
        return amount
    return round_half_up(Fraction(amount * overlap.days, funded.days))


def period_of(first_day: date, last_day: date) -> Period:
    return Period.inclusive(first_day, last_day)


def percent(part: int, whole: int) -> Decimal | None:
    """``part`` as per cent (v. H.) of ``whole``, one decimal place, half up; ``None`` for 0."""
    if whole == 0:
        return None
    value = Decimal(part) * 100 / Decimal(whole)
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def format_percent(value: Decimal | None) -> str:
    """German text of :func:`percent` for a "v. H." column (``"12,5"``), "–" where it does not apply."""
    if value is None:
        return "–"
    return f"{value:.1f}".replace(".", ",")
