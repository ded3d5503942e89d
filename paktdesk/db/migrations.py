"""Schema changes, append-only. Never edit a migration that has shipped: add a new one.

Each migration runs in one transaction together with its bookkeeping row (sqlite_utils), and sets
``PRAGMA user_version`` to its number so an older PaktDesk can tell the file is newer.
"""

from __future__ import annotations

import sqlite3
from importlib import resources

from sqlite_utils import Migrations

from .connection import APPLICATION_ID
from .seed import seed_defaults
from .versions import MIGRATION_NAMES

migrations = Migrations("paktdesk")

MONEY_TABLES = (
    "decision_versions", "positions", "cost_plan_items", "payments", "receipts",
    "pass_throughs", "pass_through_payments", "provider_proofs",
)


def _statements(script: str) -> list[str]:
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        if not buffer and (not line.strip() or line.lstrip().startswith("--")):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        raise ValueError("unvollständige SQL-Anweisung im Schema")
    return statements


def _run_script(db, name: str) -> None:
    script = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    for statement in _statements(script):
        db.execute(statement)


def _set_version(db, version: int) -> None:
    db.execute(f"PRAGMA user_version = {int(version)}")


@migrations(name="0001_schema")
def m0001_schema(db) -> None:
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    _run_script(db, "schema_v1.sql")
    for table in MONEY_TABLES:
        db.execute(
            "INSERT INTO control_totals (table_name, row_count, sum_cents, hash_sum) VALUES (?, 0, 0, 0)",
            [table],
        )
    _set_version(db, 1)


@migrations(name="0002_defaults")
def m0002_defaults(db) -> None:
    seed_defaults(db)
    _set_version(db, 2)


@migrations(name="0003_consolidation")
def m0003_consolidation(db) -> None:
    """A Kreis's store of its Gemeinden's exchange files (issue 6)."""
    _run_script(db, "schema_0003_consolidation.sql")
    _set_version(db, 3)


@migrations(name="0004_money_locks")
def m0004_money_locks(db) -> None:
    """Lock booked money covered by a submitted proof of use (triggers), indexes for the money
    views and the duplicate check."""
    _run_script(db, "schema_0004_money_locks.sql")
    _set_version(db, 4)


@migrations(name="0005_receipt_search")
def m0005_receipt_search(db) -> None:
    """A covering index for the receipts list's search (one filter keystroke)."""
    _run_script(db, "schema_0005_receipt_search.sql")
    _set_version(db, 5)


@migrations(name="0006_third_party")
def m0006_third_party(db) -> None:
    """Third-party money (Drittmittel) per decision: plan and received rows, hashed and locked
    like the other money tables."""
    _run_script(db, "schema_0006_third_party.sql")
    _set_version(db, 6)


@migrations(name="0007_forms_profile")
def m0007_forms_profile(db) -> None:
    """The forms beyond the money: signer, audit office, retention rule, grantors' addresses,
    the clerk's explanation of deviations per decision (issue 13)."""
    _run_script(db, "schema_0007_forms_profile.sql")
    _set_version(db, 7)


@migrations(name="0008_receipt_references")
def m0008_receipt_references(db) -> None:
    """The finance system's references of a receipt (Belegnr., Haushaltsstelle, Sachkonto,
    Kostenstelle, Kassenzeichen) beside the receipts table, which stays untouched (issue 15)."""
    _run_script(db, "schema_0008_receipt_references.sql")
    _set_version(db, 8)


@migrations(name="0009_chain")
def m0009_chain(db) -> None:
    """The hash chain over the audit log and the booked money rows, started from what the file
    holds now, and the list of anchors handed out (issue 17)."""
    from . import chain
    from .connection import Store
    from .integrity import AMOUNT_COLUMN

    _run_script(db, "schema_0009_chain.sql")
    store = Store(None, db)
    tables = [t for t in AMOUNT_COLUMN if db[t].exists()]
    chain.backfill(store, tables)
    _set_version(db, MIGRATION_NAMES.index("0009_chain") + 1)


KNOWN_MIGRATIONS = [m.name for m in migrations._migrations]
SCHEMA_VERSION = len(KNOWN_MIGRATIONS)
if tuple(KNOWN_MIGRATIONS) != MIGRATION_NAMES:
    raise RuntimeError("paktdesk/db/versions.py lists other migrations than migrations.py registers")
