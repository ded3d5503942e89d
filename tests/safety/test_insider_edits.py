"""Insider edits against an anchor (issue 17 §1): someone who has the file *and* the program
changes records that existed when an anchor was printed — amounts, dates, payees, deleted and
inserted rows, rewritten and truncated audit entries — and covers the traces as far as the
program allows: row hashes and control totals recomputed, triggers dropped and put back, the
chain entry of the record rewritten and every link after it recomputed, entries appended the way
PaktDesk appends them, or the whole chain built anew. Every one of more than 2,000 such edits is
detected against the anchor; the untouched file passes (no false alarm)."""

from __future__ import annotations

import random
import shutil
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from paktdesk.core import entities as e
from paktdesk.db import chain, chain_check
from paktdesk.db.connection import Store
from paktdesk.db.datafile import full_check
from paktdesk.db.integrity import AMOUNT_COLUMN, row_hash
from paktdesk.workspace import Workspace

TRIALS = 2100
STRATEGIES = ("leave", "entry", "append", "rebuild")
DATE_COLUMNS = {
    "decision_versions": "decided_on", "positions": "first_day", "payments": "received_on",
    "receipts": "receipt_date", "pass_throughs": "agreed_on", "pass_through_payments": "paid_on",
    "provider_proofs": "received_on", "third_party_funds": "received_on",
}
TEXT_COLUMNS = {"receipts": "payee", "payments": "cash_ref", "third_party_funds": "giver",
                "pass_throughs": "reference", "decision_versions": "note", "positions": "category"}


@pytest.fixture(scope="module")
def anchored(tmp_path_factory, small_template) -> tuple[bytes, str]:
    """The small Datenbestand with an anchor handed out (a printed Verwendungsnachweis) and some
    bookings after it: (the file's bytes, the anchor)."""
    path = tmp_path_factory.mktemp("anchored") / "Datenbestand.paktdesk"
    shutil.copyfile(small_template, path)
    ws = Workspace.open(path)
    try:
        anchor = ws.hand_out_anchor("Verwendungsnachweis 15.2-8712.23/0001")
        decision = ws.decisions()[0].id
        for index in range(3):  # bookings after the anchor are no change to what it covers
            ws.add_receipt(e.Receipt(None, decision, e.ListKind.MATERIAL, 0, ws.receipts(decision)[0].receipt_date,
                                     None, 2023, "Papierhaus", f"nachher {index}", "S_BUERO", 500 + index, None))
    finally:
        ws.close()
    return path.read_bytes(), anchor


def open_store(path: Path) -> Store:
    return Store(path, sqlite3.connect(f"file:{path}?mode=ro", uri=True), read_only=True)


# ------------------------------------------------------------------ the insider's tools
def columns(conn, table) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA table_info([{table}])")]


def read_row(conn, table, row_id) -> dict:
    cursor = conn.execute(f"SELECT * FROM [{table}] WHERE id = ?", [row_id])
    return dict(zip([d[0] for d in cursor.description], cursor.fetchone(), strict=True))


def without_triggers(conn, table, action) -> None:
    """Drop the table's triggers, act, create them again with the same SQL."""
    triggers = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?",
                            [table]).fetchall()
    for name, _ in triggers:
        conn.execute(f"DROP TRIGGER [{name}]")
    action()
    for _, sql in triggers:
        conn.execute(sql)


def recompute_money(conn, table, row_id=None) -> None:
    """The row's hash and the table's control totals as PaktDesk would have them."""
    if row_id is not None:
        row = read_row(conn, table, row_id)
        without_triggers(conn, table, lambda: conn.execute(
            f"UPDATE [{table}] SET row_hash = ? WHERE id = ?", [row_hash(table, row), row_id]))
    hashes = sum(int(h[:15], 16) for (h,) in conn.execute(f"SELECT row_hash FROM [{table}]")) % (1 << 62)
    conn.execute(
        f"UPDATE control_totals SET row_count = (SELECT count(*) FROM [{table}]), "
        f"sum_cents = (SELECT ifnull(sum([{AMOUNT_COLUMN[table]}]), 0) FROM [{table}]), hash_sum = ? "
        "WHERE table_name = ?", [hashes, table])


