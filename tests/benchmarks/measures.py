"""The measures that run inside one worker process each (see run_all.py): export, import, backup
and the proof of use (with the LibreOffice route). Every function takes its parameters as a dict
and returns a dict: the times of PaktDesk ("ours") and of the floor, interleaved run by run, the
peak memory of PaktDesk's runs, and details worth printing.

Peak memory is the process's high-water mark (VmHWM), reset before each of PaktDesk's runs
(Linux ``/proc/self/clear_refs``), so the floor's runs and the set-up do not count."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
for folder in (ROOT, HERE):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))


# --------------------------------------------------------------------------- memory


def reset_peak() -> None:
    """Forget the high-water mark of resident memory (Linux ≥ 4.0); elsewhere nothing."""
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
    except OSError:
        pass


def peak_mb() -> float:
    """Peak resident memory of this process in MB (since the last reset_peak)."""
    try:
        text = Path("/proc/self/status").read_text()
        return int(re.search(r"VmHWM:\s+(\d+)", text).group(1)) / 1024
    except (OSError, AttributeError):
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(func: Callable[[], Any]) -> tuple[float, Any]:
    begin = time.perf_counter()
    result = func()
    return time.perf_counter() - begin, result


class Runs:
    """Collects interleaved runs: ours (with its peak memory) and the floor's."""

    def __init__(self):
        self.ours: list[float] = []
        self.floor: list[float] = []
        self.peaks: list[float] = []
        self.details: dict[str, Any] = {}

    def ours_run(self, func: Callable[[], Any]) -> Any:
        reset_peak()
        seconds, result = timed(func)
        self.ours.append(seconds)
        self.peaks.append(peak_mb())
        return result

    def floor_run(self, func: Callable[[], Any]) -> Any:
        seconds, result = timed(func)
        self.floor.append(seconds)
        return result

    def result(self) -> dict[str, Any]:
        return {"ours": self.ours, "floor": self.floor, "peak_mb": max(self.peaks, default=None),
                "details": self.details}


def _workspace(path: Path):
    from paktdesk.workspace import Workspace

    return Workspace.open(path)


# --------------------------------------------------------------------------- export


EXPORTED_TABLES = ("providers", "persons", "employments", "decisions", "decision_versions", "positions",
                   "cost_plan_items", "cost_categories", "payments", "receipts", "pass_throughs",
                   "pass_through_payments", "provider_proofs", "key_figure_defs", "key_figures",
                   "narrative_reports")


def plain_json_dump(path: Path, out: Path) -> int:
    """The floor: read the same tables with sqlite3 and ``json.dump`` them, nothing else."""
    conn = sqlite3.connect(path)
    try:
        tables = {}
        for table in EXPORTED_TABLES:
            cursor = conn.execute(f"SELECT * FROM [{table}]")
            names = [d[0] for d in cursor.description]
            tables[table] = [dict(zip(names, row)) for row in cursor]
    finally:
        conn.close()
    with open(out, "w", encoding="utf-8") as handle:
        json.dump({"tables": tables}, handle, ensure_ascii=False)
    return len(tables["receipts"])


def measure_export(params: dict[str, Any]) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="paktdesk-bench-export-"))
    runs = Runs()
    try:
        copy = folder / "kreis.paktdesk"
        shutil.copyfile(params["kreis_file"], copy)  # the export writes an audit entry
        ws = _workspace(copy)
        try:
            if params["warmup"]:
                ws.export("json", folder / "warm.json")
                plain_json_dump(copy, folder / "warm-plain.json")
            for number in range(params["runs"]):
                runs.ours_run(lambda n=number: ws.export("json", folder / f"export-{n}.json"))
                runs.details["receipts"] = runs.floor_run(
                    lambda n=number: plain_json_dump(copy, folder / f"plain-{n}.json"))
                runs.details["bytes_ours"] = (folder / f"export-{number}.json").stat().st_size
                runs.details["bytes_floor"] = (folder / f"plain-{number}.json").stat().st_size
                for name in (f"export-{number}.json", f"plain-{number}.json"):
                    (folder / name).unlink()
            runs.details["parts"] = export_parts(ws, folder)
        finally:
            ws.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return runs.result()


