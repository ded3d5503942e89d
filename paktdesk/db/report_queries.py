"""Read-only queries behind the printed forms.

Every figure a form prints comes from here, summed by SQLite from the stored rows. Dates are
ISO text; ``first``/``last`` are inclusive ISO days (None = no limit). :func:`snapshot` holds one
read transaction so all figures of a document come from the same state of the file."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass

from .connection import Store


@contextlib.contextmanager
def snapshot(store: Store) -> Iterator[None]:
    """One consistent read: a deferred transaction around all queries of a document."""
    if store.conn.in_transaction:
        yield
        return
    store.conn.execute("BEGIN")
    try:
        yield
    finally:
        if store.conn.in_transaction:
            store.conn.execute("ROLLBACK")


def _between(column: str, first: str | None, last: str | None) -> tuple[str, list]:
    parts, params = [], []
    if first:
        parts.append(f"{column} >= ?")
        params.append(first)
    if last:
        parts.append(f"{column} <= ?")
        params.append(last)
    return (" AND " + " AND ".join(parts)) if parts else "", params


@dataclass(frozen=True, slots=True)
class ReceiptRow:
    id: int
    list_kind: str
    number: int
    receipt_date: str
    paid_on: str | None
    budget_year: int
    payee: str
    purpose: str
    cost_category: str
    amount_cents: int
    person_id: int | None
    person_name: str
    reversal_of_number: int | None
    reversal_reason: str
    # the finance system's references (migration 0008), "" where the receipt has none
    document_number: str = ""
    budget_line: str = ""
    account: str = ""
    cost_center: str = ""
    cash_ref: str = ""


def receipts(store: Store, decision_id: int, *, first: str | None = None, last: str | None = None) -> list[ReceiptRow]:
    """Receipts of a decision, by cost category (in the categories' order), then date and number."""
    where, params = _between("b.receipt_date", first, last)
    sql = (
        "SELECT b.id, b.list_kind, b.number, b.receipt_date, b.paid_on, b.budget_year, b.payee, b.purpose, "
        "b.cost_category, b.amount_cents, b.person_id, "
        "ifnull(p.first_name || ' ' || p.last_name, ''), o.number, b.reversal_reason, "
        "ifnull(f.document_number, ''), ifnull(f.budget_line, ''), ifnull(f.account, ''), "
        "ifnull(f.cost_center, ''), ifnull(f.cash_ref, '') "
        "FROM receipts b JOIN cost_categories k ON k.code = b.cost_category "
        "LEFT JOIN persons p ON p.id = b.person_id "
        "LEFT JOIN receipts o ON o.id = b.reversal_of "
        "LEFT JOIN receipt_references f ON f.receipt_id = b.id "
        f"WHERE b.decision_id = ?{where} "
        "ORDER BY k.sort_order, k.code, b.receipt_date, b.list_kind, b.number"
    )
    return [ReceiptRow(*row) for row in store.conn.execute(sql, [decision_id, *params])]


def spent_by_category_and_person(store: Store, decision_id: int, *, first: str | None = None,
                                 last: str | None = None) -> dict[tuple[str, int | None], int]:
    """Sum of receipt amounts per (cost category, person or None)."""
    where, params = _between("receipt_date", first, last)
    sql = (f"SELECT cost_category, person_id, sum(amount_cents) FROM receipts WHERE decision_id = ?{where} "
           "GROUP BY cost_category, person_id")
    return {(row[0], row[1]): row[2] for row in store.conn.execute(sql, [decision_id, *params])}


def received_total(store: Store, decision_id: int, *, first: str | None = None, last: str | None = None) -> int:
    where, params = _between("received_on", first, last)
    return store.conn.execute(
        f"SELECT ifnull(sum(amount_cents), 0) FROM payments WHERE decision_id = ? AND received_on IS NOT NULL{where}",
        [decision_id, *params]).fetchone()[0]


@dataclass(frozen=True, slots=True)
class PaymentRow:
    requested_on: str | None
    received_on: str | None
    amount_cents: int
    cash_ref: str


def payments(store: Store, decision_id: int) -> list[PaymentRow]:
    """All payments of a decision (reversals included, they carry negative amounts)."""
    sql = ("SELECT requested_on, received_on, amount_cents, cash_ref FROM payments WHERE decision_id = ? "
           "ORDER BY ifnull(received_on, '9999'), ifnull(requested_on, ''), id")
    return [PaymentRow(*row) for row in store.conn.execute(sql, [decision_id])]


@dataclass(frozen=True, slots=True)
class PassThroughRow:
    id: int
    provider_id: int
    provider_name: str
    agreed_cents: int
    paid_cents: int
    proven_cents: int
    proofs: int


def pass_throughs(store: Store, decision_id: int, *, first: str | None = None,
                  last: str | None = None) -> list[PassThroughRow]:
    """Agreements of a decision with what was paid out and what the provider has proven."""
    paid_where, paid_params = _between("z.paid_on", first, last)
    proof_where, proof_params = _between("n.received_on", first, last)
    sql = (
        "SELECT w.id, w.provider_id, t.name, w.amount_cents, "
        f"(SELECT ifnull(sum(z.amount_cents), 0) FROM pass_through_payments z WHERE z.pass_through_id = w.id{paid_where}), "
        f"(SELECT ifnull(sum(n.spent_cents), 0) FROM provider_proofs n WHERE n.pass_through_id = w.id{proof_where}), "
        f"(SELECT count(*) FROM provider_proofs n WHERE n.pass_through_id = w.id{proof_where}) "
        "FROM pass_throughs w JOIN providers t ON t.id = w.provider_id WHERE w.decision_id = ? ORDER BY t.name, w.id"
    )
    return [PassThroughRow(*row) for row in
            store.conn.execute(sql, [*paid_params, *proof_params, *proof_params, decision_id])]


@dataclass(frozen=True, slots=True)
class PositionRow:
    position_id: int
    person_id: int
    first_name: str
    last_name: str
    provider_id: int
    provider_name: str
    vza_milli: int
    category: str
    first_day: str
    months: int
    amount_cents: int


def positions(store: Store, version_id: int) -> list[PositionRow]:
    sql = (
        "SELECT s.id, s.person_id, p.first_name, p.last_name, p.provider_id, t.name, s.vza_milli, s.category, "
        "s.first_day, s.months, s.amount_cents FROM positions s JOIN persons p ON p.id = s.person_id "
        "JOIN providers t ON t.id = p.provider_id WHERE s.version_id = ? ORDER BY p.last_name, p.first_name, s.id"
    )
    return [PositionRow(*row) for row in store.conn.execute(sql, [version_id])]


def key_figure_values(store: Store, *, first_year: int, last_year: int) -> list[tuple[int | None, str, int]]:
    """(person or None, code, value summed over the years) for the years in range."""
    sql = ("SELECT person_id, code, sum(value) FROM key_figures WHERE year BETWEEN ? AND ? "
           "GROUP BY person_id, code")
    return [tuple(row) for row in store.conn.execute(sql, [first_year, last_year])]


def narratives(store: Store, decision_id: int) -> list[tuple[int | None, str, str]]:
    """(provider or None, provider name, text): the applicant's report first, then providers by name."""
    sql = ("SELECT n.provider_id, ifnull(t.name, ''), n.text FROM narrative_reports n "
           "LEFT JOIN providers t ON t.id = n.provider_id WHERE n.decision_id = ? "
           "ORDER BY n.provider_id IS NOT NULL, t.name")
    return [tuple(row) for row in store.conn.execute(sql, [decision_id])]


@dataclass(frozen=True, slots=True)
class StatementDecisionRow:
    decision_id: int
    funding_area: str
    first_day: str
    last_day: str


def statement_decisions(store: Store, *, first: str, last: str) -> list[StatementDecisionRow]:
    """Decisions whose current version overlaps [first, last], by area, start and Aktenzeichen."""
    sql = """
        WITH cur AS (
            SELECT v.* FROM decision_versions v
            WHERE v.version_no = (SELECT max(version_no) FROM decision_versions x WHERE x.decision_id = v.decision_id)
        )
        SELECT d.id, d.funding_area, cur.first_day, cur.last_day
        FROM decisions d JOIN cur ON cur.decision_id = d.id
        WHERE d.deleted_at IS NULL AND cur.first_day <= :last AND cur.last_day >= :first
        ORDER BY d.funding_area, cur.first_day, d.file_number
    """
    return [StatementDecisionRow(*row) for row in store.conn.execute(sql, {"first": first, "last": last})]


def latest_receipt_date(store: Store, decision_id: int) -> str | None:
    return store.conn.execute("SELECT max(receipt_date) FROM receipts WHERE decision_id = ?",
                              [decision_id]).fetchone()[0]
