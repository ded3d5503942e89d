"""Page layout shared by every printed form.

A4 portrait and landscape page templates in one document; on every page the owner's name and
AGS, the document title, the Aktenzeichen, the date of printing and "Seite X von Y" (drawn
when the document is complete, so Y is known). User text reaches reportlab markup only through
:func:`para`, which escapes it; plain table strings are drawn literally by reportlab anyway.
Documents are built with ``invariant=1`` so the same input gives byte-identical PDFs."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, BinaryIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepInFrame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from ..core.money import format_cents
from ..core.periods import format_date
from .fonts import BOLD, REGULAR, register_fonts
from .model import Letterhead, Progress

PORTRAIT = "portrait"
LANDSCAPE = "landscape"

# DIN 5008 filing: 25 mm at the punched edge. A portrait page is punched on its left edge; a
# landscape page (Belegliste, Kennzahlen) is filed turned, punched on its top edge (MARGIN_TOP).
MARGIN_LEFT = 25 * mm
MARGIN_LEFT_LANDSCAPE = 20 * mm
MARGIN_RIGHT = 15 * mm
MARGIN_TOP = 27 * mm
MARGIN_BOTTOM = 17 * mm

LINE = colors.Color(0.25, 0.25, 0.25)
HEAD_FILL = colors.Color(0.88, 0.90, 0.93)
SUM_FILL = colors.Color(0.95, 0.95, 0.95)
CARRY_FILL = colors.Color(0.97, 0.97, 0.90)
GREY_TEXT = colors.Color(0.3, 0.3, 0.3)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def page_size(orientation: str) -> tuple[float, float]:
    return landscape(A4) if orientation == LANDSCAPE else A4


def frame_size(orientation: str) -> tuple[float, float]:
    """Width and height available to the content of a page."""
    width, height = page_size(orientation)
    return width - margin_left(orientation) - MARGIN_RIGHT, height - MARGIN_TOP - MARGIN_BOTTOM


def margin_left(orientation: str) -> float:
    return MARGIN_LEFT_LANDSCAPE if orientation == LANDSCAPE else MARGIN_LEFT


# -- text -------------------------------------------------------------------------------------

def clean_text(text: Any) -> str:
    """User text as printable plain text: control characters become spaces, CRLF → LF."""
    value = "" if text is None else str(text)
    return _CONTROL.sub(" ", value.replace("\r\n", "\n").replace("\r", "\n"))


def escape_text(text: Any) -> str:
    """Plain user text → safe Paragraph markup (``<``, ``>``, ``&`` escaped; line breaks kept)."""
    return escape(clean_text(text)).replace("\n", "<br/>")


def para(text: Any, style: ParagraphStyle) -> Paragraph:
    """A Paragraph of *plain* (user) text; nothing in it is interpreted as markup."""
    return Paragraph(escape_text(text), style)


def markup(trusted: str, style: ParagraphStyle) -> Paragraph:
    """A Paragraph of markup written by PaktDesk itself (user parts escaped by the caller)."""
    return Paragraph(trusted, style)


def money(cents: int | None) -> str:
    return "–" if cents is None else format_cents(cents)


def dash_date(value: date | None) -> str:
    return format_date(value) if value else "–"


@functools.cache
def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    base = ParagraphStyle("body", fontName=REGULAR, fontSize=9, leading=12, spaceBefore=0,
                          spaceAfter=0, alignment=TA_LEFT)
    made = {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=9.5, textColor=GREY_TEXT),
        "title": ParagraphStyle("title", parent=base, fontName=BOLD, fontSize=15, leading=19,
                                spaceAfter=2),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=10.5, leading=14, spaceAfter=8),
        "h1": ParagraphStyle("h1", parent=base, fontName=BOLD, fontSize=12, leading=15, spaceBefore=10,
                             spaceAfter=5, keepWithNext=1),
        "h2": ParagraphStyle("h2", parent=base, fontName=BOLD, fontSize=10, leading=13, spaceBefore=7,
                             spaceAfter=3, keepWithNext=1),
        "text": ParagraphStyle("text", parent=base, fontSize=10, leading=14, spaceAfter=6),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8, leading=10),
        "cell_bold": ParagraphStyle("cell_bold", parent=base, fontName=BOLD, fontSize=8, leading=10),
        "cell_right": ParagraphStyle("cell_right", parent=base, fontSize=8, leading=10, alignment=TA_RIGHT),
        "form": ParagraphStyle("form", parent=base, fontSize=9, leading=11.5),
        "form_bold": ParagraphStyle("form_bold", parent=base, fontName=BOLD, fontSize=9, leading=11.5),
        "cform": ParagraphStyle("cform", parent=base, fontSize=8.5, leading=10.5),
        "cform_bold": ParagraphStyle("cform_bold", parent=base, fontName=BOLD, fontSize=8.5, leading=10.5),
        "form_right": ParagraphStyle("form_right", parent=base, fontSize=9, leading=11.5,
                                     alignment=TA_RIGHT),
        "form_right_bold": ParagraphStyle("form_right_bold", parent=base, fontName=BOLD, fontSize=9,
                                          leading=11.5, alignment=TA_RIGHT),
    }
    return made


# -- tables -----------------------------------------------------------------------------------

def grid_style(*, header_rows: int = 1, font_size: float = 9, leading: float = 11.5,
               right_columns: Sequence[int] = (), extra: Sequence[tuple] = (), padding: float = 2.5) -> TableStyle:
    """Lines around every cell, a shaded header, amounts right-aligned."""
    register_fonts()
    commands: list[tuple] = [
        ("FONT", (0, 0), (-1, -1), REGULAR, font_size, leading),
        ("GRID", (0, 0), (-1, -1), 0.4, LINE),
        ("BOX", (0, 0), (-1, -1), 0.8, LINE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), padding),
        ("BOTTOMPADDING", (0, 0), (-1, -1), padding),
    ]
    if header_rows:
        commands += [
            ("FONT", (0, 0), (-1, header_rows - 1), BOLD, font_size, leading),
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEAD_FILL),
            ("VALIGN", (0, 0), (-1, header_rows - 1), "BOTTOM"),
        ]
    for column in right_columns:
        commands.append(("ALIGN", (column, 0), (column, -1), "RIGHT"))
    commands += list(extra)
    return TableStyle(commands)


def grid_table(rows: list[list[Any]], widths: Sequence[float], *, header_rows: int = 1,
               right_columns: Sequence[int] = (), extra: Sequence[tuple] = (),
               font_size: float = 9, leading: float = 11.5, padding: float = 2.5) -> Table:
    """A ruled table whose header rows repeat on every page it spans."""
    table = Table(rows, colWidths=list(widths), repeatRows=header_rows, hAlign="LEFT")
    table.setStyle(grid_style(header_rows=header_rows, right_columns=right_columns, extra=extra,
                              font_size=font_size, leading=leading, padding=padding))
    return table


def key_value_table(pairs: Sequence[tuple[str, Any]], widths: Sequence[float], *,
                    compact: bool = False) -> Table:
    """Label → value lines of a form (values are user text, escaped)."""
    st = styles()
    label_style, value_style = (st["cform_bold"], st["cform"]) if compact else (st["form_bold"], st["form"])
    rows = [[markup(escape(label), label_style),
             value if isinstance(value, Flowable) else para(value, value_style)] for label, value in pairs]
    table = Table(rows, colWidths=list(widths), hAlign="LEFT")
    table.setStyle(grid_style(header_rows=0, padding=2 if compact else 2.5,
                              extra=[("BACKGROUND", (0, 0), (0, -1), SUM_FILL)]))
    return table


# -- small flowables --------------------------------------------------------------------------

class Bookmark(Flowable):
    """Zero-size flowable: an outline entry (PDF bookmark) for the page it lands on."""

    def __init__(self, title: str, *, level: int = 0):
        super().__init__()
        self.title = clean_text(title)
        self.level = level
        self.width = self.height = 0

    def wrap(self, availWidth, availHeight):  # noqa: N803 - reportlab API
        return 0, 0

    def draw(self) -> None:
        marks = self.canv.__dict__.setdefault("_paktdesk_marks", [])
        marks.append((self.canv.getPageNumber(), self.title, self.level))


class PageMarker(Flowable):
    """Zero-size flowable that records the page it lands on under ``key``."""

    def __init__(self, pages: dict[str, int], key: str):
        super().__init__()
        self.pages = pages
        self.key = key
        self.width = self.height = 0

    def wrap(self, availWidth, availHeight):  # noqa: N803 - reportlab API
        return 0, 0

    def draw(self) -> None:
        self.pages[self.key] = self.canv.getPageNumber()


def signature_lines(width: float, *, place: str = "", name: str = "", title: str = "",
                    space: float = 11 * mm, one_line: bool = False) -> Table:
    """"Ort, Datum" and "Unterschrift" lines side by side; the place, the signer's name and
    office title (Amtsbezeichnung) are filled in when known (wrapped, never cut)."""
    st = styles()
    gap = 12 * mm
    half = (width - gap) / 2
    caption = "Unterschrift (Dienstsiegel)" + (f"\nName: {clean_text(name)}" if name else "")
    if title:
        caption += f"\nAmtsbezeichnung: {clean_text(title)}"
    if one_line:  # a compact sheet: "Unterschrift (Dienstsiegel) · Name: … · Amtsbezeichnung: …"
        caption = caption.replace("\n", " · ")
    rows = [[para(f"{place}, " if place else "", st["form"]), "", ""],
            [para("Ort, Datum", st["small"]), "", para(caption, st["small"])]]
    table = Table(rows, colWidths=[half, gap, half], rowHeights=[space, None], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), REGULAR, 9),  # empty cells would otherwise select Helvetica
        ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
        ("VALIGN", (0, 1), (-1, 1), "TOP"),
        ("LINEBELOW", (0, 0), (0, 0), 0.6, LINE),
        ("LINEBELOW", (2, 0), (2, 0), 0.6, LINE),
        ("LEFTPADDING", (0, 0), (-1, -1), 1),
        ("RIGHTPADDING", (0, 0), (-1, -1), 1),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    return table


def section_break(orientation: str) -> list[Flowable]:
    """Start the next part on a fresh page of the given orientation."""
    return [NextPageTemplate(orientation), PageBreak()]


def fit_one_page(flowables: list[Flowable], orientation: str, *, at_most: float = 1.25) -> list[Flowable]:
    """A sheet that must stand on one page (a per-person numeric proof with its signature: the RP
    files these sheets one by one) and runs a little over it is set slightly smaller to fit; one
    that needs more than ``at_most`` pages' height flows on as it is, rather than becoming
    unreadably small. Must start on a fresh page."""
    width, height = frame_size(orientation)
    needed = 0.0
    for item in flowables:
        needed += item.wrap(width, height)[1] + item.getSpaceBefore() + item.getSpaceAfter()
    if needed <= height or needed > height * at_most:
        return flowables
    return [KeepInFrame(width, height, flowables, mode="shrink")]


def title_block(title: str, subtitle: str = "") -> list[Flowable]:
    st = styles()
    out: list[Flowable] = [para(title, st["title"])]
    if subtitle:
        out.append(para(subtitle, st["subtitle"]))
    else:
        out.append(Spacer(1, 6))
    return out


# -- document ---------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class PageHead:
    """What the running head of every page shows."""

    letterhead: Letterhead
    title: str
    file_number: str = ""


def _numbered_canvas(head: PageHead) -> type[Canvas]:
    class NumberedCanvas(Canvas):
        """Keeps every page until the end, then adds "Seite X von Y" to each."""

        def __init__(self, *args, **kwargs):
            # the page preamble would otherwise select Helvetica: an unused, unembedded font resource
            kwargs["initialFontName"] = kwargs.get("initialFontName") or REGULAR
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []
            self._paktdesk_marks: list[tuple[int, str, int]] = []
            _stamp_creation_date(self, head.letterhead.printed_on)

        def showPage(self):  # noqa: N802 - reportlab API
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            marks = self._paktdesk_marks
            for state in self._pages:
                self.__dict__.update(state)
                _draw_page_number(self, total)
                # bookmarks only now: a page's reference exists once it is really shown
                levels: list[int] = []
                for number, (page, title, level) in enumerate(marks):
                    if page == self.getPageNumber():
                        key = f"m{number}"
                        self.bookmarkPage(key, fit="XYZ", top=self._pagesize[1])
                        self.addOutlineEntry(title, key, level=level, closed=level > 0)
                        levels.append(level)
                Canvas.showPage(self)
            if marks:
                self.showOutline()
            Canvas.save(self)

    return NumberedCanvas


def _stamp_creation_date(canv: Canvas, printed_on: date) -> None:
    """The PDF's creation date is the print date (00:00 UTC): real in use, fixed for tests that
    pass a fixed print date, so invariant output stays byte-identical."""
    stamp = canv._doc._timeStamp
    stamp.t = 0.0
    stamp.YMDhms = (printed_on.year, printed_on.month, printed_on.day, 0, 0, 0)
    stamp.lt = (*stamp.YMDhms, 0, 1, 0)
    stamp.dhh = stamp.dmm = 0


def _draw_draft_mark(canv: Canvas) -> None:
    """A light diagonal "ENTWURF" under the page's content (drawn first, so text stays readable)."""
    width, height = canv._pagesize
    canv.saveState()
    canv.setFillColor(colors.Color(0.82, 0.82, 0.82))
    canv.setFont(BOLD, 96)
    canv.translate(width / 2, height / 2)
    canv.rotate(35)
    canv.drawCentredString(0, -34, "ENTWURF")
    canv.restoreState()
    canv.saveState()
    canv.setFont(BOLD, 8)
    canv.drawCentredString(width / 2, height - 7 * mm, "Entwurf – nicht zur Einreichung")
    canv.restoreState()


