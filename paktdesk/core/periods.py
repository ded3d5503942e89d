"""Dates and periods.

A :class:`Period` is half-open, ``[start, end)``: ``end`` is the first day *after* it. Forms print
periods inclusive ("01.07.2017 – 30.06.2019"); parse and format helpers for German dates live here.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from .digits import refuse_foreign_digits
from .errors import ValidationError


def format_date(value: date | None) -> str:
    # the same text as strftime("%d.%m.%Y"), several times faster (lists format thousands of dates)
    return f"{value.day:02d}.{value.month:02d}.{value.year:04d}" if value else ""


def parse_date(text: str, *, field: str | None = None) -> date:
    """``"01.07.2017"`` or ISO ``"2017-07-01"`` → date; a German message otherwise."""
    refuse_foreign_digits(text, field=field)
    raw = (text or "").strip()
    try:
        if "-" in raw:
            return date.fromisoformat(raw)
        day, month, year = raw.split(".")
        return date(int(year), int(month), int(day))
    except (ValueError, TypeError):
        raise ValidationError(
            f"„{text}“ ist kein gültiges Datum. Bitte TT.MM.JJJJ eingeben, z. B. 01.07.2017.",
            field=field,
        ) from None


def add_months(day: date, months: int) -> date:
    """Same day ``months`` later, clamped to the month's end (31.01. + 1 → 28./29.02.)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_between(start: date, end: date) -> int:
    """Whole months from ``start`` to ``end`` (half-open), e.g. 01.07.2017 → 01.07.2019 = 24."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if add_months(start, months) > end:
        months -= 1
    return months


@dataclass(frozen=True, slots=True)
class Period:
    start: date
    end: date  # exclusive

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValidationError(
                f"Das Ende ({format_date(self.last_day)}) liegt vor dem Beginn "
                f"({format_date(self.start)}).",
                field="end",
            )

    @classmethod
    def inclusive(cls, first: date, last: date) -> Period:
        """Build from the first and last day as printed on a form."""
        if last < first:
            raise ValidationError(
                f"Das Ende ({format_date(last)}) liegt vor dem Beginn ({format_date(first)}).",
                field="end",
            )
        return cls(first, last + timedelta(days=1))

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    def __contains__(self, day: date) -> bool:
        return self.start <= day < self.end

    def overlaps(self, other: Period) -> bool:
        return self.start < other.end and other.start < self.end

    def intersection(self, other: Period) -> Period | None:
        start, end = max(self.start, other.start), min(self.end, other.end)
        return Period(start, end) if start < end else None

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def months(self) -> int:
        return months_between(self.start, self.end)

    def format(self) -> str:
        return f"{format_date(self.start)} – {format_date(self.last_day)}"
