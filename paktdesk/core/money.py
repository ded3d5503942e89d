"""Money as integer cents: German parsing and formatting, commercial rounding, fair splits.

The one place where the rules for amounts are stated. Everything that shows an amount (tables,
PDFs, exports) formats it with :func:`format_cents`, so a figure looks the same everywhere.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

from .digits import refuse_foreign_digits
from .errors import ValidationError

_GROUPED = re.compile(r"^[+-]?\d{1,3}(\.\d{3})*(,\d{1,2})?$", re.ASCII)
_PLAIN = re.compile(r"^[+-]?\d+(,\d{1,2})?$", re.ASCII)


def format_cents(cents: int, *, symbol: bool = True) -> str:
    """``123456`` → ``"1.234,56 €"``; negative amounts keep a leading minus."""
    if not isinstance(cents, int) or isinstance(cents, bool):
        raise TypeError(f"Betrag muss ganze Cent sein, nicht {type(cents).__name__}")
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    text = f"{sign}{euros:,}".replace(",", ".") + f",{rest:02d}"
    return f"{text} €" if symbol else text


def parse_cents(text: str, *, field: str | None = None) -> int:
    """Parse what a clerk types: ``"1.234,56 €"``, ``"1234,5"``, ``"-12"`` → cents.

    Dots group thousands, the comma separates cents (at most two digits). Anything else raises a
    :class:`ValidationError` that says how to write the amount.
    """
    refuse_foreign_digits(text, field=field)
    raw = (text or "").strip().replace("\u00a0", " ").replace("€", "").replace("EUR", "").strip()
    raw = raw.replace(" ", "")
    if not raw or not (_GROUPED.match(raw) or _PLAIN.match(raw)):
        raise ValidationError(
            f"„{text}“ ist kein gültiger Betrag. Bitte so eingeben: 1.234,56", field=field
        )
    negative = raw.startswith("-")
    raw = raw.lstrip("+-").replace(".", "")
    euros, _, cents = raw.partition(",")
    value = int(euros) * 100 + int((cents + "00")[:2])
    return -value if negative else value


def round_half_up(value: Fraction | Decimal | int) -> int:
    """Commercial rounding to a whole number: 2.5 → 3, -2.5 → -3 (not Python's half-to-even)."""
    if isinstance(value, int):
        return value
    if isinstance(value, Fraction):
        sign = -1 if value < 0 else 1
        magnitude = abs(value)
        whole, remainder = divmod(magnitude.numerator, magnitude.denominator)
        if 2 * remainder >= magnitude.denominator:
            whole += 1
        return sign * whole
    try:
        return int(Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    except InvalidOperation as err:
        raise ValueError(f"kein Zahlenwert: {value!r}") from err


def split_cents(total: int, weights: list[int]) -> list[int]:
    """Split ``total`` cents in proportion to ``weights`` so the parts add up exactly.

    Largest-remainder method: each part gets its floor, the cents left over go to the largest
    remainders (ties to the earlier part).
    """
    if not weights:
        raise ValueError("keine Anteile angegeben")
    if any(w < 0 for w in weights) or sum(weights) == 0:
        raise ValueError("Anteile müssen nicht negativ sein und dürfen nicht alle null sein")
    sign = -1 if total < 0 else 1
    magnitude = abs(total)
    weight_sum = sum(weights)
    floors = [magnitude * w // weight_sum for w in weights]
    remainders = [magnitude * w % weight_sum for w in weights]
    left = magnitude - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], i))
    for i in order[:left]:
        floors[i] += 1
    return [sign * part for part in floors]
