"""The data-safety actions the menu, the Datensicherung page and the start-up check share:
"Jetzt sichern", "Datei prüfen", "Sicherung zurückspielen …" and offering the newest good backup
when the check finds damage or changes made outside PaktDesk.

Backups and checks run on a worker with their own read-only connection to the file (the
window's connection stays on the main thread); restoring replaces the file under the window's
connection and therefore runs on the main thread with a wait cursor.

"Jetzt sichern" is two stages: the snapshot (a progress dialog, about as long as copying the
file) and then the deep check of the copy as a background :class:`Job` — the clerk works on
meanwhile; the status bar says when the backup is checked, and a failed check is told at once
(the copy is byte-identical, so the live file itself is then suspect; the full check is
offered). Backups whose deep check never ran (the program ended) are checked after the next
start (:func:`resume_deep_checks`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox, QWidget

from ..core.errors import PaktDeskError
from . import messages
from .background import Job, busy_cursor, run_with_progress
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


def snapshot_job(workspace) -> Callable[[], Any]:
    """The snapshot stage of "Jetzt sichern" on a worker, on its own read-only connection."""
    cls, path = type(workspace), workspace.path

    def run():
        reader = cls.open_for_backup(path)
        try:
            return reader.make_backup(reason="manual", deep_check="later")
        finally:
            reader.close()
    return run


def backup_now(ctx, parent: QWidget | None):
    """"Jetzt sichern": the snapshot on a worker with a progress dialog, then the deep check in
    the background (:func:`start_deep_check`). Returns the result (its deep check still running)
    or None after a message."""
    try:
        result = run_with_progress(parent, snapshot_job(ctx.workspace), title="Datensicherung",
                                   label="Die Sicherung wird angelegt …")
    except PaktDeskError as err:
        messages.warn(parent, "Sicherung nicht angelegt", str(err))
        return None
    if result.warnings:
        messages.info(parent, "Sicherung angelegt – mit Hinweisen", "\n\n".join(result.warnings))
    if result.pending is None:
        ctx.status_message.emit(f"Sicherung angelegt und geprüft: {result.path.name}.")
    else:
        ctx.status_message.emit(f"Sicherung angelegt: {result.path.name}. Sie wird jetzt im Hintergrund "
                                "geprüft …")
        start_deep_check(ctx, parent, result)
    return result


class DeepCheck(QObject):
    """One backup's deep check as a background job; its results arrive here on the main thread.

    ``done`` is True once the job reported; ``outcome`` is then the finished
    :class:`~paktdesk.db.backup.BackupResult` or the exception."""

    def __init__(self, ctx, window: QWidget | None, result):
        super().__init__(ctx)
        self.ctx = ctx
        self.window = window
        self.result = result
        self.done = False
        self.outcome: Any = None
        finish = type(ctx.workspace).finish_backup
        self.job = Job(lambda: finish(result), name="Tiefenprüfung der Sicherung")
        self.job.succeeded.connect(self._passed)
        self.job.failed.connect(self._failed)
        self.job.finished.connect(self.job.deleteLater)
        RUNNING_CHECKS.append(self)

    def start(self) -> None:
        self.job.start()

    def _end(self, outcome: Any) -> None:
        self.done, self.outcome = True, outcome
        if self in RUNNING_CHECKS:
            RUNNING_CHECKS.remove(self)
        backups_changed = getattr(self.ctx, "backups_changed", None)
        if backups_changed is not None:
            backups_changed.emit(outcome)

    def _passed(self, finished) -> None:
        self._end(finished)
        text = f"Sicherung geprüft: {finished.path.name} ist in Ordnung."
        if finished.removed:
            text += f" {len(finished.removed)} ältere Sicherung(en) aufgeräumt."
        self.ctx.status_message.emit(text)
        if finished.warnings:
            messages.info(self.window, "Sicherung geprüft – mit Hinweisen", "\n\n".join(finished.warnings))

    def _failed(self, err: BaseException) -> None:
        self._end(err)
        name = self.result.path.name
        if not isinstance(err, PaktDeskError):
            self.ctx.status_message.emit(f"Die Prüfung der Sicherung {name} ist abgebrochen.")
            messages.warn(self.window, "Sicherung nicht geprüft",
                          f"Die Prüfung der Sicherung „{name}“ ist mit einem unerwarteten Fehler abgebrochen "
                          f"({type(err).__name__}). Die Sicherung wird erst nach einer erfolgreichen Prüfung "
                          "zum Zurückspielen angeboten; PaktDesk prüft sie beim nächsten Start erneut.")
            return
        self.ctx.status_message.emit(f"Sicherung {name} ist fehlerhaft – bitte den Datenbestand prüfen.")
        if getattr(err, "damaged_copy", False):
            messages.warn(self.window, "Sicherung beschädigt", str(err))
            return
        answer = QMessageBox.question(
            self.window, "Sicherung fehlerhaft – Datenbestand prüfen",
            f"{err}\n\nJetzt den Datenbestand vollständig prüfen?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes)
        if answer != QMessageBox.StandardButton.Yes:
            return
        report = check_now(self.ctx, self.window)
        if report is None:
            return
        if report.ok:
            messages.info(self.window, "Datenbestand in Ordnung",
                          "Die vollständige Prüfung hat im Datenbestand keine Fehler gefunden. Die fehlerhafte "
                          "Sicherung wird nicht verwendet; bitte noch einmal „Jetzt sichern“ wählen.")
        else:
            offer_restore(self.ctx, self.window, report)


RUNNING_CHECKS: list[DeepCheck] = []  # deep checks not yet reported (kept alive until then)


def start_deep_check(ctx, parent: QWidget | None, result) -> DeepCheck:
    """Run the deep check of a ``deep_check="later"`` backup in the background."""
    check = DeepCheck(ctx, parent.window() if parent is not None else None, result)
    check.start()
    return check


def resume_deep_checks(ctx, window: QWidget | None) -> list[DeepCheck]:
    """After opening a Datenbestand: check the backups whose deep check never ran (the program
    ended before), in the background."""
    workspace = ctx.workspace
    if workspace.read_only:
        return []
    try:
        pending = workspace.pending_backup_checks()
    except (OSError, PaktDeskError):
        return []
    if not pending:
        return []
    ctx.status_message.emit(f"{len(pending)} Sicherung(en) werden im Hintergrund nachgeprüft …")
    return [start_deep_check(ctx, window, result) for result in pending]


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
