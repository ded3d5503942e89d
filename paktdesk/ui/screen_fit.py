"""Windows no larger than the screen they open on, frame included: on a 1366×768 laptop (728 pixels
above the Windows taskbar) the main window hid its status bar and the Bescheid dialog (1020×760)
its buttons. ``KeepOnScreen`` (installed by ``app.create_application``) does it for every dialog
when it is shown, so a dialog's own preferred size may stay generous for large screens."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QSize, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QWidget

# Title bar and borders, unknown until the window manager has framed the window (Windows 10/11 at
# 100 %: about 8 + 31 pixels)
FRAME_ALLOWANCE = QSize(16, 40)


def room_for(widget: QWidget) -> QRect | None:
    """The part of the widget's screen that windows may use (without the taskbar)."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else None


def shrink_to_screen(widget: QWidget) -> None:
    """Before showing: at most the screen's room less the frame the window will get."""
    room = room_for(widget)
    if room is None or widget.isMaximized() or widget.isFullScreen():
        return
    width = max(widget.minimumWidth(), min(widget.width(), room.width() - FRAME_ALLOWANCE.width()))
    height = max(widget.minimumHeight(), min(widget.height(), room.height() - FRAME_ALLOWANCE.height()))
    if (width, height) != (widget.width(), widget.height()):
        widget.resize(width, height)


def keep_on_screen(widget: QWidget) -> None:
    """Once shown and framed: shrink it if the frame does not fit, and move all of it onto the screen."""
    room = room_for(widget)
    if room is None or widget.isMaximized() or widget.isFullScreen() or not widget.isVisible():
        return
    frame = widget.frameGeometry()
    extra = QSize(frame.width() - widget.width(), frame.height() - widget.height())
    if frame.width() > room.width() or frame.height() > room.height():
        widget.resize(min(widget.width(), room.width() - extra.width()),
                      min(widget.height(), room.height() - extra.height()))
        frame = widget.frameGeometry()
    left = min(max(frame.left(), room.left()), room.right() + 1 - frame.width())
    top = min(max(frame.top(), room.top()), room.bottom() + 1 - frame.height())
    if (left, top) != (frame.left(), frame.top()):
        widget.move(left, top)


class KeepOnScreen(QObject):
    """Application event filter: every dialog fits its screen when it is shown."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Show and isinstance(watched, QDialog) and watched.isWindow():
            shrink_to_screen(watched)
            QTimer.singleShot(0, watched, lambda: keep_on_screen(watched))
        return False
