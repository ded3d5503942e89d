"""The exchange content as an Excel workbook (openpyxl): an info sheet, the key-figure sheet
"Auswertung Zeitraum", one sheet per table and the control totals.

Amounts are numbers with a € number format, dates real dates (TT.MM.JJJJ), VZÄ decimal numbers.
AGS and receipt numbers are text cells (leading zeros stay). Free text is always stored as a text
cell, never as a formula; text that Excel would take for one is additionally marked with Excel's
own quote prefix (what typing an apostrophe does), so editing the cell keeps it text."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .atomic import write_atomically
from .document import TABLES
from .evaluation import evaluation
from .json_export import check_before_writing
from .tables import COLUMNS, OWNER_HEADER, control_rows, info_rows, needs_guard, rows

EURO_FORMAT = '#,##0.00 "€";-#,##0.00 "€"'
DATE_FORMAT = "DD.MM.YYYY"
VZA_FORMAT = "0.00#"
TEXT_FORMAT = "@"
MAX_CELL_TEXT = 32_000  # Excel's limit is 32,767 characters per cell
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # not allowed in XLSX text at all
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_WRAP = Alignment(wrap_text=True, vertical="top")

SHEET_NAMES = {
    "providers": "Träger", "persons": "Personen", "employments": "Stellenanteile",
    "funded_periods": "Förderzeiträume", "decisions": "Bescheide", "decision_versions": "Bescheidfassungen",
    "positions": "Stellen", "cost_plan_items": "Kostenpläne", "cost_categories": "Kostenarten",
    "payments": "Zahlungen", "receipts": "Belege", "pass_throughs": "Weiterleitungen",
    "pass_through_payments": "Weiterleitungszahlungen", "provider_proofs": "Nachweise der Träger",
    "key_figure_defs": "Kennzahlarten", "key_figures": "Kennzahlen", "narrative_reports": "Sachberichte",
    "third_party_funds": "Drittmittel", "settlements": "Abrechnung",
}
EVALUATION_SHEET = "Auswertung Zeitraum"


def clean_text(text: str) -> str:
    """What an XLSX cell can hold: line breaks as LF (XML turns CR LF into LF anyway, and Excel
    breaks lines in a cell at LF), other control characters except tab become U+FFFD, and text
    beyond Excel's cell limit is cut with a note."""
    text = _ILLEGAL.sub("\ufffd", text.replace("\r\n", "\n").replace("\r", "\n"))
    if len(text) > MAX_CELL_TEXT:
        text = text[:MAX_CELL_TEXT] + " … (gekürzt; vollständig in der JSON-Austauschdatei)"
    return text


def text_cell(sheet, value: str, *, font: Font | None = None, key: bool = False,
              wrap_over: int = 10**9) -> WriteOnlyCell:
    """A text cell; wrapped when it holds a line break or is longer than ``wrap_over``
    characters (its column's width), so a printout shows the whole text in the row."""
    cell = WriteOnlyCell(sheet, value=None)
    cell.value = clean_text(value)
    cell.data_type = "s"  # never a formula, never an error code such as #NV
    if key:
        cell.number_format = TEXT_FORMAT
    elif needs_guard(value):
        cell.quotePrefix = True
    if font is not None:
        cell.font = font
    if "\n" in value or len(value) > wrap_over:
        cell.alignment = _WRAP
    return cell


def value_cell(sheet, kind: str, value: Any, *, width: int = 10**9) -> WriteOnlyCell | None:
    if value is None or value == "":
        return None
    if kind in ("text", "key"):
        return text_cell(sheet, str(value), key=kind == "key", wrap_over=width)
    if kind == "bool":
        return text_cell(sheet, "ja" if value else "nein")
    cell = WriteOnlyCell(sheet)
    if kind == "int":
        cell.value = value
    elif kind == "cents":
        cell.value = Decimal(value).scaleb(-2)
        cell.number_format = EURO_FORMAT
    elif kind == "vza":
        cell.value = Decimal(value).scaleb(-3)
        cell.number_format = VZA_FORMAT
    elif kind == "date":
        cell.value = date.fromisoformat(value)
        cell.number_format = DATE_FORMAT
    else:
        raise ValueError(f"unbekannte Spaltenart {kind}")
    return cell


