"""Issue 17, section 4: bad input that used to end in a traceback, English text or a silent
replacement of the clerk's data, each through the real command line or the real parsers."""

from __future__ import annotations

import errno
import shutil
import sqlite3
from datetime import date

import pytest

from paktdesk.cli import main as cli_main
from paktdesk.core import entities as e
from paktdesk.core.errors import OtherGemeindeError, ValidationError
from paktdesk.core.money import parse_cents
from paktdesk.core.os_errors import describe, reason
from paktdesk.core.periods import parse_date
from paktdesk.core.validation import parse_vza
from paktdesk.db.connection import connect
from paktdesk.db.failures import StorageError
from paktdesk.workspace import Workspace

ENGLISH = ("Traceback", "Permission denied", "Is a directory", "No space left", "No such file",
           "invalid int value", "Errno")


def _no_english(text: str) -> None:
    for word in ENGLISH:
        assert word not in text, text


def test_restore_from_a_missing_path_says_so_in_german(small_file, tmp_path, capsys):
    before = small_file.read_bytes()
    code = cli_main(["--data", str(small_file), "restore", "--from", str(tmp_path / "gibt-es-nicht.paktdesk")])
    err = capsys.readouterr().err
    assert code == 1
    assert "gibt-es-nicht.paktdesk" in err and "existiert nicht" in err
    _no_english(err)
    assert small_file.read_bytes() == before


def test_restore_from_a_folder_says_so_in_german(small_file, tmp_path, capsys):
    assert cli_main(["--data", str(small_file), "restore", "--from", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "Ordner" in err
    _no_english(err)


def _other_gemeinde_backup(small_file, tmp_path):
    """A verified backup of a file with another AGS and name."""
    other = tmp_path / "Fremd" / "Datenbestand.paktdesk"
    other.parent.mkdir()
    shutil.copyfile(small_file, other)
    ws = Workspace.open(other)
    try:
        profile = ws.profile()
        ws.save_profile(e.Profile(name="Gemeinde Anderswo", kind=profile.kind, ags="08111000",
                                  contact_name=profile.contact_name))
        return ws.make_backup(to=tmp_path / "Fremd-Sicherungen").path
    finally:
        ws.close()


def test_restoring_another_gemeindes_backup_is_refused_without_the_flag(small_file, tmp_path, capsys):
    backup = _other_gemeinde_backup(small_file, tmp_path)
    before = small_file.read_bytes()
    assert cli_main(["--data", str(small_file), "restore", "--from", str(backup)]) == 1
    err = capsys.readouterr().err
    assert "08111000" in err and "08125097" in err and "--andere-gemeinde" in err
    assert small_file.read_bytes() == before  # not even a backup-and-replace happened
    with pytest.raises(OtherGemeindeError):
        Workspace.restore_file(small_file, backup)
    assert cli_main(["--data", str(small_file), "restore", "--from", str(backup), "--andere-gemeinde"]) == 0
    ws = Workspace.open(small_file, read_only=True)
    try:
        assert ws.profile().ags == "08111000"
    finally:
        ws.close()


def test_restoring_the_own_backup_needs_no_flag(small_file, capsys):
    assert cli_main(["--data", str(small_file), "backup"]) == 0
    backup = next((small_file.parent / "Sicherungen").glob("*.paktdesk"))
    assert Workspace.other_gemeinde(small_file, backup) is None
    assert cli_main(["--data", str(small_file), "restore", "--from", str(backup)]) == 0


def test_a_file_locked_by_another_program_is_not_called_unreadable(small_file):
    holder = sqlite3.connect(small_file, isolation_level=None)
    holder.execute("PRAGMA busy_timeout = 0")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StorageError) as caught:
            connect(small_file, read_only=True)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    text = str(caught.value)
    assert "anderes Programm" in text and "gesperrt" in text
    assert "keine lesbare" not in text and "locked" not in text


def test_argparse_type_errors_are_german(small_file, capsys):
    with pytest.raises(SystemExit) as caught:
        cli_main(["--data", str(small_file), "print", "statement", "--year", "abc", "--out", "x.pdf"])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert "ungültiger Wert 'abc'" in err and "ganze Zahl" in err
    _no_english(err)


@pytest.mark.parametrize("code, words", [
    (errno.EACCES, "Zugriff verweigert"), (errno.EPERM, "Zugriff verweigert"), (errno.EISDIR, "Ordner"),
    (errno.ENOSPC, "nicht genug Platz"), (errno.EROFS, "schreibgeschützt"), (errno.ENOENT, "existiert nicht"),
    (errno.EIO, "Ein-/Ausgabefehler"), (errno.EDQUOT, "Speicherkontingent"),
])
def test_every_common_os_error_has_german_words(code, words):
    err = OSError(code, "english text from the C library", "/somewhere/Datei.pdf")
    assert words in reason(err)
    assert "english" not in describe(err) and "Datei.pdf" in describe(err)


def test_an_os_error_without_errno_is_still_german():
    assert "Zugriff verweigert" in reason(PermissionError("denied"))
    assert "Betriebssystems" in reason(OSError("something"))


def test_an_os_error_reaching_the_command_line_is_german(small_file, tmp_path, capsys):
    folder = tmp_path / "Belege.csv"
    folder.mkdir()
    code = cli_main(["--data", str(small_file), "import-receipts", "--decision", "1", str(folder)])
    err = capsys.readouterr().err
    assert code == 1
    assert "Ordner" in err
    _no_english(err)


def test_an_uncaught_os_error_in_a_command_ends_in_german(small_file, monkeypatch, capsys):
    from paktdesk.cli import safety

    def fail(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(small_file))

    monkeypatch.setattr(safety, "cmd_backups", fail)  # the command, not our storage, fails
    assert cli_main(["--data", str(small_file), "backups"]) == 1
    err = capsys.readouterr().err
    assert "nicht genug Platz" in err
    _no_english(err)


FOREIGN = ["３００,００", "٣٠٠", "۱۲,۵۰", "1.２34,56", "１"]


@pytest.mark.parametrize("text", FOREIGN)
def test_amounts_with_other_scripts_digits_are_refused(text):
    with pytest.raises(ValidationError, match="Ziffern 0 bis 9"):
        parse_cents(text)


@pytest.mark.parametrize("text", ["０１.０７.２０２３", "٠١.٠٧.٢٠٢٣", "2023-0７-01"])
def test_dates_with_other_scripts_digits_are_refused(text):
    with pytest.raises(ValidationError, match="Ziffern 0 bis 9"):
        parse_date(text)


def test_ascii_input_still_parses():
    assert parse_cents("1.234,56 €") == 123456
    assert parse_date("01.07.2023") == date(2023, 7, 1)
    assert parse_vza("0,5") == 500
    with pytest.raises(ValidationError):
        parse_vza("０,５")


def test_export_from_a_data_file_that_refuses_writes_still_works(small_file, tmp_path):
    ws = Workspace.open(small_file)
    try:
        ws.store.conn.execute("PRAGMA query_only = ON")  # SQLite refuses every write, as on read-only media
        before = ws.audit_trail_count()
        summary = ws.export("json", tmp_path / "export.json")
        assert (tmp_path / "export.json").stat().st_size > 0
        assert "schreibgeschützt" in summary and "Prüfsumme" in summary
        assert ws.audit_trail_count() == before
    finally:
        ws.close()


def test_export_from_a_file_opened_read_only_works(small_file, tmp_path):
    ws = Workspace.open(small_file, read_only=True)
    try:
        ws.export("csv", tmp_path / "export.zip")
    finally:
        ws.close()
    assert (tmp_path / "export.zip").stat().st_size > 0
