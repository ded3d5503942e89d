"""The deadline board's rules as pure functions, with fixed dates."""

from __future__ import annotations

from datetime import date

import pytest

from paktdesk.core.deadlines import (
    DeadlineKind,
    DecisionFacts,
    LeadTimes,
    PositionFacts,
    Urgency,
    board,
    classify,
    decision_deadlines,
    key_figure_deadline,
    key_figure_years,
    open_items,
    payment_request_deadlines,
    position_periods,
    proof_due,
    requalification_deadline,
)
from paktdesk.core.entities import Category, Interruption, Payment, Requalification
from paktdesk.core.errors import ValidationError
from paktdesk.core.periods import Period
from paktdesk.core.requalification import RequalRule, evaluate

D = date


@pytest.mark.parametrize(("due", "today", "expected"), [
    (D(2025, 1, 30), D(2025, 1, 31), Urgency.OVERDUE),
    (D(2025, 1, 31), D(2025, 1, 31), Urgency.SOON),  # due today
    (D(2025, 3, 2), D(2025, 1, 31), Urgency.SOON),  # 30 days
    (D(2025, 3, 3), D(2025, 1, 31), Urgency.LATER),  # 31 days
    (D(2025, 5, 1), D(2025, 1, 31), Urgency.LATER),  # 90 days
    (D(2025, 5, 2), D(2025, 1, 31), Urgency.FAR),  # 91 days
    (D(2024, 3, 1), D(2024, 2, 28), Urgency.SOON),  # leap year: 2 days
])
def test_classify(due, today, expected):
    assert classify(due, today, soon_days=30, later_days=90) == expected


def test_lead_times_per_kind_round_trip_and_validation():
    lead = LeadTimes.from_setting({"soon": 14, "later": 60,
                                   "kinds": {"verwendungsnachweis": {"soon": 60, "later": 120},
                                             "unknown": {"soon": 1}}})
    assert lead.for_kind(DeadlineKind.PROOF) == (60, 120)
    assert lead.for_kind(DeadlineKind.KEY_FIGURES) == (14, 60)
    assert "unknown" not in lead.kinds
    assert LeadTimes.from_setting(lead.to_setting()) == lead
    assert LeadTimes.from_setting(None) == LeadTimes(30, 90, {})
    with pytest.raises(ValidationError) as err:
        LeadTimes(90, 30).validate()
    assert "Vorlaufzeiten" in str(err.value)
    with pytest.raises(ValidationError) as err:
        LeadTimes(30, 90, {"kennzahlen": (-1, 10)}).validate()
    assert "Kennzahlen" in str(err.value)


def _decision(positions, *, period=Period.inclusive(D(2023, 1, 1), D(2024, 12, 31)), **kwargs):
    return DecisionFacts(2, "15.2-8712.23/1274", period, tuple(positions), **kwargs)


def _leave(first, last, reason="Elternzeit"):
    return Interruption(None, 1, first, last, reason)


@pytest.mark.parametrize(("first_day", "months", "interruptions", "end", "due"), [
    # plain 24 months from 1 January: ends 31.12., proof due 31.03.
    (D(2023, 1, 1), 24, [], D(2024, 12, 31), D(2025, 3, 31)),
    (D(2017, 7, 1), 24, [], D(2019, 6, 30), D(2019, 9, 30)),
    # first working day in the middle of a month
    (D(2023, 3, 15), 24, [], D(2025, 3, 14), D(2025, 6, 14)),
    # ends on 28 February: proof due end of May
    (D(2021, 3, 1), 24, [], D(2023, 2, 28), D(2023, 5, 31)),
    # ends on 30 November 2023: proof due on the leap day
    (D(2021, 12, 1), 24, [], D(2023, 11, 30), D(2024, 2, 29)),
    # parental leave crossing the year (01.09.2023–29.02.2024 = 182 days) extends by 182 days
    (D(2023, 1, 1), 24, [_leave(D(2023, 9, 1), D(2024, 2, 29))], D(2025, 7, 1), D(2025, 10, 1)),
    # two interruptions add up
    (D(2023, 1, 1), 24, [_leave(D(2023, 2, 1), D(2023, 2, 28)), _leave(D(2024, 12, 1), D(2024, 12, 31),
                                                                      "Krankheit")],
     D(2025, 2, 28), D(2025, 5, 31)),
    # only the part inside the funded period counts
    (D(2023, 1, 1), 24, [_leave(D(2024, 12, 1), D(2025, 3, 31))], D(2025, 1, 31), D(2025, 4, 30)),
    # capped at 12 months (from the end of the base period)
    (D(2023, 1, 1), 24, [_leave(D(2023, 1, 1), D(2024, 6, 30))], D(2025, 12, 31), D(2026, 3, 31)),
])
def test_extension_and_proof_due(first_day, months, interruptions, end, due):
    decision = _decision([PositionFacts(1, "Lena Weiß", first_day, months, tuple(interruptions))])
    _, extended = position_periods(decision, decision.positions[0])
    assert extended.last_day == end
    assert proof_due(decision) == due


