"""Förderübersicht: every decision touching a year or period, grouped by Förderbereich, with the
settlement of each (core.balances) for the part of its Bewilligungszeitraum inside the period."""

from __future__ import annotations

from typing import BinaryIO

from reportlab.platypus import Flowable, Spacer

from ..core.balances import BalanceLine
from ..core.periods import format_date
from .fonts import BOLD
from .layout import (
    LANDSCAPE,
    SUM_FILL,
    FormDocument,
    PageHead,
    Progress,
    frame_size,
    grid_table,
    money,
    para,
    styles,
    title_block,
    watch_progress,
)
from .model import FundingStatement, RenderResult

HEADER = ["Aktenzeichen", "Zuwendungsgeber", "Bewilligungs-\nzeitraum", "Bewilligt\n(gesamt)",
          "Soll im\nZeitraum", "Erhalten", "Ist-Ausgaben", "Zustehende\nZuwendung", "Saldo"]
AMOUNT = 70
AMOUNT_COLUMNS = (3, 4, 5, 6, 7, 8)


def _amounts(decided: int, line: BalanceLine) -> list[str]:
    return [money(decided), money(line.planned or 0), money(line.received or 0), money(line.actual),
            money(line.due or 0), money(line.balance or 0)]


def _sum_row(label: str, decided: int, line: BalanceLine) -> list:
    return [label, "", ""] + _amounts(decided, line)


def _widths() -> list[float]:
    width, _ = frame_size(LANDSCAPE)
    fixed = [100, 0, 92] + [AMOUNT] * len(AMOUNT_COLUMNS)
    fixed[1] = width - sum(fixed)
    return fixed


def statement_story(doc: FundingStatement) -> list[Flowable]:
    st = styles()
    story: list[Flowable] = title_block("Förderübersicht",
                                        f"Alle Zuwendungsbescheide im Zeitraum {doc.period.format()}, "
                                        "nach Förderbereichen")
    if not doc.groups:
        return story + [para("In diesem Zeitraum gibt es keine Zuwendungsbescheide.", st["text"])]
    partial = False
    for group in doc.groups:
        story.append(para(f"Förderbereich {group.funding_area}", st["h2"]))
        rows: list[list] = [HEADER]
        for row in group.rows:
            partial |= row.partial
            rows.append([para(row.file_number + (" *" if row.partial else ""), st["cell"]),
                         para(row.grantor, st["cell"]),
                         f"{format_date(row.first_day)} –\n{format_date(row.last_day)}",
                         *_amounts(row.decided_cents, row.figures)])
        rows.append(_sum_row(f"Summe {group.funding_area}", group.decided_cents, group.total))
        story.append(grid_table(rows, _widths(), right_columns=AMOUNT_COLUMNS, font_size=8, leading=10,
                                extra=[("SPAN", (0, -1), (2, -1)), ("FONT", (0, -1), (-1, -1), BOLD, 8, 10),
                                       ("BACKGROUND", (0, -1), (-1, -1), SUM_FILL)]))
    story.append(Spacer(1, 10))
    total = [[""] + ["", ""] + HEADER[3:], _sum_row("Gesamtsumme aller Förderbereiche", doc.decided_cents, doc.total)]
    story.append(grid_table(total, _widths(), right_columns=AMOUNT_COLUMNS, font_size=8.5, leading=10.5,
                            extra=[("SPAN", (0, 0), (2, 0)), ("SPAN", (0, -1), (2, -1)),
                                   ("FONT", (0, -1), (-1, -1), BOLD, 8.5, 10.5),
                                   ("BACKGROUND", (0, -1), (-1, -1), SUM_FILL)]))
    story.append(Spacer(1, 8))
    story.append(para(
        "Bewilligt: Betrag der letzten Fassung des Bescheids. Soll im Zeitraum: der Teil der Zuwendung, der "
        f"auf die Zeit vom {format_date(doc.period.start)} bis {format_date(doc.period.last_day)} entfällt. "
        "Erhalten, Ist-Ausgaben (eigene Belege und Weiterleitungen, abzüglich von Trägern nicht nachgewiesener "
        "Mittel) und zustehende Zuwendung wie im Verwendungs- bzw. Zwischennachweis. "
        "Saldo = zustehende Zuwendung − erhalten − angefordert: positiv Nachforderung, negativ Rückforderung.",
        st["small"]))
    if partial:
        story.append(para("* Der Zeitraum deckt nur einen Teil des Bewilligungszeitraums ab: abgerechnet wie in "
                          "einem Zwischennachweis für diesen Teil.", st["small"]))
    return story


def render_funding_statement(doc: FundingStatement, target: str | BinaryIO, *,
                             progress: Progress | None = None) -> RenderResult:
    document = FormDocument(target, PageHead(doc.letterhead, "Förderübersicht", ""), first=LANDSCAPE)
    watch_progress(document, progress)
    return RenderResult(document.render(statement_story(doc)))
