"""Importer fuzzing (hypothesis, ≥ 2,000 examples per reader): whatever the bytes, only typed
German errors come out, and a failed import leaves the database exactly as it was."""

from __future__ import annotations

import io
import random
from datetime import date

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from money_helpers import fingerprint

from paktdesk.core.errors import PaktDeskError, ValidationError
from paktdesk.exchange import receipt_import as ri

MAPPING = {"receipt_date": "Belegdatum", "amount": "Betrag", "payee": "Empfänger", "purpose": "Zweck",
           "paid_on": "Zahldatum", "budget_year": "Haushaltsjahr", "cost_category": "Kostenart",
           "number": "Belegnummer", "person": "Person"}
HEADER = list(MAPPING.values())

cell_text = st.one_of(
    st.sampled_from(["", "05.03.2023", "31.02.2023", "2023-03-05", "1.234,56", "12.50", "-3,00", "12,50 €", "abc",
                     "S_BUERO", "Büro- und Sachmittel", "P_ENTGELT", "Keller, Sabine", "2023", "0", "7", "S-0001",
                     '"', ";", "\n", "\r", "\x00", "ä", "€", "=SUMME(A1)", "  ", "9" * 30]),
    st.text(max_size=12),
)
row = st.lists(cell_text, min_size=0, max_size=12)


def _csv(rows: list[list[str]], delimiter: str) -> str:
    def quote(cell: str) -> str:
        return '"' + cell.replace('"', '""') + '"' if any(c in cell for c in (delimiter, '"', "\n", "\r")) else cell

    return "\r\n".join(delimiter.join(quote(c) for c in r) for r in [HEADER, *rows])


def _read_and_parse(data: bytes, filename: str) -> list[ri.ImportRow] | None:
    try:
        table = ri.read_table(data, filename=filename)
        mapping = ri.suggest_mapping(table.headers, MAPPING)
        return ri.parse_rows(table, mapping)
    except ri.ImportFileError as err:
        assert isinstance(err, ValidationError) and str(err).strip()
        return None


@settings(max_examples=2000, deadline=None)
@given(
    structured=st.lists(row, max_size=8),
    delimiter=st.sampled_from([";", ";", "\t", ","]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
    noise=st.binary(max_size=40),
    raw_bytes=st.booleans(),
)
def test_csv_reader_raises_only_typed_german_errors(structured, delimiter, encoding, noise, raw_bytes):
    if raw_bytes:
        data = noise
    else:
        data = _csv(structured, delimiter).encode(encoding, errors="replace") + noise
    rows = _read_and_parse(data, "export.csv")
    for parsed in rows or []:
        assert all(isinstance(text, str) and text.strip() for text in parsed.errors)
        if parsed.skipped:  # totals, repeated headers, footers: no receipt, no error
            assert not parsed.errors
        elif parsed.ok:
            assert parsed.amount_cents != 0 and isinstance(parsed.receipt_date, date)
            assert 2000 <= parsed.budget_year <= 2100 and parsed.payee and parsed.purpose


def _xlsx_bytes() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for index in range(5):
        sheet.append([date(2023, 3, index + 1), 10.5 + index, f"Empfänger {index}", "Zweck", "01.04.2023", 2023,
                      "S_BUERO", index + 1, ""])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


XLSX = _xlsx_bytes()


@settings(max_examples=2000, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32 - 1), flips=st.integers(min_value=0, max_value=12),
       cut=st.integers(min_value=0, max_value=len(XLSX)))
def test_xlsx_reader_raises_only_typed_german_errors(seed, flips, cut):
    rnd = random.Random(seed)
    data = bytearray(XLSX[:cut] if flips == 0 else XLSX)
    for _ in range(flips):
        position = rnd.randrange(len(data))
        data[position] ^= 1 << rnd.randrange(8)
    rows = _read_and_parse(bytes(data), "export.xlsx")
    if flips == 0 and cut == len(XLSX):
        assert rows is not None and all(r.ok for r in rows)


good_row = st.builds(
    lambda day, cents, payee, purpose: [f"{day:%d.%m.%Y}", "", f"{cents // 100},{cents % 100:02d}", "2023", payee,
                                        purpose, "S_BUERO", "", ""],
    st.dates(min_value=date(2023, 1, 1), max_value=date(2023, 12, 31)),
    st.integers(min_value=1, max_value=10**8),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöüß ", min_size=1, max_size=10).filter(str.strip),
    st.sampled_from(["Toner", "Porto", "Fahrkarte", "Honorar"]),
)


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(good_row, min_size=1, max_size=6), bad=st.one_of(row, row, row, st.none()),
       position=st.integers(min_value=0, max_value=6))
def test_failed_import_leaves_the_database_exactly_as_it_was(small, rows, bad, position):
    ws = small.ws
    header = ["Belegdatum", "Zahldatum", "Betrag", "Haushaltsjahr", "Empfänger", "Zweck", "Kostenart",
              "Belegnummer", "Person"]
    body = [list(r) for r in rows]
    if bad is not None:
        body.insert(min(position, len(body)), (bad + [""] * 9)[:9])
    data = "\r\n".join(";".join(c.replace(";", ",").replace('"', "'").replace("\n", " ").replace("\r", " ")
                                for c in r) for r in [header, *body]).encode("utf-8")
    before = fingerprint(ws)
    try:
        preview = ws.preview_receipt_import(data, filename="x.csv", decision_id=small.im)
        change = ws.import_receipts(data, filename="x.csv", decision_id=small.im)
    except PaktDeskError as err:
        assert isinstance(err, ValidationError) and str(err).strip()
        assert fingerprint(ws) == before
        return
    assert not preview.error_rows
    after = fingerprint(ws)
    assert after[0][0][0] == before[0][0][0] + len(change.ids) == before[0][0][0] + len(preview.rows_to_import)


@pytest.mark.parametrize("data", [b"\x81\x8d\x8f\x90\x9d", b"\xff\xfe" + "Belegdatum;Betrag\n".encode("utf-16-le")[:-1]])
def test_undecodable_files(data):
    with pytest.raises(ri.ImportFileError, match="Zeichenkodierung"):
        ri.read_table(data, filename="x.csv")


def test_excel_unicode_text_utf16_is_read():
    text = "Belegdatum\tBetrag\tEmpfänger\tZweck\tKostenart\r\n05.03.2023\t1.234,56\tMüller\tToner\tS_BUERO\r\n"
    table = ri.read_table(b"\xff\xfe" + text.encode("utf-16-le"), filename="export.txt")
    rows = ri.parse_rows(table, ri.suggest_mapping(table.headers))
    assert table.encoding == "UTF-16" and rows[0].ok and rows[0].payee == "Müller" and rows[0].amount_cents == 123_456
