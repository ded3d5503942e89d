"""Quitting while a background job runs must not abort the process ("QThread: Destroyed while
thread is still running")."""

from __future__ import annotations

import subprocess
import sys

PRELUDE = """
import os, sys, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication
import paktdesk.ui  # the refcount guard
"""

CHILD = PRELUDE + """
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


CHILD_OWNER_GONE = PRELUDE + """
from paktdesk.ui import workers
from paktdesk.ui.background import Job
app = QApplication([])
owner = QObject()
job = Job(lambda: time.sleep(0.3) or "fertig", name="verwaist", parent=owner)
job.start()
owner.deleteLater()  # the page that started it closes while the thread runs
def check():
    if workers.running_jobs() == 0:
        app.exit(0)
timer = QTimer(); timer.timeout.connect(check); timer.start(20)
QTimer.singleShot(10_000, lambda: app.exit(3))
sys.exit(app.exec())
"""


def test_a_job_whose_owner_is_gone_ends_quietly():
    """The thread belongs to the one thread runner (ui/workers.py): deleting the object that
    started it neither aborts the process nor delivers the outcome to a deleted object."""
    out = subprocess.run([sys.executable, "-c", CHILD_OWNER_GONE], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr
