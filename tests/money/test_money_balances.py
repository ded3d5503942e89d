"""Plan vs. actual: every figure equals an independent SQL sum over the stored rows, the
breakdowns add up to the decision totals, and the rules (fixed amount caps, own share, claim or
pay back) hold on hand-made rows."""

from __future__ import annotations

from datetime import date

import pytest
from money_helpers import raw

from paktdesk.core import entities as e
from paktdesk.core.balances import (
    BalanceLine,
    DecisionMoney,
    ReceiptSum,
    balance_label,
    decision_balance,
    receipt_sums,
    sum_lines,
)
from paktdesk.core.money import format_cents


def one(conn, sql, *params):
    return conn.execute(sql, params).fetchone()[0]


def test_demo_balances_equal_independent_sql_sums(demo):
    conn = raw(demo)
    try:
        decisions = [row[0] for row in conn.execute("SELECT id FROM decisions WHERE deleted_at IS NULL")]
        assert len(decisions) == 2
        for decision_id in decisions:
            b = demo.balance(decision_id)
            decided = one(conn, "SELECT amount_cents FROM decision_versions WHERE decision_id = ? "
                                "ORDER BY version_no DESC LIMIT 1", decision_id)
            received = one(conn, "SELECT total(amount_cents) FROM payments WHERE decision_id = ? "
                                 "AND received_on IS NOT NULL", decision_id)
            requested = one(conn, "SELECT total(amount_cents) FROM payments WHERE decision_id = ? "
                                  "AND received_on IS NULL AND requested_on IS NOT NULL", decision_id)
            spent = one(conn, "SELECT total(amount_cents) FROM receipts WHERE decision_id = ?", decision_id)
            passed = one(conn, "SELECT total(z.amount_cents) FROM pass_through_payments z JOIN pass_throughs w "
                               "ON w.id = z.pass_through_id WHERE w.decision_id = ?", decision_id)
            assert b.decided == decided
            assert b.received == int(received) and b.received > 0
            assert b.requested_open == int(requested)
            assert b.total.spent == int(spent) and b.total.spent > 0
            assert b.total.passed_on == int(passed) and b.total.passed_on > 0
            assert b.open_remainder == decided - int(received)
            # provider refund: per agreement, paid on minus what the provider proved (if less)
            refund = 0
            for (pt_id,) in conn.execute("SELECT id FROM pass_throughs WHERE decision_id = ?", [decision_id]):
                paid = int(one(conn, "SELECT total(amount_cents) FROM pass_through_payments "
                                     "WHERE pass_through_id = ?", pt_id))
                proven = int(one(conn, "SELECT total(spent_cents) FROM provider_proofs WHERE pass_through_id = ?",
                                 pt_id))
                refund += max(0, paid - proven)
            assert b.total.provider_refund == refund
            # per person: receipts with the person's id; per year: budget year; per category
            for line in b.by_person:
                if line.key[7:].isdigit():
                    assert line.spent == int(one(conn, "SELECT total(amount_cents) FROM receipts WHERE "
                                                       "decision_id = ? AND person_id = ?", decision_id,
                                                 int(line.key[7:])))
            for line in b.by_year:
                year = int(line.label)
                assert line.spent == int(one(conn, "SELECT total(amount_cents) FROM receipts WHERE decision_id = ? "
                                                   "AND budget_year = ?", decision_id, year))
                assert line.received == int(one(conn, "SELECT total(amount_cents) FROM payments WHERE "
                                                      "decision_id = ? AND substr(received_on, 1, 4) = ?",
                                                 decision_id, str(year)))
            for line in b.by_category:
                code = line.key.split(":", 1)[1]
                if not code.startswith("__"):
                    assert line.spent == int(one(conn, "SELECT total(amount_cents) FROM receipts WHERE "
                                                       "decision_id = ? AND cost_category = ?", decision_id, code))
            fixed = dict(conn.execute(
                "SELECT p.person_id, sum(p.amount_cents) FROM positions p WHERE p.version_id = "
                "(SELECT id FROM decision_versions WHERE decision_id = ? ORDER BY version_no DESC LIMIT 1) "
                "GROUP BY p.person_id", [decision_id]).fetchall())
            assert {int(line.key[7:]): line.planned for line in b.by_person if line.key[7:].isdigit()} == fixed
    finally:
        conn.close()


