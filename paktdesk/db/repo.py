"""Generic repository: store and load the core dataclasses that map one-to-one to a table.

Money tables go through :mod:`.integrity` so their row hashes and control totals stay in step.
Aggregate-specific queries live in the modules beside this one."""

from __future__ import annotations

from typing import Any, TypeVar

from ..core import entities as e
from ..core.errors import NotFoundError
from .connection import Store
from .integrity import AMOUNT_COLUMN, book_insert, book_update
from .rows import from_row, to_row

T = TypeVar("T")

TABLE_OF: dict[type, str] = {
    e.Provider: "providers",
    e.Person: "persons",
    e.Employment: "employments",
    e.Interruption: "interruptions",
    e.Qualification: "qualifications",
    e.Requalification: "requalifications",
    e.Decision: "decisions",
    e.DecisionVersion: "decision_versions",
    e.Position: "positions",
    e.CostPlanItem: "cost_plan_items",
    e.Payment: "payments",
    e.Receipt: "receipts",
    e.PassThrough: "pass_throughs",
    e.PassThroughPayment: "pass_through_payments",
    e.ProviderProof: "provider_proofs",
    e.KeyFigure: "key_figures",
    e.NarrativeReport: "narrative_reports",
    e.ProofSubmission: "proof_submissions",
    e.ThirdPartyFund: "third_party_funds",
}

ENTITY_LABEL: dict[type, str] = {
    e.Provider: "Träger", e.Person: "Integrationsmanager:in", e.Employment: "Beschäftigung",
    e.Interruption: "Unterbrechung", e.Qualification: "Qualifikation",
    e.Requalification: "Nachqualifizierung", e.Decision: "Bescheid",
    e.DecisionVersion: "Bescheidfassung", e.Position: "Stelle", e.CostPlanItem: "Kostenplan",
    e.Payment: "Zahlung", e.Receipt: "Beleg", e.PassThrough: "Weiterleitung",
    e.PassThroughPayment: "Weiterleitungszahlung", e.ProviderProof: "Nachweis des Trägers",
    e.KeyFigure: "Kennzahl", e.NarrativeReport: "Sachbericht",
    e.ProofSubmission: "Nachweis eingereicht",
    e.ThirdPartyFund: "Drittmittel",
}

_EXTRA_COLUMNS = {"qualifications": "recorded_at", "requalifications": "recorded_at",
                  "payments": "created_at", "receipts": "created_at",
                  "pass_through_payments": "created_at", "third_party_funds": "created_at"}


def table_of(obj_or_cls: Any) -> str:
    cls = obj_or_cls if isinstance(obj_or_cls, type) else type(obj_or_cls)
    return TABLE_OF[cls]


def insert(store: Store, obj: T, *, now: str) -> tuple[int, dict[str, Any]]:
    """Insert ``obj`` (its id is ignored). Returns the new id and the row as stored."""
    table = table_of(obj)
    row = to_row(obj)
    row.pop("id", None)
    if table in _EXTRA_COLUMNS:
        row[_EXTRA_COLUMNS[table]] = now
    if table in AMOUNT_COLUMN:
        new_id = book_insert(store, table, row)
    else:
        new_id = store.conn.execute(
            f"INSERT INTO [{table}] ({', '.join(f'[{c}]' for c in row)}) "
            f"VALUES ({', '.join('?' for _ in row)})",
            list(row.values()),
        ).lastrowid
    return new_id, {"id": new_id, **row}


def update(store: Store, obj: T) -> tuple[dict[str, Any], dict[str, Any]]:
    """Write all fields of ``obj`` over its row. Returns (old, new) column dicts."""
    table = table_of(obj)
    row = to_row(obj)
    row_id = row.pop("id")
    if table in AMOUNT_COLUMN:
        return book_update(store, table, row_id, row)
    old = get_row(store, table, row_id)
    sets = ", ".join(f"[{c}] = ?" for c in row)
    store.conn.execute(f"UPDATE [{table}] SET {sets} WHERE id = ?", [*row.values(), row_id])
    return old, {**old, **row}


def set_columns(store: Store, cls: type, row_id: int, changes: dict[str, Any]) -> tuple[dict, dict]:
    """Change a few columns of one row (e.g. ``deleted_at``). Returns (old, new)."""
    table = TABLE_OF[cls]
    if table in AMOUNT_COLUMN:
        return book_update(store, table, row_id, changes)
    old = get_row(store, table, row_id)
    sets = ", ".join(f"[{c}] = ?" for c in changes)
    store.conn.execute(f"UPDATE [{table}] SET {sets} WHERE id = ?", [*changes.values(), row_id])
    return old, {**old, **changes}


def get_row(store: Store, table: str, row_id: int) -> dict[str, Any]:
    cursor = store.conn.execute(f"SELECT * FROM [{table}] WHERE id = ?", [row_id])
    found = cursor.fetchone()
    if found is None:
        raise NotFoundError(f"Der Datensatz ({table} Nr. {row_id}) existiert nicht mehr.")
    return dict(zip([d[0] for d in cursor.description], found, strict=True))


def get(store: Store, cls: type[T], row_id: int) -> T:
    return from_row(cls, get_row(store, TABLE_OF[cls], row_id))


def find(store: Store, cls: type[T], where: str = "", params: list | tuple = (), *,
         order_by: str = "id") -> list[T]:
    """Rows of ``cls``'s table; ``where`` is a parameterised condition written by storage code."""
    sql = f"SELECT * FROM [{TABLE_OF[cls]}]"
    if where:
        sql += f" WHERE {where}"
    sql += f" ORDER BY {order_by}"
    return [from_row(cls, row) for row in store.query(sql, list(params))]


def count(store: Store, cls: type, where: str = "", params: list | tuple = ()) -> int:
    sql = f"SELECT count(*) FROM [{TABLE_OF[cls]}]" + (f" WHERE {where}" if where else "")
    return store.conn.execute(sql, list(params)).fetchone()[0]
