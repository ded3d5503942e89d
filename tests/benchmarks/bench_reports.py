"""Benchmark (not a test): the Verwendungsnachweis with a 10,000-line Belegliste against a bare
reportlab table of the same rows, measured in the same run.

Target from the printed-forms issue: the whole proof of use (reading the rows, laying out every
part, writing the file) takes at most 1.3 × the time of the bare table.

Run from the repository root:  python tests/benchmarks/bench_reports.py [--rows 10000] [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from reportlab.lib.pagesizes import A4, landscape  # noqa: E402
from reportlab.platypus import SimpleDocTemplate, Table, TableStyle  # noqa: E402

from paktdesk.core import entities as e  # noqa: E402
from paktdesk.core.money import format_cents  # noqa: E402
from paktdesk.core.periods import format_date  # noqa: E402
from paktdesk.demo import create_demo  # noqa: E402
from paktdesk.reports.belegliste import column_widths  # noqa: E402
from paktdesk.reports.fonts import REGULAR, register_fonts  # noqa: E402

DECISION = "15.2-8712.23/1274"
PRINTED_ON = date(2025, 3, 12)


# every third receipt in German as real data has it: umlauts and "ß" in payee and purpose
GERMAN_PAYEES = ("Bürobedarf Müller {} GmbH", "Bäckerei Schäfer {}", "Straßenbau Öztürk {} KG")
GERMAN_PURPOSES = ("Gesprächsführung Nr. {}", "Übersetzung Nr. {}", "Fahrtkosten Böblingen Nr. {}")


def fill(ws, rows: int) -> int:
    decision = ws.decision_by_file_number(DECISION)
    start = date(2023, 1, 1)
    with ws.batch():
        for i in range(rows):
            day = start + timedelta(days=(i * 37) % 730)
            if i % 3 == 1:
                payee = GERMAN_PAYEES[i % 7 % 3].format(i % 41)
                purpose = GERMAN_PURPOSES[i % 5 % 3].format(i)
            else:
                payee, purpose = f"Lieferant {i % 41} GmbH", f"Sachkosten Nr. {i}"
            purpose += " mit einer längeren Beschreibung, die in der Spalte umbrechen muss" if i % 97 == 0 else ""
            ws.add_receipt(e.Receipt(None, decision, e.ListKind.MATERIAL, 0, day, day, day.year,
                                     payee, purpose, "S_SONST", (i * 7919) % 90_000 + 1))
    return decision


def bare_table(ws, decision: int, out: Path, *, widths: list[float] | None = None) -> None:
    """What a hand-written report would do: one reportlab Table of the same rows, header repeated
    (column widths measured by reportlab, or given like ours)."""
    register_fonts()
    rows = [["Lfd.", "Datum", "Beleg-Nr.", "Bezahlt am", "HH-Jahr", "Empfänger", "Zweck", "Person", "Betrag"]]
    receipts = [r for r in ws.receipts(decision) if r.cost_category == "S_SONST"]
    receipts.sort(key=lambda r: (r.receipt_date, r.number))
    for index, r in enumerate(receipts, start=1):
        rows.append([str(index), format_date(r.receipt_date), f"S-{r.number:04d}", format_date(r.paid_on),
                     str(r.budget_year), r.payee, r.purpose, "", format_cents(r.amount_cents)])
    table = Table(rows, repeatRows=1, colWidths=widths)
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), REGULAR, 8), ("GRID", (0, 0), (-1, -1), 0.4, "black")]))
    SimpleDocTemplate(str(out), pagesize=landscape(A4), invariant=1).build([table])


def proof_parts(ws, decision: int, runs: int) -> dict[str, float]:
    """Where the proof of use spends its time: gathering the data, planning the largest
    Belegliste (wrapping, page plan), and rendering the whole PDF into memory."""
    import io

    from paktdesk.reports.belegliste import plan_pages
    from paktdesk.reports.render import render_pdf

    data = ws.proof_of_use_data(decision, printed_on=PRINTED_ON)
    largest = max(data.receipt_lists, key=lambda receipts: len(receipts.lines))
    return {
        "gathering the data": statistics.median(timed(lambda: ws.proof_of_use_data(decision, printed_on=PRINTED_ON),
                                                      runs)),
        "planning the largest Belegliste": statistics.median(timed(lambda: plan_pages(largest), runs)),
        "rendering the PDF (incl. planning)": statistics.median(timed(lambda: render_pdf(data, io.BytesIO()), runs)),
    }


def timed(func, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        begin = time.perf_counter()
        func()
        times.append(time.perf_counter() - begin)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        ws = create_demo(folder / "bench.paktdesk")
        try:
            decision = fill(ws, args.rows)
            bare_table(ws, decision, folder / "warm.pdf")  # font registration and imports out of the timing
            bare = timed(lambda: bare_table(ws, decision, folder / "bare.pdf"), args.runs)
            fixed = timed(lambda: bare_table(ws, decision, folder / "fixed.pdf", widths=column_widths()), args.runs)
            result = None

            def proof() -> None:
                nonlocal result
                result = ws.print_proof_of_use(decision, folder / "vn.pdf", printed_on=PRINTED_ON)

            ours = timed(proof, args.runs)
            parts = proof_parts(ws, decision, args.runs)
        finally:
            ws.close()
    bare_median, ours_median = statistics.median(bare), statistics.median(ours)
    ratio = ours_median / bare_median
    print(f"rows in the Belegliste:          {args.rows}")
    print(f"bare reportlab table:            {bare_median:6.2f} s  (runs: {', '.join(f'{t:.2f}' for t in bare)})")
    print(f"bare table, fixed widths:        {statistics.median(fixed):6.2f} s  "
          f"(runs: {', '.join(f'{t:.2f}' for t in fixed)})")
    print(f"Verwendungsnachweis ({result.pages} pages): {ours_median:6.2f} s  "
          f"(runs: {', '.join(f'{t:.2f}' for t in ours)})")
    print(f"ratio:                           {ratio:6.2f}  (target ≤ 1.30: {'ok' if ratio <= 1.3 else 'MISSED'})")
    print(f"ratio to fixed-width table:      {ours_median / statistics.median(fixed):6.2f}")
    print("of which (medians, measured apart): " + ", ".join(f"{name} {seconds:.3f} s" for name, seconds in parts.items()))
    return 0 if ratio <= 1.3 else 1


if __name__ == "__main__":
    raise SystemExit(main())
