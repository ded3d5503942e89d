"""Messages at the fields of a form: a red frame around the field, the German text right below it,
every wrong field of the form at once, and each message gone as soon as its field is valid.

A field takes part by being :meth:`FieldMessages.watch`-ed under the name the domain uses in
``ValidationError.field``. Fields that can judge their own text (dates, amounts, VZÄ) have a
``problem()`` method (the message, or None) that never changes the text, so it can run while
the clerk types; other fields lose their message on the first edit, since only the domain can
tell whether the new value is right."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QTextEdit,
    QWidget,
)

from ...core.errors import ValidationError

MESSAGE_STYLE = "color: #b3261e;"
FRAME_STYLE = "border: 2px solid #b3261e; border-radius: 3px;"


@dataclass
class _Entry:
    widget: QWidget
    label: QLabel
    check: Callable[[], str | None] | None
    form: QFormLayout | None = None  # the form whose row holds ``label``, if any
    showing: bool = False


class MessageLabel(QLabel):
    """A wrapping label as tall as its text needs at the width it really has (a plain wrapping
    QLabel asks for a narrow guess, three lines high, and left gaps in the form)."""

    companion: QWidget | None = None  # the field above: its width is the label's width

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        hint = super().sizeHint()
        width = max(self.width(), self.companion.width() if self.companion is not None else 0, hint.width())
        return QSize(hint.width(), self.heightForWidth(width) if self.text() else 0)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(0, self.sizeHint().height())


def message_label(parent: QWidget) -> QLabel:
    """The red text below a field; it keeps its room once shown, so the form does not jump
    while messages come and go."""
    label = MessageLabel(parent)
    label.setStyleSheet(MESSAGE_STYLE)
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    label.hide()
    return label


def _field_at(form: QFormLayout, row: int) -> QWidget | None:
    item = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
    return item.widget() if item is not None else None


def _row_of(form: QFormLayout, widget: QWidget) -> int:
    """The form row holding ``widget``, itself or inside a row's box."""
    for row in range(form.rowCount()):
        field = _field_at(form, row)
        if field is not None and (field is widget or field.isAncestorOf(widget)):
            return row
    raise ValueError("widget is not in the form")


def own_problem(widget: QWidget) -> Callable[[], str | None] | None:
    """The field's own check, if it has one (``problem()`` of the date, amount and VZÄ fields)."""
    problem = getattr(widget, "problem", None)
    return problem if callable(problem) else None


def changed_signal(widget: QWidget):
    """The signal that fires when the clerk changes ``widget``'s value, or None."""
    if isinstance(widget, QLineEdit):
        return widget.textChanged
    if isinstance(widget, (QPlainTextEdit, QTextEdit)):
        return widget.textChanged
    if isinstance(widget, QComboBox):
        return widget.currentTextChanged if widget.isEditable() else widget.currentIndexChanged
    if isinstance(widget, QAbstractSpinBox):
        return getattr(widget, "valueChanged", widget.editingFinished)
    if isinstance(widget, QCheckBox):
        return widget.toggled
    return None


