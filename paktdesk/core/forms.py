"""Rules the printed forms state beyond the money: retention of receipts, which grantor
record a decision's grantor text means."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from .entities import Grantor


def retention_end(submitted_on: date, years: int) -> date:
    """The last day receipts must be kept: ``years`` after the proof of use was submitted
    (ANBest-K 6.4 analogue, five years by default; domain.md §8). 29 February → 28 February."""
    try:
        return submitted_on.replace(year=submitted_on.year + years)
    except ValueError:
        return submitted_on.replace(year=submitted_on.year + years, day=28)


def grantor_for(text: str, grantors: Sequence[Grantor]) -> Grantor | None:
    """The grantor record whose name the decision's grantor text starts with (the longest such
    name wins: "Landratsamt Rems-Murr-Kreis" before "Landratsamt"); case and spaces ignored."""
    wanted = " ".join(text.split()).casefold()
    matches = [g for g in grantors if wanted.startswith(" ".join(g.name.split()).casefold())]
    return max(matches, key=lambda g: len(g.name.strip()), default=None)
