"""One page of a Belegliste, drawn straight onto the canvas as one flowable.

Layout is planned in :mod:`.belegliste`; this module only draws it, with the same look the
platypus tables had: a shaded bold header row, an "Übertrag" row and a foot row in bold spanning
all columns but the amount, thin lines around every cell and a heavier frame. The page's fills,
its grid (one path) and its text (one text object) are written as raw PDF operators; user text
reaches the page only as escaped string literals, so nothing in it is interpreted."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.rl_accel import escapePDF as escape
from reportlab.lib.rl_accel import fp_str
from reportlab.platypus import Flowable

from ..core.money import format_cents
from .fonts import BOLD, REGULAR
from .layout import CARRY_FILL, HEAD_FILL, LINE, SUM_FILL
from .pdf_text import ShapeWidths, encoder_for

FONT_SIZE = 8
LEADING = 10
PAD_X = 3
PAD_Y = 2.5
HEADER = ("Lfd.", "Datum", "Beleg-Nr.", "Bezahlt am", "HH-Jahr", "Empfänger", "Zweck", "Person", "Betrag")
RIGHT_COLUMNS = frozenset({0, 8})  # the running number and the amount
RIGHT_HEADERS = frozenset({8})
AMOUNT_COLUMN = 8
CARRY_IN = "Übertrag von der vorigen Seite"
GRID_WIDTH = 0.4
BOX_WIDTH = 0.8
FOOT_RULE_WIDTH = 1.0


_NEXT_LINE = f") Tj 0 -{LEADING} Td ("  # between a wrapped cell's lines
EURO_MARK = "\x00"  # stands for the "€" in pre-set rows (no user text can hold it: escaped)
_ASCII = bytes(range(128))


def non_ascii(text: str) -> set[str]:
    """The characters of ``text`` beyond ASCII (what is left of its UTF-8 without ASCII bytes)."""
    return set(text.encode("utf-8", "surrogatepass").translate(None, _ASCII).decode("utf-8", "surrogatepass"))


def escape_printable(text: str) -> str:
    """``text`` (printable) for a PDF string literal with "(", ")" and "\\" escaped and any
    other character kept as it is: a pre-set row's non-ASCII characters are replaced by the
    codes of the document's font when the page is drawn."""
    if "\\" in text:
        text = text.replace("\\", "\\\\")
    if "(" in text or ")" in text:
        text = text.replace("(", "\\(").replace(")", "\\)")
    return text


@dataclass(slots=True)
class PageRow:
    """A body row: the lines of text of each column and the row's height in points (``lines``
    lines of text), ``amount`` the cents it adds to the running sum.

    A row of printable text (wrapped or not) also carries its text operators, set once when
    the list is planned: ``start`` is where the running number begins, ``tail`` the
    operators after ``Tm`` with the amount's "€" as :data:`EURO_MARK` and any other non-ASCII
    character as it is (both replaced when the page is drawn)."""

    cells: list[list[str]]
    height: float
    start: float = 0.0
    tail: str | None = None
    lines: int = 1
    amount: int = 0


class PlainRows:
    """Sets the text operators of plain rows once, while the list is planned: the text moves
    with ``Td`` by fixed steps from column to column, so a row costs one f-string. The page
    draws such a row only when the document's font maps printable ASCII to itself and the "€"
    and the row's other non-ASCII characters lie in its first subset; otherwise it draws the
    row from its cells."""

    def __init__(self, widths: Sequence[float]):
        self._width = ShapeWidths(REGULAR, FONT_SIZE)
        lefts = [sum(widths[:i]) for i in range(len(widths))]
        self._first_edge = lefts[0] + widths[0] - PAD_X
        self._second = lefts[1] + PAD_X
        self._last = lefts[AMOUNT_COLUMN - 1] + PAD_X
        self._amount_edge = lefts[AMOUNT_COLUMN] + widths[AMOUNT_COLUMN] - PAD_X
        self._steps = [f"{fp_str(lefts[c + 1] - lefts[c])} 0 Td" for c in range(1, AMOUNT_COLUMN - 1)]

    def operators(self, number: str, received: str, reference: str, paid: str, year: str, payee: str,
                  purpose: str, person: str, amount: str, *, escaped: bool = False,
                  ascii_only: bool = True) -> tuple[float, str]:
        """``start`` and ``tail`` of a plain row from its cell texts: all printable and one line
        each (the caller checks), ``amount`` ending in " €". Empty cells show nothing.
        ``escaped``: the caller knows the user texts hold no "(", ")" or "\\"; ``ascii_only``: nor
        any character beyond ASCII (others are kept for the page to encode)."""
        if not escaped:
            quote = escape if ascii_only else escape_printable
            reference, payee, purpose, person = quote(reference), quote(payee), quote(purpose), quote(person)
        measure = self._width
        start = self._first_edge - measure(number)
        step = self._steps
        return start, (
            f"({number}) Tj {self._second - start:.2f} 0 Td ({received}) Tj {step[0]} ({reference}) Tj "
            f"{step[1]} ({paid}) Tj {step[2]} ({year}) Tj {step[3]} ({payee}) Tj {step[4]} "
            f"({purpose}) Tj {step[5]} ({person}) Tj "
            f"{self._amount_edge - measure(amount) - self._last:.2f} 0 Td ({amount[:-1]}) Tj {EURO_MARK}")

    @staticmethod
    def cell(lines: list[str]) -> str:
        """A wrapped cell's lines (escaped) as one text for :meth:`operators`: each next line one
        ``LEADING`` down, and after the last an empty string back up on the first line, where
        the next cell starts."""
        if len(lines) < 2:
            return lines[0] if lines else ""
        return f"{_NEXT_LINE.join(lines)}) Tj 0 {LEADING * (len(lines) - 1)} Td ("


