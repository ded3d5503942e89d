"""The data-safety actions the menu, the Datensicherung page and the start-up check share:
"Jetzt sichern", "Datei prüfen", "Sicherung zurückspielen …" and offering the newest good backup
when the check finds damage or changes made outside PaktDesk.

Backups and checks run on a worker with their own read-only connection to the file (the
window's connection stays on the main thread); restoring replaces the file under the window's
connection and therefore runs on the main thread with a wait cursor."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QMessageBox, QWidget

from ..core.errors import PaktDeskError
from . import messages
from .background import busy_cursor, run_with_progress
from .backup_table import reason_text
from .recovery_dialog import RecoveryDialog

if TYPE_CHECKING:  # the workspace loads with the data file, after the window frame is shown
    from ..workspace.safety import CheckReport


def reader_job(workspace, action: Callable[[Any], Any]) -> Callable[[], Any]:
    """A function for a worker: open the file read-only, run ``action(reader)``, close it."""
    cls, path = type(workspace), workspace.path

    def run():
        reader = cls.open(path, read_only=True)
        try:
            return action(reader)
        finally:
            reader.close()
    return run


def full_check_job(workspace) -> Callable[[], CheckReport]:
    """The full check on its own connection; a file that no longer opens is a finding too."""
    cls, path = type(workspace), workspace.path

    def run() -> CheckReport:
        from ..workspace.safety import CheckReport

        try:  # the full check runs SQLite's integrity check, a superset of the quick check
            reader = cls.open(path, read_only=True, check="later")
        except PaktDeskError as err:
            return CheckReport((str(err),), cls.suggest_backup(path))
        try:
            return reader.check_report()
        finally:
            reader.close()
    return run


def backup_now(ctx, parent: QWidget | None):
    """A verified backup now (worker + progress). Returns the result or None after a message."""
    job = reader_job(ctx.workspace, lambda reader: reader.make_backup(reason="manual"))
    try:
        result = run_with_progress(parent, job, title="Datensicherung",
                                   label="Die Sicherung wird angelegt und geprüft …")
    except PaktDeskError as err:
        messages.warn(parent, "Sicherung nicht angelegt", str(err))
        return None
    if result.warnings:
        messages.info(parent, "Sicherung angelegt – mit Hinweisen", "\n\n".join(result.warnings))
    ctx.status_message.emit(f"Sicherung angelegt und geprüft: {result.path.name}.")
    return result


def check_now(ctx, parent: QWidget | None) -> CheckReport | None:
    """The full check on a worker with a progress dialog."""
    try:
        return run_with_progress(parent, full_check_job(ctx.workspace), title="Datei prüfen",
                                 label="Der Datenbestand wird vollständig geprüft …")
    except PaktDeskError as err:
        messages.warn(parent, "Prüfung nicht möglich", str(err))
        return None


def problems_text(report: CheckReport, limit: int = 8) -> str:
    shown = "\n".join(f"• {problem}" for problem in report.problems[:limit])
    more = len(report.problems) - limit
    return shown + (f"\n• … und {more} weitere" if more > 0 else "")


def offer_restore(ctx, parent: QWidget | None, report: CheckReport) -> bool:
    """Tell the clerk what the check found and offer the newest good backup (never a repair).
    Returns True when a backup was restored."""
    title = "Datenbestand beschädigt oder verändert"
    head = ("Die Prüfung des Datenbestands hat Probleme gefunden. Die Datei wurde beschädigt oder "
            f"außerhalb von PaktDesk verändert:\n\n{problems_text(report)}\n\n")
    entry = report.suggestion
    if entry is None:
        messages.error(parent, title, head + "Es gibt keine geprüfte Sicherung, die zurückgespielt werden könnte. "
                       "PaktDesk verändert die Datei nicht. Bitte wenden Sie sich an Ihre IT.")
        return False
    when = entry.created.astimezone().strftime("%d.%m.%Y um %H:%M Uhr")
    if ctx.workspace.read_only:
        messages.error(parent, title, head + f"Die neueste gute Sicherung ist vom {when} ({reason_text(entry)}). "
                       "Zum Zurückspielen den Datenbestand ohne Schreibschutz öffnen.")
        return False
    answer = QMessageBox.question(
        parent, title, head + f"Die neueste gute Sicherung ist vom {when} ({reason_text(entry)}). Jetzt "
        "zurückspielen? Die jetzige Datei wird vorher in den Ordner „Sicherungen“ gelegt (Endung "
        ".paktdesk-alt); Änderungen nach der Sicherung müssen neu erfasst werden.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
    if answer != QMessageBox.StandardButton.Yes:
        return False
    with busy_cursor():
        result = ctx.perform(lambda: ctx.workspace.restore(entry.path), parent=parent,
                             title="Nicht zurückgespielt")
    if result is not None:
        ctx.status_message.emit(f"Sicherung vom {when} zurückgespielt.")
    return result is not None


def restore_from_menu(ctx, parent: QWidget | None):
    """Datei → Sicherung zurückspielen …: the list of backups, restore after confirmation."""
    if ctx.workspace.read_only:
        messages.info(parent, "Schreibgeschützt geöffnet",
                      "Der Datenbestand ist schreibgeschützt geöffnet; eine Sicherung kann nur zurückgespielt "
                      "werden, wenn er ohne Schreibschutz geöffnet ist.")
        return None
    dialog = RecoveryDialog(ctx.workspace.path, ctx=ctx, parent=parent)
    dialog.exec()
    if dialog.restored is not None:
        ctx.status_message.emit("Sicherung zurückgespielt.")
        messages.info(parent, "Sicherung zurückgespielt",
                      f"Der Datenbestand hat jetzt den Stand der Sicherung „{dialog.restored.restored_from.name}“."
                      "\n\nDer vorherige Stand wurde vorher gesichert. Alte Sicherungen werden in den "
                      "nächsten 30 Tagen nicht automatisch gelöscht.")
    return dialog.restored
