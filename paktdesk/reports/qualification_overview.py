"""Qualifikationsübersicht: every integration manager with provider, category, degree, who checked
the evidence and when, the requalification status and deadline, and the course hours.

Landscape A4, the table header repeats on every page; all user text (names, degrees, courses,
notes) is printed literally. The input objects (:class:`.model.QualificationOverview`) are
gathered by ``Workspace.qualification_overview_data``."""

from __future__ import annotations

from collections import Counter
from typing import BinaryIO

from reportlab.platypus import Flowable, Spacer

from ..core.periods import format_date
from ..core.validation import format_vza
from .layout import (
    LANDSCAPE,
    FormDocument,
    PageHead,
    Progress,
    clean_text,
    dash_date,
    escape_text,
    frame_size,
    grid_table,
    markup,
    para,
    styles,
    title_block,
    watch_progress,
)
from .model import QualificationLine, QualificationOverview, RenderResult

TITLE = "Qualifikationsübersicht"
HEADER = ["Name", "Träger", "VZÄ", "Kat.", "Abschluss", "Nachweis geprüft\nvon, am", "Status",
          "Frist", "Nachqualifizierung\n(Kurs, Anbieter)", "Stunden\n(ist / soll)"]
# fixed widths in points; "Abschluss" (column 4) takes the rest of the landscape frame, enough for
# a long single word such as "Verwaltungsfachangestellter," at 8 pt (118 pt) so it is never cut
_FIXED = {0: 88, 1: 80, 2: 30, 3: 26, 5: 86, 6: 92, 7: 52, 8: 112, 9: 48}
DEGREE_COLUMN = 4
ATTENTION = ("Nachqualifizierung überfällig", "Nachqualifizierung fehlt", "keine Qualifikation erfasst")


def column_widths() -> list[float]:
    width, _ = frame_size(LANDSCAPE)
    rest = width - sum(_FIXED.values())
    return [_FIXED.get(i, rest) for i in range(len(HEADER))]


def _hours(line: QualificationLine) -> str:
    if line.hours_done is None and line.hours_planned is None:
        return "–"
    done = "–" if line.hours_done is None else str(line.hours_done)
    planned = "–" if not line.hours_planned else str(line.hours_planned)
    return f"{done} / {planned}"


def _checked(line: QualificationLine, style) -> Flowable:
    parts = [p for p in (line.checked_by.strip(), format_date(line.checked_on) if line.checked_on else "") if p]
    return para(",\n".join(parts) if parts else "nicht geprüft", style)


def _status(line: QualificationLine) -> Flowable:
    st = styles()
    text = escape_text(line.status)
    if line.status in ATTENTION:
        text = f"<b>{text}</b>"
    extra = []
    if line.completed_on:
        extra.append(f"abgeschlossen am {format_date(line.completed_on)}")
    if line.ended_on:
        extra.append(f"ausgeschieden am {format_date(line.ended_on)}")
    if line.notes.strip():
        extra.append(clean_text(line.notes))
    if extra:
        text += "<br/>" + "<br/>".join(f'<font size="7">{escape_text(e)}</font>' for e in extra)
    return markup(text, st["cell"])


def _course(line: QualificationLine, style) -> Flowable | str:
    parts = [p.strip() for p in (line.course, line.course_provider) if p and p.strip()]
    return para(",\n".join(parts), style) if parts else "–"


def summary(lines: tuple[QualificationLine, ...]) -> str:
    """"5 Personen: 4 qualifiziert, 1 Nachqualifizierung läuft" (statuses in order of frequency)."""
    if not lines:
        return "Keine Personen erfasst."
    counts = Counter(line.status for line in lines)
    noun = "Person" if len(lines) == 1 else "Personen"
    return f"{len(lines)} {noun}: " + ", ".join(f"{n} {status}" for status, n in counts.most_common())


def overview_story(doc: QualificationOverview) -> list[Flowable]:
    st = styles()
    cell = st["cell"]
    story: list[Flowable] = title_block(TITLE, f"Integrationsmanager:innen, Stand {format_date(doc.as_of)}")
    story.append(para(summary(doc.lines), st["body"]))
    story.append(Spacer(1, 6))
    if doc.lines:
        rows: list[list] = [HEADER]
        for line in doc.lines:
            rows.append([
                para(line.name, st["cell_bold"]), para(line.provider, cell), format_vza(line.vza_milli),
                line.category or "–", para(line.degree or "–", cell), _checked(line, cell), _status(line),
                dash_date(line.deadline), _course(line, cell), _hours(line)])
        story.append(grid_table(rows, column_widths(), right_columns=(2, 9), font_size=8, leading=10,
                                extra=[("ALIGN", (3, 0), (3, -1), "CENTER")]))
    story.append(Spacer(1, 8))
    legend = ["Kategorien: " + "; ".join(doc.categories)] if doc.categories else []
    if doc.rule_note:
        legend.append(doc.rule_note)
    legend.append("Status und Frist sind zum Stichtag aus den erfassten Qualifikationen und "
                  "Nachqualifizierungen berechnet. VZÄ: Stellenanteil am Stichtag.")
    for text in legend:
        story.append(para(text, st["small"]))
    return story


def render_qualification_overview(doc: QualificationOverview, target: str | BinaryIO, *,
                                  progress: Progress | None = None) -> RenderResult:
    document = FormDocument(target, PageHead(doc.letterhead, TITLE, ""), first=LANDSCAPE)
    watch_progress(document, progress)
    count = document.render(overview_story(doc))
    warnings = []
    attention = [line for line in doc.lines if line.status in ATTENTION and not line.ended_on]
    if attention:
        names = ", ".join(line.name for line in attention[:5]) + (" …" if len(attention) > 5 else "")
        warnings.append(f"{len(attention)} Person(en) mit offenem Qualifikationsnachweis: {names}.")
    return RenderResult(count, tuple(warnings))
