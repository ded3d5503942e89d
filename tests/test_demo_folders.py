"""A demo copy lives in a temporary folder; a killed PaktDesk leaves it behind and the next start
removes it, but never a folder of a program still running or one that is not ours."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from paktdesk.demo_folders import DEMO_FILE_NAME, OWNER_FILE, PREFIX, new_demo_folder, remove_stale_demo_folders
from paktdesk.lockfile import FileLock, lock_path, this_host

ROOT = Path(__file__).resolve().parents[1]


def _env(temp: Path) -> dict[str, str]:
    env = {**os.environ, "TMPDIR": str(temp), "TEMP": str(temp), "TMP": str(temp), "QT_QPA_PLATFORM": "offscreen"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def _wait_for(predicate, process: subprocess.Popen, what: str, seconds: float = 120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        assert process.poll() is None, f"{what}: program ended early ({process.returncode})"
        time.sleep(0.1)
    raise AssertionError(f"{what}: not within {seconds} s")


def _open_demo_windows(temp: Path) -> list[Path]:
    """Demo folders whose window has the demo file open (its lock is there)."""
    return [f for f in temp.glob(PREFIX + "*") if lock_path(f / DEMO_FILE_NAME).exists()]


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL gibt es nur unter POSIX")
def test_a_killed_demo_leaves_its_folder_and_the_next_start_removes_it(tmp_path):
    temp = tmp_path / "temp"
    temp.mkdir()
    first = subprocess.Popen([sys.executable, "-m", "paktdesk", "--demo"], env=_env(temp),
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        (left,) = _wait_for(lambda: _open_demo_windows(temp), first, "first demo window")
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=60)
    assert (left / DEMO_FILE_NAME).exists()  # what the issue saw: the kill leaves the folder

    second = subprocess.Popen([sys.executable, "-m", "paktdesk", "--demo"], env=_env(temp),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        (current,) = _wait_for(lambda: [f for f in _open_demo_windows(temp) if f != left], second,
                               "second demo window")
        assert not left.exists()
        assert current.exists()  # its own folder stays while it runs
    finally:
        second.terminate()
        second.wait(timeout=60)


def test_only_folders_of_ended_processes_on_this_pc_are_removed(tmp_path):
    def folder(name: str, owner: dict | None, files=(DEMO_FILE_NAME,)) -> Path:
        path = tmp_path / (PREFIX + name)
        path.mkdir()
        for file in files:
            (path / file).write_bytes(b"demo")
        if owner is not None:
            (path / OWNER_FILE).write_text(json.dumps(owner), encoding="utf-8")
        return path

    host = this_host()
    ended = folder("ended", {"host": host, "pid": 4_000_001})
    running = folder("running", {"host": host, "pid": os.getpid()})
    elsewhere = folder("elsewhere", {"host": "anderer-pc", "pid": 4_000_002})  # a shared temp folder
    garbled = folder("garbled", None)
    (garbled / OWNER_FILE).write_text("{nicht json", encoding="utf-8")
    old = time.time() - 3600
    legacy = folder("legacy", None, files=(DEMO_FILE_NAME, DEMO_FILE_NAME + "-wal"))
    legacy_locked = folder("legacy-open", None)
    lock = FileLock(legacy_locked / DEMO_FILE_NAME)
    lock.acquire()
    foreign = folder("foreign", None, files=("Notizen.txt",))
    fresh_legacy = folder("fresh", None)
    for path in (legacy, legacy_locked, foreign):
        os.utime(path, (old, old))
    unrelated = tmp_path / "anderes-programm"
    unrelated.mkdir()
    try:
        removed = remove_stale_demo_folders(tmp_path, alive=lambda pid: pid == os.getpid())
    finally:
        lock.release()
    assert sorted(removed) == sorted([ended, legacy])
    for kept in (running, elsewhere, garbled, legacy_locked, foreign, fresh_legacy, unrelated):
        assert kept.exists(), kept
    assert not ended.exists() and not legacy.exists()


def test_a_new_demo_folder_names_this_process(tmp_path, monkeypatch):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    folder = new_demo_folder()
    try:
        assert folder.parent == tmp_path and folder.name.startswith(PREFIX)
        owner = json.loads((folder / OWNER_FILE).read_text(encoding="utf-8"))
        assert owner == {"host": this_host(), "pid": os.getpid()}
        assert remove_stale_demo_folders(tmp_path) == []  # we are running
    finally:
        import shutil

        shutil.rmtree(folder)
