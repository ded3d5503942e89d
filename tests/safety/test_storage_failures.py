"""Disk full, I/O errors, read-only and locked files: a German message, no traceback, the data as
before (or as after), and the program usable afterwards."""

from __future__ import annotations

import multiprocessing
import os
import re
import signal
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from paktdesk.core import entities as e
from paktdesk.core.errors import DataFileError
from paktdesk.db.failures import StorageError
from paktdesk.workspace import Workspace

ROOT = Path(__file__).resolve().parents[2]


def book(ws: Workspace, purpose: str = "Kopierpapier") -> int:
    decision = ws.decisions()[0].id
    return ws.add_receipt(e.Receipt(None, decision, e.ListKind.MATERIAL, 0, date(2024, 2, 1), None, 2024,
                                    "Papierhaus", purpose, "S_BUERO", 1_234)).ids[0]


def test_disk_full_during_a_booking(small_file):
    ws = Workspace.open_guarded(small_file)
    try:
        pages = ws.store.conn.execute("PRAGMA page_count").fetchone()[0]
        ws.store.conn.execute(f"PRAGMA max_page_count = {pages}")  # the disk is full now
        with pytest.raises(StorageError) as caught:
            for number in range(200):  # until the free space inside the file is used up
                book(ws, purpose=f"Lieferung {number} " + "x" * 480)
        assert caught.value.kind == "full"
        assert "nicht genug Platz" in str(caught.value) and "wie vorher" in str(caught.value)
        count, totals = ws.counts(), ws.control_totals()
        assert ws.check() == []
        audit_rows = ws.counts()["audit_log"]
        with pytest.raises(StorageError):
            book(ws, purpose="y" * 490)
        assert (ws.counts(), ws.control_totals()) == (count, totals) and audit_rows == count["audit_log"]
        ws.store.conn.execute(f"PRAGMA max_page_count = {pages * 100}")  # space freed
        book(ws)
        assert ws.counts()["receipts"] == count["receipts"] + 1 and ws.check() == []
    finally:
        ws.close()


def test_read_only_file(small_file):
    ws = Workspace.open_guarded(small_file)
    try:
        ws.store.conn.execute("PRAGMA query_only = 1")  # as if the file had become read-only
        with pytest.raises(StorageError) as caught:
            book(ws)
        assert caught.value.kind == "readonly" and "schreibgeschützt" in str(caught.value)
        ws.store.conn.execute("PRAGMA query_only = 0")
        book(ws)
        assert ws.check() == []
    finally:
        ws.close()


def test_file_locked_by_another_program(small_file):
    ws = Workspace.open_guarded(small_file)
    other = sqlite3.connect(small_file, isolation_level=None)
    try:
        ws.store.conn.execute("PRAGMA busy_timeout = 50")
        before = ws.counts()
        other.execute("BEGIN IMMEDIATE")  # e.g. a backup program holding a write lock
        with pytest.raises(StorageError) as caught:
            book(ws)
        assert caught.value.kind == "locked" and "anderen Programm" in str(caught.value)
        other.execute("ROLLBACK")
        assert ws.counts() == before
        book(ws)
    finally:
        other.close()
        ws.close()


