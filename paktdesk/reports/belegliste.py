"""Belegliste: the receipts of one cost category, numbered and in date order, in landscape.

Page breaks are computed here, not left to reportlab: each page gets its own table with the
header, an "Übertrag" row carrying the sum of the previous pages, the page's receipts and at
the foot either the running sum to carry on or the list's total. Row heights are measured the
way reportlab's Table measures them and passed to it explicitly, so what we plan is what prints.
A receipt too long for one page (a pasted essay as purpose) continues on extra rows."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from reportlab.platypus import Flowable, PageBreak, Paragraph, Table

from ..core.money import format_cents
from ..core.periods import format_date
from .fonts import BOLD, text_width
from .layout import (
    CARRY_FILL,
    LANDSCAPE,
    SUM_FILL,
    clean_text,
    escape_text,
    frame_size,
    grid_style,
    para,
    styles,
)
from .model import ReceiptList

FONT_SIZE = 8
LEADING = 10
PAD_X = 3
PAD_Y = 2.5
HEADER = ["Lfd.", "Datum", "Beleg-Nr.", "Bezahlt am", "HH-Jahr", "Empfänger", "Zweck", "Person", "Betrag"]
# fixed column widths in points; "Zweck" takes the rest of the landscape frame
_FIXED = {0: 34, 1: 52, 2: 56, 3: 58, 4: 44, 5: 160, 7: 105, 8: 78}
TEXT_COLUMNS = (5, 6, 7)
AMOUNT_COLUMN = 8
_FUZZ = 0.5  # points kept free on every page against rounding
CARRY_OUT = "Übertrag auf die nächste Seite"
CARRY_IN = "Übertrag von der vorigen Seite"


def column_widths() -> list[float]:
    width, _ = frame_size(LANDSCAPE)
    rest = width - sum(_FIXED.values())
    return [_FIXED.get(i, rest) for i in range(len(HEADER))]


@dataclass(slots=True)
class _Row:
    cells: list
    height: float
    amount: int  # cents this row adds to the running sum (0 on continuation rows)


def _line_height(lines: int = 1) -> float:
    return LEADING * lines + 2 * PAD_Y


def _text_cell(text: str, width: float) -> tuple[object, float]:
    """A plain string when it fits on one line, otherwise a wrapped Paragraph; with its height."""
    value = clean_text(text)
    inner = width - 2 * PAD_X
    if "\n" not in value and text_width(value, FONT_SIZE) <= inner:
        return value, _line_height()
    paragraph = Paragraph(escape_text(value), styles()["cell"])
    _, height = paragraph.wrap(inner, 1e6)
    return paragraph, height + 2 * PAD_Y


def _split_tall(cells: list, heights: list[float], widths: list[float], limit: float) -> list[list]:
    """Cut the text cells of a row taller than ``limit`` into parts that each fit ``limit``."""
    parts_per_column: dict[int, list] = {}
    inner_limit = limit - 2 * PAD_Y
    for column in TEXT_COLUMNS:
        cell = cells[column]
        if not isinstance(cell, Paragraph) or heights[column] <= limit:
            parts_per_column[column] = [cell]
            continue
        parts, rest = [], cell
        inner = widths[column] - 2 * PAD_X
        while True:
            _, height = rest.wrap(inner, 1e6)
            if height <= inner_limit:
                parts.append(rest)
                break
            pieces = rest.split(inner, inner_limit)
            if len(pieces) < 2:  # cannot split further (should not happen with splitLongWords)
                parts.append(rest)
                break
            parts.append(pieces[0])
            rest = pieces[1]
        parts_per_column[column] = parts
    count = max(len(p) for p in parts_per_column.values())
    rows = []
    for index in range(count):
        row = list(cells) if index == 0 else [""] * len(cells)
        if index > 0:
            row[2] = "(Forts.)"
        for column, parts in parts_per_column.items():
            row[column] = parts[index] if index < len(parts) else ""
        rows.append(row)
    return rows


def _cell_height(cell: object, width: float) -> float:
    if isinstance(cell, Paragraph):
        _, height = cell.wrap(width - 2 * PAD_X, 1e6)
        return height + 2 * PAD_Y
    return _line_height(len(str(cell).split("\n")) if cell else 1)


def body_rows(receipts: ReceiptList, *, row_limit: float) -> Iterator[_Row]:
    """The receipts as table rows with measured heights, numbered 1…n in the given order."""
    widths = column_widths()
    for index, line in enumerate(receipts.lines, start=1):
        cells: list = [
            str(index),
            format_date(line.receipt_date),
            clean_text(line.number),
            format_date(line.paid_on) if line.paid_on else "",
            str(line.budget_year) if line.budget_year else "",
            None, None, None,
            format_cents(line.amount_cents),
        ]
        heights = [_line_height()] * len(cells)
        for column, text in zip(TEXT_COLUMNS, (line.payee, line.purpose, line.person), strict=True):
            cells[column], heights[column] = _text_cell(text, widths[column])
        height = max(heights)
        if height <= row_limit:
            yield _Row(cells, height, line.amount_cents)
            continue
        for part_index, part in enumerate(_split_tall(cells, heights, widths, row_limit)):
            part_height = max(_cell_height(c, w) for c, w in zip(part, widths, strict=True))
            yield _Row(part, part_height, line.amount_cents if part_index == 0 else 0)


def _label_row(label: str, cents: int) -> list:
    return [label, "", "", "", "", "", "", "", format_cents(cents)]


def _page_table(rows: list[list], heights: list[float], *, carry_in: bool, foot_label: str) -> Table:
    table = Table(rows, colWidths=column_widths(), rowHeights=heights, repeatRows=0, hAlign="LEFT")
    last = len(rows) - 1
    extra: list[tuple] = [
        ("SPAN", (0, last), (AMOUNT_COLUMN - 1, last)),
        ("FONT", (0, last), (-1, last), BOLD, FONT_SIZE, LEADING),
        ("BACKGROUND", (0, last), (-1, last), SUM_FILL if foot_label.startswith("Summe") else CARRY_FILL),
        ("ALIGN", (0, last), (AMOUNT_COLUMN - 1, last), "RIGHT"),
        ("ALIGN", (0, 1), (0, last), "RIGHT"),
        ("LINEABOVE", (0, last), (-1, last), 1.0, "black"),
    ]
    if carry_in:
        extra += [
            ("SPAN", (0, 1), (AMOUNT_COLUMN - 1, 1)),
            ("FONT", (0, 1), (-1, 1), BOLD, FONT_SIZE, LEADING),
            ("BACKGROUND", (0, 1), (-1, 1), CARRY_FILL),
            ("ALIGN", (0, 1), (AMOUNT_COLUMN - 1, 1), "RIGHT"),
        ]
    table.setStyle(grid_style(font_size=FONT_SIZE, leading=LEADING, right_columns=(AMOUNT_COLUMN,),
                              extra=extra))
    return table


def receipt_list_story(receipts: ReceiptList, *, heading: Sequence[Flowable],
                       first_page_height: float | None = None) -> list[Flowable]:
    """Flowables for one Belegliste, starting at the top of a fresh landscape page.

    ``heading`` (title lines) is placed above the first page's table; ``first_page_height``
    overrides the room left on that first page (for tests)."""
    width, frame_height = frame_size(LANDSCAPE)
    heading_height = sum(_flowable_height(f, width) for f in heading)
    header_height = _line_height()
    label_height = _line_height()
    page_room = frame_height - _FUZZ
    first_room = (first_page_height if first_page_height is not None else page_room) - heading_height
    row_limit = page_room - header_height - 2 * label_height

    story: list[Flowable] = list(heading)
    rows: list[list] = [HEADER]
    heights: list[float] = [header_height]
    room = first_room - header_height - label_height  # keep room for the foot row
    running = 0
    carry_in = False
    any_row = False

    def flush(label: str) -> None:
        rows.append(_label_row(label, running))
        heights.append(label_height)
        story.append(_page_table(rows, heights, carry_in=carry_in, foot_label=label))

    for row in body_rows(receipts, row_limit=row_limit):
        if row.height > room and any_row:
            flush(CARRY_OUT)
            story.append(PageBreak())
            rows, heights = [HEADER, _label_row(CARRY_IN, running)], [header_height, label_height]
            carry_in = True
            room = page_room - header_height - 2 * label_height
            any_row = False
        rows.append(row.cells)
        heights.append(row.height)
        room -= row.height
        running += row.amount
        any_row = True
    if not receipts.lines:
        rows.append(["", "", "", "", "", "Keine Belege in dieser Kostenart.", "", "", ""])
        heights.append(_line_height())
    flush(f"Summe {receipts.label}")
    return story


def _flowable_height(flowable: Flowable, width: float) -> float:
    _, height = flowable.wrap(width, 1e6)
    return height + flowable.getSpaceBefore() + flowable.getSpaceAfter()


def heading_for(receipts: ReceiptList, context: str) -> list[Flowable]:
    st = styles()
    count = len(receipts.lines)
    return [
        para(f"Belegliste {receipts.list_kind}: {receipts.label}", st["h1"]),
        para(f"{context} · {count} {'Beleg' if count == 1 else 'Belege'}, nach Datum geordnet", st["small"]),
    ]


__all__ = ["HEADER", "body_rows", "column_widths", "heading_for", "receipt_list_story"]
