"""The SQL behind the exchange file: which rows go out for a period, and the store of Gemeinde
files a Kreis has taken over (``consolidated_imports``, migration 0003).

Period rule (documented in EXCHANGE-FORMAT.md): receipts by receipt date, payments by the day
received (else requested), pass-through payments by the day paid, Drittmittel received by the day
received (plan amounts belong to their decision); decisions whose period overlaps
the chosen one, plus any decision such a row belongs to, with all their versions, positions, cost
plans, Drittmittel plans, pass-through agreements, provider proofs and narrative reports."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..core import entities as e
from ..core.balances import DecisionMoney, settlement_period
from ..core.errors import NotFoundError
from ..core.periods import Period
from .balance_queries import decision_money
from .connection import Store
from .datafile import READ_FAILURES, money_check
from .integrity import money_tables, verified_rows, verify_money, verify_money_table
from .repo import find
from .rows import from_row

_IN = "IN (SELECT value FROM json_each(?))"


@dataclass(frozen=True, slots=True)
class ExportRows:
    """Everything an exchange file of one period is built from, as core objects."""

    providers: list[e.Provider]
    persons: list[e.Person]
    employments: list[e.Employment]
    interruptions: list[e.Interruption]
    qualifications: list[e.Qualification]
    requalifications: list[e.Requalification]
    decisions: list[e.Decision]
    versions: list[e.DecisionVersion]
    positions: list[e.Position]
    cost_plan: list[e.CostPlanItem]
    cost_categories: list[e.CostCategory]
    payments: list[e.Payment]
    receipts: list[e.Receipt]
    pass_throughs: list[e.PassThrough]
    pass_through_payments: list[e.PassThroughPayment]
    provider_proofs: list[e.ProviderProof]
    key_figure_defs: list[e.KeyFigureDef]
    key_figures: list[e.KeyFigure]
    narratives: list[e.NarrativeReport]
    third_party_funds: list[e.ThirdPartyFund]
    rule_sets: dict[int, tuple[str, int]]  # id → (code, max_extension_months)
    # per decision the rows its settlement (core.balances) is computed from, read in the same
    # pass: for a period that does not cover the whole Bewilligungszeitraum only the rows dated
    # inside it, exactly as for a Zwischennachweis of that period
    money: dict[int, DecisionMoney] = field(default_factory=dict)


def _ids(values) -> str:
    return json.dumps(sorted({v for v in values if v is not None}))


def _decision_ids(store: Store, first: date | None, last: date | None) -> list[int]:
    if first is None or last is None:
        sql, params = "SELECT id FROM decisions WHERE deleted_at IS NULL", []
    else:
        a, b = first.isoformat(), last.isoformat()
        sql = (
            "SELECT id FROM decisions WHERE deleted_at IS NULL AND ("
            " id IN (SELECT decision_id FROM decision_versions WHERE first_day <= ? AND last_day >= ?)"
            " OR id IN (SELECT decision_id FROM receipts WHERE receipt_date BETWEEN ? AND ?)"
            " OR id IN (SELECT decision_id FROM payments WHERE coalesce(received_on, requested_on) BETWEEN ? AND ?)"
            " OR id IN (SELECT w.decision_id FROM pass_through_payments z JOIN pass_throughs w"
            "           ON w.id = z.pass_through_id WHERE z.paid_on BETWEEN ? AND ?)"
            " OR id IN (SELECT decision_id FROM third_party_funds WHERE kind = 'eingang'"
            "           AND received_on BETWEEN ? AND ?))"
        )
        params = [b, a, a, b, a, b, a, b, a, b]
    return [row[0] for row in store.conn.execute(sql + " ORDER BY id", params)]


# the columns of the large tables as :func:`export_rows_checked` returns them (as row dicts)
RECEIPT_COLUMNS = ("id", "decision_id", "list_kind", "number", "receipt_date", "paid_on", "budget_year", "payee",
                   "purpose", "cost_category", "amount_cents", "person_id", "reversal_of", "reversal_reason")
PAYMENT_COLUMNS = ("id", "decision_id", "requested_on", "received_on", "amount_cents", "cash_ref", "note",
                   "reversal_of", "reversal_reason")
KEY_FIGURE_COLUMNS = ("year", "person_id", "code", "value")
THIRD_PARTY_COLUMNS = ("id", "decision_id", "kind", "giver", "person_id", "received_on", "amount_cents", "purpose",
                       "reversal_of", "reversal_reason")
_THIRD_PARTY_ORDER = "decision_id, kind DESC, received_on, id"  # plan first (no date), then by day received
_RECEIPT_ORDER = "decision_id, list_kind, number"
_PAYMENT_ORDER = "decision_id, id"
_KEY_FIGURE_ORDER = "year, person_id IS NOT NULL, person_id, code"
_PAYMENT_DAY = "coalesce(received_on, requested_on)"


@dataclass(frozen=True, slots=True)
class CheckedExportRows:
    """:func:`export_rows` with the large tables and the Drittmittel as plain row dicts
    (``rows.receipts``, ``rows.payments``, ``rows.key_figures`` and ``rows.third_party_funds``
    stay empty), and what the money check found."""

    rows: ExportRows | None  # None: the rows could not be read, and the money check says why
    receipts: list[dict[str, Any]]  # RECEIPT_COLUMNS → values
    payments: list[dict[str, Any]]  # PAYMENT_COLUMNS → values
    key_figures: list[dict[str, Any]]  # KEY_FIGURE_COLUMNS → values
    money_problems: list[str]  # exactly integrity.verify_money's findings, in its order
    third_party_funds: list[dict[str, Any]] = field(default_factory=list)  # THIRD_PARTY_COLUMNS → values


def export_rows(store: Store, first: date | None = None, last: date | None = None) -> ExportRows:
    """The rows of the whole Datenbestand (``first``/``last`` None) or of an inclusive period."""
    return _gather(store, first, last, checked=False).rows


def export_rows_checked(store: Store, first: date | None = None, last: date | None = None) -> CheckedExportRows:
    """The same rows, with every money table checked in the same reading: receipts, payments and
    Drittmittel are checked row by row while they are read (one pass over the table instead of two), the
    other, small money tables on their own; ``money_problems`` are exactly what
    ``datafile.full_check`` reports about money. If a row cannot be read at all, the money check
    runs on its own: its findings come back without rows, or, if it finds nothing, the error."""
    try:
        return _gather(store, first, last, checked=True)
    except READ_FAILURES:
        problems = money_check(store, verify_money)
        if not problems:
            raise
        return CheckedExportRows(None, [], [], [], problems)


def _gather(store: Store, first: date | None, last: date | None, *, checked: bool) -> CheckedExportRows:
    period = first is not None and last is not None
    a, b = (first.isoformat(), last.isoformat()) if period else ("0000-01-01", "9999-12-31")
    decisions = _ids(_decision_ids(store, first, last))
    versions = find(store, e.DecisionVersion, f"decision_id {_IN}", [decisions], order_by="decision_id, version_no")
    version_ids = _ids(v.id for v in versions)
    receipt_where = f"decision_id {_IN} AND receipt_date BETWEEN ? AND ?"
    payment_where = f"decision_id {_IN} AND " + (f"{_PAYMENT_DAY} BETWEEN ? AND ?" if period else "? <= ?")
    key_figure_where, key_figure_params = "year BETWEEN ? AND ?", [first.year if period else 2000,
                                                                     last.year if period else 2100]
    third_party_where = f"decision_id {_IN} AND (kind = 'plan' OR received_on BETWEEN ? AND ?)"
    found: dict[str, list[str]] = {}
    if checked:
        receipt_rows, found["receipts"] = verified_rows(store, "receipts", RECEIPT_COLUMNS, receipt_where,
                                                        [decisions, a, b], _RECEIPT_ORDER)
        payment_rows, found["payments"] = verified_rows(store, "payments", PAYMENT_COLUMNS, payment_where,
                                                        [decisions, a, b], _PAYMENT_ORDER)
        key_figure_rows = [dict(zip(KEY_FIGURE_COLUMNS, row)) for row in store.conn.execute(
            f"SELECT {', '.join(KEY_FIGURE_COLUMNS)} FROM key_figures WHERE {key_figure_where} "
            f"ORDER BY {_KEY_FIGURE_ORDER}", key_figure_params)]
        third_party_rows, found["third_party_funds"] = verified_rows(
            store, "third_party_funds", THIRD_PARTY_COLUMNS, third_party_where, [decisions, a, b], _THIRD_PARTY_ORDER)
        receipts, payments, key_figures, third_party = [], [], [], []
        person_refs = {*(r["person_id"] for r in receipt_rows), *(k["person_id"] for k in key_figure_rows),
                       *(m["person_id"] for m in third_party_rows)}
    else:
        receipts = find(store, e.Receipt, receipt_where, [decisions, a, b], order_by=_RECEIPT_ORDER)
        payments = find(store, e.Payment, payment_where, [decisions, a, b], order_by=_PAYMENT_ORDER)
        key_figures = find(store, e.KeyFigure, key_figure_where, key_figure_params, order_by=_KEY_FIGURE_ORDER)
        third_party = find(store, e.ThirdPartyFund, third_party_where, [decisions, a, b], order_by=_THIRD_PARTY_ORDER)
        receipt_rows, payment_rows, key_figure_rows, third_party_rows = [], [], [], []
        person_refs = {*(r.person_id for r in receipts), *(k.person_id for k in key_figures),
                       *(m.person_id for m in third_party)}
    pass_throughs = find(store, e.PassThrough, f"decision_id {_IN}", [decisions])
    agreement_ids = _ids(p.id for p in pass_throughs)
    positions = find(store, e.Position, f"version_id {_IN}", [version_ids])
    referenced = {*(p.person_id for p in positions), *person_refs}
    person_where = "(deleted_at IS NULL" + (
        " AND id IN (SELECT person_id FROM employments WHERE first_day <= ? AND (last_day IS NULL OR last_day >= ?)))"
        if period else ")")
    persons = find(store, e.Person, f"{person_where} OR id {_IN}",
                   [b, a, _ids(referenced)] if period else [_ids(referenced)], order_by="id")
    person_ids = _ids(p.id for p in persons)
    employments = find(store, e.Employment,
                       f"person_id {_IN}" + (" AND first_day <= ? AND (last_day IS NULL OR last_day >= ?)"
                                             if period else ""),
                       [person_ids, b, a] if period else [person_ids], order_by="person_id, first_day")
    provider_refs = {*(p.provider_id for p in persons), *(m.provider_id for m in employments),
                     *(w.provider_id for w in pass_throughs)}
    narratives = find(store, e.NarrativeReport, f"decision_id {_IN}", [decisions],
                      order_by="decision_id, provider_id IS NOT NULL, provider_id")
    provider_refs |= {n.provider_id for n in narratives}
    providers = find(store, e.Provider, f"deleted_at IS NULL OR id {_IN}", [_ids(provider_refs)])
    rows = ExportRows(
        providers=providers,
        persons=persons,
        employments=employments,
        interruptions=find(store, e.Interruption, f"person_id {_IN}", [person_ids]),
        qualifications=find(store, e.Qualification, f"person_id {_IN}", [person_ids]),
        requalifications=find(store, e.Requalification, f"person_id {_IN}", [person_ids]),
        decisions=find(store, e.Decision, f"id {_IN}", [decisions]),
        versions=versions,
        positions=positions,
        cost_plan=find(store, e.CostPlanItem, f"version_id {_IN}", [version_ids]),
        cost_categories=[from_row(e.CostCategory, r) for r in store.query(
            "SELECT * FROM cost_categories ORDER BY sort_order, code")],
        payments=payments,
        receipts=receipts,
        pass_throughs=pass_throughs,
        pass_through_payments=find(
            store, e.PassThroughPayment, f"pass_through_id {_IN} AND paid_on BETWEEN ? AND ?",
            [agreement_ids, a, b], order_by="pass_through_id, paid_on, id"),
        provider_proofs=find(store, e.ProviderProof, f"pass_through_id {_IN}", [agreement_ids]),
        key_figure_defs=[from_row(e.KeyFigureDef, r) for r in store.query(
            "SELECT code, label, grp AS [group], sort_order, active FROM key_figure_defs ORDER BY sort_order, code")],
        key_figures=key_figures,
        narratives=narratives,
        third_party_funds=third_party,
        rule_sets={row[0]: (row[1], row[2]) for row in store.conn.execute(
            "SELECT id, code, max_extension_months FROM rule_sets")},
        money=_settlement_money(store, versions, first, last),
    )
    problems: list[str] = []
    if checked:  # the small money tables on their own; every table's findings in verify_money's order
        for table in money_tables(store):
            problems.extend(found[table] if table in found else verify_money_table(store, table))
    return CheckedExportRows(rows, receipt_rows, payment_rows, key_figure_rows, problems, third_party_rows)


def _settlement_money(store: Store, versions: list[e.DecisionVersion], first: date | None,
                      last: date | None) -> dict[int, DecisionMoney]:
    latest: dict[int, e.DecisionVersion] = {}
    for version in versions:  # ordered by decision, version
        latest[version.decision_id] = version
    wanted = Period.inclusive(first, last) if first is not None and last is not None else None
    return {decision_id: decision_money(store, decision_id,
                                        period=settlement_period(version.first_day, version.last_day, wanted))
            for decision_id, version in latest.items()}


# consolidation: Gemeinde files a Kreis has taken over

IMPORT_COLUMNS = (
    "id", "ags", "owner_name", "owner_kind", "period_key", "first_day", "last_day", "created_at",
    "format_version", "file_sha256", "file_name", "imported_at", "imported_by", "summary",
)


def imports(store: Store) -> list[dict[str, Any]]:
    """Every import, without the documents themselves (they can be large)."""
    cursor = store.conn.execute(
        f"SELECT {', '.join(IMPORT_COLUMNS)} FROM consolidated_imports ORDER BY ags, first_day, id")
    return [_import_row(row) for row in cursor]


def _import_row(row) -> dict[str, Any]:
    found = dict(zip(IMPORT_COLUMNS, row, strict=True))
    found["summary"] = json.loads(found["summary"])
    return found


def imports_of_ags(store: Store, ags: str) -> list[dict[str, Any]]:
    cursor = store.conn.execute(
        f"SELECT {', '.join(IMPORT_COLUMNS)} FROM consolidated_imports WHERE ags = ? ORDER BY id", [ags])
    return [_import_row(row) for row in cursor]


def import_document(store: Store, import_id: int) -> str:
    """The stored document text of one import, exactly as taken over."""
    row = store.conn.execute("SELECT document FROM consolidated_imports WHERE id = ?", [import_id]).fetchone()
    if row is None:
        raise NotFoundError(f"Der Import Nr. {import_id} existiert nicht mehr.")
    return row[0]


def stored_documents(store: Store):
    """(id, owner name, AGS, stated SHA-256, document text) of every import, one at a time."""
    yield from store.conn.execute(
        "SELECT id, owner_name, ags, file_sha256, document FROM consolidated_imports ORDER BY id")


def insert_import(store: Store, row: dict[str, Any], document: str) -> int:
    values = {**row, "summary": json.dumps(row["summary"], ensure_ascii=False, sort_keys=True)}
    values.pop("id", None)
    columns = [*values, "document"]
    return store.conn.execute(
        f"INSERT INTO consolidated_imports ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
        [*values.values(), document]).lastrowid


def delete_import(store: Store, import_id: int) -> None:
    store.conn.execute("DELETE FROM consolidated_imports WHERE id = ?", [import_id])