def test_breakdowns_add_up_to_the_decision_totals(demo):
    for b in demo.balances():
        for lines in (b.by_person, b.by_year, b.by_category):
            total = sum_lines(lines)
            assert total.spent == b.total.spent
            assert total.passed_on == b.total.passed_on
            assert total.provider_refund == b.total.provider_refund
            assert total.actual == b.total.actual
        assert sum_lines(b.by_person).received == b.received
        assert sum_lines(b.by_year).received == b.received
        assert sum_lines(b.by_year).planned == b.decided
        assert sum_lines(b.by_person).planned == sum(p.decided_cents for p in b.positions)


def test_demo_amendment_is_the_current_version_and_history_stays(demo):
    first = min(d.id for d in demo.decisions())
    history = demo.decision_history(first)
    assert [v.version.version_no for v in history] == [1, 2]
    assert [v.version.kind for v in history] == [e.VersionKind.ORIGINAL, e.VersionKind.AMENDMENT]
    assert demo.balance(first).decided == history[-1].version.amount_cents
    assert history[0].version.amount_cents < history[1].version.amount_cents
    assert all(not v.flagged for v in history)


def _money(*, decided=100_000, positions=(), payments=(), receipts=(), pass_throughs=(), pt_payments=(),
           proofs=(), persons=None, cost_plan=(), area=e.FundingArea.INTEGRATION_MANAGEMENT) -> DecisionMoney:
    version = e.DecisionVersion(1, 1, 1, e.VersionKind.ORIGINAL, date(2023, 1, 1), date(2023, 1, 1),
                                date(2024, 12, 31), decided)
    return DecisionMoney(
        decision=e.Decision(1, area, "RP", "AZ-1"), versions=(version,), positions=tuple(positions),
        cost_plan=tuple(cost_plan), payments=tuple(payments), receipts=tuple(receipts),
        pass_throughs=tuple(pass_throughs), pass_through_payments=tuple(pt_payments),
        provider_proofs=tuple(proofs), persons=persons or {})


def _receipt(amount, *, person=None, year=2023, category="P_ENTGELT", month=date(2023, 3, 1)):
    return ReceiptSum(person, year, category, "P" if category.startswith("P") else "S", month, amount, 1)


def _payment(amount, received=date(2023, 2, 1), requested=date(2023, 1, 15)):
    return e.Payment(None, 1, requested, received, amount)


def test_cost_below_fixed_amount_means_pay_back():
    money = _money(decided=100_000, payments=[_payment(100_000)], receipts=[_receipt(80_000)])
    total = decision_balance(money).total
    assert total.actual == 80_000
    assert total.own_share == 0  # the grant falls to the costs: no own share, never a negative one
    assert total.due == 80_000
    assert total.balance == -20_000 and total.balance_label == "Rückforderung"


def test_cost_above_fixed_amount_means_claim_the_rest_and_an_own_share():
    money = _money(decided=100_000, payments=[_payment(60_000), _payment(10_000, received=None)],
                   receipts=[_receipt(130_000)])
    b = decision_balance(money)
    assert b.total.own_share == 30_000
    assert b.total.due == 100_000
    assert b.total.balance == 30_000 and b.total.balance_label == "Nachforderung"  # open requests count
    assert b.requested_open == 10_000
    assert b.still_requestable == 30_000


def test_reversal_rows_cancel_and_balance_is_even():
    receipts = receipt_sums([
        e.Receipt(1, 1, e.ListKind.PERSONNEL, 1, date(2023, 3, 1), None, 2023, "K", "Entgelt", "P_ENTGELT", 50_000),
        e.Receipt(2, 1, e.ListKind.PERSONNEL, 2, date(2023, 4, 1), None, 2023, "K", "Entgelt", "P_ENTGELT", 50_000),
        e.Receipt(3, 1, e.ListKind.PERSONNEL, 3, date(2023, 5, 1), None, 2023, "K", "Storno", "P_ENTGELT", -50_000,
                  reversal_of=2, reversal_reason="doppelt"),
    ])
    money = _money(decided=50_000, payments=[_payment(50_000)], receipts=receipts)
    assert decision_balance(money).total.balance == 0
    assert balance_label(0) == "ausgeglichen"


