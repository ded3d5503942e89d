"""The audit trail: filters by period and entity, CSV export for the Rechnungsprüfungsamt."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

import pytest

from paktdesk.core import entities as e
from paktdesk.core.money import format_cents
from paktdesk.core.periods import Period
from paktdesk.workspace import Workspace
from paktdesk.workspace.safety import AUDIT_CSV_HEADER, neutralise


@pytest.fixture
def ws(small_file):
    workspace = Workspace.open_guarded(small_file)
    yield workspace
    workspace.close()


def read_csv(path):
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel shows umlauts right
    text = raw.decode("utf-8-sig")
    assert "\r\n" in text
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def test_filter_by_entity_and_period(ws):
    total = ws.audit_trail_count()
    receipts = ws.audit_trail_count(entity="receipts")
    assert receipts == 32 and 0 < receipts < total  # 30 receipts + a reversal (new row, note on the original)
    assert all(entry.entity == "receipts" for entry in ws.audit_trail(entity="receipts"))
    today = date.today()
    assert ws.audit_trail_count(period=Period(today, today + timedelta(days=1))) == total
    assert ws.audit_trail_count(period=Period(today - timedelta(days=30), today)) == 0
    page = ws.audit_trail(limit=5, offset=0)
    assert len(page) == 5 and page[0].id > page[-1].id  # newest first for the view
    one = ws.audit_trail(entity="persons", entity_id=1)
    assert len(one) == 1 and "Mustermann" in one[0].new
    assert ("receipts", "Beleg") in ws.audit_entities()


def test_csv_export_is_what_the_auditor_expects(ws, tmp_path):
    decision = ws.decisions()[0].id
    receipt = ws.receipts(decision)[1]
    ws.update_receipt(e.Receipt(**{**{f: getattr(receipt, f) for f in receipt.__dataclass_fields__},
                                   "payee": '=HYPERLINK("http://x";"klick")', "amount_cents": 2_465}))
    export = ws.export_audit_csv(tmp_path / "Protokoll.csv", entity="receipts")
    rows = read_csv(export.path)
    assert tuple(rows[0]) == AUDIT_CSV_HEADER
    assert export.entries == 33 and export.lines == len(rows) - 1
    changed = [row for row in rows[1:] if row[3] == "Beleg geändert"]
    by_field = {row[6]: row for row in changed}
    assert by_field["Empfänger"][7] == "Bürobedarf Schwäbisch GmbH"
    assert by_field["Empfänger"][8] == "'=HYPERLINK(\"http://x\";\"klick\")"  # neutralised, not run
    assert (by_field["Betrag"][7], by_field["Betrag"][8]) == (
        format_cents(receipt.amount_cents), "24,65 €")
    reversal = [row for row in rows[1:] if row[3] == "Beleg storniert" and row[6] == "Betrag"]
    assert reversal[0][8] == "-10,00 €"  # a negative amount stays an amount, not neutralised text
    assert by_field["Betrag"][4] == "Beleg"
    assert re.fullmatch(r"\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}:\d{2}", changed[0][1])  # German time
    created = [row for row in rows[1:] if row[3] == "Beleg erfasst" and row[6] == "Belegdatum"]
    assert created and re.fullmatch(r"\d{2}\.\d{2}\.20\d{2}", created[0][8])  # German dates
    assert all(len(row) == len(AUDIT_CSV_HEADER) for row in rows)


def test_export_replaces_an_old_file_completely(ws, tmp_path):
    target = tmp_path / "Protokoll.csv"
    target.write_text("alt", encoding="utf-8")
    ws.export_audit_csv(target, period=Period(date(2000, 1, 1), date(2000, 1, 2)))
    assert read_csv(target) == [list(AUDIT_CSV_HEADER)]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("=1+1", "'=1+1"), ("+49 711", "'+49 711"), ("-Rabatt", "'-Rabatt"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tTab", "'\tTab"), ("\rCR", "'\rCR"), ("Müller; \"Schmidt\"", "Müller; \"Schmidt\""),
])
def test_formula_like_text_is_neutralised(text, expected):
    assert neutralise(text) == expected


def test_the_audit_log_cannot_be_changed(ws):
    with pytest.raises(Exception, match="Änderungsprotokoll"):
        ws.store.conn.execute("UPDATE audit_log SET user = 'x'")
    with pytest.raises(Exception, match="Änderungsprotokoll"):
        ws.store.conn.execute("DELETE FROM audit_log")


def test_a_period_open_at_one_end_takes_every_entry_on_that_side(ws, tmp_path):
    """The print dialog's default leaves the start or the end open. Windows' localtime() ends in
    the year 3000 and starts in 1970: converting the open ends to local time raised OSError 22
    there, so printing the Änderungsprotokoll without an end date crashed."""
    total = ws.audit_trail_count()
    today = date.today()
    assert len(ws.audit_trail_data(first=today - timedelta(days=30)).lines) == total
    assert len(ws.audit_trail_data(last=today).lines) == total
    assert ws.audit_trail_data(first=today + timedelta(days=1)).lines == ()
    assert ws.audit_trail_data(last=today - timedelta(days=1)).lines == ()
    assert ws.audit_trail_count(period=Period(date(1, 1, 1), date(9999, 12, 31))) == total
    ws.print_audit_trail(today, None, None, tmp_path / "Änderungsprotokoll.pdf")
    assert (tmp_path / "Änderungsprotokoll.pdf").read_bytes().startswith(b"%PDF")
