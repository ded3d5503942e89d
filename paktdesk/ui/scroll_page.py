"""The scaffold shared by the pages that scroll as a whole (Übersicht, Einstellungen, Export …)."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget


def scrolling_body(area: QScrollArea, *, max_width: int | None = None,
                   margins: tuple[int, int, int, int] = (20, 16, 20, 16),
                   spacing: int | None = None) -> tuple[QWidget, QVBoxLayout]:
    """Make ``area`` a frameless, resizing scroll page and return its body and column layout.
    The page adds its widgets to the layout and calls ``area.setWidget(body)`` when done."""
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    body = QWidget(area)
    if max_width is not None:
        body.setMaximumWidth(max_width)
    layout = QVBoxLayout(body)
    layout.setContentsMargins(*margins)
    if spacing is not None:
        layout.setSpacing(spacing)
    return body, layout
