"""The owner's profile (one row) and the settings that travel with the data."""

from __future__ import annotations

import json
from typing import Any

from ..core.entities import CostCategory, KeyFigureDef, Profile
from .audit import now_utc
from .connection import Store
from .rows import from_row, to_row


def load_profile(store: Store) -> Profile | None:
    rows = list(store.query("SELECT * FROM profile WHERE id = 1"))
    return from_row(Profile, rows[0]) if rows else None


def save_profile(store: Store, profile: Profile) -> tuple[dict | None, dict]:
    old = list(store.query("SELECT * FROM profile WHERE id = 1"))
    row = {"id": 1, **to_row(profile), "updated_at": now_utc()}
    columns = list(row)
    store.conn.execute(
        f"INSERT INTO profile ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)}) "
        f"ON CONFLICT(id) DO UPDATE SET {', '.join(f'{c} = excluded.{c}' for c in columns if c != 'id')}",
        list(row.values()),
    )
    return (old[0] if old else None), row


def get_setting(store: Store, key: str, default: Any = None) -> Any:
    row = store.conn.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return json.loads(row[0]) if row else default


def set_setting(store: Store, key: str, value: Any) -> Any:
    old = get_setting(store, key)
    store.conn.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, json.dumps(value, ensure_ascii=False)],
    )
    return old


def cost_categories(store: Store) -> list[CostCategory]:
    return [from_row(CostCategory, r)
            for r in store.query("SELECT * FROM cost_categories ORDER BY sort_order, code")]


def key_figure_defs(store: Store, *, active_only: bool = True) -> list[KeyFigureDef]:
    sql = "SELECT code, label, grp AS [group], sort_order, active FROM key_figure_defs"
    if active_only:
        sql += " WHERE active = 1"
    return [from_row(KeyFigureDef, r) for r in store.query(sql + " ORDER BY sort_order, code")]
