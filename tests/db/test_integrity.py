"""Row hashes and stored control totals find money changed behind PaktDesk's back."""

import sqlite3
from datetime import date

import pytest

from paktdesk.core import entities as e
from paktdesk.db.integrity import AMOUNT_COLUMN, control_totals, verify_money


def test_demo_passes(demo_ws):
    assert verify_money(demo_ws.store) == []
    totals = control_totals(demo_ws.store)
    receipts = demo_ws.store.conn.execute("SELECT count(*), sum(amount_cents) FROM receipts").fetchone()
    assert totals["receipts"] == tuple(receipts)


def add_cost_plan(ws):
    """The demo has no cost plan (those belong to the other funding areas): a language-course
    decision with one, booked through PaktDesk."""
    ws.create_decision(
        e.Decision(None, e.FundingArea.LANGUAGE, "RP Stuttgart", "15.2-8713.23/0009"),
        e.DecisionVersion(None, 0, 0, e.VersionKind.ORIGINAL, date(2023, 6, 1), date(2023, 7, 1),
                          date(2023, 12, 31), 250_000),
        cost_plan=[e.CostPlanItem(None, 0, "S_BUERO", 250_000)])


@pytest.mark.parametrize("table", sorted(AMOUNT_COLUMN))
def test_one_cent_changed_outside_paktdesk_is_found(demo_ws, table):
    column = AMOUNT_COLUMN[table]
    conn = demo_ws.store.conn
    if table == "cost_plan_items":
        add_cost_plan(demo_ws)
        assert verify_money(demo_ws.store) == []
    row_id = conn.execute(f"SELECT min(id) FROM [{table}]").fetchone()[0]
    assert row_id is not None, f"the demo has no {table}"
    conn.execute(f"UPDATE [{table}] SET [{column}] = [{column}] + 1 WHERE id = ?", [row_id])
    problems = verify_money(demo_ws.store)
    assert any(f"Nr. {row_id})" in p for p in problems), problems
    assert any("Kontrollsummen stimmen nicht" in p for p in problems), problems


def test_changed_text_is_found(demo_ws):
    conn = demo_ws.store.conn
    conn.execute("UPDATE receipts SET payee = 'Jemand anderes' WHERE id = 5")
    assert any("außerhalb von PaktDesk verändert (Nr. 5)" in p for p in verify_money(demo_ws.store))


def test_a_deleted_row_is_found_even_though_the_rest_is_intact(demo_ws):
    demo_ws.store.conn.execute("DELETE FROM payments WHERE id = (SELECT max(id) FROM payments)")
    problems = verify_money(demo_ws.store)
    assert problems and all("Zahlungen" in p for p in problems)


def test_a_copied_row_hash_does_not_make_a_forged_row_pass(demo_ws):
    conn = demo_ws.store.conn
    names = [d[1] for d in conn.execute("PRAGMA table_info(receipts)")]
    row = dict(zip(names, conn.execute("SELECT * FROM receipts WHERE id = 1").fetchone(), strict=True))
    row.update(id=100_000, number=99_999, amount_cents=1)
    conn.execute(f"INSERT INTO receipts ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})",
                 list(row.values()))
    problems = verify_money(demo_ws.store)
    assert any("100000" in p for p in problems) and any("Kontrollsummen" in p for p in problems)


def test_float_amount_cannot_even_be_stored(demo_ws):
    with pytest.raises(sqlite3.IntegrityError):
        demo_ws.store.conn.execute("UPDATE receipts SET amount_cents = 12.5 WHERE id = 1")
