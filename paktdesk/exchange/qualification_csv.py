"""The Qualifikationsübersicht as CSV for German Excel: UTF-8 with BOM, ``;`` as separator,
dates as TT.MM.JJJJ, VZÄ with a decimal comma, and free text protected against formulas."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

from ..core.periods import format_date
from ..core.validation import format_vza
from .ics import write

HEADER = ["Name", "Träger", "VZÄ", "Kategorie", "Status", "Frist", "Ausgeschieden", "Hinweise"]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    """A free-text cell that Excel must not read as a formula gets a leading apostrophe."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def render(rows: Iterable) -> bytes:
    """``rows``: objects with the fields of ``workspace.people.QualificationRow``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow([safe_text(row.name), safe_text(row.provider), format_vza(row.vza_milli), row.category,
                         str(row.status), format_date(row.deadline), format_date(row.ended_on),
                         safe_text(row.notes)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def export(path: Path, rows: Iterable) -> None:
    write(Path(path), render(rows))
