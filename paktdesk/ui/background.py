"""Slow jobs (an export, a preview at Kreis scale, reading many files) on a worker thread, with a
progress dialog where the clerk has to wait for the result.

The job is a plain callable that touches no widget and not the window's database connection.
What it needs from the Datenbestand it reads through its own read-only connection
(:func:`reader_job`); anything that writes (the audit entry of an export, an import) happens
afterwards on the GUI thread through the window's workspace. The result comes back through a
queued signal on the GUI thread."""

from __future__ import annotations

import atexit
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from ..core.errors import PaktDeskError

if TYPE_CHECKING:
    from ..workspace import Workspace

SHOW_AFTER_MS = 300  # a quick job finishes without a dialog flashing up

_running: set[BackgroundTask] = set()
_quit_hooked = False


def reader_job(path: Path, work: Callable[[Workspace], Any]) -> Callable[[], Any]:
    """A job that opens ``path`` read-only on the worker thread, runs ``work`` on it, closes it."""
    def job() -> Any:
        from ..workspace import Workspace

        reader = Workspace.open(path, read_only=True)
        try:
            return work(reader)
        finally:
            reader.close()
    return job


def wait_for_all() -> None:
    """Let running jobs finish (on quitting: a half-written export would be left as a temp file)."""
    for task in list(_running):
        task.thread.wait()


class _Runner(QObject):
    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, job: Callable[[], Any]):
        super().__init__()
        self._job = job

    @Slot()
    def run(self) -> None:
        try:
            result = self._job()
        except BaseException as err:  # noqa: BLE001 - handed to the GUI thread, re-raised there if unexpected
            self.failed.emit(err)
        else:
            self.succeeded.emit(result)


class BackgroundTask(QObject):
    """Run ``job`` on a worker thread; with ``modal`` a window-modal progress dialog appears if it
    takes a while (without, the page shows its own "wird berechnet" state).

    ``finished(result, error)`` fires on the GUI thread unless ``parent`` is gone by then:
    ``error`` is the project's own error (a German message) or None. Unexpected exceptions are
    re-raised on the GUI thread, where the crash handler takes them."""

    finished = Signal(object, object)

    def __init__(self, job: Callable[[], Any], *, parent: QWidget, title: str = "", label: str = "",
                 modal: bool = True):
        super().__init__(None)  # lives until the job is done, even if the page goes away
        global _quit_hooked
        self.result: Any = None
        self.error: PaktDeskError | None = None
        self.done = False
        self.modal = modal
        self._parent_alive = True
        parent.destroyed.connect(self._parent_gone)
        self.dialog = QProgressDialog(label, "", 0, 0, parent) if modal else None
        if self.dialog is not None:
            self._setup_dialog(title)
        self._show_timer = QTimer(self)
        self._show_timer.setSingleShot(True)
        self._show_timer.timeout.connect(self._show_dialog)
        self.thread = QThread()
        self.thread.setObjectName("paktdesk-worker")
        self._runner = _Runner(job)
        self._runner.moveToThread(self.thread)
        self.thread.started.connect(self._runner.run)
        self._runner.succeeded.connect(self._succeeded, Qt.ConnectionType.QueuedConnection)
        self._runner.failed.connect(self._failed, Qt.ConnectionType.QueuedConnection)
        app = QCoreApplication.instance()
        if app is not None and not _quit_hooked:
            app.aboutToQuit.connect(wait_for_all)
            atexit.register(wait_for_all)  # a script that never runs the event loop to its end
            _quit_hooked = True

    def _setup_dialog(self, title: str) -> None:
        self.dialog.setWindowTitle(title)
        self.dialog.setCancelButton(None)  # writing cannot be stopped half-way; it is atomic anyway
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(SHOW_AFTER_MS)
        self.dialog.setAutoReset(False)
        self.dialog.setMinimumWidth(420)
        self.dialog.hide()
        self.dialog.destroyed.connect(self._dialog_gone)

    def start(self) -> BackgroundTask:
        _running.add(self)
        if self.modal:
            QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        self.thread.start()
        if self.dialog is not None:
            self._show_timer.start(SHOW_AFTER_MS)
        return self

    def _parent_gone(self) -> None:
        self._parent_alive = False

    def _show_dialog(self) -> None:
        if not self.done and self.dialog is not None:
            self.dialog.show()

    def _dialog_gone(self) -> None:
        self.dialog = None

    def _end(self) -> None:
        self._show_timer.stop()
        self.thread.quit()
        self.thread.wait()
        if self.modal:
            QApplication.restoreOverrideCursor()
        if self.dialog is not None:
            self.dialog.reset()  # stops the timer that would show it later
            self.dialog.hide()
            self.dialog.deleteLater()
        self.done = True
        _running.discard(self)

    @Slot(object)
    def _succeeded(self, result: Any) -> None:
        self._end()
        self.result = result
        if self._parent_alive:
            self.finished.emit(result, None)

    @Slot(object)
    def _failed(self, err: BaseException) -> None:
        self._end()
        if not isinstance(err, PaktDeskError):
            raise err
        self.error = err
        if self._parent_alive:
            self.finished.emit(None, err)
