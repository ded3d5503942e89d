"""Sachbericht: the clerk's stored text, printed with its headings, plus the providers' parts.

Text conventions (what the editor's outline produces): a blank line starts a new paragraph;
a short first line like "1. Ausgangslage", "2.1 Ziele" or "# Ergebnisse" is a heading; lines
starting with "-", "•", "*" or "1)" are list items; other line breaks inside a paragraph are
soft and joined. Everything else is printed literally (escaped), whatever characters it holds.
A report longer than about three pages is printed but produces a warning."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable

from .layout import (
    PageMarker,
    clean_text,
    escape_text,
    markup,
    para,
    styles,
    title_block,
)
from .model import NarrativeSection

RECOMMENDED_PAGES = 3
_HEADING = re.compile(r"^(#{1,3}\s+\S.*|(\d+(\.\d+)*\.?|[IVX]+\.)\s+\S.*)$")
_ITEM = re.compile(r"^\s*([-•*]|\d+\))\s+")


def _is_heading(line: str) -> bool:
    text = line.strip()
    return bool(_HEADING.match(text)) and len(text) <= 80 and not text.endswith((".", ":", ",", ";"))


def blocks(text: str) -> Iterator[tuple[str, str]]:
    """``(kind, text)`` pairs: kind is ``heading``, ``item`` or ``paragraph``; text is plain."""
    for chunk in re.split(r"\n\s*\n", clean_text(text)):
        lines = [line.rstrip() for line in chunk.split("\n") if line.strip()]
        if not lines:
            continue
        if _is_heading(lines[0]):
            yield "heading", lines[0].strip().lstrip("#").strip()
            lines = lines[1:]
        current: list[str] = []
        for line in lines:
            if _ITEM.match(line):
                if current:
                    yield "paragraph", " ".join(current)
                    current = []
                yield "item", _ITEM.sub("", line, count=1)
            else:
                current.append(line.strip())
        if current:
            yield "paragraph", " ".join(current)


def section_flowables(section: NarrativeSection) -> list[Flowable]:
    st = styles()
    out: list[Flowable] = []
    if not section.is_applicant:
        out.append(para(f"Beitrag des Trägers: {section.author}", st["h1"]))
    found = False
    for kind, text in blocks(section.text):
        found = True
        if kind == "heading":
            out.append(para(text, st["h2"]))
        elif kind == "item":
            out.append(markup(escape_text(text), _item_style()))
        else:
            out.append(para(text, st["text"]))
    if not found:
        out.append(para("(kein Text erfasst)", st["small"]))
    return out


@functools.cache
def _item_style() -> ParagraphStyle:
    return ParagraphStyle("item", parent=styles()["text"], leftIndent=14, bulletIndent=4, bulletText="–",
                          spaceAfter=2)


def narrative_story(sections: tuple[NarrativeSection, ...], *, subtitle: str,
                    pages: dict[str, int]) -> list[Flowable]:
    """The Sachbericht on fresh portrait pages; ``pages`` receives its first and last page."""
    st = styles()
    story: list[Flowable] = [PageMarker(pages, "narrative_start")]
    story += title_block("Sachbericht", subtitle)
    if not any(s.text.strip() for s in sections):
        story.append(para("Für diesen Bescheid ist noch kein Sachbericht erfasst.", st["text"]))
    for section in sections:
        story += section_flowables(section)
    story.append(PageMarker(pages, "narrative_end"))
    return story


def length_warning(pages: dict[str, int]) -> str | None:
    if "narrative_start" not in pages or "narrative_end" not in pages:
        return None
    count = pages["narrative_end"] - pages["narrative_start"] + 1
    if count > RECOMMENDED_PAGES:
        return (f"Der Sachbericht umfasst {count} Seiten; erwartet werden etwa {RECOMMENDED_PAGES}. "
                "Bitte prüfen, ob er gekürzt werden kann.")
    return None
