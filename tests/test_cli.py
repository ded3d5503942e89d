"""The command line as a clerk's script or CI would run it: a real process, real files."""

import contextlib
import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def paktdesk(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)  # PAKTDESK_HOME points into tmp_path (conftest)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["PYTHONIOENCODING"] = "utf-8"
    return subprocess.run([sys.executable, "-m", "paktdesk", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=300,
                          stdin=subprocess.DEVNULL)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def no_traceback(result: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in result.stderr, result.stderr


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory) -> Path:
    """One demo file made by ``paktdesk --data FILE demo``; tests work on copies of it."""
    folder = tmp_path_factory.mktemp("cli")
    path = folder / "Lindenbach.paktdesk"
    with pytest.MonkeyPatch.context() as patch:  # the autouse PAKTDESK_HOME is per test
        patch.setenv("PAKTDESK_HOME", str(folder / "home"))
        result = paktdesk("--data", path, "demo")
    assert result.returncode == 0, result.stderr
    assert "Demo-Datenbestand angelegt" in result.stdout
    assert "5 Integrationsmanager:innen, 2 Bescheide" in result.stdout
    return path


@pytest.fixture
def demo_copy(demo_file, tmp_path) -> Path:
    copy = tmp_path / "Kopie.paktdesk"
    copy.write_bytes(demo_file.read_bytes())
    return copy


def test_demo_refuses_an_existing_file(demo_copy):
    before = sha256(demo_copy)
    result = paktdesk("--data", demo_copy, "demo")
    assert result.returncode == 1
    assert "gibt es schon" in result.stderr and "überschreibt nichts" in result.stderr
    no_traceback(result)
    assert sha256(demo_copy) == before


def test_check_passes_on_the_demo(demo_copy):
    before = sha256(demo_copy)
    result = paktdesk("--data", demo_copy, "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Prüfung bestanden" in result.stdout
    assert "Gemeinde Lindenbach (08125097)" in result.stdout
    assert sha256(demo_copy) == before  # checking changes nothing


def test_check_fails_after_one_cent_changed_behind_paktdesks_back(demo_copy):
    with contextlib.closing(sqlite3.connect(demo_copy)) as conn, conn:
        conn.execute("UPDATE receipts SET amount_cents = amount_cents + 1 "
                     "WHERE id = (SELECT min(id) FROM receipts)")
    result = paktdesk("--data", demo_copy, "check")
    assert result.returncode == 1, result.stdout
    assert "PRÜFUNG FEHLGESCHLAGEN" in result.stdout
    assert "Belege: 1 Zeile(n) außerhalb von PaktDesk verändert (Nr. 1)" in result.stdout
    assert "Belege: Kontrollsummen stimmen nicht" in result.stdout
    no_traceback(result)


@pytest.mark.parametrize(("args", "message"), [
    (["check"], "„check“ braucht --data DATEI"),
    (["demo"], "„demo“ braucht --data DATEI"),
    (["--bogus"], "unbekannte Angaben: --bogus"),
    (["frobnicate"], "ungültige Auswahl"),
    (["--data"], "erwartet einen Wert"),
    (["--demo", "--data", "x.paktdesk"], "--demo und --data schließen sich aus"),
])
def test_usage_errors_exit_2_in_german(args, message, tmp_path, paktdesk_home):
    work = tmp_path / "arbeit"
    work.mkdir()
    result = paktdesk(*args, cwd=work)
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stderr.startswith("Aufruf: paktdesk")
    assert "Fehler:" in result.stderr
    no_traceback(result)
    assert list(work.iterdir()) == [] and list(paktdesk_home.iterdir()) == []  # nothing created


def test_help_and_version():
    result = paktdesk("--help")
    assert result.returncode == 0
    assert "Aufruf: paktdesk" in result.stdout and "Befehle" in result.stdout and "Optionen" in result.stdout
    version = paktdesk("--version")
    assert version.returncode == 0 and version.stdout.startswith("PaktDesk ")


def test_text_file_is_refused_with_a_german_message(tmp_path):
    notes = tmp_path / "Notizen.txt"
    notes.write_text("Einkaufsliste: Kaffee, Toner, Briefmarken\n", encoding="utf-8")
    before = sha256(notes)
    result = paktdesk("--data", notes, "check")
    assert result.returncode == 1
    assert "Fehler: „Notizen.txt“ ist keine PaktDesk-Datei" in result.stderr
    no_traceback(result)
    assert sha256(notes) == before


def test_missing_file_is_reported_not_created(tmp_path):
    missing = tmp_path / "gibtsnicht.paktdesk"
    result = paktdesk("--data", missing, "check")
    assert result.returncode == 1
    assert "gibt es nicht" in result.stderr
    assert not missing.exists()
