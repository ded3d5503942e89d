"""Förderübersicht: every decision touching a year or period, grouped by Förderbereich, with
the money decided, received, spent and passed on in the period and the remaining balance."""

from __future__ import annotations

from typing import BinaryIO

from reportlab.platypus import Flowable, Spacer

from ..core.periods import format_date
from ..core.proof_figures import statement_balance
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
from .model import FundingStatement, RenderResult, StatementRow

HEADER = ["Aktenzeichen", "Zuwendungsgeber", "Bewilligungs-\nzeitraum", "Bewilligt\n(gesamt)",
          "Erhalten", "Ausgegeben", "Weitergeleitet", "Saldo"]
AMOUNT = 82


def _sums(rows: tuple[StatementRow, ...] | list[StatementRow]) -> list[int]:
    return [sum(r.decided_cents for r in rows), sum(r.received_cents for r in rows),
            sum(r.spent_cents for r in rows), sum(r.passed_on_cents for r in rows)]


def _sum_row(label: str, rows) -> list:
    decided, received, spent, passed_on = _sums(rows)
    balance = statement_balance(received_cents=received, spent_cents=spent, passed_on_cents=passed_on)
    return [label, "", "", money(decided), money(received), money(spent), money(passed_on), money(balance)]


def _widths() -> list[float]:
    width, _ = frame_size(LANDSCAPE)
    fixed = [110, 0, 118] + [AMOUNT] * 5
    fixed[1] = width - sum(fixed)
    return fixed


def statement_story(doc: FundingStatement) -> list[Flowable]:
    st = styles()
    story: list[Flowable] = title_block("Förderübersicht",
                                        f"Alle Zuwendungsbescheide im Zeitraum {doc.period.format()}, "
                                        "nach Förderbereichen")
    if not doc.groups:
        return story + [para("In diesem Zeitraum gibt es keine Zuwendungsbescheide.", st["text"])]
    all_rows: list[StatementRow] = []
    for group in doc.groups:
        story.append(para(f"Förderbereich {group.funding_area}", st["h2"]))
        rows: list[list] = [HEADER]
        for row in group.rows:
            rows.append([para(row.file_number, st["cell"]), para(row.grantor, st["cell"]),
                         f"{format_date(row.first_day)} –\n{format_date(row.last_day)}",
                         money(row.decided_cents), money(row.received_cents), money(row.spent_cents),
                         money(row.passed_on_cents), money(row.balance_cents)])
        rows.append(_sum_row(f"Summe {group.funding_area}", group.rows))
        all_rows += group.rows
        story.append(grid_table(rows, _widths(), right_columns=(3, 4, 5, 6, 7), font_size=8, leading=10,
                                extra=[("SPAN", (0, -1), (2, -1)), ("FONT", (0, -1), (-1, -1), BOLD, 8, 10),
                                       ("BACKGROUND", (0, -1), (-1, -1), SUM_FILL)]))
    story.append(Spacer(1, 10))
    total = [HEADER[:1] + ["", ""] + HEADER[3:], _sum_row("Gesamtsumme aller Förderbereiche", all_rows)]
    total[0][0] = ""
    story.append(grid_table(total, _widths(), right_columns=(3, 4, 5, 6, 7), font_size=8.5, leading=10.5,
                            extra=[("SPAN", (0, 0), (2, 0)), ("SPAN", (0, -1), (2, -1)),
                                   ("FONT", (0, -1), (-1, -1), BOLD, 8.5, 10.5),
                                   ("BACKGROUND", (0, -1), (-1, -1), SUM_FILL)]))
    story.append(Spacer(1, 8))
    story.append(para("Bewilligt: Betrag der letzten Fassung des Bescheids. Erhalten, Ausgegeben und "
                      f"Weitergeleitet: Zahlungseingänge, Belege und Weiterleitungen vom {format_date(doc.period.start)} "
                      f"bis {format_date(doc.period.last_day)}. Saldo = Erhalten − Ausgegeben − Weitergeleitet.",
                      st["small"]))
    return story


def render_funding_statement(doc: FundingStatement, target: str | BinaryIO, *,
                             progress: Progress | None = None) -> RenderResult:
    document = FormDocument(target, PageHead(doc.letterhead, "Förderübersicht", ""), first=LANDSCAPE)
    watch_progress(document, progress)
    return RenderResult(document.render(statement_story(doc)))
