"""The paged, sorted, searched lists behind every table view, on the demo data."""

import pytest

from paktdesk.db.listings import LISTINGS

NAMES = sorted(LISTINGS)


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    from paktdesk.demo import create_demo

    ws = create_demo(tmp_path_factory.mktemp("listings") / "Demo.paktdesk")
    yield ws.store
    ws.close()


def test_the_screens_lists_exist():
    assert {"persons", "providers", "decisions", "payments", "receipts", "audit"} <= set(LISTINGS)


@pytest.mark.parametrize("name", NAMES)
def test_every_column_sorts_both_ways_and_pages_add_up(demo_store, name):
    listing = LISTINGS[name]
    total = listing.count(demo_store)
    assert total > 0
    for column in listing.columns:
        for descending in (False, True):
            rows = listing.page(demo_store, offset=0, limit=total + 5, sort=column.key, descending=descending)
            assert len(rows) == total
            assert all(len(row) == len(listing.columns) + 1 for row in rows)
            assert len({row[0] for row in rows}) == total  # ids unique
            # pages of 7 put together are the same list (the id breaks ties)
            paged = []
            for offset in range(0, total, 7):
                paged += listing.page(demo_store, offset=offset, limit=7, sort=column.key, descending=descending)
            assert paged == rows, column.key


def test_sorting_is_by_the_value(demo_store):
    rows = LISTINGS["receipts"].page(demo_store, offset=0, limit=10_000, sort="amount", descending=True)
    amounts = [row[-1] for row in rows]
    assert amounts == sorted(amounts, reverse=True)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("text", ["%", "_", "\\", "'", "a%b", "100%", "'; DROP TABLE receipts; --"])
def test_search_treats_wildcards_and_quotes_as_text(demo_store, name, text):
    listing = LISTINGS[name]
    count = listing.count(demo_store, search=text)
    assert count == len(listing.page(demo_store, offset=0, limit=100_000, search=text))
    assert count <= listing.count(demo_store)
    assert demo_store.conn.execute("SELECT count(*) FROM receipts").fetchone()[0] > 0


def test_search_finds_by_words(demo_store):
    persons = LISTINGS["persons"]
    assert persons.count(demo_store, search="Keller") == 1
    assert persons.count(demo_store, search="keller sabine") == 1
    assert persons.count(demo_store, search="Keller Petrović") == 0  # all words must match
    receipts = LISTINGS["receipts"]
    some = receipts.count(demo_store, search="Dolmetscher")
    assert 0 < some < receipts.count(demo_store)