def _encoded(text: str, euro: str, codes: dict[str, str]) -> str:
    """A page's text operators with the pre-set rows' "€" and other characters encoded."""
    text = text.replace(EURO_MARK, f"{euro} Tj")
    for char, code in codes.items():
        text = text.replace(char, code)
    return text


def _rgb(color: colors.Color) -> str:
    return f"{fp_str(color.red)} {fp_str(color.green)} {fp_str(color.blue)}"


class BeleglistePage(Flowable):
    """The table of one Belegliste page (with the list's heading above it on the first page)."""

    def __init__(self, widths: Sequence[float], rows: list[PageRow], *, carry_in: int | None, foot_label: str,
                 foot_cents: int, heading: Sequence[Flowable] = (), encoders: dict | None = None):
        super().__init__()
        self.widths = list(widths)
        self.rows = rows
        self.carry_in = carry_in
        self.foot_label = foot_label
        self.foot_cents = foot_cents
        self.heading = list(heading)
        self._encoders = {} if encoders is None else encoders
        self.table_width = sum(self.widths)
        label = LEADING + 2 * PAD_Y
        self.table_height = (label * (2 + (carry_in is not None)) + sum(r.height for r in rows))
        self.width = self.table_width
        self.height = self.heading_height(self.heading, self.table_width) + self.table_height

    # -- platypus ------------------------------------------------------------------------------

    @staticmethod
    def heading_height(heading: Sequence[Flowable], width: float) -> float:
        """The height the heading flowables take above the table (no space before the first)."""
        total = 0.0
        for index, flowable in enumerate(heading):
            _, height = flowable.wrap(width, 1e6)
            total += height + flowable.getSpaceAfter() + (flowable.getSpaceBefore() if index else 0)
        return total

    def wrap(self, availWidth, availHeight):  # noqa: N803 - reportlab API
        return self.width, self.height

    def split(self, availWidth, availHeight):  # noqa: N803 - reportlab API
        return []  # planned to fit: never split by platypus

    def draw(self) -> None:
        canv = self.canv
        top = self.height
        for index, flowable in enumerate(self.heading):
            if index:
                top -= flowable.getSpaceBefore()
            _, height = flowable.wrap(self.table_width, 1e6)
            flowable.drawOn(canv, 0, top - height)
            top -= height + flowable.getSpaceAfter()
        canv.addLiteral(self._table_code(top))

    # -- drawing -------------------------------------------------------------------------------

    def _table_code(self, top: float) -> str:
        canv = self.canv
        regular = encoder_for(self._encoders, canv, REGULAR)
        bold = encoder_for(self._encoders, canv, BOLD)
        widths = self.widths
        lefts = [sum(widths[:i]) for i in range(len(widths))]
        full = self.table_width
        label = LEADING + 2 * PAD_Y
        fills: list[str] = []
        texts: list[str] = []
        current = ["", -1]  # font and subset of the last Tf in the text object

        def text(encoder, value: str, x: float, y: float) -> None:
            texts.append(f"1 0 0 1 {fp_str(x)} {fp_str(y)} Tm {encoder.show(value, FONT_SIZE, current)}")

        def right(encoder, value: str, edge: float, y: float) -> None:
            text(encoder, value, edge - PAD_X - encoder.width(value, FONT_SIZE), y)

        def label_row(row_top: float, caption: str, cents: int, fill: colors.Color) -> None:
            fills.append(f"{_rgb(fill)} rg 0 {fp_str(row_top - label)} {fp_str(full)} {fp_str(label)} re f")
            y = row_top - PAD_Y - FONT_SIZE
            right(bold, caption, lefts[AMOUNT_COLUMN], y)
            right(bold, format_cents(cents), full, y)

        # header
        y = top
        fills.append(f"{_rgb(HEAD_FILL)} rg 0 {fp_str(y - label)} {fp_str(full)} {fp_str(label)} re f")
        baseline = y - PAD_Y - FONT_SIZE
        for column, caption in enumerate(HEADER):
            if column in RIGHT_HEADERS:
                right(bold, caption, lefts[column] + widths[column], baseline)
            else:
                text(bold, caption, lefts[column] + PAD_X, baseline)
        y -= label
        header_bottom = y
        if self.carry_in is not None:
            label_row(y, CARRY_IN, self.carry_in, CARRY_FILL)
            y -= label
        body_top = y
        rules = [header_bottom, body_top] if self.carry_in is not None else [header_bottom]
        # body: a plain row's operators were set while planning (one f-string here); any other
        # row is drawn cell by cell and line by line, its text encoded for this document
        place = [f"1 0 0 1 {left + PAD_X:.2f} " for left in lefts]
        # (column, fixed position of left-aligned text, right edge of right-aligned text)
        columns = [(column, "" if column in RIGHT_COLUMNS else place[column], lefts[column] + widths[column] - PAD_X)
                   for column in range(len(widths))]
        measure = regular.width
        literal = regular.literal
        plain_ascii = regular.ascii_is_identity
        select = f"{regular.subset_name(0)} {FONT_SIZE} Tf"
        add = texts.append
        add(select)
        current[:] = [REGULAR, 0]

        def slow(where: str, line: str) -> None:
            add(f"{where}{regular.show(line, FONT_SIZE, current)}")
            if current != [REGULAR, 0]:
                add(select)
                current[:] = [REGULAR, 0]

        euro = literal("€")
        if euro is None and plain_ascii:
            code = regular.escapes("€")["€"]
            euro = None if code is None else f"({code})"
        preset = plain_ascii and euro is not None
        # the non-ASCII characters of the pre-set rows, each as its code in the first subset;
        # a row with a character in another subset (or without a glyph) is drawn from its cells
        wide = [row.tail for row in self.rows if row.tail is not None and not row.tail.isascii()] if preset else []
        codes: dict[str, str] = {}
        careful: set[int] = set()
        if wide:
            chars = non_ascii("".join(wide))
            known = regular.escapes(chars)
            codes = {char: known[char] for char in chars if known[char] is not None}
            if len(codes) < len(chars):
                careful = {id(row) for row in self.rows if row.tail is not None
                           and any(char in row.tail for char in chars.difference(codes))}
        for row in self.rows:
            if preset and row.tail is not None and not (careful and id(row) in careful):
                add(f"1 0 0 1 {row.start:.2f} {y - PAD_Y - FONT_SIZE:.2f} Tm {row.tail}")
                y -= row.height
                rules.append(y)
                continue
            cells = row.cells
            line_y = y - PAD_Y - FONT_SIZE
            row_y = f"{line_y:.2f} Tm "
            for column, prefix, edge in columns:
                lines = cells[column]
                if not lines:
                    continue
                cell_y = row_y
                for number, line in enumerate(lines):
                    if number:
                        cell_y = f"{line_y - number * LEADING:.2f} Tm "
                    where = prefix or f"1 0 0 1 {edge - measure(line, FONT_SIZE):.2f} "
                    if plain_ascii and line.isascii() and line.isprintable():
                        add(f"{where}{cell_y}({escape(line)}) Tj")
                        continue
                    found = literal(line)
                    if found:
                        add(f"{where}{cell_y}{found} Tj")
                    else:
                        slow(where + cell_y, line)
            y -= row.height
            rules.append(y)
        body_bottom = y
        foot_fill = SUM_FILL if self.foot_label.startswith("Summe") else CARRY_FILL
        label_row(y, self.foot_label, self.foot_cents, foot_fill)
        bottom = y - label

        # grid: every row boundary across, column boundaries within the header and the body;
        # the label rows span all columns but the amount
        across = f"{full:.2f}"
        path = [f"0 {r:.2f} m {across} {r:.2f} l" for r in rules]
        top_s, bottom_s, head_s = f"{top:.2f}", f"{bottom:.2f}", f"{header_bottom:.2f}"
        body_s = f"{body_top:.2f} m {{x}} {body_bottom:.2f} l" if body_bottom < body_top else ""
        for column in range(1, len(widths)):
            x = f"{lefts[column]:.2f}"
            if column == AMOUNT_COLUMN:
                path.append(f"{x} {top_s} m {x} {bottom_s} l")
                continue
            path.append(f"{x} {top_s} m {x} {head_s} l")
            if body_s:
                path.append(f"{x} {body_s.format(x=x)}")
        return "\n".join([
            "q",
            *fills,
            f"{GRID_WIDTH} w {_rgb(LINE)} RG",
            *path,
            "S",
            f"{FOOT_RULE_WIDTH} w 0 0 0 RG 0 {fp_str(body_bottom)} m {fp_str(full)} {fp_str(body_bottom)} l S",
            f"{BOX_WIDTH} w {_rgb(LINE)} RG 0 {fp_str(bottom)} {fp_str(full)} {fp_str(top - bottom)} re S",
            "0 g BT",
            _encoded("\n".join(texts), euro, codes) if preset else "\n".join(texts),
            "ET",
            "Q",
        ])


__all__ = ["EURO_MARK", "BeleglistePage", "PageRow", "PlainRows", "escape_printable"]
