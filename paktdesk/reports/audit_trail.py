"""Änderungsprotokoll for the Rechnungsprüfungsamt: who changed what and when, old and new values.

Landscape A4; one table row per changed field, the entry's number, time, user, action and
record on its first row; the header repeats on every page. Values are printed completely: a
value too long for one table row (a whole Sachbericht) continues on further rows, so no cell
is ever taller than a page. The input objects (:class:`.model.AuditTrail`) are gathered by
``Workspace.audit_trail_data`` (values already formatted as the CSV export shows them)."""

from __future__ import annotations

import functools
from typing import BinaryIO

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    Flowable,
    Frame,
    NextPageTemplate,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)

from .fonts import BOLD, REGULAR, text_width
from .layout import (
    HEAD_FILL,
    LANDSCAPE,
    LINE,
    MARGIN_BOTTOM,
    FormDocument,
    PageHead,
    Progress,
    clean_text,
    frame_size,
    margin_left,
    page_size,
    para,
    styles,
    title_block,
    watch_progress,
)
from .model import AuditChange, AuditLine, AuditTrail, RenderResult

TITLE = "Änderungsprotokoll"
HEADER = ["Nr.", "Zeitpunkt", "Benutzer", "Aktion", "Bereich\n(Datensatz)", "Feld", "Alter Wert", "Neuer Wert"]
_FIXED = {0: 38, 1: 60, 2: 60, 3: 100, 4: 98, 5: 96}  # the two value columns share the rest
CHUNK = 300  # characters of a value per table row (about 10 lines in a value column; 4 rows fit a page)
FONT_SIZE = 7.5
LEADING = 9.5
ENTRY_FILL = colors.Color(0.96, 0.965, 0.975)
FIELD_LINE = colors.Color(0.75, 0.75, 0.75)
CHUNK_ENTRIES = 40  # entries per table (even, so the alternate shading runs on across tables)
TRAIL_PAGE = "trail"


def column_widths() -> list[float]:
    width, _ = frame_size(LANDSCAPE)
    value = (width - sum(_FIXED.values())) / 2
    return [_FIXED.get(i, value) for i in range(len(HEADER))]


def _chunks(text: str) -> list[str]:
    """``text`` in pieces of at most CHUNK characters, cut at a space where there is one."""
    text = clean_text(text)
    pieces = []
    while len(text) > CHUNK:
        cut = max(text.rfind(" ", CHUNK - 60, CHUNK), text.rfind("\n", CHUNK - 60, CHUNK))
        cut = cut + 1 if cut > 0 else CHUNK
        pieces.append(text[:cut].rstrip())
        text = text[cut:]
    return [*pieces, text]


def _cell(text: str, width: float):
    """Plain text when it fits on one line (fast), else a wrapping Paragraph (escaped)."""
    text = clean_text(text)
    if "\n" not in text and text_width(text, FONT_SIZE) <= width - 6:
        return text
    return para(text, _value_style())


@functools.cache
def _value_style() -> ParagraphStyle:
    return ParagraphStyle("audit_value", parent=styles()["cell"], fontSize=FONT_SIZE, leading=LEADING)


def entry_rows(line: AuditLine, widths: list[float]) -> list[list]:
    """The table rows of one entry: one per changed field, long values continued on more rows."""
    record = line.entity + (f"\n(Nr. {line.entity_id})" if line.entity_id is not None else "")
    head = [str(line.number), line.at.replace(" ", "\n", 1), _cell(line.user, widths[2]),
            _cell(line.action, widths[3]), _cell(record, widths[4])]
    blank = [""] * len(head)
    rows: list[list] = []
    changes = line.changes or (AuditChange("", "", ""),)
    for change in changes:
        old, new = _chunks(change.old), _chunks(change.new)
        for part in range(max(len(old), len(new))):
            name = change.field if part == 0 else f"{change.field} (Forts.)"
            rows.append((head if not rows else blank) + [
                _cell(name, widths[5]),
                _cell(old[part], widths[6]) if part < len(old) else "",
                _cell(new[part], widths[7]) if part < len(new) else ""])
    return rows


