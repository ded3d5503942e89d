"""Money use cases on a real file, read back after reopening: decisions with versions and
positions, payments, receipts, reversals, pass-through, key figures, narrative, locking."""

import dataclasses
from datetime import date

import pytest

from paktdesk.core import entities as e
from paktdesk.core.errors import LockedError, ValidationError
from paktdesk.workspace import Workspace


@pytest.fixture
def reopen(data_path):
    opened = []

    def _reopen(ws: Workspace) -> Workspace:
        ws.close()
        again = Workspace.open(data_path)
        opened.append(again)
        return again

    yield _reopen
    for ws in opened:
        ws.close()


@pytest.fixture
def people(workspace):
    """Two integration managers at the Gemeinde and one at a free provider."""
    own = workspace.save_provider(e.Provider(None, "Gemeinde Lindenbach", e.ProviderKind.OWN)).ids[0]
    free = workspace.save_provider(e.Provider(None, "Caritas", e.ProviderKind.FREE)).ids[0]
    ids = [workspace.save_person(e.Person(None, first, last, provider)).ids[0]
           for first, last, provider in (("Sabine", "Keller", own), ("Mehmet", "Yıldız", own),
                                         ("Julia", "Schäfer", free))]
    return {"own": own, "free": free, "persons": ids}


@pytest.fixture
def decision_id(workspace, people):
    """A 2023–2024 decision at the published rate, 1,0 + 0,5 + 0,75 VZÄ for 24 months."""
    rules = workspace.rule_set_for_day(date(2023, 1, 1))
    assert rules.code == "VwV2023"
    positions = [workspace.plan_position(rule_set=rules, person_id=pid, vza_milli=vza, category=e.Category.A,
                                         first_day=date(2023, 1, 1), months=24)
                 for pid, vza in zip(people["persons"], (1000, 500, 750), strict=True)]
    change = workspace.create_decision(
        e.Decision(None, e.FundingArea.INTEGRATION_MANAGEMENT, "Regierungspräsidium Stuttgart", "15.2-8712.23/1274"),
        e.DecisionVersion(None, 0, 0, e.VersionKind.ORIGINAL, date(2022, 12, 15), date(2023, 1, 1),
                          date(2024, 12, 31), 27_000_000, rules.id),
        positions=positions)
    assert change.warnings == ()
    return change.ids[0]


def receipt(decision_id, *, number=0, amount=12_345, day=date(2023, 3, 10), kind=e.ListKind.MATERIAL,
            category="S_BUERO", **extra):
    return e.Receipt(None, decision_id, kind, number, day, day, day.year, "Bürobedarf Schwäbisch GmbH",
                     "Büromaterial", category, amount, **extra)


def test_decision_with_positions_round_trip(workspace, reopen, decision_id, people):
    ws = reopen(workspace)
    decision = ws.decision(decision_id)
    assert decision.file_number == "15.2-8712.23/1274"
    assert decision.funding_area is e.FundingArea.INTEGRATION_MANAGEMENT
    (version,) = ws.versions(decision_id)
    assert (version.version_no, version.kind, version.amount_cents) == (1, e.VersionKind.ORIGINAL, 27_000_000)
    assert version.period.format() == "01.01.2023 – 31.12.2024"
    positions = ws.positions(version.id)
    assert [p.person_id for p in positions] == people["persons"]
    # 60.000 € × VZÄ × 24 / 12
    assert [p.amount_cents for p in positions] == [12_000_000, 6_000_000, 9_000_000]
    assert all(p.rate_cents == 6_000_000 for p in positions)
    assert ws.check() == []


def test_amendment_is_a_new_version(workspace, reopen, decision_id):
    current = workspace.current_version(decision_id)
    change = workspace.amend_decision(decision_id, dataclasses.replace(
        current, id=None, decided_on=date(2024, 5, 2), last_day=date(2025, 6, 30), amount_cents=30_000_000,
        note="Verlängerung"))
    # no positions given: the previous version's positions carry over and are compared
    assert len(change.warnings) == 1 and "weicht vom bewilligten Betrag" in change.warnings[0]
    ws = reopen(workspace)
    first, second = ws.versions(decision_id)
    assert (first.amount_cents, second.amount_cents) == (27_000_000, 30_000_000)
    assert (second.version_no, second.kind, second.note) == (2, e.VersionKind.AMENDMENT, "Verlängerung")
    assert ws.current_version(decision_id) == second


def test_position_sum_differing_from_the_decision_warns(workspace, people):
    rules = workspace.rule_set_for_day(date(2023, 1, 1))
    position = workspace.plan_position(rule_set=rules, person_id=people["persons"][0], vza_milli=500,
                                       category=e.Category.B, first_day=date(2023, 1, 1), months=24)
    change = workspace.create_decision(
        e.Decision(None, e.FundingArea.INTEGRATION_MANAGEMENT, "RP Stuttgart", "15.2-1"),
        e.DecisionVersion(None, 0, 0, e.VersionKind.ORIGINAL, date(2022, 12, 1), date(2023, 1, 1),
                          date(2024, 12, 31), 5_999_999, rules.id), positions=[position])
    assert change.warnings and "60.000,00 €" in change.warnings[0] and "59.999,99 €" in change.warnings[0]


