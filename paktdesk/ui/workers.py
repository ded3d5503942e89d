"""Slow jobs (rendering a long PDF) on a worker thread, with progress and cancel.

The work function runs on a :class:`QThread` and gets a ``report(done, total)`` callback; after
:meth:`Job.cancel` that callback raises :class:`Cancelled`, which ends the work cleanly. The
worker never touches a widget or emits a signal: it only stores its progress, which a timer on
the GUI thread reads, and the outcome is handed to the callbacks on the GUI thread once Qt says
the thread has finished. A running job keeps itself alive, so closing the page that started it
cannot destroy a thread that still runs.

Why callbacks and no Python signals: PySide6 6.12.0's ``SignalInstance.emit()`` drops one
reference to ``True`` per call; a few hundred progress signals per document are enough to make
the interpreter abort at exit ("deallocating True"). Signals Qt emits itself (``finished``,
``timeout``) are not affected."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer

log = logging.getLogger("paktdesk.ui.workers")

_RUNNING: set[Job] = set()
_HOOKED: list[QCoreApplication] = []
POLL_MS = 50


class Cancelled(Exception):
    """Raised inside the work function after the clerk pressed "Abbrechen"."""


class _Thread(QThread):
    def __init__(self, work: Callable[[Callable[[int, int], None]], Any], cancel: threading.Event,
                 parent: QObject | None = None):
        super().__init__(parent)
        self._work = work
        self._cancel = cancel
        self.percent = 0  # read by the GUI thread's timer (an int: assignment is atomic)
        self.result: Any = None
        self.error: BaseException | None = None
        self.was_cancelled = False

    def report(self, done: int, total: int) -> None:
        if self._cancel.is_set():
            raise Cancelled()
        self.percent = min(100, done * 100 // total) if total > 0 else 0

    def run(self) -> None:  # runs on the worker thread
        try:
            self.result = self._work(self.report)
            if self._cancel.is_set():
                self.was_cancelled = True
        except Cancelled:
            self.was_cancelled = True
        except BaseException as err:  # noqa: BLE001 - handed to the GUI thread, which decides
            self.error = err


class Job(QObject):
    """One piece of work on its own thread; the callbacks run on the GUI thread."""

    def __init__(self, work: Callable[[Callable[[int, int], None]], Any], *, name: str = "",
                 on_progress: Callable[[int], None] | None = None,
                 on_success: Callable[[Any], None] | None = None,
                 on_failure: Callable[[BaseException], None] | None = None,
                 on_cancel: Callable[[], None] | None = None,
                 on_finished: Callable[[], None] | None = None):
        super().__init__(None)  # no parent: the job outlives a page that is closed meanwhile
        self.name = name
        self.on_progress, self.on_success, self.on_failure = on_progress, on_success, on_failure
        self.on_cancel, self.on_finished = on_cancel, on_finished
        self._cancel = threading.Event()
        self._thread = _Thread(work, self._cancel, self)
        self._thread.finished.connect(self._finish)
        self._shown = -1
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)

    def start(self) -> None:
        _RUNNING.add(self)
        app = QCoreApplication.instance()
        if app is not None and app not in _HOOKED:
            _HOOKED.append(app)
            app.aboutToQuit.connect(stop_all)
        self._timer.start()
        self._thread.start()

    def cancel(self) -> None:
        """Ask the work to stop at its next progress report (returns at once)."""
        self._cancel.set()

    def forget_callbacks(self) -> None:
        """The page that started the job is gone: cancel, and call nothing back."""
        self.on_progress = self.on_success = self.on_failure = self.on_cancel = self.on_finished = None
        self.cancel()

    @property
    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def is_running(self) -> bool:
        return self._thread.isRunning()

    def wait(self, msecs: int = -1) -> bool:
        """Block until the thread has ended (tests, shutdown); True if it did."""
        return self._thread.wait() if msecs < 0 else self._thread.wait(msecs)

    def _poll(self) -> None:
        percent = self._thread.percent
        if percent != self._shown:
            self._shown = percent
            if self.on_progress is not None:
                self.on_progress(percent)

    def _finish(self) -> None:
        self._timer.stop()
        thread = self._thread
        try:
            if thread.was_cancelled:
                if self.on_cancel is not None:
                    self.on_cancel()
            elif thread.error is not None:
                if self.on_failure is not None:
                    self.on_failure(thread.error)
                else:
                    log.error("Hintergrundaufgabe %s fehlgeschlagen", self.name, exc_info=thread.error)
            elif self.on_success is not None:
                self._poll()
                self.on_success(thread.result)
        finally:
            _RUNNING.discard(self)
            if self.on_finished is not None:
                self.on_finished()


def running_jobs() -> int:
    return len(_RUNNING)


def stop_all(timeout_ms: int = 60_000) -> None:
    """Cancel every running job and wait for its thread (the application is quitting). A job
    that does not report progress (a full check, a backup) cannot be cancelled and is waited
    for: a QThread destroyed while it runs aborts the whole process."""
    for job in list(_RUNNING):
        job.cancel()
    for job in list(_RUNNING):
        if not job.wait(timeout_ms):
            log.warning("Hintergrundaufgabe %s endet nicht", job.name or "?")
