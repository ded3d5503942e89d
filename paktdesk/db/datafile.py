"""Open, create and check a Datenbestand file as a whole."""

from __future__ import annotations

from pathlib import Path

from ..core.errors import DataFileError, IntegrityError
from .connection import Store, connect, refuse_newer
from .integrity import verify_money
from .migrations import KNOWN_MIGRATIONS, SCHEMA_VERSION, migrations


def open_datafile(path: Path, *, create: bool = False, read_only: bool = False) -> Store:
    """Open ``path``, refuse foreign and newer files, migrate it to this version's schema.

    ``create=False`` refuses a missing file instead of making an empty one.
    """
    path = Path(path)
    if not path.exists() and not create:
        raise DataFileError(f"Die Datei „{path}“ gibt es nicht.")
    if create and not path.parent.exists():
        raise DataFileError(f"Den Ordner „{path.parent}“ gibt es nicht.")
    store = connect(path, read_only=read_only, before_write=lambda opened: refuse_newer(
        opened, known_migrations=KNOWN_MIGRATIONS, schema_version=SCHEMA_VERSION))
    try:
        if quick_check(store) != "ok":
            raise IntegrityError(
                f"„{path.name}“ ist beschädigt (SQLite-Prüfung fehlgeschlagen). "
                "Bitte eine Sicherung zurückspielen."
            )
        if not read_only and migrations.pending(store.db):
            migrations.apply(store.db)
        elif read_only and migrations.pending(store.db):
            raise DataFileError("Die Datei muss erst aktualisiert werden und kann nicht schreibgeschützt geöffnet werden.")
    except BaseException:
        store.close()
        raise
    return store


def schema_version(store: Store) -> int:
    return store.conn.execute("PRAGMA user_version").fetchone()[0]


def quick_check(store: Store) -> str:
    return store.conn.execute("PRAGMA quick_check").fetchone()[0]


def full_check(store: Store) -> list[str]:
    """Schema, SQLite integrity, foreign keys, money hashes and control totals.
    Returns German problem descriptions; empty means all good."""
    problems = []
    version = schema_version(store)
    if version != SCHEMA_VERSION:
        problems.append(f"Schema-Version {version}, erwartet {SCHEMA_VERSION}.")
    results = [row[0] for row in store.conn.execute("PRAGMA integrity_check")]
    if results != ["ok"]:
        problems.append("SQLite-Integritätsprüfung: " + "; ".join(results[:5]))
    fk = store.conn.execute("PRAGMA foreign_key_check").fetchall()
    if fk:
        problems.append(f"{len(fk)} Verweise auf fehlende Datensätze.")
    problems.extend(verify_money(store))
    return problems
