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
from .core.errors import DataFileError, PaktDeskError
from .core.money import format_cents
from .paths import default_data_file

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        # argparse passes prefix="" when it builds a sub-command's prog: keep that one empty
        super().add_usage(usage, actions, groups, prefix="Aufruf: " if prefix is None else prefix)


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
    _add_print_parser(commands)
    _add_safety_commands(commands)
    add_deadlines_parser(commands)
    return parser


def _add_safety_commands(commands) -> None:
    backup = commands.add_parser("backup", help="geprüfte Sicherung von DATEI anlegen", add_help=False)
    backup.add_argument("--to", metavar="ORDNER", type=Path,
                        help="Zielordner (Standard: „Sicherungen“ neben der Datei bzw. laut Einstellungen)")
    restore = commands.add_parser("restore", help="Sicherung anstelle von DATEI zurückspielen", add_help=False)
    restore.add_argument("backup_file", nargs="?", metavar="SICHERUNG", type=Path, help="die Sicherungsdatei")
    restore.add_argument("--from", dest="backup_from", metavar="SICHERUNG", type=Path,
                         help="die Sicherungsdatei (gleichbedeutend)")
    backups = commands.add_parser("backups", help="Sicherungen von DATEI auflisten", add_help=False)
    backups.add_argument("--in", dest="folder", metavar="ORDNER", type=Path,
                         help="Sicherungsordner (Standard: „Sicherungen“ neben der Datei)")


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
        if command == "print":
            return cmd_print(args)
        if command == "backup":
            return cmd_backup(args.data, args.to)
        if command == "restore":
            chosen = args.backup_from or args.backup_file
            if chosen is None:
                parser.error("„restore“ braucht die Sicherungsdatei (--from SICHERUNG)")
            return cmd_restore(args.data, chosen)
        if command == "backups":
            return cmd_backups(args.data, args.folder)
        if command == "deadlines":
            return cmd_deadlines(args)
    except PaktDeskError as err:
        print(f"Fehler: {err}", file=sys.stderr)
        if command in ("check", "backup", "backups") and isinstance(err, DataFileError) and args.data:
            _offer_backup(args.data)
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
            _offer_backup(path, ws.newest_good_backup())
            return EXIT_FAILED
        print("Prüfung bestanden: Schema, Integrität, Verweise und Kontrollsummen in Ordnung.")
        return EXIT_OK
    finally:
        ws.close()


# -- print: the printed forms as PDF files -----------------------------------------------------

_PRINT_ALIASES = {"proof-of-use": "proof", "interim-proof": "interim", "payment-request": "request"}


def _date_arg(text: str):
    from .core.periods import parse_date

    try:
        return parse_date(text)
    except PaktDeskError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _add_print_parser(commands) -> None:
    printing = commands.add_parser("print", help="Formular als PDF-Datei erzeugen (proof, interim, statement, request, "
                                   "qualifications, audit-trail)",
                                   add_help=False)
    printing.add_argument("-h", "--help", action="help", help="diese Hilfe anzeigen")
    documents = printing.add_subparsers(dest="document", metavar="FORMULAR", parser_class=_Parser, required=True)

    def document(name: str, aliases: list[str], text: str, *, decision: bool) -> argparse.ArgumentParser:
        sub = documents.add_parser(name, aliases=aliases, help=text, add_help=False)
        sub.add_argument("-h", "--help", action="help", help="diese Hilfe anzeigen")
        if decision:
            sub.add_argument("--decision", required=True, metavar="AZ",
                             help="Aktenzeichen des Bescheids (oder seine Nummer)")
        sub.add_argument("--out", required=True, type=Path, metavar="PDF", help="Zieldatei (wird ersetzt)")
        sub.add_argument("--printed-on", type=_date_arg, metavar="DATUM",
                         help="Druckdatum auf jeder Seite (Standard: heute)")
        return sub

    document("proof", ["proof-of-use"], "Verwendungsnachweis eines Bescheids", decision=True)
    interim = document("interim", ["interim-proof"], "Zwischennachweis für einen Zeitraum", decision=True)
    interim.add_argument("--from", dest="first", required=True, type=_date_arg, metavar="DATUM", help="erster Tag")
    interim.add_argument("--to", dest="last", required=True, type=_date_arg, metavar="DATUM", help="letzter Tag")
    statement = document("statement", [], "Förderübersicht eines Jahres oder Zeitraums", decision=False)
    statement.add_argument("--year", type=int, metavar="JJJJ", help="Kalenderjahr")
    statement.add_argument("--from", dest="first", type=_date_arg, metavar="DATUM", help="erster Tag")
    statement.add_argument("--to", dest="last", type=_date_arg, metavar="DATUM", help="letzter Tag")
    request = document("request", ["payment-request"], "Mittelabruf", decision=True)
    request.add_argument("--amount", required=True, metavar="BETRAG", help="angeforderter Betrag, z. B. 12.500,00")
    qualifications = document("qualifications", [], "Qualifikationsübersicht", decision=False)
    qualifications.add_argument("--as-of", dest="as_of", type=_date_arg, metavar="DATUM",
                                help="Stichtag für Status und Fristen (Standard: heute)")
    audit = document("audit-trail", [], "Änderungsprotokoll für das Rechnungsprüfungsamt", decision=False)
    audit.add_argument("--from", dest="first", type=_date_arg, metavar="DATUM", help="erster Tag")
    audit.add_argument("--to", dest="last", type=_date_arg, metavar="DATUM", help="letzter Tag")
    audit.add_argument("--entity", metavar="BEREICH", help="nur diese Art von Datensätzen (z. B. receipts)")


