"""Queries over decisions and money that the generic repository does not cover."""

from __future__ import annotations

from ..core import entities as e
from ..core.errors import NotFoundError
from .connection import Store
from .repo import find


def current_version(store: Store, decision_id: int) -> e.DecisionVersion:
    found = find(store, e.DecisionVersion, "decision_id = ?", [decision_id], order_by="version_no DESC")
    if not found:
        raise NotFoundError(f"Bescheid Nr. {decision_id} hat keine Fassung.")
    return found[0]


def next_version_no(store: Store, decision_id: int) -> int:
    return store.conn.execute(
        "SELECT ifnull(max(version_no), 0) + 1 FROM decision_versions WHERE decision_id = ?", [decision_id]
    ).fetchone()[0]


def next_receipt_number(store: Store, decision_id: int, list_kind: str) -> int:
    return store.conn.execute(
        "SELECT ifnull(max(number), 0) + 1 FROM receipts WHERE decision_id = ? AND list_kind = ?",
        [decision_id, list_kind],
    ).fetchone()[0]


def receipt_number_taken(store: Store, decision_id: int, list_kind: str, number: int,
                         except_id: int | None = None) -> bool:
    return store.conn.execute(
        "SELECT count(*) FROM receipts WHERE decision_id = ? AND list_kind = ? AND number = ? AND id IS NOT ?",
        [decision_id, list_kind, number, except_id],
    ).fetchone()[0] > 0


def is_locked(store: Store, decision_id: int, day: str) -> bool:
    """True when a submitted proof of use covers ``day`` (ISO) of this decision."""
    return store.conn.execute(
        "SELECT count(*) FROM proof_submissions WHERE decision_id = ? AND ? BETWEEN first_day AND last_day",
        [decision_id, day],
    ).fetchone()[0] > 0


def money_summary(store: Store, decision_id: int) -> dict[str, int]:
    """Decided, received, spent and passed on for one decision, in cents, straight from the rows."""
    one = lambda sql: store.conn.execute(sql, [decision_id]).fetchone()[0]  # noqa: E731
    return {
        "decided": current_version(store, decision_id).amount_cents,
        "received": one("SELECT ifnull(sum(amount_cents), 0) FROM payments WHERE decision_id = ? "
                        "AND received_on IS NOT NULL"),
        "spent": one("SELECT ifnull(sum(amount_cents), 0) FROM receipts WHERE decision_id = ?"),
        "passed_on": one("SELECT ifnull(sum(z.amount_cents), 0) FROM pass_through_payments z "
                         "JOIN pass_throughs w ON w.id = z.pass_through_id WHERE w.decision_id = ?"),
    }


def table_counts(store: Store) -> dict[str, int]:
    tables = ["providers", "persons", "decisions", "decision_versions", "positions", "payments",
              "receipts", "pass_throughs", "key_figures", "narrative_reports", "attachments", "audit_log"]
    return {t: store.conn.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0] for t in tables}
