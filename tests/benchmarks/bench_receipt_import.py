"""Benchmark (not a test, not run by default): a 20,000-row finance-system export, as CSV (SAP
Einzelpostenliste with title lines, a credit every 50 rows, Belegnummern, totals row) and as XLSX.

Issue 15 targets: preview ≤ 2 s, import ≤ 5 s, ≤ 300 MB (judged on CPU time; wall time is shown). Run:
``python tests/benchmarks/bench_receipt_import.py [--rows 20000]``; each figure is measured in a
fresh child process, so the peak memory (ru_maxrss) is that of one preview or import."""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

PAYEES = ["Bürobedarf Müller GmbH", "Deutsche Bahn AG", "Volkshochschule Unterland e. V.", "Stadtwerke Lindenbach",
          "Druckerei Weiß", "Sprachmittlerpool Unterland"]
TEXTS = ["Toner und Papier", "Fahrkarte Stuttgart", "Sprachkurs A2", "Strom Beratungsraum", "Flyer", "Dolmetschen"]


def rows(count: int) -> list[list]:
    rnd = random.Random(15)
    first = date(2023, 1, 1)
    out = []
    for index in range(count):
        day = first + timedelta(days=rnd.randrange(700))
        cents = rnd.randint(100, 250_000)
        if index % 50 == 49:
            cents = -cents
        out.append([f"19{index:08d}", day, f"{rnd.choice(TEXTS)} {index}", rnd.choice(PAYEES), cents, "42710000",
                    "KST 4711"])
    return out


def write_csv(path: Path, data: list[list]) -> None:
    def amount(cents: int) -> str:
        text = f"{abs(cents) // 100:,}".replace(",", ".") + f",{abs(cents) % 100:02d}"
        return text + ("-" if cents < 0 else "")

    lines = ["Gemeinde Lindenbach, Kämmerei", "Einzelpostenliste Sachkonto 42710000", "",
             "Belegnr;Belegdatum;Text;Name 1;Betrag in HW;Sachkonto;Kostenstelle"]
    lines += [f"{r[0]};{r[1]:%d.%m.%y};{r[2]};{r[3]};{amount(r[4])};{r[5]};{r[6]}" for r in data]
    lines.append(f";;;*;{amount(sum(r[4] for r in data))};;")
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))


def write_xlsx(path: Path, data: list[list]) -> None:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["Sachkontenblatt 42710000"])
    sheet.append([])
    sheet.append(["Belegnr.", "Belegdatum", "Buchungstext", "Kreditor", "Betrag", "Sachkonto", "Kostenstelle"])
    for r in data:
        sheet.append([r[0], r[1], r[2], r[3], r[4] / 100, r[5], r[6]])
    book.save(path)


def child(mode: str, data_file: str, source: str) -> None:
    from paktdesk.workspace import Workspace

    ws = Workspace.open(Path(data_file))
    decision = max(d.id for d in ws.decisions())
    start, cpu = time.perf_counter(), time.process_time()
    if mode == "preview":
        result = ws.preview_receipt_import(Path(source), decision_id=decision, default_category="S_BUERO")
        count = len(result.rows_to_import)
    else:
        count = len(ws.import_receipts(Path(source), decision_id=decision, default_category="S_BUERO").ids)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ws.close()
    print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_mb": peak, "rows": count}))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--child", nargs=3, metavar=("MODE", "DATA", "SOURCE"))
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return 0
    from paktdesk.demo import create_demo

    folder = Path(tempfile.mkdtemp(prefix="paktdesk-bench-import-"))
    os.environ.setdefault("PAKTDESK_HOME", str(folder / "home"))
    template = folder / "template.paktdesk"
    ws = create_demo(template)
    decision = max(d.id for d in ws.decisions())
    version = ws.current_version(decision)
    ws.close()
    data = rows(args.rows)
    span = (version.last_day - version.first_day).days + 1
    for r in data:  # every receipt inside the decision's period
        r[1] = version.first_day + timedelta(days=(r[1] - date(2023, 1, 1)).days % span)
    sources = {"CSV": folder / "export.csv", "XLSX": folder / "export.xlsx"}
    write_csv(sources["CSV"], data)
    write_xlsx(sources["XLSX"], data)
    failed = False
    for kind, source in sources.items():
        for mode, goal in (("preview", 2.0), ("import", 5.0)):
            target = folder / f"{kind}-{mode}.paktdesk"
            target.write_bytes(template.read_bytes())
            out = subprocess.run([sys.executable, __file__, "--child", mode, str(target), str(source)],
                                 capture_output=True, text=True, check=True)
            result = json.loads(out.stdout.strip().splitlines()[-1])
            # judged on CPU time: on a shared machine the wall clock also counts the others' work
            ok = result["cpu"] <= goal and result["peak_mb"] <= 300
            failed |= not ok
            print(f"{kind} {mode}: {args.rows} Zeilen, {result['rows']} übernommen, {result['seconds']:.2f} s "
                  f"(CPU {result['cpu']:.2f} s, Ziel ≤ {goal:.0f} s), Spitze {result['peak_mb']:.0f} MB "
                  "(Ziel ≤ 300 MB)"
                  + ("" if ok else "  ← verfehlt"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
