"""Money properties (hypothesis, ≥ 2,000 examples each): German amounts read back exactly, the
breakdowns of random decisions add up to the decision totals, and spread amounts add up."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from paktdesk.core import entities as e
from paktdesk.core.balance_series import monthly_series
from paktdesk.core.balances import (
    DecisionMoney,
    ReceiptSum,
    decision_balance,
    sum_lines,
)
from paktdesk.core.money import format_cents, parse_cents, split_cents
from paktdesk.exchange.receipt_import import parse_import_amount

cents = st.integers(min_value=-10**11, max_value=10**11)


@settings(max_examples=2000)
@given(cents)
def test_format_then_parse_is_identity_for_entry_and_import(value):
    text = format_cents(value)
    assert parse_cents(text) == value
    assert parse_import_amount(text) == value
    assert parse_import_amount(format_cents(value, symbol=False)) == value


@settings(max_examples=2000)
@given(st.integers(min_value=-10**9, max_value=10**9),
       st.lists(st.integers(min_value=0, max_value=10**7), min_size=1, max_size=12).filter(lambda w: sum(w) > 0))
def test_split_amounts_add_up(total, weights):
    parts = split_cents(total, weights)
    assert sum(parts) == total
    assert all(abs(part * sum(weights) - total * w) < sum(weights) for part, w in zip(parts, weights, strict=True))


PERSONS = {1: e.Person(1, "A", "Eins", 10), 2: e.Person(2, "B", "Zwei", 20), 3: e.Person(3, "C", "Drei", 20),
           4: e.Person(4, "D", "Vier", 30)}
days = st.dates(min_value=date(2022, 6, 1), max_value=date(2026, 6, 30))


@st.composite
def decision_money(draw) -> DecisionMoney:
    area = draw(st.sampled_from(list(e.FundingArea)))
    first = draw(st.dates(min_value=date(2023, 1, 1), max_value=date(2023, 12, 31)))
    last = draw(st.dates(min_value=first, max_value=date(2025, 12, 31)))
    decided = draw(st.integers(min_value=0, max_value=10**9))
    version = e.DecisionVersion(1, 1, 1, e.VersionKind.ORIGINAL, first, first, last, decided)
    positions = ()
    cost_plan = ()
    if area == e.FundingArea.INTEGRATION_MANAGEMENT:
        positions = tuple(e.Position(i, 1, pid, 500, e.Category.A, first, 24, 6_000_000,
                                     draw(st.integers(min_value=0, max_value=10**8)))
                          for i, pid in enumerate(draw(st.lists(st.sampled_from([1, 2, 3]), unique=True)), start=1))
    else:
        cost_plan = tuple(e.CostPlanItem(i, 1, code, draw(st.integers(min_value=0, max_value=10**8)))
                          for i, code in enumerate(draw(st.lists(st.sampled_from(["S_RAUM", "S_HONORAR", "P_ENTGELT"]),
                                                                 unique=True)), start=1))
    payments = tuple(e.Payment(i, 1, draw(st.none() | days), draw(st.none() | days), draw(cents))
                     for i in range(draw(st.integers(0, 6))))
    receipts = tuple(ReceiptSum(draw(st.sampled_from([None, 1, 2, 3, 4])), draw(st.integers(2022, 2027)),
                                draw(st.sampled_from(["S_RAUM", "S_REISE", "P_ENTGELT"])), "S",
                                draw(days).replace(day=1), draw(cents), 1)
                     for _ in range(draw(st.integers(0, 12))))
    agreements = tuple(e.PassThrough(i, 1, draw(st.sampled_from([20, 30, 40])), first, "V",
                                     draw(st.integers(0, 10**8))) for i in range(1, draw(st.integers(0, 3)) + 1))
    pt_payments = tuple(e.PassThroughPayment(i, draw(st.sampled_from([a.id for a in agreements])), draw(days),
                                             draw(cents)) for i in range(draw(st.integers(0, 5)))) if agreements else ()
    proofs = tuple(e.ProviderProof(i, a.id, draw(days), draw(st.integers(0, 10**8)))
                   for i, a in enumerate(agreements) if draw(st.booleans()))
    return DecisionMoney(e.Decision(1, area, "RP", "AZ"), (version,), positions, cost_plan, payments, receipts,
                         agreements, pt_payments, proofs, persons=PERSONS)


@settings(max_examples=2000, deadline=None)
@given(decision_money())
def test_breakdowns_of_random_decisions_add_up_to_the_totals(money):
    b = decision_balance(money)
    t = b.total
    assert t.spent == sum(r.amount_cents for r in money.receipts)
    assert t.received == sum(p.amount_cents for p in money.payments if p.received_on)
    assert t.passed_on == sum(z.amount_cents for z in money.pass_through_payments)
    for lines in (b.by_person, b.by_year, b.by_category):
        total = sum_lines(lines)
        assert (total.spent, total.passed_on, total.provider_refund, total.actual) == (
            t.spent, t.passed_on, t.provider_refund, t.actual)
    assert sum_lines(b.by_year).planned == b.decided
    assert sum_lines(b.by_year).received == t.received
    if money.positions and sum(p.amount_cents for p in money.positions) > 0:
        assert sum_lines(b.by_person).received == t.received
        assert sum_lines(b.by_person).planned == sum(p.amount_cents for p in money.positions)
    assert sum(p.provider_refund for p in b.by_provider) == t.provider_refund
    if money.decision.funding_area.funded_by_positions and money.positions:
        # Festbetrag per named person: the decision's grant is the sum of its persons' (capped)
        persons = [line for line in b.by_person if line.due is not None]
        assert t.due == min(t.planned, sum(line.due for line in persons))
        assert all(0 <= line.due <= line.planned for line in persons)
        assert 0 <= t.due <= max(t.planned, 0)
    else:
        assert t.due == max(0, min(t.planned, t.eligible - t.third_party))
    assert t.own_share >= 0
    assert t.balance == t.due - t.received - t.requested_open
    series = monthly_series(money)
    assert series.received[-1] == t.received and series.spent[-1] == t.spent
    assert series.used[-1] == t.spent + t.passed_on
