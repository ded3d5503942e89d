"""Only the digits 0–9 count as digits in what a clerk types.

Python's ``int()`` and a regex ``\\d`` also accept Arabic-Indic (``٣``), full-width (``３``) and other
scripts' digits, so "３００,００" would become 300 € without the clerk seeing what was stored; every
parser of typed amounts, dates and numbers refuses them first."""

from __future__ import annotations

from .errors import ValidationError


def has_foreign_digits(text: str | None) -> bool:
    return any(ch.isdigit() and not "0" <= ch <= "9" for ch in text or "")


def refuse_foreign_digits(text: str | None, *, what: str = "", field: str | None = None) -> None:
    """Raise a German :class:`ValidationError` if ``text`` holds digits other than 0–9; ``what``
    (the field's label) leads the message when given."""
    if has_foreign_digits(text):
        lead = f"{what}: " if what else ""
        raise ValidationError(
            f"{lead}„{text}“ enthält Ziffern einer anderen Schrift (z. B. arabische oder breite Ziffern). "
            "Bitte nur die Ziffern 0 bis 9 verwenden.", field=field)
