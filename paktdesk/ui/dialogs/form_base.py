"""The one base of PaktDesk's form dialogs: intro, a form whose labels carry an Alt key and name
their field for screen readers, messages at the fields, Speichern/Abbrechen, and the keyboard
behaviour of :mod:`dialog_keys`.

``form.FormDialog`` (register) and ``money_fields.FormDialog`` (money) differ only in how a save
reaches the workspace; everything a clerk sees and presses is here."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ...core.errors import PaktDeskError, ValidationError
from .. import messages
from .dialog_keys import KeyboardDialog
from .field_messages import MESSAGE_STYLE, FieldMessages, focus_field, own_problem
from .mnemonics import Mnemonics, plain_label

T = TypeVar("T")


def focusable_parts(widget: QWidget) -> list[QWidget]:
    """``widget`` itself if Tab can reach it, else its reachable children (a row of two fields)."""
    if widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
        return [widget]
    return [child for child in widget.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
            if child.focusPolicy() & Qt.FocusPolicy.TabFocus]


class FieldFormDialog(KeyboardDialog):
    """A titled form. Rows are added with :meth:`add_row`; a refusal is shown with
    :meth:`show_refusal`; :meth:`check_fields` shows every field's own problem at once."""

    def __init__(self, ctx, title: str, parent: QWidget | None = None, *, intro: str = "",
                 save_text: str = "&Speichern"):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(title)
        self.setModal(True)
        self.fields: dict[str, QWidget] = {}
        self._rows: list[QWidget] = []
        self.mnemonics = Mnemonics()

        self.layout_ = QVBoxLayout(self)
        self.layout_.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)  # grow for messages
        if intro:
            self.intro_label = QLabel(intro, self)
            self.intro_label.setWordWrap(True)
            self.layout_.addWidget(self.intro_label)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.layout_.addLayout(self.form)
        self.info_label = QLabel(self)
        self.info_label.setWordWrap(True)
        self.info_label.setObjectName("formInfo")
        self.info_label.setStyleSheet("#formInfo { color: palette(placeholder-text); }")
        self.layout_.addWidget(self.info_label)
        self.error_label = QLabel(self)
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(MESSAGE_STYLE)
        self.error_label.setAccessibleName("Fehlermeldung")
        self.error_label.hide()
        self.layout_.addWidget(self.error_label)
        self.messages = FieldMessages(self, self.error_label)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(self.mnemonics.label(save_text))
        self.save_button.setDefault(True)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setText("Abbrechen")
        self.cancel_button.setToolTip("Esc")
        self.buttons.rejected.connect(self.reject)
        self.layout_.addWidget(self.buttons)
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self.save_button.click)
        QShortcut(QKeySequence("Ctrl+S"), self, activated=self.save_button.click)
        if ctx.workspace.read_only:
            self.save_button.setEnabled(False)
            self.save_button.setToolTip("Die Datei ist schreibgeschützt geöffnet.")

    # --- building --------------------------------------------------------------------------------
    def add_row(self, label: str, widget: QWidget, *, name: str | None = None,
                check: Callable[[], str | None] | None = None, also: tuple[str, ...] = ()) -> QWidget:
        """A row: a label with an Alt key for ``widget`` (its buddy, and its accessible name), and
        below it the place for its message (``name``: the domain's name of the field)."""
        text = self.mnemonics.label(label)
        caption = QLabel(text, self)
        parts = focusable_parts(widget)
        if parts:
            caption.setBuddy(parts[0])
        for part in parts or [widget]:
            if not part.accessibleName():
                part.setAccessibleName(plain_label(label))
        self.form.addRow(caption, widget)
        self._rows.append(widget)
        if name:
            self.fields[name] = widget
            self.messages.watch_form_row(self.form, name, widget, check=check or own_problem(widget), also=also)
        return widget

    def text_field(self, name: str, label: str, *, placeholder: str = "", text: str = "") -> QLineEdit:
        edit = QLineEdit(text, self)
        edit.setPlaceholderText(placeholder)
        return self.add_row(label, edit, name=name)

    def notes_field(self, name: str, label: str, text: str = "") -> QPlainTextEdit:
        edit = QPlainTextEdit(text, self)
        edit.setTabChangesFocus(True)
        edit.setFixedHeight(edit.fontMetrics().height() * 4)
        return self.add_row(label, edit, name=name)

    def field_order(self) -> list[QWidget]:
        """The form's inputs row by row, as shown (rows added with ``form.addRow`` included)."""
        order: list[QWidget] = []
        for row in range(self.form.rowCount()):
            for role in (QFormLayout.ItemRole.SpanningRole, QFormLayout.ItemRole.FieldRole):
                item = self.form.itemAt(row, role)
                if item is None:
                    continue
                widgets = [item.widget()] if item.widget() is not None else \
                    [item.layout().itemAt(n).widget() for n in range(item.layout().count())] if item.layout() else []
                for widget in widgets:
                    if widget is not None:
                        order.extend(focusable_parts(widget))
        return order

    def button_order(self) -> list[QWidget]:
        buttons = [b for b in self.buttons.buttons() if b.isVisible() or not b.isHidden()]
        return sorted(buttons, key=lambda b: b.mapTo(self, QPoint(0, 0)).x())

    # --- messages --------------------------------------------------------------------------------
    def clear_messages(self) -> None:
        self.messages.clear()

    def check_fields(self) -> bool:
        """Show every wrong field at once and put the cursor into the first; True if none."""
        self.messages.clear()
        wrong = self.messages.check_all()
        if wrong:
            focus_field(wrong[0])
            self._grow()
        return not wrong

    def show_refusal(self, err: PaktDeskError) -> None:
        """The use case said no: the message at its field (cursor there) or below the form."""
        if isinstance(err, ValidationError):
            widget = self.messages.show_error(err)
        else:
            widget = self.messages.show_error(str(err), None)
        if widget is not None:
            focus_field(widget)
        self._grow()

    def run(self, action: Callable[[], T]) -> T | None:
        """Run one use case; an expected refusal is shown in the dialog and gives None."""
        try:
            result = action()
        except PaktDeskError as err:
            self.show_refusal(err)
            return None
        warnings = getattr(result, "warnings", None)
        if warnings:
            messages.info(self, "Hinweis", "\n\n".join(warnings))
        action_text = getattr(result, "action", None)
        if action_text:
            self.ctx.status_message.emit(f"{action_text}.")
        return result

    def _grow(self) -> None:
        """Make room for messages that wrap (Qt does not resize a shown dialog by itself)."""
        self.layout_.activate()
        needed = self.sizeHint().height()
        if needed > self.height():
            self.resize(self.width(), needed)
