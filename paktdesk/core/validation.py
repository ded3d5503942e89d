"""Checks of single values a clerk enters. Each returns the cleaned value or raises
:class:`ValidationError` with a German message that says what to fix."""

from __future__ import annotations

import re
from datetime import date

from .errors import ValidationError
from .periods import format_date

VZA_MIN_MILLI = 250  # default minimum share; the rule set may state another
VZA_MAX_MILLI = 1000

_AGS = re.compile(r"^\d{8}$", re.ASCII)  # \d alone also matches "８" and other scripts
_IBAN = re.compile(r"^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$", re.ASCII)
_IBAN_LENGTHS = {"DE": 22, "AT": 20, "CH": 21, "FR": 27, "LU": 20, "NL": 18, "BE": 16, "IT": 27}


def require_text(value: str | None, *, label: str, field: str, max_length: int = 500) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError(f"Bitte {label} angeben.", field=field)
    if len(text) > max_length:
        raise ValidationError(f"{label} ist zu lang (höchstens {max_length} Zeichen).", field=field)
    return text


def optional_text(value: str | None, *, label: str, field: str, max_length: int = 5000) -> str:
    text = (value or "").strip()
    if len(text) > max_length:
        raise ValidationError(f"{label} ist zu lang (höchstens {max_length} Zeichen).", field=field)
    return text


def check_ags(value: str, *, field: str = "ags") -> tuple[str, list[str]]:
    """Amtlicher Gemeindeschlüssel: exactly 8 digits. Returns the key and warnings
    (a key outside Baden-Württemberg, i.e. not starting with 08, is allowed with a warning)."""
    ags = (value or "").replace(" ", "").strip()
    if not _AGS.match(ags):
        raise ValidationError(
            f"Der Amtliche Gemeindeschlüssel „{value}“ muss genau 8 Ziffern haben, "
            "z. B. 08111000 für Stuttgart.",
            field=field,
        )
    warnings = []
    if not ags.startswith("08"):
        warnings.append(
            f"Der Gemeindeschlüssel {ags} liegt nicht in Baden-Württemberg (beginnt nicht mit 08)."
        )
    return ags, warnings


def normalize_iban(value: str) -> str:
    return (value or "").replace(" ", "").replace("-", "").upper()


def iban_check_ok(iban: str) -> bool:
    """ISO 13616 check digits (mod 97 = 1)."""
    rearranged = iban[4:] + iban[:4]
    digits = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(digits) % 97 == 1


def check_iban(value: str, *, field: str = "iban") -> str:
    """Returns the IBAN without spaces, upper case; an empty value stays empty."""
    iban = normalize_iban(value)
    if not iban:
        return ""
    expected = _IBAN_LENGTHS.get(iban[:2])
    if not _IBAN.match(iban) or (expected and len(iban) != expected):
        raise ValidationError(
            f"„{value}“ ist keine gültige IBAN. Eine deutsche IBAN hat 22 Zeichen: "
            "DE, zwei Prüfziffern und 18 Ziffern.",
            field=field,
        )
    if not iban_check_ok(iban):
        raise ValidationError(
            f"Die Prüfziffern der IBAN „{format_iban(iban)}“ stimmen nicht. "
            "Bitte die IBAN mit dem Kontoauszug vergleichen.",
            field=field,
        )
    return iban


def format_iban(iban: str) -> str:
    iban = normalize_iban(iban)
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))


def parse_vza(text: str | float | int, *, field: str = "vza") -> int:
    """VZÄ as typed ("0,5", "0.75", "1") → thousandths (500, 750, 1000)."""
    raw = str(text).strip().replace(",", ".")
    match = re.fullmatch(r"(\d+)(?:\.(\d{1,3}))?", raw, re.ASCII)
    if not match:
        raise ValidationError(
            f"„{text}“ ist kein gültiger Stellenanteil (VZÄ). Bitte z. B. 0,5 eingeben.", field=field
        )
    return int(match.group(1)) * 1000 + int((match.group(2) or "").ljust(3, "0"))


def format_vza(milli: int) -> str:
    """500 → "0,50"; 1000 → "1,00"; 333 → "0,333"."""
    whole, rest = divmod(milli, 1000)
    text = f"{whole},{rest:03d}"
    return text[:-1] if text.endswith("0") else text


def check_vza(milli: int, *, minimum: int = VZA_MIN_MILLI, field: str = "vza") -> int:
    if milli < minimum or milli > VZA_MAX_MILLI:
        raise ValidationError(
            f"Der Stellenanteil {format_vza(milli)} VZÄ ist nicht zulässig: "
            f"mindestens {format_vza(minimum)}, höchstens {format_vza(VZA_MAX_MILLI)} VZÄ.",
            field=field,
        )
    return milli


def check_date_order(start: date, end: date | None, *, field: str = "end") -> None:
    """``end`` is the inclusive last day as the clerk enters it; None = open-ended."""
    if end is not None and end < start:
        raise ValidationError(
            f"Das Ende ({format_date(end)}) liegt vor dem Beginn ({format_date(start)}).",
            field=field,
        )


def check_amount(cents: int, *, label: str = "Der Betrag", field: str = "amount",
                 allow_negative: bool = False, allow_zero: bool = False) -> int:
    if not isinstance(cents, int) or isinstance(cents, bool):
        raise ValidationError(f"{label} muss in ganzen Cent angegeben sein.", field=field)
    if cents < 0 and not allow_negative:
        raise ValidationError(f"{label} darf nicht negativ sein.", field=field)
    if cents == 0 and not allow_zero:
        raise ValidationError(f"{label} darf nicht 0,00 € sein.", field=field)
    return cents
