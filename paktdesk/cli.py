"""The command line: the same use cases without a window.

Exit codes: 0 ok, 1 a check failed or the action could not be done, 2 wrong usage."""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from . import __version__
from .core.errors import PaktDeskError
from .core.money import format_cents
from .paths import default_data_file

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, prefix="Aufruf: ")


class _Parser(argparse.ArgumentParser):
    """argparse with German usage errors and headings."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)
        self._positionals.title = "Befehle"
        self._optionals.title = "Optionen"

    def error(self, message: str):  # noqa: D401 - argparse override
        self.print_usage(sys.stderr)
        translated = (message.replace("the following arguments are required", "diese Angaben fehlen")
                      .replace("unrecognized arguments", "unbekannte Angaben")
                      .replace("invalid choice", "ungültige Auswahl")
                      .replace("expected one argument", "erwartet einen Wert"))
        self.exit(EXIT_USAGE, f"{self.prog}: Fehler: {translated}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="paktdesk", description="PaktDesk – Pakt für Integration verwalten.",
                     add_help=False)
    parser.add_argument("-h", "--help", action="help", help="diese Hilfe anzeigen")
    parser.add_argument("--version", action="version", version=f"PaktDesk {__version__}",
                        help="Version anzeigen")
    parser.add_argument("--data", metavar="DATEI", type=Path,
                        help="Datenbestand (Standard: im Benutzer-Datenordner)")
    parser.add_argument("--demo", action="store_true",
                        help="Programm mit einer frischen Demo-Kopie an einem temporären Ort öffnen")
    commands = parser.add_subparsers(dest="command", metavar="BEFEHL", parser_class=_Parser)
    commands.add_parser("gui", help="Programmfenster öffnen (Standard)", add_help=False)
    commands.add_parser("demo", help="Demo-Datenbestand in DATEI anlegen (DATEI darf nicht existieren)",
                        add_help=False)
    commands.add_parser("check", help="Datei prüfen: Schema, Integrität, Kontrollsummen", add_help=False)
    add_deadlines_parser(commands)
    return parser


def main(argv: list[str], *, run_gui: Callable[..., int] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    command = args.command or "gui"
    try:
        if args.demo:
            if args.data:
                parser.error("--demo und --data schließen sich aus")
            return _gui_demo(run_gui)
        if command == "gui":
            return _gui(run_gui, args.data)
        if args.data is None:
            parser.error(f"„{command}“ braucht --data DATEI")
        if command == "demo":
            return cmd_demo(args.data)
        if command == "check":
            return cmd_check(args.data)
        if command == "deadlines":
            return cmd_deadlines(args)
    except PaktDeskError as err:
        print(f"Fehler: {err}", file=sys.stderr)
        return EXIT_FAILED
    parser.error(f"unbekannter Befehl {command}")
    return EXIT_USAGE


def _gui(run_gui, data: Path | None) -> int:
    if run_gui is None:
        print("Fehler: Das Programmfenster ist hier nicht verfügbar.", file=sys.stderr)
        return EXIT_FAILED
    return run_gui(data or default_data_file())


def _gui_demo(run_gui) -> int:
    from .demo import create_demo

    folder = Path(tempfile.mkdtemp(prefix="paktdesk-demo-"))
    try:
        path = folder / "Demo-Lindenbach.paktdesk"
        create_demo(path).close()
        if run_gui is None:
            print(path)
            return EXIT_OK
        return run_gui(path, demo=True)
    finally:
        if run_gui is not None:
            shutil.rmtree(folder, ignore_errors=True)


def cmd_demo(path: Path) -> int:
    from .demo import create_demo

    ws = create_demo(path)
    try:
        counts = ws.counts()
        print(f"Demo-Datenbestand angelegt: {path}")
        print(f"  {counts['persons']} Integrationsmanager:innen, {counts['decisions']} Bescheide, "
              f"{counts['receipts']} Belege, {counts['payments']} Zahlungen")
    finally:
        ws.close()
    return EXIT_OK


def cmd_check(path: Path) -> int:
    from .workspace import Workspace

    ws = Workspace.open(path, read_only=False)
    try:
        problems = ws.check()
        profile = ws.profile()
        counts = ws.counts()
        totals = ws.control_totals()
        print(f"Datei: {path}")
        print(f"Inhaber: {profile.name} ({profile.ags})" if profile else "Inhaber: noch nicht angegeben")
        print(f"Schema-Version: {ws.schema_version()}")
        print(f"Datensätze: {counts['persons']} Personen, {counts['decisions']} Bescheide, "
              f"{counts['receipts']} Belege ({format_cents(totals['receipts'][1])}), "
              f"{counts['payments']} Zahlungen ({format_cents(totals['payments'][1])}), "
              f"{counts['audit_log']} Protokolleinträge")
        if problems:
            print("PRÜFUNG FEHLGESCHLAGEN:")
            for problem in problems:
                print(f"  – {problem}")
            return EXIT_FAILED
        print("Prüfung bestanden: Schema, Integrität, Verweise und Kontrollsummen in Ordnung.")
        return EXIT_OK
    finally:
        ws.close()


def add_deadlines_parser(commands) -> None:
    deadlines = commands.add_parser("deadlines", help="Fristen-Übersicht ausgeben (optional als ICS-Kalender)",
                                    add_help=False)
    deadlines.add_argument("--ics", metavar="PFAD", type=Path,
                           help="offene Fristen zusätzlich als Kalenderdatei (.ics) speichern")
    deadlines.add_argument("--stichtag", metavar="DATUM",
                           help="Übersicht zu diesem Tag (TT.MM.JJJJ), Standard: heute")
    deadlines.add_argument("--alle", action="store_true",
                           help="auch erledigte und vergangene Fristen zeigen")


def cmd_deadlines(args) -> int:
    from datetime import date

    from .core.deadlines import Urgency
    from .core.periods import format_date, parse_date
    from .workspace import Workspace

    today = parse_date(args.stichtag, field="stichtag") if args.stichtag else date.today()
    ws = Workspace.open(args.data, read_only=args.ics is None)
    try:
        items = ws.deadlines(today)
        lead = ws.lead_times()
        profile = ws.profile()
        owner = f" – {profile.name}" if profile else ""
        print(f"Fristen am {format_date(today)}{owner}")
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
                    extra = f"erledigt {item.done_on[:10]} von {item.done_by}"
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
