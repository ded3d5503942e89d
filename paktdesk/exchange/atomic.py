"""Writing an export file so that after a crash it is either the complete old or the complete new
version (see :mod:`paktdesk.atomic`), with the exchange area's German refusals."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from .. import atomic
from ..core.os_errors import reason as os_reason
from .errors import ExportRefusedError


def write_atomically(target: Path, write: Callable[[BinaryIO], None]) -> None:
    """Call ``write`` with a binary handle of a temp file, then put it in place of ``target``."""
    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise ExportRefusedError(f"Den Ordner „{folder}“ gibt es nicht; die Datei wurde nicht geschrieben.")
    if target.is_dir():
        raise ExportRefusedError(f"„{target}“ ist ein Ordner; bitte einen Dateinamen angeben.")
    try:
        atomic.write_atomically(target, write)
    except OSError as err:
        raise ExportRefusedError(
            f"Die Datei „{target.name}“ konnte nicht geschrieben werden ({os_reason(err)}). "
            "Eine bereits vorhandene Datei dieses Namens ist unverändert.") from err
