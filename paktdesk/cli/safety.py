"""Backups on the command line: make, list, restore; naming the newest good backup after a
failed check."""

from __future__ import annotations

import sys
from pathlib import Path

from ..core.money import format_cents
from .base import EXIT_OK, UsageError, add_command


def register(commands) -> None:
    backup = add_command(commands, "backup", "geprüfte Sicherung von DATEI anlegen",
                         lambda args: cmd_backup(args.data, args.to))
    backup.add_argument("--to", metavar="ORDNER", type=Path,
                        help="Zielordner (Standard: „Sicherungen“ neben der Datei bzw. laut Einstellungen)")
    restore = add_command(commands, "restore", "Sicherung anstelle von DATEI zurückspielen", run_restore)
    restore.add_argument("backup_file", nargs="?", metavar="SICHERUNG", type=Path, help="die Sicherungsdatei")
    restore.add_argument("--from", dest="backup_from", metavar="SICHERUNG", type=Path,
                         help="die Sicherungsdatei (gleichbedeutend)")
    restore.add_argument("--andere-gemeinde", dest="other_gemeinde", action="store_true",
                         help="auch die Sicherung einer anderen Gemeinde (andere AGS) zurückspielen")
    backups = add_command(commands, "backups", "Sicherungen von DATEI auflisten",
                          lambda args: cmd_backups(args.data, args.folder))
    backups.add_argument("--in", dest="folder", metavar="ORDNER", type=Path,
                         help="Sicherungsordner (Standard: „Sicherungen“ neben der Datei)")


def run_restore(args) -> int:
    chosen = args.backup_from or args.backup_file
    if chosen is None:
        raise UsageError("„restore“ braucht die Sicherungsdatei (--from SICHERUNG)")
    return cmd_restore(args.data, chosen, other_gemeinde=args.other_gemeinde)


def cmd_backup(path: Path, folder: Path | None) -> int:
    from ..workspace import Workspace

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


def cmd_restore(path: Path, backup: Path, *, other_gemeinde: bool = False) -> int:
    from ..core.errors import OtherGemeindeError
    from ..workspace import Workspace

    try:
        result = Workspace.restore_file(path, backup, other_gemeinde=other_gemeinde)
    except OtherGemeindeError as err:
        raise OtherGemeindeError(f"{err} Auf der Befehlszeile: --andere-gemeinde angeben.") from None
    print(f"Sicherung zurückgespielt: {backup.name} → {path}")
    print(f"  Stand: {_local_time(result.summary.created_at)}; {_summary_line(result.summary)}")
    if result.aside:
        print(f"  Die bisherige Datei wurde aufbewahrt: {result.aside}")
    return EXIT_OK


def cmd_backups(path: Path, folder: Path | None) -> int:
    from ..db.backup import default_folder, list_backups, settle_backup

    folder = folder or default_folder(path)
    entries = [settle_backup(entry.path) if entry.pending else entry  # its deep check never ran
               for entry in list_backups([folder], stem=Path(path).stem)]
    if not entries:
        print(f"Keine Sicherungen von „{Path(path).name}“ in {folder}.")
        return EXIT_OK
    print(f"Sicherungen von „{Path(path).name}“ in {folder} (neueste zuerst):")
    for entry in entries:
        state = "geprüft" if entry.ok else entry.check_state.upper()
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


def offer_backup(path: Path, entry=None) -> None:
    """After a failed check: name the newest good backup (never repair in place)."""
    if entry is None:
        from ..workspace import Workspace

        entry = Workspace.suggest_backup(path)
    if entry is None:
        print("Keine geprüfte Sicherung gefunden.", file=sys.stderr)
        return
    print(f"Neueste gute Sicherung: {entry.path} (Stand {entry.created:%d.%m.%Y %H:%M}). "
          f"Zurückspielen mit: paktdesk --data „{path}“ restore --from „{entry.path}“", file=sys.stderr)