def test_plan_position_refuses_what_the_rules_do_not_allow(workspace, people):
    rules_2017 = next(r for r in workspace.rule_sets() if r.code == "VwV2017")
    pid = people["persons"][0]
    with pytest.raises(ValidationError, match="kein Fördersatz") as err:  # only c is seeded for 2017
        workspace.plan_position(rule_set=rules_2017, person_id=pid, vza_milli=500, category=e.Category.A,
                                first_day=date(2017, 7, 1), months=24)
    assert err.value.field == "category"
    with pytest.raises(ValidationError, match="Höchstens 60 Monate"):
        workspace.plan_position(rule_set=rules_2017, person_id=pid, vza_milli=500, category=e.Category.C,
                                first_day=date(2017, 7, 1), months=61)
    with pytest.raises(ValidationError) as err:
        workspace.plan_position(rule_set=rules_2017, person_id=pid, vza_milli=200, category=e.Category.C,
                                first_day=date(2017, 7, 1), months=24)
    assert err.value.field == "vza"


def test_bad_decision_saves_nothing(workspace, people):
    with pytest.raises(ValidationError) as err:
        workspace.create_decision(
            e.Decision(None, e.FundingArea.LANGUAGE, "RP Stuttgart", "15.2-2"),
            e.DecisionVersion(None, 0, 0, e.VersionKind.ORIGINAL, date(2023, 1, 1), date(2024, 1, 1),
                              date(2023, 12, 31), 100))
    assert err.value.field == "last_day"
    assert workspace.decisions() == [] and workspace.counts()["audit_log"] == 5


def test_payment_round_trip(workspace, reopen, decision_id):
    workspace.record_payment(e.Payment(None, decision_id, date(2023, 1, 10), date(2023, 2, 1), 6_750_000,
                                       cash_ref="KZ-2023-01"))
    workspace.record_payment(e.Payment(None, decision_id, date(2023, 7, 10), None, 6_750_000))
    with pytest.raises(ValidationError, match="nicht negativ"):
        workspace.record_payment(e.Payment(None, decision_id, None, date(2023, 3, 1), -5))
    ws = reopen(workspace)
    received, pending = ws.payments(decision_id)  # in date order: received, else requested
    assert (pending.requested_on, pending.received_on) == (date(2023, 7, 10), None)
    assert (received.received_on, received.cash_ref, received.amount_cents) == (
        date(2023, 2, 1), "KZ-2023-01", 6_750_000)
    summary = ws.money_summary(decision_id)
    assert summary == {"decided": 27_000_000, "received": 6_750_000, "spent": 0, "passed_on": 0}
    assert ws.control_totals()["payments"] == (2, 13_500_000)


def test_receipts_numbering_update_and_reversal(workspace, reopen, decision_id):
    first = workspace.add_receipt(receipt(decision_id)).ids[0]
    second = workspace.add_receipt(receipt(decision_id, amount=5_000, day=date(2023, 4, 1))).ids[0]
    personnel = workspace.add_receipt(receipt(decision_id, kind=e.ListKind.PERSONNEL, category="P_ENTGELT",
                                              amount=420_000)).ids[0]
    ws = reopen(workspace)
    by_id = {r.id: r for r in ws.receipts(decision_id)}
    assert (by_id[first].number, by_id[second].number, by_id[personnel].number) == (1, 2, 1)
    assert by_id[first].payee == "Bürobedarf Schwäbisch GmbH" and by_id[first].amount_cents == 12_345

    ws.update_receipt(dataclasses.replace(by_id[second], amount_cents=5_001, purpose="Toner"))
    ws.reverse_receipt(first, "doppelt erfasst")
    ws = reopen(ws)
    by_id = {r.id: r for r in ws.receipts(decision_id)}
    assert (by_id[second].amount_cents, by_id[second].purpose) == (5_001, "Toner")
    (reversal,) = [r for r in by_id.values() if r.reversal_of == first]
    assert (reversal.amount_cents, reversal.reversal_reason, reversal.number) == (-12_345, "doppelt erfasst", 3)
    assert by_id[first].amount_cents == 12_345  # the original stays as booked
    assert ws.money_summary(decision_id)["spent"] == 5_001 + 420_000
    assert ws.control_totals()["receipts"] == (4, 5_001 + 420_000)
    assert ws.check() == []

    with pytest.raises(ValidationError, match="bereits storniert"):
        ws.reverse_receipt(first, "nochmal")
    with pytest.raises(ValidationError, match="Stornobuchung"):
        ws.reverse_receipt(reversal.id, "zurück")
    with pytest.raises(ValidationError, match="Grund"):
        ws.reverse_receipt(second, "  ")


