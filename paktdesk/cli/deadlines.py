"""``paktdesk deadlines``: the deadline board in the terminal, optionally as an ICS calendar."""

from __future__ import annotations

from pathlib import Path

from .base import EXIT_OK, add_command


def register(commands) -> None:
    deadlines = add_command(commands, "deadlines", "Fristen-Übersicht ausgeben (optional als ICS-Kalender)",
                            cmd_deadlines)
    deadlines.add_argument("--ics", metavar="PFAD", type=Path,
                           help="offene Fristen zusätzlich als Kalenderdatei (.ics) speichern")
    deadlines.add_argument("--stichtag", metavar="DATUM",
                           help="Übersicht zu diesem Tag (TT.MM.JJJJ), Standard: heute (bei Demo-Daten deren Stichtag)")
    deadlines.add_argument("--alle", action="store_true",
                           help="auch erledigte und vergangene Fristen zeigen")


def _german_day(stamp: str | None) -> str:
    """``2026-12-07`` or ``2026-12-07T09:15:00+00:00`` → ``07.12.2026`` (as every date on screen)."""
    from datetime import date

    from ..core.periods import format_date

    try:
        return format_date(date.fromisoformat(str(stamp)[:10]))
    except ValueError:
        return str(stamp or "")


def cmd_deadlines(args) -> int:
    from datetime import date

    from ..core.deadlines import Urgency
    from ..core.periods import format_date, parse_date
    from .opening import open_for_reading, open_for_writing

    asked = parse_date(args.stichtag, field="stichtag") if args.stichtag else None  # before the file is opened
    ws = open_for_reading(args) if args.ics is None else open_for_writing(args)
    try:
        story_day = ws.demo_day()  # a demo is shown as on its story day, as in the window
        today = asked or story_day or date.today()
        items = ws.deadlines(today)
        lead = ws.lead_times()
        profile = ws.profile()
        owner = f" – {profile.name}" if profile else ""
        note = " (Stichtag der Demo)" if asked is None and story_day else ""  # the window's words
        print(f"Fristen am {format_date(today)}{note}{owner}")
        order = [Urgency.OVERDUE, Urgency.SOON, Urgency.LATER, Urgency.FAR]
        if args.alle:
            order += [Urgency.DONE, Urgency.PAST]
        shown = 0
        for urgency in order:
            group = [i for i in items if i.urgency == urgency]
            if not group:
                continue
            print()
            print(f"{urgency.label(lead.soon, lead.later).upper()} ({len(group)})")
            for item in group:
                extra = item.when_text()
                if item.urgency == Urgency.DONE:
                    extra = f"erledigt {_german_day(item.done_on)} von {item.done_by}"
                elif item.lead != (lead.soon, lead.later) and item.urgency.is_open:
                    extra += f"; Vorlauf {item.lead[0]}/{item.lead[1]} Tage"
                print(f"  {format_date(item.due)}  {item.kind.label:<20} {item.deadline.concerns} ({extra})")
            shown += len(group)
        if not shown:
            print("Keine offenen Fristen.")
        if args.ics is not None:
            count = ws.export_ics(args.ics, today=today)
            print()
            print(f"{count} offene Fristen als Kalender gespeichert: {args.ics}")
    finally:
        ws.close()
    return EXIT_OK
