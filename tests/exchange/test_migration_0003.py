"""Migration 0003 (consolidated_imports) applied to a data file of the previous schema."""

from __future__ import annotations

import sqlite3

import pytest
from exchange_builders import KREIS, build, gemeinde_data, write_document

from paktdesk.db.connection import connect
from paktdesk.db.migrations import SCHEMA_VERSION, migrations
from paktdesk.workspace import Workspace


def _schema_v2(path):
    store = connect(path)
    migrations.apply(store.db, stop_before="0003_consolidation")
    store.conn.execute(
        "INSERT INTO profile (id, name, kind, ags, updated_at) VALUES (1, ?, 'Landkreis', ?, '2024-12-01T00:00:00+00:00')",
        [KREIS.name, KREIS.ags])
    store.conn.execute("INSERT INTO providers (name, kind) VALUES ('Landratsamt', 'eigen')")
    store.close()


def test_previous_schema_has_no_consolidation_table(tmp_path):
    path = tmp_path / "alt.paktdesk"
    _schema_v2(path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'consolidated_imports'").fetchone()[0] == 0
    conn.close()


def test_migration_0003_from_schema_2_keeps_data_and_works(tmp_path):
    path = tmp_path / "alt.paktdesk"
    _schema_v2(path)
    ws = Workspace.open(path)
    try:
        assert ws.schema_version() == SCHEMA_VERSION >= 3
        assert ws.check() == []
        assert ws.profile().name == KREIS.name
        assert [p.name for p in ws.providers()] == ["Landratsamt"]
        gemeinde = write_document(build(gemeinde_data()), tmp_path / "g.json")
        (import_id,) = ws.import_gemeinde_files([gemeinde]).ids
        assert ws.gemeinde_document(import_id)["owner"]["ags"] == "08125081"
    finally:
        ws.close()
    conn = sqlite3.connect(path)
    names = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY rowid")]
    assert names[:3] == ["0001_schema", "0002_defaults", "0003_consolidation"]
    conn.close()


def test_consolidation_table_refuses_bad_rows(tmp_path):
    ws = Workspace.open(tmp_path / "neu.paktdesk", create=True)
    ws.close()
    conn = sqlite3.connect(tmp_path / "neu.paktdesk")
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute(
            "INSERT INTO consolidated_imports (ags, owner_name, owner_kind, period_key, created_at, format_version, "
            "file_sha256, file_name, imported_at, imported_by, summary, document) "
            "VALUES ('8125081', 'x', 'Gemeinde', 'gesamt', 'x', '1.0', ?, 'f', 'x', 'u', '{}', '{}')", ["a" * 64])
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute(
            "INSERT INTO consolidated_imports (ags, owner_name, owner_kind, period_key, created_at, format_version, "
            "file_sha256, file_name, imported_at, imported_by, summary, document) "
            "VALUES ('08125081', 'x', 'Gemeinde', 'gesamt', 'x', '1.0', ?, 'f', 'x', 'u', '{}', 'kein json')", ["a" * 64])
    conn.close()
