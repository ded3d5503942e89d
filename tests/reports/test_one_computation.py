"""One computation of the money, shown three ways: for random decisions entered through the
workspace into a real data file, the per-person figures printed on the proof of use (read back
from the PDF), the plan-vs-actual model the Soll-Ist screen shows and the settlement table of the
exported exchange file agree to the cent; the decision's grant due is the sum of its persons',
no own share is negative, and no Mittelabruf can take paid + requested above the grant due."""

from __future__ import annotations

import json
import shutil
import tempfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from report_helpers import PRINTED_ON, PdfText, numeric_sheets

from paktdesk.core import entities as e
from paktdesk.core.errors import ValidationError
from paktdesk.demo import create_demo
from paktdesk.workspace import Workspace

FIRST, LAST = date(2026, 1, 1), date(2026, 12, 31)
FILE_NUMBER = "15.2-8712.26/9001"


@pytest.fixture(scope="module")
def base_file(tmp_path_factory):
    """The demo's Datenbestand (profile, persons, rule sets), created once and copied per example."""
    folder = tmp_path_factory.mktemp("base")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PAKTDESK_HOME", str(folder / "home"))
        create_demo(folder / "base.paktdesk").close()
    return folder / "base.paktdesk"


amounts = st.integers(min_value=1, max_value=4_000_000)
person_index = st.integers(min_value=0, max_value=3)
cases = st.fixed_dictionaries({
    "vza": st.lists(st.sampled_from([250, 500, 750, 1000]), min_size=1, max_size=4),
    "receipts": st.lists(st.tuples(st.none() | person_index, st.sampled_from(["P", "S"]), amounts), max_size=8),
    "payments": st.lists(st.tuples(amounts, st.booleans()), max_size=4),
    "third_party": st.lists(st.tuples(st.none() | person_index, st.integers(1, 1_500_000)), max_size=2),
})


def _enter(ws: Workspace, case: dict) -> tuple[int, list[int]]:
    rules = ws.rule_set_for_day(FIRST)
    persons = [p.id for p in ws.persons()][:len(case["vza"])]
    positions = [ws.plan_position(rule_set=rules, person_id=pid, vza_milli=vza, category=e.Category.A,
                                  first_day=FIRST, months=12) for pid, vza in zip(persons, case["vza"], strict=False)]
    decision = ws.create_decision(
        e.Decision(None, e.FundingArea.INTEGRATION_MANAGEMENT, "Regierungspräsidium Stuttgart", FILE_NUMBER),
        e.DecisionVersion(None, 0, 0, e.VersionKind.ORIGINAL, date(2025, 12, 1), FIRST, LAST,
                          sum(p.amount_cents for p in positions), rules.id),
        positions=positions).ids[0]
    for number, (who, kind, cents) in enumerate(case["receipts"]):
        day = date(2026, 1 + number, 10)
        list_kind = e.ListKind(kind)
        ws.add_receipt(e.Receipt(None, decision, list_kind, ws.next_receipt_number(decision, list_kind), day, day,
                                 2026, "Empfänger", "Zweck", "P_ENTGELT" if kind == "P" else "S_BUERO", cents,
                                 person_id=None if who is None else persons[who % len(persons)]),
                       allow_duplicate=True)
    for number, (cents, received) in enumerate(case["payments"]):
        day = date(2026, 2 + number, 15)
        try:
            ws.record_payment(e.Payment(None, decision, day, day if received else None, cents))
        except ValidationError as refused:  # more than decided: refused at the field, nothing booked
            assert refused.field == "amount"
    for who, cents in case["third_party"]:
        ws.add_third_party(e.ThirdPartyFund(None, decision, e.ThirdPartyKind.RECEIVED, "Landkreis", cents,
                                            received_on=date(2026, 3, 1),
                                            person_id=None if who is None else persons[who % len(persons)]))
    return decision, persons


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=cases)
def test_printed_proof_screen_and_export_agree_per_person(base_file, case):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fall.paktdesk"
        shutil.copy(base_file, path)
        ws = Workspace.open(path)
        try:
            decision, persons = _enter(ws, case)
            screen = ws.balance(decision)  # what the Soll-Ist page shows
            pdf_path = Path(folder) / "nachweis.pdf"
            ws.print_proof_of_use(decision, pdf_path, printed_on=PRINTED_ON, draft=True)
            sheets = numeric_sheets(PdfText.read(pdf_path))
            ws.export("json", Path(folder) / "export.json")
            exported = json.loads((Path(folder) / "export.json").read_text(encoding="utf-8"))
            requestable = screen.requestable
            if requestable:
                ws.payment_request_data(decision, requestable, printed_on=PRINTED_ON)
            with pytest.raises(ValidationError):
                ws.payment_request_data(decision, requestable + 1, printed_on=PRINTED_ON)
        finally:
            ws.close()

    lines = {int(line.key.split(":")[1]): line for line in screen.by_person if line.due is not None and line.planned}
    assert sorted(lines) == sorted(persons)
    assert screen.total.due == min(screen.decided, sum(line.due for line in lines.values()))
    settlement = {(r["line"], r["person_id"]): r for r in exported["tables"]["settlements"]
                  if r["decision_id"] == decision}
    whole = settlement[("bescheid", None)]
    assert (whole["due_cents"], whole["received_cents"], whole["actual_cents"], whole["balance_cents"]) == (
        screen.total.due, screen.total.received, screen.total.actual, screen.total.balance)
    assert numeric_sheets_value(sheets["Bescheid insgesamt"], "Zustehende Zuwendung") == screen.total.due
    for pid, line in lines.items():
        record = settlement[("person", pid)]
        last, first = line.label.split(", ")
        sheet = sheets[f"Integrationsmanager:in {first} {last}"]
        printed = (numeric_sheets_value(sheet, "Zustehende Zuwendung (der niedrigere der beiden Beträge)"),
                   numeric_sheets_value(sheet, "Erhaltene Zahlungen (Abschläge)"),
                   numeric_sheets_value(sheet, "Summe Ausgaben"),
                   numeric_sheets_value(sheet, "Eigenanteil"))
        assert printed == (line.due, line.received, line.actual, line.own_share)
        assert (record["due_cents"], record["received_cents"], record["actual_cents"], record["own_share_cents"],
                record["third_party_cents"], record["balance_cents"]) == (
            line.due, line.received, line.actual, line.own_share, line.third_party, line.balance)
        assert line.own_share >= 0
    assert screen.total.own_share >= 0
    if requestable:
        assert screen.received + screen.requested_open + requestable <= screen.due


def numeric_sheets_value(sheet: str, label: str) -> int | None:
    return PdfText.labelled(sheet, label)
