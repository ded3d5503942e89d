"""Verwendungsnachweis: the whole package for one decision in one PDF.

Cover, numeric proof for the decision and one per integration manager, Sachbericht,
Belegliste per cost category (landscape), key figures "Auswertung Zeitraum" (landscape) and
the confirmations with signature lines."""

from __future__ import annotations

from typing import BinaryIO

from reportlab.platypus import Flowable

from .belegliste import heading_for, receipt_list_story
from .confirmations import confirmations_story
from .cover import cover_story
from .key_figures import key_figure_story
from .layout import (
    LANDSCAPE,
    Bookmark,
    PORTRAIT,
    FormDocument,
    PageHead,
    Progress,
    para,
    section_break,
    styles,
    watch_progress,
)
from ..core.periods import format_date
from .model import ProofOfUse, ReceiptList, RenderResult
from .narrative import length_warning, narrative_story
from .numeric_proof import numeric_proof_story


def receipt_lists_story(lists: tuple[ReceiptList, ...], *, context: str) -> list[Flowable]:
    """Every Belegliste on its own landscape pages (a notice when there are no receipts)."""
    story: list[Flowable] = []
    if not any(lst.lines for lst in lists):
        story += section_break(LANDSCAPE)
        story += [Bookmark("Beleglisten"), para("Beleglisten", styles()["h1"]),
                  para("Für diesen Zeitraum sind keine Belege erfasst.", styles()["text"])]
        return story
    for receipts in lists:
        if not receipts.lines:
            continue
        story += section_break(LANDSCAPE)
        if not story[2:]:
            story.append(Bookmark("Beleglisten"))
        story.append(Bookmark(f"Belegliste {receipts.label}", level=1))
        story += receipt_list_story(receipts, heading=heading_for(receipts, context))
    return story


def narrative_reference(doc: ProofOfUse) -> str:
    """The line each per-person sheet refers to the applicant's one Sachbericht with."""
    owner = doc.letterhead.owner_name
    if not doc.has_narrative:
        return f"Sachbericht: Der Sachbericht des Antragstellers {owner} liegt noch nicht vor."
    day = f" vom {format_date(doc.narrative_on)}" if doc.narrative_on else ""
    return f"Sachbericht: siehe Sachbericht des Antragstellers {owner}{day}."


def contents(numeric_count: int, lists: tuple[ReceiptList, ...], *, narrative: bool, key_figures: bool,
             include_receipts: bool = True) -> list[str]:
    persons = numeric_count - 1
    lines = ["Zahlenmäßiger Nachweis für den Bescheid insgesamt"
             + (f" und je Integrationsmanager:in ({persons})" if persons else "")]
    if narrative:
        lines.append("Sachbericht")
    filled = [lst for lst in lists if lst.lines]
    receipts = sum(len(lst.lines) for lst in filled)
    if include_receipts:
        lines.append(f"Beleglisten je Kostenart ({len(filled)} Kostenarten, {receipts} Belege)")
    else:
        lines.append(f"Belegliste – nur auf Anforderung ({receipts} Belege in {len(filled)} Kostenarten; "
                     "nicht beigefügt)")
    if key_figures:
        lines.append("Kennzahlen – Auswertung Zeitraum")
    lines.append("Bestätigungen mit Unterschriften")
    return lines


def render_proof_of_use(doc: ProofOfUse, target: str | BinaryIO, *,
                        progress: Progress | None = None) -> RenderResult:
    decision = doc.decision
    context = f"Bescheid {decision.file_number} · {doc.period.format()}"
    pages: dict[str, int] = {}
    story: list[Flowable] = cover_story(
        title="Verwendungsnachweis", letter=doc.letterhead, decision=decision, period=doc.period,
        total=doc.numeric[0], period_label="Nachweiszeitraum",
        contents=contents(len(doc.numeric), doc.receipt_lists, narrative=True,
                          key_figures=doc.key_figures is not None, include_receipts=doc.include_receipt_lists))
    reference = narrative_reference(doc)
    for proof in doc.numeric:
        story += section_break(PORTRAIT)
        story += numeric_proof_story(proof, decision, doc.period,
                                     explanation=None if proof.is_person else doc.explanation,
                                     signature=doc.confirmations if proof.is_person else None,
                                     narrative_ref=reference)
    story += section_break(PORTRAIT)
    story.append(Bookmark("Sachbericht"))
    story += narrative_story(doc.narrative, subtitle=f"zum Verwendungsnachweis · {context}", pages=pages)
    if doc.include_receipt_lists:
        story += receipt_lists_story(doc.receipt_lists, context=context)
    if doc.key_figures is not None:
        story += section_break(LANDSCAPE)
        story.append(Bookmark("Kennzahlen – Auswertung Zeitraum"))
        story += key_figure_story(doc.key_figures, subtitle=context)
    story += section_break(PORTRAIT)
    story.append(Bookmark("Bestätigungen"))
    story += confirmations_story(doc.confirmations, subtitle=f"zum Verwendungsnachweis · {context}")
    document = FormDocument(target, PageHead(doc.letterhead, "Verwendungsnachweis", decision.file_number),
                            draft=doc.draft)
    watch_progress(document, progress)
    count = document.render(story)
    warnings = [w for w in (length_warning(pages),) if w]
    if not doc.has_narrative:
        warnings.append("Es ist noch kein Sachbericht erfasst.")
    if doc.key_figures is not None:
        warnings.extend(f"Kennzahlen: {problem}" for problem in doc.key_figures.problems)
    return RenderResult(count, tuple(warnings))
