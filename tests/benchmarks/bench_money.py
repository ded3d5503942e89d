"""Benchmark (not a test, not run by default): receipt import and the receipts list at scale.

Issue targets: import of 10,000 rows ≤ 1 s; with 200,000 receipts the receipts list opens in
≤ 200 ms (count + first page) and a filter keystroke answers in ≤ 50 ms.

Run:  PYTHONPATH=. python tests/benchmarks/bench_money.py [--receipts 200000]
Builds the demo in a temporary folder, imports CSV files of 10,000 generated rows through the
real use case (one transaction each) until the wanted number of receipts is reached, then times
the receipts listing as the GUI's lazy table model calls it."""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from paktdesk.core.money import format_cents
from paktdesk.demo import create_demo

PAYEES = ["Bürobedarf Müller GmbH", "Gemeindekasse Lindenbach", "Sprachmittlerpool Unterland", "Deutsche Bahn",
          "Evangelische Hochschule Freiburg", "Kulturverein Brücke e. V.", "Stadtwerke Lindenbach"]
PURPOSES = ["Toner und Papier", "Fahrkarte Stuttgart", "Dolmetschereinsatz Arabisch", "Fortbildung Modul",
            "Honorar Infoabend", "Strom Beratungsraum", "Porto"]
CATEGORIES = ["S_BUERO", "S_REISE", "S_DOLM", "S_FORTB", "S_HONORAR", "S_RAUM", "S_SONST"]


def make_csv(rows: int, batch: int, first: date, days: int) -> bytes:
    rnd = random.Random(batch)
    lines = ["Belegdatum;Zahldatum;Betrag;Empfänger;Verwendungszweck;Kostenart"]
    for index in range(rows):
        day = first + timedelta(days=rnd.randrange(days))
        cents = rnd.randint(100, 250_000)
        lines.append(f"{day:%d.%m.%Y};{day:%d.%m.%Y};{format_cents(cents)};{rnd.choice(PAYEES)};"
                     f"{rnd.choice(PURPOSES)} {batch}-{index};{rnd.choice(CATEGORIES)}")
    return ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")


def timed(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--receipts", type=int, default=200_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="paktdesk-bench-"))
    ws = create_demo(folder / "bench.paktdesk")
    decision = max(d.id for d in ws.decisions())
    version = ws.current_version(decision)
    days = (version.last_day - version.first_day).days + 1
    import_times, cpu_times = [], []
    batch = 0
    while ws.list_count("receipts") < args.receipts:
        batch += 1
        data = make_csv(10_000, batch, version.first_day, days)
        start, cpu = time.perf_counter(), time.process_time()
        ws.import_receipts(data, filename="export.csv", decision_id=decision)
        import_times.append(time.perf_counter() - start)
        cpu_times.append(time.process_time() - cpu)
        print(f"  Import {batch}: 10.000 Zeilen in {import_times[-1]:.2f} s (CPU {cpu_times[-1]:.2f} s, "
              f"jetzt {ws.list_count('receipts')} Belege)", flush=True)
    total = ws.list_count("receipts")

    def open_list():
        ws.list_count("receipts")
        ws.list_page("receipts", offset=0, limit=100)

    def sorted_page():
        ws.list_page("receipts", offset=0, limit=100, sort="amount", descending=True)

    def keystroke(text="Mül"):
        ws.list_count("receipts", search=text)
        ws.list_page("receipts", offset=0, limit=100, search=text)

    def balance():
        ws.balance(decision)

    print(f"Belege: {total}")
    print(f"Import 10.000 Zeilen (Median über {len(import_times)}): {statistics.median(import_times):.3f} s "
          f"(CPU {statistics.median(cpu_times):.3f} s; Ziel ≤ 1 s)")
    print(f"Liste öffnen (Anzahl + erste Seite): {timed(open_list) * 1000:.0f} ms (Ziel ≤ 200 ms)")
    print(f"Sortiert nach Betrag, erste Seite: {timed(sorted_page) * 1000:.0f} ms")
    print(f"Filter-Tastendruck „Mül“ (Anzahl + erste Seite): {timed(keystroke) * 1000:.0f} ms (Ziel ≤ 50 ms)")
    print(f"Soll-Ist eines Bescheids: {timed(balance) * 1000:.0f} ms")
    ws.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
