"""The audit trail for the Rechnungsprüfungsamt: entries filtered by period and entity.

Times are stored as UTC ISO text; a period of local days is turned into UTC bounds by the
caller (the workspace), so this module only compares text."""

from __future__ import annotations

from collections.abc import Iterator

from ..core.entities import AuditEntry
from .connection import Store
from .rows import from_row


def _where(*, since_utc: str | None = None, until_utc: str | None = None, entity: str | None = None,
           entity_id: int | None = None, user: str | None = None) -> tuple[str, list]:
    clauses, params = [], []
    if since_utc:
        clauses.append("at >= ?")
        params.append(since_utc)
    if until_utc:
        clauses.append("at < ?")
        params.append(until_utc)
    if entity:
        clauses.append("entity = ?")
        params.append(entity)
    if entity_id is not None:
        clauses.append("entity_id = ?")
        params.append(entity_id)
    if user:
        clauses.append("user = ?")
        params.append(user)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def query(store: Store, *, since_utc: str | None = None, until_utc: str | None = None,
          entity: str | None = None, entity_id: int | None = None, user: str | None = None,
          offset: int = 0, limit: int | None = None, newest_first: bool = False) -> list[AuditEntry]:
    """Entries with ``since_utc <= at < until_utc`` (half-open), in order of writing."""
    where, params = _where(since_utc=since_utc, until_utc=until_utc, entity=entity,
                           entity_id=entity_id, user=user)
    sql = f"SELECT * FROM audit_log{where} ORDER BY id {'DESC' if newest_first else 'ASC'}"
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params += [limit, offset]
    return [from_row(AuditEntry, row) for row in store.query(sql, params)]


def iterate(store: Store, *, batch: int = 2000, **filters) -> Iterator[AuditEntry]:
    """All matching entries in batches (an export of 100.000 entries stays small in memory)."""
    last_id = 0
    where, params = _where(**filters)
    joiner = " AND " if where else " WHERE "
    while True:
        rows = list(store.query(f"SELECT * FROM audit_log{where}{joiner}id > ? ORDER BY id LIMIT ?",
                                   [*params, last_id, batch]))
        if not rows:
            return
        for row in rows:
            yield from_row(AuditEntry, row)
        last_id = rows[-1]["id"]


def count(store: Store, **filters) -> int:
    where, params = _where(**filters)
    return store.conn.execute(f"SELECT count(*) FROM audit_log{where}", params).fetchone()[0]


def entities(store: Store) -> list[str]:
    """The entity names that occur in the log (for the filter box)."""
    return [row[0] for row in store.conn.execute("SELECT DISTINCT entity FROM audit_log ORDER BY entity")]
