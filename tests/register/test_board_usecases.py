"""The deadline board, "erledigt" marks, rule changes and bulk shifts on the demo file."""

from __future__ import annotations

import dataclasses
import json
from datetime import date

import pytest

from paktdesk.core import entities as e
from paktdesk.core.deadlines import LeadTimes, Urgency
from paktdesk.core.errors import NotFoundError, ValidationError
from paktdesk.core.requalification import RequalStatus

from .helpers import person_by_name, snapshot

D = date
TODAY = D(2025, 6, 1)


def _by_key(items):
    return {i.key: i for i in items}


def _key(demo, prefix, last_name=None):
    person = person_by_name(demo, last_name) if last_name else None
    decision = max(d.id for d in demo.decisions())
    keys = {
        "extension": f"verlaengerung:{decision}:{person.id if person else 0}:2023-01-01",
        "proof": f"verwendungsnachweis:{decision}",
        "requal": f"nachqualifizierung:{person.id if person else 0}:2025-09-01",
    }
    return keys[prefix]


def test_demo_board_at_a_fixed_date(demo):
    items = demo.deadlines(TODAY)
    board = _by_key(items)
    first, second = sorted(d.id for d in demo.decisions())
    # Lena Weiß: Elternzeit 01.09.2023–29.02.2024 (182 days) extends her period to 01.07.2025
    lena = board[_key(demo, "extension", "Weiß")]
    assert (lena.due, lena.urgency) == (D(2025, 7, 1), Urgency.SOON)
    assert "Lena Weiß" in lena.deadline.concerns and "Elternzeit" in lena.deadline.concerns
    # proof of use three months after the longest-funded person's (extended) period
    proof = board[f"verwendungsnachweis:{second}"]
    assert (proof.due, proof.urgency) == (D(2025, 10, 1), Urgency.FAR)
    assert board[f"verwendungsnachweis:{first}"].due == D(2020, 9, 30)
    assert board[f"verwendungsnachweis:{first}"].urgency == Urgency.DONE  # the demo's clerk sent it
    # key figures by 31 January (the demo's clerk reported the past years)
    assert board["kennzahlen:2024"].due == D(2025, 1, 31) and board["kennzahlen:2024"].urgency == Urgency.DONE
    assert board["kennzahlen:2025"].due == D(2026, 1, 31) and board["kennzahlen:2025"].urgency == Urgency.FAR
    assert "kennzahlen:2021" not in board  # no activity in 2021
    # Mehmet Yıldız' requalification: 24 months from 01.09.2025
    mehmet = board[_key(demo, "requal", "Yıldız")]
    assert (mehmet.due, mehmet.urgency) == (D(2027, 9, 1), Urgency.FAR)
    # funding ends that passed are not open any more
    assert all(i.urgency == Urgency.PAST for i in items if i.key.startswith("foerderende:"))
    assert [i.due for i in items] == sorted(i.due for i in items)


def test_pay_interruption_moves_every_dependent_deadline(demo):
    sabine = person_by_name(demo, "Keller")
    before = _by_key(demo.deadlines(TODAY))
    decision = max(d.id for d in demo.decisions())
    assert f"verlaengerung:{decision}:{sabine.id}:2023-01-01" not in before
    demo.add_interruption(e.Interruption(None, sabine.id, D(2024, 3, 1), D(2024, 12, 31), "lange Krankheit"))
    after = _by_key(demo.deadlines(TODAY))
    extension = after[f"verlaengerung:{decision}:{sabine.id}:2023-01-01"]
    assert extension.due == D(2025, 11, 2)  # 306 days after 31.12.2024
    assert "+306 Tage wegen lange Krankheit" in extension.deadline.concerns
    assert after[f"verwendungsnachweis:{decision}"].due == D(2026, 2, 2)  # was 01.10.2025
    assert before[f"verwendungsnachweis:{decision}"].due == D(2025, 10, 1)


def test_extension_capped_at_the_rule_sets_maximum(demo):
    julia = person_by_name(demo, "Schäfer")
    demo.end_person(julia.id, D(2026, 12, 31))
    demo.add_interruption(e.Interruption(None, julia.id, D(2023, 1, 1), D(2024, 12, 31), "Elternzeit"))
    decision = max(d.id for d in demo.decisions())
    extension = _by_key(demo.deadlines(TODAY))[f"verlaengerung:{decision}:{julia.id}:2023-01-01"]
    assert extension.due == D(2025, 12, 31)  # 24 months interrupted, 12 months extension at most


