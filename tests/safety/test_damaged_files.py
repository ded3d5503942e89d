"""More than 1,000 damaged or foreign files: opening never crashes or hangs (only PaktDesk's
own DataFileError family), the original is never changed, and a good backup is offered."""

from __future__ import annotations

import faulthandler
import hashlib
import json
import random
import shutil
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from paktdesk.core.errors import DataFileError
from paktdesk.workspace import Workspace

pytestmark = pytest.mark.slow
PAGE = 4096


def bit_flips(rnd: random.Random, data: bytes, *, header_only: bool = False) -> bytes:
    out = bytearray(data)
    for _ in range(rnd.randint(1, 8)):
        index = rnd.randrange(100 if header_only else len(out))
        out[index] ^= 1 << rnd.randrange(8)
    return bytes(out)


def truncated(rnd: random.Random, data: bytes) -> bytes:
    return data[: rnd.randrange(1, len(data))]


def zeroed_pages(rnd: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rnd.randint(1, 3)):
        page = rnd.randrange(len(out) // PAGE)
        out[page * PAGE:(page + 1) * PAGE] = bytes(PAGE)
    return bytes(out)


def garbage(rnd: random.Random, data: bytes) -> bytes:
    size = rnd.choice([1, 15, 99, 100, 512, 4096, 70_000])
    head = b"SQLite format 3\x00" if rnd.random() < 0.5 else b""
    return (head + rnd.randbytes(size))[:max(size, len(head))]


TEXTS = [
    "Datum;Betrag;Zweck\n01.02.2024;1.234,56;Miete\n",
    "Sehr geehrte Damen und Herren,\nanbei der Verwendungsnachweis.\n",
    json.dumps({"format": "paktdesk-export", "version": 1, "receipts": []}),
    "<?xml version='1.0'?><Verwendungsnachweis/>",
    "",
]


def text_file(rnd: random.Random, data: bytes) -> bytes:
    return rnd.choice(TEXTS).encode(rnd.choice(["utf-8", "utf-16", "latin-1"]))


def foreign_sqlite(rnd: random.Random, path: Path) -> None:
    """Another program's database: its own tables, maybe WAL, maybe its own application_id."""
    conn = sqlite3.connect(path)
    kind = rnd.randrange(5)
    if kind == 0:
        conn.execute("PRAGMA journal_mode = WAL")
    if kind == 1:
        conn.execute("PRAGMA application_id = 1179927369")  # another program's id
    if kind == 2:
        conn.execute("PRAGMA user_version = 7")
    if kind != 3:  # kind 3: empty, but with a page written
        conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
        conn.executemany("INSERT INTO moz_places (url) VALUES (?)", [(f"https://x/{i}",) for i in range(30)])
    else:
        conn.execute("PRAGMA page_size = 1024")
        conn.execute("VACUUM")
    conn.commit()
    conn.close()


def newer_paktdesk(rnd: random.Random, path: Path, template: Path) -> None:
    shutil.copyfile(template, path)
    conn = sqlite3.connect(path)
    if rnd.random() < 0.5:
        conn.execute(f"PRAGMA user_version = {rnd.randint(3, 99)}")
    if rnd.random() < 0.6:
        conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES "
                     "('paktdesk', '0099_neue_tabellen', '2031-01-01')")
    else:
        conn.execute("PRAGMA user_version = 50")
    conn.commit()
    conn.close()


CASES = (
    [("Bitkipper", 400), ("Bitkipper im Kopf", 100), ("abgeschnitten", 150), ("genullte Seiten", 150),
     ("Zufallsbytes", 50), ("Textdatei", 50), ("fremde SQLite-Datei", 50), ("neuere PaktDesk-Datei", 50)]
)


def test_damaged_and_foreign_files(small_template, tmp_path):
    faulthandler.dump_traceback_later(600, exit=True)  # a hang fails loudly instead of blocking CI
    rnd = random.Random(1000)
    good = small_template.read_bytes()
    path = tmp_path / "Datenbestand.paktdesk"
    shutil.copyfile(small_template, path)
    ws = Workspace.open_guarded(path)
    backup = ws.make_backup().path  # the good backup the clerk should be offered
    ws.close()
    outcomes: Counter = Counter()
    total = 0
    try:
        for kind, count in CASES:
            for _ in range(count):
                for old in tmp_path.glob(path.name + "*"):  # the file and companions of the last case
                    old.unlink()
                if kind == "fremde SQLite-Datei":
                    foreign_sqlite(rnd, path)
                elif kind == "neuere PaktDesk-Datei":
                    newer_paktdesk(rnd, path, small_template)
                else:
                    make = {"Bitkipper": bit_flips, "abgeschnitten": truncated, "genullte Seiten": zeroed_pages,
                            "Zufallsbytes": garbage, "Textdatei": text_file}.get(kind)
                    data = make(rnd, good) if make else bit_flips(rnd, good, header_only=True)
                    path.write_bytes(data)
                before = hashlib.sha256(path.read_bytes()).hexdigest()
                companions = companion_files(tmp_path)
                outcome = open_and_check(path, read_only=rnd.random() < 0.2)
                outcomes[(kind, outcome)] += 1
                total += 1
                assert hashlib.sha256(path.read_bytes()).hexdigest() == before, (kind, outcome)
                assert companion_files(tmp_path) == companions, kind  # no journal or lock left behind
                if outcome != "in Ordnung":
                    assert Workspace.suggest_backup(path).path == backup, kind
    finally:
        faulthandler.cancel_dump_traceback_later()
    print(f"\n{total} beschädigte oder fremde Dateien:")
    for (kind, outcome), number in sorted(outcomes.items()):
        print(f"  {kind:24} {outcome:22} {number}")
    assert total >= 1000
    assert outcomes[("neuere PaktDesk-Datei", "abgelehnt")] == 50
    assert outcomes[("fremde SQLite-Datei", "abgelehnt")] == 50
    assert sum(n for (kind, o), n in outcomes.items() if kind == "Bitkipper" and o != "in Ordnung") > 50


def companion_files(folder: Path) -> list[str]:
    """Files that hold data. (Reading a WAL-mode file leaves an empty -wal and the -shm index
    behind; they change nothing.)"""
    return sorted(p.name for p in folder.iterdir()
                  if not p.name.endswith("-shm") and not (p.name.endswith("-wal") and p.stat().st_size == 0))


def open_and_check(path: Path, *, read_only: bool) -> str:
    """What the program does on start: open (with lock), then the full check. Only our own
    errors may come out; anything else fails the test with its traceback."""
    try:
        ws = Workspace.open_guarded(path, read_only=read_only)
    except DataFileError:
        return "abgelehnt"
    try:
        report = ws.check_report()
        if report.ok:
            ws.counts(), ws.control_totals()  # the start screen's figures
            return "in Ordnung"
        return "Prüfung meldet Fehler"
    finally:
        ws.close()
