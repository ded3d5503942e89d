"""Work that reads the Datenbestand at length (an export, its preview, the Kreis's overview) on a
worker thread (:class:`..workers.Job`), through its own read-only connection: the window's
connection belongs to the GUI thread. Whatever writes (the export's audit entry, an import)
happens afterwards on the GUI thread through the window's workspace.

With ``progress`` a window-modal busy dialog appears when the work takes a moment; without, the
page shows its own "wird berechnet" state and stays usable. Cancelling (the page closes, the
program quits) stops the running query, so a long read at Kreis scale ends at once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog, QWidget

from ..core.errors import PaktDeskError
from .workers import Cancelled, Job

if TYPE_CHECKING:
    from ..workspace import Workspace

SHOW_AFTER_MS = 300  # a quick job ends before its dialog would flash up


class Reading:
    """``work`` on a read-only workspace of ``path`` opened on the worker thread; interruptible."""

    def __init__(self, path: Path, work: Callable[[Workspace], Any]):
        self.path = Path(path)
        self.work = work
        self._stopped = False

    def __call__(self) -> Any:
        from ..workspace import Workspace

        if self._stopped:
            raise Cancelled()
        reader = Workspace.open(self.path, read_only=True)
        reader.stop_reading_when(lambda: self._stopped)
        try:
            return self.work(reader)
        except Exception:
            if self._stopped:  # a query was stopped on purpose
                raise Cancelled() from None
            raise
        finally:
            reader.close()

    def interrupt(self) -> None:
        """Called on the GUI thread: the running query (and any later one) ends at once."""
        self._stopped = True  # a plain bool: setting it is atomic


def reading(path: Path, work: Callable[[Workspace], Any]) -> Reading:
    return Reading(path, work)


class _ReadJob(Job):
    def __init__(self, work: Callable[[], Any], **kwargs):
        super().__init__(lambda _report: work(), **kwargs)
        self._interrupt = getattr(work, "interrupt", None)

    def cancel(self) -> None:
        super().cancel()
        if self._interrupt is not None:
            self._interrupt()


def start(page: QWidget, work: Callable[[], Any], *, name: str,
          on_success: Callable[[Any], None], on_failure: Callable[[PaktDeskError], None],
          on_finished: Callable[[], None] | None = None, progress: tuple[str, str] | None = None) -> Job:
    """Run ``work`` (best a :class:`Reading`) on a worker. ``on_failure`` gets the project's own
    errors (German message); anything else is raised on the GUI thread for the crash handler.
    ``progress`` is a dialog's (title, text). Once ``page`` is gone the work is interrupted and
    nothing is called back."""
    dialog = None
    if progress is not None:
        dialog = QProgressDialog(progress[1], "", 0, 0, page)
        dialog.setWindowTitle(progress[0])
        dialog.setCancelButton(None)  # the file is written atomically; nothing to tear in half
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumWidth(420)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumDuration(SHOW_AFTER_MS)
        dialog.setValue(0)  # starts the timer that shows it after SHOW_AFTER_MS

    def close_dialog() -> None:
        nonlocal dialog
        if dialog is not None:
            dialog.reset()  # stops its timer: it must not appear after the work is done
            dialog.close()
            dialog.deleteLater()
            dialog = None

    def succeeded(result: Any) -> None:
        close_dialog()  # before anything the result opens (a message, a preview dialog)
        ctx = getattr(page, "ctx", None)
        if ctx is not None and ctx.workspace.is_closed:
            return  # the file was closed meanwhile: nothing left to show the result in
        on_success(result)

    def failed(error: BaseException) -> None:
        close_dialog()
        if not isinstance(error, PaktDeskError):
            raise error
        on_failure(error)

    def finished() -> None:
        page.destroyed.disconnect(job.forget_callbacks)
        close_dialog()
        if on_finished is not None:
            on_finished()

    job = _ReadJob(work, name=name, on_success=succeeded, on_failure=failed, on_finished=finished)
    page.destroyed.connect(job.forget_callbacks)  # another file opened: the page goes, its work stops
    job.start()
    return job