def entries(conn) -> list[list]:
    return [list(r) for r in conn.execute(
        "SELECT seq, source, row_id, op, digest, personal, salts FROM chain_entries ORDER BY seq")]


def write_chain(conn, rows: list[list]) -> None:
    """The chain replaced by ``rows`` (renumbered, every link recomputed)."""
    def rewrite():
        conn.execute("DELETE FROM chain_entries")
        previous = chain.GENESIS
        for seq, (_, source, row_id, op, digest, personal, salts) in enumerate(rows, start=1):
            previous = chain._link(previous, digest)
            conn.execute("INSERT INTO chain_entries VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                         [seq, source, row_id, op, digest, personal, salts, previous])
    without_triggers(conn, "chain_entries", rewrite)


def fresh_entry(conn, source, row_id, op) -> list:
    """A chain entry for the record as it is now, made with PaktDesk's own code."""
    store = Store(None, conn)
    row = None
    if op != "delete":
        table = source
        row = read_row(conn, table, row_id)
    seq = chain.append(store, source, row_id, op, row)
    made = list(conn.execute("SELECT seq, source, row_id, op, digest, personal, salts FROM chain_entries "
                             "WHERE seq = ?", [seq]).fetchone())
    without_triggers(conn, "chain_entries", lambda: conn.execute("DELETE FROM chain_entries WHERE seq = ?", [seq]))
    return made


def cover(conn, rng, strategy, source, row_id, op, anchor_seq) -> None:
    """Cover the traces of a change to (source, row_id) in the chain."""
    if strategy == "leave":
        return
    if strategy == "rebuild":
        without_triggers(conn, "chain_entries", lambda: conn.execute("DELETE FROM chain_entries"))
        chain.backfill(Store(None, conn), [t for t in AMOUNT_COLUMN])
        return
    if strategy == "append" and op == "insert":
        # a row appended the way PaktDesk appends is a booking after the anchor, not a change to
        # what the anchor covers (the insider could have booked it in the window): put it into
        # the anchored history instead
        strategy = "entry"
    if strategy == "append":
        chain.append(Store(None, conn), source, row_id, "update" if op == "change" else op,
                     None if op == "delete" else read_row(conn, source, row_id))
        return
    rows = entries(conn)  # "entry": make history look as if it had always been so
    if op == "delete":
        rows = [r for r in rows if (r[1], r[2]) != (source, row_id)]
    elif op == "insert":
        made = fresh_entry(conn, source, row_id, "insert")
        rows.insert(rng.randrange(anchor_seq), made)
    else:
        mine = [i for i, r in enumerate(rows) if (r[1], r[2]) == (source, row_id)]
        made = fresh_entry(conn, source, row_id, rows[mine[-1]][3])
        rows[mine[-1]][4:7] = made[4:7]
    write_chain(conn, rows)


# ------------------------------------------------------------------ the edits
def anchored_ids(conn, source, anchor_seq) -> list[int]:
    """Records of ``source`` that existed at the anchor and still exist."""
    return [r for (r,) in conn.execute(
        f"SELECT id FROM [{source}] WHERE id IN (SELECT row_id FROM chain_entries WHERE source = ? AND seq <= ?) "
        "ORDER BY id", [source, anchor_seq])]


def edit_money(conn, rng, strategy, anchor_seq) -> str:
    table = rng.choice([t for t in AMOUNT_COLUMN if anchored_ids(conn, t, anchor_seq)])
    row_id = rng.choice(anchored_ids(conn, table, anchor_seq))
    kind = rng.choice(["amount", "date", "text", "delete", "insert"])
    column = {"amount": AMOUNT_COLUMN[table], "date": DATE_COLUMNS.get(table),
              "text": TEXT_COLUMNS.get(table)}.get(kind)
    if kind in ("date", "text") and column is None:
        kind, column = "amount", AMOUNT_COLUMN[table]
    if kind == "delete":
        without_triggers(conn, table, lambda: conn.execute(f"DELETE FROM [{table}] WHERE id = ?", [row_id]))
        recompute_money(conn, table)
        cover(conn, rng, strategy, table, row_id, "delete", anchor_seq)
        return f"{table}:delete"
    if kind == "insert":
        row = read_row(conn, table, row_id)
        new_id = conn.execute(f"SELECT max(id) + 1000 FROM [{table}]").fetchone()[0]
        row.update(id=new_id, **{AMOUNT_COLUMN[table]: rng.randint(1, 10_000_000)})
        for unique in ("number", "version_no"):
            if unique in row:
                row[unique] = new_id
        if table == "cost_plan_items":
            row["cost_category"] = rng.choice(["S_BUERO", "S_HONORAR", "S_RAUM"])
        names = list(row)
        try:
            without_triggers(conn, table, lambda: conn.execute(
                f"INSERT INTO [{table}] ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})",
                list(row.values())))
        except sqlite3.IntegrityError:  # a cost plan already has that category: change the amount instead
            return edit_value(conn, rng, strategy, table, row_id, AMOUNT_COLUMN[table], anchor_seq)
        recompute_money(conn, table, new_id)
        cover(conn, rng, strategy, table, new_id, "insert", anchor_seq)
        return f"{table}:insert"
    return edit_value(conn, rng, strategy, table, row_id, column, anchor_seq)


def edit_value(conn, rng, strategy, table, row_id, column, anchor_seq) -> str:
    old = read_row(conn, table, row_id)[column]
    if column == AMOUNT_COLUMN[table]:
        new = rng.choice([1, 9_999_999, old + rng.choice([-1, 1, 100, 1_000_000]), 0])
        if new == old:
            new = old + 1
    elif column == "category":
        new = "c" if old != "c" else "a"
    elif column in DATE_COLUMNS.values():
        new = f"20{rng.randint(10, 29)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        if new == old:
            new = "2009-01-01"
    else:
        new = (old or "") + rng.choice([" GmbH", "x", " (neu)"])
    without_triggers(conn, table, lambda: conn.execute(f"UPDATE [{table}] SET [{column}] = ? WHERE id = ?",
                                                       [new, row_id]))
    recompute_money(conn, table, row_id)
    cover(conn, rng, strategy, table, row_id, "change", anchor_seq)
    return f"{table}:{'amount' if column == AMOUNT_COLUMN[table] else column}"


def edit_audit(conn, rng, strategy, anchor_seq) -> str:
    ids = anchored_ids(conn, "audit_log", anchor_seq)
    kind = rng.choice(["rewrite", "truncate", "delete"])
    if kind == "rewrite":
        row_id = rng.choice(ids)
        column = rng.choice(["user", "at", "action", "new", "old"])
        value = {"user": "jemand", "at": "2020-01-01T00:00:00+00:00", "action": "Beleg erfasst",
                 "new": '{"amount_cents": 1}', "old": '{"amount_cents": 2}'}[column]
        if read_row(conn, "audit_log", row_id)[column] == value:
            value = '{"x": 3}' if column in ("new", "old") else value + "!"
        without_triggers(conn, "audit_log", lambda: conn.execute(
            f"UPDATE audit_log SET [{column}] = ? WHERE id = ?", [value, row_id]))
        if strategy == "append":  # an audit entry is never rewritten by PaktDesk: put a new one instead
            strategy = "entry"
        cover(conn, rng, strategy, "audit_log", row_id, "change", anchor_seq)
        return f"audit:{column}"
    if kind == "truncate":
        count = rng.randint(1, 20)
        cut = ids[-count:]
    else:
        cut = [rng.choice(ids)]
    without_triggers(conn, "audit_log", lambda: conn.executemany("DELETE FROM audit_log WHERE id = ?",
                                                                 [[i] for i in cut]))
    if strategy in ("entry", "append"):
        rows = [r for r in entries(conn) if not (r[1] == "audit_log" and r[2] in set(cut))]
        write_chain(conn, rows)
    elif strategy == "rebuild":
        cover(conn, rng, "rebuild", "audit_log", cut[0], "delete", anchor_seq)
    return f"audit:{kind}"


def test_every_insider_edit_after_an_anchor_is_detected(anchored, tmp_path):
    data, anchor = anchored
    anchor_seq, _ = chain.parse_anchor(anchor)
    base = tmp_path / "Datenbestand.paktdesk"
    base.write_bytes(data)
    store = open_store(base)
    try:  # the untouched file: no false alarm
        assert full_check(store) == []
        assert chain_check.check_anchor(store, anchor).unchanged
    finally:
        store.conn.close()

    rng = random.Random(1717)
    kinds: Counter[str] = Counter()
    caught: Counter[str] = Counter()
    missed = []
    for trial in range(TRIALS):
        target = tmp_path / f"t{trial % 4}.paktdesk"
        target.write_bytes(data)
        strategy = STRATEGIES[trial % len(STRATEGIES)]
        conn = sqlite3.connect(target, isolation_level=None)
        conn.execute("PRAGMA synchronous = OFF")  # the insider's edit need not survive a power cut
        conn.execute("BEGIN")
        what = (edit_audit if rng.random() < 0.3 else edit_money)(conn, rng, strategy, anchor_seq)
        conn.execute("COMMIT")
        conn.close()
        kinds[f"{what}/{strategy}"] += 1
        store = open_store(target)
        try:
            report = chain_check.check_anchor(store, anchor)  # includes the whole check of the chain
            plain = [p for p in report.problems if "Prüfanker" not in p]
        finally:
            store.conn.close()
        if report.unchanged:
            missed.append((trial, what, strategy))
        if plain:
            caught["schon ohne Anker"] += 1
        if not report.on_chain:
            caught["Anker nicht auf der Kette"] += 1
        elif report.changed_since:
            caught["nach dem Anker geändert"] += 1
    print(f"\n{TRIALS} Insider-Änderungen nach dem Anker: {TRIALS - len(missed)} erkannt; {dict(caught)}")
    print(f"Arten: {len(kinds)}; je Strategie: {Counter(k.split('/')[1] for k in kinds.elements())}")
    assert not missed, missed[:10]
    assert TRIALS >= 2000
    # every kind of edit was tried with every way of covering it
    tried = {k.split("/")[0].split(":")[1] for k in kinds}
    assert {"amount", "receipt_date", "payee", "delete", "insert", "user", "new", "truncate"} <= tried
    assert {k.split("/")[1] for k in kinds} == set(STRATEGIES)
    # the cover-ups that recompute hashes and totals defeat the old check: the chain is what caught them
    assert caught["Anker nicht auf der Kette"] > 0 and caught["nach dem Anker geändert"] > 0


def test_a_rebuilt_chain_is_caught_only_by_the_anchor_and_a_backup_names_the_record(tmp_path, small_file):
    """The strongest cover-up (hashes, totals and the whole chain recomputed) passes every check
    inside the file; the printed anchor catches it, and a verified backup holding the anchor
    names the changed record."""
    ws = Workspace.open(small_file)
    try:
        anchor = ws.hand_out_anchor("Zwischennachweis")
        ws.make_backup(reason="manual")
    finally:
        ws.close()
    conn = sqlite3.connect(small_file, isolation_level=None)
    conn.execute("BEGIN")
    receipt = conn.execute("SELECT id FROM receipts WHERE reversal_of IS NULL ORDER BY id LIMIT 1 OFFSET 3").fetchone()[0]
    without_triggers(conn, "receipts", lambda: conn.execute(
        "UPDATE receipts SET amount_cents = 9999999 WHERE id = ?", [receipt]))
    recompute_money(conn, "receipts", receipt)
    without_triggers(conn, "chain_entries", lambda: conn.execute("DELETE FROM chain_entries"))
    without_triggers(conn, "chain_anchors", lambda: conn.execute("DELETE FROM chain_anchors"))
    chain.backfill(Store(None, conn), list(AMOUNT_COLUMN))
    conn.execute("COMMIT")
    conn.close()

    store = open_store(small_file)
    try:
        assert full_check(store) == []  # nothing inside the file can tell
    finally:
        store.conn.close()
    ws = Workspace.open(small_file, read_only=True)
    try:
        report = ws.check_anchor(anchor)
        assert not report.on_chain and not report.unchanged
        assert "liegt nicht auf der Prüfkette" in report.problems[0]
        assert any(f"Belege Nr. {receipt}" in p or "Sicherung" in p for p in report.problems), report.problems
        assert any("Sicherung" in p and "passt nicht mehr" in p for p in report.problems)
        assert any("passt nicht mehr" in p for p in ws.check())  # the plain check compares the backups too
    finally:
        ws.close()
