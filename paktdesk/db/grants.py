"""Queries over decisions and money that the generic repository does not cover."""

from __future__ import annotations

import json

from ..core import entities as e
from ..core.errors import NotFoundError
from .connection import Store
from .integrity import book_delete
from .repo import find


def current_version(store: Store, decision_id: int) -> e.DecisionVersion:
    found = find(store, e.DecisionVersion, "decision_id = ?", [decision_id], order_by="version_no DESC")
    if not found:
        raise NotFoundError(f"Bescheid Nr. {decision_id} hat keine Fassung.")
    return found[0]


def current_versions(store: Store) -> dict[int, e.DecisionVersion]:
    """:func:`current_version` of every decision at once (the highest version_no wins)."""
    return {v.decision_id: v for v in find(store, e.DecisionVersion, order_by="decision_id, version_no")}


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


def money_summaries(store: Store) -> dict[int, dict[str, int]]:
    """:func:`money_summary` of every decision at once (a handful of grouped queries instead of
    four per decision), with the decision's current version as ``version``."""
    versions = current_versions(store)

    def grouped(sql: str) -> dict[int, int]:
        return dict(store.conn.execute(sql).fetchall())

    received = grouped("SELECT decision_id, sum(amount_cents) FROM payments WHERE received_on IS NOT NULL "
                       "GROUP BY decision_id")
    spent = grouped("SELECT decision_id, sum(amount_cents) FROM receipts GROUP BY decision_id")
    passed = grouped("SELECT w.decision_id, sum(z.amount_cents) FROM pass_through_payments z "
                     "JOIN pass_throughs w ON w.id = z.pass_through_id GROUP BY w.decision_id")
    return {decision_id: {"version": version, "decided": version.amount_cents,
                          "received": received.get(decision_id, 0), "spent": spent.get(decision_id, 0),
                          "passed_on": passed.get(decision_id, 0)}
            for decision_id, version in versions.items()}


def table_counts(store: Store) -> dict[str, int]:
    tables = ["providers", "persons", "decisions", "decision_versions", "positions", "payments",
              "receipts", "pass_throughs", "key_figures", "narrative_reports", "attachments", "audit_log"]
    return {t: store.conn.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0] for t in tables}


# --- locks after a submitted proof of use (the same conditions as the triggers of 0003) -------

def receipt_locked(store: Store, decision_id: int, receipt_date: str) -> bool:
    return is_locked(store, decision_id, receipt_date)


def payment_locked(store: Store, decision_id: int, received_on: str | None) -> bool:
    """A payment is booked (and lockable) once it has a received date."""
    return received_on is not None and is_locked(store, decision_id, received_on)


def pass_through_decision(store: Store, pass_through_id: int) -> int:
    found = store.conn.execute("SELECT decision_id FROM pass_throughs WHERE id = ?",
                               [pass_through_id]).fetchone()
    if found is None:
        raise NotFoundError(f"Die Weiterleitung Nr. {pass_through_id} existiert nicht.")
    return found[0]


def pass_through_payment_locked(store: Store, pass_through_id: int, paid_on: str) -> bool:
    return is_locked(store, pass_through_decision(store, pass_through_id), paid_on)


def is_reversed(store: Store, table: str, row_id: int) -> bool:
    """True when a reversal row points at ``row_id`` (table: payments, receipts,
    pass_through_payments)."""
    if table not in ("payments", "receipts", "pass_through_payments"):
        raise ValueError(table)
    return store.conn.execute(f"SELECT count(*) FROM [{table}] WHERE reversal_of = ?",
                              [row_id]).fetchone()[0] > 0


# --- sums the use cases check against ---------------------------------------------------------

def payments_booked(store: Store, decision_id: int, *, except_id: int | None = None) -> int:
    """Requested or received payments of a decision, net of reversals."""
    return store.conn.execute(
        "SELECT ifnull(sum(amount_cents), 0) FROM payments WHERE decision_id = ? AND id IS NOT ?",
        [decision_id, except_id]).fetchone()[0]


def pass_through_paid(store: Store, pass_through_id: int, *, except_id: int | None = None) -> int:
    return store.conn.execute(
        "SELECT ifnull(sum(amount_cents), 0) FROM pass_through_payments WHERE pass_through_id = ? "
        "AND id IS NOT ?", [pass_through_id, except_id]).fetchone()[0]


def pass_through_agreed(store: Store, decision_id: int, *, except_id: int | None = None) -> int:
    return store.conn.execute(
        "SELECT ifnull(sum(amount_cents), 0) FROM pass_throughs WHERE decision_id = ? AND id IS NOT ?",
        [decision_id, except_id]).fetchone()[0]


def decision_person_ids(store: Store, decision_id: int) -> set[int]:
    """Persons with a position in any version of the decision."""
    return {row[0] for row in store.conn.execute(
        "SELECT DISTINCT p.person_id FROM positions p JOIN decision_versions v ON v.id = p.version_id "
        "WHERE v.decision_id = ?", [decision_id])}


# --- duplicates -------------------------------------------------------------------------------

def receipt_candidates(store: Store, decision_id: int, receipt_date: str, amount_cents: int,
                       *, except_id: int | None = None) -> list[tuple[int, str, int, str, str]]:
    """Receipts with the same decision, date and amount: (id, list, number, payee, purpose).
    The caller compares payee and purpose (normalised) to decide on a duplicate."""
    return [tuple(row) for row in store.conn.execute(
        "SELECT id, list_kind, number, payee, purpose FROM receipts b WHERE decision_id = ? "
        "AND receipt_date = ? AND amount_cents = ? AND reversal_of IS NULL AND id IS NOT ? "
        "AND NOT EXISTS (SELECT 1 FROM receipts r WHERE r.reversal_of = b.id)",
        [decision_id, receipt_date, amount_cents, except_id])]


def receipt_keys(store: Store, decision_id: int,
                 pairs: list[tuple[str, int]]) -> list[tuple[str, int, str, str, str, int]]:
    """(date, amount, payee, purpose, list, number) of the booked, not reversed receipts of a
    decision that share date and amount with one of ``pairs`` (ISO date, cents): the import's
    duplicate check in one indexed query, however many receipts are booked."""
    return [tuple(row) for row in store.conn.execute(
        "WITH f(day, cents) AS (SELECT DISTINCT value ->> 0, value ->> 1 FROM json_each(?)) "
        "SELECT b.receipt_date, b.amount_cents, b.payee, b.purpose, b.list_kind, b.number "
        "FROM f JOIN receipts b ON b.decision_id = ? AND b.receipt_date = f.day AND b.amount_cents = f.cents "
        "WHERE b.reversal_of IS NULL AND NOT EXISTS (SELECT 1 FROM receipts r WHERE r.reversal_of = b.id)",
        [json.dumps(pairs), decision_id])]


def delete_money_row(store: Store, table: str, row_id: int) -> dict:
    """Delete an unlocked money row entered by mistake, keeping the control totals in step."""
    if table not in ("payments", "receipts", "pass_through_payments"):
        raise ValueError(table)
    return book_delete(store, table, row_id)
