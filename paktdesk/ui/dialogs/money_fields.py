"""Input fields for money forms: German dates and amounts typed as text (fast by keyboard), a
helper that makes Enter move to the next field, and the money dialogs' form base.

A field reads its value with ``value()``, which raises :class:`ValidationError` with a German
message naming the field; the dialog shows it and puts the cursor into that field."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from ...core.digits import refuse_foreign_digits
from ...core.errors import ValidationError
from ...core.money import format_cents, parse_cents
from ...core.periods import format_date
from .form_base import FieldFormDialog

_SHORT = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})?\s*$", re.ASCII)


def parse_ui_date(text: str, *, label: str, today: date | None = None) -> date:
    """``05.03.2023``, ``5.3.23`` (20xx) or ``5.3.`` (this year) → date; German message otherwise."""
    refuse_foreign_digits(text, what=label)
    match = _SHORT.match(text or "")
    if match:
        year_text = match.group(3)
        year = (today or date.today()).year if not year_text else int(year_text)
        if year_text and len(year_text) == 2:
            year += 2000
        try:
            return date(year, int(match.group(2)), int(match.group(1)))
        except ValueError:
            pass
    elif re.fullmatch(r"\s*\d{4}-\d{2}-\d{2}\s*", text or "", re.ASCII):
        try:
            return date.fromisoformat(text.strip())
        except ValueError:
            pass
    raise ValidationError(f"{label}: „{text}“ ist kein gültiges Datum. Bitte TT.MM.JJJJ eingeben.")


class DateField(QLineEdit):
    """A date typed as TT.MM.JJJJ; optional fields may stay empty (``value()`` → None)."""

    def __init__(self, label: str, *, optional: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.label = label
        self.optional = optional
        self.setPlaceholderText("TT.MM.JJJJ" + (" (optional)" if optional else ""))
        self.setMaximumWidth(130)
        self.setAccessibleName(label)

    def set_value(self, value: date | None) -> None:
        self.setText(format_date(value))

    def value(self) -> date | None:
        if not self.text().strip():
            if self.optional:
                return None
            raise ValidationError(f"Bitte {self.label} angeben.")
        day = parse_ui_date(self.text(), label=self.label)
        self.setText(format_date(day))
        return day

    def problem(self) -> str | None:
        """What is wrong with the text (None if nothing), without touching it."""
        if not self.text().strip():
            return None if self.optional else f"Bitte {self.label} angeben."
        try:
            parse_ui_date(self.text(), label=self.label)
        except ValidationError as err:
            return _without_label(str(err), self.label)  # the field's own label stands beside it
        return None

    def value_or_none(self) -> date | None:
        """The date if the text is one, else None (for live previews; never raises)."""
        try:
            return parse_ui_date(self.text(), label=self.label) if self.text().strip() else None
        except ValidationError:
            return None


class MoneyField(QLineEdit):
    """An amount typed the German way (``1.234,56``); shown formatted after leaving the field."""

    def __init__(self, label: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.label = label
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setPlaceholderText("0,00 €")
        self.setMaximumWidth(160)
        self.setAccessibleName(label)
        self.editingFinished.connect(self._tidy)

    def set_value(self, cents: int | None) -> None:
        self.setText("" if cents is None else format_cents(cents))

    def value(self) -> int:
        if not self.text().strip():
            raise ValidationError(f"Bitte „{self.label}“ angeben.")
        try:
            return parse_cents(self.text())
        except ValidationError as err:
            raise ValidationError(f"{self.label}: {err}") from None

    def value_or_none(self) -> int | None:
        try:
            return self.value() if self.text().strip() else None
        except ValidationError:
            return None

    def problem(self) -> str | None:
        """What is wrong with the amount as typed (None if it reads), without touching it."""
        try:
            self.value()
        except ValidationError as err:
            return _without_label(str(err), self.label)
        return None

    def _tidy(self) -> None:
        cents = self.value_or_none()
        if cents is not None:
            self.setText(format_cents(cents))


def _without_label(message: str, label: str) -> str:
    """ "Betrag: „12,3.4“ ist kein gültiger Betrag …" → "„12,3.4“ ist kein gültiger Betrag …"."""
    prefix = f"{label}: "
    return message[len(prefix):] if message.startswith(prefix) else message


def fill_combo(combo: QComboBox, items: Sequence[tuple[str, object]], *, keep: object = None) -> None:
    """Replace a combo's entries with (text, data) pairs, keeping the current choice if possible."""
    current = combo.currentData() if keep is None else keep
    combo.blockSignals(True)
    combo.clear()
    for text, data in items:
        combo.addItem(text, data)
    index = combo.findData(current)
    combo.setCurrentIndex(index if index >= 0 else (0 if items else -1))
    combo.blockSignals(False)


def select_data(combo: QComboBox, data: object) -> None:
    index = combo.findData(data)
    if index >= 0:
        combo.setCurrentIndex(index)


class EnterMovesOn(QObject):
    """Return/Enter in one of ``fields`` moves to the next one; in the last it calls ``finish``.
    A combo box with an open list keeps Enter for itself (it picks the entry)."""

    def __init__(self, fields: Sequence[QWidget], finish: Callable[[], None], parent: QObject | None = None):
        super().__init__(parent)
        self.fields = list(fields)
        self.finish = finish
        for field in self.fields:
            field.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) \
                and not (event.modifiers() & Qt.KeyboardModifier.ShiftModifier):
            if isinstance(watched, QComboBox) and watched.view().isVisible():
                return False
            if isinstance(watched, QLineEdit):
                watched.editingFinished.emit()  # what Return would have done had we let it through
            index = self.fields.index(watched)
            if index == len(self.fields) - 1:
                self.finish()
            else:
                target = self.fields[index + 1]
                target.setFocus(Qt.FocusReason.TabFocusReason)
                if isinstance(target, QLineEdit):
                    target.selectAll()
            return True
        return False


class FormDialog(FieldFormDialog):
    """A titled form with Speichern/Abbrechen. Subclasses implement :meth:`save` (call the use case
    through :meth:`run` and return the Change, or None to stay open)."""

    def __init__(self, ctx, title: str, *, intro: str = "", parent: QWidget | None = None):
        super().__init__(ctx, title, parent, intro=intro)
        self.change = None
        self.buttons.accepted.connect(self._save_clicked)

    def _save_clicked(self) -> None:
        if not self.save_button.isEnabled():
            return
        self.save_button.setEnabled(False)
        try:
            if not self.check_fields():
                return
            try:
                change = self.save()
            except ValidationError as err:  # a field could not be read
                self.show_refusal(err)
                return
            if change is not None:
                self.change = change
                self.accept()
        finally:
            self.save_button.setEnabled(True)

    def save(self):  # pragma: no cover - abstract
        raise NotImplementedError
