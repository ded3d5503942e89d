"""Open deadlines as an iCalendar file (RFC 5545) that Outlook and other calendars import.

Written by hand because the subset is small: one all-day VEVENT per deadline with a reminder
(VALARM). The UID comes from the deadline's stable key, and SEQUENCE grows with the export time,
so importing a newer file updates the events instead of duplicating them. A deadline marked done
goes out once more with the same UID, a higher SEQUENCE and ``STATUS:CANCELLED`` (no reminder),
so a calendar that imported an earlier file drops it. A reminder is only written where it still
lies ahead (a deadline nine days away gets one nine days before it, an overdue one none). Lines
end in CRLF and are folded at 75 octets without splitting a UTF-8 character; text values are
escaped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from .. import atomic
from ..core.deadlines import Deadline
from ..core.errors import PaktDeskError
from ..core.periods import format_date
from ..core.os_errors import reason as os_reason

PRODID = "-//PaktDesk//Fristen//DE"
_SEQUENCE_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
_UID_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")
MAX_OCTETS = 75
_UNITS = re.compile(r"\\.|.", re.DOTALL)  # an escape pair stays on one line


def escape_text(value: str) -> str:
    """TEXT value escaping (RFC 5545 §3.3.11): backslash, semicolon, comma, line breaks."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets (the leading space of a
    continuation counts), never inside a multi-byte character or a backslash escape."""
    if len(line.encode("utf-8")) <= MAX_OCTETS:
        return line
    pieces, current, size, limit = [], [], 0, MAX_OCTETS
    for unit in _UNITS.findall(line):
        width = len(unit.encode("utf-8"))
        if size + width > limit:
            pieces.append("".join(current))
            current, size, limit = [], 0, MAX_OCTETS - 1
        current.append(unit)
        size += width
    pieces.append("".join(current))
    return "\r\n ".join(pieces)


def uid_for(key: str, domain: str) -> str:
    """A stable UID per deadline key (and per data owner via ``domain``)."""
    return f"{_UID_UNSAFE.sub('-', key)}@{_UID_UNSAFE.sub('-', domain)}"


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _day(value: date) -> str:
    return value.strftime("%Y%m%d")


def event_lines(deadline: Deadline, *, now: datetime, uid_domain: str, reminder_days: int,
                today: date | None = None, cancelled: bool = False) -> list[str]:
    summary = f"{deadline.kind.label}: {deadline.concerns}"
    description = "\n".join(part for part in (
        deadline.concerns, deadline.detail, f"Fällig am {format_date(deadline.due)}",
        "Erledigt; aus dem Kalender zu entfernen." if cancelled else "", "Aus PaktDesk exportiert.") if part)
    sequence = max(0, int((now - _SEQUENCE_EPOCH).total_seconds() // 60))
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid_for(deadline.key, uid_domain)}",
        f"DTSTAMP:{_stamp(now)}",
        f"SEQUENCE:{sequence}",
        f"DTSTART;VALUE=DATE:{_day(deadline.due)}",
        f"DTEND;VALUE=DATE:{_day(deadline.due + timedelta(days=1))}",
        f"SUMMARY:{escape_text(summary)}",
        f"DESCRIPTION:{escape_text(description)}",
        f"CATEGORIES:{escape_text(deadline.kind.label)}",
        "TRANSP:TRANSPARENT",
    ]
    if cancelled:
        lines.append("STATUS:CANCELLED")
    else:
        lines.append("STATUS:CONFIRMED")
        ahead = (deadline.due - (today or now.date())).days
        days = min(int(reminder_days), ahead)
        if days > 0:  # never a reminder that lies in the past
            lines += ["BEGIN:VALARM", "ACTION:DISPLAY", f"DESCRIPTION:{escape_text(summary)}",
                      f"TRIGGER:-P{days}D", "END:VALARM"]
    lines.append("END:VEVENT")
    return lines


def render(deadlines: Iterable[Deadline], *, now: datetime | None = None, uid_domain: str,
           calendar_name: str = "PaktDesk Fristen", reminder_days: int = 14,
           cancelled: Iterable[Deadline] = (), today: date | None = None) -> bytes:
    """The calendar as bytes (UTF-8, CRLF): the open ``deadlines``, and the ``cancelled`` ones
    (marked done since) as cancellations of their events."""
    now = now or datetime.now(UTC)
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"X-WR-CALNAME:{escape_text(calendar_name)}"]
    events = [(d, False) for d in deadlines] + [(d, True) for d in cancelled]
    for deadline, gone in sorted(events, key=lambda item: (item[0].due, item[0].key)):
        lines.extend(event_lines(deadline, now=now, uid_domain=uid_domain, reminder_days=reminder_days,
                                 today=today, cancelled=gone))
    lines.append("END:VCALENDAR")
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")


def write(path: Path, data: bytes) -> None:
    """Write through :mod:`paktdesk.atomic`: never a half-written file."""
    path = Path(path)
    if not path.parent.is_dir():
        raise PaktDeskError(f"Die Datei kann in „{path.parent}“ nicht angelegt werden: "
                            "der Ordner existiert nicht.")
    try:
        atomic.write_bytes(path, data)
    except OSError as err:
        raise PaktDeskError(f"Die Datei „{path.name}“ konnte nicht geschrieben werden: "
                            f"{os_reason(err)}.") from err
