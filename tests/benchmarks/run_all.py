"""Every PaktDesk benchmark on a generated Kreis-size Datenbestand, each beside its floor measured
in the same run, as a table with ratios and goals (German/English).

    python tests/benchmarks/run_all.py                  # median of 5 runs each (about 10 minutes)
    python tests/benchmarks/run_all.py --runs 3 --only export,import
    python tests/benchmarks/run_all.py --smoke          # tiny data, one run each: does it still work?
    python tests/benchmarks/run_all.py --json results.json

The data comes from generate.py (cached). Each measure runs in its own processes: GUI measures
in fresh Qt processes (offscreen unless QT_QPA_PLATFORM is set), the others in one worker process
per measure that interleaves PaktDesk's runs with the floor's, so drift on a shared machine hits
both alike. Peak memory is PaktDesk's own (the worker resets the high-water mark before each of
its runs). Exit code 0 even when goals are missed, unless --check is given."""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
for folder in (ROOT, HERE):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

import bench_startup  # noqa: E402
import generate  # noqa: E402
import measures  # noqa: E402

MEASURES = ("startup", "receipts", "proof", "export", "import", "backup")
FILTER_TEXT = "D"  # the first keystroke of, say, "Dolmetscher"
PROOF_ROWS, SMOKE_PROOF_ROWS = 10_000, 200
WORKER_TIMEOUT_S = 3600


@dataclass
class Result:
    """One line of the table."""

    key: str
    label: str  # German / English
    ours: list[float]
    floor: list[float] = field(default_factory=list)
    floor_label: str = ""
    goal: str = ""  # "ratio" (ours/floor ≤ limit), "seconds" (ours ≤ limit), "mb", "faster" (floor/ours ≥ limit),
    # "info" (shown, no goal)
    limit: float = 0.0
    unit: str = "s"
    peak_mb: float | None = None
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def median(self) -> float | None:
        return statistics.median(self.ours) if self.ours else None

    @property
    def floor_median(self) -> float | None:
        return statistics.median(self.floor) if self.floor else None

    @property
    def ratio(self) -> float | None:
        if self.median is None or not self.floor_median:
            return None
        if self.goal == "faster":
            return self.floor_median / self.median
        return self.median / self.floor_median

    @property
    def met(self) -> bool | None:
        if self.median is None:
            return None
        if self.goal == "ratio":
            return None if self.ratio is None else self.ratio <= self.limit
        if self.goal == "faster":
            return None if self.ratio is None else self.ratio >= self.limit
        if self.goal == "info":
            return None
        return self.median <= self.limit

    def goal_text(self) -> str:
        return {"ratio": f"≤ {self.limit:g} ×", "faster": f"≥ {self.limit:g} × schneller",
                "seconds": f"≤ {_seconds(self.limit)}", "mb": f"≤ {self.limit:g} MB", "info": "(Information)"}[self.goal]

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "ours": self.ours, "floor": self.floor,
                "floor_label": self.floor_label, "median": self.median, "floor_median": self.floor_median,
                "ratio": self.ratio, "goal": self.goal_text(), "met": self.met, "peak_mb": self.peak_mb,
                "unit": self.unit, "details": self.details}


def thousands(value: int) -> str:
    """12345 → "12.345" (German thousands separator)."""
    return f"{value:,}".replace(",", ".")


def _seconds(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


# --------------------------------------------------------------------------- running things


def child_env(home: Path, cache: Path) -> dict[str, str]:
    """The children's environment: offscreen Qt, a private PAKTDESK_HOME, and compiled bytecode
    kept in the cache folder (an installed PaktDesk starts from .pyc files; without them every
    start would compile PaktDesk's modules first, which the bare Qt window never has to)."""
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["PAKTDESK_HOME"] = str(home)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(cache / "pycache")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    return env


def run_child(args: list[str], env: dict[str, str]) -> dict[str, Any]:
    """Run a Python child that prints ``RESULT {json}``; its other output is shown only on failure."""
    done = subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env, cwd=ROOT,
                          timeout=WORKER_TIMEOUT_S)
    for line in reversed(done.stdout.splitlines()):
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT "):])
    raise RuntimeError(f"{' '.join(args[:2])} failed (exit {done.returncode}):\n{done.stdout[-3000:]}"
                       f"\n{done.stderr[-3000:]}")