def _draw_page_number(canv: Canvas, total: int) -> None:
    width, _ = canv._pagesize
    canv.saveState()
    canv.setFont(REGULAR, 8)
    canv.setFillColor(colors.black)
    canv.drawRightString(width - MARGIN_RIGHT, MARGIN_BOTTOM - 10 * mm,
                         f"Seite {canv.getPageNumber()} von {total}")
    canv.restoreState()


def _fit_lines(text: str, width: float, sizes: Sequence[float], max_lines: int) -> tuple[list[str], float]:
    for size in sizes:
        lines = simpleSplit(text, REGULAR, size, width)
        if len(lines) <= max_lines:
            return lines, size
    size = sizes[-1]
    return simpleSplit(text, REGULAR, size, width), size


def _draw_head(canv: Canvas, head: PageHead) -> None:
    """The running head and foot line; drawn once per page size of a document, then the same
    PDF operators are repeated on every further page (a 400-page Belegliste would otherwise
    spend a tenth of its time setting the same head again)."""
    drawn = canv.__dict__.setdefault("_paktdesk_head_code", {})
    key = tuple(canv._pagesize)
    if key in drawn and drawn[key][0] is head:
        canv._code.extend(drawn[key][1])
        return
    start = len(canv._code)
    _draw_head_once(canv, head)
    drawn[key] = (head, canv._code[start:])


