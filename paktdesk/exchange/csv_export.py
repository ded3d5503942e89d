"""The exchange content as CSV for German Excel: one file per table in a ZIP archive, UTF-8 with
BOM, ``;`` between fields, CRLF line ends, decimal comma, dates TT.MM.JJJJ.

Free text that a spreadsheet would take for a formula (starting with ``= + - @``, tab or CR) is
neutralised with a leading apostrophe; numbers stay numbers and negative amounts stay negative.
Identifiers with leading zeros (AGS) are written as Excel's text notation ``="08125097"`` so that
Excel does not turn them into numbers; receipt numbers (``P-17``) are text by themselves. So is
every free text that German Excel or LibreOffice would read as a number or a date (a Kassenzeichen
``0012345678``, a payee ``0815``, a purpose ``1,5`` or ``1.5``): kept as text, not 12345678,
815, 1,5 or the 1st of May."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from ..core.money import format_cents
from ..core.periods import format_date
from ..core.validation import format_vza
from .atomic import write_atomically
from .document import TABLES
from .json_export import check_before_writing
from .tables import (
    COLUMNS,
    FILE_NAMES,
    OWNER_HEADER,
    control_rows,
    info_rows,
    neutralise,
    rows,
)

BOM = "\ufeff"
DELIMITER = ";"


def excel_text(value: str) -> str:
    """A key of digits (``08125097``) → ``="08125097"``, so Excel keeps the leading zero; other
    keys (``P-17``) are text to Excel anyway and stay as they are."""
    return f'="{value}"' if value.isascii() and value.isdigit() else value


# what a German spreadsheet takes for a number, date, time, percentage or amount when it opens a
# CSV: digits with signs, separators, "%", "€", an exponent or brackets, and nothing else
_NUMBERISH = re.compile(r"[(+\-\u2212]?\s*[0-9][0-9\s.,:/%€()eE+\-]*")


def text_cell(value: str) -> str:
    """Free text as a CSV cell: a would-be formula neutralised, a would-be number kept as text."""
    text = neutralise(value)
    if text[:1] != "'" and '"' not in text and _NUMBERISH.fullmatch(text):
        return f'="{text}"'
    return text


def unwrap_excel_text(cell: str) -> str:
    return cell[2:-1] if cell.startswith('="') and cell.endswith('"') else cell


def cell(kind: str, value: Any) -> str:
    """One value as German Excel reads it."""
    if value is None:
        return ""
    if kind == "int":
        return str(value)
    if kind == "cents":
        return format_cents(value, symbol=False)
    if kind == "vza":
        return format_vza(value)
    if kind == "date":
        return format_date(date.fromisoformat(value))
    if kind == "bool":
        return "ja" if value else "nein"
    if kind == "key":
        return excel_text(str(value))
    return text_cell(str(value))


def csv_text(header: Iterable[str], lines: Iterable[Iterable[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=DELIMITER, quotechar='"', quoting=csv.QUOTE_MINIMAL,
                        lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(lines)
    return (BOM + buffer.getvalue()).encode("utf-8")


def table_csv(document: Mapping[str, Any], table: str) -> bytes:
    columns = COLUMNS[table]
    header = [OWNER_HEADER, *(c.header for c in columns)]
    lines = ([excel_text(ags), *(cell(c.kind, c.value(record)) for c in columns)]
             for ags, record in rows(document, table))
    return csv_text(header, lines)


def archive_members(document: Mapping[str, Any]) -> list[tuple[str, bytes]]:
    """(file name, CSV bytes) in archive order."""
    members = [("00_info.csv", csv_text(["Angabe", "Wert"], (
        [key, excel_text(value) if key == "AGS" else neutralise(value)] for key, value in info_rows(document))))]
    for index, table in enumerate(TABLES, start=1):
        members.append((f"{index:02d}_{FILE_NAMES[table]}.csv", table_csv(document, table)))
    members.append(("99_kontrollsummen.csv", csv_text(
        [OWNER_HEADER, "Tabelle", "Zeilen", "Summe (EUR)"],
        ([excel_text(ags), label, str(count), "" if cents is None else format_cents(cents, symbol=False)]
         for ags, label, count, cents in control_rows(document)))))
    return members


def _timestamp(document: Mapping[str, Any]) -> tuple[int, int, int, int, int, int]:
    created = document["created_at"]
    stamp = (int(created[0:4]), int(created[5:7]), int(created[8:10]),
             int(created[11:13]), int(created[14:16]), int(created[17:19]))
    return stamp if stamp[0] >= 1980 else (1980, 1, 1, 0, 0, 0)


def write_csv_zip(document: Mapping[str, Any], path: Path) -> int:
    """Check the document, then write the ZIP of CSV files atomically. Returns the file count."""
    check_before_writing(document)
    members = archive_members(document)
    stamp = _timestamp(document)

    def write(handle) -> None:
        with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, data in members:
                info = zipfile.ZipInfo(name, date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, data)

    write_atomically(Path(path), write)
    return len(members)
