"""Every migration, from an empty file and from a file of the schema before it."""

import pytest

from paktdesk.core.errors import NewerFileError
from paktdesk.db.connection import APPLICATION_ID, connect
from paktdesk.db.datafile import full_check, open_datafile
from paktdesk.db.integrity import ADDED_LATER, book_insert
from paktdesk.db.migrations import KNOWN_MIGRATIONS, SCHEMA_VERSION, migrations


def applied_names(store):
    return [m.name for m in migrations.applied(store.db)]


def user_version(store):
    return store.conn.execute("PRAGMA user_version").fetchone()[0]


def partial_file(path, stop_before: str):
    """A file of the schema just before the migration ``stop_before``."""
    store = connect(path)
    migrations.apply(store.db, stop_before=stop_before)
    return store


def snapshot(store) -> dict[str, set[tuple]]:
    """All rows of all tables (the migrations' own bookkeeping aside)."""
    tables = [row[0] for row in store.conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name != '_sqlite_migrations'")]
    result = {}
    for table in tables:
        cursor = store.conn.execute(f"SELECT * FROM [{table}]")
        names = [d[0] for d in cursor.description]
        result[table] = {tuple(sorted(zip(names, row, strict=True))) for row in cursor}
    return result


def test_the_migration_list_is_what_this_version_knows():
    assert KNOWN_MIGRATIONS[:2] == ["0001_schema", "0002_defaults"]
    assert SCHEMA_VERSION == len(KNOWN_MIGRATIONS)
    assert len(set(KNOWN_MIGRATIONS)) == len(KNOWN_MIGRATIONS)


def test_all_migrations_from_empty(store):
    assert applied_names(store) == KNOWN_MIGRATIONS
    assert user_version(store) == SCHEMA_VERSION
    assert store.conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert migrations.pending(store.db) == []
    assert full_check(store) == []
    # the defaults of 0002
    codes = {row[0] for row in store.conn.execute("SELECT code FROM rule_sets")}
    assert codes == {"VwV2017", "VwV2023"}
    rates = dict(store.conn.execute(
        "SELECT r.code || '/' || t.category, t.rate_cents FROM rule_rates t JOIN rule_sets r ON r.id = t.rule_set_id"))
    assert rates["VwV2017/c"] == 5_100_000 and rates["VwV2023/a"] == 6_000_000
    assert store.conn.execute("SELECT count(*) FROM cost_categories").fetchone()[0] >= 5


def test_reopening_applies_nothing_twice(data_path):
    first = open_datafile(data_path, create=True)
    applied = [(m.name, m.applied_at) for m in migrations.applied(first.db)]
    first.close()
    again = open_datafile(data_path)
    try:
        assert [(m.name, m.applied_at) for m in migrations.applied(again.db)] == applied
        assert again.conn.execute("SELECT count(*) FROM rule_sets").fetchone()[0] == 2
    finally:
        again.close()


@pytest.mark.parametrize("index", range(1, len(KNOWN_MIGRATIONS)),
                         ids=lambda i: KNOWN_MIGRATIONS[i])
def test_each_migration_from_the_previous_schema_keeps_the_data(data_path, index):
    name = KNOWN_MIGRATIONS[index]
    store = partial_file(data_path, stop_before=name)
    assert applied_names(store) == KNOWN_MIGRATIONS[:index]
    assert user_version(store) == index
    before = snapshot(store)
    store.close()

    store = open_datafile(data_path)  # what a clerk's newer PaktDesk does with the old file
    try:
        assert applied_names(store) == KNOWN_MIGRATIONS
        assert user_version(store) == SCHEMA_VERSION
        after = snapshot(store)
        for table, rows in before.items():
            assert table in after, f"table {table} vanished"
            if not rows:
                continue
            old_columns = {column for column, _ in next(iter(rows))}
            # a migration may add columns; the old columns of every old row must be unchanged
            projected = {tuple(c for c in row if c[0] in old_columns) for row in after[table]}
            assert rows <= projected, table
        assert full_check(store) == []
    finally:
        store.close()


def test_0002_on_a_file_with_data_of_schema_1(data_path):
    """Rows written under schema 1 survive 0002 and the file passes every check."""
    store = partial_file(data_path, stop_before="0002_defaults")
    conn = store.conn
    conn.execute("BEGIN")
    conn.execute("INSERT INTO profile (id, name, kind, ags, updated_at) "
                 "VALUES (1, 'Gemeinde Lindenbach', 'Gemeinde', '08125097', '2024-01-01T00:00:00+00:00')")
    conn.execute("INSERT INTO providers (id, name, kind) VALUES (1, 'Caritas', 'frei')")
    conn.execute("INSERT INTO persons (id, first_name, last_name, provider_id) VALUES (1, 'Sabine', 'Keller', 1)")
    conn.execute("INSERT INTO decisions (id, funding_area, grantor, file_number) "
                 "VALUES (1, '1', 'RP Stuttgart', '15.2-8712.23/1274')")
    book_insert(store, "decision_versions", {
        "decision_id": 1, "version_no": 1, "kind": "Erstbescheid", "decided_on": "2022-12-15",
        "first_day": "2023-01-01", "last_day": "2024-12-31", "amount_cents": 12_000_000,
        "rule_set_id": None, "note": ""})
    book_insert(store, "payments", {
        "decision_id": 1, "requested_on": "2023-01-10", "received_on": "2023-02-01",
        "amount_cents": 3_000_000, "cash_ref": "KZ-1", "note": "", "reversal_of": None,
        "reversal_reason": "", "created_at": "2023-02-01T08:00:00+00:00"})
    conn.execute("COMMIT")
    assert conn.execute("SELECT count(*) FROM rule_sets").fetchone()[0] == 0  # 0002 not applied yet
    before = snapshot(store)
    store.close()

    store = open_datafile(data_path)
    try:
        after = snapshot(store)
        for table in ("profile", "providers", "persons", "decisions", "decision_versions", "payments"):
            old_columns = {column for column, _ in next(iter(before[table]))}
            # later migrations may add columns (0007 adds some to profile); old values stay
            assert {tuple(c for c in row if c[0] in old_columns) for row in after[table]} == before[table], table
        # later migrations add the (empty) control totals of the money tables they bring
        added = {row for row in after["control_totals"] if dict(row)["table_name"] in ADDED_LATER}
        assert after["control_totals"] - added == before["control_totals"]
        assert {dict(row)["row_count"] for row in added} <= {0}
        assert store.conn.execute("SELECT count(*) FROM rule_sets").fetchone()[0] == 2
        assert user_version(store) == SCHEMA_VERSION
        assert full_check(store) == []
    finally:
        store.close()


def test_a_file_of_this_version_with_an_unknown_migration_is_newer(data_path):
    store = open_datafile(data_path, create=True)
    store.conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                       "VALUES ('paktdesk', '0099_later', '2030-01-01')")
    store.close()
    with pytest.raises(NewerFileError):
        open_datafile(data_path)


