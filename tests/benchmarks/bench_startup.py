"""Start-up benchmark: PaktDesk on the demo Datenbestand against a bare PySide6 QMainWindow.

Each start runs in a fresh Python process. The time is taken from spawning the process to the
moment its main window receives its first expose event (it is on screen), as seen by this
script; both kinds of start are interleaved so drift hits both alike, and the median of several
runs is compared. Goal: PaktDesk ≤ 1.5 × the bare window.

    python tests/benchmarks/bench_startup.py [--runs 9] [--check]

Runs offscreen unless QT_QPA_PLATFORM is set (e.g. ``xcb`` under xvfb-run). ``--check`` exits
with 1 when the goal is missed. Not part of the test run (pytest ignores tests/benchmarks)."""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

GOAL = 1.5
TIMEOUT_S = 60
ROOT = Path(__file__).resolve().parents[2]

# Shared by both children: create the QApplication first, print "shown" at the first expose of
# the main window and "ready" once it shows data (PaktDesk: the Übersicht's title is painted; the
# bare window has no data, so it is ready when shown), then leave at once (no teardown timed).
#
# The probe watches only those two objects (an event filter on the main window's native window,
# installed just before it is shown, and one on the Übersicht's title label): an application-wide
# Python event filter would have every event of every object converted for Python, which costs a
# real window with hundreds of widgets far more than the bare one (measured: 351 Qt enum types
# created by the time the frame shows instead of 213 without the filter) and so would distort the
# ratio it is meant to measure.
_PRELUDE = """
import os, sys
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow

READY_WHEN_SHOWN = {ready_when_shown}

class Probe(QObject):
    shown = False

    def eventFilter(self, watched, event):
        kind = event.type()
        if not self.shown and kind == QEvent.Type.Expose and watched.isExposed():
            self.shown = True
            sys.stdout.write("shown\\n")
            sys.stdout.flush()
            if READY_WHEN_SHOWN:
                self.ready()
        elif kind == QEvent.Type.Paint and watched.objectName() == "overviewTitle":
            self.ready()
        return False

    def ready(self):
        sys.stdout.write("ready\\n")
        sys.stdout.flush()
        os._exit(0)

    def watch_window(self, window):
        window.winId()  # the native window exists now: its first expose is still to come
        window.windowHandle().installEventFilter(self)

app = QApplication(sys.argv[:1])
_probe = Probe()
_show = QMainWindow.show

def _show_watched(window):
    _probe.watch_window(window)
    _show(window)

QMainWindow.show = _show_watched
"""

BARE = _PRELUDE.format(ready_when_shown=True) + """
window = QMainWindow()
window.setWindowTitle("bare")
window.resize(1280, 800)
window.show()
app.exec()
"""

PAKTDESK = _PRELUDE.format(ready_when_shown=False) + """
from paktdesk.ui import sections  # imported before the frame by the window anyway

_build = sections.Tab.build

def _build_watched(tab, *args, **kwargs):
    page = _build(tab, *args, **kwargs)
    if hasattr(page, "title_label"):  # the Übersicht
        page.title_label.installEventFilter(_probe)
    return page

sections.Tab.build = _build_watched
from paktdesk.__main__ import main
sys.exit(main(["--data", sys.argv[1]]))
"""


def time_start(code: str, *args: str, env: dict[str, str]) -> tuple[float, float]:
    """Seconds from spawning a fresh interpreter to its window's first expose, and to data shown."""
    started = time.perf_counter()
    with subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, env=env, cwd=ROOT, text=True) as child:
        watchdog = threading.Timer(TIMEOUT_S, child.kill)  # a child that never shows a window
        watchdog.start()
        try:
            marks = {}
            for line in child.stdout:
                marks[line.strip()] = time.perf_counter() - started
                if line.strip() == "ready":
                    break
            child.wait(timeout=TIMEOUT_S)
        finally:
            watchdog.cancel()
    for arg in args:  # the child leaves at once (os._exit) and so leaves its lock file behind;
        Path(arg + ".lock").unlink(missing_ok=True)  # the next start would ask about a stale lock
    if set(marks) != {"shown", "ready"}:
        raise RuntimeError("the child process ended without showing its window with data")
    return marks["shown"], marks["ready"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="measured starts of each kind (default 9)")
    parser.add_argument("--check", action="store_true", help=f"exit 1 if the ratio exceeds {GOAL}")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="paktdesk-bench-") as folder:
        env = dict(os.environ)
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        env["PAKTDESK_HOME"] = str(Path(folder) / "home")
        # compiled bytecode as an installed PaktDesk has it (the warm-up start writes it), not a
        # compile of every module at every start (PYTHONDONTWRITEBYTECODE on some machines)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(Path(folder) / "pycache")
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
        demo = Path(folder) / "Demo-Lindenbach.paktdesk"
        subprocess.run([sys.executable, "-m", "paktdesk", "--data", str(demo), "demo"], check=True,
                       env=env, cwd=ROOT, stdout=subprocess.DEVNULL)

        time_start(BARE, env=env)  # warm-up: file cache, font cache; not counted
        time_start(PAKTDESK, str(demo), env=env)
        bare, shown, ready = [], [], []
        for _ in range(args.runs):
            bare.append(time_start(BARE, env=env)[0])
            first, full = time_start(PAKTDESK, str(demo), env=env)
            shown.append(first)
            ready.append(full)

    def line(label: str, values: list[float]) -> str:
        median = statistics.median(values)
        return (f"  {label:<34}{median * 1000:6.0f} ms  ({min(values) * 1000:.0f}–{max(values) * 1000:.0f})"
                f"  = {median / statistics.median(bare):4.2f} ×")

    ratio = statistics.median(shown) / statistics.median(bare)
    print(f"Plattform: {env['QT_QPA_PLATFORM']}, {args.runs} Starts je Art, Median (min–max), "
          "Verhältnis zum nackten Fenster")
    print(line("nacktes QMainWindow", bare))
    print(line("PaktDesk: Fenster sichtbar", shown))
    print(line("PaktDesk: Übersicht mit Daten", ready))
    print(f"  Ziel: Fenster sichtbar ≤ {GOAL} × – " + ("erreicht" if ratio <= GOAL else "VERFEHLT"))
    return 1 if args.check and ratio > GOAL else 0


if __name__ == "__main__":
    sys.exit(main())
