"""Tamper evidence: more than 2,000 changes to booked money rows made behind PaktDesk's back —
single bit flips inside the rows' bytes in the file, and edits of amounts with SQL as the sqlite3
tool would make them — are all detected by the check (a flip that SQLite itself reports as
corruption, so that the file is refused on open, counts as detected too)."""

from __future__ import annotations

import faulthandler
import random
import shutil
import sqlite3
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from paktdesk.core.errors import DataFileError
from paktdesk.db.integrity import AMOUNT_COLUMN
from paktdesk.workspace import Workspace

pytestmark = pytest.mark.slow
FLIPS = 1200
EDITS = 1000
TOOL_EDITS = 50


def varint(data: bytes, at: int) -> tuple[int, int]:
    """SQLite's big-endian varint at ``at``: (value, length)."""
    value = 0
    for index in range(8):
        byte = data[at + index]
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, index + 1
    return (value << 8) | data[at + 8], 9


def row_cells(data: bytes, root: int) -> list[tuple[int, int, int]]:
    """(rowid, first byte, end) in the file of every row of the table b-tree at page ``root``."""
    page_size = int.from_bytes(data[16:18], "big") or 65536
    cells, pages = [], [root]
    while pages:
        page = pages.pop()
        base = (page - 1) * page_size
        header = base + (100 if page == 1 else 0)
        kind, count = data[header], int.from_bytes(data[header + 3:header + 5], "big")
        pointers = header + (12 if kind == 0x05 else 8)
        offsets = [int.from_bytes(data[pointers + 2 * i:pointers + 2 * i + 2], "big") for i in range(count)]
        if kind == 0x05:  # interior table page: children, then the right-most child
            pages.extend(int.from_bytes(data[base + o:base + o + 4], "big") for o in offsets)
            pages.append(int.from_bytes(data[header + 8:header + 12], "big"))
        elif kind == 0x0D:  # leaf: payload size, rowid, payload (rows here never overflow)
            for offset in offsets:
                size, first = varint(data, base + offset)
                rowid, second = varint(data, base + offset + first)
                assert size <= page_size - 35
                cells.append((rowid, base + offset, base + offset + first + second + size))
        else:
            raise AssertionError(f"unexpected page type {kind} in a table b-tree")
    return cells


def money_cells(path: Path) -> list[tuple[str, int, int, int]]:
    conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    roots = dict(conn.execute("SELECT name, rootpage FROM sqlite_master WHERE type = 'table'"))
    conn.close()
    data = path.read_bytes()
    return [(table, *cell) for table in AMOUNT_COLUMN for cell in row_cells(data, roots[table])]


def table_rows(path: Path, table: str) -> list[tuple] | None:
    """What a reader sees in ``table`` (None if it cannot be read at all)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    try:
        return conn.execute(f"SELECT * FROM [{table}] ORDER BY rowid").fetchall()
    except (sqlite3.Error, ValueError):
        return None
    finally:
        conn.close()


def detected(path: Path) -> str | None:
    """How the program notices (None: it does not)."""
    try:
        ws = Workspace.open(path)
    except DataFileError:
        return "beim Öffnen abgelehnt"
    try:
        return "Prüfung meldet Fehler" if ws.check() else None
    finally:
        ws.close()


def test_bit_flips_in_booked_rows_are_all_detected(small_template, tmp_path):
    faulthandler.dump_traceback_later(600, exit=True)
    cells = money_cells(small_template)
    assert {table for table, *_ in cells} == set(AMOUNT_COLUMN)  # every money table has rows
    good = small_template.read_bytes()
    originals = {table: table_rows(small_template, table) for table in AMOUNT_COLUMN}
    path = tmp_path / "Datenbestand.paktdesk"
    rnd = random.Random(2000)
    how: Counter = Counter()
    try:
        for _ in range(FLIPS):
            table, rowid, start, end = rnd.choice(cells)
            data = bytearray(good)
            data[rnd.randrange(start, end)] ^= 1 << rnd.randrange(8)
            path.write_bytes(bytes(data))
            found = detected(path)
            if not found and table_rows(path, table) == originals[table]:
                found = "ohne Wirkung"  # e.g. the unused stored value of an INTEGER PRIMARY KEY
            assert found, (table, rowid)
            how[found] += 1
    finally:
        faulthandler.cancel_dump_traceback_later()
    print(f"\n{FLIPS} Bitkipper in gebuchten Zeilen: {dict(how)}")
    assert how["ohne Wirkung"] < FLIPS // 20


def edit(conn: sqlite3.Connection, rnd: random.Random) -> tuple[str, int, int, int]:
    table = rnd.choice(list(AMOUNT_COLUMN))
    column = AMOUNT_COLUMN[table]
    rowid, amount = rnd.choice(conn.execute(f"SELECT id, [{column}] FROM [{table}]").fetchall())
    candidates = [amount + 1, amount - 1, amount * 10, -amount, amount + rnd.randint(2, 10**7),
                  0 if amount else 1, amount + 100]
    rnd.shuffle(candidates)
    for new in candidates:
        if new == amount:
            continue
        try:  # the table's own CHECK constraints refuse some values (e.g. negative amounts)
            conn.execute(f"UPDATE [{table}] SET [{column}] = ? WHERE id = ?", [new, rowid])
        except sqlite3.IntegrityError:
            continue
        return table, rowid, amount, new
    raise AssertionError("no edit possible")


def test_amounts_edited_behind_paktdesks_back_are_all_detected(small_template, tmp_path):
    faulthandler.dump_traceback_later(600, exit=True)
    path = tmp_path / "Datenbestand.paktdesk"
    shutil.copyfile(small_template, path)
    ws = Workspace.open(path)
    outsider = sqlite3.connect(path, isolation_level=None)  # another program on the same file
    outsider.execute("PRAGMA synchronous = OFF")  # durability is not the point here; speed is
    rnd = random.Random(2001)
    try:
        for _ in range(EDITS):
            table, rowid, amount, new = edit(outsider, rnd)
            problems = ws.check()
            assert problems, (table, rowid, amount, new)
            outsider.execute(f"UPDATE [{table}] SET [{AMOUNT_COLUMN[table]}] = ? WHERE id = ?", [amount, rowid])
        assert ws.check() == []  # edited back: no false alarm
        # the clerk-visible sum also moved while tampered: the control totals caught it too
        edit(outsider, rnd)
        assert any("Kontrollsummen" in problem for problem in ws.check())
    finally:
        outsider.close()
        ws.close()
        faulthandler.cancel_dump_traceback_later()


@pytest.mark.needs_tool("sqlite3", package="sqlite3")
def test_edits_with_the_sqlite3_tool_are_detected(small_template, tmp_path):
    path = tmp_path / "Datenbestand.paktdesk"
    rnd = random.Random(2002)
    for _ in range(TOOL_EDITS):
        shutil.copyfile(small_template, path)
        table = rnd.choice(list(AMOUNT_COLUMN))
        column = AMOUNT_COLUMN[table]
        statement = rnd.choice([
            f"UPDATE {table} SET {column} = {column} + 1 WHERE id = (SELECT max(id) FROM {table});",
            f"UPDATE {table} SET {column} = {column} * 2;",
            f"DELETE FROM {table} WHERE id = (SELECT min(id) FROM {table});",
            f"UPDATE control_totals SET sum_cents = sum_cents + 5 WHERE table_name = '{table}';",
        ])
        subprocess.run(["sqlite3", str(path), statement], check=True, capture_output=True, timeout=30)
        assert detected(path), statement
