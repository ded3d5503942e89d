"""The grant rules (core.grant_rules) and the lines of core.balances that forms print, table-driven
and as properties."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paktdesk.core.balances import BalanceLine
from paktdesk.core.grant_rules import (
    format_percent,
    grant_due,
    grant_share_in_period,
    own_share,
    percent,
)
from paktdesk.core.periods import Period
from paktdesk.core.proof_figures import balance_label


def _line(planned, spent, third, received, **more):
    line = BalanceLine("p", "P", planned, received, spent, third_party=third, **more)
    return BalanceLine("p", "P", planned, received, spent, third_party=third,
                       due=grant_due(planned=planned, eligible=line.eligible, third_party=third), **more)


@pytest.mark.parametrize(("planned", "spent", "third", "received", "due", "balance", "own"), [
    (100_00, 120_00, 0, 100_00, 100_00, 0, 20_00),          # cost above the fixed amount: own share
    (100_00, 80_00, 0, 100_00, 80_00, -20_00, 0),           # cost below: pay back, no negative own share
    (100_00, 120_00, 30_00, 75_00, 90_00, 15_00, 0),        # third-party money lowers the grant due
    (100_00, 0, 0, 0, 0, 0, 0),                             # nothing spent, nothing paid
    (100_00, 10_00, 20_00, 50_00, 0, -50_00, 0),            # third-party money above the cost
])
def test_balance_rules(planned, spent, third, received, due, balance, own):
    line = _line(planned, spent, third, received)
    assert line.due == due
    assert line.balance == balance
    assert line.own_share == own


def test_open_requests_count_in_the_balance_and_not_eligible_costs_get_no_grant():
    line = _line(100_00, 150_00, 0, 60_00, requested_open=40_00, not_eligible=70_00)
    assert line.eligible == 80_00 and line.due == 80_00
    assert line.balance == 80_00 - 60_00 - 40_00
    assert line.own_share == 70_00


def test_labels_and_small_rules():
    assert balance_label(1) == "Nachforderung (noch auszuzahlen)"
    assert balance_label(-1) == "Rückforderung (zurückzuzahlen)"
    assert balance_label(0) == "ausgeglichen"
    assert format_percent(percent(1, 3)) == "33,3"
    assert format_percent(percent(2, 3)) == "66,7"
    assert format_percent(percent(1, 0)) == "–"


def test_grant_share_of_a_reporting_period_by_days():
    funded = Period.inclusive(date(2023, 1, 1), date(2024, 12, 31))  # 731 days
    first_year = Period.inclusive(date(2023, 1, 1), date(2023, 12, 31))  # 365 days
    assert grant_share_in_period(120_000_00, funded, first_year) == 5_991_792  # 120.000 × 365/731, half up
    assert grant_share_in_period(120_000_00, funded, funded) == 120_000_00
    assert grant_share_in_period(120_000_00, funded, Period.inclusive(date(2025, 1, 1), date(2025, 6, 30))) == 0
    second = Period.inclusive(date(2024, 1, 1), date(2024, 12, 31))
    assert (grant_share_in_period(120_000_00, funded, first_year)
            + grant_share_in_period(120_000_00, funded, second)) == 120_000_00


@given(st.integers(0, 10**11), st.integers(-10**11, 10**11), st.integers(0, 10**10), st.integers(0, 10**10))
def test_grant_due_never_exceeds_the_fixed_amount_or_the_uncovered_cost(planned, actual, third, not_eligible):
    not_eligible = min(not_eligible, max(actual, 0))
    due = grant_due(planned=planned, eligible=actual - not_eligible, third_party=third)
    assert 0 <= due <= planned
    assert due <= max(actual - not_eligible - third, 0)
    share = own_share(actual=actual, due=due, third_party=third)
    assert share >= 0
    if actual >= third:
        assert due + third + share == actual