def test_mark_done_records_who_and_when(demo):
    key = "kennzahlen:2024"
    demo.mark_deadline_done(key, today=TODAY)
    item = _by_key(demo.deadlines(TODAY))[key]
    assert item.urgency == Urgency.DONE and item.done_by == "test.sachbearbeitung"
    assert item.done_on[:4] >= "2025"
    audit = [a for a in demo.audit_entries(entity="deadlines_done")]
    assert audit[0].action == "Frist als erledigt markiert" and json.loads(audit[0].new)["key"] == key
    assert key not in [i.key for i in demo.open_deadlines(TODAY)]
    demo.unmark_deadline_done(key)
    assert _by_key(demo.deadlines(TODAY))[key].urgency == Urgency.OVERDUE
    before = snapshot(demo)
    with pytest.raises(NotFoundError):
        demo.mark_deadline_done("kennzahlen:1999", today=TODAY)
    with pytest.raises(NotFoundError):
        demo.unmark_deadline_done(key)
    assert snapshot(demo) == before


def test_submitted_proof_cannot_be_marked_again(demo):
    decision = max(d.id for d in demo.decisions())
    demo.submit_proof(e.ProofSubmission(None, decision, e.ProofKind.FINAL, D(2023, 1, 1), D(2024, 12, 31),
                                        D(2025, 3, 15)))
    item = _by_key(demo.deadlines(TODAY))[f"verwendungsnachweis:{decision}"]
    assert item.urgency == Urgency.DONE and item.done_on == "2025-03-15"
    with pytest.raises(ValidationError):
        demo.mark_deadline_done(item.key, today=TODAY)


def test_lead_times_editable_per_kind(demo):
    key = _key(demo, "proof")
    assert _by_key(demo.deadlines(TODAY))[key].urgency == Urgency.FAR  # 122 days
    demo.save_lead_times(LeadTimes(30, 90, {"verwendungsnachweis": (60, 180)}))
    assert _by_key(demo.deadlines(TODAY))[key].urgency == Urgency.LATER
    assert demo.lead_times().for_kind("verwendungsnachweis") == (60, 180)
    before = snapshot(demo)
    with pytest.raises(ValidationError):
        demo.save_lead_times(LeadTimes(100, 10))
    assert snapshot(demo) == before


def test_requalification_leaves_the_board_when_completed_or_person_ended(demo):
    mehmet = person_by_name(demo, "Yıldız")
    key = _key(demo, "requal", "Yıldız")
    demo.end_person(mehmet.id, D(2026, 6, 30))
    assert key not in _by_key(demo.deadlines(TODAY))  # leaves before the deadline
    demo.save_person(dataclasses.replace(demo.person(mehmet.id), ended_on=None))
    assert key in _by_key(demo.deadlines(TODAY))
    later = D(2026, 6, 1)
    demo.complete_requalification(mehmet.id, completed_on=D(2026, 5, 29), hours_done=240, today=later)
    assert key not in _by_key(demo.deadlines(later))
    assert demo.requalification_status(mehmet.id, later).status == RequalStatus.COMPLETED
    assert key in _by_key(demo.deadlines(D(2026, 5, 28)))  # before the completion day it was open


def test_planned_payment_request_and_interim_proof(demo):
    decision = max(d.id for d in demo.decisions())
    # the running 2023 decision has a rest of its grant still open for a request
    demo.record_payment(e.Payment(None, decision, D(2025, 7, 15), None, 2_500_000, note="Schlussrate"))
    demo.add_interim_proof_deadline(decision, D(2025, 6, 30), "Zwischennachweis 2024")
    board = _by_key(demo.deadlines(TODAY))
    request = next(i for k, i in board.items() if k.startswith("mittelabruf:"))
    assert request.due == D(2025, 7, 15) and "25.000,00 €" in request.deadline.concerns
    interim = board[f"zwischennachweis:{decision}:2025-06-30"]
    assert interim.urgency == Urgency.SOON
    with pytest.raises(ValidationError):
        demo.add_interim_proof_deadline(decision, D(2025, 6, 30))
    demo.remove_interim_proof_deadline(decision, D(2025, 6, 30))
    assert f"zwischennachweis:{decision}:2025-06-30" not in _by_key(demo.deadlines(TODAY))