@pytest.mark.parametrize(("changes", "field"), [
    ({"number": 1}, "number"),                       # taken
    ({"category": "P_ENTGELT"}, "receipt"),    # personnel category on the material list
    ({"category": "GIBTSNICHT"}, "receipt"),   # checks against the decision report all problems at once
    ({"amount": -100}, "amount"),
    ({"amount": 0}, "amount"),
])
def test_bad_receipt_saves_nothing(workspace, decision_id, changes, field):
    workspace.add_receipt(receipt(decision_id, number=1))
    before = list(workspace.store.conn.iterdump())
    with pytest.raises(ValidationError) as err:
        workspace.add_receipt(receipt(decision_id, **changes))
    assert err.value.field == field
    assert list(workspace.store.conn.iterdump()) == before


def test_submitted_proof_locks_its_period(workspace, reopen, decision_id):
    booked = workspace.add_receipt(receipt(decision_id, day=date(2023, 3, 10))).ids[0]
    workspace.submit_proof(e.ProofSubmission(None, decision_id, e.ProofKind.INTERIM, date(2023, 1, 1),
                                             date(2023, 12, 31), date(2024, 2, 15)))
    ws = reopen(workspace)
    with pytest.raises(LockedError):
        ws.add_receipt(receipt(decision_id, day=date(2023, 6, 1)))
    with pytest.raises(LockedError):
        ws.update_receipt(dataclasses.replace(ws.receipts(decision_id)[0], amount_cents=1))
    ws.add_receipt(receipt(decision_id, day=date(2024, 1, 5)))  # after the proof's period
    ws.reverse_receipt(booked, "falsche Kostenstelle")  # corrections go through a reversal
    assert ws.control_totals()["receipts"] == (3, 12_345)


def test_pass_through_round_trip(workspace, reopen, decision_id, people):
    agreement_id = workspace.add_pass_through(e.PassThrough(
        None, decision_id, people["free"], date(2023, 1, 15), "Vereinbarung 2023", 9_000_000)).ids[0]
    workspace.pay_pass_through(e.PassThroughPayment(None, agreement_id, date(2023, 3, 1), 4_500_000))
    workspace.pay_pass_through(e.PassThroughPayment(None, agreement_id, date(2024, 3, 1), 4_500_000))
    workspace.add_provider_proof(e.ProviderProof(None, agreement_id, date(2025, 3, 1), 8_900_000))
    with pytest.raises(ValidationError):
        workspace.pay_pass_through(e.PassThroughPayment(None, agreement_id, date(2024, 4, 1), -1))
    ws = reopen(workspace)
    (agreement,) = ws.pass_throughs(decision_id)
    assert (agreement.provider_id, agreement.amount_cents) == (people["free"], 9_000_000)
    assert ws.money_summary(decision_id)["passed_on"] == 9_000_000
    assert ws.control_totals()["provider_proofs"] == (1, 8_900_000)
    assert ws.check() == []


def test_key_figures_and_narrative_round_trip(workspace, reopen, decision_id, people):
    pid = people["persons"][0]
    workspace.save_key_figures(2023, pid, {"beraten_gesamt": 48, "beraten_w": 20})
    workspace.save_key_figures(2023, None, {"beraten_gesamt": 260})
    workspace.save_key_figures(2023, pid, {"beraten_gesamt": 50, "beraten_w": 20})
    with pytest.raises(ValidationError):
        workspace.save_key_figures(2023, pid, {"beraten_gesamt": -1})
    with pytest.raises(ValidationError):
        workspace.save_key_figures(2023, pid, {"gibt_es_nicht": 1})
    workspace.save_narrative(decision_id, "1. Ausgangslage\nÄrger mit „Anführungszeichen“ & Umlauten")
    workspace.save_narrative(decision_id, "2. Fassung")
    ws = reopen(workspace)
    assert ws.key_figures(2023, pid) == {"beraten_gesamt": 50, "beraten_w": 20}
    assert ws.key_figures(2023) == {"beraten_gesamt": 260}
    assert ws.narrative(decision_id).text == "2. Fassung"
    assert ws.narrative(decision_id, people["free"]) is None


def test_rule_set_rates_are_editable_data(workspace, reopen):
    rules = next(r for r in workspace.rule_sets() if r.code == "VwV2017")
    assert rules.rates == {"c": 5_100_000}
    workspace.save_rule_set(dataclasses.replace(rules, rates={"a": 5_100_000, "b": 5_100_000, "c": 5_100_000}))
    with pytest.raises(ValidationError):
        workspace.save_rule_set(dataclasses.replace(rules, rates={"d": 1}))
    ws = reopen(workspace)
    assert ws.rule_set(rules.id).rates == {"a": 5_100_000, "b": 5_100_000, "c": 5_100_000}