def test_extension_cap_follows_the_rule_set():
    leave = (_leave(D(2023, 1, 1), D(2024, 6, 30)),)
    decision = _decision([PositionFacts(1, "X", D(2023, 1, 1), 24, leave)], max_extension_months=6)
    assert position_periods(decision, decision.positions[0])[1].last_day == D(2025, 6, 30)
    none = _decision([PositionFacts(1, "X", D(2023, 1, 1), 24, leave)], max_extension_months=0)
    assert position_periods(none, none.positions[0])[1].last_day == D(2024, 12, 31)


def test_proof_due_follows_the_longest_funded_person():
    decision = _decision([
        PositionFacts(1, "Sabine Keller", D(2023, 1, 1), 24),
        PositionFacts(2, "Lena Weiß", D(2023, 1, 1), 24, (_leave(D(2023, 9, 1), D(2024, 2, 29)),)),
        PositionFacts(3, "Julia Schäfer", D(2023, 4, 1), 12),
    ], proof_deadline_months=3)
    assert proof_due(decision) == D(2025, 10, 1)
    longer = _decision(decision.positions, proof_deadline_months=6)
    assert proof_due(longer) == D(2026, 1, 1)
    # without positions: after the end of the decision's own period
    assert proof_due(_decision([])) == D(2025, 3, 31)


def test_decision_deadlines_items_and_keys():
    decision = _decision([
        PositionFacts(1, "Sabine Keller", D(2023, 1, 1), 24),
        PositionFacts(5, "Lena Weiß", D(2023, 1, 1), 24, (_leave(D(2023, 9, 1), D(2024, 2, 29)),)),
    ], interim_proofs=((D(2024, 6, 30), "Zwischennachweis 2023"),))
    items = {d.key: d for d in decision_deadlines(decision)}
    assert set(items) == {"foerderende:2:1:2023-01-01", "foerderende:2:5:2023-01-01",
                          "verlaengerung:2:5:2023-01-01", "verwendungsnachweis:2",
                          "zwischennachweis:2:2024-06-30"}
    extension = items["verlaengerung:2:5:2023-01-01"]
    assert extension.due == D(2025, 7, 1) and extension.kind == DeadlineKind.EXTENSION_END
    assert "+182 Tage wegen Elternzeit" in extension.concerns
    assert items["foerderende:2:5:2023-01-01"].due == D(2024, 12, 31)
    assert items["verwendungsnachweis:2"].done_on is None


def test_submitted_proof_is_done_by_the_data():
    decision = _decision([PositionFacts(1, "X", D(2023, 1, 1), 24)], final_proof_submitted_on=D(2025, 3, 20))
    proof = next(d for d in decision_deadlines(decision) if d.kind == DeadlineKind.PROOF)
    item = board([proof], today=D(2025, 6, 1), lead=LeadTimes())[0]
    assert item.urgency == Urgency.DONE and item.done_on == "2025-03-20"


@pytest.mark.parametrize(("periods", "today", "years"), [
    ([Period.inclusive(D(2017, 7, 1), D(2020, 6, 30))], D(2026, 1, 1), [2020]),  # yearly from 2020
    ([Period.inclusive(D(2023, 1, 1), D(2024, 12, 31))], D(2024, 5, 1), [2023, 2024]),
    ([Period.inclusive(D(2023, 1, 1), D(2030, 12, 31))], D(2025, 12, 31), [2023, 2024, 2025]),
    ([], D(2025, 1, 1), []),
])
def test_key_figure_years(periods, today, years):
    assert key_figure_years(periods, today=today) == years


