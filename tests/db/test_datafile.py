"""Opening a data file: pragmas that must hold, file identity, refusing newer and foreign files
without touching them, the append-only audit log and all-or-nothing use cases."""

import contextlib
import dataclasses
import hashlib
import shutil
import sqlite3
from datetime import date

import pytest

from paktdesk.core import entities as e
from paktdesk.core.errors import (
    DataFileError,
    NewerFileError,
    NotAPaktDeskFileError,
    NotFoundError,
    ValidationError,
)
from paktdesk.db.connection import APPLICATION_ID
from paktdesk.db.datafile import open_datafile
from paktdesk.db.migrations import SCHEMA_VERSION
from paktdesk.workspace import Workspace


def fingerprint(path):
    """The file's bytes, and the companion files (journal, WAL) beside it that hold data.

    (Reading a WAL-mode file read-only leaves an empty -wal and the -shm index behind; they
    change nothing.)"""
    companions = sorted(p.name for p in path.parent.glob(path.name + "-*")
                        if not p.name.endswith("-shm") and p.stat().st_size > 0)
    return hashlib.sha256(path.read_bytes()).hexdigest(), companions


def plain(path):
    """A plain sqlite3 connection, as another program (or a curious admin) would open the file;
    closed at the end of the ``with`` block."""
    return contextlib.closing(sqlite3.connect(str(path), isolation_level=None))


def test_pragmas_are_read_back(store, data_path):
    conn = store.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    store.close()
    # the file identity is on disk, not only in this connection
    with plain(data_path) as other:
        assert other.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert other.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_every_table_is_strict_and_money_is_integer(store):
    tables = store.conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name != '_sqlite_migrations'").fetchall()
    assert len(tables) > 20
    for name, sql in tables:
        assert sql.rstrip().endswith("STRICT"), name
        for column in store.conn.execute(f"PRAGMA table_info([{name}])"):
            if column[1].endswith("_cents") and name != "control_totals":
                assert column[2] == "INTEGER", (name, column[1])
                assert f"typeof({column[1]}) = 'integer'" in sql, (name, column[1])


def test_missing_file_is_not_created_unless_asked(tmp_path):
    with pytest.raises(DataFileError, match="gibt es nicht"):
        open_datafile(tmp_path / "fehlt.paktdesk")
    assert not (tmp_path / "fehlt.paktdesk").exists()
    with pytest.raises(DataFileError, match="Ordner"):
        open_datafile(tmp_path / "kein-ordner" / "neu.paktdesk", create=True)


@pytest.mark.parametrize("how", ["user_version", "migration_row"])
@pytest.mark.parametrize("journal", ["delete", "wal"])
def test_newer_file_is_refused_and_left_unchanged(data_path, how, journal):
    Workspace.open(data_path, create=True).close()
    with plain(data_path) as conn:
        if how == "user_version":
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        else:
            conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                         "VALUES ('paktdesk', '9999_from_the_future', '2031-01-01')")
        conn.execute(f"PRAGMA journal_mode = {journal}")
    before = fingerprint(data_path)
    for read_only in (False, True):
        with pytest.raises(NewerFileError) as err:
            open_datafile(data_path, read_only=read_only)
        assert "neueren PaktDesk-Version" in str(err.value)
        assert "nicht verändert" in str(err.value)
        assert fingerprint(data_path) == before


def test_text_file_is_refused_and_left_unchanged(tmp_path):
    path = tmp_path / "Notizen.paktdesk"
    path.write_text("Das ist keine Datenbank, nur Text mit Umlauten: äöü.\n" * 20, encoding="utf-8")
    before = fingerprint(path)
    with pytest.raises(NotAPaktDeskFileError, match="keine PaktDesk-Datei"):
        open_datafile(path)
    assert fingerprint(path) == before


@pytest.mark.parametrize("journal", ["delete", "wal"])
def test_other_programs_sqlite_file_is_refused_and_left_unchanged(tmp_path, journal):
    path = tmp_path / "kontakte.sqlite"
    with plain(path) as conn:
        conn.execute(f"PRAGMA journal_mode = {journal}")
        conn.execute("CREATE TABLE contacts (id INTEGER PRIMARY KEY, name TEXT)")
        conn.execute("INSERT INTO contacts (name) VALUES ('Erika Mustermann')")
    before = fingerprint(path)
    with pytest.raises(NotAPaktDeskFileError, match="anderen Programms"):
        open_datafile(path)
    assert fingerprint(path) == before


