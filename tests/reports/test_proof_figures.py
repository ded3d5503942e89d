"""The balance rules of a proof of use (core.proof_figures), table-driven and as properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paktdesk.core.proof_figures import (
    ProofFigures,
    balance_label,
    entitled_cents,
    open_grant_cents,
    share_by_weights,
    statement_balance,
)


@pytest.mark.parametrize(("granted", "spent", "third", "received", "entitled", "balance", "own"), [
    (100_00, 120_00, 0, 100_00, 100_00, 0, 20_00),          # cost above the fixed amount: own funds
    (100_00, 80_00, 0, 100_00, 80_00, -20_00, -20_00),      # cost below: pay back the difference
    (100_00, 120_00, 30_00, 75_00, 90_00, 15_00, -10_00),   # third-party money lowers the grant due
    (100_00, 0, 0, 0, 0, 0, -100_00),                       # nothing spent, nothing paid
    (100_00, 10_00, 20_00, 50_00, 0, -50_00, -110_00),      # third-party money above the cost
])
def test_balance_rules(granted, spent, third, received, entitled, balance, own):
    fig = ProofFigures(granted_cents=granted, spent_cents=spent, received_cents=received, third_party_cents=third)
    assert fig.entitled_cents == entitled
    assert fig.balance_cents == balance
    assert fig.own_funds_cents == own


def test_labels_and_small_rules():
    assert balance_label(1) == "Nachforderung (noch auszuzahlen)"
    assert balance_label(-1) == "Rückforderung (zurückzuzahlen)"
    assert balance_label(0) == "ausgeglichen"
    assert statement_balance(received_cents=100, spent_cents=30, passed_on_cents=50) == 20
    assert open_grant_cents(granted_cents=100, paid_cents=130) == 0
    assert share_by_weights(100, []) == []
    assert share_by_weights(100, [0, 0, 0]) == [34, 33, 33]
    assert ProofFigures(granted_cents=100, spent_cents=0, received_cents=0).planned_own_funds_cents is None
    assert ProofFigures(granted_cents=100, spent_cents=0, received_cents=0,
                        planned_spent_cents=150).planned_own_funds_cents == 50


@given(st.integers(-10**12, 10**12), st.lists(st.integers(0, 10**9), min_size=1, max_size=12))
def test_shares_add_up_to_the_cent(total, weights):
    parts = share_by_weights(total, weights)
    assert sum(parts) == total
    assert len(parts) == len(weights)


@given(st.integers(0, 10**11), st.integers(-10**11, 10**11), st.integers(0, 10**10))
def test_grant_due_never_exceeds_the_fixed_amount_or_the_uncovered_cost(granted, spent, third):
    due = entitled_cents(granted_cents=granted, spent_cents=spent, third_party_cents=third)
    assert 0 <= due <= granted
    assert due <= max(spent - third, 0)
    fig = ProofFigures(granted_cents=granted, spent_cents=spent, received_cents=0, third_party_cents=third)
    assert fig.granted_cents + fig.own_funds_cents + fig.third_party_cents == spent
