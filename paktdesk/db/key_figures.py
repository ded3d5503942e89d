"""Key figures in storage: the editable list of figures (``key_figure_defs``) and the yearly
values per integration manager or for the applicant (``key_figures``)."""

from __future__ import annotations

from typing import Any

from ..core.entities import KeyFigure, KeyFigureDef
from ..core.errors import NotFoundError
from .connection import Store
from .repo import find
from .rows import from_row


def _def_row(item: KeyFigureDef) -> dict[str, Any]:
    return {"code": item.code, "label": item.label, "grp": item.group, "sort_order": item.sort_order,
            "active": int(item.active)}


def get_def(store: Store, code: str) -> KeyFigureDef | None:
    rows = list(store.query(
        "SELECT code, label, grp AS [group], sort_order, active FROM key_figure_defs WHERE code = ?", [code]))
    return from_row(KeyFigureDef, rows[0]) if rows else None


def all_codes(store: Store) -> list[str]:
    return [row[0] for row in store.conn.execute("SELECT code FROM key_figure_defs")]


def insert_def(store: Store, item: KeyFigureDef) -> dict[str, Any]:
    row = _def_row(item)
    store.conn.execute(
        f"INSERT INTO key_figure_defs ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})",
        list(row.values()))
    return row


def update_def(store: Store, item: KeyFigureDef) -> tuple[dict[str, Any], dict[str, Any]]:
    """Write label, group, order and active flag of an existing figure; returns (old, new)."""
    old = store.conn.execute("SELECT code, label, grp, sort_order, active FROM key_figure_defs WHERE code = ?",
                             [item.code]).fetchone()
    if old is None:
        raise NotFoundError(f"Die Kennzahl „{item.code}“ gibt es nicht.")
    row = _def_row(item)
    store.conn.execute(
        "UPDATE key_figure_defs SET label = ?, grp = ?, sort_order = ?, active = ? WHERE code = ?",
        [row["label"], row["grp"], row["sort_order"], row["active"], item.code])
    return dict(zip(("code", "label", "grp", "sort_order", "active"), old, strict=True)), row


def values(store: Store, year: int, person_id: int | None) -> list[KeyFigure]:
    return find(store, KeyFigure, "year = ? AND person_id IS ?", [year, person_id], order_by="code")


def delete_value(store: Store, row_id: int) -> None:
    store.conn.execute("DELETE FROM key_figures WHERE id = ?", [row_id])


def subjects(store: Store, year: int) -> list[int | None]:
    """Whose figures a year's entry starts from: the applicant (None, first), everyone with
    figures this or last year, and everyone employed during the year."""
    rows = store.conn.execute(
        "SELECT person_id FROM key_figures WHERE year IN (?, ?) AND person_id IS NOT NULL "
        "UNION SELECT m.person_id FROM employments m JOIN persons p ON p.id = m.person_id "
        "WHERE p.deleted_at IS NULL AND m.first_day <= ? AND (m.last_day IS NULL OR m.last_day >= ?) "
        "ORDER BY 1",
        [year, year - 1, f"{year:04d}-12-31", f"{year:04d}-01-01"]).fetchall()
    return [None, *(row[0] for row in rows)]


def years(store: Store) -> list[int]:
    return [row[0] for row in store.conn.execute("SELECT DISTINCT year FROM key_figures ORDER BY year")]
