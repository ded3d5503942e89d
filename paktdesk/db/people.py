"""Storage for the register beyond the generic repository: "erledigt" marks of deadlines,
what blocks a hard delete, and removing a person's or provider's rows for good."""

from __future__ import annotations

from .connection import Store
from .repo import get_row


def done_marks(store: Store) -> dict[str, tuple[str, str]]:
    """key → (when, who) for every deadline marked done."""
    return {row[0]: (row[1], row[2])
            for row in store.conn.execute("SELECT key, done_on, done_by FROM deadlines_done")}


def mark_done(store: Store, key: str, *, at: str, by: str) -> tuple[str, str] | None:
    """Mark ``key`` done; returns the previous mark (or None)."""
    old = store.conn.execute("SELECT done_on, done_by FROM deadlines_done WHERE key = ?", [key]).fetchone()
    store.conn.execute(
        "INSERT INTO deadlines_done (key, done_on, done_by) VALUES (?, ?, ?) "
        "ON CONFLICT(key) DO UPDATE SET done_on = excluded.done_on, done_by = excluded.done_by",
        [key, at, by])
    return tuple(old) if old else None


def unmark_done(store: Store, key: str) -> tuple[str, str] | None:
    old = store.conn.execute("SELECT done_on, done_by FROM deadlines_done WHERE key = ?", [key]).fetchone()
    store.conn.execute("DELETE FROM deadlines_done WHERE key = ?", [key])
    return tuple(old) if old else None


def _count(store: Store, sql: str, params: list) -> int:
    return store.conn.execute(sql, params).fetchone()[0]


def person_money_count(store: Store, person_id: int) -> int:
    """Positions, receipts and Drittmittel booked against the person (these forbid a hard delete)."""
    return (_count(store, "SELECT count(*) FROM positions WHERE person_id = ?", [person_id])
            + _count(store, "SELECT count(*) FROM receipts WHERE person_id = ?", [person_id])
            + _count(store, "SELECT count(*) FROM third_party_funds WHERE person_id = ?", [person_id]))


def provider_blockers(store: Store, provider_id: int) -> dict[str, int]:
    """What still refers to a provider: money passed on, persons, shares, narrative reports."""
    return {
        "pass_throughs": _count(store, "SELECT count(*) FROM pass_throughs WHERE provider_id = ?",
                                [provider_id]),
        "persons": _count(store, "SELECT count(*) FROM persons WHERE provider_id = ?", [provider_id]),
        "active_persons": _count(store, "SELECT count(*) FROM persons WHERE provider_id = ? "
                                        "AND deleted_at IS NULL", [provider_id]),
        "employments": _count(store, "SELECT count(*) FROM employments WHERE provider_id = ?",
                              [provider_id]),
        "narratives": _count(store, "SELECT count(*) FROM narrative_reports WHERE provider_id = ?",
                             [provider_id]),
    }


_PERSON_TABLES = ("employments", "interruptions", "qualifications", "requalifications", "key_figures")
_ATTACHMENT_REFS = (("qualifications", "evidence_attachment_id"),
                    ("requalifications", "certificate_attachment_id"),
                    ("receipts", "attachment_id"), ("provider_proofs", "attachment_id"))


def purge_person(store: Store, person_id: int) -> dict[str, list[dict]]:
    """Delete a person and every non-money row about them (and attachments only they used).
    Returns the deleted rows per table for the audit log. Call inside a transaction."""
    removed: dict[str, list[dict]] = {}
    attachment_ids = {
        row[0] for row in store.conn.execute(
            "SELECT evidence_attachment_id FROM qualifications WHERE person_id = ? "
            "AND evidence_attachment_id IS NOT NULL UNION "
            "SELECT certificate_attachment_id FROM requalifications WHERE person_id = ? "
            "AND certificate_attachment_id IS NOT NULL", [person_id, person_id])}
    for table in _PERSON_TABLES:
        cursor = store.conn.execute(f"SELECT * FROM [{table}] WHERE person_id = ?", [person_id])
        names = [d[0] for d in cursor.description]
        removed[table] = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        store.conn.execute(f"DELETE FROM [{table}] WHERE person_id = ?", [person_id])
    removed["persons"] = [get_row(store, "persons", person_id)]
    store.conn.execute("DELETE FROM persons WHERE id = ?", [person_id])
    removed["attachments"] = []
    for attachment_id in sorted(attachment_ids):
        used = sum(_count(store, f"SELECT count(*) FROM [{t}] WHERE [{c}] = ?", [attachment_id])
                   for t, c in _ATTACHMENT_REFS)
        if not used:
            row = store.conn.execute("SELECT id, filename, size, sha256 FROM attachments WHERE id = ?",
                                     [attachment_id]).fetchone()
            if row:
                removed["attachments"].append(dict(zip(("id", "filename", "size", "sha256"), row,
                                                       strict=True)))
            store.conn.execute("DELETE FROM attachments WHERE id = ?", [attachment_id])
    return removed


def purge_provider(store: Store, provider_id: int) -> dict:
    """Delete a provider row (callers check :func:`provider_blockers` first). Returns the row."""
    row = get_row(store, "providers", provider_id)
    store.conn.execute("DELETE FROM providers WHERE id = ?", [provider_id])
    return row


def delete_row(store: Store, table: str, row_id: int) -> dict:
    """Delete one row of a non-money register table; returns it for the audit log."""
    if table not in ("employments", "interruptions"):
        raise ValueError(f"{table} rows are not deleted this way")
    row = get_row(store, table, row_id)
    store.conn.execute(f"DELETE FROM [{table}] WHERE id = ?", [row_id])
    return row
