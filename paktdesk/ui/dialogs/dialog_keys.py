"""How every dialog behaves at the keyboard, stated once.

- It opens with the cursor in its first field: a clerk starts typing at once, and the first word
  must not go to a button (the space bar would press it).
- No button becomes "auto default" by taking the focus: Enter saves through the one default
  button, Space presses only a button the clerk tabbed to on purpose.
- Tab walks the fields in the order they are shown, then the buttons.
- Esc (or Abbrechen, or the window's ✕) asks before typed input is thrown away."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDialog,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTextEdit,
    QWidget,
)

from .. import messages

DISCARD_TITLE = "Eingaben verwerfen?"
DISCARD_TEXT = "Die Eingaben in diesem Fenster sind noch nicht gespeichert. Wirklich schließen und verwerfen?"


def no_auto_default(dialog: QDialog) -> None:
    """Only the dialog's default button answers Enter; focus never makes another one default."""
    for button in dialog.findChildren(QPushButton):
        button.setAutoDefault(False)


def chain_tab_order(widgets: Sequence[QWidget]) -> None:
    """Tab goes through ``widgets`` in this order (the visual one, as the caller lists it)."""
    focusable = [w for w in widgets if w is not None and w.focusPolicy() & Qt.FocusPolicy.TabFocus]
    for first, second in zip(focusable, focusable[1:]):
        QWidget.setTabOrder(first, second)


def input_widgets(dialog: QWidget) -> list[QWidget]:
    """The inputs whose values a clerk could have typed or chosen."""
    kinds = (QLineEdit, QPlainTextEdit, QTextEdit, QComboBox, QAbstractSpinBox, QCheckBox, QRadioButton)
    found = [w for w in dialog.findChildren(QWidget) if isinstance(w, kinds)]
    # a combo's or spin box's own line edit is part of it, not an input of its own
    return [w for w in found if not (isinstance(w, QLineEdit) and isinstance(w.parentWidget(), kinds))]


def input_state(dialog: QWidget) -> tuple:
    """What the inputs hold now, to tell later whether the clerk changed anything."""
    values: list[object] = []
    for widget in input_widgets(dialog):
        if isinstance(widget, QLineEdit):
            values.append(widget.text())
        elif isinstance(widget, (QPlainTextEdit, QTextEdit)):
            values.append(widget.toPlainText())
        elif isinstance(widget, QComboBox):
            values.append((widget.currentIndex(), widget.currentText()))
        elif isinstance(widget, QAbstractSpinBox):
            values.append(widget.text())
        elif isinstance(widget, QAbstractButton):
            values.append(widget.isChecked())
    return tuple(values)


def confirm_discard(parent: QWidget) -> bool:
    """Ask whether typed input may be thrown away; the safe answer (No) is the default."""
    return messages.confirm(parent, DISCARD_TITLE, DISCARD_TEXT)


def first_input(widgets: Iterable[QWidget]) -> QWidget | None:
    for widget in widgets:
        if widget is not None and widget.isEnabled() and not widget.isHidden() \
                and widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            return widget
    return None


class KeyboardDialog(QDialog):
    """A QDialog with the behaviour above. Subclasses list their fields in visual order in
    :meth:`field_order` (default: none, then only the buttons are chained) and may call
    :meth:`mark_clean` after they stored something and stay open."""

    _clean_state: tuple | None = None
    _shown_once = False
    initial_focus: QWidget | None = None  # where the cursor starts, if not the first field

    def field_order(self) -> list[QWidget]:
        return []

    def button_order(self) -> list[QWidget]:
        return []

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            no_auto_default(self)
            fields = self.field_order()
            chain_tab_order([*fields, *self.button_order()])
            first = first_input([self.initial_focus, *fields])
            if first is not None:
                first.setFocus(Qt.FocusReason.TabFocusReason)
                if isinstance(first, QLineEdit):
                    first.selectAll()
            self.mark_clean()

    def mark_clean(self) -> None:
        """The inputs as they are now count as "nothing typed" (Esc closes without asking)."""
        self._clean_state = input_state(self)

    def has_typed_input(self) -> bool:
        return self._clean_state is not None and input_state(self) != self._clean_state

    def reject(self) -> None:
        if self.has_typed_input() and not confirm_discard(self):
            return
        super().reject()
