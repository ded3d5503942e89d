"""Rules of a person's employment history as pure functions: the total VZÄ over time (a sweep
over all dates where a share starts or ends), interruptions inside employment, ending a person.

Shares are stored with an inclusive ``last_day`` (None = open); internally a share covers the
half-open range ``[first_day, last_day + 1)``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import date, timedelta

from .entities import Employment, Interruption
from .errors import ValidationError
from .periods import format_date
from .validation import VZA_MAX_MILLI, format_vza


def _end(share: Employment) -> date | None:
    """First day after the share (exclusive end), None when open-ended."""
    return share.last_day + timedelta(days=1) if share.last_day else None


def total_steps(shares: Iterable[Employment]) -> list[tuple[date, int]]:
    """The total VZÄ as a step function: ``(day, total from this day on)`` at every boundary,
    sorted by day. Before the first entry the total is 0."""
    changes: dict[date, int] = {}
    for share in shares:
        changes[share.first_day] = changes.get(share.first_day, 0) + share.vza_milli
        end = _end(share)
        if end is not None:
            changes[end] = changes.get(end, 0) - share.vza_milli
    steps, total = [], 0
    for day in sorted(changes):
        total += changes[day]
        steps.append((day, total))
    return steps


def total_on(shares: Iterable[Employment], day: date) -> int:
    """Sum of the shares active on ``day``."""
    return sum(s.vza_milli for s in shares if s.active_on(day))


def first_excess(item: Employment, others: Iterable[Employment], *,
                 limit: int = VZA_MAX_MILLI) -> tuple[date, int] | None:
    """The first day inside ``item``'s range on which ``item`` plus the person's other shares
    exceed ``limit``, with the total then; None if they never do.

    A sweep over every boundary of every share: a share that began before ``item`` and is still
    running counts from ``item.first_day`` on, one that starts or ends inside counts from then.
    ``others`` may contain the stored version of ``item`` (same id); it is left out.
    """
    shares = [o for o in others if item.id is None or o.id != item.id] + [item]
    item_end = _end(item)
    total = 0
    steps = total_steps(shares)
    for index, (day, value) in enumerate(steps):
        next_day = steps[index + 1][0] if index + 1 < len(steps) else None
        total = value
        # the step [day, next_day) overlaps the item's range [first_day, item_end)?
        starts_before_item_end = item_end is None or day < item_end
        ends_after_item_start = next_day is None or next_day > item.first_day
        if total > limit and starts_before_item_end and ends_after_item_start:
            return max(day, item.first_day), total
    return None


def check_total_vza(item: Employment, others: Iterable[Employment]) -> None:
    """Raise a German :class:`ValidationError` when the person's shares would exceed 1,0 VZÄ."""
    found = first_excess(item, others)
    if found:
        day, total = found
        raise ValidationError(
            f"Am {format_date(day)} hätte die Person zusammen {format_vza(total)} VZÄ; "
            "mehr als 1,0 VZÄ ist nicht möglich. Bitte einen anderen Anteil beenden oder "
            "den Anteil verringern.",
            field="vza",
        )


def uncovered_day(first_day: date, last_day: date, shares: Iterable[Employment]) -> date | None:
    """The first day of ``[first_day, last_day]`` on which no share is active, or None."""
    day = first_day
    ordered = sorted(shares, key=lambda s: s.first_day)
    while day <= last_day:
        covering = [s for s in ordered if s.active_on(day)]
        if not covering:
            return day
        if any(s.last_day is None for s in covering):
            return None
        day = max(s.last_day for s in covering) + timedelta(days=1)
    return None


def check_interruption_fits(item: Interruption, shares: list[Employment],
                            others: list[Interruption]) -> None:
    """An interruption lies inside the person's employment and overlaps no other one."""
    gap = uncovered_day(item.first_day, item.last_day, shares)
    if gap is not None:
        raise ValidationError(
            f"Die Unterbrechung liegt außerhalb der Beschäftigung: am {format_date(gap)} hat die "
            "Person keinen Stellenanteil. Bitte zuerst den Stellenanteil erfassen oder die Daten "
            "der Unterbrechung prüfen.",
            field="first_day",
        )
    for other in others:
        if other.id is not None and other.id == item.id:
            continue
        if other.period.overlaps(item.period):
            raise ValidationError(
                f"Die Unterbrechung überschneidet sich mit der Unterbrechung "
                f"{other.period.format()} ({other.reason}).",
                field="first_day",
            )


def shares_to_close(shares: list[Employment], ended_on: date) -> list[Employment]:
    """The shares changed when a person leaves on ``ended_on`` (their last working day):
    open shares and shares running past that day end on it. A share that would only begin
    afterwards cannot be closed and is refused."""
    later = [s for s in shares if s.first_day > ended_on]
    if later:
        raise ValidationError(
            f"Der Stellenanteil ab {format_date(later[0].first_day)} beginnt nach dem "
            f"Ausscheiden am {format_date(ended_on)}. Bitte diesen Anteil zuerst ändern.",
            field="ended_on",
        )
    return [dataclasses.replace(s, last_day=ended_on) for s in shares
            if s.last_day is None or s.last_day > ended_on]


def check_interruptions_before_end(interruptions: list[Interruption], ended_on: date) -> None:
    for item in interruptions:
        if item.last_day > ended_on:
            raise ValidationError(
                f"Die Unterbrechung {item.period.format()} reicht über das Ausscheiden am "
                f"{format_date(ended_on)} hinaus. Bitte zuerst die Unterbrechung anpassen.",
                field="ended_on",
            )


def position_start(shares: Iterable[Employment], period_first: date | None) -> tuple[date | None, int | None]:
    """What the register proposes for a funded position: its start (the person's first working
    day, not before the decision's period) and the VZÄ employed on that day (None if unknown)."""
    shares = list(shares)
    if not shares:
        return period_first, None
    first_working = min(s.first_day for s in shares)
    start = max(first_working, period_first) if period_first else first_working
    employed = total_on(shares, start)
    return start, employed or None


def position_warnings(shares: Iterable[Employment], *, first_day: date | None, vza_milli: int | None) -> list[str]:
    """German warnings for a funded position that does not match the register: a start before
    the first working day, a VZÄ above what the person is employed for on the funded start."""
    shares = list(shares)
    if not shares or first_day is None:
        return []
    warnings = []
    first_working = min(s.first_day for s in shares)
    if first_day < first_working:
        warnings.append(f"Beginn {format_date(first_day)} liegt vor dem ersten Arbeitstag "
                        f"({format_date(first_working)}).")
    employed = total_on(shares, max(first_day, first_working))
    if vza_milli is not None and vza_milli > employed:
        warnings.append(f"{format_vza(vza_milli)} VZÄ gefördert, beschäftigt aber nur mit {format_vza(employed)} VZÄ.")
    return warnings
