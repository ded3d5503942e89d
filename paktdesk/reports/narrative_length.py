"""How many pages a Sachbericht will take in the printed Verwendungsnachweis, for the editor.

The sections are laid out exactly as the proof of use prints them (same page, fonts and
styles) into memory and the pages counted; for very long texts the count is extrapolated
from a sample, so the editor stays responsive while typing."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

from .layout import FormDocument, PageHead
from .model import Letterhead, NarrativeSection
from .narrative import RECOMMENDED_PAGES, narrative_story

EXACT_LIMIT = 120_000  # characters laid out exactly (well under 0.2 s); longer texts are extrapolated


def _layout_pages(sections: Sequence[NarrativeSection]) -> int:
    head = PageHead(Letterhead("", "", "", date.today()), "Verwendungsnachweis", "")
    pages: dict[str, int] = {}
    document = FormDocument(io.BytesIO(), head)
    document.render(narrative_story(tuple(sections), subtitle="zum Verwendungsnachweis", pages=pages))
    return pages.get("narrative_end", 1) - pages.get("narrative_start", 1) + 1


def estimate_pages(sections: Sequence[NarrativeSection]) -> int:
    """Pages of the Sachbericht with these sections (at least 1)."""
    size = sum(len(s.text) for s in sections)
    if size <= EXACT_LIMIT:
        return _layout_pages(sections)
    # lay out the first EXACT_LIMIT characters and scale; a long text's page fill is uniform
    ratio = size / EXACT_LIMIT
    kept, left = [], EXACT_LIMIT
    for section in sections:
        part = section.text[:left]
        kept.append(NarrativeSection(section.author, part, section.is_applicant))
        left -= len(part)
        if left <= 0:
            break
    return max(1, round(_layout_pages(kept) * ratio))


def is_too_long(pages: int) -> bool:
    return pages > RECOMMENDED_PAGES


__all__ = ["RECOMMENDED_PAGES", "estimate_pages", "is_too_long"]
