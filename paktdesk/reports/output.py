"""Writing a finished PDF: into a temporary file beside the target, then replacing the target.

An existing file is replaced only when the new one is complete, so a crash or a full disk
leaves the old version (or nothing), never half a PDF."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, TypeVar

from ..core.errors import PaktDeskError
from ..core.os_errors import reason as os_reason

T = TypeVar("T")
_REPLACE_TRIES = 10  # Windows: a viewer or virus scanner may hold the old file for a moment


def write_atomically(path: Path, render: Callable[[BinaryIO], T]) -> T:
    """Call ``render`` with an open temporary file, then move it to ``path``."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise PaktDeskError(f"Der Ordner „{folder}“ existiert nicht. Bitte einen vorhandenen Ordner wählen.")
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".part", dir=folder)
    except OSError as err:
        raise PaktDeskError(f"In den Ordner „{folder}“ kann nicht geschrieben werden ({os_reason(err)}).") from err
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as stream:
            result = render(stream)
            stream.flush()
            os.fsync(stream.fileno())
        _replace(temp, path)
    except OSError as err:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise PaktDeskError(_message(path, err)) from err
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    return result


def _message(path: Path, err: OSError) -> str:
    text = f"Die Datei „{path.name}“ konnte nicht geschrieben werden"
    if err.errno == errno.ENOSPC:
        return f"{text}: Der Datenträger ist voll."
    if err.errno in (errno.EACCES, errno.EPERM) or isinstance(err, PermissionError):
        return f"{text}: Zugriff verweigert. Ist sie in einem anderen Programm (z. B. einem PDF-Betrachter) geöffnet?"
    return f"{text} ({os_reason(err)})."


def _replace(temp: Path, path: Path) -> None:
    for attempt in range(_REPLACE_TRIES):
        try:
            os.replace(temp, path)
            return
        except PermissionError:
            if attempt == _REPLACE_TRIES - 1:
                raise
            time.sleep(0.1 * (attempt + 1))