def _backup_with_file_size_limit(path: str, limit: int, queue) -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails like a full disk
    import resource

    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    try:
        ws = Workspace.open(Path(path), read_only=True)
        try:
            ws.make_backup()
            queue.put(("ok", ""))
        finally:
            ws.close()
    except DataFileError as err:
        queue.put(("error", str(err)))
    except BaseException as err:  # noqa: BLE001 - reported to the parent as a failure
        queue.put(("crash", repr(err)))


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_backup_target_full(small_file):
    ws = Workspace.open_guarded(small_file)
    try:
        ws.make_backup()  # an older good backup exists
    finally:
        ws.close()
    folder = small_file.parent / "Sicherungen"
    before = sorted(p.name for p in folder.iterdir())
    live = small_file.read_bytes()
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_backup_with_file_size_limit,
                            args=(str(small_file), len(live) // 3, queue))
    child.start()
    child.join(60)
    kind, message = queue.get(timeout=5)
    assert kind == "error", message
    assert "nicht angelegt" in message and "Traceback" not in message
    assert sorted(p.name for p in folder.iterdir()) == before  # no half backup, no temp file
    assert small_file.read_bytes() == live
    ws = Workspace.open_guarded(small_file)
    try:
        assert ws.make_backup().path.exists()  # usable afterwards
    finally:
        ws.close()


CHILD = r"""
import sys
from datetime import date
from pathlib import Path
from paktdesk.core import entities as e
from paktdesk.core.errors import PaktDeskError
from paktdesk.workspace import Workspace

ws = Workspace.open(Path(sys.argv[1]))
decision = ws.decisions()[0].id
for attempt in range(2):
    try:
        change = ws.add_receipt(e.Receipt(None, decision, e.ListKind.MATERIAL, 0, date(2024, 2, 1), None,
                                          2024, "Papierhaus", f"Versuch {attempt}", "S_BUERO", 1_234))
        print("GEBUCHT", change.ids[0], flush=True)
    except PaktDeskError as err:
        print("MELDUNG", str(err).replace("\n", " "), flush=True)
ws.close()
"""


def _strace_runs(calls: dict[str, int]) -> list[tuple[str, int, str]]:
    """(syscall, n, errno) for every write, sync and unlink of the first booking (the second
    booking makes the same calls again): disk full and I/O errors alternate on the writes."""
    runs = []
    for call in ("pwrite64", "fdatasync", "fsync", "unlink"):
        for nth in range(1, calls.get(call, 0) // 2 + 1):
            error = ("ENOSPC" if nth % 2 else "EIO") if call == "pwrite64" else "EIO"
            runs.append((call, nth, error))
    return runs


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="strace gibt es nur unter Linux")
@pytest.mark.needs_tool("strace", package="strace")
def test_io_errors_injected_at_each_write_in_turn(small_file, tmp_path):
    """strace fails the n-th write/sync/unlink of a booking, for every n in turn."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    template = small_file.read_bytes()
    counted = subprocess.run(["strace", "-f", "-c", "-e", "trace=pwrite64,fdatasync,fsync,unlink",
                              sys.executable, str(script), str(small_file)],
                             env=env, capture_output=True, text=True, timeout=60)
    calls = {m.group(2): int(m.group(1)) for m in re.finditer(r"^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?(\w+)$",
                                                               counted.stderr, re.M)}
    assert calls.get("pwrite64", 0) >= 4, counted.stderr
    trials = failures = 0
    for call, nth, error in _strace_runs(calls):
        small_file.write_bytes(template)
        for leftover in small_file.parent.glob(small_file.name + "-*"):
            leftover.unlink()
        result = subprocess.run(
            ["strace", "-f", "-qq", "-o", os.devnull, "-e", f"trace={call}",
             "-e", f"inject={call}:error={error}:when={nth}", sys.executable, str(script), str(small_file)],
            env=env, capture_output=True, text=True, timeout=60)
        trials += 1
        label = f"{call} #{nth} {error}"
        assert result.returncode == 0 and "Traceback" not in result.stderr, (label, result.stderr)
        lines = result.stdout.split("\n")[:-1]
        assert len(lines) == 2, (label, result.stdout)
        acknowledged = [int(line.split()[1]) for line in lines if line.startswith("GEBUCHT")]
        messages = [line for line in lines if line.startswith("MELDUNG")]
        assert acknowledged, (label, result.stdout)  # usable after the failure
        failures += len(messages)
        for message in messages:
            assert re.search(r"nicht genug Platz|E/A-Fehler|nicht gespeichert|beschädigt", message), message
        ws = Workspace.open(small_file)
        try:
            assert ws.check() == [], label
            ids = {r.id for r in ws.receipts(ws.decisions()[0].id)}
            assert set(acknowledged) <= ids, label  # no acknowledged booking lost
            extra = ws.counts()["receipts"] - 31 - len(acknowledged)
            assert extra in ((0, 1) if messages else (0,)), label  # as before or as after
        finally:
            ws.close()
    print(f"E/A-Fehler eingespielt: {trials} Läufe, {failures} gemeldete Fehler")
    assert trials >= 10 and failures >= trials // 2