def _draw_head_once(canv: Canvas, head: PageHead) -> None:
    width, height = canv._pagesize
    letter = head.letterhead
    top = height - 10 * mm
    left = margin_left(LANDSCAPE if width > height else PORTRAIT)
    half = (width - left - MARGIN_RIGHT) / 2 - 4 * mm
    canv.saveState()
    canv.setFillColor(colors.black)
    # left: the owner
    lines, size = _fit_lines(clean_text(letter.owner_name), half, (10, 9, 8, 7, 6), 2)
    y = top
    canv.setFont(BOLD, size)
    for line in lines:
        canv.drawString(left, y, line)
        y -= size * 1.15
    canv.setFont(REGULAR, 7.5)
    canv.drawString(left, y - 1, clean_text(f"{letter.owner_kind} · AGS {letter.ags}").strip(" ·"))
    # right: the document
    right = width - MARGIN_RIGHT
    lines, size = _fit_lines(clean_text(head.title), half, (10, 9, 8), 2)
    y = top
    canv.setFont(BOLD, size)
    for line in lines:
        canv.drawRightString(right, y, line)
        y -= size * 1.15
    canv.setFont(REGULAR, 7.5)
    if head.file_number:
        az_lines, az_size = _fit_lines(clean_text(f"Aktenzeichen: {head.file_number}"), half, (7.5, 6.5, 6), 2)
        canv.setFont(REGULAR, az_size)
        for line in az_lines:
            canv.drawRightString(right, y - 1, line)
            y -= az_size * 1.2
    rule_y = height - MARGIN_TOP + 4 * mm
    canv.setStrokeColor(LINE)
    canv.setLineWidth(0.6)
    canv.line(left, rule_y, width - MARGIN_RIGHT, rule_y)
    # footer
    foot_y = MARGIN_BOTTOM - 6 * mm
    canv.line(left, foot_y, width - MARGIN_RIGHT, foot_y)
    canv.setFont(REGULAR, 8)
    anchor = f" · Prüfanker {letter.anchor}" if letter.anchor else ""
    canv.drawString(left, MARGIN_BOTTOM - 10 * mm,
                    f"Gedruckt am {format_date(letter.printed_on)} · erstellt mit PaktDesk{anchor}")
    canv.restoreState()