def measure_startup(data: generate.Generated, runs: int, warmup: bool, env: dict[str, str]) -> list[Result]:
    from paktdesk.lockfile import lock_path

    lock = lock_path(data.kreis_file)

    def paktdesk_start() -> tuple[float, float]:
        # the measured child leaves at once (os._exit) and so leaves its lock file behind; the next
        # start would ask whether to take over the file
        lock.unlink(missing_ok=True)
        try:
            return bench_startup.time_start(bench_startup.PAKTDESK, str(data.kreis_file), env=env)
        finally:
            lock.unlink(missing_ok=True)

    if warmup:
        bench_startup.time_start(bench_startup.BARE, env=env)
        paktdesk_start()
    bare, shown, ready = [], [], []
    for _ in range(runs):
        bare.append(bench_startup.time_start(bench_startup.BARE, env=env)[0])
        first, full = paktdesk_start()
        shown.append(first)
        ready.append(full)
    return [
        Result("startup", "Kaltstart bis Übersicht mit Daten / cold start to usable window", ready, bare,
               "nacktes QMainWindow", "ratio", 1.3,
               details={"window_shown_s": [round(t, 3) for t in shown]}),
    ]


def measure_receipts(data: generate.Generated, runs: int, warmup: bool, env: dict[str, str]) -> list[Result]:
    script = str(HERE / "gui_list.py")
    file = str(data.kreis_file)
    outcomes, floors = [], []
    if warmup:
        run_child([script, "ours", file, FILTER_TEXT], env)
    for _ in range(runs):
        floors.append(run_child([script, "floor", file, FILTER_TEXT], env))
        outcomes.append(run_child([script, "ours", file, FILTER_TEXT], env))
    last, last_floor = outcomes[-1], floors[-1]
    details = {"rows": last["open_rows"], "filter_rows": last["filter_rows"],
               "background_check_s": round(statistics.median(o["background_check_s"] for o in outcomes), 2),
               "count_label": last["filter_count_text"],
               "sql_count_s": round(statistics.median(f["open_count"] for f in floors), 3),
               "sql_filter_count_s": round(statistics.median(f["filter_count"] for f in floors), 3)}
    peak = max(o["peak_mb"] for o in outcomes)
    return [
        Result("receipts_open", "Belegliste öffnen / open the receipts list", [o["open"] for o in outcomes],
               [f["open"] for f in floors], "sqlite3, dieselbe Seite", "seconds", 0.2, details=details),
        Result("receipts_filter", f"ein Tastendruck im Filter („{FILTER_TEXT}“) / one filter keystroke",
               [o["filter"] for o in outcomes], [f["filter"] for f in floors],
               "sqlite3, gefilterte Seite", "seconds", 0.05,
               details={"matching_rows": last["filter_rows"], "floor_rows": last_floor["filter_rows"]}),
        Result("memory", "Spitzenspeicher mit Belegliste / peak memory, receipts list shown",
               [o["peak_mb"] for o in outcomes], goal="mb", limit=250, unit="MB", peak_mb=peak),
    ]


def measure_in_worker(name: str, params: dict[str, Any], env: dict[str, str]) -> dict[str, Any]:
    return run_child([str(HERE / "measures.py"), name, json.dumps(params)], env)


