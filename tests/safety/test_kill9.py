"""kill -9 at a random moment while a clerk books, changes and reverses, and while a backup or
an export is written: no acknowledged change lost, no half transaction, integrity intact, and a
target file that is either the complete old or the complete new one.

Each trial forks a child that works on a fresh copy and reports on a pipe — an id only after
the use case returned (the commit is done) and an intent line before it starts. The parent
kills it with SIGKILL after a random delay and then inspects the file."""

from __future__ import annotations

import csv
import faulthandler
import io
import os
import random
import select
import shutil
import signal
import time
import traceback
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from paktdesk.core import entities as e
from paktdesk.db import backup as b
from paktdesk.workspace import Workspace

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork (POSIX)")]

TRIALS = int(os.environ.get("PAKTDESK_KILL_TRIALS", "200"))
BACKUP_TRIALS = int(os.environ.get("PAKTDESK_KILL_BACKUP_TRIALS", "100"))


def fresh_copy(template: Path, path: Path) -> None:
    """The template in place of ``path``; a hot journal of the last trial must go first, or
    SQLite would "roll it back" into the new copy and corrupt it."""
    path.with_name(path.name + "-journal").unlink(missing_ok=True)
    shutil.copyfile(template, path)


def run_killed(work, path: Path, *, seed: int, delay: float) -> tuple[list[str], bool]:
    """Fork, let the child run ``work(path, say, rnd)``, SIGKILL it after ``delay`` seconds.
    Returns the lines the child reported and whether a hot journal was left behind."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        try:
            os.close(read_end)

            def say(line: str) -> None:
                os.write(write_end, (line + "\n").encode())  # < PIPE_BUF: never torn

            work(path, say, random.Random(seed))
        except BaseException:  # shown in the test's output; the parent then fails
            traceback.print_exc()
        finally:
            os._exit(0)
    os.close(write_end)
    buffer = b""
    while b"BEREIT\n" not in buffer:  # start the clock when the child is working
        ready, _, _ = select.select([read_end], [], [], 30)
        assert ready, "child did not start"
        chunk = os.read(read_end, 65536)
        assert chunk, "child ended before it was ready"
        buffer += chunk
    time.sleep(delay)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    while chunk := os.read(read_end, 65536):
        buffer += chunk
    os.close(read_end)
    hot = path.with_name(path.name + "-journal").exists()
    return buffer.decode().splitlines(), hot


# ---------------------------------------------------------------- bookings


def clerk(path: Path, say, rnd: random.Random) -> None:
    """Saves, bookings, changes and reversals as fast as the disk allows."""
    ws = Workspace.open(path)
    decision = ws.decisions()[0].id
    # payments go to the small language-course decision: a few cents each keep them within its
    # decided amount (the money rules refuse paying out more than was granted)
    paying = ws.decisions()[-1].id
    provider = ws.providers()[0].id
    receipts = [r.id for r in ws.receipts(decision) if r.reversal_of is None and r.id != 1]
    say("BEREIT")
    for step in range(100_000):
        action = rnd.choice("RRRUUSPN")
        amount = rnd.randint(1, 9_999_999)
        if action == "R":
            say(f"I R {amount}")
            new = ws.add_receipt(e.Receipt(None, decision, e.ListKind.MATERIAL, 0, date(2024, 3, 1), None, 2024,
                                           "Papierhaus", f"Lieferung {step}", "S_BUERO", amount)).ids[0]
            receipts.append(new)
            say(f"R {new} {amount}")
        elif action == "U" and receipts:
            target = rnd.choice(receipts)
            say(f"I U {target} {amount}")
            ws.update_receipt(replace(ws_receipt(ws, target), amount_cents=amount))
            say(f"U {target} {amount}")
        elif action == "S" and receipts:
            target = receipts.pop(rnd.randrange(len(receipts)))
            say(f"I S {target}")
            new = ws.reverse_receipt(target, "Fehlbuchung").ids[0]
            say(f"S {new} {target}")
        elif action == "P":
            amount = rnd.randint(1, 3)
            say(f"I P {amount}")
            new = ws.record_payment(e.Payment(None, paying, date(2023, 4, 1), date(2023, 4, 5), amount)).ids[0]
            say(f"P {new} {amount}")
        elif action == "N":
            say(f"I N {step}")
            new = ws.save_person(e.Person(None, "Vorname", f"Person {step}", provider)).ids[0]
            say(f"N {new} {step}")


def ws_receipt(ws: Workspace, receipt_id: int) -> e.Receipt:
    return next(r for r in ws.receipts(ws.decisions()[0].id) if r.id == receipt_id)


def amounts_of(path: Path) -> dict[int, int]:
    ws = Workspace.open(path, read_only=True)
    try:
        return {r.id: r.amount_cents for r in ws.receipts(ws.decisions()[0].id)}
    finally:
        ws.close()


def verify_bookings(path: Path, lines: list[str], initial: dict[int, int]) -> None:
    ws = Workspace.open(path)  # rolls a hot journal back, as the program would
    try:
        assert ws.check() == [], lines[-3:]
        decision = ws.decisions()[0].id
        receipts = {r.id: r for r in ws.receipts(decision)}
        payments = {p.id: p for d in ws.decisions() for p in ws.payments(d.id)}
        persons = {p.id: p for p in ws.persons()}
        pending = lines[-1] if lines and lines[-1].startswith("I ") else None
        expected_amount: dict[int, set[int]] = {key: {value} for key, value in initial.items()}
        for line in lines:
            kind, *rest = line.split()
            if kind == "R":
                new, amount = map(int, rest)
                expected_amount[new] = {amount}
            elif kind == "U":
                target, amount = map(int, rest)
                expected_amount[target] = {amount}
            elif kind == "S":
                new, original = map(int, rest)
                assert receipts[new].reversal_of == original
                assert receipts[new].amount_cents == -receipts[original].amount_cents
            elif kind == "P":
                new, amount = map(int, rest)
                assert payments[new].amount_cents == amount  # acknowledged: never lost
            elif kind == "N":
                new, step = map(int, rest)
                assert persons[new].last_name == f"Person {step}"
        if pending and pending.startswith("I U "):  # the change may have committed just before the kill
            _, _, target, amount = pending.split()
            expected_amount.setdefault(int(target), set()).add(int(amount))
        for receipt_id, amounts in expected_amount.items():
            assert receipts[receipt_id].amount_cents in amounts, (receipt_id, amounts)
        acknowledged = sum(1 for line in lines if line[:1] in "RSPN")
        created = ws.store.conn.execute(
            "SELECT count(*) FROM audit_log WHERE action IN ('Beleg erfasst', 'Beleg storniert', "
            "'Zahlung erfasst', 'Person angelegt') AND id > (SELECT max(id) FROM audit_log WHERE entity = "
            "'provider_proofs') AND json_extract(new, '$.storniert_durch') IS NULL"  # not the note on the original
        ).fetchone()[0]
        assert created - acknowledged in ((0, 1) if pending and pending[2] in "RSPN" else (0,))
        # no half transaction: each row and its audit entry exist together, and the audit trail's
        # last recorded amount is the amount in the row
        for table in ("receipts", "payments", "persons"):
            rows = {row[0] for row in ws.store.conn.execute(f"SELECT id FROM [{table}]")}
            audited = {row[0] for row in ws.store.conn.execute(
                "SELECT entity_id FROM audit_log WHERE entity = ? AND old IS NULL", [table])}
            assert rows == audited, table
        for receipt_id, receipt in receipts.items():
            last = ws.store.conn.execute(
                "SELECT json_extract(new, '$.amount_cents') FROM audit_log WHERE entity = 'receipts' "
                "AND entity_id = ? AND json_extract(new, '$.amount_cents') IS NOT NULL ORDER BY id DESC LIMIT 1",
                [receipt_id]).fetchone()
            assert last[0] == receipt.amount_cents, receipt_id
    finally:
        ws.close()


def test_kill_during_saves_bookings_and_reversals(small_template, tmp_path):
    faulthandler.dump_traceback_later(600, exit=True)  # a hang fails loudly instead of blocking CI
    rnd = random.Random(20260316)
    path = tmp_path / "Datenbestand.paktdesk"
    hot_journals = acknowledged = 0
    initial = amounts_of(small_template)
    try:
        for trial in range(TRIALS):
            fresh_copy(small_template, path)
            lines, hot = run_killed(clerk, path, seed=trial, delay=rnd.uniform(0.0, 0.08))
            hot_journals += hot
            acknowledged += sum(1 for line in lines if not line.startswith(("I ", "BEREIT")))
            verify_bookings(path, [line for line in lines if line != "BEREIT"], initial)
    finally:
        faulthandler.cancel_dump_traceback_later()
    print(f"kill -9: {TRIALS} Versuche, {acknowledged} bestätigte Änderungen, "
          f"{hot_journals} Abbrüche mitten in einer Transaktion")
    assert acknowledged > TRIALS  # the children really worked
    assert hot_journals >= TRIALS // 10  # and were often killed inside a transaction


# ---------------------------------------------------------------- backup and export


def _back_up_while_booking(path: Path, say, back_up) -> None:
    ws = Workspace.open(path)
    decision = ws.decisions()[0].id
    back_up(ws)  # the "old" backup
    say(f"B {ws.counts()['receipts']}")
    say("BEREIT")
    for step in range(100_000):
        ws.add_receipt(e.Receipt(None, decision, e.ListKind.MATERIAL, 0, date(2024, 3, 1), None, 2024,
                                 "Papierhaus", f"Lieferung {step}", "S_BUERO", 100 + step))
        count = ws.counts()["receipts"]
        say(f"R {count}")
        back_up(ws)
        say(f"B {count}")


def backupper(path: Path, say, rnd: random.Random) -> None:
    _back_up_while_booking(path, say, lambda ws: b.make_backup(ws.store, path.parent / "Ziel", name="Ziel.paktdesk"))


def later_backupper(path: Path, say, rnd: random.Random) -> None:
    """The clerk's "Jetzt sichern": snapshot, then the deep check (killed in either stage)."""
    _back_up_while_booking(path, say, lambda ws: b.finish_backup(b.make_backup(
        ws.store, path.parent / "Ziel", name="Ziel.paktdesk", deep_check="later").pending))


