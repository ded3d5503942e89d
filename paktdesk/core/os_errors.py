"""The one place that turns an operating-system error into German words for the clerk.

Python's ``strerror`` is English ("Permission denied", "Is a directory") and ends up inside German
messages when passed on; every message that names why a file could not be read or written takes
its reason from ``reason`` instead."""

from __future__ import annotations

import errno
import os

_DENIED = "Zugriff verweigert (fehlende Berechtigung oder die Datei ist in einem anderen Programm geöffnet)"
_ERRNO_TEXT = (  # by name: Windows' errno module lacks a few of them
    ("EACCES", _DENIED),
    ("EPERM", _DENIED),
    ("EISDIR", "an dieser Stelle ist ein Ordner, keine Datei"),
    ("ENOTDIR", "ein Teil des Pfades ist kein Ordner"),
    ("ENOENT", "die Datei oder der Ordner existiert nicht"),
    ("ENOSPC", "auf dem Datenträger ist nicht genug Platz"),
    ("EDQUOT", "das Speicherkontingent auf dem Datenträger ist erschöpft"),
    ("EFBIG", "die Datei ist für diesen Datenträger zu groß"),
    ("EROFS", "der Datenträger ist schreibgeschützt"),
    ("EEXIST", "eine Datei dieses Namens gibt es schon"),
    ("ENAMETOOLONG", "der Dateiname ist zu lang"),
    ("EBUSY", "die Datei wird gerade von einem anderen Programm benutzt"),
    ("ETXTBSY", "die Datei wird gerade von einem anderen Programm benutzt"),
    ("EIO", "Ein-/Ausgabefehler des Datenträgers (Datenträger entfernt oder beschädigt?)"),
    ("EMFILE", "zu viele offene Dateien"),
    ("ENFILE", "zu viele offene Dateien"),
    ("EXDEV", "Quelle und Ziel liegen auf verschiedenen Datenträgern"),
    ("ENOTEMPTY", "der Ordner ist nicht leer"),
    ("EINVAL", "ungültiger Dateiname oder ungültige Angabe"),
    ("ELOOP", "zu viele symbolische Verknüpfungen im Pfad"),
    ("ETIMEDOUT", "Zeitüberschreitung (Netzlaufwerk nicht erreichbar?)"),
    ("EHOSTUNREACH", "der Rechner ist nicht erreichbar (Netzlaufwerk?)"),
    ("ENETUNREACH", "das Netzwerk ist nicht erreichbar (Netzlaufwerk?)"),
)
_BY_ERRNO = {getattr(errno, name): text for name, text in _ERRNO_TEXT if hasattr(errno, name)}
_BY_WINERROR = {  # Windows fills winerror; errno may then be a generic EINVAL
    5: _BY_ERRNO[errno.EACCES],
    32: "die Datei wird gerade von einem anderen Programm benutzt",
    33: "ein Teil der Datei ist von einem anderen Programm gesperrt",
    39: _BY_ERRNO[errno.ENOSPC],
    112: _BY_ERRNO[errno.ENOSPC],
    53: "der Netzwerkpfad wurde nicht gefunden",
    67: "der Netzwerkname wurde nicht gefunden",
    123: "ungültiger Dateiname",
}
_BY_TYPE = (  # when errno is missing (an OSError raised by our own code or a library)
    (PermissionError, errno.EACCES), (IsADirectoryError, errno.EISDIR), (FileNotFoundError, errno.ENOENT),
    (NotADirectoryError, errno.ENOTDIR), (FileExistsError, errno.EEXIST),
)


def reason(err: OSError) -> str:
    """Why ``err`` happened, in German, without the path (the caller names the file)."""
    if is_folder(err):
        return _BY_ERRNO[errno.EISDIR]
    text = _BY_WINERROR.get(getattr(err, "winerror", None) or 0)
    if text:
        return text
    code = err.errno
    if code is None:
        code = next((number for kind, number in _BY_TYPE if isinstance(err, kind)), None)
    if code in _BY_ERRNO:
        return _BY_ERRNO[code]
    if code is not None:
        return f"Fehler des Betriebssystems Nr. {code}"
    return "Fehler des Betriebssystems"


def is_folder(err: OSError) -> bool:
    """A folder was given where a file is expected. Windows says PermissionError (access
    denied) when a folder is opened as a file, Linux IsADirectoryError."""
    if isinstance(err, IsADirectoryError):
        return True
    return isinstance(err, PermissionError) and err.filename is not None and os.path.isdir(err.filename)


def is_disk_full(err: OSError) -> bool:
    full = (errno.ENOSPC, getattr(errno, "EDQUOT", -1), errno.EFBIG)
    return err.errno in full or getattr(err, "winerror", None) in (39, 112)


def is_access_denied(err: OSError) -> bool:
    return isinstance(err, PermissionError) or err.errno in (errno.EACCES, errno.EPERM)


def describe(err: OSError) -> str:
    """A full sentence for an OSError nobody caught more specifically: the file and the reason."""
    name = err.filename if err.filename is not None else None
    if name is not None:
        return f"Die Datei „{name}“ kann nicht verwendet werden: {reason(err)}."
    return f"Ein Datei- oder Ordnerzugriff ist fehlgeschlagen: {reason(err)}."
