"""How a command opens the Datenbestand: the same rules as the window.

A command that writes takes the lock file and passes the location check (network drive, sync
folder) through :meth:`Workspace.open_guarded`; while a window holds the file it refuses instead
of writing. A command that only reads may read a file the window holds and says so."""

from __future__ import annotations

import sys
from pathlib import Path


def open_for_writing(args, *, path: Path | None = None):
    """The workspace with our lock, or a German refusal (another live PaktDesk holds the file)."""
    return _guarded(args, Path(path or args.data))


def _guarded(args, path: Path, **options):
    from ..lockfile import FileInUseError
    from ..workspace import Workspace

    try:
        return Workspace.open_guarded(path, **options)
    except FileInUseError as err:
        if err.stale and getattr(args, "take_over_lock", False):
            return Workspace.open_guarded(path, take_over=err.holder, **options)
        hint = (" Auf der Befehlszeile: --sperre-uebernehmen angeben." if err.stale else
                " Dieser Befehl ändert den Datenbestand und wurde deshalb nicht ausgeführt; bitte das "
                "Programm dort beenden und den Befehl dann wiederholen.")
        raise FileInUseError(f"{err}{hint}", holder=err.holder, stale=err.stale, reason=err.reason) from None


def open_for_reading(args, *, path: Path | None = None):
    """The workspace read-only; a note on stderr when a window has the file open (what is read
    is its last saved state)."""
    from ..workspace import Workspace

    path = Path(path or args.data)
    ws = Workspace.open(path, read_only=True)
    note_open_elsewhere(path)
    return ws


def open_checked(args, *, path: Path | None = None):
    """For a command that reads and records only a note of itself (check, export): with our lock
    when the file is free, read-only (and said so) while a window holds it."""
    ws = _guarded(args, Path(path or args.data), if_locked="read_only")
    if ws.lock_holder is not None:
        print(f"Hinweis: Der Datenbestand ist gerade geöffnet ({ws.lock_holder.describe()}); er wird nur "
              "gelesen, es wird nichts vermerkt.", file=sys.stderr)
    return ws


def note_open_elsewhere(path: Path) -> None:
    from ..core.errors import DataFileError
    from ..lockfile import read_lock, staleness, this_host

    try:
        holder = read_lock(path)
    except DataFileError:
        return
    if holder is None:
        return
    from datetime import UTC, datetime

    if staleness(holder, host=this_host(), now=datetime.now(UTC)) is None:
        print(f"Hinweis: Der Datenbestand ist gerade geöffnet ({holder.describe()}); gelesen wird der "
              "zuletzt gespeicherte Stand.", file=sys.stderr)