def export_parts(ws, folder: Path) -> dict[str, float]:
    """Where an export's time goes, step by step (one run, for the report). The structural check
    (SQLite's integrity check, foreign keys, schema) runs on its own connection while the rows
    are gathered; it is timed alone here as well ("structure alone", not part of the sum)."""
    from datetime import UTC, datetime

    from paktdesk import __version__
    from paktdesk.db import exchange_queries as xq
    from paktdesk.db.background_check import BackgroundCheck
    from paktdesk.db.datafile import structure_check
    from paktdesk.exchange import document as doc
    from paktdesk.exchange.json_export import check_before_writing

    parts = {}
    parts["structure alone"], _ = timed(lambda: structure_check(ws.store))
    begin = time.perf_counter()
    check = BackgroundCheck(ws.store)
    parts["gather+money check"], checked = timed(lambda: xq.export_rows_checked(ws.store))
    parts["records"], data = timed(lambda: ws._checked_data(checked, None, None))
    parts["wait for structure"], _ = timed(check.result)
    parts["gemeinde files"], _ = timed(ws.check_gemeinde_imports)
    parts["seal (encode once)"], sealed = timed(
        lambda: doc.seal(data, created_at=datetime.now(UTC), generator_version=__version__))
    parts["verify"], _ = timed(lambda: check_before_writing(sealed.document,
                                                            content_sha256=sealed.document["sha256"]))
    target = folder / "parts.json"
    parts["write"], _ = timed(lambda: _write_only(sealed, target))
    parts["sum"] = time.perf_counter() - begin
    return {k: round(v, 3) for k, v in parts.items()}


def _write_only(sealed, target: Path) -> None:
    """The atomic write of the sealed bytes alone (the checks are timed above)."""
    from paktdesk.exchange.atomic import write_atomically

    write_atomically(target, lambda handle: handle.writelines(sealed.file_bytes))


# --------------------------------------------------------------------------- import


def measure_import(params: dict[str, Any]) -> dict[str, Any]:
    files = [Path(p) for p in params["gemeinde_files"]]
    folder = Path(tempfile.mkdtemp(prefix="paktdesk-bench-import-"))
    runs = Runs()
    try:
        for number in range(params["runs"] + (1 if params["warmup"] else 0)):
            copy = folder / f"kreis-{number}.paktdesk"
            shutil.copyfile(params["kreis_file"], copy)
            ws = _workspace(copy)
            try:
                if params["warmup"] and number == 0:
                    ws.import_gemeinde_files(files)
                    continue
                change = runs.ours_run(lambda w=ws: w.import_gemeinde_files(files))
                runs.details["files"] = len(change.ids)
                runs.floor_run(lambda: [json.loads(f.read_bytes()) for f in files])
            finally:
                ws.close()
                copy.unlink()
        runs.details["megabytes"] = round(sum(f.stat().st_size for f in files) / 1e6, 1)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return runs.result()


# --------------------------------------------------------------------------- backup


