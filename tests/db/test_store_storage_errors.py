"""Store.transaction turns storage failures into German StorageErrors and opens the file again
after an I/O error, so the next action works."""

from __future__ import annotations

import sqlite3

import pytest

from paktdesk.db.failures import StorageError


def test_io_error_inside_a_transaction_is_german_and_the_store_is_reopened(store):
    before = store.conn
    with pytest.raises(StorageError) as caught, store.transaction():
        store.conn.execute("INSERT INTO settings (key, value) VALUES ('probe', '1')")
        raise sqlite3.OperationalError("disk I/O error")
    assert caught.value.kind == "io" and "E/A-Fehler" in str(caught.value)
    assert store.conn is not before  # a fresh connection
    assert store.conn.execute("SELECT count(*) FROM settings WHERE key = 'probe'").fetchone()[0] == 0
    with store.transaction():
        store.conn.execute("INSERT INTO settings (key, value) VALUES ('probe', '2')")
    assert store.conn.execute("SELECT value FROM settings WHERE key = 'probe'").fetchone()[0] == "2"
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_nested_failure_is_translated_once_and_reopens_at_the_outer_level(store):
    before = store.conn
    with pytest.raises(StorageError) as caught, store.transaction(), store.transaction():
        raise sqlite3.OperationalError("database or disk is full")
    assert caught.value.kind == "full" and store.conn is before  # no reopen needed for a full disk
    assert not store.conn.in_transaction


def test_constraint_violations_stay_what_they_are(store):
    with pytest.raises(sqlite3.IntegrityError), store.transaction():
        store.conn.execute("INSERT INTO settings (key, value) VALUES ('probe', NULL)")
