"""The first page of a proof package: who sends it, to whom, for which decision, the result in
brief and what the package contains."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.platypus import Flowable, Spacer, Table

from ..core.periods import Period
from ..core.proof_figures import balance_label
from .fonts import BOLD
from .layout import (
    Bookmark,
    PORTRAIT,
    SUM_FILL,
    clean_text,
    frame_size,
    grid_style,
    grid_table,
    key_value_table,
    money,
    para,
    styles,
    title_block,
)
from .model import DecisionHead, Letterhead, NumericProof
from .numeric_proof import decision_pairs


def parties_table(letter: Letterhead, decision: DecisionHead, width: float) -> Table:
    st = styles()
    sender = [letter.owner_name, letter.owner_kind, *letter.address_lines, f"AGS {letter.ags}"]
    contact = [c for c in (letter.contact_name, letter.contact_phone, letter.contact_email) if c]
    if contact:
        sender.append("Ansprechpartner:in: " + ", ".join(contact))
    rows = [["Zuwendungsempfänger", "Zuwendungsgeber"],
            [para("\n".join(clean_text(s) for s in sender if s), st["form"]), para(grantor_block(decision), st["form"])]]
    table = Table(rows, colWidths=[width * 0.55, width * 0.45], hAlign="LEFT")
    table.setStyle(grid_style())
    return table


def grantor_block(decision: DecisionHead) -> str:
    """The grantor's postal address block (its record's lines), or the decision's grantor text."""
    lines = list(decision.grantor_address) or [decision.grantor]
    if decision.grantor_email:
        lines.append(decision.grantor_email)
    return "\n".join(lines)


def summary_table(total: NumericProof, width: float, *, provisional: bool = False) -> Table:
    fig = total.figures
    balance = fig.balance or 0
    rows = [
        ["Ergebnis in Kürze", "Betrag"],
        ["Bewilligte Zuwendung – Anteil im Zeitraum" if provisional else "Bewilligte Zuwendung",
         money(fig.planned or 0)],
        ["Gesamtausgaben (Ist)", money(fig.actual)],
        ["Zustehende Zuwendung", money(fig.due or 0)],
        ["Erhaltene Zahlungen", money(fig.received or 0)],
    ]
    if fig.requested_open:
        rows.append(["Angefordert, noch nicht eingegangen", money(fig.requested_open)])
    rows.append([f"{'Vorläufiger ' if provisional else ''}Saldo: {balance_label(balance)}", money(abs(balance))])
    return grid_table(rows, [width - 120, 120], right_columns=(1,),
                      extra=[("FONT", (0, -1), (-1, -1), BOLD, 9, 11.5),
                             ("BACKGROUND", (0, -1), (-1, -1), SUM_FILL)])


def cover_story(*, title: str, letter: Letterhead, decision: DecisionHead, period: Period,
                total: NumericProof, contents: Sequence[str], period_label: str,
                provisional: bool = False) -> list[Flowable]:
    st = styles()
    width, _ = frame_size(PORTRAIT)
    story: list[Flowable] = title_block(title, f"Pakt für Integration – Förderbereich {decision.funding_area}")
    story += [parties_table(letter, decision, width), Spacer(1, 10),
              para("Zuwendungsbescheid", st["h2"]),
              key_value_table(decision_pairs(decision, period, period_label=period_label), [150, width - 150]),
              Spacer(1, 10), summary_table(total, width, provisional=provisional), Spacer(1, 10),
              para("Inhalt", st["h2"])]
    rows = [[f"{number}.", para(text, st["form"])] for number, text in enumerate(contents, start=1)]
    story.insert(0, Bookmark(title))
    story.append(grid_table(rows, [22, width - 22], header_rows=0))
    return story