class FieldMessages(QObject):
    """The messages of one form. ``general`` shows what belongs to no field."""

    def __init__(self, owner: QWidget, general: QLabel):
        super().__init__(owner)
        self.owner = owner
        self.general = general
        self.entries: dict[str, _Entry] = {}

    # --- building --------------------------------------------------------------------------------
    def watch(self, name: str, widget: QWidget, label: QLabel, *,
              check: Callable[[], str | None] | None = None, also: tuple[str, ...] = (),
              form: QFormLayout | None = None) -> None:
        """Show messages for ``name`` (and the domain's other names in ``also``) at ``widget``, in
        ``label`` (placed by the caller right below the field)."""
        entry = _Entry(widget, label, check if check is not None else own_problem(widget), form)
        if isinstance(label, MessageLabel):
            label.companion = widget
        for key in (name, *also):
            self.entries[key] = entry
        signal = changed_signal(widget)
        if signal is not None:
            signal.connect(lambda *_args, e=entry: self._recheck(e))

    def watch_form_row(self, form: QFormLayout, name: str, widget: QWidget, **kwargs) -> QLabel:
        """A message row right below ``widget``'s row in ``form``; hidden until first needed."""
        label = message_label(self.owner)
        row = _row_of(form, widget)
        labels = {entry.label for entry in self.entries.values()}
        while row + 1 < form.rowCount() and _field_at(form, row + 1) in labels:
            row += 1  # after the messages already below this row (two fields in one row)
        form.insertRow(row + 1, "", label)
        form.setRowVisible(label, False)
        self.watch(name, widget, label, form=form, **kwargs)
        return label

    # --- showing ---------------------------------------------------------------------------------
    def _unique(self) -> list[_Entry]:
        seen: list[_Entry] = []
        for entry in self.entries.values():
            if not any(entry is other for other in seen):
                seen.append(entry)
        return seen

    def set(self, name: str, text: str) -> bool:
        """Show ``text`` at the field called ``name``; False if there is no such field."""
        entry = self.entries.get(name or "")
        if entry is None or entry.widget.isHidden():
            return False
        entry.showing = True
        entry.label.setText(text)
        entry.label.setAccessibleName(f"Fehler: {text}")
        entry.label.show()
        entry.label.updateGeometry()
        if entry.form is not None:
            entry.form.setRowVisible(entry.label, True)
        entry.widget.setProperty("fieldError", True)
        entry.widget.setStyleSheet(FRAME_STYLE)
        entry.widget.setAccessibleDescription(text)  # a screen reader reads it with the field
        return True

    def show_error(self, err: ValidationError | str, field: str | None = None) -> QWidget | None:
        """Show one refusal at its field (or in the general line); the field to focus, if any."""
        text = err.message if isinstance(err, ValidationError) else str(err)
        name = err.field if isinstance(err, ValidationError) and field is None else field
        if name and self.set(name, text):
            return self.entries[name].widget
        self.general.setText(text)
        self.general.show()
        return None

    def clear(self) -> None:
        for entry in self._unique():
            self._clear_entry(entry)
        self.general.clear()
        self.general.hide()

    def _clear_entry(self, entry: _Entry) -> None:
        if not entry.showing:
            return
        entry.showing = False
        entry.label.setText(" ")  # keeps its line (no jump); the text is gone
        entry.label.setAccessibleName("")
        entry.widget.setProperty("fieldError", False)
        entry.widget.setStyleSheet("")
        entry.widget.setAccessibleDescription("")

    def recheck(self, name: str) -> None:
        """Look at ``name`` again after its value was set by the program (signals blocked)."""
        entry = self.entries.get(name)
        if entry is not None:
            self._recheck(entry)

    def _recheck(self, entry: _Entry) -> None:
        """After an edit: the message goes once the value is valid (or at once, where only the
        domain can judge)."""
        if not entry.showing:
            return
        problem = entry.check() if entry.check is not None else None
        if problem is None:
            self._clear_entry(entry)
        else:
            entry.label.setText(problem)

    def check_all(self) -> list[QWidget]:
        """Show every field's own problem at once; the fields in error, in the order watched."""
        wrong: list[QWidget] = []
        for entry in self._unique():
            if entry.check is None or not entry.widget.isEnabled():
                continue
            problem = entry.check()
            if problem is not None:
                name = next(k for k, e in self.entries.items() if e is entry)
                self.set(name, problem)
                wrong.append(entry.widget)
        return wrong

    def message(self, name: str) -> str:
        """The message shown at ``name`` ("" if none): for tests and screen readers."""
        entry = self.entries.get(name)
        return entry.label.text() if entry is not None and entry.showing else ""

    def texts(self) -> list[str]:
        """Every message shown: at the fields in their order, then the general one."""
        shown = [entry.label.text() for entry in self._unique() if entry.showing]
        return shown + ([self.general.text()] if self.general.text() else [])

    def wrong_fields(self) -> list[QWidget]:
        return [entry.widget for entry in self._unique() if entry.showing]


def focus_field(widget: QWidget) -> None:
    """Put the cursor into ``widget`` with its text selected, so the correction replaces it."""
    widget.setFocus(Qt.FocusReason.OtherFocusReason)
    if isinstance(widget, QLineEdit):
        widget.selectAll()
    elif isinstance(widget, QAbstractSpinBox):
        widget.selectAll()
    elif isinstance(widget, QComboBox) and widget.isEditable() and widget.lineEdit() is not None:
        widget.lineEdit().selectAll()
