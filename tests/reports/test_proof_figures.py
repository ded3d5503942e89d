"""The balance rules of a numeric proof (core.proof_figures), table-driven and as properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paktdesk.core.proof_figures import (
    ProofFigures,
    balance_label,
    due_cents,
    open_grant_cents,
    provider_refund_cents,
    share_by_weights,
    statement_balance,
)


@pytest.mark.parametrize(("planned", "spent", "third", "received", "due", "balance", "own"), [
    (100_00, 120_00, 0, 100_00, 100_00, 0, 20_00),          # cost above the fixed amount: own share
    (100_00, 80_00, 0, 100_00, 80_00, -20_00, -20_00),      # cost below: pay back the difference
    (100_00, 120_00, 30_00, 75_00, 90_00, 15_00, -10_00),   # third-party money lowers the grant due
    (100_00, 0, 0, 0, 0, 0, -100_00),                       # nothing spent, nothing paid
    (100_00, 10_00, 20_00, 50_00, 0, -50_00, -110_00),      # third-party money above the cost
])
def test_balance_rules(planned, spent, third, received, due, balance, own):
    fig = ProofFigures(planned_cents=planned, spent_cents=spent, received_cents=received, third_party_cents=third)
    assert fig.due_cents == due
    assert fig.balance_cents == balance
    assert fig.own_share_cents == own


def test_money_passed_on_counts_until_the_provider_proves_less():
    before_proof = ProofFigures(planned_cents=100_00, spent_cents=10_00, received_cents=100_00,
                                passed_on_cents=90_00,
                                provider_refund_cents=provider_refund_cents(passed_on_cents=90_00, proven_cents=None))
    assert before_proof.actual_cents == 100_00 and before_proof.balance_cents == 0
    refund = provider_refund_cents(passed_on_cents=90_00, proven_cents=70_00)
    after = ProofFigures(planned_cents=100_00, spent_cents=10_00, received_cents=100_00, passed_on_cents=90_00,
                         provider_refund_cents=refund)
    assert refund == 20_00 and after.actual_cents == 80_00 and after.balance_cents == -20_00
    assert provider_refund_cents(passed_on_cents=90_00, proven_cents=120_00) == 0


def test_labels_and_small_rules():
    assert balance_label(1) == "Nachforderung (noch auszuzahlen)"
    assert balance_label(-1) == "Rückforderung (zurückzuzahlen)"
    assert balance_label(0) == "ausgeglichen"
    assert statement_balance(received_cents=100, spent_cents=30, passed_on_cents=50) == 20
    assert open_grant_cents(granted_cents=100, paid_cents=130) == 0
    assert share_by_weights(100, []) is None
    assert share_by_weights(100, [0, 0]) is None
    assert share_by_weights(100, [1, 1, 1]) == [34, 33, 33]
    assert ProofFigures(planned_cents=100, spent_cents=0, received_cents=0).planned_own_share_cents is None
    assert ProofFigures(planned_cents=100, spent_cents=0, received_cents=0,
                        planned_spent_cents=150).planned_own_share_cents == 50


@given(st.integers(-10**12, 10**12), st.lists(st.integers(0, 10**9), min_size=1, max_size=12))
def test_shares_add_up_to_the_cent(total, weights):
    parts = share_by_weights(total, weights)
    if sum(weights) == 0:
        assert parts is None
    else:
        assert sum(parts) == total and len(parts) == len(weights)


@given(st.integers(0, 10**11), st.integers(-10**11, 10**11), st.integers(0, 10**10), st.integers(0, 10**10),
       st.integers(0, 10**10))
def test_grant_due_never_exceeds_the_fixed_amount_or_the_uncovered_cost(planned, spent, third, passed, refund):
    refund = min(refund, passed)
    fig = ProofFigures(planned_cents=planned, spent_cents=spent, received_cents=0, third_party_cents=third,
                       passed_on_cents=passed, provider_refund_cents=refund)
    assert fig.due_cents == due_cents(planned_cents=planned, actual_cents=spent + passed - refund,
                                      third_party_cents=third)
    assert 0 <= fig.due_cents <= planned
    assert fig.due_cents <= max(fig.actual_cents - third, 0)
    assert fig.planned_cents + fig.own_share_cents + fig.third_party_cents == fig.actual_cents
