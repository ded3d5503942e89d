"""The money check builds each row's canonical JSON in SQLite (speed); it must hash exactly what
``row_hash`` hashes, and a difference may only ever cost a recheck, never let a changed row pass."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paktdesk.core import entities as e
from paktdesk.db import integrity
from paktdesk.db.integrity import _canonical_sql, row_hash, verify_money

texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30) | st.sampled_from(
    ["", "\"", "\\", "\n\r\t\b\f", "\x00\x01\x1f\x7f", "ä ß ẞ € “„” ‘’", "\u2028\u2029", "😀", "a'b",
     "</script>"])


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(payee=texts, purpose=texts, reason=texts, amount=st.integers(-(2**62), 2**62),
       person=st.none() | st.integers(1, 10**12))
def test_sqlite_writes_the_same_canonical_json(payee, purpose, reason, amount, person):
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE receipts (id INTEGER PRIMARY KEY, payee TEXT, purpose TEXT, reversal_reason TEXT, "
                 "amount_cents INTEGER, person_id INTEGER, row_hash TEXT)")
    conn.execute("INSERT INTO receipts VALUES (1, ?, ?, ?, ?, ?, 'x')", [payee, purpose, reason, amount, person])
    names = [d[1] for d in conn.execute("PRAGMA table_info(receipts)")]
    text = conn.execute(f"SELECT {_canonical_sql('receipts', names)} FROM receipts").fetchone()[0]
    row = dict(zip(names, conn.execute("SELECT * FROM receipts").fetchone(), strict=True))
    assert hashlib.sha256(text.encode("utf-8")).hexdigest() == row_hash("receipts", row)


def test_odd_names_are_left_to_python():
    assert _canonical_sql("receipts", ["id", "amount_cents", "row_hash"]) is not None
    assert _canonical_sql("receipts", ["id", "it's", "row_hash"]) is None
    assert _canonical_sql("receipts", ["id", "a b", "row_hash"]) is None


def test_control_characters_in_a_booked_text_pass(workspace_with_receipt):
    ws, receipt_id = workspace_with_receipt
    assert verify_money(ws.store) == []


def test_a_row_sqlite_would_write_differently_is_rechecked_not_passed(workspace_with_receipt, monkeypatch):
    ws, receipt_id = workspace_with_receipt
    # pretend SQLite's JSON differed for every row: all rows are rechecked the plain way, none is wrong
    monkeypatch.setattr(integrity, "_canonical_sql", lambda table, names: "'[]'")
    assert verify_money(ws.store) == []
    ws.store.conn.execute("UPDATE receipts SET purpose = 'geändert' WHERE id = ?", [receipt_id])
    problems = verify_money(ws.store)
    assert any(f"(Nr. {receipt_id})" in p for p in problems)


def test_a_value_sqlite_json_cannot_hold_falls_back_to_python(workspace_with_receipt, monkeypatch):
    ws, _ = workspace_with_receipt
    monkeypatch.setattr(integrity, "_canonical_sql", lambda table, names: "json_object('x', x'00')")
    assert verify_money(ws.store) == []



@pytest.fixture
def workspace_with_receipt(demo_ws):
    decision = demo_ws.decisions()[-1].id
    demo_ws.add_receipt(e.Receipt(None, decision, e.ListKind.MATERIAL, 0, date(2024, 3, 1), None, 2024,
                                  "Kasse \"Mitte\"\\Nord", "Zeile 1\nZeile 2\tTab \x07 Glocke ß€", "S_SONST", 1234))
    receipt_id = demo_ws.store.conn.execute("SELECT max(id) FROM receipts").fetchone()[0]
    return demo_ws, receipt_id
