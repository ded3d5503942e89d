"""Opening a PaktDesk data file: pragmas that must hold, file identity, transactions."""

from __future__ import annotations

import contextlib
import logging
import secrets
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..core.errors import (
    DataFileError,
    IntegrityError,
    NewerFileError,
    NotAPaktDeskFileError,
)
from ..core.os_errors import reason as os_reason
from .failures import StorageError, opening_failure, storage_errors

log = logging.getLogger("paktdesk.db")

APPLICATION_ID = 0x50414B54  # "PAKT"
MIN_SQLITE = (3, 37, 0)  # STRICT tables
_SQLITE_MAGIC = b"SQLite format 3\x00"


class Store:
    """One open data file; repositories take a Store.

    Everyday reads and writes use the sqlite3 connection directly. The sqlite_utils ``Database``
    (migrations, table tools) is created on first use of :attr:`db`, so opening a file that is up
    to date does not import sqlite_utils and its dependencies (start-up time)."""

    def __init__(self, path: Path, conn: Any, *, read_only: bool = False):
        self.path = path
        # a sqlite_utils Database is accepted too (it carries its connection)
        self._db = conn if hasattr(conn, "conn") else None
        self.conn: sqlite3.Connection = conn.conn if self._db is not None else conn
        self.read_only = read_only
        # Set by open_datafile(check="later"): SQLite's quick check has not run on this
        # connection yet. Reads go ahead (a damaged page gives a German storage error); the first
        # write runs the check itself unless the session's full check confirmed the file before.
        self.check_pending = False

    def confirm_checked(self) -> None:
        """The full check of this file passed (on another connection): writes need no quick check."""
        self.check_pending = False

    def quick_check(self) -> str:
        """SQLite's quick check of the whole file: "ok" or its first finding."""
        return self.conn.execute("PRAGMA quick_check").fetchone()[0]

    def _check_before_first_write(self) -> None:
        with storage_errors():
            verdict = self.quick_check()
        if verdict != "ok":
            raise IntegrityError(f"„{self.path.name}“ ist beschädigt (SQLite-Prüfung fehlgeschlagen); "
                                 "es wurde nichts geändert. Bitte eine Sicherung zurückspielen.")
        self.check_pending = False

    @property
    def db(self):
        """The sqlite_utils Database over the same connection (imported lazily)."""
        if self._db is None:
            import sqlite_utils

            if self.check_pending and not self.read_only:  # sqlite_utils is used to write
                self._check_before_first_write()
            self._db = sqlite_utils.Database(self.conn, execute_plugins=False)
        return self._db

    def query(self, sql: str, params: Any = ()) -> Iterator[dict[str, Any]]:
        """Rows of a parameterised SELECT as dicts."""
        cursor = self.conn.execute(sql, list(params) if not isinstance(params, dict) else params)
        names = [d[0] for d in cursor.description]
        for row in cursor:
            yield dict(zip(names, row, strict=True))

    def table_names(self) -> list[str]:
        return [row[0] for row in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Store]:
        """One user action: ``BEGIN IMMEDIATE`` … ``COMMIT``; rolled back on any error.

        Storage failures (disk full, I/O error, read-only, locked, damaged) come out as a German
        :class:`~paktdesk.db.failures.StorageError`; after an I/O error the connection is opened
        again (:meth:`reopen`) so the program stays usable.

        After an I/O error SQLite may already have rolled back; a second ROLLBACK would fail with
        "no transaction is active" and hide the real error, so it is only sent while one is open.
        """
        if self.read_only:
            raise DataFileError("Die Datei ist schreibgeschützt geöffnet; Änderungen sind nicht möglich.")
        outermost = not self.conn.in_transaction
        if outermost and self.check_pending:
            self._check_before_first_write()
        try:
            with storage_errors():
                if not outermost:  # nested use case: a savepoint
                    name = f"pd_{secrets.token_hex(8)}"
                    self.conn.execute(f"SAVEPOINT {name}")
                    try:
                        yield self
                    except BaseException:
                        if self.conn.in_transaction:  # a failed COMMIT or I/O error may have ended it
                            self.conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                            self.conn.execute(f"RELEASE SAVEPOINT {name}")
                        raise
                    self.conn.execute(f"RELEASE SAVEPOINT {name}")
                    return
                self.conn.execute("BEGIN IMMEDIATE")
                try:
                    yield self
                except BaseException:
                    if self.conn.in_transaction:
                        self.conn.execute("ROLLBACK")
                    raise
                try:
                    self.conn.execute("COMMIT")
                except BaseException:
                    if self.conn.in_transaction:
                        self.conn.execute("ROLLBACK")
                    raise
        except StorageError as err:
            if outermost:
                log.warning("Speicherfehler (%s) bei einer Änderung", err.kind)
                if err.reopen:
                    self.reopen()
            raise

    def reopen(self) -> None:
        """After an I/O error SQLite's connection may be unusable: open the file again (same
        pragmas, same checks of the file's identity as :func:`connect`)."""
        with contextlib.suppress(Exception):
            self.conn.close()
        try:
            fresh = connect(self.path, read_only=self.read_only)
        except (DataFileError, sqlite3.Error) as err:
            log.error("Datei nach Speicherfehler nicht wieder zu öffnen: %s", type(err).__name__)
            return
        self.conn, self._db = fresh.conn, None

    def close(self) -> None:
        self.closed = True
        self.conn.close()

    closed = False


