"""Funding rules as pure functions: the fixed amount of a position, the funded period and its
extension by pay interruptions. Rounding is stated once: commercial, to the cent, per position."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

from .entities import Interruption
from .money import round_half_up
from .periods import Period, add_months


def position_amount(*, rate_cents_per_year: int, vza_milli: int, months: int) -> int:
    """Fixed amount (Festbetrag) = rate × VZÄ × months ÷ 12, rounded half up to the cent."""
    if rate_cents_per_year < 0 or vza_milli < 0 or months < 0:
        raise ValueError("Satz, VZÄ und Monate dürfen nicht negativ sein")
    return round_half_up(Fraction(rate_cents_per_year * vza_milli * months, 1000 * 12))


def funded_period(first_day: date, months: int) -> Period:
    """The position's funded period, ``months`` from the first working day."""
    return Period(first_day, add_months(first_day, months))


def extension_days(base: Period, interruptions: list[Interruption], *, max_months: int) -> int:
    """Days by which pay interruptions inside the funded period extend it, capped at
    ``max_months`` (measured from the period's end)."""
    days = 0
    for item in interruptions:
        overlap = base.intersection(item.period)
        if overlap:
            days += overlap.days
    cap = (add_months(base.end, max_months) - base.end).days
    return min(days, cap)


def extended_period(first_day: date, months: int, interruptions: list[Interruption], *,
                    max_extension_months: int) -> Period:
    base = funded_period(first_day, months)
    days = extension_days(base, interruptions, max_months=max_extension_months)
    return Period(base.start, base.end + timedelta(days=days))
