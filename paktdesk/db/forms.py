"""Data the printed forms need beyond the money: the grantors' addresses and the clerk's
explanation of deviations from the financing plan per decision (migration 0007)."""

from __future__ import annotations

from ..core.entities import Grantor
from .audit import now_utc
from .connection import Store
from .rows import from_row, to_row


def grantors(store: Store) -> list[Grantor]:
    return [from_row(Grantor, r) for r in store.query("SELECT * FROM grantors ORDER BY name COLLATE NOCASE, id")]


def save_grantor(store: Store, grantor: Grantor) -> tuple[int, dict | None, dict]:
    """Insert (id None) or update a grantor; returns its id, the old and the new row."""
    row = {**to_row(grantor, skip=("id",)), "updated_at": now_utc()}
    if grantor.id is None:
        columns = list(row)
        cursor = store.conn.execute(
            f"INSERT INTO grantors ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
            list(row.values()))
        return cursor.lastrowid, None, row
    old = list(store.query("SELECT * FROM grantors WHERE id = ?", [grantor.id]))
    store.conn.execute(f"UPDATE grantors SET {', '.join(f'{c} = ?' for c in row)} WHERE id = ?",
                       [*row.values(), grantor.id])
    return grantor.id, (old[0] if old else None), row


def delete_grantor(store: Store, grantor_id: int) -> dict | None:
    old = list(store.query("SELECT * FROM grantors WHERE id = ?", [grantor_id]))
    store.conn.execute("DELETE FROM grantors WHERE id = ?", [grantor_id])
    return old[0] if old else None


def explanation(store: Store, decision_id: int) -> str:
    row = store.conn.execute("SELECT text FROM decision_explanations WHERE decision_id = ?",
                             [decision_id]).fetchone()
    return row[0] if row else ""


def save_explanation(store: Store, decision_id: int, text: str) -> tuple[str, str]:
    old = explanation(store, decision_id)
    store.conn.execute(
        "INSERT INTO decision_explanations (decision_id, text, updated_at) VALUES (?, ?, ?) "
        "ON CONFLICT(decision_id) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at",
        [decision_id, text, now_utc()])
    return old, text
