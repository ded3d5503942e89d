"""Decisions: positions with computed amounts beside the decided one, amendments as versions,
cost plans for the other three areas, header edits and the Papierkorb."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from paktdesk.core import entities as e
from paktdesk.core.errors import ValidationError


def _version(amount, first=date(2023, 1, 1), last=date(2024, 12, 31), rule_set_id=None, decided_on=date(2022, 12, 1)):
    return e.DecisionVersion(None, 0, 0, e.VersionKind.ORIGINAL, decided_on, first, last, amount, rule_set_id)


def test_difference_between_positions_and_decided_amount_is_flagged_and_decision_wins(small):
    ws = small.ws
    position = ws.plan_position(rule_set=small.rules, person_id=small.keller, vza_milli=500,
                                category=e.Category.A, first_day=date(2023, 1, 1), months=24)
    stated = dataclasses.replace(position, amount_cents=position.amount_cents - 100)  # as the decision says
    change = ws.create_decision(e.Decision(None, e.FundingArea.INTEGRATION_MANAGEMENT, "RP Stuttgart", "IM-X"),
                                _version(6_000_000, rule_set_id=small.rules.id), positions=[stated])
    text = " ".join(change.warnings)
    assert "laut Bescheid 59.999,00 €, berechnet 60.000,00 €" in text
    assert "weicht vom bewilligten Betrag (60.000,00 €) ab" in text
    decision_id = change.ids[0]
    history = ws.decision_history(decision_id)
    assert history[0].flagged and history[0].positions[0].difference == -100
    assert ws.balance(decision_id).decided == 6_000_000  # stored as decided, never recomputed


def test_amendment_keeps_history_and_takes_over_positions(small):
    ws = small.ws
    before = ws.current_version(small.im)
    change = ws.amend_decision(small.im, dataclasses.replace(
        before, id=None, decided_on=date(2023, 6, 1), amount_cents=19_000_000, note="Erhöhung"))
    assert any("weicht vom bewilligten Betrag" in w for w in change.warnings)
    versions = ws.versions(small.im)
    assert [(v.version_no, v.kind, v.amount_cents) for v in versions] == [
        (1, e.VersionKind.ORIGINAL, 18_000_000), (2, e.VersionKind.AMENDMENT, 19_000_000)]
    assert len(ws.positions(versions[1].id)) == 2 == len(ws.positions(versions[0].id))
    assert ws.balance(small.im).decided == 19_000_000
    entries = ws.audit_entries(entity="decision_versions")
    assert any(entry.action == "Änderungsbescheid erfasst" for entry in entries)


def test_cost_plan_only_outside_integration_management(small):
    ws = small.ws
    with pytest.raises(ValidationError, match="Kostenplan"):
        ws.create_decision(e.Decision(None, e.FundingArea.INTEGRATION_MANAGEMENT, "RP", "X"), _version(100),
                           cost_plan=[e.CostPlanItem(None, 0, "S_RAUM", 100)])
    position = ws.plan_position(rule_set=small.rules, person_id=small.keller, vza_milli=500,
                                category=e.Category.A, first_day=date(2023, 1, 1), months=12)
    with pytest.raises(ValidationError, match="keine Stellen"):
        ws.create_decision(e.Decision(None, e.FundingArea.VOLUNTEERING, "RP", "X"), _version(100), positions=[position])
    with pytest.raises(ValidationError, match="nur einmal"):
        ws.create_decision(e.Decision(None, e.FundingArea.VOLUNTEERING, "RP", "X"), _version(200),
                           cost_plan=[e.CostPlanItem(None, 0, "S_RAUM", 100), e.CostPlanItem(None, 0, "S_RAUM", 100)])
    change = ws.create_decision(e.Decision(None, e.FundingArea.VOLUNTEERING, "RP", "EH-1"), _version(300),
                                cost_plan=[e.CostPlanItem(None, 0, "S_RAUM", 100)])
    assert any("Kostenplan (1,00 €) weicht" in w for w in change.warnings)
    assert len(ws.decisions()) == 3


def test_position_outside_period_or_over_one_vza_is_refused(small):
    ws = small.ws
    late = ws.plan_position(rule_set=small.rules, person_id=small.keller, vza_milli=500,
                            category=e.Category.A, first_day=date(2025, 1, 1), months=12)
    with pytest.raises(ValidationError, match="außerhalb des Bewilligungszeitraums"):
        ws.create_decision(e.Decision(None, e.FundingArea.INTEGRATION_MANAGEMENT, "RP", "X"),
                           _version(100, rule_set_id=small.rules.id), positions=[late])
    half = ws.plan_position(rule_set=small.rules, person_id=small.keller, vza_milli=600,
                            category=e.Category.A, first_day=date(2023, 1, 1), months=12)
    with pytest.raises(ValidationError, match="mehr als 1,0 VZÄ"):
        ws.create_decision(e.Decision(None, e.FundingArea.INTEGRATION_MANAGEMENT, "RP", "X"),
                           _version(100, rule_set_id=small.rules.id), positions=[half, half])
    with pytest.raises(ValidationError, match="Höchstens 24 Monate"):
        ws.plan_position(rule_set=small.rules, person_id=small.keller, vza_milli=500,
                         category=e.Category.A, first_day=date(2023, 1, 1), months=25)
    assert len(ws.decisions()) == 2


def test_header_edit_and_area_change_rules(small):
    ws = small.ws
    decision = ws.decision(small.im)
    ws.update_decision(dataclasses.replace(decision, file_number="IM-2023/1-neu", notes="Akte 4711"))
    assert ws.decision(small.im).file_number == "IM-2023/1-neu"
    with pytest.raises(ValidationError, match="Förderbereich kann nicht mehr geändert werden"):
        ws.update_decision(dataclasses.replace(ws.decision(small.im), funding_area=e.FundingArea.LANGUAGE))
    with pytest.raises(ValidationError, match="Aktenzeichen"):
        ws.update_decision(dataclasses.replace(ws.decision(small.im), file_number="  "))
    audit = ws.audit_entries(entity="decisions", entity_id=small.im)
    assert any(a.action == "Bescheid geändert" and "IM-2023/1-neu" in a.new for a in audit)


def test_soft_delete_only_without_bookings(small):
    ws = small.ws
    ws.add_receipt(small.receipt())
    with pytest.raises(ValidationError, match="Buchungen"):
        ws.delete_decision(small.im)
    ws.delete_decision(small.language)
    assert [d.id for d in ws.decisions()] == [small.im]
    assert small.language in [d.id for d in ws.decisions(include_deleted=True)]
    with pytest.raises(ValidationError, match="Papierkorb"):
        ws.record_payment(e.Payment(None, small.language, date(2023, 3, 1), None, 100))
    ws.restore_decision(small.language)
    assert len(ws.decisions()) == 2
