"""SQLite's low-level failures (disk full, I/O error, read-only, locked, damaged) as German
:class:`StorageError` messages the clerk can act on, instead of a traceback.

SQLite has already rolled the transaction back when it reports most of these; the data is as
before the action. After an I/O error the connection may be unusable; :attr:`StorageError.reopen`
tells the caller to open the file again."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator

from ..core.errors import DataFileError

_AS_BEFORE = "Die Änderung wurde nicht gespeichert; die Daten sind wie vorher."

_MESSAGES = {
    "SQLITE_FULL": ("full", "Auf dem Datenträger ist nicht genug Platz. Bitte Platz schaffen (z. B. alte "
                            "Dateien löschen) und dann erneut versuchen."),
    "SQLITE_IOERR": ("io", "Beim Schreiben auf den Datenträger ist ein Fehler aufgetreten (E/A-Fehler). "
                           "Bitte den Datenträger prüfen; der Datenbestand wird neu geöffnet."),
    "SQLITE_READONLY": ("readonly", "Die Datei ist schreibgeschützt oder liegt in einem Ordner ohne "
                                    "Schreibrecht."),
    "SQLITE_BUSY": ("locked", "Die Datei wird gerade von einem anderen Programm benutzt (z. B. einer "
                              "Datensicherung oder einem Virenscanner). Bitte gleich noch einmal versuchen."),
    "SQLITE_LOCKED": ("locked", "Die Datei ist gerade gesperrt. Bitte gleich noch einmal versuchen."),
    "SQLITE_CORRUPT": ("corrupt", "Die Datei ist beschädigt. Bitte „Prüfen“ ausführen und die neueste "
                                  "gute Sicherung zurückspielen."),
    "SQLITE_NOTADB": ("corrupt", "Die Datei ist beschädigt oder keine PaktDesk-Datei."),
    "SQLITE_CANTOPEN": ("io", "Die Datei kann nicht mehr geöffnet werden (Laufwerk getrennt?)."),
    "SQLITE_PERM": ("readonly", "Für die Datei fehlt die Schreibberechtigung."),
}


class StorageError(DataFileError):
    """The storage failed; ``kind`` is one of full, io, readonly, locked, corrupt."""

    def __init__(self, message: str, *, kind: str):
        super().__init__(message)
        self.kind = kind

    @property
    def reopen(self) -> bool:
        return self.kind in ("io", "corrupt")


def translate(err: BaseException) -> StorageError | None:
    """The German error for a storage failure, or None if ``err`` is something else (a bug or
    a constraint violation must stay visible as what it is)."""
    if not isinstance(err, sqlite3.Error) or isinstance(err, sqlite3.IntegrityError | sqlite3.ProgrammingError):
        return None
    name = getattr(err, "sqlite_errorname", "") or ""
    base = next((key for key in _MESSAGES if name == key or name.startswith(key + "_")), None)
    if base is None:
        text = str(err).lower()
        base = ("SQLITE_FULL" if "full" in text else "SQLITE_READONLY" if "readonly" in text
                else "SQLITE_BUSY" if "locked" in text else "SQLITE_IOERR" if "i/o" in text
                else "SQLITE_CORRUPT" if "malformed" in text else None)
    if base is None:
        return None
    kind, message = _MESSAGES[base]
    suffix = "" if kind == "corrupt" else f" {_AS_BEFORE}"
    return StorageError(message + suffix, kind=kind)


_OPENING = {
    "locked": "Ein anderes Programm hält die Datei gerade gesperrt (z. B. ein zweites PaktDesk, ein "
              "Datenbank-Werkzeug, eine Datensicherung oder ein Virenscanner). Bitte das andere Programm "
              "schließen und dann erneut versuchen.",
    "readonly": "Die Datei ist schreibgeschützt oder liegt in einem Ordner ohne Schreibrecht.",
    "io": "Die Datei kann nicht gelesen werden (Laufwerk getrennt oder Datenträger fehlerhaft?).",
}


def opening_failure(err: BaseException, name: str) -> StorageError | None:
    """Opening ``name`` failed for a reason other than its content (locked, read-only, I/O):
    the German error saying so, or None when the file itself is the problem."""
    failure = translate(err)
    if failure is None or failure.kind not in _OPENING:
        return None
    return StorageError(f"„{name}“ kann gerade nicht geöffnet werden. {_OPENING[failure.kind]}", kind=failure.kind)


@contextlib.contextmanager
def storage_errors() -> Iterator[None]:
    """Re-raise storage failures as :class:`StorageError`; everything else unchanged."""
    try:
        yield
    except sqlite3.Error as err:
        translated = translate(err)
        if translated is None:
            raise
        raise translated from err
