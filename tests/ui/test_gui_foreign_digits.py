"""Issue 17: digits of other scripts typed into the window's amount and date fields are refused
with a German message (they used to be stored as if they were 0–9)."""

from __future__ import annotations

import pytest

from paktdesk.core.errors import ValidationError
from paktdesk.ui.dialogs.money_fields import DateField, MoneyField


@pytest.mark.parametrize("typed", ["３００,００", "٣٠٠", "1.２34,56"])
def test_the_amount_field_refuses_other_scripts_digits(qtbot, typed):
    field = MoneyField("Betrag")
    qtbot.addWidget(field)
    field.setFocus()
    field.insert(typed)  # as pasted or typed with an Arabic or Japanese keyboard layout (QTest types ASCII only)
    field.editingFinished.emit()  # what leaving the field does (tidies a valid amount)
    assert field.text() == typed  # not tidied into an amount
    with pytest.raises(ValidationError) as caught:
        field.value()
    assert str(caught.value).startswith("Betrag: „") and "Ziffern 0 bis 9" in str(caught.value)


@pytest.mark.parametrize("typed", ["٠١.٠٧.٢٠٢٣", "０１.０７.２０２３"])
def test_the_date_field_refuses_other_scripts_digits(qtbot, typed):
    field = DateField("Belegdatum")
    qtbot.addWidget(field)
    field.insert(typed)
    with pytest.raises(ValidationError, match="Ziffern 0 bis 9"):
        field.value()


def test_plain_digits_still_work(qtbot):
    field = MoneyField("Betrag")
    qtbot.addWidget(field)
    qtbot.keyClicks(field, "1234,5")
    field.editingFinished.emit()  # what leaving the field does (tidies a valid amount)
    assert field.value() == 123450 and field.text() == "1.234,50 €"
