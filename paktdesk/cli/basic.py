"""Commands on the data file as a whole: open the window, create the demo, check."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from ..core.money import format_cents
from ..paths import default_data_file
from .base import EXIT_FAILED, EXIT_OK
from .safety import offer_backup


def register(commands) -> None:
    from .base import add_command

    add_command(commands, "gui", "Programmfenster öffnen (Standard)", None)
    add_command(commands, "demo", "Demo-Datenbestand in DATEI anlegen (DATEI darf nicht existieren)",
                lambda args: cmd_demo(args.data))
    check = add_command(commands, "check", "Datei prüfen: Schema, Integrität, Kontrollsummen, Prüfkette",
                        lambda args: cmd_check(args.data, args))
    check.add_argument("--anker", metavar="CODE", dest="anchor",
                       help="gegen einen Prüfanker prüfen, z. B. von einem ausgedruckten Verwendungsnachweis")


def run_window(run_gui, data: Path | None) -> int:
    if run_gui is None:
        print("Fehler: Das Programmfenster ist hier nicht verfügbar.", file=sys.stderr)
        return EXIT_FAILED
    return run_gui(data or default_data_file())


def run_demo_window(run_gui) -> int:
    from ..demo import create_demo

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
    from ..demo import create_demo

    ws = create_demo(path)
    try:
        counts = ws.counts()
        print(f"Demo-Datenbestand angelegt: {path}")
        print(f"  {counts['persons']} Integrationsmanager:innen, {counts['decisions']} Bescheide, "
              f"{counts['receipts']} Belege, {counts['payments']} Zahlungen")
    finally:
        ws.close()
    return EXIT_OK


def cmd_check(path: Path, args=None) -> int:
    from .opening import open_checked

    ws = open_checked(args, path=path)
    if getattr(args, "anchor", None):
        try:
            return _check_anchor(ws, path, args.anchor)
        finally:
            ws.close()
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
            offer_backup(path, ws.newest_good_backup())
            return EXIT_FAILED
        print(f"Prüfanker (Stand jetzt): {ws.anchor()}")
        print("Prüfung bestanden: Schema, Integrität, Verweise, Kontrollsummen und Prüfkette in Ordnung.")
        return EXIT_OK
    finally:
        ws.close()


def _check_anchor(ws, path: Path, code: str) -> int:
    """``check --anker``: is everything that existed at the printed anchor still as it was?"""
    from ..core.errors import ValidationError
    from ..db.chain import AnchorCodeError

    try:
        report = ws.check_anchor(code)
    except AnchorCodeError as err:
        raise ValidationError(str(err)) from None
    print(f"Datei: {path}")
    print(f"Prüfanker: {report.code} (Eintrag {report.seq} der Prüfkette)")
    for where in report.stored_as:
        print(f"  ausgegeben mit: {where}")
    if report.problems:
        print("PRÜFUNG GEGEN DEN ANKER FEHLGESCHLAGEN:")
        for problem in report.problems:
            print(f"  – {problem}")
    if report.changed_since:
        print("Seit dem Anker geändert:")
        for line in report.changed_since:
            print(f"  – {line}")
    for line in report.erased_since:
        print(f"  Hinweis: {line}")
    if report.unchanged:
        print("Prüfung bestanden: Alles, was es zum Stand des Ankers gab, ist unverändert.")
        return EXIT_OK
    return EXIT_FAILED
