"""Attachments (scans of certificates, evidence, receipts) stored inside the data file, so they
move with it and are never lost when a folder is renamed."""

from __future__ import annotations

import hashlib

from ..core.entities import Attachment
from ..core.errors import IntegrityError, NotFoundError
from .connection import Store
from .rows import from_row

_META = "id, filename, mime, size, sha256, created_at"


def add(store: Store, *, filename: str, mime: str, content: bytes, now: str) -> tuple[int, dict]:
    """Store ``content``; returns the new id and the row without its content (for the audit log)."""
    row = {"filename": filename, "mime": mime, "size": len(content),
           "sha256": hashlib.sha256(content).hexdigest(), "created_at": now}
    new_id = store.conn.execute(
        "INSERT INTO attachments (filename, mime, size, sha256, content, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [row["filename"], row["mime"], row["size"], row["sha256"], content, now]).lastrowid
    return new_id, {"id": new_id, **row}


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
