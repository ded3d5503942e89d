"""Export → import round trips with hostile text (umlauts, ß, quotes, ';', line breaks, emoji,
leading zeros, leading = + - @, control characters) and negative amounts: the JSON gives back
identical records, every CSV cell converts back to its value, XLSX keeps text as text."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import openpyxl
import pytest
from exchange_builders import (
    build,
    gemeinde_data,
    make_kreis,
    read_csv_zip,
    write_document,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paktdesk.core.money import parse_cents
from paktdesk.core.periods import parse_date
from paktdesk.core.validation import parse_vza
from paktdesk.exchange.csv_export import archive_members, unwrap_excel_text
from paktdesk.exchange.document import TABLES
from paktdesk.exchange.json_export import serialize
from paktdesk.exchange.json_import import read_bytes
from paktdesk.exchange.tables import COLUMNS, FILE_NAMES, restore, rows
from paktdesk.exchange.xlsx_export import SHEET_NAMES, build_workbook, clean_text

PIECES = ["ä", "Ö", "ü", "ß", "ẞ", '"', "'", "„zitiert“", ";", ",", "\n", "\r\n", "\r", "\t", "=", "+", "-", "@",
          "=SUMME(A1:A9)", "+49 711", "-5", "@cmd", "0", "007", "08125097", "😀", "€", "\u2028", "\x07", "#NV",
          "_x0041_", " ", "'=1"]
piece = st.one_of(st.sampled_from(PIECES), st.text(st.characters(exclude_categories=("Cs",)), max_size=6))
hostile = st.lists(piece, min_size=1, max_size=6).map("".join).filter(bool)
amounts = st.integers(min_value=-10**12, max_value=10**12)


def csv_value(kind: str, cell: str):
    if cell == "":
        return None
    if kind == "int":
        return int(cell)
    if kind == "cents":
        return parse_cents(cell)
    if kind == "vza":
        return parse_vza(cell)
    if kind == "date":
        return parse_date(cell).isoformat()
    if kind == "bool":
        return cell == "ja"
    if kind == "key":
        return unwrap_excel_text(cell)
    return restore(unwrap_excel_text(cell))  # a number-like text comes as ="0815"


def assert_csv_gives_back(document: dict) -> None:
    files = read_csv_zip(_zip(document))
    for index, table in enumerate(TABLES, start=1):
        header, *lines = files[f"{index:02d}_{FILE_NAMES[table]}.csv"][1]
        records = list(rows(document, table))
        assert len(lines) == len(records), table
        for line, (ags, record) in zip(lines, records, strict=True):
            assert unwrap_excel_text(line[0]) == ags
            for column, cell in zip(COLUMNS[table], line[1:], strict=True):
                expected = column.value(record)
                if column.kind == "text" and expected is not None:
                    expected = str(expected)
                back = csv_value(column.kind, cell)
                assert back == (expected if expected != "" else None), (table, column.header, cell)


def _zip(document: dict) -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in archive_members(document):
            archive.writestr(name, data)
    return buffer.getvalue()


def _data(texts, amount):
    text, payee, first, last, narrative, note, number = texts
    return gemeinde_data(text=text, payee=payee, first_name=first, last_name=last, narrative=narrative, note=note,
                         file_number=number, amount=amount)


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.tuples(*[hostile] * 7), amount=amounts)
def test_json_and_csv_round_trip(texts, amount):
    document = build(_data(texts, amount))
    back = read_bytes(serialize(document), name="rund.json").document
    assert back == document
    receipt = back["tables"]["receipts"][0]
    assert (receipt["purpose"], receipt["payee"], receipt["amount_cents"]) == (texts[0], texts[1], amount)
    assert back["tables"]["receipts"][1]["amount_cents"] == -amount
    assert back["tables"]["persons"][0]["last_name"] == texts[3]
    assert back["tables"]["narrative_reports"][0]["text"] == texts[4]
    assert back["owner"]["ags"] == "08125081"
    assert_csv_gives_back(document)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.tuples(*[hostile] * 7), amount=amounts)
def test_xlsx_round_trip(texts, amount):
    document = build(_data(texts, amount))
    buffer = io.BytesIO()
    build_workbook(document).save(buffer)
    book = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    for table in ("receipts", "persons", "narrative_reports", "payments", "decisions"):
        sheet = book[SHEET_NAMES[table]]
        records = list(rows(document, table))
        for line, (ags, record) in zip(sheet.iter_rows(min_row=2), records, strict=True):
            assert line[0].value == ags and line[0].data_type == "s"
            for column, cell in zip(COLUMNS[table], line[1:], strict=True):
                value = column.value(record)
                if value is None or value == "":
                    assert cell.value is None
                elif column.kind in ("text", "key"):
                    assert cell.data_type == "s" and cell.value == clean_text(str(value))
                elif column.kind == "cents":
                    assert cell.data_type == "n"
                    assert int((Decimal(str(cell.value)) * 100).to_integral_value()) == value
                elif column.kind == "date":
                    assert cell.value.date().isoformat() == value


@pytest.fixture(scope="module")
def shared_kreis(tmp_path_factory):
    ws = make_kreis(tmp_path_factory.mktemp("kreis") / "kreis.paktdesk")
    yield ws
    ws.close()


_clock = iter(datetime(2025, 1, 1, tzinfo=UTC) + timedelta(minutes=i) for i in range(10**6))


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(texts=st.tuples(*[hostile] * 7), amount=amounts)
def test_round_trip_through_a_kreis_datenbestand(shared_kreis, tmp_path_factory, texts, amount):
    document = build(_data(texts, amount), created_at=next(_clock))
    path = write_document(document, tmp_path_factory.mktemp("in") / "gemeinde.json")
    shared_kreis.import_gemeinde_files([path])
    (stored,) = shared_kreis.gemeinde_imports()
    assert stored["file_sha256"] == document["sha256"]
    assert shared_kreis.gemeinde_document(stored["id"]) == document
    assert date.fromisoformat(stored["first_day"] or "2000-01-01")  # whole-file imports keep NULL
