"""Belegliste: the receipts of one cost category, numbered and in date order, in landscape.

The list is planned here page by page and each page is drawn straight onto the canvas by one
flowable (:mod:`.belegliste_page`), not through platypus tables: the column layout is fixed,
cell texts are measured with the font's widths and wrapped into lines, and a row's height is its
tallest cell. Every page gets the header row, an "Übertrag" row carrying the sum of the previous
pages (from page 2 on), its receipts and at the foot either the running sum to carry on or the
list's total. A row is never split between pages; only a receipt taller than a whole page (a
pasted essay as purpose; on the list's first page: taller than the room under the heading)
continues on rows marked "(Forts.)", its amount counted once, on its first row. The running head
and "Seite X von Y" stay with the document's page template, as on every other page of the
package, so the page count is right across the whole document."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date

from reportlab.lib.rl_accel import escapePDF as escape
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, PageBreak

from ..core.money import format_cents
from ..core.periods import format_date
from .belegliste_page import (
    AMOUNT_COLUMN,
    CARRY_IN,
    FONT_SIZE,
    HEADER,
    LEADING,
    PAD_X,
    PAD_Y,
    BeleglistePage,
    PageRow,
    PlainRows,
    escape_printable,
)
from .fonts import REGULAR, register_fonts
from .layout import LANDSCAPE, clean_text, frame_size, para, styles
from .model import ReceiptList
from .pdf_text import ShapeWidths

# fixed column widths in points; "Zweck" takes the rest of the landscape frame
_FIXED = {0: 34, 1: 52, 2: 56, 3: 58, 4: 44, 5: 160, 7: 105, 8: 78}
TEXT_COLUMNS = (2, 5, 6, 7)  # user text, wrapped within the column
NUMBER_COLUMN = 2
_FUZZ = 0.5  # points kept free on every page against rounding
_MIN_SPLIT_LINES = 3  # a receipt taller than a page starts on the current page if this many lines fit
CARRY_OUT = "Übertrag auf die nächste Seite"
CONTINUED = "(Forts.)"
EMPTY = "Keine Belege in dieser Kostenart."


def column_widths() -> list[float]:
    width, _ = frame_size(LANDSCAPE)
    rest = width - sum(_FIXED.values())
    return [_FIXED.get(i, rest) for i in range(len(HEADER))]


def row_height(lines: int) -> float:
    return LEADING * max(lines, 1) + 2 * PAD_Y


# -- wrapping ---------------------------------------------------------------------------------

class _Wrapper:
    """Greedy word wrap in the list's font; words wider than the column are broken between
    characters, so nothing is ever cut off. Whitespace runs print as one space."""

    def __init__(self) -> None:
        register_fonts()
        self._width = self.measure = pdfmetrics.getFont(REGULAR).stringWidth
        self._space = self._width(" ", FONT_SIZE)

    def lines(self, text: str, width: float) -> list[str]:
        measure, size = self._width, FONT_SIZE
        out: list[str] = []
        for paragraph in text.split("\n"):
            words = paragraph.split()
            if not words:
                out.append("")
                continue
            line, used = "", 0.0
            for word in words:
                word_width = measure(word, size)
                if line and used + self._space + word_width <= width:
                    line, used = f"{line} {word}", used + self._space + word_width
                    continue
                if line:
                    out.append(line)
                if word_width <= width:
                    line, used = word, word_width
                    continue
                pieces = self._break_word(word, width)
                out.extend(pieces[:-1])
                line, used = pieces[-1], measure(pieces[-1], size)
            out.append(line)
        while out and not out[-1]:
            out.pop()
        while out and not out[0]:
            out.pop(0)
        return out

    def _break_word(self, word: str, width: float) -> list[str]:
        pieces, start = [], 0
        measure, size = self._width, FONT_SIZE
        while start < len(word):
            end = start + 1  # at least one character per line
            while end < len(word) and measure(word[start:end + 1], size) <= width:
                end += 1
            pieces.append(word[start:end])
            start = end
        return pieces


# -- rows -------------------------------------------------------------------------------------

def _latin1(text: str) -> bool:
    """Whether all characters of ``text`` are Latin-1 (ASCII, umlauts, "ß", "é" …)."""
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


def receipt_rows(receipts: ReceiptList) -> Iterator[PageRow]:
    """The receipts as rows of wrapped cells, numbered 1…n in the given order, with their text
    operators set (:class:`PlainRows`; printable text: ASCII, umlauts, "ß", "é" …). A row of one
    line per cell, the common case, takes the shortest way."""
    widths = column_widths()
    inner = [width - 2 * PAD_X for width in widths]
    wrapper = _Wrapper()
    measure = wrapper.measure
    widest = max(measure(chr(code), FONT_SIZE) for code in (*range(32, 127), *range(160, 256)))
    fits = [int(width // widest) for width in inner]  # Latin-1 characters that surely fit
    plain, joined = PlainRows(widths).operators, PlainRows.cell
    shaped = ShapeWidths(REGULAR, FONT_SIZE)
    single = row_height(1)
    dates: dict[date | None, tuple[str, list[str]]] = {None: ("", [])}

    def day(value: date | None) -> tuple[str, list[str]]:
        found = dates.get(value)
        if found is None:
            text = format_date(value)
            found = dates[value] = (text, [text])
        return found

    def one_line(text: str, column: int) -> bool:  # printable Latin-1
        return len(text) <= fits[column] or shaped(text) <= inner[column]

    def one_line_any(text: str, column: int) -> bool:  # any printable text
        return (len(text) <= fits[column] and _latin1(text)) or shaped(text) <= inner[column]

    def cell(text: str, column: int) -> list[str]:
        # printable text that fits on one line is drawn as it is
        if isinstance(text, str) and text.isprintable() and one_line_any(text, column):
            return [text] if text else []
        return wrapper.lines(clean_text(text), inner[column])

    for index, line in enumerate(receipts.lines, start=1):
        received, received_cell = dates.get(line.receipt_date) or day(line.receipt_date)
        paid, paid_cell = dates.get(line.paid_on) or day(line.paid_on)
        year = str(line.budget_year) if line.budget_year else ""
        amount = format_cents(line.amount_cents)
        number, payee, purpose, person = line.number, line.payee, line.purpose, line.person
        try:
            texts = number + payee + purpose + person
        except TypeError:  # not all text: the careful way below
            texts = "\n"
        ascii_only = texts.isascii()
        fits_line = one_line if ascii_only or _latin1(texts) else one_line_any
        if (texts.isprintable() and fits_line(number, 2) and fits_line(payee, 5) and fits_line(purpose, 6)
                and fits_line(person, 7) and amount.endswith(" €")):
            count = str(index)
            cells = [[count], received_cell, [number] if number else [], paid_cell, [year] if year else [],
                     [payee] if payee else [], [purpose] if purpose else [], [person] if person else [], [amount]]
            start, tail = plain(count, received, number, paid, year, payee, purpose, person, amount,
                                escaped="(" not in texts and ")" not in texts and "\\" not in texts,
                                ascii_only=ascii_only)
            yield PageRow(cells, single, start, tail, 1, line.amount_cents)
            continue
        number, payee, purpose, person = cell(number, 2), cell(payee, 5), cell(purpose, 6), cell(person, 7)
        count = str(index)
        cells = [[count], received_cell, number, paid_cell, [year] if year else [], payee, purpose, person, [amount]]
        lines = max(len(number), len(payee), len(purpose), len(person), 1)
        start, tail = 0.0, None
        texts = "".join(number) + "".join(payee) + "".join(purpose) + "".join(person)
        if texts.isprintable() and amount.endswith(" €"):  # drawn from operators set here, too
            if "(" in texts or ")" in texts or "\\" in texts:
                quote = escape if texts.isascii() else escape_printable
                number, payee, purpose, person = ([quote(text) for text in texts_of]
                                                  for texts_of in (number, payee, purpose, person))
            start, tail = plain(count, received, joined(number), paid, year, joined(payee), joined(purpose),
                                joined(person), amount, escaped=True)
        yield PageRow(cells, row_height(lines), start, tail, lines, line.amount_cents)


def _part(receipt: PageRow, start: int, count: int) -> PageRow:
    """Lines ``start … start+count`` of a receipt taller than a page, as one row."""
    cells: list[list[str]] = [[] for _ in receipt.cells]
    for column in TEXT_COLUMNS:
        cells[column] = receipt.cells[column][start:start + count]
    if start == 0:
        for column, value in enumerate(receipt.cells):
            if column not in TEXT_COLUMNS:
                cells[column] = value
    else:
        cells[NUMBER_COLUMN] = [CONTINUED, *cells[NUMBER_COLUMN]]
    lines = max([len(cells[c]) for c in TEXT_COLUMNS] + [1])
    return PageRow(cells, row_height(lines), lines=lines)


# -- the page plan ----------------------------------------------------------------------------

def plan_pages(receipts: ReceiptList, *, heading: Sequence[Flowable] = (),
               first_page_height: float | None = None) -> list[BeleglistePage]:
    """The list's pages, each a flowable the size of what it draws.

    ``heading`` (title lines) is drawn above the first page's table; ``first_page_height``
    overrides the room on that first page (for tests)."""
    width, frame_height = frame_size(LANDSCAPE)
    widths = column_widths()
    page_room = frame_height - _FUZZ
    heading = list(heading)
    heading_height = BeleglistePage.heading_height(heading, width)
    label = row_height(1)
    first_room = (first_page_height if first_page_height is not None else page_room) - heading_height
    fresh_room = page_room - 2 * label - label  # header, Übertrag, foot
    lines_per_page = int((fresh_room - 2 * PAD_Y) // LEADING)

    pages: list[BeleglistePage] = []
    rows: list[PageRow] = []
    room = first_room - 2 * label  # header and foot
    running = 0
    carry_in: int | None = None
    encoders: dict = {}  # one text encoder per font, shared by the pages

    def close(foot: str) -> None:
        pages.append(BeleglistePage(widths, rows, carry_in=carry_in, foot_label=foot, foot_cents=running,
                                    heading=heading if not pages else [], encoders=encoders))

    def new_page() -> None:
        nonlocal rows, room, carry_in
        close(CARRY_OUT)
        rows, room, carry_in = [], fresh_room, running

    for receipt in receipt_rows(receipts):
        height = receipt.height
        if height <= fresh_room:  # fits on a fresh page: never split
            if height > room and rows:
                new_page()
            if height <= room:
                rows.append(receipt)
                room -= height
                running += receipt.amount
                continue
        # taller than a whole page: it continues over as many rows as it needs
        start = 0
        while start < receipt.lines:
            fit = int((room - 2 * PAD_Y) // LEADING)
            if fit < min(_MIN_SPLIT_LINES, receipt.lines - start) and rows:
                new_page()
                fit = lines_per_page
            count = max(1, min(fit, receipt.lines - start))
            part = _part(receipt, start, count)
            rows.append(part)
            room -= part.height
            if start == 0:
                running += receipt.amount
            start += count
    if not receipts.lines:
        cells: list[list[str]] = [[] for _ in HEADER]
        cells[5] = [EMPTY]
        rows.append(PageRow(cells, row_height(1)))
    close(f"Summe {receipts.label}")
    return pages


def receipt_list_story(receipts: ReceiptList, *, heading: Sequence[Flowable],
                       first_page_height: float | None = None) -> list[Flowable]:
    """Flowables for one Belegliste, starting at the top of a fresh landscape page: one
    flowable per page with page breaks between them."""
    story: list[Flowable] = []
    for page in plan_pages(receipts, heading=heading, first_page_height=first_page_height):
        if story:
            story.append(PageBreak())
        story.append(page)
    return story


def heading_for(receipts: ReceiptList, context: str) -> list[Flowable]:
    st = styles()
    count = len(receipts.lines)
    return [
        para(f"Belegliste {receipts.list_kind}: {receipts.label}", st["h1"]),
        para(f"{context} · {count} {'Beleg' if count == 1 else 'Belege'}, nach Datum geordnet", st["small"]),
    ]


__all__ = ["AMOUNT_COLUMN", "CARRY_IN", "HEADER", "column_widths", "heading_for", "plan_pages", "receipt_list_story", "receipt_rows"]
