"""PySide6 6.12.0 on Python 3.11 returns None (void methods) and True/False (Signal.emit) without
a reference; paktdesk.ui raises their counts once so a long session does not abort with
"deallocating None". Checked in a child process: a failure there must not take pytest down."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import sys
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QLabel

calls = max(sys.getrefcount(None), sys.getrefcount(True)) + 20_000  # more than either count holds
import paktdesk.ui  # applies the guard

class Source(QObject):
    fired = Signal(object)

app = QApplication([])
label = QLabel()
source = Source()
source.fired.connect(lambda value: None)
for _ in range(calls):
    label.setText("x")  # void: returns None
    source.fired.emit(1)  # returns True
print("ok")
"""


def test_many_void_calls_and_emits_do_not_abort_the_interpreter():
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=120,
                            check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().endswith("ok")
