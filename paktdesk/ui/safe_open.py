"""Opening the clerk's Datenbestand the safe way, with German dialogs for what can go wrong.

Used at start-up (:mod:`paktdesk.app`) and by "Datei → Öffnen …". Through
:meth:`Workspace.open_guarded`:

* a folder on a network drive, a server (UNC) or in a sync client (OneDrive, Nextcloud, …) is
  refused with the explanation from :mod:`paktdesk.core.location`; PaktDesk offers to copy the
  file to a folder on this PC and open the copy;
* a file another running PaktDesk holds opens read-only after the lock dialog names who holds it;
  a stale lock (crash) can be taken over after a second confirmation;
* a damaged, empty or unreadable file leads to the recovery dialog with the backups beside it;
* a file that is not writable opens read-only (as before, :func:`opening.open_existing`).

At start-up the file opens without SQLite's quick check (reading a 200 MB file would hold the
window back for half a second or more; ``check="later"``): the full check, which includes it,
follows in the background once the window shows (:mod:`paktdesk.ui.session_guard`), and a write
before it has passed runs the quick check first. If the window cannot read the file at all, the
start-up opens it again the checked way, which leads to the recovery dialog
(:func:`paktdesk.app.fill_startup_window`). "Datei → Öffnen …" checks at once (``check="now"``)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from ..core.errors import (
    IntegrityError,
    NewerFileError,
    NotAPaktDeskFileError,
    PaktDeskError,
)
from ..lockfile import FileInUseError
from ..paths import default_data_file
from ..workspace import Workspace
from ..workspace.safety import LocationError
from . import messages, opening
from .background import busy_cursor
from .lock_dialog import LockDialog
from .recovery_dialog import RecoveryDialog

log = logging.getLogger("paktdesk.ui")

TITLE = "Datenbestand kann nicht geöffnet werden"


class GuardedOpen:
    """One attempt to open ``path`` from the window; :meth:`run` returns the workspace or None
    (after telling the clerk why). ``drive_type`` and ``env`` are injected by tests."""

    def __init__(self, path: Path, *, parent: QWidget | None = None, drive_type: Callable | None = None,
                 env: Mapping[str, str] | None = None, check: str = "now"):
        self.path = Path(path)
        self.check = check
        self.parent = parent
        self.drive_type = drive_type
        self.env = env

    def _open(self, **options) -> Workspace:
        return Workspace.open_guarded(self.path, drive_type=self.drive_type, env=self.env, check=self.check,
                                      **options)

    def run(self, *, recover: bool = True) -> Workspace | None:
        path = self.path
        if not path.is_file():
            messages.error(self.parent, TITLE, f"Die Datei „{path}“ gibt es nicht.\n\n"
                           "Bitte den Pfad prüfen oder im Menü „Datei → Öffnen …“ eine andere Datei wählen.")
            return None
        if not opening.is_writable(path):
            return opening.open_existing(path, parent=self.parent)  # read-only, with its message
        try:
            with busy_cursor():
                workspace = self._open(if_locked="read_only")
        except LocationError as err:
            return self._refused_location(str(err))
        except FileInUseError as err:  # a stale lock: the holder is gone
            return self._stale_lock(err)
        except (IntegrityError, NotAPaktDeskFileError) as err:
            return self._recover(err) if recover else self._show_error(err)
        except Exception as err:  # noqa: BLE001 - newer file, vanished file, …: a message, not a crash
            return self._show_error(err)
        if workspace.lock_holder is not None:
            return self._in_use(workspace)
        return self._opened(workspace)

    # --- outcomes -------------------------------------------------------------------------------
    def _opened(self, workspace: Workspace) -> Workspace:
        log.info("Datenbestand geöffnet (schreibgeschützt: %s)", workspace.read_only)
        if workspace.location_warning:
            messages.info(self.parent, "Hinweis zum Speicherort", workspace.location_warning)
        return workspace

    def _show_error(self, err: Exception) -> None:
        if isinstance(err, NotAPaktDeskFileError):
            messages.error(self.parent, "Keine PaktDesk-Datei",
                           f"{err}\n\nBitte eine Datei wählen, die mit PaktDesk angelegt wurde (Endung .paktdesk).")
        elif isinstance(err, NewerFileError):
            messages.error(self.parent, "Neuere PaktDesk-Version nötig", str(err))
        elif isinstance(err, PaktDeskError):
            messages.error(self.parent, TITLE, str(err))
        else:
            log.warning("Öffnen fehlgeschlagen: %s", type(err).__name__)
            messages.error(self.parent, TITLE,
                           f"„{self.path.name}“ konnte nicht geöffnet werden ({type(err).__name__}).\n\n"
                           "Vielleicht ist die Datei von einem anderen Programm gesperrt oder das "
                           "Laufwerk nicht erreichbar. Bitte später erneut versuchen.")
        return None

    def _in_use(self, workspace: Workspace) -> Workspace | None:
        dialog = LockDialog(self.path, workspace.lock_holder, stale=False, parent=self.parent)
        dialog.exec()
        if dialog.choice == LockDialog.READ_ONLY:
            return self._opened(workspace)
        workspace.close()
        return None

    def _stale_lock(self, err: FileInUseError) -> Workspace | None:
        dialog = LockDialog(self.path, err.holder, stale=True, reason=err.reason, parent=self.parent)
        dialog.exec()
        try:
            if dialog.choice == LockDialog.READ_ONLY:
                with busy_cursor():
                    workspace = self._open(read_only=True)
                return self._opened(workspace)
            if dialog.choice != LockDialog.TAKE_OVER:
                return None
            if not messages.confirm(
                    self.parent, "Sperre übernehmen",
                    f"Die Sperre von {err.holder.user} (PC „{err.holder.host}“) wirklich übernehmen?\n\n"
                    "Arbeitet dort doch noch jemand mit dem Datenbestand, können Änderungen verloren gehen."):
                return None
            with busy_cursor():
                workspace = self._open(take_over=err.holder)
            return self._opened(workspace)
        except FileInUseError as again:
            messages.warn(self.parent, "Sperre nicht übernommen",
                          f"Die Sperre hat sich inzwischen geändert.\n\n{again}")
            return None
        except (IntegrityError, NotAPaktDeskFileError) as damaged:
            return self._recover(damaged)
        except Exception as other:  # noqa: BLE001 - as in run()
            return self._show_error(other)

    def _recover(self, err: Exception) -> Workspace | None:
        """The live file cannot be opened: offer the backups beside it (never a repair)."""
        try:
            backups = Workspace.backups_beside(self.path)
        except (OSError, PaktDeskError):
            backups = []
        if isinstance(err, NotAPaktDeskFileError) and not backups:
            return self._show_error(err)  # probably just the wrong file: nothing to restore
        log.warning("Datenbestand nicht lesbar (%s): Wiederherstellung angeboten", type(err).__name__)
        dialog = RecoveryDialog(self.path, problem=str(err), parent=self.parent)
        dialog.exec()
        if dialog.restored is None:
            return None
        workspace = GuardedOpen(self.path, parent=self.parent, drive_type=self.drive_type, env=self.env).run(
            recover=False)
        if workspace is not None:
            when = dialog.restored.summary.created_at
            log.info("Sicherung zurückgespielt (Stand %s)", when)
            messages.info(self.parent, "Sicherung zurückgespielt",
                          f"Der Datenbestand ist wieder da: Stand der Sicherung „{dialog.restored.restored_from.name}“."
                          + (f"\n\nDie nicht lesbare Datei liegt als „{dialog.restored.aside.name}“ im Ordner "
                             "„Sicherungen“." if dialog.restored.aside else "")
                          + "\n\nBitte prüfen Sie die zuletzt erfassten Angaben und tragen Sie fehlende nach.")
        return workspace

    def _refused_location(self, explanation: str) -> Workspace | None:
        answer = QMessageBox.question(
            self.parent, "Speicherort nicht geeignet",
            f"{explanation}\n\nSoll PaktDesk den Datenbestand jetzt in einen Ordner auf diesem PC kopieren "
            "und die Kopie öffnen? Die bisherige Datei bleibt unverändert liegen.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes)
        if answer != QMessageBox.StandardButton.Yes:
            return None
        suggestion = default_data_file()
        if suggestion.exists():
            suggestion = suggestion.with_name(self.path.name)
        while True:
            name, _ = QFileDialog.getSaveFileName(self.parent, "Neuen Speicherort wählen", str(suggestion),
                                                  "PaktDesk-Datenbestände (*.paktdesk)")
            if not name:
                return None
            target = Path(name) if name.lower().endswith(".paktdesk") else Path(name + ".paktdesk")
            try:
                with busy_cursor():
                    Workspace.copy_datafile(self.path, target, drive_type=self.drive_type, env=self.env)
            except LocationError as err:
                messages.warn(self.parent, "Speicherort nicht geeignet", str(err))
                continue
            except PaktDeskError as err:
                messages.error(self.parent, "Nicht kopiert", str(err))
                return None
            break
        messages.info(self.parent, "Datenbestand kopiert",
                      f"Der Datenbestand liegt jetzt in „{target}“ und wird dort geöffnet.\n\n"
                      f"Die bisherige Datei „{self.path}“ bitte nicht mehr verwenden (am besten löschen, "
                      "sobald alles geprüft ist).")
        return GuardedOpen(target, parent=self.parent, drive_type=self.drive_type, env=self.env,
                           check=self.check).run()


def open_guarded(path: Path, *, parent: QWidget | None = None, drive_type: Callable | None = None,
                 env: Mapping[str, str] | None = None, check: str = "now") -> Workspace | None:
    """Open ``path`` for the window with every safety dialog; None if it is not opened.
    ``check="later"`` (start-up): see the module's docstring."""
    return GuardedOpen(path, parent=parent, drive_type=drive_type, env=env, check=check).run()