def sqlite_version_ok() -> bool:
    return sqlite3.sqlite_version_info >= MIN_SQLITE


def _looks_like_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            head = handle.read(16)
    except OSError as err:
        raise DataFileError(f"Die Datei „{path}“ kann nicht gelesen werden: {os_reason(err)}.") from err
    return head == _SQLITE_MAGIC or head == b""


def connect(path: Path, *, read_only: bool = False,
            before_write: Callable[[Store], None] | None = None) -> Store:
    """Open (or create) ``path`` with the pragmas PaktDesk relies on, read back to be sure.

    Refuses a file that is not SQLite or belongs to another program. ``before_write`` may refuse
    the file too (e.g. one from a newer PaktDesk). Both happen before the first pragma that
    could write: switching a WAL file to the rollback journal rewrites its header, and a refused
    file must stay byte for byte as it was. Does not migrate.
    """
    if not sqlite_version_ok():
        raise DataFileError(
            f"Die SQLite-Version {sqlite3.sqlite_version} ist zu alt; PaktDesk braucht mindestens "
            + ".".join(map(str, MIN_SQLITE)) + "."
        )
    path = Path(path)
    if path.exists() and not _looks_like_sqlite(path):
        raise NotAPaktDeskFileError(f"„{path.name}“ ist keine PaktDesk-Datei (keine SQLite-Datenbank).")
    conn = None
    try:
        if read_only:
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                                   isolation_level=None, check_same_thread=False)
        else:
            conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA busy_timeout = 3000")
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        tables = [row[0] for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    except BaseException as err:
        # On Windows an open handle blocks renaming and deleting the file (restoring a backup
        # over it, setting it aside): a refused file must leave no connection behind.
        if conn is not None:
            conn.close()
        if not isinstance(err, sqlite3.DatabaseError):
            raise
        failure = opening_failure(err, path.name)  # locked by another program is not "unreadable"
        if failure is not None:
            raise failure from err
        raise NotAPaktDeskFileError(
            f"„{path.name}“ ist keine lesbare PaktDesk-Datei ({err})."
        ) from err
    store = Store(path, conn, read_only=read_only)
    try:
        if app_id == 0 and tables:
            raise NotAPaktDeskFileError(
                f"„{path.name}“ ist eine SQLite-Datenbank eines anderen Programms, keine PaktDesk-Datei."
            )
        if app_id not in (0, APPLICATION_ID):
            raise NotAPaktDeskFileError(
                f"„{path.name}“ gehört zu einem anderen Programm, nicht zu PaktDesk."
            )
        if before_write is not None:
            before_write(store)
        if not read_only:
            conn.execute("PRAGMA journal_mode = DELETE")
            conn.execute("PRAGMA synchronous = FULL")
        _verify_pragmas(conn, read_only=read_only)
    except BaseException:
        conn.close()
        raise
    return store


def _verify_pragmas(conn: sqlite3.Connection, *, read_only: bool) -> None:
    if conn.execute("PRAGMA foreign_keys").fetchone()[0] != 1:
        raise DataFileError("Fremdschlüsselprüfung lässt sich nicht einschalten.")
    if read_only:
        return
    journal = conn.execute("PRAGMA journal_mode").fetchone()[0].lower()
    sync = conn.execute("PRAGMA synchronous").fetchone()[0]
    if journal not in ("delete", "truncate") or sync != 2:
        raise DataFileError(
            f"Die Datei lässt sich nicht sicher öffnen (Journal {journal}, synchronous {sync})."
        )


def refuse_newer(store: Store, *, known_migrations: list[str], schema_version: int) -> None:
    """A file written by a newer PaktDesk is refused, never written."""
    version = store.conn.execute("PRAGMA user_version").fetchone()[0]
    applied = set()
    if "_sqlite_migrations" in store.table_names():
        applied = {row[0] for row in store.conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = 'paktdesk'")}
    unknown = applied - set(known_migrations)
    if version > schema_version or unknown:
        raise NewerFileError(
            f"Diese Datei wurde mit einer neueren PaktDesk-Version geschrieben (Schema {version}, "
            f"dieses Programm kennt {schema_version}). Bitte PaktDesk aktualisieren; die Datei "
            "wurde nicht verändert."
        )
