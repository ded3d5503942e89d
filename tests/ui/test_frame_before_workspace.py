"""Start-up shows the window frame before the data file opens: building it must not load the
workspace or the database layer (about 0.13 s), so the clerk sees PaktDesk at once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CODE = """
import os, sys
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
from paktdesk.ui.main_window import MainWindow
window = MainWindow(None)
window.show()
app.processEvents()
loaded = sorted(m for m in sys.modules if m.startswith(("paktdesk.workspace", "paktdesk.db")) or m == "sqlite3")
print(",".join(loaded) or "none")
"""


def test_the_window_frame_loads_no_workspace_and_no_database():
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    done = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, env=env, cwd=ROOT,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "none"