BACKUPPERS = {"now": backupper, "later": later_backupper}


@pytest.mark.parametrize("mode", list(BACKUPPERS))
def test_kill_during_backup_leaves_the_complete_old_or_new_backup(small_template, tmp_path, mode):
    faulthandler.dump_traceback_later(600, exit=True)
    rnd = random.Random(7)
    path = tmp_path / "Datenbestand.paktdesk"
    target = tmp_path / "Ziel" / "Ziel.paktdesk"
    outcomes = {"alt": 0, "neu": 0, "ungeprüft": 0}
    try:
        for trial in range(BACKUP_TRIALS):
            fresh_copy(small_template, path)
            shutil.rmtree(target.parent, ignore_errors=True)
            lines, _ = run_killed(BACKUPPERS[mode], path, seed=trial, delay=rnd.uniform(0.0, 0.06))
            done = [int(line.split()[1]) for line in lines if line.startswith("B ")]
            booked = [int(line.split()[1]) for line in lines if line.startswith("R ")]
            assert target.exists() and done
            state = b.read_sidecar(target).deep_check if b.read_sidecar(target) else "ohne"
            assert state in (("geprüft", "ohne") if mode == "now" else ("geprüft", "ausstehend", "ohne")), state
            outcomes["ungeprüft"] += state == "ausstehend"
            entry = b.inspect_backup(target, deep=True)  # an unchecked one is checked now
            assert entry.ok, entry.problems
            count = entry.summary.counts["receipts"]
            old, new = done[-1], (booked[-1] if booked else done[-1])
            assert count in (old, new), (count, old, new)
            outcomes["alt" if count == old and old != new else "neu"] += 1
    finally:
        faulthandler.cancel_dump_traceback_later()
    print(f"kill -9 während der Sicherung ({mode}): {BACKUP_TRIALS} Versuche, {outcomes}")
    assert outcomes["alt"] > 0 and outcomes["neu"] > 0  # both sides of the rename were hit
    assert (outcomes["ungeprüft"] > 0) == (mode == "later")  # killed between snapshot and deep check


