"""Scans and documents (certificates, evidence, receipts) stored inside the data file (table
``attachments``), so they travel with the Datenbestand and are never lost when a folder moves."""

from __future__ import annotations

import hashlib

from ..core.entities import Attachment
from ..core.errors import IntegrityError, NotFoundError
from .connection import Store
from .rows import from_row

_META = "id, filename, mime, size, sha256, created_at"


def add(store: Store, *, filename: str, mime: str, content: bytes, now: str) -> tuple[int, dict]:
    """Store ``content``; returns the new id and the row without its content (for the audit log)."""
    row = insert(store, filename=filename, mime=mime, content=content,
                 sha256=hashlib.sha256(content).hexdigest(), now=now)
    return row["id"], row


def insert(store: Store, *, filename: str, mime: str, content: bytes, sha256: str, now: str) -> dict:
    """Store one file. Returns the row without its content (for the audit log)."""
    row = {"filename": filename, "mime": mime, "size": len(content), "sha256": sha256, "created_at": now}
    new_id = store.conn.execute(
        "INSERT INTO attachments (filename, mime, size, sha256, content, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        [filename, mime, len(content), sha256, content, now]).lastrowid
    return {"id": new_id, **row}


def find_same(store: Store, sha256: str, size: int) -> Attachment | None:
    """An attachment with identical content, so the same scan is stored once."""
    rows = list(store.query(f"SELECT {_META} FROM attachments WHERE sha256 = ? AND size = ? "
                            "ORDER BY id LIMIT 1", [sha256, size]))
    return from_row(Attachment, rows[0]) if rows else None


def get(store: Store, attachment_id: int) -> Attachment:
    rows = list(store.query(f"SELECT {_META} FROM attachments WHERE id = ?", [attachment_id]))
    if not rows:
        raise NotFoundError(f"Der Anhang Nr. {attachment_id} existiert nicht mehr.")
    return from_row(Attachment, rows[0])


def content(store: Store, attachment_id: int) -> bytes:
    row = store.conn.execute("SELECT content, sha256 FROM attachments WHERE id = ?",
                             [attachment_id]).fetchone()
    if row is None:
        raise NotFoundError(f"Der Anhang Nr. {attachment_id} existiert nicht mehr.")
    data = bytes(row[0])
    if hashlib.sha256(data).hexdigest() != row[1]:
        raise IntegrityError(f"Der Anhang Nr. {attachment_id} ist beschädigt (Prüfsumme stimmt nicht).")
    return data
