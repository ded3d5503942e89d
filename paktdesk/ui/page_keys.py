"""Shortcuts of a page inside the main window.

Qt treats two enabled window-wide shortcuts with the same keys as ambiguous and fires neither,
even when one of them sits on a hidden tab: after the clerk had opened a second page with
Strg+N, Strg+N did nothing anywhere. Keys every list page shares (Strg+N) are therefore one
action of the window that asks the current page (:func:`new_button_of`); keys a page keeps
for itself (F2, Entf, Strg+S) only count while the focus is inside that page."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractButton, QWidget


def page_shortcut(page: QWidget, keys: QKeySequence | QKeySequence.StandardKey | str,
                  slot: Callable[[], object]) -> QShortcut:
    """A shortcut that fires only while the focus is in ``page`` (or one of its children)."""
    shortcut = QShortcut(QKeySequence(keys), page)
    shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    shortcut.activated.connect(slot)
    return shortcut


def new_button_of(page: QWidget | None) -> QAbstractButton | None:
    """The page's "Neu …" button (its public ``new_button``), if it has one."""
    button = getattr(page, "new_button", None)
    return button if isinstance(button, QAbstractButton) else None
