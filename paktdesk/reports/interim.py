"""Zwischennachweis: the numbers and receipts of a period inside a decision.

Cover, numeric proof for the decision and per integration manager (limited to the period,
with a provisional balance), Belegliste per cost category and the confirmations."""

from __future__ import annotations

from typing import BinaryIO

from reportlab.platypus import Flowable

from .confirmations import confirmations_story
from .cover import cover_story
from .layout import (
    PORTRAIT,
    Bookmark,
    FormDocument,
    PageHead,
    Progress,
    section_break,
    watch_progress,
)
from .model import InterimProof, RenderResult
from .numeric_proof import numeric_proof_story
from .proof_of_use import contents, receipt_lists_story


def render_interim(doc: InterimProof, target: str | BinaryIO, *, progress: Progress | None = None) -> RenderResult:
    decision = doc.decision
    context = f"Bescheid {decision.file_number} · Zwischennachweis {doc.period.format()}"
    story: list[Flowable] = cover_story(
        title="Zwischennachweis", letter=doc.letterhead, decision=decision, period=doc.period,
        total=doc.numeric[0], period_label="Zeitraum des Zwischennachweises", provisional=True,
        contents=contents(len(doc.numeric), doc.receipt_lists, narrative=False, key_figures=False,
                          include_receipts=doc.include_receipt_lists))
    for proof in doc.numeric:
        story += section_break(PORTRAIT)
        story += numeric_proof_story(proof, decision, doc.period, document="Zwischennachweis", provisional=True,
                                     explanation=None if proof.is_person else doc.explanation,
                                     signature=doc.confirmations if proof.is_person else None,
                                     narrative_ref="")
    if doc.include_receipt_lists:
        story += receipt_lists_story(doc.receipt_lists, context=context)
    story += section_break(PORTRAIT)
    story.append(Bookmark("Bestätigungen"))
    story += confirmations_story(doc.confirmations, subtitle=f"zum Zwischennachweis · {context}")
    document = FormDocument(target, PageHead(doc.letterhead, "Zwischennachweis", decision.file_number))
    watch_progress(document, progress)
    return RenderResult(document.render(story))
