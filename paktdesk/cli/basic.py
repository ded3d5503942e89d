"""Commands on the data file as a whole: open the window, create the demo, check."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from ..core.money import format_cents
from ..demo_folders import DEMO_FILE_NAME, new_demo_folder, remove_stale_demo_folders
from ..paths import default_data_file
from .base import EXIT_FAILED, EXIT_OK
from .safety import offer_backup


def register(commands) -> None:
    from .base import add_command

    add_command(commands, "gui", "Programmfenster öffnen (Standard)", None)
    add_command(commands, "demo", "Demo-Datenbestand in DATEI anlegen (DATEI darf nicht existieren)",
                lambda args: cmd_demo(args.data))
    add_command(commands, "check", "Datei prüfen: Schema, Integrität, Kontrollsummen",
                lambda args: cmd_check(args.data, args))


def run_window(run_gui, data: Path | None) -> int:
    if run_gui is None:
        print("Fehler: Das Programmfenster ist hier nicht verfügbar.", file=sys.stderr)
        return EXIT_FAILED
    remove_stale_demo_folders()  # a killed demo could not remove its own
    return run_gui(data or default_data_file())


def run_demo_window(run_gui) -> int:
    from ..demo import create_demo

    folder = new_demo_folder()
    try:
        path = folder / DEMO_FILE_NAME
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
        print("Prüfung bestanden: Schema, Integrität, Verweise und Kontrollsummen in Ordnung.")
        return EXIT_OK
    finally:
        ws.close()
