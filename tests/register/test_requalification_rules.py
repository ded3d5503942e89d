"""Requalification status as pure functions, table-driven with fixed dates."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from paktdesk.core.entities import Category, Qualification, Requalification, RuleSet
from paktdesk.core.errors import ValidationError
from paktdesk.core.requalification import (
    RequalRule,
    RequalStatus,
    changes_between,
    check_deadline_choice,
    current_qualification,
    effective_deadline,
    evaluate,
)

RULE = RequalRule(months=24, hours=200, evidence="Zertifikat")
START = date(2024, 3, 1)


def record(id=1, *, started=START, deadline=None, reason="", hours=0, completed=None, certificate=None):
    return Requalification(id, 7, "Weiterbildung Integrationsmanagement", "EH Freiburg", started,
                           deadline or RULE.default_deadline(started), hours_planned=240,
                           hours_done=hours, deadline_reason=reason, completed_on=completed,
                           certificate_attachment_id=certificate)


@pytest.mark.parametrize(("category", "records", "today", "expected"), [
    (None, [], date(2025, 1, 1), RequalStatus.UNKNOWN),
    (Category.A, [], date(2025, 1, 1), RequalStatus.QUALIFIED),
    (Category.B, [record()], date(2030, 1, 1), RequalStatus.QUALIFIED),  # a/b never need it
    (Category.C, [], date(2025, 1, 1), RequalStatus.MISSING),
    (Category.C, [record()], date(2024, 3, 1), RequalStatus.RUNNING),
    (Category.C, [record()], date(2026, 3, 1), RequalStatus.RUNNING),  # the deadline day itself
    (Category.C, [record()], date(2026, 3, 2), RequalStatus.OVERDUE),  # the day after
    (Category.C, [record(hours=200, completed=date(2025, 12, 1))], date(2026, 1, 1), RequalStatus.COMPLETED),
    (Category.C, [record(hours=200, completed=date(2025, 12, 1))], date(2030, 1, 1), RequalStatus.COMPLETED),
    # completion recorded in advance: still running until that day
    (Category.C, [record(hours=200, completed=date(2026, 2, 1))], date(2026, 1, 15), RequalStatus.RUNNING),
    # completed with too few hours for the rule: not completed, overdue after the deadline
    (Category.C, [record(hours=150, completed=date(2025, 12, 1))], date(2026, 1, 1), RequalStatus.RUNNING),
    (Category.C, [record(hours=150, completed=date(2025, 12, 1))], date(2026, 4, 1), RequalStatus.OVERDUE),
    # the newest record is the current one: a renewal after an overdue course
    (Category.C, [record(1), record(2, started=date(2026, 6, 1))], date(2026, 7, 1), RequalStatus.RUNNING),
    # overridden deadline with a reason counts instead of the rule's
    (Category.C, [record(deadline=date(2026, 9, 1), reason="Elternzeit")], date(2026, 8, 1),
     RequalStatus.RUNNING),
    (Category.C, [record(deadline=date(2025, 9, 1), reason="Vereinbarung")], date(2025, 10, 1),
     RequalStatus.OVERDUE),
])
def test_status_table(category, records, today, expected):
    assert evaluate(category, records, RULE, today).status == expected


@pytest.mark.parametrize(("start", "months", "deadline"), [
    (date(2024, 3, 1), 24, date(2026, 3, 1)),
    (date(2023, 8, 31), 6, date(2024, 2, 29)),  # into a leap February: month end
    (date(2024, 8, 31), 6, date(2025, 2, 28)),
    (date(2024, 2, 29), 12, date(2025, 2, 28)),  # from 29 February
    (date(2024, 2, 29), 48, date(2028, 2, 29)),
    (date(2025, 1, 31), 1, date(2025, 2, 28)),
    (date(2025, 10, 15), 3, date(2026, 1, 15)),  # across the year
])
def test_default_deadline(start, months, deadline):
    assert RequalRule(months=months).default_deadline(start) == deadline


def test_stored_deadline_without_reason_follows_the_rule():
    item = record(deadline=date(2099, 1, 1))  # stale value from an older rule, no reason given
    assert effective_deadline(item, RULE) == date(2026, 3, 1)
    shorter = dataclasses.replace(RULE, months=12)
    assert effective_deadline(item, shorter) == date(2025, 3, 1)
    assert evaluate(Category.C, [item], shorter, date(2025, 6, 1)).status == RequalStatus.OVERDUE
    assert evaluate(Category.C, [item], RULE, date(2025, 6, 1)).status == RequalStatus.RUNNING


def test_rule_categories_decide_who_must_requalify():
    rule_ab = dataclasses.replace(RULE, categories=frozenset({Category.B, Category.C}))
    assert evaluate(Category.B, [], rule_ab, date(2025, 1, 1)).status == RequalStatus.MISSING
    none = dataclasses.replace(RULE, categories=frozenset())
    assert evaluate(Category.C, [record()], none, date(2030, 1, 1)).status == RequalStatus.QUALIFIED


def test_notes_for_missing_certificate_and_hours():
    done = evaluate(Category.C, [record(hours=240, completed=date(2025, 1, 1))], RULE, date(2025, 2, 1))
    assert done.status == RequalStatus.COMPLETED
    assert any("Zertifikat" in n for n in done.notes)
    with_certificate = evaluate(Category.C, [record(hours=240, completed=date(2025, 1, 1), certificate=3)],
                                RULE, date(2025, 2, 1))
    assert with_certificate.notes == ()
    short = evaluate(Category.C, [record(hours=20, completed=date(2025, 1, 1))], RULE, date(2025, 2, 1))
    assert any("20 von 200 Stunden" in n for n in short.notes)


def test_rule_from_rule_set():
    rules = RuleSet(1, "X", "Test", date(2023, 1, 1), None, requal_months=18, requal_hours=120,
                    requal_evidence="Teilnahmebescheinigung")
    rule = RequalRule.of(rules, categories=["c"])
    assert (rule.months, rule.hours, rule.evidence, rule.categories) == (
        18, 120, "Teilnahmebescheinigung", frozenset({Category.C}))
    assert "18 Monaten" in rule.describe() and "120 Stunden" in rule.describe()
    assert RequalRule.of(None).months == 24


@pytest.mark.parametrize(("item", "field"), [
    (record(deadline=date(2024, 2, 1), reason="zu früh"), "deadline"),  # before the course start
    (record(deadline=date(2026, 6, 1)), "deadline_reason"),  # differs from the rule, no reason
    (record(deadline=date(2026, 6, 1), reason="   "), "deadline_reason"),
])
def test_deadline_choice_refused(item, field):
    with pytest.raises(ValidationError) as err:
        check_deadline_choice(item, RULE)
    assert err.value.field == field
    assert "Frist" in str(err.value)


def test_deadline_choice_accepted():
    assert check_deadline_choice(record(), RULE) == record()
    overridden = record(deadline=date(2026, 6, 1), reason="Elternzeit 3 Monate")
    assert check_deadline_choice(overridden, RULE) == overridden


def test_current_qualification_is_the_newest():
    records = [Qualification(3, 1, Category.C, "Ausbildung"), Qualification(9, 1, Category.A, "B.A.")]
    assert current_qualification(records).category == Category.A
    assert current_qualification([]) is None


def test_changes_between_lists_status_and_deadline_moves():
    before = {1: evaluate(Category.C, [record()], RULE, date(2025, 6, 1)),
              2: evaluate(Category.A, [], RULE, date(2025, 6, 1))}
    shorter = dataclasses.replace(RULE, months=12)
    after = {1: evaluate(Category.C, [record()], shorter, date(2025, 6, 1)),
             2: evaluate(Category.A, [], shorter, date(2025, 6, 1))}
    changes = changes_between(before, after, {1: "Mehmet Yıldız", 2: "Sabine Keller"})
    assert [c.person_id for c in changes] == [1]
    assert changes[0].describe() == ("Mehmet Yıldız: Nachqualifizierung läuft → Nachqualifizierung "
                                     "überfällig (Frist 01.03.2026 → 01.03.2025)")
