"""Slow jobs (the full check, a backup) on a worker thread, never touching widgets from it.

:class:`Job` runs a plain function on a worker thread (through :mod:`paktdesk.ui.workers`, the
one thread runner of the GUI) and reports back through Qt signals on the main thread. The function must bring its own database connection (e.g.
``Workspace.open(path, read_only=True)``): the window's connection belongs to the main thread.

:func:`run_with_progress` shows a small busy dialog while a job runs and returns its result
(or raises its exception) on the main thread, like a normal call — the window stays painted."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from typing import Any

import shiboken6
from PySide6.QtCore import QEventLoop, QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QProgressDialog, QWidget

from . import workers

log = logging.getLogger("paktdesk.ui")


class Job(QObject):
    """One function on a worker thread, reported through Qt signals on the main thread:
    ``succeeded(result)`` or ``failed(exception)``, then ``finished``.

    A signal-style face on :class:`paktdesk.ui.workers.Job`, the one thread runner of the GUI:
    the thread belongs to that job (it keeps itself alive while it runs, so deleting this object
    or its parent cannot destroy a running thread), and quitting waits for it."""

    succeeded = Signal(object)
    failed = Signal(object)
    finished = Signal()

    def __init__(self, function: Callable[[], Any], *, name: str = "", parent: QObject | None = None):
        super().__init__(parent)
        self.setObjectName(name or "paktdesk-job")
        self.result: Any = None
        self.error: BaseException | None = None
        self._started = False
        self.delivered = False  # the outcome has reached the main thread (``finished`` was emitted)
        self._job = workers.Job(lambda _report: function(), name=self.objectName(),
                                on_success=self._succeeded, on_failure=self._failed,
                                on_finished=self._finished)

    def start(self) -> None:
        self._started = True
        self._job.start()

    def wait(self, msecs: int = -1) -> bool:
        """Block until the thread has ended; True if it did."""
        return self._job.wait(msecs)

    def isRunning(self) -> bool:  # QThread's name, kept for the callers
        return self._job.is_running()

    def isFinished(self) -> bool:
        return self._started and not self._job.is_running()

    # the outcome arrives after the thread ended; this object (or its parent) may be gone by then
    def _succeeded(self, result: Any) -> None:
        self.result = result
        if shiboken6.isValid(self):
            self.succeeded.emit(result)

    def _failed(self, err: BaseException) -> None:
        self.error = err
        if shiboken6.isValid(self):
            self.failed.emit(err)
        else:
            log.error("Hintergrundaufgabe fehlgeschlagen: %s", type(err).__name__)

    def _finished(self) -> None:
        self.delivered = True
        if shiboken6.isValid(self):
            self.finished.emit()


def run_with_progress(parent: QWidget | None, function: Callable[[], Any], *, title: str, label: str) -> Any:
    """Run ``function`` on a worker while a modal busy dialog shows ``label``; return its result
    or raise its exception here on the main thread."""
    dialog = QProgressDialog(label, "", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setCancelButton(None)  # a backup or check is short and must not be torn in half
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)
    dialog.setMinimumWidth(380)
    dialog.setAutoClose(False)
    job = Job(function, name=title)
    loop = QEventLoop()
    job.finished.connect(loop.quit)
    QGuiApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
    try:
        dialog.show()
        job.start()
        if not job.delivered:
            loop.exec()
        job.wait()
    finally:
        QGuiApplication.restoreOverrideCursor()
        dialog.close()
        dialog.deleteLater()
        job.deleteLater()
    if job.error is not None:
        raise job.error
    return job.result


@contextlib.contextmanager
def busy_cursor() -> Iterator[None]:
    """A wait cursor for a short job on the main thread (restoring, the backup on closing)."""
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QGuiApplication.restoreOverrideCursor()