def test_pass_through_is_spread_over_the_providers_persons_by_fixed_amount():
    persons = {1: e.Person(1, "A", "Eigen", 10), 2: e.Person(2, "B", "Frei", 20), 3: e.Person(3, "C", "Frei2", 20)}
    positions = [e.Position(i, 1, pid, 500, e.Category.A, date(2023, 1, 1), 24, 6_000_000, amount)
                 for i, (pid, amount) in enumerate([(1, 40_000), (2, 20_001), (3, 39_999)], start=1)]
    money = _money(decided=100_000, positions=positions, persons=persons, payments=[_payment(33_333)],
                   pass_throughs=[e.PassThrough(7, 1, 20, date(2023, 1, 1), "V", 60_000)],
                   pt_payments=[e.PassThroughPayment(1, 7, date(2023, 2, 1), 50_001)],
                   proofs=[e.ProviderProof(1, 7, date(2025, 2, 1), 45_000)],
                   receipts=[_receipt(41_000, person=1), _receipt(99, person=None)])
    b = decision_balance(money)
    lines = {line.key: line for line in b.by_person}
    assert lines["person:1"].passed_on == 0
    assert lines["person:2"].passed_on + lines["person:3"].passed_on == 50_001
    assert lines["person:2"].provider_refund + lines["person:3"].provider_refund == 5_001
    assert sum(line.received for line in b.by_person if line.received is not None) == 33_333
    assert lines["person:none"].spent == 99
    assert b.by_provider[0].provider_refund == 5_001 and b.by_provider[0].open == 60_000 - 50_001
    year_lines = {line.label: line for line in b.by_year}
    assert year_lines["2025"].provider_refund == 5_001  # in the year of the provider's proof
    assert sum_lines(b.by_year).actual == b.total.actual


def test_pass_through_without_a_funded_person_stays_visible():
    money = _money(pass_throughs=[e.PassThrough(7, 1, 20, date(2023, 1, 1), "V", 10_000)],
                   pt_payments=[e.PassThroughPayment(1, 7, date(2023, 2, 1), 10_000)])
    lines = decision_balance(money).by_person
    assert [line.label for line in lines] == ["Weiterleitung ohne Stelle"]
    assert lines[0].passed_on == 10_000


def test_cost_plan_decision_compares_plan_and_actual_per_category():
    money = _money(area=e.FundingArea.LANGUAGE, decided=1_000_000,
                   cost_plan=[e.CostPlanItem(1, 1, "S_HONORAR", 800_000), e.CostPlanItem(2, 1, "S_RAUM", 200_000)],
                   receipts=[_receipt(850_000, category="S_HONORAR"), _receipt(10_000, category="S_REISE")])
    b = decision_balance(money)
    lines = {line.key: line for line in b.by_category}
    assert lines["category:S_HONORAR"].planned == 800_000
    assert lines["category:S_HONORAR"].plan_difference == 50_000  # over plan
    assert lines["category:S_RAUM"].planned == 200_000 and lines["category:S_RAUM"].spent == 0
    assert lines["category:S_REISE"].planned == 0  # not planned at all
    assert b.computed == 1_000_000 and b.computed_difference == 0
    assert all(line.planned is None for line in b.by_person)


def test_positions_show_decided_beside_computed_and_flag_a_difference():
    position = e.Position(1, 1, 1, 500, e.Category.C, date(2023, 1, 1), 24, 5_100_000, 5_100_001)
    b = decision_balance(_money(decided=5_100_000, positions=[position]))
    check = b.positions[0]
    assert check.computed_cents == 5_100_000 and check.decided_cents == 5_100_001
    assert check.flagged and check.difference == 1
    assert b.decided == 5_100_000  # the decision wins, nothing is recomputed


def test_balance_line_without_plan_has_no_balance():
    line = BalanceLine("x", "x", None, None, 5)
    assert line.own_share is None and line.balance is None and line.balance_label == ""


@pytest.mark.parametrize("cents", [0, 1, -1, 123456789])
def test_money_formatting_round_trip_in_balance_output(cents):
    from paktdesk.core.money import parse_cents

    assert parse_cents(format_cents(cents)) == cents
