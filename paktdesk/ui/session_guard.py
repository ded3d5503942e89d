"""What keeps an open Datenbestand safe while the window shows it:

* the lock file is renewed every :data:`~paktdesk.lockfile.REFRESH_EVERY` (10 minutes) so other
  PCs do not think it stale; if another session took it over, the window switches to read-only;
* the full check (hash chain, control totals, SQLite integrity) runs once in the background after
  the file opened, on a worker with its own read-only connection; damage or an outside change
  leads to a German message offering the newest good backup;
* when the window closes (or another file is opened) the backup on close is made, with a wait
  cursor; a failed backup does not stop the closing but is told.

The main window owns one guard and calls :meth:`attach` / :meth:`release`."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from ..core.errors import PaktDeskError
from ..lockfile import REFRESH_EVERY
from . import messages
from .background import Job, busy_cursor
from .backup_actions import full_check_job, offer_restore, resume_deep_checks

log = logging.getLogger("paktdesk.ui")


class SessionGuard(QObject):
    """Lock renewal, background check and backup on close for the window's workspace."""

    check_finished = Signal(object)  # CheckReport of the background check

    def __init__(self, window: QWidget):
        super().__init__(window)
        self.window = window
        self.ctx = None
        self.lock_timer = QTimer(self)
        self.lock_timer.setInterval(int(REFRESH_EVERY.total_seconds() * 1000))
        self.lock_timer.timeout.connect(self.refresh_lock)
        self.check_job: Job | None = None
        self.last_report = None
        self.last_close_backup = None  # BackupResult of the last backup on close (None: skipped)
        self.close_backup_error: str = ""

    # --- life cycle -------------------------------------------------------------------------------
    def attach(self, ctx, *, check: bool = True) -> None:
        """A workspace was opened in the window."""
        self.ctx = ctx
        self.last_report = None
        if not ctx.workspace.read_only and not ctx.demo:
            self.lock_timer.start()
        else:
            self.lock_timer.stop()
        if check:
            self.start_check()
        if not ctx.demo:  # backups whose deep check never ran (the program ended before)
            resume_deep_checks(ctx, self.window)

    def release(self, ctx) -> None:
        """The workspace is about to be closed: stop the timer, let the check finish, back up.
        Only once per workspace (Qt may send a second close event)."""
        if ctx is None or ctx is not self.ctx:
            return
        self.lock_timer.stop()
        self.wait_for_check()
        self.ctx = None
        workspace = ctx.workspace
        if ctx.demo or workspace.read_only:
            return
        self.close_backup_error = ""
        try:
            self.window.statusBar().showMessage("Datensicherung beim Schließen wird angelegt …")
            self.window.statusBar().repaint()
            with busy_cursor():
                self.last_close_backup = workspace.backup_on_close(raise_errors=True)
        except PaktDeskError as err:
            self.close_backup_error = str(err)
            messages.warn(self.window, "Sicherung beim Schließen fehlgeschlagen",
                          f"{err}\n\nDer Datenbestand selbst ist vollständig gespeichert; nur die Sicherung "
                          "fehlt. Bitte beim nächsten Start unter Einstellungen → Datensicherung "
                          "„Jetzt sichern“ wählen.")
        except Exception as err:  # noqa: BLE001 - closing must never be blocked by the backup
            self.close_backup_error = type(err).__name__
            log.error("Sicherung beim Schließen: unerwarteter Fehler %s", type(err).__name__)
            messages.warn(self.window, "Sicherung beim Schließen fehlgeschlagen",
                          "Beim Anlegen der Sicherung ist ein unerwarteter Fehler aufgetreten. Der "
                          "Datenbestand selbst ist vollständig gespeichert.")

    # --- lock ------------------------------------------------------------------------------------
    def refresh_lock(self) -> None:
        if self.ctx is None:
            return
        workspace = self.ctx.workspace
        try:
            workspace.refresh_lock()
        except PaktDeskError as err:
            self.lock_timer.stop()
            log.warning("Sperre verloren: %s", type(err).__name__)
            messages.warn(self.window, "Sperre verloren",
                          f"{err}\n\nDer Datenbestand wird jetzt schreibgeschützt angezeigt.")
            self._switch_to_read_only()

    def _switch_to_read_only(self) -> None:
        ctx = self.ctx
        try:
            reader = type(ctx.workspace).open(ctx.workspace.path, read_only=True)
        except PaktDeskError as err:
            messages.error(self.window, "Datenbestand nicht lesbar", str(err))
            return
        self.window.set_workspace(reader, demo=False)

    # --- background check ------------------------------------------------------------------------
    def start_check(self) -> None:
        if self.ctx is None or self.check_job is not None:
            return
        job = Job(full_check_job(self.ctx.workspace), name="Prüfung", parent=self)
        job.succeeded.connect(self._check_done)
        job.failed.connect(self._check_failed)
        job.finished.connect(self._job_finished)
        self.check_job = job
        job.start()

    def wait_for_check(self) -> None:
        """Block until a running check is done; its result is then ignored (the workspace it
        checked is about to be closed)."""
        job, self.check_job = self.check_job, None
        if job is not None:
            job.wait()

    def _current(self) -> bool:
        return self.sender() is not None and self.sender() is self.check_job

    def _job_finished(self) -> None:
        job = self.sender()
        if job is self.check_job:
            self.check_job = None
        if job is not None:
            job.deleteLater()

    def _check_failed(self, err: BaseException) -> None:
        if not self._current():
            return
        log.error("Hintergrundprüfung: unerwarteter Fehler %s", type(err).__name__)
        self.check_finished.emit(None)

    def _check_done(self, report) -> None:
        if not self._current() or self.ctx is None:  # a workspace that was closed meanwhile
            return
        self.last_report = report
        if report.ok:
            log.info("Hintergrundprüfung: in Ordnung")
            self.ctx.workspace.confirm_checked()  # writes need no quick check of their own now
            self.ctx.status_message.emit("Datenbestand geprüft: in Ordnung.")
        else:
            log.warning("Hintergrundprüfung: %d Probleme", len(report.problems))
            offer_restore(self.ctx, self.window, report)
        self.check_finished.emit(report)