def measure_proof(data, runs: int, warmup: bool, env: dict[str, str], *, smoke: bool,
                  soffice: bool) -> list[Result]:
    rows = SMOKE_PROOF_ROWS if smoke else PROOF_ROWS
    out = measure_in_worker("proof", {"rows": rows, "runs": runs, "warmup": warmup, "soffice": soffice,
                                      "soffice_runs": max(1, min(runs, 3))}, env)
    results = [Result("proof", f"Verwendungsnachweis, {thousands(rows)} Belege / proof of use",
                      out["ours"], out["floor"], "nackte reportlab-Tabelle", "ratio", 1.3, peak_mb=out["peak_mb"],
                      details=out["details"])]
    if soffice:
        results.append(Result(
            "libreoffice", "dieselbe Belegliste: LibreOffice XLSX → PDF / via LibreOffice",
            out["ours"], out["soffice"], "soffice --headless", "faster", 5.0,
            details={k: v for k, v in out["details"].items() if "soffice" in k or k == "xlsx_rows"}))
    return results


def measure_export(data, runs: int, warmup: bool, env: dict[str, str]) -> list[Result]:
    out = measure_in_worker("export", {"kreis_file": str(data.kreis_file), "runs": runs, "warmup": warmup}, env)
    receipts = out["details"].get("receipts", 0)
    return [Result("export", f"Export JSON, {thousands(receipts)} Belege / export as JSON",
                   out["ours"], out["floor"], "sqlite3 + json.dump", "ratio", 1.5,
                   peak_mb=out["peak_mb"], details=out["details"])]


def measure_import(data, runs: int, warmup: bool, env: dict[str, str]) -> list[Result]:
    out = measure_in_worker("import", {"kreis_file": str(data.kreis_file),
                                       "gemeinde_files": [str(f) for f in data.gemeinde_files],
                                       "runs": runs, "warmup": warmup}, env)
    count = len(data.gemeinde_files)
    return [Result("import", f"Import von {count} Gemeinde-Dateien / import {count} Gemeinde files",
                   out["ours"], out["floor"], f"json.loads ({count} Dateien)", "seconds", 10.0,
                   peak_mb=out["peak_mb"], details=out["details"])]


def measure_backup(data, runs: int, warmup: bool, env: dict[str, str]) -> list[Result]:
    out = measure_in_worker("backup", {"kreis_file": str(data.kreis_file), "runs": runs, "warmup": warmup}, env)
    results = [Result("backup", "Sicherung der Datei / backup of the file", out["ours"], out["floor"],
                      "sqlite3 .backup", "ratio", 1.2, peak_mb=out["peak_mb"], details=out["details"])]
    if out["details"].get("deep_check"):  # the check that follows on a worker: information only
        results.append(Result("backup_deep", "(danach im Hintergrund: Tiefenprüfung / deep check)",
                              out["details"]["deep_check"], goal="info"))
    return results


# --------------------------------------------------------------------------- reporting


def machine() -> dict[str, str]:
    import sqlite3

    info = {"date": datetime.now().strftime("%Y-%m-%d %H:%M"), "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version, "cores": str(os.cpu_count()), "system": platform.platform()}
    try:
        import PySide6
        from PySide6.QtCore import qVersion

        info["qt"] = f"{qVersion()} (PySide6 {PySide6.__version__})"
    except ImportError:
        info["qt"] = "–"
    try:
        info["memory"] = f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.1f} GiB"
    except (ValueError, OSError, AttributeError):
        info["memory"] = "–"
    info["load"] = load()
    return info


def load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "–"


def _value(result: Result, value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.0f} MB" if result.unit == "MB" else _seconds(value)


