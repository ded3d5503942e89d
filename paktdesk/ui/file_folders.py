"""Where a file dialog opens: the folder last used for that kind of file on this PC, else the
user's Documents folder – never the program's own folder (the working directory of a Windows
shortcut is where PaktDesk is installed)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths

# One key per kind of file, so a CSV export does not send the next PDF into the CSV folder
PDF, CSV, CALENDAR, SCAN, EXCHANGE, CONSOLIDATION = (
    "reports/last_folder", "folders/csv", "folders/calendar", "folders/scans", "export/folder",
    "consolidation/folder")


def documents_folder() -> Path:
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents) if documents and Path(documents).is_dir() else Path.home()


def start_folder(settings: QSettings, kind: str) -> Path:
    """The folder a dialog for ``kind`` opens in."""
    remembered = str(settings.value(kind, "") or "")
    return Path(remembered) if remembered and Path(remembered).is_dir() else documents_folder()


def remember_folder(settings: QSettings, kind: str, chosen: Path) -> None:
    """Remember the folder of the file the clerk chose for ``kind``."""
    settings.setValue(kind, str(Path(chosen).parent))
