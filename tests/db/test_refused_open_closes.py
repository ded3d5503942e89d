"""A file PaktDesk refuses to open leaves no connection behind.

On Windows an open handle blocks renaming and deleting the file: restoring a backup over a file
that failed to open, or setting it aside, would fail with "Keine Schreibberechtigung". The test
keeps the refusal (and so its traceback, which holds the frames of ``connect``) alive while it
replaces and deletes the file, as the program does while it still shows the message."""

import os
import sys

import pytest

from paktdesk.core.errors import DataFileError
from paktdesk.db.connection import connect


def damaged(path):
    # SQLite's header, then garbage: sqlite3.connect succeeds, the first read fails
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4080)
    return path


def handles_on(path):
    """Open file descriptors of this process on ``path`` (Linux; empty elsewhere)."""
    if not os.path.isdir("/proc/self/fd"):
        return []
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            if os.readlink(f"/proc/self/fd/{fd}") == str(path):
                found.append(fd)
        except OSError:
            pass
    return found


@pytest.mark.parametrize("read_only", [False, True])
def test_refused_file_can_be_replaced_and_deleted_at_once(tmp_path, read_only):
    target = damaged(tmp_path / "Datenbestand.paktdesk")
    backup = tmp_path / "Sicherung.paktdesk"
    backup.write_bytes(b"the backup")
    with pytest.raises(DataFileError) as refusal:
        connect(target, read_only=read_only)
    assert "keine lesbare PaktDesk-Datei" in str(refusal.value)
    assert handles_on(target.resolve()) == []
    os.replace(backup, target)  # PermissionError on Windows while a handle is open
    assert target.read_bytes() == b"the backup"
    target.unlink()
    assert not target.exists()
    assert refusal.value is not None  # the refusal was alive all along


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc/self/fd")
def test_the_handle_check_sees_an_open_connection(tmp_path):
    import sqlite3

    target = damaged(tmp_path / "offen.paktdesk")
    conn = sqlite3.connect(str(target))
    with pytest.raises(sqlite3.DatabaseError):
        conn.execute("PRAGMA application_id").fetchone()
    try:
        assert handles_on(target.resolve()) != []
    finally:
        conn.close()
