"""After a proof of use is submitted its receipts and payments are locked: edits are refused
with a German message (by the workspace and by the database's triggers), reversals with a reason
work, and the audit log shows both rows. Migration 0003 is tested from the previous schema."""

from __future__ import annotations

import dataclasses
import sqlite3
from datetime import date

import pytest
from money_helpers import Small, raw

from paktdesk.core import entities as e
from paktdesk.core.errors import LockedError, ValidationError
from paktdesk.db.connection import connect
from paktdesk.db.migrations import SCHEMA_VERSION, migrations
from paktdesk.workspace import Workspace


def _submit(ws, decision_id, first=date(2023, 1, 1), last=date(2024, 12, 31)):
    ws.submit_proof(e.ProofSubmission(None, decision_id, e.ProofKind.FINAL, first, last, date(2025, 3, 1)))


def _book(small):
    ws = small.ws
    ws.add_receipt(small.receipt())
    ws.record_payment(e.Payment(None, small.im, date(2023, 1, 5), date(2023, 2, 1), 9_000_000, cash_ref="KZ-1"))
    agreement = ws.add_pass_through(e.PassThrough(None, small.im, small.caritas, date(2023, 1, 2), "V", 6_000_000)).ids[0]
    ws.pay_pass_through(e.PassThroughPayment(None, agreement, date(2023, 2, 1), 3_000_000))
    return ws.receipts(small.im)[0], ws.payments(small.im)[0], ws.pass_through_payments(agreement)[0]


def test_locked_receipt_edit_refused_reversal_works_and_audit_shows_both(small):
    ws = small.ws
    receipt, payment, pt_payment = _book(small)
    _submit(ws, small.im)
    with pytest.raises(LockedError, match="eingereichten Nachweis.*stornieren"):
        ws.update_receipt(dataclasses.replace(receipt, amount_cents=1))
    with pytest.raises(LockedError):
        ws.delete_receipt(receipt.id)
    with pytest.raises(LockedError):
        ws.attach_to_receipt(receipt.id, None)
    with pytest.raises(LockedError, match="neue Belege sind dort nicht mehr möglich"):
        ws.add_receipt(small.receipt(purpose="nachgereicht"))
    with pytest.raises(LockedError, match="Zahlung gehört zu einem eingereichten Nachweis"):
        ws.update_payment(dataclasses.replace(payment, amount_cents=1))
    with pytest.raises(LockedError):
        ws.delete_payment(payment.id)
    with pytest.raises(LockedError):
        ws.pay_pass_through(e.PassThroughPayment(None, pt_payment.pass_through_id, date(2023, 5, 1), 1))
    with pytest.raises(ValidationError, match="Grund"):
        ws.reverse_receipt(receipt.id, "   ")

    change = ws.reverse_receipt(receipt.id, "Rechnung doppelt eingereicht", on=date(2025, 4, 1))
    reversal = ws.receipt(change.ids[0])
    assert (reversal.amount_cents, reversal.reversal_of, reversal.reversal_reason) == (
        -receipt.amount_cents, receipt.id, "Rechnung doppelt eingereicht")
    assert reversal.number == 2 and reversal.list_kind == receipt.list_kind
    with pytest.raises(ValidationError, match="bereits storniert"):
        ws.reverse_receipt(receipt.id, "nochmal")
    with pytest.raises(ValidationError, match="Stornobuchung kann nicht storniert"):
        ws.reverse_receipt(reversal.id, "nochmal")
    ws.reverse_payment(payment.id, "falsches Kassenzeichen", on=date(2025, 4, 1))
    ws.reverse_pass_through_payment(pt_payment.id, "an falschen Träger", on=date(2025, 4, 1))

    b = ws.balance(small.im)
    assert b.total.spent == 0 and b.received == 0 and b.total.passed_on == 0
    audit = ws.audit_entries(entity="receipts")
    created = [a for a in audit if a.action == "Beleg erfasst" and a.entity_id == receipt.id]
    reversed_ = [a for a in audit if a.action == "Beleg storniert"]
    assert created and {a.entity_id for a in reversed_} == {receipt.id, reversal.id}
    assert any("Rechnung doppelt eingereicht" in (a.new or "") for a in reversed_ if a.entity_id == receipt.id)
    assert ws.check() == []