def measure_backup(params: dict[str, Any]) -> dict[str, Any]:
    """What the clerk waits for after "Jetzt sichern": the worker's own read-only connection
    (``Workspace.open_for_backup``) and the snapshot stage of
    ``Workspace.make_backup(deep_check="later")`` (consistent copy hashed while copied, header
    check, fsync, rename, sidecar "ausstehend"), against ``sqlite3 FILE ".backup TARGET"``. The
    deep check that follows on a worker (``Workspace.finish_backup``) is timed on its own, as
    information (``details["deep_check"]``)."""
    sqlite3_cli = shutil.which("sqlite3")
    folder = Path(tempfile.mkdtemp(prefix="paktdesk-bench-backup-"))
    runs = Runs()
    deep: list[float] = []
    try:
        copy = folder / "kreis.paktdesk"
        shutil.copyfile(params["kreis_file"], copy)
        ws = _workspace(copy)
        try:
            def ours(n: int):  # as "Jetzt sichern" does it on its worker (ui/backup_actions.snapshot_job)
                reader = type(ws).open_for_backup(copy)
                try:
                    return reader.make_backup(to=folder / f"ours-{n}", rotate=False, deep_check="later")
                finally:
                    reader.close()

            def finish(result) -> None:
                finished = ws.finish_backup(result)
                assert finished.checked, finished

            def floor(n: int) -> None:
                target = folder / f"floor-{n}.db"
                subprocess.run([sqlite3_cli, str(copy), f".backup '{target}'"], check=True)

            if params["warmup"]:
                finish(ours(-1))
                if sqlite3_cli:
                    floor(-1)
            for number in range(params["runs"]):
                result = runs.ours_run(lambda n=number: ours(n))
                seconds, _ = timed(lambda r=result: finish(r))
                deep.append(round(seconds, 3))
                if sqlite3_cli:
                    runs.floor_run(lambda n=number: floor(n))
                for leftover in folder.glob("*-*"):
                    shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
            runs.details["deep_check"] = deep
            runs.details["method"] = _snapshot_method(ws.store, folder)
            runs.details["parts"] = backup_parts(ws.store, folder)
            runs.details["megabytes"] = round(copy.stat().st_size / 1e6, 1)
        finally:
            ws.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if not sqlite3_cli:
        runs.details["floor_missing"] = "sqlite3 CLI not installed"
    return runs.result()


def _snapshot_method(store, folder: Path) -> str:
    from paktdesk.db.backup import summarize
    from paktdesk.db.snapshot import take_snapshot

    target = folder / "method.paktdesk"
    snap, _ = take_snapshot(store.conn, store.path, target, describe=summarize)
    target.unlink()
    return snap.method


