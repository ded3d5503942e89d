"""Writing a finished PDF through :mod:`paktdesk.atomic`: an existing file is replaced only when
the new one is complete, so a crash or a full disk leaves the old version (or nothing), never half
a PDF."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, TypeVar

from .. import atomic
from ..core.errors import PaktDeskError
from ..core.os_errors import is_access_denied, is_disk_full
from ..core.os_errors import reason as os_reason

T = TypeVar("T")


def write_atomically(path: Path, render: Callable[[BinaryIO], T]) -> T:
    """Call ``render`` with an open temporary file, then move it to ``path``."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise PaktDeskError(f"Der Ordner „{folder}“ existiert nicht. Bitte einen vorhandenen Ordner wählen.")
    try:
        return atomic.write_atomically(path, render)
    except OSError as err:
        raise PaktDeskError(_message(path, err)) from err


def _message(path: Path, err: OSError) -> str:
    text = f"Die Datei „{path.name}“ konnte nicht geschrieben werden"
    if is_disk_full(err):
        return f"{text}: Der Datenträger ist voll."
    if is_access_denied(err):
        return f"{text}: Zugriff verweigert. Ist sie in einem anderen Programm (z. B. einem PDF-Betrachter) geöffnet?"
    return f"{text} ({os_reason(err)})."
