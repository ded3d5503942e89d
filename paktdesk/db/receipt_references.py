"""The finance system's references of a receipt (migration 0008): Belegnummer, Haushaltsstelle,
Sachkonto, Kostenstelle, Kassenzeichen. Kept beside ``receipts`` so its rows and hashes stay as
they are; written once with the receipt, never changed."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

from .connection import Store

COLUMNS = ("document_number", "budget_line", "account", "cost_center", "cash_ref")


def insert(store: Store, receipt_id: int, references: Mapping[str, str], *, now: str) -> dict[str, object]:
    """Store the references of one receipt; returns the row as written (for the audit log)."""
    row: dict[str, object] = {"receipt_id": receipt_id, **{c: str(references.get(c, "") or "") for c in COLUMNS},
                              "created_at": now}
    store.conn.execute(
        f"INSERT INTO receipt_references (receipt_id, {', '.join(COLUMNS)}, created_at) "
        f"VALUES (?, {', '.join('?' for _ in COLUMNS)}, ?)",
        [receipt_id, *(row[c] for c in COLUMNS), now])
    return row


def insert_many(store: Store, rows: Iterable[tuple[int, Mapping[str, str]]], *, now: str) -> None:
    """Store the references of many receipts in one statement (an import of 20,000 rows)."""
    store.conn.executemany(
        f"INSERT INTO receipt_references (receipt_id, {', '.join(COLUMNS)}, created_at) "
        f"VALUES (?, {', '.join('?' for _ in COLUMNS)}, ?)",
        ([receipt_id, *(str(refs.get(c, "") or "") for c in COLUMNS), now] for receipt_id, refs in rows))


def of_decision(store: Store, decision_id: int) -> dict[int, dict[str, str]]:
    """receipt id → its references, for the receipts of one decision that have any."""
    cursor = store.conn.execute(
        f"SELECT r.receipt_id, {', '.join('r.' + c for c in COLUMNS)} FROM receipt_references r "
        "JOIN receipts b ON b.id = r.receipt_id WHERE b.decision_id = ?", [decision_id])
    return {row[0]: dict(zip(COLUMNS, row[1:], strict=True)) for row in cursor}


def of_receipt(store: Store, receipt_id: int) -> dict[str, str]:
    row = store.conn.execute(
        f"SELECT {', '.join(COLUMNS)} FROM receipt_references WHERE receipt_id = ?", [receipt_id]).fetchone()
    return dict(zip(COLUMNS, row, strict=True)) if row else {}


def booked_document_numbers(store: Store, decision_id: int, numbers: Iterable[str]) -> dict[str, tuple[str, int]]:
    """document number → (list, number) of a booked, not reversed receipt of the decision that
    carries it: an export imported twice is found by the finance system's own number."""
    wanted = sorted({n for n in numbers if n})
    if not wanted:
        return {}
    cursor = store.conn.execute(
        "SELECT r.document_number, b.list_kind, b.number FROM receipt_references r "
        "JOIN receipts b ON b.id = r.receipt_id "
        "WHERE b.decision_id = ? AND r.document_number IN (SELECT value FROM json_each(?)) "
        "AND b.reversal_of IS NULL AND NOT EXISTS (SELECT 1 FROM receipts s WHERE s.reversal_of = b.id)",
        [decision_id, json.dumps(wanted)])
    return {row[0]: (row[1], row[2]) for row in cursor}
