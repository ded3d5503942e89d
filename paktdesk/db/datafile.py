"""Open, create and check a Datenbestand file as a whole."""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable
from pathlib import Path

from ..core.errors import DataFileError, IntegrityError, NotAPaktDeskFileError
from . import chain_check
from .connection import APPLICATION_ID, Store, connect, refuse_newer
from .integrity import verify_money
from .versions import KNOWN_MIGRATIONS, SCHEMA_VERSION
from ..core.os_errors import reason as os_reason

# what SQLite raises for a damaged file (its error text itself may hold undecodable bytes)
_SQLITE_FAILURES = (sqlite3.Error, UnicodeDecodeError)


def open_datafile(path: Path, *, create: bool = False, read_only: bool = False,
                  check: str = "now") -> Store:
    """Open ``path``, refuse foreign and newer files, migrate it to this version's schema.

    ``create=False`` refuses a missing file instead of making an empty one.

    ``check="now"`` runs SQLite's quick check before the file is used (it reads the whole file:
    about half a second for 200 MB). ``check="later"`` leaves it to the full check that the
    program runs in the background right after the window shows; until that one confirms the
    file (:meth:`Store.confirm_checked`) the first write runs the quick check itself. A file that
    needs a migration is always checked now (the migration writes).
    """
    if check not in ("now", "later"):
        raise ValueError(check)
    path = Path(path)
    if not path.exists() and not create:
        raise DataFileError(f"Die Datei „{path}“ gibt es nicht.")
    if create and not path.parent.exists():
        raise DataFileError(f"Den Ordner „{path.parent}“ gibt es nicht.")
    if path.exists():
        preflight(path, allow_empty=create)

    def before_write(opened: Store) -> None:  # runs before the first pragma that could write
        if not create and not has_content(opened):
            raise NotAPaktDeskFileError(f"„{path.name}“ ist keine PaktDesk-Datei (eine leere Datenbank "
                                        "eines anderen Programms); sie wurde nicht verändert.")
        refuse_newer(opened, known_migrations=KNOWN_MIGRATIONS, schema_version=SCHEMA_VERSION)
        if not read_only and opened.conn.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal":
            raise IntegrityError(f"„{path.name}“ wurde außerhalb von PaktDesk verändert (anderes "
                                 "Journal-Format). Bitte eine Sicherung zurückspielen; die Datei wurde "
                                 "nicht verändert.")

    try:
        store = connect(path, read_only=read_only, before_write=before_write)
    except _SQLITE_FAILURES as err:
        raise _damaged(path, err) from err
    try:
        pending = migrations_pending(store)
        if check == "later" and not pending and not create:
            store.check_pending = True
        elif quick_check(store) != "ok":
            raise IntegrityError(
                f"„{path.name}“ ist beschädigt (SQLite-Prüfung fehlgeschlagen). "
                "Bitte eine Sicherung zurückspielen."
            )
        if not read_only and pending:
            if has_content(store):
                from .backup import (
                    backup_before_migration,  # backup imports this module's neighbours
                )

                backup_before_migration(store)
            from .migrations import migrations

            migrations.apply(store.db)
        elif read_only and pending:
            raise DataFileError("Die Datei muss erst aktualisiert werden und kann nicht schreibgeschützt geöffnet werden.")
    except _SQLITE_FAILURES as err:
        store.close()
        raise _damaged(path, err) from err
    except BaseException:
        store.close()
        raise
    return store


def preflight(path: Path, *, allow_empty: bool = False) -> None:
    """Read the 100-byte SQLite header before SQLite opens the file: a foreign or truncated file
    is refused without being touched, and an existing file that lost all its bytes is not
    silently turned into a new, empty Datenbestand."""
    try:
        with path.open("rb") as handle:
            head = handle.read(100)
    except OSError as err:
        raise DataFileError(f"Die Datei „{path}“ kann nicht gelesen werden: {os_reason(err)}.") from err
    if not head:
        if allow_empty:
            return  # a new, empty file
        raise IntegrityError(f"„{path.name}“ ist leer (0 Bytes); der Datenbestand ist verloren gegangen. "
                             "Bitte eine Sicherung zurückspielen.")
    if len(head) < 100 or not head.startswith(b"SQLite format 3\x00"):
        raise NotAPaktDeskFileError(f"„{path.name}“ ist keine PaktDesk-Datei (keine SQLite-Datenbank "
                                    "oder abgeschnitten).")
    app_id = int.from_bytes(head[68:72], "big")
    if app_id not in (0, APPLICATION_ID):
        raise NotAPaktDeskFileError(f"„{path.name}“ gehört zu einem anderen Programm, nicht zu PaktDesk.")


def has_content(store: Store) -> bool:
    """True once any PaktDesk migration has been applied (an existing Datenbestand)."""
    return "_sqlite_migrations" in store.table_names()


def migrations_pending(store: Store) -> bool:
    """Whether any of this version's migrations has not been applied yet (read with plain SQL,
    so an up-to-date file opens without importing the migrations and sqlite_utils)."""
    if not has_content(store):
        return True
    applied = {row[0] for row in store.conn.execute(
        "SELECT name FROM _sqlite_migrations WHERE migration_set = 'paktdesk'")}
    return not set(KNOWN_MIGRATIONS) <= applied


