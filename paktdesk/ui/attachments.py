"""Attachments in the GUI: choose a scan to store, open a stored one with the system viewer."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QWidget

from ..core.errors import PaktDeskError
from . import file_folders, messages
from .context import UiContext
from .. import atomic
from ..core.os_errors import reason as os_reason
from .file_folders import remember_folder, start_folder
from .settings_store import ui_settings

SCAN_FILTER = "Scans und Dokumente (*.pdf *.png *.jpg *.jpeg *.tif *.tiff);;Alle Dateien (*)"
_UNSAFE = re.compile(r"[^\w.\- ]", re.UNICODE)


def choose_scan(parent: QWidget | None, title: str = "Scan auswählen") -> Path | None:
    settings = ui_settings()
    name, _ = QFileDialog.getOpenFileName(parent, title, str(start_folder(settings, file_folders.SCAN)),
                                          SCAN_FILTER)
    if not name:
        return None
    remember_folder(settings, file_folders.SCAN, Path(name))
    return Path(name)


def viewer_path(attachment_id: int, filename: str) -> Path:
    """Where an attachment is written for the system viewer (a PaktDesk folder in temp).

    The stored name came from another computer: on Windows "CON.pdf" or "NUL" are devices,
    ".." is a folder, ":" opens a stream and a trailing dot or space vanishes. The id in front
    makes every name an ordinary file name, the rest keeps letters, digits and ``.-_ ``."""
    folder = Path(tempfile.gettempdir()) / "PaktDesk-Anhaenge"
    folder.mkdir(parents=True, exist_ok=True)
    safe = _UNSAFE.sub("_", Path(filename.replace("\\", "/")).name).strip(" .") or "Anhang"
    return folder / f"{attachment_id}-{safe[:120]}"


def open_attachment(ctx: UiContext, attachment_id: int, parent: QWidget | None = None) -> Path | None:
    """Write the stored file out and open it with the program the system uses for it."""
    try:
        info = ctx.workspace.attachment(attachment_id)
        content = ctx.workspace.attachment_content(attachment_id)
        path = viewer_path(attachment_id, info.filename)
        atomic.write_bytes(path, content)  # a viewer never sees half a file
    except PaktDeskError as err:
        messages.warn(parent, "Anhang nicht verfügbar", str(err))
        return None
    except OSError as err:
        messages.warn(parent, "Anhang nicht verfügbar",
                      f"Der Anhang konnte nicht zum Anzeigen abgelegt werden: {os_reason(err)}.")
        return None
    if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        messages.warn(parent, "Kein Anzeigeprogramm",
                      f"Für „{info.filename}“ ist kein Programm zum Anzeigen eingerichtet. "
                      f"Die Datei liegt hier: {path}")
    return path