def exporter(path: Path, say, rnd: random.Random) -> None:
    ws = Workspace.open(path)
    decision = ws.decisions()[0].id
    ws.export_audit_csv(path.parent / "Protokoll.csv")  # the "old" file
    say(f"X {ws.audit_trail_count()}")
    say("BEREIT")
    for step in range(100_000):
        ws.add_receipt(e.Receipt(None, decision, e.ListKind.MATERIAL, 0, date(2024, 3, 1), None, 2024,
                                 "Papierhaus", f"Lieferung {step}", "S_BUERO", 100 + step))
        entries = ws.audit_trail_count()
        say(f"R {entries}")
        ws.export_audit_csv(path.parent / "Protokoll.csv")
        say(f"X {entries}")


def test_kill_during_export_leaves_the_complete_old_or_new_file(small_template, tmp_path):
    faulthandler.dump_traceback_later(600, exit=True)
    rnd = random.Random(11)
    path = tmp_path / "Datenbestand.paktdesk"
    target = tmp_path / "Protokoll.csv"
    seen = set()
    try:
        for trial in range(BACKUP_TRIALS):
            fresh_copy(small_template, path)
            target.unlink(missing_ok=True)
            lines, _ = run_killed(exporter, path, seed=trial, delay=rnd.uniform(0.0, 0.05))
            done = [int(line.split()[1]) for line in lines if line.startswith("X ")]
            started = [int(line.split()[1]) for line in lines if line.startswith("R ")]
            assert target.exists() and done
            text = target.read_bytes().decode("utf-8-sig")
            assert text.endswith("\r\n")
            rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
            entries = len({row[0] for row in rows[1:]})
            assert entries in (done[-1], started[-1] if started else done[-1]), (entries, done, started)
            seen.add("alt" if started and entries == done[-1] and done[-1] != started[-1] else "neu")
    finally:
        faulthandler.cancel_dump_traceback_later()
    assert seen == {"alt", "neu"}