def table(results: list[Result]) -> str:
    header = ("Messung / measure", "PaktDesk", "Boden / floor", "Verhältnis / ratio", "Ziel / goal",
              "erreicht / met", "Speicher / memory")
    rows = []
    for r in results:
        floor = f"{_value(r, r.floor_median)} {r.floor_label}".strip() if r.floor else (r.floor_label or "–")
        ratio = "–" if r.ratio is None else f"{r.ratio:.2f} ×"
        met = {True: "ja / yes", False: "NEIN / NO", None: "–"}[r.met]
        memory = "–" if r.peak_mb is None or r.unit == "MB" else f"{r.peak_mb:.0f} MB"
        rows.append((r.label, _value(r, r.median), floor, ratio, r.goal_text(), met, memory))
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
             for row in [header, *rows]]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def details_text(results: list[Result]) -> str:
    lines = []
    for r in results:
        spread = f"runs {', '.join(_value(r, v) for v in r.ours)}"
        if r.floor:
            spread += f"; floor {', '.join(_value(r, v) for v in r.floor)}"
        extra = ", ".join(f"{k}={v}" for k, v in r.details.items())
        lines.append(f"  {r.key}: {spread}" + (f"; {extra}" if extra else ""))
    return "\n".join(lines)


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny data, one run per measure, no warm-up")
    parser.add_argument("--runs", type=int, help="measured runs per measure (default 5, smoke 1)")
    parser.add_argument("--only", help=f"comma-separated subset of: {', '.join(MEASURES)}")
    parser.add_argument("--cache", type=Path, help="cache folder for the generated data")
    parser.add_argument("--no-libreoffice", action="store_true", help="skip the LibreOffice route")
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    parser.add_argument("--check", action="store_true", help="exit 1 if a goal is missed")
    args = parser.parse_args(argv)
    chosen = [m.strip() for m in args.only.split(",")] if args.only else list(MEASURES)
    unknown = set(chosen) - set(MEASURES)
    if unknown:
        parser.error(f"unknown measure(s): {', '.join(sorted(unknown))}")
    runs = args.runs or (1 if args.smoke else 5)
    warmup = not args.smoke
    scale = generate.SMOKE if args.smoke else generate.FULL
    soffice = not args.no_libreoffice and measures.soffice_command() is not None

    started = time.perf_counter()
    data = generate.ensure(scale, cache=args.cache)
    info = machine()
    print(f"PaktDesk-Benchmarks {info['date']} – Kreis mit {scale.gemeinden} Gemeinden, "
          f"{thousands(scale.receipts)} Belegen, Datei {data.kreis_file.stat().st_size / 1e6:.0f} MB")
    print(f"Maschine / machine: {info['cores']} Kerne/cores, {info['memory']} RAM, Python {info['python']}, "
          f"SQLite {info['sqlite']}, Qt {info['qt']}; Last/load {info['load']}")
    print(f"Median aus {runs} Läufen / median of {runs} runs" + (", mit Aufwärmlauf / after a warm-up run"
                                                                  if warmup else "") + "\n", flush=True)

    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="paktdesk-bench-home-") as home:
        env = child_env(Path(home), Path(args.cache or generate.cache_root()))
        steps = {
            "startup": lambda: measure_startup(data, runs, warmup, env),
            "receipts": lambda: measure_receipts(data, runs, warmup, env),
            "proof": lambda: measure_proof(data, runs, warmup, env, smoke=args.smoke, soffice=soffice),
            "export": lambda: measure_export(data, runs, warmup, env),
            "import": lambda: measure_import(data, runs, warmup, env),
            "backup": lambda: measure_backup(data, runs, warmup, env),
        }
        for key in chosen:
            begin = time.perf_counter()
            print(f"… {key}", end="", flush=True)
            found = steps[key]()
            results.extend(found)
            print(f" ({time.perf_counter() - begin:.0f} s, load {load()})", flush=True)
    if not soffice and "proof" in chosen:
        print("LibreOffice (soffice) nicht installiert / not installed: Messung übersprungen / skipped")
    print()
    print(table(results))
    print("\nEinzelwerte / single runs:")
    print(details_text(results))
    print(f"\nDauer / took {time.perf_counter() - started:.0f} s; Last danach / load after {load()}")
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "scale": scale.key, "runs": runs,
                                         "results": [r.as_dict() for r in results]}, indent=1, ensure_ascii=False),
                             encoding="utf-8")
    missed = [r for r in results if r.met is False]
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
