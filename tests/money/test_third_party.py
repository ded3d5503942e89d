"""Drittmittel (third-party money, migration 0006) through the workspace: recording plan and
received rows, refused input leaving the file as it was, the audit log, the lock after a
submitted proof (in the use cases and in the database's triggers), reversal, the row hashes and
control totals, and the plan-vs-actual figures (own share, grant due, per person and year)."""

from __future__ import annotations

import dataclasses
import sqlite3
from datetime import date

import pytest
from money_helpers import raw

from paktdesk.core import entities as e
from paktdesk.core.balances import sum_lines
from paktdesk.core.errors import LockedError, ValidationError
from paktdesk.db.connection import connect
from paktdesk.db.integrity import verify_money
from paktdesk.db.migrations import migrations
from paktdesk.workspace import Workspace

PLAN, RECEIVED = e.ThirdPartyKind.PLANNED, e.ThirdPartyKind.RECEIVED
GIVER = "Landkreis Heilbronn"


def fund(small, kind=RECEIVED, amount=500_000, day=date(2023, 4, 14), **changes) -> e.ThirdPartyFund:
    values = dict(id=None, decision_id=small.im, kind=kind, giver=GIVER, amount_cents=amount,
                  received_on=day if kind == RECEIVED else None, person_id=small.keller, purpose="Zuschuss")
    values.update(changes)
    return e.ThirdPartyFund(**values)


def state(ws: Workspace) -> tuple:
    conn = raw(ws)
    try:
        return tuple(tuple(conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall())
                     for t in ("third_party_funds", "control_totals", "audit_log"))
    finally:
        conn.close()


def test_plan_and_received_rows_are_stored_hashed_and_audited(small):
    ws = small.ws
    plan = ws.add_third_party(fund(small, PLAN, 1_000_000, giver="  Landkreis Heilbronn "))
    got = ws.add_third_party(fund(small))
    assert plan.action == "Drittmittel erfasst" and plan.entity == "third_party_funds"
    stored = ws.third_party_funds(small.im)
    assert [(r.kind, r.giver, r.amount_cents, r.received_on) for r in stored] == [
        (PLAN, GIVER, 1_000_000, None), (RECEIVED, GIVER, 500_000, date(2023, 4, 14))]
    assert ws.third_party_totals(small.im) == {"planned": 1_000_000, "received": 500_000}
    assert ws.check() == []
    assert ws.control_totals()["third_party_funds"] == (2, 1_500_000)
    audit = ws.audit_entries(entity="third_party_funds")
    assert {a.entity_id for a in audit} == {plan.ids[0], got.ids[0]}
    assert all(a.action == "Drittmittel erfasst" for a in audit)


@pytest.mark.parametrize(("changes", "message"), [
    ({"giver": "  "}, "Mittelgeber"),
    ({"amount_cents": 0}, "0,00 €"),
    ({"amount_cents": -5}, "negativ"),
    ({"received_on": None}, "Eingangsdatum"),
    ({"kind": PLAN, "received_on": date(2023, 1, 1)}, "kein Eingangsdatum"),
    ({"person_id": "outsider"}, "keine Stelle"),
    ({"purpose": "x" * 1001}, "zu lang"),
    ({"reversal_of": 1}, "Storno"),
])
def test_bad_input_is_refused_in_german_and_changes_nothing(small, changes, message):
    ws = small.ws
    ws.add_third_party(fund(small))
    if changes.get("person_id") == "outsider":
        changes = {**changes, "person_id": small.outsider}
    before = state(ws)
    with pytest.raises(ValidationError, match=message):
        ws.add_third_party(fund(small, **{k: v for k, v in changes.items() if k != "kind"},
                                kind=changes.get("kind", RECEIVED)))
    assert state(ws) == before