PAGE_WIDTH_UNITS = 150  # what A4 landscape holds at 100 %, in Excel's column-width units
MIN_PRINT_SCALE = 65  # below this a printed table is no longer readable
LINE_HEIGHT = 15  # points per text line of a row (Excel's default row is 15 pt)
MAX_ROW_HEIGHT = 409  # Excel's highest row, in points
WIDE_TEXT = {("narrative_reports", "Text"): 100}  # columns of long prose


def _print_setup(sheet, *, title_rows: str | None = None, widths: list[int] | None = None) -> None:
    """Landscape A4. A sheet that fits the page width at a readable scale is printed on one page
    width; a wider one at the smallest readable scale, its further columns on following pages
    with the header row and the first column repeated, instead of shrinking to unreadable."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = "9"  # A4
    total = sum(widths or ()) or PAGE_WIDTH_UNITS
    if total * MIN_PRINT_SCALE <= PAGE_WIDTH_UNITS * 100:
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
    else:
        sheet.page_setup.scale = MIN_PRINT_SCALE
        sheet.page_setup.pageOrder = "overThenDown"  # a row block's further columns follow at once
        sheet.print_title_cols = "A:A"
    if title_rows:
        sheet.print_title_rows = title_rows


def _lines(text: str, width: int) -> int:
    """Lines a wrapped text takes in a column ``width`` units wide, word by word as the
    spreadsheet wraps it (a generous estimate: a row that is too high looks fine, one too low
    cuts the text off; bold letters are wider)."""
    per_line = max(int(width * 0.85) - 1, 6)
    lines = 0
    for paragraph in text.split("\n"):
        used = None
        count = 1
        for word in paragraph.split():
            size = len(word)
            if used is None:
                used = size
            elif used + 1 + size <= per_line:
                used += 1 + size
                continue
            else:
                count += 1
                used = size
            while used > per_line:  # a word longer than the column is broken
                count += 1
                used -= per_line
        lines += count
    return max(lines, 1)


def _widths(sheet, widths: list[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _width_for(kind: str, header: str) -> int:
    base = {"text": 28, "key": 14, "cents": 16, "date": 12, "int": 10, "vza": 8, "bool": 7}[kind]
    return max(base, min(len(header) + 2, 40))


def _table_sheet(book: Workbook, document: Mapping[str, Any], table: str) -> None:
    sheet = book.create_sheet(SHEET_NAMES[table])
    columns = COLUMNS[table]
    widths = [14, *(WIDE_TEXT.get((table, c.header)) or _width_for(c.kind, c.header) for c in columns)]
    _widths(sheet, widths)
    sheet.freeze_panes = "C2"
    _print_setup(sheet, title_rows="1:1", widths=widths)
    headers = [OWNER_HEADER, *(c.header for c in columns)]
    sheet.row_dimensions[1].height = LINE_HEIGHT * max(_lines(h, w) for h, w in zip(headers, widths, strict=True))
    sheet.append([_header_cell(sheet, h) for h in headers])
    count = 0
    texts = [(i, w) for i, (c, w) in enumerate(zip(columns, widths[1:], strict=True)) if c.kind == "text"]
    for ags, record in rows(document, table):
        values = [c.value(record) for c in columns]
        # a row with wrapped text gets its height written: not every program recomputes it
        # (LibreOffice printed a Sachbericht cut after two lines)
        tall = [_lines(str(values[i]), w) for i, w in texts
                if isinstance(values[i], str) and (len(values[i]) > w or "\n" in values[i])]
        if tall and max(tall) > 1:
            sheet.row_dimensions[count + 2].height = min(MAX_ROW_HEIGHT, LINE_HEIGHT * max(tall))
        sheet.append([text_cell(sheet, ags, key=True),
                      *(value_cell(sheet, c.kind, v, width=w)
                        for c, v, w in zip(columns, values, widths[1:], strict=True))])
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns) + 1)}{count + 1}"


def _header_cell(sheet, text: str) -> WriteOnlyCell:
    cell = text_cell(sheet, text, font=_BOLD)
    cell.alignment = _WRAP  # a long column name wraps in its row instead of being cut
    return cell


def _info_sheet(book: Workbook, document: Mapping[str, Any]) -> None:
    sheet = book.create_sheet("Info")
    widths = [24, 90]
    _widths(sheet, widths)
    _print_setup(sheet, widths=widths)
    sheet.append([text_cell(sheet, "PaktDesk-Austauschdatei", font=_TITLE)])
    sheet.append([])
    for number, (key, value) in enumerate(info_rows(document), start=3):
        cell = text_cell(sheet, value, key=key == "AGS", wrap_over=widths[1] - 2)
        if key == "Hinweis":
            cell.font = _BOLD
            cell.alignment = _WRAP
        if key == "Hinweis" or len(value) > widths[1] - 2:
            # an explicit height: a wrapped row's automatic height is not recomputed by every
            # program (LibreOffice printed the bold note cut after two of its three lines)
            sheet.row_dimensions[number].height = LINE_HEIGHT * (_lines(value, widths[1]) + 1)
        label = text_cell(sheet, key, font=_BOLD)
        label.alignment = Alignment(vertical="top")
        sheet.append([label, cell])


def _evaluation_sheet(book: Workbook, document: Mapping[str, Any]) -> None:
    data = evaluation(document)
    sheet = book.create_sheet(EVALUATION_SHEET)
    widths = [44, *([18] * len(data.columns))]
    _widths(sheet, widths)
    _print_setup(sheet, title_rows="7:7", widths=widths)
    sheet.row_dimensions[7].height = LINE_HEIGHT * max([1, *(_lines(t, 18) for t in data.columns)])
    sheet.append([text_cell(sheet, "Auswertung Zeitraum", font=_TITLE)])
    sheet.append([text_cell(sheet, "Antragsteller", font=_BOLD), text_cell(sheet, data.owner)])
    sheet.append([text_cell(sheet, "AGS", font=_BOLD), text_cell(sheet, data.ags, key=True)])
    sheet.append([text_cell(sheet, "Zeitraum", font=_BOLD), text_cell(sheet, data.period)])
    sheet.append([text_cell(sheet, "Jahre mit Kennzahlen", font=_BOLD),
                  text_cell(sheet, ", ".join(str(y) for y in data.years) or "keine")])
    sheet.append([])
    header = [_header_cell(sheet, "Kennzahl")]
    for title in data.columns:
        cell = text_cell(sheet, title, font=_BOLD)
        cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="right")
        header.append(cell)
    sheet.append(header)
    blocks = [(f"Jahr {year}", year) for year in data.years]
    if len(data.years) > 1:
        blocks.append((f"Zeitraum insgesamt ({data.years[0]}–{data.years[-1]})", None))
    for title, year in blocks:
        sheet.append([text_cell(sheet, title, font=_BOLD)])
        group = None
        for figure in data.figures:
            if figure.group and figure.group != group:
                group = figure.group
                sheet.append([text_cell(sheet, figure.group, font=Font(italic=True))])
            line = [text_cell(sheet, ("   " if figure.group else "") + figure.label)]
            line += [value_cell(sheet, "int", data.value(year, column, figure.code))
                     for column in range(len(data.columns))]
            sheet.append(line)
        sheet.append([])


def _control_sheet(book: Workbook, document: Mapping[str, Any]) -> None:
    sheet = book.create_sheet("Kontrollsummen")
    _widths(sheet, [14, 30, 10, 18])
    _print_setup(sheet, widths=[14, 30, 10, 18])
    sheet.append([text_cell(sheet, h, font=_BOLD) for h in (OWNER_HEADER, "Tabelle", "Zeilen", "Summe (EUR)")])
    for ags, label, count, cents in control_rows(document):
        sheet.append([text_cell(sheet, ags, key=True), text_cell(sheet, label),
                      value_cell(sheet, "int", count), value_cell(sheet, "cents", cents)])


def build_workbook(document: Mapping[str, Any]) -> Workbook:
    book = Workbook(write_only=True)
    _info_sheet(book, document)
    _evaluation_sheet(book, document)
    for table in TABLES:
        _table_sheet(book, document, table)
    _control_sheet(book, document)
    return book


def write_xlsx(document: Mapping[str, Any], path: Path) -> int:
    """Check the document, then write the workbook atomically. Returns the number of sheets."""
    check_before_writing(document)
    book = build_workbook(document)
    sheets = len(book.worksheets)
    write_atomically(Path(path), book.save)
    return sheets
