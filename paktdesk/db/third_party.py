"""Third-party money (Drittmittel, table ``third_party_funds`` of migration 0006): the queries its
use cases, the printed proof and the list on screen need. Writes go through :mod:`.repo` /
:mod:`.integrity` (row hashes, control totals); the lock conditions are the triggers' of 0006."""

from __future__ import annotations

from dataclasses import dataclass

from ..core import entities as e
from .connection import Store
from .integrity import book_delete
from .listings import LISTINGS, Column, Listing
from .repo import find
from .report_queries import _between

TABLE = "third_party_funds"


def rows(store: Store, decision_id: int) -> list[e.ThirdPartyFund]:
    """All rows of a decision (plan first, then received by date; reversals included)."""
    return find(store, e.ThirdPartyFund, "decision_id = ?", [decision_id],
                order_by="kind DESC, ifnull(received_on, ''), id")


def is_reversed(store: Store, row_id: int) -> bool:
    return store.conn.execute(f"SELECT count(*) FROM {TABLE} WHERE reversal_of = ?", [row_id]).fetchone()[0] > 0


def is_locked(store: Store, item: e.ThirdPartyFund) -> bool:
    """True when a submitted proof covers the row: a received row dated inside a submitted
    period, a plan row once any proof of its decision is submitted (as the triggers of 0006)."""
    if item.kind == e.ThirdPartyKind.PLANNED:
        sql, params = "SELECT count(*) FROM proof_submissions WHERE decision_id = ?", [item.decision_id]
    else:
        sql = ("SELECT count(*) FROM proof_submissions WHERE decision_id = ? "
               "AND ? BETWEEN first_day AND last_day")
        params = [item.decision_id, item.received_on.isoformat()]
    return store.conn.execute(sql, params).fetchone()[0] > 0


def new_row_locked(store: Store, item: e.ThirdPartyFund) -> bool:
    """True when a new (not reversal) row may no longer be added: a received date inside a
    submitted period, or a plan row after the final proof of use."""
    if item.kind == e.ThirdPartyKind.PLANNED:
        return store.conn.execute("SELECT count(*) FROM proof_submissions WHERE decision_id = ? AND kind = 'VN'",
                                  [item.decision_id]).fetchone()[0] > 0
    return is_locked(store, item)


def delete(store: Store, row_id: int) -> dict:
    """Delete an unlocked row entered by mistake, keeping the control totals in step."""
    return book_delete(store, TABLE, row_id)


def totals(store: Store, decision_id: int, *, except_id: int | None = None) -> tuple[int, int]:
    """(planned, received) of a decision, net of reversals."""
    found = store.conn.execute(
        f"SELECT ifnull(sum(CASE WHEN kind = 'plan' THEN amount_cents END), 0), "
        f"ifnull(sum(CASE WHEN kind = 'eingang' THEN amount_cents END), 0) FROM {TABLE} "
        "WHERE decision_id = ? AND id IS NOT ?", [decision_id, except_id]).fetchone()
    return found[0], found[1]


@dataclass(frozen=True, slots=True)
class ThirdPartySum:
    """Drittmittel of one co-financier for one person (None: the decision as a whole)."""

    giver: str
    person_id: int | None
    planned_cents: int
    received_cents: int


def sums(store: Store, decision_id: int, *, first: str | None = None,
         last: str | None = None) -> list[ThirdPartySum]:
    """Planned (all plan rows) and received (received inside ``first``–``last``, ISO, inclusive;
    None = no limit) per co-financier and person, for the printed proof."""
    condition, params = _between("received_on", first, last)
    inside = "1" + condition
    sql = (f"SELECT giver, person_id, "
           f"ifnull(sum(CASE WHEN kind = 'plan' THEN amount_cents END), 0), "
           f"ifnull(sum(CASE WHEN kind = 'eingang' AND {inside} THEN amount_cents END), 0) "
           f"FROM {TABLE} WHERE decision_id = ? GROUP BY giver, person_id ORDER BY giver, ifnull(person_id, 0)")
    return [ThirdPartySum(*row) for row in store.conn.execute(sql, [*params, decision_id])]


LISTINGS.setdefault(TABLE, Listing(
    name=TABLE,
    source=(f"{TABLE} m JOIN decisions d ON d.id = m.decision_id "
            "LEFT JOIN persons p ON p.id = m.person_id"),
    where="d.deleted_at IS NULL",
    columns=(
        Column("giver", "Mittelgeber", "m.giver"),
        Column("kind", "Art", "CASE m.kind WHEN 'plan' THEN 'Finanzierungsplan' ELSE 'Eingang' END"),
        Column("received_on", "Eingang am", "m.received_on", "date"),
        Column("decision", "Bescheid", "d.file_number"),
        Column("person", "Person", "ifnull(p.last_name || ', ' || p.first_name, '')"),
        Column("amount", "Betrag", "m.amount_cents", "money"),
        Column("purpose", "Zweck / Bemerkung", "CASE WHEN m.reversal_of IS NOT NULL THEN 'Storno: ' || "
               "m.reversal_reason ELSE m.purpose END"),
    ),
    search=("m.giver", "d.file_number", "m.purpose", "p.last_name"),
    default_sort="d.file_number, m.giver, m.kind DESC, ifnull(m.received_on, '')",
))
