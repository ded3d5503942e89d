"""The base of the register's dialogs: a form, German buttons, and bad input shown beside the
field the domain named, with nothing saved until the use case accepted everything.

Fields are plain line edits for dates and VZÄ ("01.07.2023", "0,5"): fastest to type, and the
domain's parsers give the German message."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from ...core.errors import PaktDeskError, ValidationError
from ...core.periods import format_date, parse_date
from ...core.validation import format_vza, parse_vza
from ..context import UiContext
from .form_base import FieldFormDialog


class _ParsedField(QLineEdit):
    """A line edit whose ``value()`` parses its text; ``problem()`` is the German message of a
    text that does not parse (None when it does), for the message at the field while typing."""

    def value(self):
        raise NotImplementedError

    def problem(self) -> str | None:
        try:
            self.value()
        except ValidationError as err:
            return err.message
        return None


class DateField(_ParsedField):
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


class VzaField(_ParsedField):
    def __init__(self, name: str = "vza", parent: QWidget | None = None):
        super().__init__(parent)
        self.name = name
        self.setPlaceholderText("z. B. 0,5")
        self.setMaxLength(6)

    def value(self) -> int:
        return parse_vza(self.text(), field=self.name)

    def set_value(self, milli: int) -> None:
        self.setText(format_vza(milli))


class IntField(_ParsedField):
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


class FormDialog(FieldFormDialog):
    """A dialog with a form; :meth:`submit` stores (raising ValidationError on bad input).

    Enter saves, Esc cancels (asking first if something was typed); every wrong field gets a red
    frame and its message below it, and the first one the cursor."""

    def __init__(self, ctx: UiContext, title: str, parent: QWidget | None = None, *, intro: str = "",
                 save_text: str = "&Speichern"):
        super().__init__(ctx, title, parent, intro=intro, save_text=save_text)
        self.result_change = None
        self._busy = False
        self.buttons.accepted.connect(self.try_save)

    def submit(self):  # pragma: no cover - overridden
        raise NotImplementedError

    def try_save(self) -> bool:
        """Store through the use case; on bad input show the messages and keep the dialog open."""
        if self._busy or not self.save_button.isEnabled():
            return False  # a double click on Save must not store twice
        self._busy = True
        try:
            if not self.check_fields():
                return False
            try:
                self.result_change = self.submit()
            except PaktDeskError as err:
                self.show_refusal(err)
                return False
        finally:
            self._busy = False
        self.accept()
        return True
