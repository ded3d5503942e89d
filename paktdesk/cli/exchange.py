"""``paktdesk export`` and ``import-gemeinde``: the exchange file and a Kreis's consolidation."""

from __future__ import annotations

import sys
from pathlib import Path

from .base import EXIT_FAILED, EXIT_OK, EXIT_USAGE, add_command, date_arg


def register(commands) -> None:
    export = add_command(commands, "export", "Austauschdatei schreiben (JSON, Excel oder CSV)",
                         lambda args: cmd_export(args.data, args.format, args.out, args.first, args.last, args=args))
    export.add_argument("--format", required=True, choices=["json", "xlsx", "csv"], help="Dateiformat")
    export.add_argument("--out", required=True, type=Path, metavar="ZIEL",
                        help="zu schreibende Datei (.json, .xlsx bzw. .zip für CSV; ohne Endung wird sie ergänzt)")
    export.add_argument("--from", dest="first", type=date_arg, metavar="DATUM",
                        help="erster Tag des Zeitraums (mit --to)")
    export.add_argument("--to", dest="last", type=date_arg, metavar="DATUM",
                        help="letzter Tag des Zeitraums (mit --from)")
    take = add_command(commands, "import-gemeinde",
                       "Austauschdateien von Gemeinden in den Datenbestand des Landkreises übernehmen",
                       lambda args: cmd_import_gemeinde(args.data, args.files, preview=args.preview, args=args),
                       aliases=["import"])
    take.add_argument("files", nargs="+", type=Path, metavar="DATEI", help="JSON-Austauschdateien")
    take.add_argument("--preview", action="store_true", help="nur anzeigen, was übernommen würde")
    take.add_argument("--schluessel-wechsel", dest="accept_key_change", action="store_true",
                      help="bestätigt: die Gemeinde signiert mit einem neuen Schlüssel (nach Rückfrage bei ihr)")


def cmd_export(path: Path, format: str, out: Path, first, last, *, args=None) -> int:  # noqa: A002
    from .opening import open_checked

    if (first is None) != (last is None):
        print("Fehler: --from und --to bitte zusammen angeben.", file=sys.stderr)
        return EXIT_USAGE
    out = _with_suffix(out, format)
    if out is None:
        return EXIT_USAGE
    ws = open_checked(args, path=path)
    try:
        print(ws.export(format, out, first, last))
    finally:
        ws.close()
    return EXIT_OK


def _with_suffix(out: Path, format: str) -> Path | None:  # noqa: A002
    """The file name with the format's suffix: added when missing, a different one refused (a CSV
    export is a ZIP archive; under a .csv name Excel would show it as garbage)."""
    from ..workspace.exchange import FORMATS, SUFFIXES

    wanted = SUFFIXES[format]
    if not out.suffix:
        return out.with_name(out.name + wanted)
    if out.suffix.lower() == wanted:
        return out
    print(f"Fehler: „{out.name}“ passt nicht zu --format {format}: es entsteht eine Datei „{wanted}“ "
          f"({FORMATS[format][0]}). Bitte z. B. --out {out.with_suffix(wanted).name} angeben.", file=sys.stderr)
    return None


def cmd_import_gemeinde(path: Path, files: list[Path], *, preview: bool, args=None) -> int:
    from .opening import open_for_reading, open_for_writing

    ws = open_for_reading(args, path=path) if preview else open_for_writing(args, path=path)
    try:
        accept = bool(getattr(args, "accept_key_change", False))
        result = ws.preview_gemeinde_import(files, accept_key_change=accept)
        print(result.text())
        if preview or not result.ok:
            return EXIT_OK if result.ok else EXIT_FAILED
        change = ws.apply_gemeinde_import(result, accept_key_change=accept)
        print(f"{change.action}: {len(change.ids)} Datei(en) übernommen." if change.ids
              else "Nichts Neues: alle Dateien sind bereits übernommen.")
    finally:
        ws.close()
    return EXIT_OK
