"""Änderungsprotokoll for the Rechnungsprüfungsamt: who changed what and when, old and new values.

Landscape A4; one table row per changed field, the entry's number, time, user, action and
record on its first row; the header repeats on every page. Values are printed completely: a
value too long for one table row (a whole Sachbericht) continues on further rows, so no cell
is ever taller than a page. The input objects are defined here and gathered by
``Workspace.audit_trail_data`` (values already formatted as the CSV export shows them)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import BinaryIO

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from .fonts import BOLD, REGULAR, text_width
from .layout import (
    HEAD_FILL,
    LANDSCAPE,
    LINE,
    FormDocument,
    PageHead,
    Progress,
    clean_text,
    frame_size,
    para,
    styles,
    title_block,
    watch_progress,
)
from .model import Letterhead, RenderResult

TITLE = "Änderungsprotokoll"
HEADER = ["Nr.", "Zeitpunkt", "Benutzer", "Aktion", "Bereich\n(Datensatz)", "Feld", "Alter Wert", "Neuer Wert"]
_FIXED = {0: 38, 1: 60, 2: 60, 3: 100, 4: 98, 5: 96}  # the two value columns share the rest
CHUNK = 700  # characters of a value per table row (about 12 lines in a value column)
FONT_SIZE = 7.5
LEADING = 9.5
ENTRY_FILL = colors.Color(0.96, 0.965, 0.975)
FIELD_LINE = colors.Color(0.75, 0.75, 0.75)


@dataclass(frozen=True, slots=True)
class AuditChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class AuditLine:
    number: int
    at: str  # local time, "09.05.2026 14:30:12"
    user: str
    action: str
    entity: str  # German label of the record type
    entity_id: int | None
    changes: tuple[AuditChange, ...] = ()


@dataclass(frozen=True, slots=True)
class AuditTrail:
    letterhead: Letterhead
    lines: tuple[AuditLine, ...]
    period_text: str = "alle Einträge"  # "Zeitraum 01.01.2025 – 31.12.2025", "ab 01.03.2025"
    entity: str = ""  # German label of the filter, "" = all


def column_widths() -> list[float]:
    width, _ = frame_size(LANDSCAPE)
    value = (width - sum(_FIXED.values())) / 2
    return [_FIXED.get(i, value) for i in range(len(HEADER))]


def _chunks(text: str) -> list[str]:
    """``text`` in pieces of at most CHUNK characters, cut at a space where there is one."""
    text = clean_text(text)
    pieces = []
    while len(text) > CHUNK:
        cut = max(text.rfind(" ", CHUNK - 120, CHUNK), text.rfind("\n", CHUNK - 120, CHUNK))
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


def _table(rows: list[list], widths: list[float], starts: list[int]) -> Table:
    """Ruled columns; a full line above each entry and a light one between its fields, so an
    entry with its changed fields reads as one block; alternate entries lightly shaded."""
    commands: list[tuple] = [
        ("FONT", (0, 0), (-1, -1), REGULAR, FONT_SIZE, LEADING),
        ("FONT", (0, 0), (-1, 0), BOLD, FONT_SIZE, LEADING),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
        ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
        ("VALIGN", (0, 1), (-1, -1), "TOP"),
        ("ALIGN", (0, 0), (0, -1), "RIGHT"),
        ("BOX", (0, 0), (-1, -1), 0.8, LINE),
        ("LINEBEFORE", (1, 0), (-1, -1), 0.4, LINE),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, LINE),
        ("LINEBELOW", (5, 1), (-1, -1), 0.25, FIELD_LINE),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    for index, start in enumerate(starts):
        end = (starts[index + 1] if index + 1 < len(starts) else len(rows)) - 1
        commands.append(("LINEABOVE", (0, start), (-1, start), 0.6, LINE))
        if index % 2:
            commands.append(("BACKGROUND", (0, start), (-1, end), ENTRY_FILL))
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(commands))
    return table


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
    widths = column_widths()
    rows: list[list] = [HEADER]
    starts: list[int] = []
    for line in doc.lines:
        starts.append(len(rows))
        rows += entry_rows(line, widths)
    story.append(_table(rows, widths, starts))
    story.append(Spacer(1, 8))
    story.append(para("Zeitpunkte in Ortszeit. Beträge in Euro, Datumsangaben als TT.MM.JJJJ. Das Protokoll "
                      "wird von PaktDesk nur ergänzt; seine Einträge lassen sich nicht ändern oder löschen. "
                      "Lange Werte sind vollständig abgedruckt und auf Folgezeilen (Forts.) fortgesetzt.",
                      st["small"]))
    return story


def render_audit_trail(doc: AuditTrail, target: str | BinaryIO, *, progress: Progress | None = None) -> RenderResult:
    document = FormDocument(target, PageHead(doc.letterhead, TITLE, ""), first=LANDSCAPE)
    watch_progress(document, progress)
    return RenderResult(document.render(trail_story(doc)))
