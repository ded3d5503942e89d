"""One writer per Datenbestand: lock file, second instance read-only, stale locks, take-over."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from paktdesk.core import entities as e
from paktdesk.core.errors import DataFileError
from paktdesk.core.location import DriveType
from paktdesk.lockfile import FileInUseError, FileLock, lock_path, read_lock
from paktdesk.workspace import Workspace
from paktdesk.workspace.safety import LocationError


def dead_pid() -> int:
    """The id of a process that has certainly ended."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_lock_names_who_holds_the_file_and_goes_away_on_release(small_file):
    lock = FileLock(small_file, user="sommer", host="RATHAUS-PC07")
    lock.acquire()
    info = json.loads(lock_path(small_file).read_text(encoding="utf-8"))
    assert {info["user"], info["host"], info["pid"]} == {"sommer", "RATHAUS-PC07", lock.pid}
    assert datetime.fromisoformat(info["since"]).tzinfo is not None
    other = FileLock(small_file, user="berger", host="RATHAUS-PC07")
    with pytest.raises(FileInUseError) as caught:
        other.acquire()
    assert not caught.value.stale
    assert "sommer" in str(caught.value) and "RATHAUS-PC07" in str(caught.value)
    other.release()  # not held: must not remove the holder's lock
    assert lock_path(small_file).exists()
    lock.release()
    assert not lock_path(small_file).exists()


def test_a_lock_of_a_dead_process_on_this_pc_is_stale_and_can_be_taken_over(small_file):
    crashed = FileLock(small_file, pid=dead_pid())
    crashed.acquire()  # a crash: never released
    mine = FileLock(small_file)
    with pytest.raises(FileInUseError) as caught:
        mine.acquire()
    assert caught.value.stale and "läuft auf diesem PC nicht mehr" in str(caught.value)
    assert "übernommen" in str(caught.value)
    mine.take_over(caught.value.holder)
    assert read_lock(small_file).token == mine.token
    mine.release()
    assert not lock_path(small_file).exists()


def test_a_lock_from_another_pc_is_stale_only_when_not_renewed_for_long(small_file):
    start = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    theirs = FileLock(small_file, host="RATHAUS-PC01", clock=lambda: start)
    theirs.acquire()
    for hours, stale in ((1, False), (11, False), (13, True)):
        mine = FileLock(small_file, host="RATHAUS-PC02", clock=lambda h=hours: start + timedelta(hours=h),
                        alive=lambda pid: False)  # another PC's process ids mean nothing here
        with pytest.raises(FileInUseError) as caught:
            mine.acquire()
        assert caught.value.stale is stale, hours
    # renewing keeps it fresh
    theirs._clock = lambda: start + timedelta(hours=12, minutes=50)
    theirs.refresh()
    late = FileLock(small_file, host="RATHAUS-PC02", clock=lambda: start + timedelta(hours=13))
    with pytest.raises(FileInUseError) as caught:
        late.acquire()
    assert not caught.value.stale


def test_take_over_refuses_when_the_lock_changed_after_the_clerk_saw_it(small_file):
    crashed = FileLock(small_file, pid=dead_pid())
    crashed.acquire()
    shown = read_lock(small_file)
    came_back = FileLock(small_file)  # someone else took it over meanwhile
    came_back.take_over(shown)
    mine = FileLock(small_file)
    with pytest.raises(FileInUseError):
        mine.take_over(shown)
    assert read_lock(small_file).token == came_back.token
    # and the original holder notices when it renews
    with pytest.raises(DataFileError):
        crashed.refresh()


def test_an_unreadable_lock_file_is_stale_after_a_grace_period(small_file):
    lock_path(small_file).write_bytes(b"")
    now = datetime.now(UTC)
    with pytest.raises(FileInUseError) as caught:
        FileLock(small_file, clock=lambda: now).acquire()
    assert not caught.value.stale  # may be being written right now
    with pytest.raises(FileInUseError) as caught:
        FileLock(small_file, clock=lambda: now + timedelta(minutes=5)).acquire()
    assert caught.value.stale
    FileLock(small_file).take_over(caught.value.holder)


def test_second_instance_opens_read_only_and_really_cannot_write(small_file):
    first = Workspace.open_guarded(small_file)
    try:
        with pytest.raises(FileInUseError):
            Workspace.open_guarded(small_file)
        second = Workspace.open_guarded(small_file, if_locked="read_only")
        try:
            assert second.read_only and second.lock_holder is not None
            persons_before = second.counts()["persons"]
            with pytest.raises(DataFileError):
                second.save_setting("x", 1)
            with pytest.raises(DataFileError):
                second.save_person(e.Person(None, "Max", "Muster", second.providers()[0].id))
            with pytest.raises(DataFileError):
                second.restore(small_file)
            assert second.counts()["persons"] == persons_before
        finally:
            second.close()
        assert lock_path(small_file).exists()  # the read-only instance did not touch the lock
        first.save_setting("x", 2)  # the writer still works
    finally:
        first.close()
    assert not lock_path(small_file).exists()


def test_the_storage_refuses_writes_of_a_read_only_connection(small_file):
    ws = Workspace.open(small_file, read_only=True)
    try:
        with pytest.raises(Exception) as caught:
            ws.store.conn.execute("DELETE FROM settings")
        assert "readonly" in str(caught.value)
    finally:
        ws.close()


def test_a_stale_lock_is_taken_over_only_when_confirmed(small_file):
    FileLock(small_file, pid=dead_pid()).acquire()
    with pytest.raises(FileInUseError) as caught:
        Workspace.open_guarded(small_file, if_locked="read_only")  # stale: the clerk must decide
    assert caught.value.stale
    ws = Workspace.open_guarded(small_file, take_over=caught.value.holder)
    try:
        assert not ws.read_only
        ws.save_setting("übernommen", True)
    finally:
        ws.close()
    assert not lock_path(small_file).exists()


def test_open_guarded_refuses_a_network_folder_before_touching_anything(small_file):
    with pytest.raises(LocationError) as caught:
        Workspace.open_guarded(small_file, drive_type=lambda root: DriveType.NETWORK)
    assert "Netzlaufwerk" in str(caught.value)
    assert not lock_path(small_file).exists()
    Workspace.open_guarded(small_file, read_only=True, drive_type=lambda root: DriveType.NETWORK).close()