def _damaged(path: Path, err: Exception) -> DataFileError:
    name = getattr(err, "sqlite_errorname", "") or ""
    if isinstance(err, UnicodeDecodeError):  # SQLite's own message quoted broken bytes
        return IntegrityError(f"„{path.name}“ ist beschädigt (unlesbarer Aufbau). Bitte eine Sicherung "
                              "zurückspielen; die Datei wurde nicht verändert.")
    if name.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT")) or "malformed" in str(err):
        return IntegrityError(f"„{path.name}“ ist beschädigt ({err}). Bitte eine Sicherung zurückspielen; "
                              "die Datei wurde nicht verändert.")
    return DataFileError(f"„{path.name}“ kann nicht geöffnet werden ({err}).")


def schema_version(store: Store) -> int:
    return store.conn.execute("PRAGMA user_version").fetchone()[0]


def quick_check(store: Store) -> str:
    return store.quick_check()


def full_check(store: Store) -> list[str]:
    """Schema, SQLite integrity, foreign keys, money hashes and control totals.
    Returns German problem descriptions; empty means all good."""
    problems, money_readable = structure_check(store)
    if money_readable:
        problems.extend(money_check(store, verify_money))
        problems.extend(money_check(store, chain_check.verify))
    return problems


def structure_check(store: Store) -> tuple[list[str], bool]:
    """:func:`full_check` up to the money check: its problems so far, and whether the money
    check can run (the file is readable and its schema intact)."""
    problems = []
    version = schema_version(store)
    if version != SCHEMA_VERSION:
        problems.append(f"Schema-Version {version}, erwartet {SCHEMA_VERSION}.")
    try:
        results = [row[0] for row in store.conn.execute("PRAGMA integrity_check")]
        if results != ["ok"]:
            problems.append("SQLite-Integritätsprüfung: " + "; ".join(results[:5]))
            return problems, False
        fk = store.conn.execute("PRAGMA foreign_key_check").fetchall()
    except _SQLITE_FAILURES as err:
        problems.append(f"SQLite-Integritätsprüfung: die Datei ist beschädigt ({type(err).__name__}).")
        return problems, False
    if fk:
        problems.append(f"{len(fk)} Verweise auf fehlende Datensätze.")
    schema = schema_problems(store)
    if schema:  # the money check reads columns by name: with a damaged schema it cannot run
        return problems + schema, False
    return problems, True


# what reading a row of a damaged file can raise
READ_FAILURES = (*_SQLITE_FAILURES, TypeError, ValueError, KeyError)


def money_check(store: Store, verify: Callable[[Store], list[str]]) -> list[str]:
    """The money part of :func:`full_check`: ``verify`` (:func:`verify_money`) with a row that
    cannot be read reported as damage."""
    try:
        return verify(store)
    except READ_FAILURES as err:  # a row that cannot be read
        return [f"Geldbeträge nicht lesbar: die Datei ist beschädigt ({type(err).__name__})."]


def _normalised_schema(conn: sqlite3.Connection) -> dict[str, str]:
    rows = conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' "
        "AND tbl_name != '_sqlite_migrations' AND sql IS NOT NULL")
    return {f"{kind} {name}": " ".join(sql.split()) for kind, name, sql in rows}


@functools.cache
def expected_schema(version: int) -> dict[str, str]:
    """The schema a file of ``version`` must have: the migrations up to it, run in memory.
    (Migrations are the only way PaktDesk changes a schema, so this is exact.)"""
    import sqlite_utils

    from .migrations import migrations

    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        db = sqlite_utils.Database(conn, execute_plugins=False)
        stop = KNOWN_MIGRATIONS[version] if 0 <= version < len(KNOWN_MIGRATIONS) else None
        migrations.apply(db, stop_before=stop)
        return _normalised_schema(conn)
    finally:
        conn.close()


def schema_problems(store: Store) -> list[str]:
    """Tables, indexes and triggers exactly as PaktDesk's migrations made them. SQLite's own
    check does not notice a changed letter in the stored schema text (a bit flip, or a trigger
    dropped by another program), but a changed column name or a missing guard matters."""
    version = schema_version(store)
    if not 1 <= version <= SCHEMA_VERSION:
        return []  # reported above (newer files are refused on open)
    try:
        actual = _normalised_schema(store.conn)
    except _SQLITE_FAILURES as err:
        return [f"Der Aufbau der Datei ist nicht lesbar ({type(err).__name__})."]
    expected = expected_schema(version)
    differing = sorted(name for name in expected.keys() | actual.keys() if expected.get(name) != actual.get(name))
    if not differing:
        return []
    labels = {"table": "Tabelle", "index": "Index", "trigger": "Schutzregel", "view": "Sicht"}
    shown = ", ".join(f"{labels.get(n.split()[0], n.split()[0])} {n.split()[1]}" for n in differing[:5])
    return [f"Der Aufbau der Datei (Schema) wurde verändert oder ist beschädigt: {shown}"
            + (" …" if len(differing) > 5 else "") + "."]
