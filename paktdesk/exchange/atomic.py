"""Writing a file so that after a crash it is either the complete old or the complete new
version: a temp file beside the target, flushed to disk, then renamed over it."""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from .errors import ExportRefusedError
from ..core.os_errors import reason as os_reason

_RETRIES = 10  # a virus scanner or Excel may hold the target for a moment (Windows)
_RETRY_PAUSE = 0.1


def _replace(source: str, target: Path) -> None:
    for attempt in range(_RETRIES):
        try:
            os.replace(source, target)
            return
        except PermissionError:
            if attempt == _RETRIES - 1:
                raise
            time.sleep(_RETRY_PAUSE)


def _sync_folder(folder: Path) -> None:
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_atomically(target: Path, write: Callable[[BinaryIO], None]) -> None:
    """Call ``write`` with a binary handle of a temp file, then put it in place of ``target``."""
    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise ExportRefusedError(f"Den Ordner „{folder}“ gibt es nicht; die Datei wurde nicht geschrieben.")
    if target.is_dir():
        raise ExportRefusedError(f"„{target}“ ist ein Ordner; bitte einen Dateinamen angeben.")
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as err:
        raise ExportRefusedError(
            f"Im Ordner „{folder}“ kann nicht geschrieben werden ({os_reason(err)}).") from err
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        _replace(temp, target)
        _sync_folder(folder)
    except OSError as err:
        raise ExportRefusedError(
            f"Die Datei „{target.name}“ konnte nicht geschrieben werden ({os_reason(err)}). "
            "Eine bereits vorhandene Datei dieses Namens ist unverändert.") from err
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temp)