def test_triggers_refuse_changes_behind_paktdesks_back(small):
    ws = small.ws
    receipt, payment, pt_payment = _book(small)
    _submit(ws, small.im)
    conn = raw(ws)
    try:
        statements = [
            ("UPDATE receipts SET amount_cents = 1 WHERE id = ?", receipt.id, "Beleg gehört zu einem eingereichten"),
            ("DELETE FROM receipts WHERE id = ?", receipt.id, "kann nicht gelöscht werden"),
            ("UPDATE payments SET amount_cents = 1 WHERE id = ?", payment.id, "Zahlung gehört"),
            ("DELETE FROM payments WHERE id = ?", payment.id, "Zahlung gehört"),
            ("UPDATE pass_through_payments SET amount_cents = 1 WHERE id = ?", pt_payment.id, "Weiterleitungszahlung"),
            ("DELETE FROM pass_through_payments WHERE id = ?", pt_payment.id, "Weiterleitungszahlung"),
            ("DELETE FROM proof_submissions WHERE id = ?", 1, "nicht zurückgenommen"),
            ("UPDATE proof_submissions SET last_day = '2023-01-01' WHERE id = ?", 1, "nicht geändert"),
        ]
        for sql, row_id, message in statements:
            with pytest.raises(sqlite3.IntegrityError, match=message):
                conn.execute(sql, [row_id])
        with pytest.raises(sqlite3.IntegrityError, match="neue Belege"):
            conn.execute("INSERT INTO receipts (decision_id, list_kind, number, receipt_date, budget_year, payee, "
                         "purpose, cost_category, amount_cents, created_at, row_hash) VALUES "
                         "(?, 'S', 99, '2023-06-01', 2023, 'x', 'y', 'S_BUERO', 5, 'now', 'h')", [small.im])
        conn.rollback()
    finally:
        conn.close()
    assert ws.check() == []
    assert ws.receipt(receipt.id) == receipt


def test_unlocked_rows_stay_editable_and_an_interim_proof_locks_only_its_period(small):
    ws = small.ws
    ws.add_receipt(small.receipt(receipt_date=date(2023, 5, 10)))
    ws.add_receipt(small.receipt(receipt_date=date(2024, 5, 10), budget_year=2024))
    requested = ws.record_payment(e.Payment(None, small.im, date(2023, 6, 1), None, 1_000_000)).ids[0]
    ws.submit_proof(e.ProofSubmission(None, small.im, e.ProofKind.INTERIM, date(2023, 1, 1), date(2023, 12, 31),
                                      date(2024, 2, 1)))
    old, new = sorted(ws.receipts(small.im), key=lambda r: r.receipt_date)
    assert ws.receipt_locked(old.id) and not ws.receipt_locked(new.id)
    ws.update_receipt(dataclasses.replace(new, amount_cents=999))
    with pytest.raises(LockedError):
        ws.update_receipt(dataclasses.replace(new, receipt_date=date(2023, 7, 1)))  # into the locked year
    ws.mark_payment_received(requested, date(2023, 7, 1))  # requested only: not booked yet, not locked
    with pytest.raises(LockedError):
        ws.mark_payment_received(requested, date(2023, 7, 2))
    ws.delete_receipt(new.id)
    assert [r.id for r in ws.receipts(small.im)] == [old.id]
    assert ws.check() == []


def test_migration_0004_from_the_previous_schema(tmp_path, monkeypatch):
    path = tmp_path / "alt.paktdesk"
    store = connect(path)
    migrations.apply(store.db, stop_before="0004_money_locks")
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == 3  # up to 0003_consolidation
    # the program of schema 3 wrote only the profile columns of its time (0007 added signer & co.)
    from paktdesk.db import profile as profile_db
    old_columns = {row[1] for row in store.conn.execute("PRAGMA table_info(profile)")}
    full_row = profile_db.to_row
    monkeypatch.setattr(profile_db, "to_row",
                        lambda item: {k: v for k, v in full_row(item).items() if k in old_columns})
    ws = Workspace(store)
    small = Small(ws)
    receipt, payment, _ = _book(small)
    _submit(ws, small.im)
    # the old schema had no triggers: the row could still be changed behind PaktDesk's back
    assert store.conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
                              "AND name LIKE 'receipts_locked%'").fetchone()[0] == 0
    ws.close()
    monkeypatch.undo()

    ws = Workspace.open(path)  # migrates
    try:
        assert ws.schema_version() == SCHEMA_VERSION >= 3
        assert ws.check() == []
        assert ws.receipt(receipt.id) == receipt and ws.payment(payment.id) == payment
        with pytest.raises(sqlite3.IntegrityError, match="eingereichten Nachweis"):
            ws.store.conn.execute("UPDATE receipts SET purpose = 'x' WHERE id = ?", [receipt.id])
        with pytest.raises(LockedError):
            ws.update_receipt(dataclasses.replace(receipt, purpose="x"))
        ws.reverse_receipt(receipt.id, "Migrationstest", on=date(2025, 5, 1))
        assert ws.balance(small.im).total.spent == 0
    finally:
        ws.close()
