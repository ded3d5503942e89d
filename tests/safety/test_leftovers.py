"""Issue 17: temporary files of a killed export or backup are removed at the next start, and only
those: our own names, of processes that are gone."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from paktdesk import atomic
from paktdesk.workspace import Workspace

KILLED_WRITE = """
import os, signal, sys
from pathlib import Path
from paktdesk import atomic

def write(handle):
    handle.write(b"PK" + b"x" * 100_000)
    handle.flush()
    # Windows has no SIGKILL; there os.kill is TerminateProcess, just as abrupt
    os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))  # killed in the middle of the export

atomic.write_atomically(Path(sys.argv[1]), write)
"""


def test_a_killed_export_leaves_a_temp_that_the_next_start_removes(small_file, tmp_path):
    out = tmp_path / "Export" / "out.zip"
    out.parent.mkdir()
    (out.parent / "out.zip").write_bytes(b"old complete version")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    done = subprocess.run([sys.executable, "-c", KILLED_WRITE, str(out)], env=env, timeout=60)
    assert done.returncode != 0
    left = [p for p in out.parent.iterdir() if p.name.startswith(".out.zip.") and p.name.endswith(".tmp")]
    assert len(left) == 1, list(out.parent.iterdir())
    foreign = out.parent / ".out.zip.notes.tmp"  # not our pattern: never touched
    foreign.write_text("someone else's")
    ws = Workspace.open_guarded(small_file)
    ws.close()
    assert not left[0].exists()
    assert foreign.exists()
    assert out.read_bytes() == b"old complete version"


def test_a_temp_of_a_running_process_stays(small_file, tmp_path):
    target = tmp_path / "Bericht.pdf"
    with atomic.temporary_beside(target) as temp:
        temp.write_bytes(b"%PDF in progress")
        assert atomic.sweep_leftovers() == []  # this process is alive
        assert temp.exists()
    assert not temp.exists()


def test_a_killed_backups_copy_is_removed_at_the_next_start(small_file):
    folder = small_file.parent / "Sicherungen"
    folder.mkdir()
    dead_pid = 2**22 + 12345  # above Linux's pid_max default: no such process
    temps = [folder / f".Datenbestand-20260101-120000-manual.paktdesk.tmp-{dead_pid}",
             small_file.parent / f".{small_file.name}.tmp-{dead_pid}"]  # an interrupted restore
    old = time.time() - 600
    for temp in temps:
        temp.write_bytes(b"\0" * 4096)
        os.utime(temp, (old, old))
    own_pid_temp = folder / f".Datenbestand.paktdesk.tmp-{os.getpid()}"
    own_pid_temp.write_bytes(b"being written")
    ws = Workspace.open_guarded(small_file)
    ws.close()
    assert not any(temp.exists() for temp in temps)
    assert own_pid_temp.exists()
