"""The names of PaktDesk's schema migrations, in order, without importing them.

Opening a file that is already up to date only needs these names (start-up time: the migrations
module imports sqlite_utils). Append the name of every new migration here as well;
``migrations.py`` refuses to load when the two lists differ."""

from __future__ import annotations

MIGRATION_NAMES: tuple[str, ...] = (
    "0001_schema",
    "0002_defaults",
    "0003_consolidation",
    "0004_money_locks",
    "0005_receipt_search",
    "0006_third_party",
    "0007_forms_profile",
    "0008_receipt_references",
    "0009_chain",
)
KNOWN_MIGRATIONS: list[str] = list(MIGRATION_NAMES)
SCHEMA_VERSION = len(MIGRATION_NAMES)