def test_the_light_list_of_migration_names_matches_the_registered_migrations():
    from paktdesk.db.versions import MIGRATION_NAMES

    assert list(MIGRATION_NAMES) == KNOWN_MIGRATIONS


def test_opening_an_up_to_date_file_does_not_import_heavy_libraries(tmp_path):
    import subprocess
    import sys

    from paktdesk.workspace import Workspace

    path = tmp_path / "aktuell.paktdesk"
    Workspace.open(path, create=True).close()
    code = ("import sys; from paktdesk.workspace import Workspace; "
            f"ws = Workspace.open({str(path)!r}); ws.persons(); ws.list_count('receipts'); ws.close(); "
            "print(*(m in sys.modules for m in ('sqlite_utils', 'reportlab', 'openpyxl', 'jsonschema')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False"] * 4  # heavy libraries load when a feature needs them


def test_0007_on_a_file_of_schema_6_keeps_money_and_seeds_the_rp(data_path):
    """0007 adds the forms' data (signer, audit office, retention, grantors, explanations)
    around the stored money and leaves every money row as it was."""
    from paktdesk.db.migrations import MONEY_TABLES

    store = partial_file(data_path, stop_before="0007_forms_profile")
    conn = store.conn
    conn.execute("BEGIN")
    conn.execute("INSERT INTO profile (id, name, kind, ags, updated_at) "
                 "VALUES (1, 'Gemeinde Lindenbach', 'Gemeinde', '08125097', '2024-01-01T00:00:00+00:00')")
    conn.execute("INSERT INTO decisions (id, funding_area, grantor, file_number) "
                 "VALUES (1, '1', 'Regierungspräsidium Stuttgart, Ref. 15.2', '15.2-8712.23/1274')")
    book_insert(store, "decision_versions", {
        "decision_id": 1, "version_no": 1, "kind": "Erstbescheid", "decided_on": "2022-12-15",
        "first_day": "2023-01-01", "last_day": "2024-12-31", "amount_cents": 12_000_000,
        "rule_set_id": None, "note": ""})
    book_insert(store, "payments", {
        "decision_id": 1, "requested_on": "2023-01-10", "received_on": "2023-02-01",
        "amount_cents": 3_000_000, "cash_ref": "KZ-1", "note": "", "reversal_of": None,
        "reversal_reason": "", "created_at": "2023-02-01T08:00:00+00:00"})
    conn.execute("COMMIT")
    before = snapshot(store)
    store.close()

    store = open_datafile(data_path)
    try:
        after = snapshot(store)
        for table in (*MONEY_TABLES, "control_totals", "decisions"):
            assert after[table] == before[table], table
        profile = dict(next(iter(after["profile"])))
        assert (profile["retention_years"], profile["signer_name"], profile["audit_note"]) == (5, "", "")
        grantor = store.conn.execute("SELECT name, department, street, postcode, city, email FROM grantors").fetchall()
        assert grantor == [("Regierungspräsidium Stuttgart", "Referat 15.2, Dienststelle Wertheim", "Am Eichamt 2",
                            "97877", "Wertheim", "integrationsmanagement@rps.bwl.de")]
        assert after["decision_explanations"] == set()
        assert user_version(store) == SCHEMA_VERSION
        assert full_check(store) == []
    finally:
        store.close()


