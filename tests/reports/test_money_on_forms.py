"""The money of issue 13 on the demo: the grant due of a decision is the sum of its persons' amounts
due, the own share is never negative, the Zwischennachweis sets a period's costs against the period's
share of the grant, and a Mittelabruf cannot ask for more than the costs justify. Every figure is read
back from the printed PDF and compared with the plan-vs-actual model of the screen."""

from __future__ import annotations

from datetime import date

import pytest
from report_helpers import DECISION_2023, PRINTED_ON, numeric_sheets

from paktdesk.core.balances import request_warnings
from paktdesk.core.errors import ValidationError
from paktdesk.core.grant_rules import grant_share_in_period
from paktdesk.core.periods import Period


def test_decision_grant_due_is_the_sum_of_the_persons_and_equals_the_screen(printed_demo):
    ws, decision, _, pdf = printed_demo
    balance = ws.balance(decision)
    persons = [line for line in balance.by_person if line.due is not None and line.planned]
    assert len(persons) == 5
    assert balance.total.due == sum(line.due for line in persons)
    assert any(line.due < line.planned for line in persons)  # one person's costs fall short
    sheets = numeric_sheets(pdf)
    whole = sheets["Bescheid insgesamt"]
    assert pdf.labelled(whole, "Zustehende Zuwendung") == balance.total.due
    for line in persons:
        last, first = line.label.split(", ")
        page = sheets[f"Integrationsmanager:in {first} {last}"]
        assert pdf.labelled(page, "Zustehende Zuwendung (der niedrigere der beiden Beträge)") == line.due
        assert pdf.labelled(page, "Erhaltene Zahlungen (Abschläge)") == line.received
        assert line.own_share >= 0
    assert balance.total.own_share >= 0
    assert balance.total.balance == sum(line.balance for line in persons)


def test_interim_uses_the_grant_share_of_its_period(demo):
    decision = demo.decision_by_file_number(DECISION_2023)
    first, last = date(2023, 1, 1), date(2023, 12, 31)
    data = demo.interim_data(decision, first, last, printed_on=PRINTED_ON)
    report = Period.inclusive(first, last)
    total = data.numeric[0].figures
    persons = [proof.figures for proof in data.numeric[1:]]
    assert total.planned == sum(p.planned for p in persons) < demo.current_version(decision).amount_cents
    # a person funded 01.01.2023 – 31.12.2024 without interruption: 365 of 731 days of her fixed amount
    funded = Period.inclusive(date(2023, 1, 1), date(2024, 12, 31))
    keller = next(proof for proof in data.numeric if "Sabine Keller" in proof.title)
    assert keller.figures.planned == grant_share_in_period(12_000_000, funded, report) == 5_991_792
    # Lena Weiß's parental leave extends her funded period: a smaller share falls into 2023
    weiss = next(proof for proof in data.numeric if "Weiß" in proof.title)
    assert weiss.extension_days > 0 and weiss.figures.planned < grant_share_in_period(6_000_000, funded, report)
    assert all(proof.figures.own_share >= 0 for proof in data.numeric)


def test_payment_request_is_capped_at_what_the_costs_justify(demo, tmp_path):
    decision = demo.decision_by_file_number(DECISION_2023)
    balance = demo.balance(decision)
    assert balance.requestable == max(0, balance.due - balance.received - balance.requested_open)
    assert demo.payment_request_open_cents(decision) == balance.requestable
    with pytest.raises(ValidationError, match="höchstens"):
        demo.payment_request_data(decision, balance.requestable + 1, printed_on=PRINTED_ON)
    # the 2023 decision's period ended on 31.12.2024; its proof of use is due three months after the
    # longest-funded person's end (Lena Weiß's, extended by her parental leave)
    warnings = request_warnings(demo.decision_money(decision), date(2025, 6, 1))
    assert any("Bewilligungszeitraum endete am 31.12.2024" in w for w in warnings)
    assert not any("fällig" in w for w in warnings)
    late = request_warnings(demo.decision_money(decision), date(2026, 1, 15))
    assert any("Verwendungsnachweis war am" in w and "fällig" in w for w in late)
    assert request_warnings(demo.decision_money(decision), date(2024, 6, 1)) == ()
