"""The base of the register's dialogs: a form, German buttons, and bad input shown beside the
field the domain named, with nothing saved until the use case accepted everything.

Fields are plain line edits for dates and VZÄ ("01.07.2023", "0,5"): fastest to type, and the
domain's parsers give the German message."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ...core.errors import PaktDeskError, ValidationError
from ...core.periods import format_date, parse_date
from ...core.validation import format_vza, parse_vza
from ..context import UiContext

ERROR_STYLE = "color: #b3261e;"
ERROR_FIELD_STYLE = "border: 2px solid #b3261e; border-radius: 3px;"


class DateField(QLineEdit):
    """A date typed as TT.MM.JJJJ; empty means "none" where the field is optional."""

    def __init__(self, name: str, *, required: bool = True, parent: QWidget | None = None):
        super().__init__(parent)
        self.name = name
        self.required = required
        self.setPlaceholderText("TT.MM.JJJJ" + ("" if required else " (leer lassen, wenn offen)"))
        self.setMaxLength(10)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("00.00.0000") + 40)

    def value(self) -> date | None:
        text = self.text().strip()
        if not text:
            if self.required:
                raise ValidationError("Bitte ein Datum eingeben (TT.MM.JJJJ).", field=self.name)
            return None
        return parse_date(text, field=self.name)

    def set_value(self, day: date | None) -> None:
        self.setText(format_date(day))


class VzaField(QLineEdit):
    def __init__(self, name: str = "vza", parent: QWidget | None = None):
        super().__init__(parent)
        self.name = name
        self.setPlaceholderText("z. B. 0,5")
        self.setMaxLength(6)

    def value(self) -> int:
        return parse_vza(self.text(), field=self.name)

    def set_value(self, milli: int) -> None:
        self.setText(format_vza(milli))


class IntField(QLineEdit):
    def __init__(self, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.name = name
        self.setMaxLength(6)

    def value(self) -> int:
        text = self.text().strip() or "0"
        if not text.isdigit():
            raise ValidationError(f"„{self.text()}“ ist keine ganze Zahl.", field=self.name)
        return int(text)


def combo_value(combo: QComboBox):
    return combo.currentData()


def select_data(combo: QComboBox, value) -> None:
    index = combo.findData(value)
    if index >= 0:
        combo.setCurrentIndex(index)


class FormDialog(QDialog):
    """A dialog with a form; :meth:`submit` stores (raising ValidationError on bad input).

    Enter saves, Esc cancels; the first wrong field gets the focus and a red frame."""

    def __init__(self, ctx: UiContext, title: str, parent: QWidget | None = None, *, intro: str = "",
                 save_text: str = "Speichern"):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(title)
        self.setModal(True)
        self.fields: dict[str, QWidget] = {}
        self.result_change = None
        self._busy = False

        self.layout_ = QVBoxLayout(self)
        if intro:
            self.intro_label = QLabel(intro, self)
            self.intro_label.setWordWrap(True)
            self.layout_.addWidget(self.intro_label)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.layout_.addLayout(self.form)
        self.error_label = QLabel(self)
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setAccessibleName("Fehlermeldung")
        self.error_label.hide()
        self.layout_.addWidget(self.error_label)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(save_text)
        self.save_button.setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Abbrechen")
        self.buttons.accepted.connect(self.try_save)
        self.buttons.rejected.connect(self.reject)
        self.layout_.addWidget(self.buttons)
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self.try_save)
        QShortcut(QKeySequence("Ctrl+S"), self, activated=self.try_save)
        if ctx.workspace.read_only:
            self.save_button.setEnabled(False)
            self.save_button.setToolTip("Die Datei ist schreibgeschützt geöffnet.")

    def add_row(self, label: str, widget: QWidget, *, name: str | None = None) -> QWidget:
        self.form.addRow(label, widget)
        if name:
            self.fields[name] = widget
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

    # --- saving --------------------------------------------------------------------------------
    def submit(self):  # pragma: no cover - overridden
        raise NotImplementedError

    def try_save(self) -> bool:
        """Store through the use case; on bad input show the message and keep the dialog open."""
        if self._busy or not self.save_button.isEnabled():
            return False  # a double click on Save must not store twice
        self._busy = True
        self.clear_error()
        try:
            self.result_change = self.submit()
        except ValidationError as err:
            self.show_error(err.message, err.field)
            return False
        except PaktDeskError as err:
            self.show_error(str(err), None)
            return False
        finally:
            self._busy = False
        self.accept()
        return True

    def clear_error(self) -> None:
        self.error_label.clear()
        self.error_label.hide()
        for widget in self.fields.values():
            widget.setStyleSheet("")

    def show_error(self, text: str, field: str | None) -> None:
        self.error_label.setText(text)
        self.error_label.show()
        widget = self.fields.get(field or "")
        if widget is not None:
            widget.setStyleSheet(ERROR_FIELD_STYLE)
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
            if isinstance(widget, QLineEdit):
                widget.selectAll()
