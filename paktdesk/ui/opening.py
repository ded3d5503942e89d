"""Opening a Datenbestand from the window: German messages instead of tracebacks.

Used at start-up (:mod:`paktdesk.app`) and by the menu "Datei → Öffnen …"."""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

from PySide6.QtWidgets import QWidget

from ..core.errors import NewerFileError, NotAPaktDeskFileError, PaktDeskError
from ..workspace import Workspace
from . import messages
from ..core.os_errors import reason as os_reason
from ..demo_folders import DEMO_FILE_NAME, new_demo_folder

log = logging.getLogger("paktdesk.ui")


def is_writable(path: Path) -> bool:
    """Can PaktDesk write ``path``? SQLite also needs the folder for its journal file."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def open_existing(path: Path, *, parent: QWidget | None = None) -> Workspace | None:
    """Open an existing file; read-only when it or its folder is not writable.

    Returns None after showing a German message when the file cannot be used."""
    path = Path(path)
    title = "Datenbestand kann nicht geöffnet werden"
    if not path.is_file():
        messages.error(parent, title, f"Die Datei „{path}“ gibt es nicht.\n\n"
                       "Bitte den Pfad prüfen oder im Menü „Datei → Öffnen …“ eine andere Datei wählen.")
        return None
    read_only = not is_writable(path)
    try:
        workspace = Workspace.open(path, read_only=read_only)
    except NotAPaktDeskFileError as err:
        messages.error(parent, "Keine PaktDesk-Datei",
                       f"{err}\n\nBitte eine Datei wählen, die mit PaktDesk angelegt wurde (Endung .paktdesk).")
        return None
    except NewerFileError as err:
        messages.error(parent, "Neuere PaktDesk-Version nötig", str(err))
        return None
    except PaktDeskError as err:  # DataFileError, IntegrityError and friends
        messages.error(parent, title, str(err))
        return None
    except Exception as err:  # noqa: BLE001 - e.g. locked or vanished file: a message, not a crash
        log.warning("Öffnen fehlgeschlagen: %s", type(err).__name__)
        messages.error(parent, title,
                       f"„{path.name}“ konnte nicht geöffnet werden ({type(err).__name__}).\n\n"
                       "Vielleicht ist die Datei von einem anderen Programm gesperrt oder das "
                       "Netzlaufwerk nicht erreichbar. Bitte später erneut versuchen.")
        return None
    log.info("Datenbestand geöffnet (schreibgeschützt: %s)", read_only)
    if read_only:
        messages.info(parent, "Schreibgeschützt geöffnet",
                      f"„{path.name}“ oder ihr Ordner ist schreibgeschützt. Der Datenbestand wird "
                      "nur zum Lesen geöffnet; Änderungen sind nicht möglich.")
    return workspace


def check_data_folder(folder: Path, *, parent: QWidget | None = None) -> bool:
    """Make sure the data folder exists and is writable; a German message otherwise."""
    title = "Datenordner nicht nutzbar"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        messages.error(parent, title,
                       f"Der Datenordner „{folder}“ kann nicht angelegt werden ({os_reason(err)}).\n\n"
                       "Bitte die IT bitten, den Ordner freizugeben, oder PaktDesk mit "
                       "„--data DATEI“ auf einen beschreibbaren Ort starten.")
        return False
    if not folder.is_dir() or not os.access(folder, os.W_OK):
        messages.error(parent, title,
                       f"In den Datenordner „{folder}“ darf PaktDesk nicht schreiben.\n\n"
                       "Bitte die IT bitten, den Ordner freizugeben, oder PaktDesk mit "
                       "„--data DATEI“ auf einen beschreibbaren Ort starten.")
        return False
    return True


def create_demo_copy() -> Path:
    """A fresh demo Datenbestand in a new temporary folder; the caller removes the folder."""
    from ..demo import create_demo  # the demo builder is only needed on request

    folder = new_demo_folder()
    path = folder / DEMO_FILE_NAME
    try:
        create_demo(path).close()
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return path


def create_datafile(path: Path, profile, *, parent: QWidget | None = None) -> Workspace | None:
    """A new, empty Datenbestand with the owner's profile; nothing is left behind on failure."""
    path = Path(path)
    if path.exists():
        messages.error(parent, "Datei existiert bereits",
                       f"„{path}“ gibt es schon. PaktDesk überschreibt keine vorhandene Datei.")
        return None
    workspace = None
    try:
        workspace = Workspace.open_guarded(path, create=True)  # with the lock and the location check
        workspace.set_up(profile)
    except (PaktDeskError, OSError) as err:
        if workspace is not None:
            workspace.close()
        _remove_new_file(path)
        text = str(err) if isinstance(err, PaktDeskError) else os_reason(err)
        messages.error(parent, "Datenbestand nicht angelegt", f"Der Datenbestand wurde nicht angelegt.\n\n{text}")
        return None
    log.info("Neuer Datenbestand angelegt")
    return workspace


def _remove_new_file(path: Path) -> None:
    for candidate in (path, path.with_name(path.name + "-journal")):
        try:
            candidate.unlink()
        except FileNotFoundError:
            pass
        except OSError:
            log.warning("Unvollständige neue Datei konnte nicht entfernt werden")