def backup_parts(store, folder: Path) -> dict[str, float]:
    """Where a backup's time goes (one run): the snapshot, then the deep check's parts (SQLite
    check, foreign keys, money hashes, file hash); the backup API and VACUUM INTO for comparison."""
    from paktdesk.db.backup import sha256_of, summarize
    from paktdesk.db.integrity import verify_money
    from paktdesk.db.snapshot import take_snapshot

    target = folder / "parts.paktdesk"
    parts = {}
    parts["snapshot"], _ = timed(lambda: take_snapshot(store.conn, store.path, target, describe=summarize))
    snapshot = sqlite3.connect(f"{target.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        parts["integrity_check"], _ = timed(lambda: snapshot.execute("PRAGMA integrity_check").fetchall())
        parts["foreign_key_check"], _ = timed(lambda: snapshot.execute("PRAGMA foreign_key_check").fetchall())
        from paktdesk.db.connection import Store

        parts["money_hashes"], _ = timed(lambda: verify_money(Store(target, snapshot, read_only=True)))
    finally:
        snapshot.close()
    parts["sha256"], _ = timed(lambda: sha256_of(target))
    target.unlink()
    parts["vacuum_into"], _ = timed(lambda: store.conn.execute("VACUUM INTO ?", [str(target)]))
    raw = folder / "parts-raw.db"
    source = sqlite3.connect(store.path)
    destination = sqlite3.connect(raw)
    try:
        parts["sqlite_backup_api"], _ = timed(lambda: source.backup(destination))
    finally:
        source.close()
        destination.close()
    target.unlink()
    raw.unlink()
    return {k: round(v, 3) for k, v in parts.items()}


# --------------------------------------------------------------------------- proof of use


def belegliste_xlsx(ws, decision: int, out: Path) -> int:
    """The Belegliste as a clerk keeps it in Excel today (the same rows as the bare table):
    dates and amounts as numbers with German formats, bold header repeated on every page,
    landscape, fitted to the page width, a sum at the end."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    receipts = [r for r in ws.receipts(decision) if r.cost_category == "S_SONST"]
    receipts.sort(key=lambda r: (r.receipt_date, r.number))
    book = Workbook()
    sheet = book.active
    sheet.title = "Belegliste"
    sheet.append(["Lfd.", "Datum", "Beleg-Nr.", "Bezahlt am", "HH-Jahr", "Empfänger", "Zweck", "Person", "Betrag"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, r in enumerate(receipts, start=1):
        sheet.append([index, r.receipt_date, f"S-{r.number:04d}", r.paid_on, r.budget_year, r.payee, r.purpose, "",
                      r.amount_cents / 100])
    last = len(receipts) + 1
    sheet.append(["", "", "", "", "", "", "Summe", "", f"=SUM(I2:I{last})"])
    for row in sheet.iter_rows(min_row=2, max_row=last + 1):
        row[1].number_format = row[3].number_format = "DD.MM.YYYY"
        row[8].number_format = '#,##0.00 "€"'
    for column, width in zip("ABCDEFGHI", (6, 11, 10, 11, 8, 28, 60, 16, 13), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    book.save(out)
    return len(receipts)


def soffice_command() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def soffice_to_pdf(soffice: str, xlsx: Path, out_dir: Path, profile: Path) -> Path:
    """LibreOffice Calc headless: XLSX → PDF, a fresh process each time (as a clerk would)."""
    subprocess.run([soffice, f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless", "--norestore",
                    "--convert-to", "pdf", "--outdir", str(out_dir), str(xlsx)],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=900)
    pdf = out_dir / (xlsx.stem + ".pdf")
    if not pdf.exists():
        raise RuntimeError("LibreOffice did not write the PDF")
    return pdf


def measure_proof(params: dict[str, Any]) -> dict[str, Any]:
    import bench_reports

    from paktdesk.demo import create_demo
    from paktdesk.reports.belegliste import column_widths

    folder = Path(tempfile.mkdtemp(prefix="paktdesk-bench-proof-"))
    runs = Runs()
    office: list[float] = []
    soffice = soffice_command() if params["soffice"] else None
    try:
        ws = create_demo(folder / "bench.paktdesk")
        try:
            decision = bench_reports.fill(ws, params["rows"])
            result = {}

            def ours(n: int) -> None:
                result["render"] = ws.print_proof_of_use(decision, folder / f"vn-{n}.pdf",
                                                         printed_on=bench_reports.PRINTED_ON)

            def floor(n: int) -> None:
                bench_reports.bare_table(ws, decision, folder / f"bare-{n}.pdf")

            xlsx = folder / "Belegliste.xlsx"
            runs.details["xlsx_rows"] = belegliste_xlsx(ws, decision, xlsx)
            profile = folder / "lo-profile"
            if params["warmup"]:
                floor(-1)
                ours(-1)
                if soffice:
                    soffice_to_pdf(soffice, xlsx, folder / "lo-warm", profile)  # creates the profile
            for number in range(params["runs"]):
                runs.floor_run(lambda n=number: floor(n))
                runs.ours_run(lambda n=number: ours(n))
                if soffice and number < params["soffice_runs"]:
                    seconds, pdf = timed(lambda n=number: soffice_to_pdf(soffice, xlsx, folder / f"lo-{n}", profile))
                    office.append(seconds)
                    runs.details["soffice_pdf_bytes"] = pdf.stat().st_size
            fixed, _ = timed(lambda: bench_reports.bare_table(ws, decision, folder / "fixed.pdf",
                                                              widths=column_widths()))
            runs.details["bare_fixed_widths_s"] = round(fixed, 3)
            runs.details["pages"] = result["render"].pages
            runs.details["rows"] = params["rows"]
        finally:
            ws.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    out = runs.result()
    out["soffice"] = office
    if params["soffice"] and not soffice:
        out["details"]["soffice_missing"] = "soffice/libreoffice not installed"
    return out


WORKERS = {"export": measure_export, "import": measure_import, "backup": measure_backup, "proof": measure_proof}


def run_worker(name: str, params: dict[str, Any]) -> dict[str, Any]:
    return WORKERS[name](params)


if __name__ == "__main__":  # python measures.py NAME '{"json": "params"}'
    sys.stdout.write("RESULT " + json.dumps(run_worker(sys.argv[1], json.loads(sys.argv[2]))) + "\n")
    sys.stdout.flush()
    os._exit(0)
