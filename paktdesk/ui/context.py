"""What every page gets: the open workspace and one Qt signal that fires after each change.

Pages never talk to each other. They call a use case on ``ctx.workspace`` (best through
:meth:`UiContext.perform`, which turns expected errors into a German message) and refresh when
``ctx.changed`` fires."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from ..core.errors import PaktDeskError
from ..workspace import Change, Workspace
from . import messages

T = TypeVar("T")


class UiContext(QObject):
    """One open Datenbestand as the window sees it."""

    changed = Signal(object)  # Change, emitted after the use case's transaction committed
    status_message = Signal(str)  # a short note for the status bar
    backups_changed = Signal(object)  # a backup's deep check ended (its result or the exception)

    def __init__(self, workspace: Workspace, *, demo: bool = False, parent: QObject | None = None):
        super().__init__(parent)
        self.workspace = workspace
        self.demo = demo
        self._counts: dict[str, int] | None = None
        workspace.subscribe(self._on_change)

    def _on_change(self, change: Change) -> None:
        self._counts = None
        self.changed.emit(change)

    def counts(self) -> dict[str, int]:
        """The record counts (status bar, Übersicht), counted once per change, not per reader."""
        if self._counts is None:
            self._counts = self.workspace.counts()
        return self._counts

    def perform(self, action: Callable[[], T], *, parent: QWidget | None = None,
                title: str = "Nicht gespeichert") -> T | None:
        """Run one use case; show an expected problem as a German message and return None.

        Unexpected exceptions are not caught here: they reach the crash handler."""
        try:
            result = action()
        except PaktDeskError as err:
            messages.warn(parent, title, str(err))
            return None
        if isinstance(result, Change):
            if result.warnings:
                messages.info(parent, "Hinweis", "\n\n".join(result.warnings))
            self.status_message.emit(f"{result.action}.")
        return result
