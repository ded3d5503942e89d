"""Issue 17, section 2: the command line respects the window's lock. A command that writes
refuses in German while a live PaktDesk holds the file; one that reads may, and says so."""

from __future__ import annotations

from pathlib import Path

import pytest

from paktdesk.cli import main as cli_main
from paktdesk.lockfile import FileLock, LockInfo, lock_path

RECEIPTS_CSV = "Datum;Betrag;Empfänger;Zweck\n01.03.2023;12,50;Papier AG;Druckerpapier\n"


@pytest.fixture
def window_lock(small_file):
    """The lock a running window holds (this process: alive, so not stale)."""
    lock = FileLock(small_file, user="Petra Probe")
    lock.acquire()
    yield lock
    lock.release()


def _csv(tmp_path: Path) -> Path:
    path = tmp_path / "belege.csv"
    path.write_text(RECEIPTS_CSV, encoding="utf-8")
    return path


def test_import_receipts_refuses_while_the_window_holds_the_file(small_file, window_lock, tmp_path, capsys):
    before = small_file.read_bytes()
    code = cli_main(["--data", str(small_file), "import-receipts", "--decision", "1", "--kostenart", "S_BUERO", str(_csv(tmp_path))])
    err = capsys.readouterr().err
    assert code == 1
    assert "gerade geöffnet" in err and "nicht ausgeführt" in err and "Petra Probe" in err
    assert small_file.read_bytes() == before


@pytest.mark.parametrize("argv", [
    ["print", "proof", "--decision", "1", "--out", "{tmp}/vn.pdf"],
    ["deadlines", "--ics", "{tmp}/fristen.ics"],
    ["import-gemeinde", "{tmp}/gemeinde.json"],
])
def test_other_writing_commands_refuse_too(small_file, window_lock, tmp_path, capsys, argv):
    before = small_file.read_bytes()
    argv = [part.replace("{tmp}", str(tmp_path)) for part in argv]
    assert cli_main(["--data", str(small_file), *argv]) == 1
    assert "nicht ausgeführt" in capsys.readouterr().err
    assert small_file.read_bytes() == before


def test_reading_commands_read_a_held_file_and_say_so(small_file, window_lock, tmp_path, capsys):
    assert cli_main(["--data", str(small_file), "balance"]) == 0
    assert "gerade geöffnet" in capsys.readouterr().err
    assert cli_main(["--data", str(small_file), "import-receipts", "--decision", "1", "--kostenart", "S_BUERO", "--preview",
                     str(_csv(tmp_path))]) in (0, 1)
    assert "gerade geöffnet" in capsys.readouterr().err
    assert cli_main(["--data", str(small_file), "check"]) == 0
    assert "nur gelesen" in capsys.readouterr().err
    assert lock_path(small_file).exists()  # the window's lock stays


def test_writing_commands_work_when_the_file_is_free_and_release_the_lock(small_file, tmp_path, capsys):
    code = cli_main(["--data", str(small_file), "import-receipts", "--decision", "1", "--kostenart", "S_BUERO", str(_csv(tmp_path))])
    assert code == 0, capsys.readouterr()
    assert not lock_path(small_file).exists()


def test_a_stale_lock_is_taken_over_only_when_asked(small_file, tmp_path, capsys):
    dead = LockInfo(user="Petra Probe", host=__import__("paktdesk.lockfile").lockfile.this_host(),
                    pid=2**22 + 4321, since="2026-01-01T08:00:00+00:00", refreshed="2026-01-01T08:00:00+00:00",
                    token="abcdef0123456789", program="PaktDesk")
    import dataclasses
    import json

    lock_path(small_file).write_text(json.dumps(dataclasses.asdict(dead)), encoding="utf-8")
    csv = _csv(tmp_path)
    assert cli_main(["--data", str(small_file), "import-receipts", "--decision", "1", "--kostenart", "S_BUERO", str(csv)]) == 1
    assert "--sperre-uebernehmen" in capsys.readouterr().err
    assert cli_main(["--data", str(small_file), "--sperre-uebernehmen", "import-receipts", "--decision", "1", "--kostenart", "S_BUERO",
                     str(csv)]) == 0
