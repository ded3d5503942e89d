"""Slow jobs (the full check, a backup) on a worker thread, never touching widgets from it.

:class:`Job` runs a plain function on a :class:`QThread` and reports back through Qt signals,
which arrive on the main thread. The function must bring its own database connection (e.g.
``Workspace.open(path, read_only=True)``): the window's connection belongs to the main thread.

:func:`run_with_progress` shows a small busy dialog while a job runs and returns its result
(or raises its exception) on the main thread, like a normal call — the window stays painted."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from typing import Any

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, Qt, QThread, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QProgressDialog, QWidget

log = logging.getLogger("paktdesk.ui")


class Job(QThread):
    """One function on a worker thread. ``succeeded(result)`` or ``failed(exception)`` follows;
    ``finished`` comes last (Qt's own signal)."""

    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, function: Callable[[], Any], *, name: str = "", parent: QObject | None = None):
        super().__init__(parent)
        self._function = function
        self.setObjectName(name or "paktdesk-job")
        self.result: Any = None
        self.error: BaseException | None = None

    def start(self, *args) -> None:
        _RUNNING.add(self)
        self.finished.connect(lambda: _RUNNING.discard(self))
        app = QCoreApplication.instance()
        if app is not None and app not in _HOOKED:
            _HOOKED.append(app)
            app.aboutToQuit.connect(wait_for_all)
        super().start(*args)

    def run(self) -> None:  # worker thread: no widgets here
        try:
            self.result = self._function()
        except BaseException as err:  # noqa: BLE001 - handed to the main thread, which decides
            self.error = err
            self.failed.emit(err)
            return
        self.succeeded.emit(self.result)


_RUNNING: set[Job] = set()
_HOOKED: list[QCoreApplication] = []


def wait_for_all(timeout_ms: int = 60_000) -> None:
    """The program is quitting: let running jobs end first. A QThread destroyed while it runs
    aborts the whole process (seen when the program ended during the background check)."""
    for job in list(_RUNNING):
        if not job.wait(timeout_ms):
            log.warning("Hintergrundaufgabe %s endet nicht", job.objectName())


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
        if not job.isFinished():
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
