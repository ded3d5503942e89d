"""Verified backups: made, listed, rotated, copied, and restored — also over a destroyed file."""

from __future__ import annotations

import itertools
import json
import os
import random
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from paktdesk.cli import main as cli_main
from paktdesk.core import entities as e
from paktdesk.core.errors import DataFileError, IntegrityError
from paktdesk.db import backup as b
from paktdesk.db.connection import connect
from paktdesk.db.datafile import full_check, open_datafile
from paktdesk.db.migrations import migrations
from paktdesk.db.versions import SCHEMA_VERSION
from paktdesk.workspace import Workspace

NOON = datetime(2026, 3, 16, 12, 0, tzinfo=UTC)
RECEIPT_DAY = date(2024, 3, 16)  # inside the test decision's period
_receipts = itertools.count(1)


def add_receipt(ws: Workspace, amount: int = 4_711) -> int:
    decision = ws.decisions()[0].id
    change = ws.add_receipt(e.Receipt(None, decision, e.ListKind.MATERIAL, 0, RECEIPT_DAY, RECEIPT_DAY,
                                      RECEIPT_DAY.year, "Papierhaus", f"Kopierpapier {next(_receipts)}",
                                      "S_BUERO", amount))
    return change.ids[0]


def zero_page(path: Path, page: int) -> None:
    data = bytearray(path.read_bytes())
    data[(page - 1) * 4096: page * 4096] = bytes(4096)
    path.write_bytes(bytes(data))


def test_backup_is_verified_described_and_restorable(small_file, tmp_path):
    ws = Workspace.open_guarded(small_file)
    try:
        result = ws.make_backup(now=NOON)
        counts, totals = ws.counts(), ws.control_totals()
    finally:
        ws.close()
    assert result.path.parent == small_file.parent / "Sicherungen"
    assert result.path.name.startswith("Datenbestand_2026-03-16_")
    assert result.path.name.endswith("_manuell.paktdesk")
    sidecar = json.loads(b.sidecar_of(result.path).read_text(encoding="utf-8"))
    assert sidecar["owner"] == "Gemeinde Testhausen" and sidecar["ags"] == "08125097"
    assert sidecar["counts"]["receipts"] == counts["receipts"] == 31
    assert sidecar["totals"]["receipts"] == list(totals["receipts"])
    assert sidecar["sha256"] == b.sha256_of(result.path)
    assert b.check_file(result.path)[0] == []
    assert not list(result.path.parent.glob(".*"))  # no temporary files left
    restored = tmp_path / "wieder" / "Datenbestand.paktdesk"
    restored.parent.mkdir()
    b.restore_backup(result.path, restored, aside_folder=tmp_path / "beiseite", now=NOON)
    store = open_datafile(restored)
    try:
        assert full_check(store) == []
    finally:
        store.close()
    ws = Workspace.open(restored)
    try:
        assert ws.counts() == counts and ws.control_totals() == totals
    finally:
        ws.close()


