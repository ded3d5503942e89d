"""Quitting while a background job runs must not abort the process ("QThread: Destroyed while
thread is still running")."""

from __future__ import annotations

import subprocess
import sys

CHILD = """
import os, sys, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication
import paktdesk.ui  # the refcount guard
from paktdesk.ui.background import Job
app = QApplication([])
owner = QObject()
job = Job(lambda: time.sleep(1.0) or "fertig", name="langsam", parent=owner)
job.start()
QTimer.singleShot(50, lambda: app.exit(0))
code = app.exec()
print("finished" if job.isFinished() else "running")
del owner
sys.exit(code)
"""


def test_quitting_waits_for_a_running_background_job():
    out = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["finished"]
