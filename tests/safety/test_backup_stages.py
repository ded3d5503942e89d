"""A backup in two stages: the snapshot (byte-identical to the live file, made under a read lock
that writers wait for) and the deep check after it, which alone lets the backup count — a
failed check marks it, never offers it and never lets it rotate good old backups away; a check
the program did not get to is resumed."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from paktdesk.cli import main as cli_main
from paktdesk.core.errors import IntegrityError
from paktdesk.db import backup as b
from paktdesk.db import snapshot
from paktdesk.workspace import Workspace

NOON = datetime(2026, 3, 16, 12, 0, tzinfo=UTC)
ONE_A_DAY = b.BackupSettings(keep=b.Keep(daily=1, weekly=0, monthly=0))


def backups_on_days(ws: Workspace, *days_before: int) -> list[Path]:
    """One backup per day (each of a different state, so none is a duplicate of another)."""
    made = []
    for days in days_before:
        ws.save_setting("probe", days)
        made.append(ws.make_backup(now=NOON - timedelta(days=days), rotate=False).path)
    ws.save_setting("probe", None)
    return made


def one_backup(path: Path, **options) -> b.BackupResult:
    ws = Workspace.open_guarded(path)
    try:
        return ws.make_backup(**options)
    finally:
        ws.close()


def old_backups(path: Path, *days_before: int) -> list[Path]:
    """Rotation set to one backup a day, and a backup on each of these days."""
    ws = Workspace.open_guarded(path)
    try:
        ws.save_backup_settings(ONE_A_DAY)
        return backups_on_days(ws, *days_before)
    finally:
        ws.close()


def sidecar(path: Path) -> dict:
    return json.loads(b.sidecar_of(path).read_text(encoding="utf-8"))


def flip_in_money_row(path: Path) -> None:
    """Change one byte of a booked receipt's text behind PaktDesk's back, in the table and in
    every index and audit row holding it ("Material 29" → "Material 2:", which sorts in the same
    place): the file stays structurally sound, only the row hashes can tell."""
    data = path.read_bytes()
    assert data.count(b"Material 29") >= 1
    path.write_bytes(data.replace(b"Material 29", b"Material 2:"))


@pytest.mark.parametrize("way", ["kernel", "blocks"])
def test_the_snapshot_is_byte_identical_to_the_live_file(small_file, monkeypatch, way):
    if way == "blocks":  # the way without copy_file_range (Windows)
        monkeypatch.setattr(snapshot, "_kernel_copy", lambda fd, out, size: False)
    before = small_file.read_bytes()
    result = one_backup(small_file, now=NOON, deep_check="later")
    assert small_file.read_bytes() == before  # the live file untouched
    assert result.path.read_bytes() == before
    assert result.pending is not None and not result.checked
    side = sidecar(result.path)
    assert side["deep_check"] == "ausstehend"
    assert side["sha256"] == hashlib.sha256(before).hexdigest() and side["size"] == len(before)
    assert side["counts"]["receipts"] == 31 and side["owner"] == "Gemeinde Testhausen"
    entry = b.inspect_backup(result.path)
    assert entry.pending and not entry.ok and entry.restorable and entry.state_label == "Prüfung ausstehend"
    finished = Workspace.finish_backup(result)
    assert finished.checked and sidecar(result.path)["deep_check"] == "geprüft"
    assert b.inspect_backup(result.path).ok


def test_large_files_take_the_backup_api_and_are_checked_the_same(small_file, monkeypatch):
    monkeypatch.setattr(snapshot, "LARGE_FILE", 4096)  # as if the file were 1 GiB or more
    before = small_file.read_bytes()
    result = one_backup(small_file, now=NOON)
    copy = result.path.read_bytes()
    assert len(copy) == len(before) and copy[4096:] == before[4096:]  # page 1 keeps its own counters
    assert sidecar(result.path)["deep_check"] == "geprüft"
    assert b.inspect_backup(result.path, deep=True).ok


def test_a_write_during_the_snapshot_waits_for_it(small_file, monkeypatch):
    """While the copy is made, another connection can prepare a change but not commit it: the
    copy is the state before the change, whole, and the change lands right after."""
    before = small_file.read_bytes()
    ready, committed = threading.Event(), threading.Event()
    seen: dict[str, object] = {}

    def writer() -> None:
        conn = sqlite3.connect(small_file, timeout=30, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO settings (key, value) VALUES ('probe', '1')")
            ready.set()
            conn.execute("COMMIT")  # waits in the busy handler until the snapshot lets go
            committed.set()
        finally:
            conn.close()

    copy_and_hash = snapshot._copy_and_hash

    def copy_while_someone_writes(fd, out, size):
        impatient = sqlite3.connect(small_file, timeout=0, isolation_level=None)
        try:
            impatient.execute("BEGIN IMMEDIATE")
            impatient.execute("INSERT INTO settings (key, value) VALUES ('eilig', '1')")
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                impatient.execute("COMMIT")
            impatient.execute("ROLLBACK")
        finally:
            impatient.close()
        thread = threading.Thread(target=writer)
        thread.start()
        seen["thread"] = thread
        assert ready.wait(10)
        seen["committed_during_copy"] = committed.wait(0.3)
        return copy_and_hash(fd, out, size)

    monkeypatch.setattr(snapshot, "_copy_and_hash", copy_while_someone_writes)
    ws = Workspace.open_guarded(small_file)
    try:
        result = ws.make_backup(now=NOON)  # both stages: the copy is deep-checked too
    finally:
        if "thread" in seen:
            seen["thread"].join(30)
        ws.close()
    assert seen["committed_during_copy"] is False and committed.is_set()
    assert result.path.read_bytes() == before  # the whole state before the write, nothing torn
    assert b.inspect_backup(result.path, deep=True).ok
    conn = sqlite3.connect(small_file)
    try:
        assert conn.execute("SELECT key FROM settings WHERE key IN ('probe', 'eilig')").fetchall() == [("probe",)]
    finally:
        conn.close()


def test_rotation_waits_for_the_deep_check(small_file):
    older = old_backups(small_file, 2, 1)
    ws = Workspace.open_guarded(small_file)
    try:
        result = ws.make_backup(now=NOON, deep_check="later")
        assert all(path.exists() for path in older)  # nothing rotated before the check
        assert [e.path for e in ws.backups() if e.ok] == older[::-1]
        finished = ws.finish_backup(result)
    finally:
        ws.close()
    assert finished.checked and set(finished.removed) == set(older)
    assert not any(path.exists() for path in older) and result.path.exists()


def test_a_damaged_live_file_is_caught_by_the_deep_check_and_pushes_no_good_backup_out(small_file):
    older = old_backups(small_file, 2, 1)
    flip_in_money_row(small_file)
    ws = Workspace.open_guarded(small_file)  # the quick check on opening does not see it
    try:
        result = ws.make_backup(now=NOON, deep_check="later")  # the snapshot does not either
        assert result.path.read_bytes() == small_file.read_bytes()
        with pytest.raises(b.BackupCheckFailed) as caught:
            ws.finish_backup(result)
        message = str(caught.value)
        assert "Datenbestand selbst beschädigt" in message and "Datei prüfen" in message
        assert "Belege" in "; ".join(caught.value.problems) and not caught.value.damaged_copy
        side = sidecar(result.path)
        assert side["deep_check"] == "fehlgeschlagen" and any("Belege" in p for p in side["deep_problems"])

        listed = {entry.path: entry for entry in ws.backups()}
        failed = listed[result.path]
        assert not failed.ok and not failed.restorable and failed.state_label == "Prüfung fehlgeschlagen"
        assert all(listed[path].ok for path in older)
        assert all(path.exists() for path in older)  # the failed backup rotated nothing away
        assert ws.newest_good_backup().path == older[1]
        b.rotate(result.path.parent, small_file.stem, keep=ONE_A_DAY.keep, now=NOON)
        assert result.path.exists() and older[1].exists()  # neither counted nor deleted
        with pytest.raises(b.BackupCheckFailed):  # asked again, the answer stays
            ws.finish_backup(result)
    finally:
        ws.close()
    with pytest.raises(IntegrityError):
        Workspace.restore_file(small_file, result.path)


def test_a_backup_damaged_before_its_deep_check_is_told_as_such(small_file):
    result = one_backup(small_file, now=NOON, deep_check="later")
    data = bytearray(result.path.read_bytes())
    data[4096 * 3: 4096 * 4] = bytes(4096)  # the backup file itself, not the live file
    result.path.write_bytes(bytes(data))
    with pytest.raises(b.BackupCheckFailed) as caught:
        Workspace.finish_backup(result)
    assert caught.value.damaged_copy and "nach dem Anlegen verändert oder beschädigt" in str(caught.value)
    assert "Datenbestand selbst" not in str(caught.value)
    assert sidecar(result.path)["deep_check"] == "beschädigt"
    entry = b.inspect_backup(result.path)
    assert not entry.restorable and entry.state_label == "beschädigt"
    ws = Workspace.open_guarded(small_file)
    try:
        assert ws.pending_backup_checks() == []  # not checked again at every start
    finally:
        ws.close()


def test_with_the_deep_check_now_a_damaged_live_file_gives_no_backup(small_file):
    good = one_backup(small_file, now=NOON - timedelta(days=1)).path
    flip_in_money_row(small_file)
    ws = Workspace.open_guarded(small_file)
    try:
        with pytest.raises(IntegrityError) as caught:
            ws.make_backup(now=NOON)
        assert "nicht bestanden" in str(caught.value)
        assert [entry.path for entry in ws.backups()] == [good]
    finally:
        ws.close()


def test_a_deep_check_the_program_did_not_get_to_is_resumed(small_file):
    old = old_backups(small_file, 1)[0]
    one_backup(small_file, now=NOON, deep_check="later")  # the program ends before the check
    ws = Workspace.open_guarded(small_file)  # the next start
    try:
        pending = ws.pending_backup_checks()
        assert len(pending) == 1 and pending[0].pending.keep == ONE_A_DAY.keep
        newest = ws.backups()[0]
        assert newest.pending and newest.path == pending[0].path
        b.rotate(newest.path.parent, small_file.stem, keep=ONE_A_DAY.keep, now=NOON)
        assert old.exists()  # an unchecked backup does not count for the rotation
        finished = ws.finish_backup(pending[0])
        assert finished.checked and finished.removed == (old,) and not old.exists()
        assert ws.pending_backup_checks() == [] and ws.backups()[0].ok
    finally:
        ws.close()


def test_an_unchecked_backup_is_checked_before_it_is_offered_or_restored(small_file, capsys):
    ws = Workspace.open_guarded(small_file)
    try:
        first = ws.make_backup(now=NOON - timedelta(hours=2), deep_check="later").path
        ws.save_setting("probe", 1)
        second = ws.make_backup(now=NOON - timedelta(hours=1), deep_check="later").path
        suggested = ws.newest_good_backup()  # offered only after its deep check
        assert suggested.path == second and suggested.ok
        assert sidecar(second)["deep_check"] == "geprüft" and sidecar(first)["deep_check"] == "ausstehend"
    finally:
        ws.close()
    assert cli_main(["--data", str(small_file), "backups"]) == 0  # the listing checks what is left
    assert "AUSSTEHEND" not in capsys.readouterr().out
    assert sidecar(first)["deep_check"] == "geprüft"
    third_ws = Workspace.open_guarded(small_file)
    try:
        third_ws.save_setting("probe", 2)
        third = third_ws.make_backup(now=NOON, deep_check="later").path
    finally:
        third_ws.close()
    Workspace.restore_file(small_file, third, now=NOON + timedelta(hours=1))
    assert sidecar(third)["deep_check"] == "geprüft"  # checked before it was put in place


def test_older_sidecars_without_a_check_state_count_as_checked(small_file):
    path = one_backup(small_file, now=NOON).path
    data = sidecar(path)
    del data["deep_check"], data["deep_problems"]
    b.sidecar_of(path).write_text(json.dumps(data), encoding="utf-8")
    entry = b.inspect_backup(path)
    assert entry.ok and entry.summary.deep_check == "geprüft"


def test_no_backup_on_close_while_one_of_the_same_data_awaits_its_check(small_file):
    ws = Workspace.open_guarded(small_file)
    try:
        made = ws.make_backup(now=NOON, deep_check="later")
        assert ws.backup_on_close(now=NOON + timedelta(minutes=5)) is None  # the same data, being checked
        ws.save_setting("probe", 1)
        closing = ws.backup_on_close(now=NOON + timedelta(minutes=10))
        assert closing is not None and closing.checked and closing.path != made.path
    finally:
        ws.close()