def test_a_received_date_outside_the_period_and_more_than_planned_are_warnings(small):
    ws = small.ws
    ws.add_third_party(fund(small, PLAN, 400_000))
    change = ws.add_third_party(fund(small, day=date(2025, 2, 1)))
    assert any("außerhalb des Bewilligungszeitraums" in w for w in change.warnings)
    assert any("mehr als im Finanzierungsplan" in w for w in change.warnings)


def test_update_and_delete_while_no_proof_is_submitted(small):
    ws = small.ws
    row_id = ws.add_third_party(fund(small)).ids[0]
    row = ws.third_party_fund(row_id)
    ws.update_third_party(dataclasses.replace(row, amount_cents=450_000, purpose="Zuschuss 2023 (gekürzt)"))
    assert ws.third_party_fund(row_id).amount_cents == 450_000
    assert ws.update_third_party(ws.third_party_fund(row_id)).action == "Drittmittel unverändert"
    assert ws.check() == []
    ws.delete_third_party(row_id)
    assert ws.third_party_funds(small.im) == []
    assert ws.control_totals()["third_party_funds"] == (0, 0)
    assert ws.check() == []
    actions = [a.action for a in ws.audit_entries(entity="third_party_funds")]
    assert sorted(actions) == sorted(["Drittmittel erfasst", "Drittmittel geändert", "Drittmittel gelöscht"])


def test_after_a_submitted_proof_rows_are_locked_and_only_reversed(small):
    ws = small.ws
    plan_id = ws.add_third_party(fund(small, PLAN, 1_000_000)).ids[0]
    inside = ws.add_third_party(fund(small)).ids[0]
    ws.submit_proof(e.ProofSubmission(None, small.im, e.ProofKind.INTERIM, date(2023, 1, 1), date(2023, 12, 31),
                                      date(2024, 2, 1)))
    assert ws.third_party_locked(inside) and ws.third_party_locked(plan_id)
    before = state(ws)
    for action in (lambda: ws.update_third_party(dataclasses.replace(ws.third_party_fund(inside), amount_cents=1)),
                   lambda: ws.delete_third_party(inside), lambda: ws.delete_third_party(plan_id),
                   lambda: ws.add_third_party(fund(small, day=date(2023, 6, 1)))):
        with pytest.raises(LockedError):
            action()
    assert state(ws) == before
    # outside the submitted period, and a plan change after an interim proof, stay possible
    ws.add_third_party(fund(small, day=date(2024, 4, 12)))
    ws.add_third_party(fund(small, PLAN, 200_000, purpose="Nachtrag Finanzierungsplan"))
    # Storno of a locked row: a new row with the negative amount and the reason
    reversal = ws.reverse_third_party(inside, "Betrag laut Kontoauszug falsch", on=date(2024, 5, 2))
    row = ws.third_party_fund(reversal.ids[0])
    assert (row.amount_cents, row.reversal_of, row.received_on) == (-500_000, inside, date(2024, 5, 2))
    plan_reversal = ws.third_party_fund(ws.reverse_third_party(plan_id, "Plan geändert").ids[0])
    assert plan_reversal.kind == PLAN and plan_reversal.received_on is None
    assert ws.third_party_totals(small.im) == {"planned": 200_000, "received": 500_000}
    with pytest.raises(ValidationError, match="bereits storniert"):
        ws.reverse_third_party(inside, "noch einmal")
    with pytest.raises(ValidationError, match="Grund"):
        ws.reverse_third_party(ws.third_party_funds(small.im)[-1].id, " ")
    assert ws.check() == []
    # after the final proof of use the financing plan is closed, too
    ws.submit_proof(e.ProofSubmission(None, small.im, e.ProofKind.FINAL, date(2023, 1, 1), date(2024, 12, 31),
                                      date(2025, 3, 1)))
    with pytest.raises(LockedError, match="Finanzierungsplan"):
        ws.add_third_party(fund(small, PLAN, 1))


