"""Commands on the data file as a whole: open the window, create a Datenbestand or the demo, check."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from ..core.money import format_cents
from ..demo_folders import DEMO_FILE_NAME, new_demo_folder, remove_stale_demo_folders
from ..paths import default_data_file
from .base import EXIT_FAILED, EXIT_OK
from .safety import offer_backup


KINDS = {"gemeinde": "Gemeinde", "stadt": "Stadt", "landkreis": "Landkreis", "stadtkreis": "Stadtkreis",
         "gvv": "Gemeindeverwaltungsverband", "traeger": "Freier Träger"}  # --art → OwnerKind


def register(commands) -> None:
    from .base import add_command

    add_command(commands, "gui", "Programmfenster öffnen (Standard)", None)
    create = add_command(commands, "create", "neuen, leeren Datenbestand in DATEI anlegen, z. B. den eines "
                         "Landkreises (DATEI darf nicht existieren)", cmd_create)
    create.add_argument("--art", choices=list(KINDS), default="gemeinde",
                        help="Art der Körperschaft (Standard: gemeinde)")
    create.add_argument("--name", required=True, help="Name, z. B. „Landkreis Heilbronn“")
    create.add_argument("--ags", required=True, help="Amtlicher Gemeindeschlüssel (8 Ziffern)")
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


def cmd_create(args) -> int:
    """The profile is checked before the file exists; a failure after that removes the new file."""
    from ..core import entities as e
    from ..core.checks import check_profile
    from ..core.errors import DataFileError
    from ..workspace import Workspace

    path = Path(args.data)
    if path.exists():
        raise DataFileError(f"Die Datei „{path}“ gibt es schon; PaktDesk überschreibt keine vorhandene Datei.")
    profile, warnings = check_profile(e.Profile(name=args.name, kind=e.OwnerKind(KINDS[args.art]), ags=args.ags))
    ws = None
    try:
        ws = Workspace.open_guarded(path, create=True)  # with the lock and the location check
        ws.set_up(profile)
    except BaseException:
        if ws is not None:
            ws.close()
        for leftover in (path, path.with_name(path.name + "-journal")):
            leftover.unlink(missing_ok=True)
        raise
    ws.close()
    print(f"Datenbestand angelegt: {path}")
    print(f"  Inhaber: {profile.name} ({profile.kind.value}, AGS {profile.ags}); Anschrift, Ansprechpartner und "
          "Bank bitte im Programmfenster unter Stammdaten ergänzen.")
    for warning in warnings:
        print(f"Hinweis: {warning}")
    return EXIT_OK


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


def _records(totals: dict[str, dict[str, int]]) -> str:
    def count(name: str) -> int:
        return totals.get(name, {}).get("count", 0)

    def cents(name: str) -> str:
        return format_cents(totals.get(name, {}).get("sum_cents", 0))

    return (f"{count('persons')} Personen, {count('decisions')} Bescheide, {count('receipts')} Belege "
            f"({cents('receipts')}), {count('payments')} Zahlungen ({cents('payments')})")


def _print_gemeinden(imports, counts: dict[str, int], totals: dict[str, tuple[int, int]]) -> None:
    """A Kreis's Datenbestand holds its Gemeinden's files: their records count too."""
    from ..exchange.summary import period_text

    print(f"Übernommene Gemeinde-Dateien: {len(imports)}")
    together = {"persons": {"count": counts["persons"]}, "decisions": {"count": counts["decisions"]},
                "receipts": {"count": counts["receipts"], "sum_cents": totals["receipts"][1]},
                "payments": {"count": counts["payments"], "sum_cents": totals["payments"][1]}}
    for item in imports:
        member = item["summary"]["totals"]
        print(f"  {item['owner_name']} (AGS {item['ags']}, {period_text(item)}): {_records(member)}")
        for name, sums in together.items():
            sums["count"] += member.get(name, {}).get("count", 0)
            if "sum_cents" in sums:
                sums["sum_cents"] += member.get(name, {}).get("sum_cents", 0)
    print(f"Datensätze mit den Gemeinden zusammen: {_records(together)}")


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
        imports = ws.gemeinde_imports()
        if imports:
            problems += ws.check_gemeinde_imports()  # a taken-over file changed behind PaktDesk's back
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
        if imports:
            _print_gemeinden(imports, counts, totals)
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