def test_0008_on_a_file_of_schema_7_keeps_every_receipt_and_its_hash(data_path):
    """0008 adds the finance system's references beside the receipts: a booked receipt of a
    schema-7 file keeps its row, row hash and control total, has no references, and can get
    them; references cannot be changed afterwards."""
    import sqlite3

    from paktdesk.db.migrations import MONEY_TABLES

    store = partial_file(data_path, stop_before="0008_receipt_references")
    conn = store.conn
    conn.execute("BEGIN")
    conn.execute("INSERT INTO decisions (id, funding_area, grantor, file_number) "
                 "VALUES (1, '1', 'Regierungspräsidium Stuttgart', '15.2-8712.23/1274')")
    book_insert(store, "decision_versions", {
        "decision_id": 1, "version_no": 1, "kind": "Erstbescheid", "decided_on": "2022-12-15",
        "first_day": "2023-01-01", "last_day": "2024-12-31", "amount_cents": 12_000_000,
        "rule_set_id": None, "note": ""})
    book_insert(store, "receipts", {
        "decision_id": 1, "list_kind": "S", "number": 1, "receipt_date": "2023-03-05", "paid_on": None,
        "budget_year": 2023, "payee": "Bürobedarf Müller", "purpose": "Toner", "cost_category": "S_BUERO",
        "amount_cents": 123_456, "person_id": None, "attachment_id": None, "reversal_of": None,
        "reversal_reason": "", "created_at": "2023-03-06T08:00:00+00:00"})
    conn.execute("COMMIT")
    before = snapshot(store)
    store.close()

    store = open_datafile(data_path)
    try:
        after = snapshot(store)
        for table in (*MONEY_TABLES, "control_totals"):
            assert after[table] == before[table], table
        assert after["receipt_references"] == set()
        assert user_version(store) == SCHEMA_VERSION and full_check(store) == []
        receipt_id = store.conn.execute("SELECT id FROM receipts").fetchone()[0]
        with store.conn:
            store.conn.execute("INSERT INTO receipt_references (receipt_id, document_number, budget_line, "
                               "created_at) VALUES (?, '1900004711', '1.3120.4271', '2026-12-07T00:00:00Z')",
                               [receipt_id])
        with pytest.raises(sqlite3.IntegrityError, match="nicht geändert"):
            with store.conn:
                store.conn.execute("UPDATE receipt_references SET document_number = 'x'")
        assert full_check(store) == []  # the receipts' hashes do not cover the references
    finally:
        store.close()