def test_the_database_refuses_changes_to_locked_rows_from_outside(small):
    ws = small.ws
    row_id = ws.add_third_party(fund(small)).ids[0]
    plan_id = ws.add_third_party(fund(small, PLAN, 1_000_000)).ids[0]
    ws.submit_proof(e.ProofSubmission(None, small.im, e.ProofKind.INTERIM, date(2023, 1, 1), date(2023, 12, 31),
                                      date(2024, 2, 1)))
    conn = raw(ws)
    try:
        for sql, params in (("UPDATE third_party_funds SET amount_cents = 1 WHERE id = ?", [row_id]),
                            ("DELETE FROM third_party_funds WHERE id = ?", [row_id]),
                            ("UPDATE third_party_funds SET purpose = 'x' WHERE id = ?", [plan_id]),
                            (("INSERT INTO third_party_funds (decision_id, kind, giver, received_on, amount_cents, "
                              "created_at, row_hash) VALUES (?, 'eingang', 'X', '2023-05-05', 1, 'x', 'x')"),
                             [small.im])):
            with pytest.raises(sqlite3.IntegrityError, match="eingereicht"):
                conn.execute(sql, params)
    finally:
        conn.close()


def test_an_amount_changed_behind_paktdesks_back_is_found(small):
    ws = small.ws
    row_id = ws.add_third_party(fund(small)).ids[0]
    conn = raw(ws)
    try:
        conn.execute("UPDATE third_party_funds SET amount_cents = 50000 WHERE id = ?", [row_id])
        conn.commit()
    finally:
        conn.close()
    problems = ws.check()
    assert any(p.startswith("Drittmittel:") for p in problems), problems


def test_an_older_file_without_the_table_is_not_reported(tmp_path):
    """A backup of schema 5 is checked before it is migrated: no Drittmittel table is no problem."""
    store = connect(tmp_path / "alt.paktdesk")
    try:
        migrations.apply(store.db, stop_before="0006_third_party")
        assert verify_money(store) == []
    finally:
        store.close()


def test_a_decision_with_third_party_money_cannot_go_to_the_trash(small):
    ws = small.ws
    ws.add_third_party(fund(small, decision_id=small.language, person_id=None, day=date(2023, 5, 1)))
    with pytest.raises(ValidationError, match="1 Drittmittel-Buchungen"):
        ws.delete_decision(small.language)


def test_third_party_money_lowers_own_share_and_the_grant_due(small):
    ws = small.ws
    before = ws.balance(small.im)
    ws.add_receipt(small.receipt(amount_cents=1_000_000))  # Keller: 10.000,00 €
    ws.add_third_party(fund(small, PLAN, 800_000))
    ws.add_third_party(fund(small, amount=300_000))  # for Keller, 2023
    ws.add_third_party(fund(small, amount=90_000, day=date(2024, 3, 1), person_id=None))  # the decision
    b = ws.balance(small.im)
    assert b.third_party_planned == 800_000 and b.total.third_party == 390_000
    assert b.total.own_share == max(0, b.total.actual - b.total.due - 390_000)
    assert b.total.due == sum(line.due or 0 for line in b.by_person)  # per named person, summed
    assert before.total.third_party == 0
    people = {line.key: line for line in b.by_person}
    keller, schaefer = people[f"person:{small.keller}"], people[f"person:{small.schaefer}"]
    # the undesignated 900,00 € shared by fixed amounts; Keller's 3.000,00 € are hers alone
    assert keller.third_party + schaefer.third_party == 390_000
    assert keller.third_party > 300_000 and schaefer.third_party > 0
    assert keller.due == max(0, min(keller.planned, keller.actual - keller.third_party))
    years = {line.label: line.third_party for line in b.by_year}
    assert years["2023"] == 300_000 and years["2024"] == 90_000
    for lines in (b.by_person, b.by_year):
        assert sum_lines(lines).third_party == b.total.third_party
        assert sum_lines(lines).actual == b.total.actual