@pytest.mark.parametrize(("year", "due"), [(2023, D(2024, 1, 31)), (2024, D(2025, 1, 31))])
def test_key_figures_due_31_january(year, due):
    item = key_figure_deadline(year)
    assert (item.due, item.key, item.kind) == (due, f"kennzahlen:{year}", DeadlineKind.KEY_FIGURES)


def test_payment_requests_only_planned_ones():
    payments = [
        Payment(1, 2, D(2025, 7, 1), None, 1_500_000),  # planned
        Payment(2, 2, D(2025, 6, 1), None, 1_000_000),  # today: still planned
        Payment(3, 2, D(2025, 7, 1), D(2025, 7, 20), 1_000_000),  # received (entered in advance)
        Payment(4, 2, D(2025, 5, 1), None, 1_000_000),  # requested in the past: not a plan any more
        Payment(5, 2, None, None, 1_000_000),
        Payment(6, 2, D(2025, 8, 1), None, -1_000_000, reversal_of=1),
    ]
    items = payment_request_deadlines(payments, {2: "AZ 1"}, today=D(2025, 6, 1))
    assert [i.key for i in items] == ["mittelabruf:1", "mittelabruf:2"]
    assert items[0].concerns == "Mittel abrufen: 15.000,00 € für Bescheid AZ 1"


def test_requalification_deadline_only_while_open():
    rule = RequalRule(months=24, hours=0)
    record = Requalification(4, 7, "Kurs", "EH Freiburg", D(2025, 9, 1), D(2027, 9, 1), 240, 96)
    running = evaluate(Category.C, [record], rule, D(2026, 1, 1))
    item = requalification_deadline(7, "Mehmet Yıldız", running)
    assert item.key == "nachqualifizierung:7:2025-09-01" and item.due == D(2027, 9, 1)
    assert "96 von 240 Stunden" in item.detail
    completed = evaluate(Category.C, [record.__class__(**{**_fields(record), "completed_on": D(2026, 1, 1)})],
                         rule, D(2026, 2, 1))
    assert requalification_deadline(7, "Mehmet Yıldız", completed) is None


def _fields(obj):
    return {f: getattr(obj, f) for f in obj.__dataclass_fields__}


def test_board_colours_done_and_past_events():
    decision = _decision([PositionFacts(1, "Sabine Keller", D(2023, 1, 1), 24)])
    deadlines = [*decision_deadlines(decision), key_figure_deadline(2024), key_figure_deadline(2023)]
    today = D(2025, 3, 10)
    items = board(deadlines, today=today, lead=LeadTimes(),
                  done={"kennzahlen:2023": ("2024-01-20T09:00:00+00:00", "p.sommer")})
    by_key = {i.key: i for i in items}
    assert by_key["foerderende:2:1:2023-01-01"].urgency == Urgency.PAST  # an event that passed
    assert by_key["kennzahlen:2024"].urgency == Urgency.OVERDUE  # a task stays until done
    assert by_key["kennzahlen:2024"].when_text() == "seit 38 Tagen überfällig"
    assert by_key["verwendungsnachweis:2"].urgency == Urgency.SOON
    assert by_key["verwendungsnachweis:2"].when_text() == "in 21 Tagen"
    assert by_key["kennzahlen:2023"].urgency == Urgency.DONE
    assert by_key["kennzahlen:2023"].done_by == "p.sommer"
    assert [i.due for i in items] == sorted(i.due for i in items)
    assert [i.key for i in open_items(items)] == ["kennzahlen:2024", "verwendungsnachweis:2"]
    per_kind = board(deadlines, today=today, lead=LeadTimes(30, 90, {"verwendungsnachweis": (7, 21)}))
    assert {i.key: i for i in per_kind}["verwendungsnachweis:2"].urgency == Urgency.LATER
    assert {i.key: i for i in per_kind}["verwendungsnachweis:2"].urgency_label == "fällig in ≤ 21 Tagen"
