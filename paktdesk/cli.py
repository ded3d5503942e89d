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
        # prefix "" is argparse building a sub-command's name: keep it, or "Aufruf:" appears twice
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
                      .replace("expected one argument", "erwartet einen Wert")
                      .replace("choose from", "möglich:")
                      .replace("argument ", "Angabe "))
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
    _add_exchange_commands(commands)
    return parser


def _iso_date(text: str):
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"„{text}“ ist kein Datum der Form JJJJ-MM-TT") from None


def _add_exchange_commands(commands) -> None:
    export = commands.add_parser("export", help="Austauschdatei schreiben (JSON, Excel oder CSV)", add_help=False)
    export.add_argument("-h", "--help", action="help", help="diese Hilfe anzeigen")
    export.add_argument("--format", required=True, choices=["json", "xlsx", "csv"], help="Dateiformat")
    export.add_argument("--out", required=True, type=Path, metavar="ZIEL", help="zu schreibende Datei")
    export.add_argument("--from", dest="first", type=_iso_date, metavar="JJJJ-MM-TT",
                        help="erster Tag des Zeitraums (mit --to)")
    export.add_argument("--to", dest="last", type=_iso_date, metavar="JJJJ-MM-TT",
                        help="letzter Tag des Zeitraums (mit --from)")
    take = commands.add_parser("import-gemeinde", aliases=["import"], add_help=False,
                               help="Austauschdateien von Gemeinden in den Datenbestand des Landkreises übernehmen")
    take.add_argument("-h", "--help", action="help", help="diese Hilfe anzeigen")
    take.add_argument("files", nargs="+", type=Path, metavar="DATEI", help="JSON-Austauschdateien")
    take.add_argument("--preview", action="store_true", help="nur anzeigen, was übernommen würde")


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
        if command == "export":
            return cmd_export(args.data, args.format, args.out, args.first, args.last)
        if command in ("import-gemeinde", "import"):
            return cmd_import_gemeinde(args.data, args.files, preview=args.preview)
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


def cmd_export(path: Path, format: str, out: Path, first, last) -> int:  # noqa: A002
    from .workspace import Workspace

    if (first is None) != (last is None):
        print("Fehler: --from und --to bitte zusammen angeben.", file=sys.stderr)
        return EXIT_USAGE
    ws = Workspace.open(path)
    try:
        print(ws.export(format, out, first, last))
    finally:
        ws.close()
    return EXIT_OK


def cmd_import_gemeinde(path: Path, files: list[Path], *, preview: bool) -> int:
    from .workspace import Workspace

    ws = Workspace.open(path)
    try:
        result = ws.preview_gemeinde_import(files)
        print(result.text())
        if preview or not result.ok:
            return EXIT_OK if result.ok else EXIT_FAILED
        change = ws.apply_gemeinde_import(result)
        print(f"{change.action}: {len(change.ids)} Datei(en) übernommen." if change.ids
              else "Nichts Neues: alle Dateien sind bereits übernommen.")
    finally:
        ws.close()
    return EXIT_OK
