"""A folder chosen where a file is expected gets the German words for a folder.

Windows answers opening a folder as a file with PermissionError ("Permission denied", access
denied), Linux with IsADirectoryError; the clerk must read "ist ein Ordner" on both, never a
misleading "Zugriff verweigert"."""

import errno

import pytest

from paktdesk.exchange.errors import NotAnExchangeFileError
from paktdesk.core.os_errors import is_folder, reason
from paktdesk.exchange.json_import import read_file


def test_the_exchange_import_names_a_folder_a_folder(tmp_path):
    folder = tmp_path / "Export Gemeinde Müllheim.json"
    folder.mkdir()
    with pytest.raises(NotAnExchangeFileError) as refusal:
        read_file(folder)
    assert str(refusal.value) == "„Export Gemeinde Müllheim.json“ ist ein Ordner, keine Austauschdatei."


def test_windows_access_denied_on_a_folder_reads_as_a_folder(tmp_path):
    # exactly what Windows' open() raises for a folder
    err = PermissionError(errno.EACCES, "Permission denied", str(tmp_path))
    assert is_folder(err)
    assert reason(err) == "an dieser Stelle ist ein Ordner, keine Datei"


def test_access_denied_on_a_file_stays_access_denied(tmp_path):
    locked = tmp_path / "gesperrt.json"
    locked.write_text("{}", encoding="utf-8")
    err = PermissionError(errno.EACCES, "Permission denied", str(locked))
    assert not is_folder(err)
    assert "Zugriff verweigert" in reason(err)
    assert "Zugriff verweigert" in reason(PermissionError("denied"))  # no file name at all