def test_a_damaged_backup_is_not_offered_and_not_counted_by_rotation(small_file):
    ws = Workspace.open_guarded(small_file)
    try:
        older = ws.make_backup(now=NOON - timedelta(days=2)).path
        add_receipt(ws)
        newer = ws.make_backup(now=NOON - timedelta(days=1)).path
        zero_page(newer, os.path.getsize(newer) // 4096 // 2)  # every page of a fresh backup is in use
        listed = {entry.path: entry for entry in ws.backups()}
        assert listed[older].ok
        assert not listed[newer].ok and "verändert oder beschädigt" in listed[newer].problems[0]
        assert ws.newest_good_backup().path == older
        kept, surplus = b.plan_rotation(list(listed.values()), b.Keep(daily=1, weekly=0, monthly=0))
        assert [entry.path for entry in kept] == [older] and surplus == []
        add_receipt(ws)
        newest = ws.make_backup(now=NOON).path
        b.rotate(newest.parent, small_file.stem, keep=b.Keep(daily=1, weekly=0, monthly=0), now=NOON)
        assert newest.exists() and not older.exists()  # the good surplus went
        assert newer.exists()  # the damaged one is neither counted nor silently deleted
    finally:
        ws.close()


def test_a_backup_without_its_sidecar_is_checked_in_full(small_file):
    ws = Workspace.open_guarded(small_file)
    try:
        path = ws.make_backup(now=NOON).path
    finally:
        ws.close()
    b.sidecar_of(path).unlink()  # a crash between the two renames
    entry = b.inspect_backup(path)
    assert entry.ok and entry.summary.counts["receipts"] == 31
    with open(path, "r+b") as handle:
        handle.truncate(path.stat().st_size // 2)
    entry = b.inspect_backup(path)
    assert not entry.ok and entry.problems


def entry_at(day: datetime, name: str = "", reason: str = "close") -> b.BackupEntry:
    return b.BackupEntry(Path(name or f"D_{day:%Y-%m-%d_%H-%M-%S}_x.paktdesk"), day, reason, None, True)


def test_rotation_keeps_7_daily_4_weekly_12_monthly():
    start = datetime(2025, 1, 1, 18, 0, tzinfo=UTC)
    entries = [entry_at(start + timedelta(days=n)) for n in range(500)]  # one backup a day
    kept, surplus = b.plan_rotation(entries, b.Keep())
    kept_days = sorted(entry.created.date() for entry in kept)
    newest = entries[-1].created.date()
    assert kept_days[-7:] == [newest - timedelta(days=n) for n in range(6, -1, -1)]
    weeks = {tuple(d.isocalendar())[:2] for d in kept_days}
    months = {(d.year, d.month) for d in kept_days}
    assert len(months) == 12 and len(weeks) >= 4
    assert len(kept) <= 7 + 4 + 12 and len(kept) + len(surplus) == 500
    assert min(kept_days) > newest - timedelta(days=370)


def test_rotation_keeps_the_newest_backup_before_an_update_and_of_each_day():
    day = datetime(2026, 3, 16, 8, 0, tzinfo=UTC)
    entries = [entry_at(day + timedelta(hours=h), f"h{h}", "close") for h in range(5)]
    entries.append(entry_at(day - timedelta(days=40), "update", "migration"))
    kept, surplus = b.plan_rotation(entries, b.Keep(daily=1, weekly=0, monthly=0))
    assert {entry.path.name for entry in kept} == {"h4", "update"}
    assert len(surplus) == 4


def test_rotation_pauses_after_a_restore(small_file):
    keep = b.Keep(daily=1, weekly=0, monthly=0)
    ws = Workspace.open_guarded(small_file)
    try:
        ws.save_backup_settings(b.BackupSettings(keep=keep))
        first = ws.make_backup(now=NOON - timedelta(days=3)).path
        add_receipt(ws)
        ws.restore(first, now=NOON - timedelta(days=2))
        made = [ws.make_backup(now=NOON - timedelta(days=d)).path for d in (1, 0)]
        assert all(path.exists() for path in made) and first.exists()  # nothing rotated away
        ws.resume_backup_rotation()
        add_receipt(ws)
        last = ws.make_backup(now=NOON + timedelta(hours=1)).path
        assert last.exists() and not made[0].exists() and not first.exists()
    finally:
        ws.close()


def test_a_second_target_gets_a_verified_copy_and_a_failing_one_only_warns(small_file, tmp_path):
    stick = tmp_path / "USB-Stick" / "PaktDesk"
    ws = Workspace.open_guarded(small_file)
    try:
        ws.save_backup_settings(b.BackupSettings(second_folder=stick))
        result = ws.make_backup(now=NOON)
        assert result.second_path == stick / result.path.name
        assert b.sha256_of(result.second_path) == b.sha256_of(result.path)
        assert b.inspect_backup(result.second_path, deep=True).ok
        assert len(ws.backups()) == 1  # the same backup in two places is listed once
        blocker = tmp_path / "kein-Ordner"
        blocker.write_text("x")
        ws.save_backup_settings(b.BackupSettings(second_folder=blocker))
        add_receipt(ws)
        result = ws.make_backup(now=NOON + timedelta(minutes=1))
        assert result.path.exists() and result.second_path is None
        assert result.warnings and "Zweites Sicherungsziel" in result.warnings[0]
    finally:
        ws.close()


def old_schema_file(path: Path) -> Path:
    """A Datenbestand as the first release wrote it: only migration 0001 applied."""
    store = connect(path)
    migrations.apply(store.db, stop_before="0002_defaults")
    store.conn.execute("INSERT INTO profile (id, name, kind, ags, updated_at) "
                       "VALUES (1, 'Gemeinde Altdorf', 'Gemeinde', '08111000', '2024-01-01T00:00:00+00:00')")
    store.close()
    return path


def test_a_verified_backup_is_made_before_every_migration(tmp_path):
    path = old_schema_file(tmp_path / "Alt.paktdesk")
    before = path.read_bytes()
    store = open_datafile(path)
    try:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    finally:
        store.close()
    backups = b.list_backups([tmp_path / "Sicherungen"])
    assert len(backups) == 1 and backups[0].reason == "migration" and backups[0].ok
    assert backups[0].summary.schema_version == 1 and backups[0].summary.owner == "Gemeinde Altdorf"
    check = sqlite3.connect(backups[0].path)
    assert check.execute("SELECT count(*) FROM rule_sets").fetchone()[0] == 0  # the old content
    check.close()
    assert len(before) > 0


def test_a_damaged_old_file_is_neither_migrated_nor_changed(tmp_path):
    path = old_schema_file(tmp_path / "Alt.paktdesk")
    store = connect(path)
    store.conn.execute("UPDATE control_totals SET sum_cents = 5 WHERE table_name = 'receipts'")  # tampered
    store.close()
    before = path.read_bytes()
    with pytest.raises(IntegrityError) as caught:
        open_datafile(path)
    assert "keine geprüfte Sicherung" in str(caught.value) and "nicht verändert" in str(caught.value)
    assert path.read_bytes() == before
    assert not list((tmp_path / "Sicherungen").glob("*.paktdesk"))


def test_backup_on_close_only_when_something_changed(small_file):
    ws = Workspace.open_guarded(small_file)
    try:
        assert ws.backup_on_close(now=NOON) is not None
        assert ws.backup_on_close(now=NOON + timedelta(minutes=5)) is None
        add_receipt(ws)
        made = ws.backup_on_close(now=NOON + timedelta(minutes=10))
        assert made is not None and made.summary.reason == "close"
        assert "beim-Schliessen" in made.path.name
        add_receipt(ws)
        reader = Workspace.open_guarded(small_file, if_locked="read_only")
        try:
            assert reader.read_only and reader.backup_on_close(now=NOON + timedelta(minutes=20)) is None
        finally:
            reader.close()
    finally:
        ws.close()


DESTROYERS = {
    "null Bytes": lambda path: path.write_bytes(b""),
    "Zufallsbytes": lambda path: path.write_bytes(random.Random(7).randbytes(50_000)),
    "Nullen": lambda path: path.write_bytes(bytes(path.stat().st_size)),
    "abgeschnitten": lambda path: path.write_bytes(path.read_bytes()[:3000]),
    "gelöscht": lambda path: path.unlink(),
    "fremdes Journal": lambda path: path.with_name(path.name + "-journal").write_bytes(
        random.Random(3).randbytes(9000)),
}


@pytest.mark.parametrize("how", list(DESTROYERS))
def test_restore_works_when_the_live_file_is_destroyed(small_file, how):
    ws = Workspace.open_guarded(small_file)
    try:
        backup = ws.make_backup(now=NOON).path
        expected = ws.counts(), ws.control_totals()
    finally:
        ws.close()
    DESTROYERS[how](small_file)
    broken = small_file.read_bytes() if small_file.exists() else None
    if how not in ("gelöscht", "fremdes Journal"):
        with pytest.raises(DataFileError):
            Workspace.open_guarded(small_file)
        assert Workspace.suggest_backup(small_file).path == backup
    result = Workspace.restore_file(small_file, backup, now=NOON + timedelta(hours=1))
    assert not small_file.with_name(small_file.name + "-journal").exists()
    ws = Workspace.open_guarded(small_file)
    try:
        assert ws.check() == []
        assert (ws.counts()["receipts"], ws.control_totals()) == (expected[0]["receipts"], expected[1])
        assert ws.audit_entries(limit=1)[0].action == "Sicherung zurückgespielt"
    finally:
        ws.close()
    if broken is not None:
        assert result.aside.read_bytes() == broken  # the destroyed file kept as evidence
        assert not result.aside.name.endswith(b.BACKUP_SUFFIX)  # and never offered as a backup


def test_restore_from_the_menu_brings_back_the_old_state_and_can_be_undone(small_file):
    ws = Workspace.open_guarded(small_file)
    try:
        backup = ws.make_backup(now=NOON).path
        new_id = add_receipt(ws)
        changes = []
        ws.subscribe(changes.append)
        ws.restore(backup, now=NOON + timedelta(hours=1))
        assert not [r for r in ws.receipts(ws.decisions()[0].id) if r.id == new_id]
        assert changes and changes[-1].action == "Sicherung zurückgespielt"
        undo = [entry for entry in ws.backups() if entry.reason == "restore"]
        assert len(undo) == 1 and undo[0].summary.counts["receipts"] == 32
        ws.restore(undo[0].path, now=NOON + timedelta(hours=2))
        assert [r for r in ws.receipts(ws.decisions()[0].id) if r.id == new_id]
        assert ws.check() == []
    finally:
        ws.close()


def test_a_damaged_backup_is_refused_for_restore_and_the_live_file_stays(small_file):
    ws = Workspace.open_guarded(small_file)
    try:
        backup = ws.make_backup(now=NOON).path
    finally:
        ws.close()
    zero_page(backup, 2)
    before = small_file.read_bytes()
    with pytest.raises(IntegrityError):
        Workspace.restore_file(small_file, backup)
    assert small_file.read_bytes() == before


def test_a_failed_check_offers_the_newest_good_backup(small_file):
    ws = Workspace.open_guarded(small_file)
    try:
        good = ws.make_backup(now=NOON).path
        assert ws.check_report().ok
        ws.store.conn.execute("UPDATE payments SET amount_cents = amount_cents + 100 WHERE id = 2")
        report = ws.check_report()
        assert not report.ok and "Zahlungen" in report.problems[0]
        assert report.suggestion.path == good
    finally:
        ws.close()


def test_command_line_backup_backups_restore(small_file, tmp_path, capsys):
    assert cli_main(["--data", str(small_file), "backup"]) == 0
    out = capsys.readouterr().out
    assert "Sicherung angelegt und geprüft" in out and "Gemeinde Testhausen" in out and "31 Belege" in out
    assert cli_main(["--data", str(small_file), "backup", "--to", str(tmp_path / "Stick")]) == 0
    capsys.readouterr()
    assert len(list((tmp_path / "Stick").glob("*.paktdesk"))) == 1
    assert cli_main(["--data", str(small_file), "backups"]) == 0
    listing = capsys.readouterr().out
    assert "geprüft" in listing and "Datenbestand_" in listing
    backup = next((small_file.parent / "Sicherungen").glob("*.paktdesk"))
    small_file.write_bytes(b"kaputt" * 100)
    assert cli_main(["--data", str(small_file), "check"]) == 1
    err = capsys.readouterr().err
    assert "keine PaktDesk-Datei" in err and "Traceback" not in err
    assert f"Neueste gute Sicherung: {backup}" in err and "restore --from" in err
    assert cli_main(["--data", str(small_file), "restore", "--from", str(backup)]) == 0
    assert "Sicherung zurückgespielt" in capsys.readouterr().out
    assert cli_main(["--data", str(small_file), "check"]) == 0
    capsys.readouterr()
    zero_page(backup, 3)
    assert cli_main(["--data", str(small_file), "restore", str(backup)]) == 1
    assert "kann nicht zurückgespielt werden" in capsys.readouterr().err


def test_command_line_check_reports_tampering_and_the_backup_to_restore(small_file, capsys):
    assert cli_main(["--data", str(small_file), "backup"]) == 0
    capsys.readouterr()
    conn = sqlite3.connect(small_file)
    conn.execute("UPDATE receipts SET amount_cents = amount_cents + 1 WHERE id = 3")
    conn.commit()
    conn.close()
    assert cli_main(["--data", str(small_file), "check"]) == 1
    captured = capsys.readouterr()
    assert "PRÜFUNG FEHLGESCHLAGEN" in captured.out and "Belege" in captured.out
    assert "Neueste gute Sicherung" in captured.err


def test_backup_refuses_while_a_change_is_open(small_file):
    ws = Workspace.open_guarded(small_file)
    try:
        with ws.store.transaction():
            with pytest.raises(DataFileError):
                ws.make_backup()
    finally:
        ws.close()
    assert not (small_file.parent / "Sicherungen").exists() or not list(
        (small_file.parent / "Sicherungen").glob("*.paktdesk"))
