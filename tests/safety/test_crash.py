"""Crash reports: version, platform and traceback, and nothing personal."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta

from paktdesk import __version__, paths
from paktdesk.crash import KEEP_REPORTS, crash_text, scrub, write_crash_report

# the data lives in constants so that the traceback's source lines do not show it
PAYEE = "Sabine Keller"
AMOUNT = "1.234,56"
MESSAGE = ("Betrag „{amount}“ für '{payee}' ungültig, IBAN DE44 6005 0101 0001 2345 67, "
           "Datei C:\\Users\\sabine.keller\\Documents\\Akte.paktdesk, "
           "/home/sabine.keller/Akten/Personalakte.pdf, Mail sabine.keller@lindenbach.de")


def _book(amount_text: str, payee: str) -> None:
    raise ValueError(MESSAGE.format(amount=amount_text, payee=payee))


def _fail():
    try:
        _book(AMOUNT, PAYEE)
    except ValueError as err:
        raise RuntimeError("Buchung fehlgeschlagen") from err


def test_report_is_written_to_the_log_folder_without_personal_data():
    try:
        _fail()
    except RuntimeError:
        path = write_crash_report(*sys.exc_info())
    assert path.parent == paths.log_dir()
    text = path.read_text(encoding="utf-8")
    assert f"PaktDesk: {__version__}" in text and "Python:" in text and "System:" in text
    assert "SQLite:" in text
    assert "test_crash.py" in text and "_book" in text and "_fail" in text  # the traceback
    assert "ValueError" in text and "RuntimeError: Buchung fehlgeschlagen" in text
    for personal in ("Sabine", "Keller", "keller", "1.234,56", "6005", "0001", "Users", "home",
                     "lindenbach.de"):
        assert personal not in text, personal
    assert "Personalakte.pdf" in text and "Akte.paktdesk" in text  # paths reduced to file names
    assert str(path.parent) not in text


def test_scrub_keeps_the_shape_of_a_message():
    assert scrub("no such table: receipts") == "no such table: receipts"
    assert scrub("UNIQUE constraint failed: receipts.number") == "UNIQUE constraint failed: receipts.number"
    assert "Müller" not in scrub("invalid literal for int() with base 10: 'Müller'")
    assert "4711" not in scrub("Konto 12 4711 0815 99")


def test_only_the_newest_reports_are_kept(tmp_path):
    start = datetime(2026, 1, 1, tzinfo=UTC)
    try:
        raise KeyError("x")
    except KeyError:
        info = sys.exc_info()
    for minute in range(KEEP_REPORTS + 5):
        write_crash_report(*info, folder=tmp_path, now=start + timedelta(minutes=minute))
    reports = sorted(tmp_path.glob("absturz-*.txt"))
    assert len(reports) == KEEP_REPORTS
    assert reports[-1].name.startswith("absturz-20260101-0024")


def test_text_without_a_traceback_object_still_works():
    text = crash_text(MemoryError, None, None)
    assert "MemoryError" in text and "Fehlerbericht" in text


def test_an_unwritable_log_folder_falls_back_to_the_temp_folder(tmp_path):
    blocker = tmp_path / "datei-statt-ordner"
    blocker.write_text("x")
    try:
        raise OSError("kaputt")
    except OSError:
        path = write_crash_report(*sys.exc_info(), folder=blocker / "logs")
    assert path.exists() and path.parent != blocker
    path.unlink()


def test_scrub_uses_the_open_files_own_personal_values(small_file):
    from paktdesk.core import entities as e
    from paktdesk.workspace import Workspace

    ws = Workspace.open(small_file)
    try:
        own = next(p.id for p in ws.providers())
        ws.save_person(e.Person(None, "Mehmet", "Yıldız", own, email="m.yildiz@example.org"))
        ws.save_person(e.Person(None, "Dragan", "Petrović", own))
        profile = ws.profile()
        ws.save_profile(e.Profile(name=profile.name, kind=profile.kind, ags=profile.ags,
                                  contact_name=profile.contact_name, street="Lindenweg 7",
                                  iban="DE02120300000000202051"))
        message = ("Buchung für yıldız (Mehmet) und Petrović abgelehnt: 12,50 € und 0,01 und -3; "
                   "Konto DE02120300000000202051, Lindenweg 7, Ansprechperson Probe")
        text = scrub(message)
        for secret in ("Mehmet", "ıldız", "Petrović", "12,50", "0,01", "-3", "DE0212", "Lindenweg", "Probe"):
            assert secret not in text, (secret, text)
        assert text.startswith("Buchung für")  # the shape stays for the developer
    finally:
        ws.close()
    assert "Petrović" in scrub("Petrović")  # a closed file's values are forgotten (only its own count)
