"""The Sachbericht's one rule about providers' contributions.

A provider's contribution is printed as its own section after the applicant's text, unless the
clerk has merged it into that text (its words appear there unchanged, line breaks and spacing
aside): then it is not printed a second time."""

from __future__ import annotations

import re

OUTLINE = ("1. Ausgangslage", "2. Ziele und Umsetzung", "3. Ergebnisse",
           "4. Zusammenarbeit mit den Trägern", "5. Ausblick")


def outline_text() -> str:
    """The heading outline an empty Sachbericht starts from."""
    return "\n\n\n".join(OUTLINE) + "\n"


def _words(text: str) -> str:
    return " ".join(re.sub(r"\s+", " ", text).split())


def is_merged(contribution: str, applicant_text: str) -> bool:
    """True when the (non-empty) contribution appears word for word in the applicant's text."""
    words = _words(contribution)
    return bool(words) and words in _words(applicant_text)