def test_foreign_application_id_is_refused(tmp_path):
    path = tmp_path / "fremd.db"
    with plain(path) as conn:
        conn.execute("PRAGMA application_id = 1234")
    before = fingerprint(path)
    with pytest.raises(NotAPaktDeskFileError, match="anderen Programm"):
        open_datafile(path)
    assert fingerprint(path) == before


def test_truncated_file_is_refused_and_left_unchanged(demo_ws, demo_path, tmp_path):
    demo_ws.close()
    damaged = tmp_path / "kaputt.paktdesk"
    data = demo_path.read_bytes()
    damaged.write_bytes(data[: len(data) // 3])
    before = fingerprint(damaged)
    with pytest.raises(DataFileError):
        open_datafile(damaged)
    assert fingerprint(damaged) == before


def test_audit_log_rows_cannot_be_changed_or_deleted(workspace):
    workspace.save_provider(e.Provider(None, "Caritas", e.ProviderKind.FREE))
    conn = workspace.store.conn
    rows = conn.execute("SELECT * FROM audit_log").fetchall()
    assert len(rows) == 1
    with pytest.raises(sqlite3.IntegrityError, match="Änderungsprotokoll kann nicht geändert"):
        conn.execute("UPDATE audit_log SET user = 'jemand anderes'")
    with pytest.raises(sqlite3.IntegrityError, match="Änderungsprotokoll kann nicht gelöscht"):
        conn.execute("DELETE FROM audit_log")
    assert conn.execute("SELECT * FROM audit_log").fetchall() == rows


def dump(ws):
    return list(ws.store.conn.iterdump())


def test_failing_use_case_leaves_the_file_as_before(demo_ws, demo_path):
    decision = demo_ws.decisions()[0]
    taken = demo_ws.receipts(decision.id)[0]
    before_rows, before_file = dump(demo_ws), fingerprint(demo_path)
    duplicate = dataclasses.replace(taken, id=None, amount_cents=1234, purpose="doppelt")
    with pytest.raises(ValidationError, match="schon vergeben") as err:
        demo_ws.add_receipt(duplicate)
    assert err.value.field == "number"
    assert dump(demo_ws) == before_rows
    assert fingerprint(demo_path) == before_file
    assert demo_ws.check() == []


def test_failure_inside_the_database_rolls_back_the_whole_action(workspace, data_path):
    workspace.save_provider(e.Provider(None, "Gemeinde", e.ProviderKind.OWN))
    before_rows, before_file = dump(workspace), fingerprint(data_path)
    version = e.DecisionVersion(None, 0, 0, e.VersionKind.ORIGINAL, date(2022, 12, 15), date(2023, 1, 1),
                                date(2024, 12, 31), 6_000_000)
    ghost = e.Position(None, 0, 999, 500, e.Category.A, date(2023, 1, 1), 24, 6_000_000, 6_000_000)
    # decision and version rows are written first; the position's missing person stops the action
    with pytest.raises((sqlite3.IntegrityError, NotFoundError)):
        workspace.create_decision(e.Decision(None, e.FundingArea.INTEGRATION_MANAGEMENT, "RP Stuttgart",
                                             "15.2-1"), version, positions=[ghost])
    assert dump(workspace) == before_rows
    assert fingerprint(data_path) == before_file
    assert workspace.check() == []
    assert workspace.decisions() == []


def test_reopening_keeps_everything(demo_ws, demo_path, tmp_path):
    demo_ws.close()
    copy = tmp_path / "Kopie.paktdesk"
    shutil.copyfile(demo_path, copy)
    ws = Workspace.open(copy)
    try:
        assert ws.check() == []
        assert ws.schema_version() == SCHEMA_VERSION
    finally:
        ws.close()


def test_read_only_file_reads_and_refuses_writes(demo_ws, demo_path):
    demo_ws.close()
    before = fingerprint(demo_path)
    ws = Workspace.open(demo_path, read_only=True)
    try:
        assert ws.read_only and ws.check() == []
        assert ws.counts()["receipts"] > 0
        with pytest.raises(DataFileError, match="schreibgeschützt"):
            ws.save_provider(e.Provider(None, "Neu", e.ProviderKind.FREE))
    finally:
        ws.close()
    assert fingerprint(demo_path) == before
