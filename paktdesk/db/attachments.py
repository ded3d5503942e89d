"""Scans and documents stored inside the data file (table ``attachments``), so they travel with
the Datenbestand and are never lost when a folder moves. Identical content is stored once."""

from __future__ import annotations

from ..core.entities import Attachment
from ..core.errors import NotFoundError
from .connection import Store
from .rows import from_row

_COLUMNS = "id, filename, mime, size, sha256, created_at"


def find_same(store: Store, sha256: str, size: int) -> Attachment | None:
    rows = list(store.db.query(f"SELECT {_COLUMNS} FROM attachments WHERE sha256 = ? AND size = ? "
                               "ORDER BY id LIMIT 1", [sha256, size]))
    return from_row(Attachment, rows[0]) if rows else None


def insert(store: Store, *, filename: str, mime: str, content: bytes, sha256: str, now: str) -> dict:
    """Store one file. Returns the row without its content (for the audit log)."""
    row = {"filename": filename, "mime": mime, "size": len(content), "sha256": sha256, "created_at": now}
    new_id = store.conn.execute(
        "INSERT INTO attachments (filename, mime, size, sha256, content, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        [filename, mime, len(content), sha256, content, now]).lastrowid
    return {"id": new_id, **row}


def get(store: Store, attachment_id: int) -> Attachment:
    rows = list(store.db.query(f"SELECT {_COLUMNS} FROM attachments WHERE id = ?", [attachment_id]))
    if not rows:
        raise NotFoundError(f"Die Anlage Nr. {attachment_id} existiert nicht.")
    return from_row(Attachment, rows[0])


def content(store: Store, attachment_id: int) -> bytes:
    row = store.conn.execute("SELECT content FROM attachments WHERE id = ?", [attachment_id]).fetchone()
    if row is None:
        raise NotFoundError(f"Die Anlage Nr. {attachment_id} existiert nicht.")
    return bytes(row[0])
