"""``open_datafile(check="later")``: the window opens without SQLite's quick check (it reads the
whole file), the background full check confirms the file, and a write that comes before that
runs the quick check itself: a damaged file is then refused, unchanged."""

from __future__ import annotations

import hashlib
import sqlite3

import pytest

from paktdesk.core import entities as e
from paktdesk.core.errors import IntegrityError
from paktdesk.db.datafile import open_datafile
from paktdesk.workspace import Workspace


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def damage_an_index(path) -> None:
    """Zero the root page of an index of the receipts: the file still opens and its tables read,
    but SQLite's quick check fails."""
    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE type = 'index' AND tbl_name = 'receipts' "
                        "ORDER BY name LIMIT 1").fetchone()[0]
    conn.close()
    with path.open("r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\x00" * page_size)


def new_provider(ws: Workspace) -> None:
    ws.save_provider(e.Provider(None, "Caritas Lindenbach", e.ProviderKind.FREE))


@pytest.fixture
def damaged(demo_ws, demo_path):
    demo_ws.close()
    damage_an_index(demo_path)
    return demo_path


def test_a_damaged_file_is_refused_at_once_by_the_default_open(damaged):
    with pytest.raises(IntegrityError, match="beschädigt"):
        open_datafile(damaged)


def test_opened_later_a_damaged_file_reads_but_refuses_the_first_write_unchanged(damaged):
    before = digest(damaged)
    ws = Workspace.open(damaged, check="later")
    try:
        assert ws.store.check_pending
        assert ws.profile().ags == "08125097"  # the window can show the data
        with pytest.raises(IntegrityError, match="beschädigt.*nichts geändert"):
            new_provider(ws)
        assert ws.store.check_pending  # still unconfirmed: the next write is checked again
    finally:
        ws.close()
    assert digest(damaged) == before


def test_the_first_write_on_a_sound_file_runs_the_quick_check_once(demo_ws, demo_path):
    demo_ws.close()
    ws = Workspace.open(demo_path, check="later")
    try:
        assert ws.store.check_pending
        new_provider(ws)
        assert not ws.store.check_pending
        assert any(p.name == "Caritas Lindenbach" for p in ws.providers())
    finally:
        ws.close()


def test_a_confirmed_file_writes_without_its_own_quick_check(damaged):
    """After the full check confirmed the file, writes go straight ahead (here: a file damaged
    behind the confirmation's back, which only a real confirmation would let through)."""
    ws = Workspace.open(damaged, check="later")
    try:
        ws.confirm_checked()
        assert not ws.store.check_pending
        new_provider(ws)  # no quick check: the write (away from the damaged index) goes through
        assert any(p.name == "Caritas Lindenbach" for p in ws.providers())
    finally:
        ws.close()


def test_a_file_that_needs_a_migration_is_checked_at_once(demo_ws, demo_path):
    demo_ws.close()
    conn = sqlite3.connect(demo_path)
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = (SELECT max(name) FROM _sqlite_migrations)")
    conn.commit()
    conn.close()
    damage_an_index(demo_path)
    before = digest(demo_path)
    with pytest.raises(IntegrityError, match="beschädigt"):
        Workspace.open(demo_path, check="later")
    assert digest(demo_path) == before


def test_an_unknown_check_mode_is_a_programming_error(demo_ws, demo_path):
    demo_ws.close()
    with pytest.raises(ValueError):
        open_datafile(demo_path, check="never")
