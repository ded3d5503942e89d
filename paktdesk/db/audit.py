"""The append-only audit log (triggers refuse UPDATE and DELETE)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from ..core.entities import AuditEntry
from . import chain
from .connection import Store
from .rows import from_row


def now_utc() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _json(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def record(store: Store, *, user: str, action: str, entity: str, entity_id: int | None,
           old: Any = None, new: Any = None, at: str | None = None) -> int:
    """Append one entry; ``at`` (UTC ISO text) defaults to now (generated test data sets it)."""
    row = {"at": at or now_utc(), "user": user, "action": action, "entity": entity, "entity_id": entity_id,
           "old": _json(old), "new": _json(new)}
    cursor = store.conn.execute(
        "INSERT INTO audit_log (at, user, action, entity, entity_id, old, new) VALUES (?, ?, ?, ?, ?, ?, ?)",
        list(row.values()),
    )
    if chain.present(store):
        chain.append(store, chain.AUDIT, cursor.lastrowid, "insert", {"id": cursor.lastrowid, **row})
    return cursor.lastrowid


def entries(store: Store, *, entity: str | None = None, entity_id: int | None = None,
            limit: int = 1000) -> list[AuditEntry]:
    where, params = [], []
    if entity:
        where.append("entity = ?")
        params.append(entity)
    if entity_id is not None:
        where.append("entity_id = ?")
        params.append(entity_id)
    sql = "SELECT * FROM audit_log" + (" WHERE " + " AND ".join(where) if where else "")
    rows = store.query(sql + " ORDER BY id DESC LIMIT ?", [*params, limit])
    return [from_row(AuditEntry, row) for row in rows]


def count(store: Store) -> int:
    return store.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
