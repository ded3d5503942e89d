"""Funding rule sets with their rates per qualification category."""

from __future__ import annotations

from datetime import date

from ..core.entities import RuleSet
from ..core.errors import NotFoundError
from .connection import Store
from .rows import from_row, to_row


def _rates(store: Store, rule_set_id: int) -> dict[str, int]:
    return {
        row[0]: row[1]
        for row in store.conn.execute(
            "SELECT category, rate_cents FROM rule_rates WHERE rule_set_id = ? ORDER BY category",
            [rule_set_id],
        )
    }


def rule_sets(store: Store) -> list[RuleSet]:
    rows = list(store.query("SELECT * FROM rule_sets ORDER BY valid_from"))
    return [from_row(RuleSet, row, rates=_rates(store, row["id"])) for row in rows]


def rule_set(store: Store, rule_set_id: int) -> RuleSet:
    rows = list(store.query("SELECT * FROM rule_sets WHERE id = ?", [rule_set_id]))
    if not rows:
        raise NotFoundError(f"Regelwerk Nr. {rule_set_id} existiert nicht.")
    return from_row(RuleSet, rows[0], rates=_rates(store, rule_set_id))


def rule_set_for(store: Store, day: date) -> RuleSet | None:
    """The rule set in force on ``day`` (the newest one that started by then)."""
    rows = list(store.query(
        "SELECT id FROM rule_sets WHERE valid_from <= ? AND (valid_to IS NULL OR valid_to >= ?) "
        "ORDER BY valid_from DESC LIMIT 1", [day.isoformat(), day.isoformat()]))
    return rule_set(store, rows[0]["id"]) if rows else None


def save_rule_set(store: Store, rules: RuleSet) -> tuple[dict | None, dict]:
    """Insert or update a rule set and replace its rates. Returns (old, new) for the audit log."""
    row = to_row(rules)
    row.pop("id")
    old = None
    if rules.id is None:
        rule_id = store.conn.execute(
            f"INSERT INTO rule_sets ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})",
            list(row.values()),
        ).lastrowid
    else:
        current = rule_set(store, rules.id)
        old = {**to_row(current), "rates": current.rates}
        rule_id = rules.id
        store.conn.execute(
            f"UPDATE rule_sets SET {', '.join(f'{c} = ?' for c in row)} WHERE id = ?",
            [*row.values(), rule_id],
        )
        store.conn.execute("DELETE FROM rule_rates WHERE rule_set_id = ?", [rule_id])
    for category, cents in sorted(rules.rates.items()):
        store.conn.execute(
            "INSERT INTO rule_rates (rule_set_id, category, rate_cents) VALUES (?, ?, ?)",
            [rule_id, category, cents],
        )
    return old, {"id": rule_id, **row, "rates": dict(rules.rates)}
