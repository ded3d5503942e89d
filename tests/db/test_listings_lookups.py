"""The receipts list counts on the receipts table alone and matches the joined columns (file
number, person, cost category) through sub-queries (half the time on 200,000 receipts). Counts and
pages must be exactly those of the plain joined query."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paktdesk.core import entities as e
from paktdesk.db.listings import LISTINGS

RECEIPTS = LISTINGS["receipts"]


def _plain_count(store, search: str) -> int:
    where, params = RECEIPTS._where(search)  # every column through the joins, as before
    return store.conn.execute(f"SELECT count(*) FROM {RECEIPTS.source}{where}", params).fetchone()[0]


def _plain_page(store, search: str, sort: str | None, descending: bool) -> list[tuple]:
    where, params = RECEIPTS._where(search)
    columns = {c.key: c for c in RECEIPTS.columns}
    order = columns[sort].expr if sort in columns else RECEIPTS.default_sort
    direction = "DESC" if descending else "ASC"
    select = ", ".join(c.expr for c in RECEIPTS.columns)
    return store.conn.execute(
        f"SELECT b.id, {select} FROM {RECEIPTS.source}{where} ORDER BY {order} {direction}, b.id {direction} "
        "LIMIT 50 OFFSET 0", params).fetchall()


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    from paktdesk.demo import create_demo

    ws = create_demo(tmp_path_factory.mktemp("lookups") / "demo.paktdesk")
    decision = ws.decisions()[-1].id
    person = ws.persons()[0].id
    for number, (payee, purpose, code, who) in enumerate([
            ("Keller & Söhne", "100% Rabatt_Aktion", "S_BUERO", None),
            ("Dolmetscherdienst", "Übersetzung \\ Arabisch", "S_DOLM", person),
            ("Stadtwerke", "Miete", "S_RAUM", None)], start=1):
        ws.add_receipt(e.Receipt(None, decision, e.ListKind.MATERIAL, 0, date(2024, 2, number), None, 2024, payee,
                                 purpose, code, 1000 * number, person_id=who))
    yield ws.store
    ws.close()


WORDS = ["", "Keller", "keller", "15.2", "8712.23/1274", "Entgelt", "Miete", "Raum", "Dolm", "Sachausgaben",
         "Büro", "%", "_", "\\", "100%", "Rabatt_", "ö", "Yıldız", "Schäfer", "SV 07/2017", "xyz", "a b", "e"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=st.lists(st.sampled_from(WORDS) | st.text(max_size=4), max_size=3),
       sort=st.sampled_from([None, *(c.key for c in RECEIPTS.columns)]), descending=st.booleans())
def test_counts_and_pages_are_those_of_the_joined_query(store, words, sort, descending):
    search = " ".join(words)
    assert RECEIPTS.count(store, search=search) == _plain_count(store, search)
    assert RECEIPTS.page(store, offset=0, limit=50, sort=sort, descending=descending,
                         search=search) == _plain_page(store, search, sort, descending)


def test_the_count_reads_the_receipts_table_alone(store):
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    try:
        assert RECEIPTS.count(store, search="Keller") == _plain_count(store, "Keller") > 0
    finally:
        store.conn.set_trace_callback(None)
    count = next(s for s in statements if "count(*)" in s)
    assert "FROM receipts b WHERE" in count and "JOIN" not in count