def _decision_id(ws, text: str) -> int:
    from .core.errors import NotFoundError

    try:
        return ws.decision_by_file_number(text)
    except NotFoundError:
        if text.strip().isdigit():
            return ws.decision(int(text)).id
        raise


def cmd_print(args) -> int:
    from datetime import date

    from .core.money import parse_cents
    from .workspace import Workspace

    kind = _PRINT_ALIASES.get(args.document, args.document)
    ws = Workspace.open(args.data)
    try:
        common = {"printed_on": args.printed_on}
        if kind == "proof":
            result = ws.print_proof_of_use(_decision_id(ws, args.decision), args.out, **common)
        elif kind == "interim":
            result = ws.print_interim(_decision_id(ws, args.decision), args.first, args.last, args.out, **common)
        elif kind == "statement":
            if args.year is not None:
                if args.first or args.last:
                    print("Fehler: --year oder --from/--to angeben, nicht beides.", file=sys.stderr)
                    return EXIT_USAGE
                first, last = date(args.year, 1, 1), date(args.year, 12, 31)
            elif args.first and args.last:
                first, last = args.first, args.last
            else:
                print("Fehler: Bitte --year JJJJ oder --from DATUM --to DATUM angeben.", file=sys.stderr)
                return EXIT_USAGE
            result = ws.print_funding_statement(first, last, args.out, **common)
        elif kind == "qualifications":
            result = ws.print_qualification_overview(args.out, today=args.as_of, **common)
        elif kind == "audit-trail":
            result = ws.print_audit_trail(args.first, args.last, args.entity, args.out, **common)
        else:
            result = ws.print_payment_request(_decision_id(ws, args.decision), parse_cents(args.amount, field="amount"),
                                              args.out, **common)
    finally:
        ws.close()
    print(f"PDF geschrieben: {args.out} ({result.pages} {'Seite' if result.pages == 1 else 'Seiten'})")
    for warning in result.warnings:
        print(f"Hinweis: {warning}")
    return EXIT_OK
def cmd_backup(path: Path, folder: Path | None) -> int:
    from .workspace import Workspace

    ws = Workspace.open(path, read_only=True)  # works while the program has the file open
    try:
        result = ws.make_backup(to=folder)
    finally:
        ws.close()
    summary = result.summary
    print(f"Sicherung angelegt und geprüft: {result.path}")
    print(f"  {_summary_line(summary)}")
    if result.second_path:
        print(f"  Kopie: {result.second_path}")
    for removed in result.removed:
        print(f"  alte Sicherung entfernt: {removed.name}")
    for warning in result.warnings:
        print(f"Warnung: {warning}", file=sys.stderr)
    return EXIT_OK


def cmd_restore(path: Path, backup: Path) -> int:
    from .workspace import Workspace

    result = Workspace.restore_file(path, backup)
    print(f"Sicherung zurückgespielt: {backup.name} → {path}")
    print(f"  Stand: {_local_time(result.summary.created_at)}; {_summary_line(result.summary)}")
    if result.aside:
        print(f"  Die bisherige Datei wurde aufbewahrt: {result.aside}")
    return EXIT_OK


def cmd_backups(path: Path, folder: Path | None) -> int:
    from .db.backup import default_folder, list_backups

    folder = folder or default_folder(path)
    entries = list_backups([folder], stem=Path(path).stem)
    if not entries:
        print(f"Keine Sicherungen von „{Path(path).name}“ in {folder}.")
        return EXIT_OK
    print(f"Sicherungen von „{Path(path).name}“ in {folder} (neueste zuerst):")
    for entry in entries:
        state = "geprüft" if entry.ok else "BESCHÄDIGT"
        line = _summary_line(entry.summary) if entry.summary else "Inhalt unbekannt"
        print(f"  {entry.created:%d.%m.%Y %H:%M}  {state:10}  {entry.path.name}\n      {line}")
    return EXIT_OK


def _summary_line(summary) -> str:
    counts, totals = summary.counts, summary.totals
    receipts = format_cents(totals.get("receipts", [0, 0])[1])
    payments = format_cents(totals.get("payments", [0, 0])[1])
    owner = summary.owner or "Inhaber nicht angegeben"
    return (f"{owner}: {counts.get('persons', 0)} Personen, {counts.get('decisions', 0)} Bescheide, "
            f"{counts.get('receipts', 0)} Belege ({receipts}), {counts.get('payments', 0)} Zahlungen "
            f"({payments})")


def _local_time(stamp: str) -> str:
    from datetime import datetime

    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%d.%m.%Y %H:%M")
    except ValueError:
        return stamp


def _offer_backup(path: Path, entry=None) -> None:
    """After a failed check: name the newest good backup (never repair in place)."""
    if entry is None:
        from .workspace import Workspace

        entry = Workspace.suggest_backup(path)
    if entry is None:
        print("Keine geprüfte Sicherung gefunden.", file=sys.stderr)
        return
    print(f"Neueste gute Sicherung: {entry.path} (Stand {entry.created:%d.%m.%Y %H:%M}). "
          f"Zurückspielen mit: paktdesk --data „{path}“ restore --from „{entry.path}“", file=sys.stderr)
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
