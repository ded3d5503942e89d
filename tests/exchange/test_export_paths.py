"""The export's fast path against the way it was built before: receipts, payments and key
figures straight from rows (money rows checked while they are read), the document encoded once.

The reference is the earlier path, kept as ``exchange_data(via_objects=True)``: every row a core
object, sealed with ``content_sha256`` of the whole document. Both must give the same document,
byte for byte in canonical form, on the demo Gemeinde, on texts JSON must escape and on a
generated Kreis file; and the export must refuse a damaged Datenbestand with the very message
the full check gives."""

from __future__ import annotations

import importlib.util
import json
import sqlite3
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from paktdesk import __version__
from paktdesk.core import entities as e
from paktdesk.db import integrity
from paktdesk.db.background_check import BackgroundCheck
from paktdesk.exchange import document as doc
from paktdesk.exchange.errors import ExportRefusedError
from paktdesk.exchange.json_export import check_before_writing, serialize, write_json
from paktdesk.exchange.json_import import read_file
from paktdesk.workspace import Workspace

CREATED = datetime(2026, 11, 22, 8, 30, tzinfo=UTC)
PERIODS = [(None, None), (date(2023, 1, 1), date(2023, 12, 31)), (date(2020, 1, 1), date(2020, 12, 31))]
BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
# texts JSON escapes (quote, backslash, control characters) and characters it must not escape
TRICKY = ['Müller & Söhne "Büro"', "back\\slash", "tab\tnew\nline\r", "ctrl \x01\x1f\x7f", "line\u2028sep\u2029",
          "Emoji 🧾 ß ẞ ı", "'=SUMME(A1)", "ℌ\u00a0nbsp"]


def old_document(ws: Workspace, first=None, last=None) -> dict:
    """The document as the earlier path built it: objects, then records, sealed by encoding the
    whole document."""
    data = ws.exchange_data(first, last, via_objects=True)
    assert not data.records  # really the object path
    tables = doc._object_tables(data)
    document = {
        "format": doc.FORMAT_NAME, "format_version": doc.FORMAT_VERSION,
        "generator": {"name": "PaktDesk", "version": __version__},
        "created_at": CREATED.isoformat(timespec="seconds"),
        "owner": {"name": data.profile.name, "kind": str(data.profile.kind), "ags": data.profile.ags,
                  "funding_route": str(data.profile.funding_route), "kreis_name": data.profile.kreis_name},
        "period": {"first_day": first and first.isoformat(), "last_day": last and last.isoformat()},
        "tables": tables, "control_totals": doc.control_totals(tables),
    }
    if data.members:
        document[doc.MEMBERS] = [dict(member) for member in data.members]
    document["sha256"] = doc.content_sha256(document)
    return document


def assert_same_as_before(ws: Workspace, tmp_path: Path) -> None:
    for first, last in PERIODS:
        old = old_document(ws, first, last)
        new = ws.exchange_document(first, last, created_at=CREATED)
        assert not ws.exchange_data(first, last).receipts  # the new path built records from rows
        if first is None:
            assert old["tables"]["receipts"] and old["tables"]["payments"] and old["tables"]["key_figures"]
        assert doc.canonical_bytes(new) == doc.canonical_bytes(old)
        assert new["sha256"] == old["sha256"] == doc.content_sha256(new)
        assert new == old
        assert list(new) == list(old) and list(new["tables"]) == list(old["tables"])
        # the file: the same content as the earlier file (whose member order differed), read back
        target = tmp_path / "neu.json"
        write_json(new, target)
        assert json.loads(target.read_bytes()) == json.loads(serialize(old))
        assert read_file(target).document == old


def test_demo_gives_the_same_document_as_before(demo, tmp_path):
    assert_same_as_before(demo, tmp_path)


def test_texts_json_must_escape_give_the_same_document(demo, tmp_path):
    decision = next(d.id for d in demo.decisions() if d.file_number == "15.2-8712.23/1274")  # 2023–2024
    for number, text in enumerate(TRICKY):
        demo.add_receipt(e.Receipt(None, decision, e.ListKind.MATERIAL, 0, date(2023, 3, 1 + number), None, 2023,
                                   text, text[::-1], "S_BUERO", 1_000 + number), allow_duplicate=True)
    with demo.store.transaction():  # as stored by the storage layer, without the input's clean-up
        for number, text in enumerate(TRICKY):
            integrity.book_insert(demo.store, "receipts", {
                "decision_id": decision, "list_kind": "S", "number": 900 + number, "receipt_date": "2023-04-01",
                "paid_on": None, "budget_year": 2023, "payee": text, "purpose": text, "cost_category": "S_BUERO",
                "amount_cents": 5 + number, "person_id": None, "attachment_id": None, "reversal_of": None,
                "reversal_reason": text, "created_at": "2026-11-22T08:00:00+00:00"})
    assert demo.check() == []  # the money hashes built by SQLite agree for these texts too
    assert_same_as_before(demo, tmp_path)
    out = tmp_path / "export.json"
    demo.export("json", out)
    payees = {r["payee"] for r in read_file(out).document["tables"]["receipts"]}
    assert set(TRICKY) <= payees


