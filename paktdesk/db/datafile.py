"""Open, create and check a Datenbestand file as a whole."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ..core.errors import DataFileError, IntegrityError, NotAPaktDeskFileError
from .connection import APPLICATION_ID, Store, connect, refuse_newer
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
    if path.exists():
        preflight(path, allow_empty=create)
    try:
        store = connect(path, read_only=read_only)
    except sqlite3.Error as err:
        raise _damaged(path, err) from err
    try:
        refuse_newer(store, known_migrations=KNOWN_MIGRATIONS, schema_version=SCHEMA_VERSION)
        if quick_check(store) != "ok":
            raise IntegrityError(
                f"„{path.name}“ ist beschädigt (SQLite-Prüfung fehlgeschlagen). "
                "Bitte eine Sicherung zurückspielen."
            )
        if not read_only and migrations.pending(store.db):
            if has_content(store):
                from .backup import backup_before_migration  # backup imports this module's neighbours

                backup_before_migration(store)
            migrations.apply(store.db)
        elif read_only and migrations.pending(store.db):
            raise DataFileError("Die Datei muss erst aktualisiert werden und kann nicht schreibgeschützt geöffnet werden.")
    except sqlite3.Error as err:
        store.close()
        raise _damaged(path, err) from err
    except BaseException:
        store.close()
        raise
    return store


def preflight(path: Path, *, allow_empty: bool = False) -> None:
    """Read the 100-byte SQLite header before SQLite opens the file: a foreign file is refused
    without being touched (opening a WAL file read-write would rewrite its header), and an
    existing file that lost all its bytes is not silently turned into a new, empty Datenbestand."""
    try:
        with path.open("rb") as handle:
            head = handle.read(100)
    except OSError as err:
        raise DataFileError(f"Die Datei „{path}“ kann nicht gelesen werden: {err.strerror}.") from err
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
    if head[18] != 1 or head[19] != 1:  # 2 = WAL; PaktDesk only ever writes rollback-journal files
        raise NotAPaktDeskFileError(f"„{path.name}“ wurde nicht von PaktDesk geschrieben "
                                    "(anderes Journal-Format); die Datei wurde nicht verändert.")


def has_content(store: Store) -> bool:
    """True once any PaktDesk migration has been applied (an existing Datenbestand)."""
    return "_sqlite_migrations" in store.db.table_names()


def _damaged(path: Path, err: sqlite3.Error) -> DataFileError:
    name = getattr(err, "sqlite_errorname", "") or ""
    if name.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT")) or "malformed" in str(err):
        return IntegrityError(f"„{path.name}“ ist beschädigt ({err}). Bitte eine Sicherung zurückspielen; "
                              "die Datei wurde nicht verändert.")
    return DataFileError(f"„{path.name}“ kann nicht geöffnet werden ({err}).")


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
    try:
        results = [row[0] for row in store.conn.execute("PRAGMA integrity_check")]
        if results != ["ok"]:
            problems.append("SQLite-Integritätsprüfung: " + "; ".join(results[:5]))
            return problems
        fk = store.conn.execute("PRAGMA foreign_key_check").fetchall()
    except sqlite3.Error as err:
        problems.append(f"SQLite-Integritätsprüfung: die Datei ist beschädigt ({err}).")
        return problems
    if fk:
        problems.append(f"{len(fk)} Verweise auf fehlende Datensätze.")
    try:
        problems.extend(verify_money(store))
    except (sqlite3.Error, TypeError, ValueError) as err:  # a damaged row that cannot even be read
        problems.append(f"Geldbeträge nicht lesbar: die Datei ist beschädigt ({type(err).__name__}).")
    return problems