def _style(rows: int, starts: list[int], *, header: bool) -> TableStyle:
    """Ruled columns; a full line above each entry and a light one between its fields, so an
    entry with its changed fields reads as one block; alternate entries lightly shaded. A table
    cut at a page break gets a closing line at the foot and an opening one at the head."""
    commands: list[tuple] = [
        ("FONT", (0, 0), (-1, -1), REGULAR, FONT_SIZE, LEADING),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ALIGN", (0, 0), (0, -1), "RIGHT"),
        ("LINEBEFORE", (0, 0), (-1, -1), 0.4, LINE),
        ("LINEAFTER", (-1, 0), (-1, -1), 0.8, LINE),
        ("LINEBEFORE", (0, 0), (0, -1), 0.8, LINE),
        ("LINEBELOW", (5, 0), (-1, -1), 0.25, FIELD_LINE),
        ("LINEBELOW", (0, -1), (-1, -1), 0.8, LINE),
        ("LINEBELOW", (0, "splitlast"), (-1, "splitlast"), 0.8, LINE),
        ("LINEABOVE", (0, "splitfirst"), (-1, "splitfirst"), 0.8, LINE),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    if header:
        commands += [("FONT", (0, 0), (-1, 0), BOLD, FONT_SIZE, LEADING),
                     ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
                     ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
                     ("LINEABOVE", (0, 0), (-1, 0), 0.8, LINE),
                     ("LINEBELOW", (0, 0), (-1, 0), 0.8, LINE)]
    for index, start in enumerate(starts):
        end = (starts[index + 1] if index + 1 < len(starts) else rows) - 1
        commands.append(("LINEABOVE", (0, start), (-1, start), 0.6, LINE))
        if index % 2:
            commands.append(("BACKGROUND", (0, start), (-1, end), ENTRY_FILL))
    return TableStyle(commands)


def header_table() -> Table:
    """The column header alone: after the title on the first page, drawn by the page itself on
    every further page."""
    table = Table([HEADER], colWidths=column_widths(), hAlign="LEFT")
    table.setStyle(_style(1, [], header=True))
    return table


def entry_tables(lines: tuple[AuditLine, ...]) -> list[Table]:
    """The entries as tables of at most CHUNK_ENTRIES entries each: reportlab re-measures the
    rest of a table at every page break, so one table of 50.000 rows would take hours."""
    widths = column_widths()
    tables = []
    for first in range(0, len(lines), CHUNK_ENTRIES):
        rows: list[list] = []
        starts: list[int] = []
        for line in lines[first:first + CHUNK_ENTRIES]:
            starts.append(len(rows))
            rows += entry_rows(line, widths)
        table = Table(rows, colWidths=widths, hAlign="LEFT")
        table.setStyle(_style(len(rows), starts, header=False))  # CHUNK_ENTRIES is even: shading continues
        tables.append(table)
    return tables


def subtitle(doc: AuditTrail) -> str:
    parts = [doc.period_text]
    if doc.entity:
        parts.append(f"Bereich: {doc.entity}")
    count = len(doc.lines)
    parts.append(f"{count} {'Eintrag' if count == 1 else 'Einträge'}")
    return " · ".join(parts)


def trail_story(doc: AuditTrail) -> list[Flowable]:
    st = styles()
    story: list[Flowable] = title_block(f"{TITLE} für das Rechnungsprüfungsamt", subtitle(doc))
    if not doc.lines:
        return story + [para("Im gewählten Zeitraum gibt es keine Einträge.", st["text"])]
    story += [NextPageTemplate(TRAIL_PAGE), header_table(), *entry_tables(doc.lines), Spacer(1, 8)]
    story.append(para("Zeitpunkte in Ortszeit. Beträge in Euro, Datumsangaben als TT.MM.JJJJ. Das Protokoll "
                      "wird von PaktDesk nur ergänzt; seine Einträge lassen sich nicht ändern oder löschen. "
                      "Lange Werte sind vollständig abgedruckt und auf Folgezeilen (Forts.) fortgesetzt.",
                      st["small"]))
    return story


class TrailDocument(FormDocument):
    """Landscape pages whose running head is followed by the table's column header."""

    def __init__(self, target: str | BinaryIO, head: PageHead):
        super().__init__(target, head, first=LANDSCAPE)
        plain = next(t for t in self.pageTemplates if t.id == LANDSCAPE)
        header = header_table()
        width, height = frame_size(LANDSCAPE)
        _, header_height = header.wrap(width, height)
        frame = Frame(margin_left(LANDSCAPE), MARGIN_BOTTOM, width, height - header_height, leftPadding=0,
                      rightPadding=0,
                      topPadding=0, bottomPadding=0, id="trail-frame")

        def on_page(canv, doc) -> None:
            plain.onPage(canv, doc)
            header.wrapOn(canv, width, height)
            header.drawOn(canv, margin_left(LANDSCAPE), MARGIN_BOTTOM + height - header_height)

        self.addPageTemplates([PageTemplate(id=TRAIL_PAGE, frames=[frame], pagesize=page_size(LANDSCAPE),
                                            onPage=on_page)])


def render_audit_trail(doc: AuditTrail, target: str | BinaryIO, *, progress: Progress | None = None) -> RenderResult:
    document = TrailDocument(target, PageHead(doc.letterhead, TITLE, ""))
    watch_progress(document, progress)
    return RenderResult(document.render(trail_story(doc)))