def test_rule_change_re_evaluates_everyone(demo):
    mehmet = person_by_name(demo, "Yıldız")
    today = D(2026, 6, 1)
    assert demo.requalification_status(mehmet.id, today).status == RequalStatus.RUNNING
    rules = next(r for r in demo.rule_sets() if r.code == "VwV2023")
    result = demo.change_rule_set(dataclasses.replace(rules, requal_months=6, rates={**rules.rates, "c": 6_100_000}),
                                  today=today)
    assert [c.person_id for c in result.status_changes] == [mehmet.id]
    assert result.lines()[0] == ("Mehmet Yıldız: Nachqualifizierung läuft → Nachqualifizierung überfällig "
                                 "(Frist 01.09.2027 → 01.03.2026)")
    assert "Fördersatz Kategorie c" in result.lines()[1] and "60.000,00 € → 61.000,00 €" in result.lines()[1]
    assert demo.requalification_status(mehmet.id, today).status == RequalStatus.OVERDUE
    assert demo.requalifications(mehmet.id)[-1].deadline == D(2026, 3, 1)  # stored default follows
    audit = demo.audit_entries(entity="persons", entity_id=mehmet.id)
    assert json.loads(audit[0].new)["status"] == "Nachqualifizierung überfällig"
    assert json.loads(audit[0].old)["status"] == "Nachqualifizierung läuft"
    # category c no longer needs requalification: qualified
    again = demo.change_rule_set(demo.rule_set(rules.id), requal_categories=[], today=today)
    assert again.lines() == ["Mehmet Yıldız: Nachqualifizierung überfällig → qualifiziert (Frist 01.03.2026 → –)"]
    unchanged = demo.change_rule_set(demo.rule_set(rules.id), today=today)
    assert unchanged.lines() == ["Keine Person ist von der Änderung betroffen."]


def test_bad_rule_change_saves_nothing(demo):
    rules = next(r for r in demo.rule_sets() if r.code == "VwV2023")
    before = snapshot(demo)
    for bad in (dataclasses.replace(rules, requal_months=-1), dataclasses.replace(rules, rates={"x": 1}),
                dataclasses.replace(rules, max_months=0)):
        with pytest.raises(ValidationError):
            demo.change_rule_set(bad, today=TODAY)
    with pytest.raises(ValidationError):
        demo.change_rule_set(rules, requal_categories=["d"], today=TODAY)
    assert snapshot(demo) == before


def test_bulk_shift_with_a_note(demo):
    mehmet = person_by_name(demo, "Yıldız")
    lena = person_by_name(demo, "Weiß")
    start = D(2025, 10, 1)
    demo.save_employment(dataclasses.replace(demo.employments(lena.id)[-1]))  # unchanged save is fine
    # make Lena category c with a running requalification too
    demo.add_qualification(e.Qualification(None, lena.id, e.Category.C, "Erzieherin"))
    demo.add_requalification(e.Requalification(None, lena.id, "Modul IM", "DHBW", start,
                                               demo.default_requalification_deadline(start)))
    before = snapshot(demo)
    with pytest.raises(ValidationError):
        demo.shift_deadlines(note="  ", months=3, today=TODAY)
    with pytest.raises(ValidationError):
        demo.shift_deadlines(note="Erlass", months=-40, today=TODAY)  # before the start for both
    with pytest.raises(ValidationError):
        demo.shift_deadlines(note="Erlass", person_ids=[person_by_name(demo, "Keller").id], months=3, today=TODAY)
    assert snapshot(demo) == before
    change = demo.shift_deadlines(note="Erlass des Ministeriums vom 12.05.2025", months=3, today=TODAY)
    assert change.warnings == ("Lena Weiß: 01.10.2027 → 01.01.2028", "Mehmet Yıldız: 01.09.2027 → 01.12.2027")
    assert demo.requalification_status(mehmet.id, TODAY).deadline == D(2027, 12, 1)
    newest = demo.requalifications(mehmet.id)[-1]
    assert newest.deadline_reason == "Erlass des Ministeriums vom 12.05.2025"
    assert len(demo.requalifications(mehmet.id)) == 2  # history kept
    entries = [a for a in demo.audit_entries(entity="requalifications") if a.action == "Fristen verschoben"]
    assert len(entries) == 2
    board = _by_key(demo.deadlines(TODAY))
    assert board[_key(demo, "requal", "Yıldız")].due == D(2027, 12, 1)  # same key, new date