class FormDocument(BaseDocTemplate):
    """A4 document with a portrait and a landscape page template and the running head."""

    def __init__(self, target: str | BinaryIO, head: PageHead, *, first: str = PORTRAIT, draft: bool = False):
        register_fonts()
        self.head = head
        self.draft = draft
        letter = head.letterhead
        super().__init__(
            target, pagesize=page_size(first), leftMargin=MARGIN_LEFT, rightMargin=MARGIN_RIGHT,
            topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM, invariant=1,
            title=f"{'Entwurf: ' if draft else ''}{head.title} – {letter.owner_name}", author=letter.owner_name,
            subject=head.file_number or head.title, creator="PaktDesk", producer="PaktDesk (reportlab)",
        )
        templates = [self._template(PORTRAIT), self._template(LANDSCAPE)]
        if first == LANDSCAPE:
            templates.reverse()
        self.addPageTemplates(templates)

    def _template(self, orientation: str) -> PageTemplate:
        width, height = frame_size(orientation)
        frame = Frame(margin_left(orientation), MARGIN_BOTTOM, width, height, leftPadding=0, rightPadding=0,
                      topPadding=0, bottomPadding=0, id=f"{orientation}-frame")
        return PageTemplate(id=orientation, frames=[frame], pagesize=page_size(orientation),
                            onPage=self._on_page)

    def _on_page(self, canv: Canvas, doc) -> None:
        if self.draft:
            _draw_draft_mark(canv)
        _draw_head(canv, self.head)

    def render(self, story: list[Flowable]) -> int:
        """Lay out and write the document; returns the number of pages."""
        self.build(story, canvasmaker=_numbered_canvas(self.head))
        return self.page




def watch_progress(document: BaseDocTemplate, progress: Progress | None) -> None:
    """Report progress as (flowables laid out, all flowables); the callback may raise to cancel."""
    if progress is None:
        return
    state = {"total": 0}

    def callback(kind: str, value: int) -> None:
        if kind == "SIZE_EST":
            state["total"] = value
        elif kind == "PROGRESS":
            progress(value, state["total"])

    document.setProgressCallBack(callback)

__all__ = [
    "Bookmark", "FormDocument", "LANDSCAPE", "PORTRAIT", "PageBreak", "PageHead", "PageMarker", "Paragraph",
    "Progress", "Spacer", "Table", "clean_text", "dash_date", "escape_text", "frame_size", "grid_style",
    "grid_table", "key_value_table", "margin_left", "markup", "money", "para", "section_break",
    "signature_lines", "styles", "title_block", "watch_progress",
]