def _generate_module():
    spec = importlib.util.spec_from_file_location("paktdesk_benchmarks_generate_paths", BENCH / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_generated_kreis_gives_the_same_document_as_before(tmp_path):
    generate = _generate_module()
    made = generate.generate(tmp_path / "kreis", generate.SMOKE)
    ws = Workspace.open(made.kreis_file)
    try:
        assert ws.counts()["receipts"] >= 200
        assert_same_as_before(ws, tmp_path)
        ws.import_gemeinde_files(made.gemeinde_files)  # the Kreis's file then holds its Gemeinden's files
        assert len(ws.exchange_document()[doc.MEMBERS]) == len(made.gemeinde_files) == 2
        assert_same_as_before(ws, tmp_path)
        # a contained file changed after its check: a document not sealed by the export's own
        # gathering checks every member's checksum again
        document = ws.exchange_document()
        document[doc.MEMBERS][1]["tables"]["receipts"][0]["purpose"] += "!"
        document["sha256"] = doc.content_sha256(document)
        with pytest.raises(ExportRefusedError, match=r"Prüfsumme \(SHA-256\) von „Export, enthaltene Datei 2 "):
            write_json(document, tmp_path / "geändert.json")
        assert not (tmp_path / "geändert.json").exists()
        # the export's own job trusts only the checksums it verified itself
        untouched = document[doc.MEMBERS][0]["sha256"]
        with pytest.raises(ExportRefusedError, match=r"Prüfsumme \(SHA-256\) von „Export, enthaltene Datei 2 "):
            check_before_writing(document, content_sha256=document["sha256"], checked_members=frozenset({untouched}))
        out = tmp_path / "kreis.json"
        summary = ws.export("json", out)
        document = read_file(out).document
        assert document["control_totals"]["receipts"]["count"] == ws.counts()["receipts"]
        assert document["sha256"] in summary
    finally:
        ws.close()


def test_the_file_holds_the_canonical_content_and_its_checksum(demo, tmp_path):
    out = tmp_path / "export.json"
    demo.export("json", out)
    data = out.read_bytes()
    document = json.loads(data)
    assert data.startswith(b'{"format":' + json.dumps(doc.FORMAT_NAME).encode())  # the members in their order
    assert data.endswith(b',"sha256":"' + document["sha256"].encode() + b'","signature":"'
                         + document["signature"].encode() + b'"}')  # the seal last: checksum, its signature
    assert doc.content_sha256(document) == document["sha256"]
    sha, file_bytes = doc.encode(document, sign=lambda _: document["signature"])
    assert sha == document["sha256"] and b"".join(file_bytes) == data  # one encoding, written as it is


def test_a_document_with_a_wrong_checksum_is_not_written(demo, tmp_path):
    out = tmp_path / "x.json"
    out.write_bytes(b"previous")
    document = demo.exchange_document()
    document["tables"]["receipts"][0]["purpose"] += " (geändert)"
    with pytest.raises(ExportRefusedError, match="Prüfsumme"):
        write_json(document, out)
    assert out.read_bytes() == b"previous"


def _tamper(ws: Workspace, *statements: str) -> None:
    conn = sqlite3.connect(ws.path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def _expected_refusal(ws: Workspace) -> str:
    problems = ws.check() + ws.check_gemeinde_imports()
    assert problems
    return ("Export abgebrochen: die Prüfung des Datenbestands ist fehlgeschlagen. Bitte zuerst die "
            "Ursache klären (ggf. Sicherung zurückspielen):\n" + "\n".join(f"  – {p}" for p in problems))


@pytest.mark.parametrize("statements", [
    # amounts changed behind PaktDesk's back, in rows whose id order differs from the export's order
    [("CREATE TEMP TABLE pair AS SELECT a.id AS x, b.id AS y FROM receipts a JOIN receipts b "
      "ON (a.decision_id, a.list_kind, a.number) < (b.decision_id, b.list_kind, b.number) AND a.id > b.id LIMIT 1"),
     "UPDATE receipts SET amount_cents = amount_cents + 1 WHERE id IN (SELECT x FROM pair UNION SELECT y FROM pair)"],
    ["UPDATE payments SET amount_cents = amount_cents + 100 WHERE id = (SELECT max(id) FROM payments)"],
    ["DELETE FROM receipts WHERE id = (SELECT max(id) FROM receipts)"],  # row gone: totals differ
    ["DELETE FROM control_totals WHERE table_name = 'positions'"],  # a small money table
    ["UPDATE receipts SET payee = 'Jemand anders' WHERE id = (SELECT min(id) FROM receipts)",
     "UPDATE pass_through_payments SET amount_cents = 1 WHERE id = (SELECT min(id) FROM pass_through_payments)"],
    ["UPDATE third_party_funds SET amount_cents = amount_cents + 1 WHERE id = (SELECT max(id) FROM third_party_funds)"],
], ids=["receipt-amounts", "payment", "receipt-deleted", "totals-missing", "text-and-pass-through", "not-exported"])
def test_money_damage_is_refused_with_the_full_checks_message(demo, tmp_path, statements):
    out = tmp_path / "lindenbach.json"
    out.write_bytes(b"old content")
    first = next(d.id for d in demo.decisions() if d.file_number == "15.2-8712.17/0815")  # 2017–2020
    demo.add_receipt(e.Receipt(None, first, e.ListKind.MATERIAL, 0, date(2018, 5, 2), None, 2018, "Papierhaus",
                               "Nachtrag", "S_BUERO", 1_234))  # the highest id, early in the export's order
    _tamper(demo, *statements)
    expected = _expected_refusal(demo)
    with pytest.raises(ExportRefusedError) as refused:
        demo.export("json", out)
    assert str(refused.value) == expected
    assert out.read_bytes() == b"old content"
    if "pair" in statements[0]:  # two rows the export reads in the other order than their ids
        assert "Belege: 2 Zeile(n) außerhalb von PaktDesk verändert" in expected


def test_an_index_that_no_longer_matches_its_table_is_refused(demo, tmp_path):
    """Found only by the full ``PRAGMA integrity_check`` (not by ``quick_check``), which the
    export runs on a connection of its own while it reads the rows."""
    demo.close()
    _tamper(demo, "PRAGMA writable_schema = ON",
            "UPDATE sqlite_master SET sql = replace(sql, '(cost_category)', '(payee)') "
            "WHERE name = 'receipts_category'")
    conn = sqlite3.connect(demo.path)
    assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok"
    conn.close()
    ws = Workspace.open(demo.path)
    try:
        expected = _expected_refusal(ws)
        assert "SQLite-Integritätsprüfung" in expected
        check = BackgroundCheck(ws.store)
        assert check.in_background  # the export's way: a connection and a thread of its own
        assert check.result() == (expected.split("\n", 1)[1].removeprefix("  – ").split("\n  – "), False)
        out = tmp_path / "x.json"
        with pytest.raises(ExportRefusedError) as refused:
            ws.export("json", out)
        assert str(refused.value) == expected
        assert not out.exists()
    finally:
        ws.close()


def test_the_check_runs_on_the_callers_connection_when_no_second_one_opens(demo, tmp_path):
    from paktdesk.db.connection import Store

    store = Store(tmp_path / "gibt-es-nicht.paktdesk", demo.store.conn)  # a path no connection can open
    check = BackgroundCheck(store)
    assert not check.in_background
    assert check.result() == ([], True)
    _tamper(demo, "UPDATE receipts SET amount_cents = amount_cents + 1 WHERE id = 1")
    assert BackgroundCheck(store).result() == ([], True)  # structure only: money is the export's own scan


def test_a_stopped_export_stops_its_check_too_and_never_counts_it_as_passed(demo, tmp_path):
    check = BackgroundCheck(demo.store, stopped=lambda: True)
    assert check.in_background
    problems, readable = check.result()
    assert not readable and problems == ["SQLite-Integritätsprüfung: die Datei ist beschädigt (OperationalError)."]
    demo.stop_reading_when(lambda: True)  # (what the window does when the export is cancelled)
    with pytest.raises(ExportRefusedError, match="Prüfung des Datenbestands ist fehlgeschlagen"):
        demo.export("json", tmp_path / "x.json")
    assert not (tmp_path / "x.json").exists()
