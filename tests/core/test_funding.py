"""Funding per position: rate × VZÄ × months ÷ 12, rounded once, commercially, to the cent."""

from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paktdesk.core.entities import Interruption
from paktdesk.core.funding import (
    extended_period,
    extension_days,
    funded_period,
    position_amount,
)
from paktdesk.core.periods import Period


@pytest.mark.parametrize(("rate", "vza", "months", "amount"), [
    (6_000_000, 1000, 24, 12_000_000),   # 2023 rules: 60.000 € × 1,0 × 2 years
    (6_000_000, 500, 24, 6_000_000),
    (5_100_000, 750, 24, 7_650_000),      # 2017 rules, category c
    (5_100_000, 500, 36, 7_650_000),
    (5_100_000, 333, 7, 990_675),
    (1, 1000, 6, 1),                      # 0,5 Cent → 1 Cent (half up)
    (1, 500, 6, 0),                       # 0,25 Cent → 0
    (1, 750, 8, 1),                       # 0,5 Cent → 1 Cent
    (0, 1000, 24, 0),
])
def test_position_amount(rate, vza, months, amount):
    assert position_amount(rate_cents_per_year=rate, vza_milli=vza, months=months) == amount


def test_negative_inputs_are_refused():
    with pytest.raises(ValueError):
        position_amount(rate_cents_per_year=-1, vza_milli=500, months=12)


@settings(max_examples=1000, deadline=None)
@given(st.integers(0, 10_000_000), st.integers(250, 1000), st.integers(1, 60))
def test_amount_is_the_exact_product_rounded_half_up(rate, vza, months):
    amount = position_amount(rate_cents_per_year=rate, vza_milli=vza, months=months)
    exact = Fraction(rate * vza * months, 12_000)
    assert abs(amount - exact) <= Fraction(1, 2)
    if abs(amount - exact) == Fraction(1, 2):
        assert amount > exact
    # a full year of a full position is the rate itself
    assert position_amount(rate_cents_per_year=rate, vza_milli=1000, months=12) == rate


def test_funded_period():
    period = funded_period(date(2017, 7, 1), 24)
    assert period == Period(date(2017, 7, 1), date(2019, 7, 1))
    assert period.format() == "01.07.2017 – 30.06.2019"


def test_interruption_extends_the_period():
    pause = Interruption(None, 1, date(2023, 9, 1), date(2024, 2, 29), "Elternzeit")
    base = funded_period(date(2023, 1, 1), 24)
    assert extension_days(base, [pause], max_months=12) == 182
    assert extended_period(date(2023, 1, 1), 24, [pause], max_extension_months=12) == Period(
        date(2023, 1, 1), date(2025, 7, 2))


def test_only_the_part_inside_the_period_counts_and_the_cap_holds():
    base = funded_period(date(2023, 1, 1), 24)
    before = Interruption(None, 1, date(2022, 12, 1), date(2023, 1, 10), "Krankheit")
    assert extension_days(base, [before], max_months=12) == 10
    outside = Interruption(None, 1, date(2025, 1, 1), date(2025, 3, 1), "Elternzeit")
    assert extension_days(base, [outside], max_months=12) == 0
    long = Interruption(None, 1, date(2023, 1, 1), date(2024, 12, 31), "Elternzeit")
    assert extension_days(base, [long], max_months=12) == 365  # 01.01.2025 → 01.01.2026
    assert extension_days(base, [long], max_months=0) == 0
