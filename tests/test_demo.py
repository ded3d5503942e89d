"""The demo Datenbestand: realistic, complete, passes every check, and the same every time."""

import contextlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from paktdesk.core.validation import check_ags, check_iban
from paktdesk.demo import create_demo

ROOT = Path(__file__).resolve().parents[1]
TIMESTAMPS = {"created_at", "recorded_at", "updated_at", "at", "applied_at", "done_on", "made_at"}  # done_on: when marked
DERIVED_FROM_TIMESTAMPS = {"row_hash", "hash_sum",  # row hashes cover created_at
                           # the hash chain commits to the rows with their times, personal values
                           # with random salts; its anchors are codes of its links
                           "digest", "link", "personal", "salts", "code"}


def _mask(value):
    if isinstance(value, dict):
        return {k: "<Zeit>" if k in TIMESTAMPS else _mask(v) for k, v in value.items()
                if k not in DERIVED_FROM_TIMESTAMPS}
    if isinstance(value, list):
        return [_mask(v) for v in value]
    return value


def content(path: Path) -> dict[str, list]:
    """Every table's rows in order, with timestamps (also inside audit JSON) masked."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        result = {}
        for table in tables:
            cursor = conn.execute(f"SELECT * FROM [{table}] ORDER BY rowid")
            names = [d[0] for d in cursor.description]
            rows = []
            for values in cursor:
                row = dict(zip(names, values, strict=True))
                for key in ("old", "new"):
                    if table == "audit_log" and row[key] is not None:
                        row[key] = _mask(json.loads(row[key]))
                rows.append(_mask(row))
            result[table] = rows
        return result


def test_demo_is_complete_and_passes_every_check(demo_ws):
    assert demo_ws.check() == []
    counts = demo_ws.counts()
    assert 4 <= counts["persons"] <= 6
    assert counts["receipts"] >= 200
    assert counts["decisions"] == 2 and counts["pass_throughs"] >= 1 and counts["narrative_reports"] == 1
    profile = demo_ws.profile()
    assert check_ags(profile.ags) == (profile.ags, [])  # in Baden-Württemberg
    assert check_iban(profile.iban) == profile.iban
    free = [p for p in demo_ws.providers() if p.kind == "frei"]
    assert len(free) == 2
    years = sorted(v.first_day.year for d in demo_ws.decisions() for v in demo_ws.versions(d.id))
    assert years[0] == 2017 and years[-1] == 2023
    assert any(demo_ws.requalifications(p.id) for p in demo_ws.persons())


def test_two_demos_are_identical_apart_from_timestamps(demo_ws, demo_path, tmp_path):
    demo_ws.close()
    # the second one from another process: another hash seed, another moment
    other = tmp_path / "Zweite.paktdesk"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
           "PYTHONHASHSEED": "12345"}
    result = subprocess.run([sys.executable, "-m", "paktdesk", "--data", str(other), "demo"], env=env,
                            capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert result.returncode == 0, result.stderr
    first, second = content(demo_path), content(other)
    assert first.keys() == second.keys()
    for table in first:
        assert first[table] == second[table], table
    assert len(first["receipts"]) >= 200


def test_masking_does_not_hide_real_differences(demo_ws, demo_path, tmp_path):
    demo_ws.close()
    copy = tmp_path / "Kopie.paktdesk"
    create_demo(copy).close()
    with contextlib.closing(sqlite3.connect(copy)) as conn, conn:
        conn.execute("UPDATE persons SET first_name = 'Sabina' WHERE first_name = 'Sabine'")
    assert content(demo_path)["persons"] != content(copy)["persons"]


def test_the_board_on_the_demo_day_shows_only_what_is_open_then(demo_ws):
    """Deadlines before DEMO_TODAY were dealt with by the clerk (proof of use 2017 sent, key figures
    reported); nothing is overdue, the current decision's items are still open, and the window's
    board shows the demo as on that day."""
    from paktdesk.core.deadlines import Urgency
    from paktdesk.demo import DEMO_TODAY

    board = {i.key: i for i in demo_ws.deadlines(DEMO_TODAY)}
    first, second = sorted(d.id for d in demo_ws.decisions())
    assert not [i.key for i in board.values() if i.urgency == Urgency.OVERDUE]
    assert board[f"verwendungsnachweis:{first}"].urgency == Urgency.DONE
    assert demo_ws.proof_submissions(first) == []  # marked done: the 2017 bookings stay editable
    for year in (2020, 2023, 2024):
        assert board[f"kennzahlen:{year}"].urgency == Urgency.DONE
    open_keys = {i.key for i in board.values() if i.urgency.is_open}
    assert {f"verwendungsnachweis:{second}", "kennzahlen:2025"} <= open_keys
    assert all(i.due >= DEMO_TODAY for i in board.values() if i.urgency.is_open)
    assert demo_ws.setting("demo_today") == DEMO_TODAY.isoformat()


def test_the_demo_has_third_party_money(demo_ws):
    """The Landkreis co-finances one integration manager with 5.000 € a year (Drittmittel)."""
    second = max(d.id for d in demo_ws.decisions())
    assert demo_ws.third_party_totals(second) == {"planned": 1_000_000, "received": 1_000_000}
    rows = demo_ws.third_party_funds(second)
    assert {r.giver for r in rows} == {"Landkreis Heilbronn"} and len({r.person_id for r in rows}) == 1
    assert demo_ws.balance(second).total.third_party == 1_000_000
