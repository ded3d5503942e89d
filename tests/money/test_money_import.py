"""Receipt import from the finance system's CSV/XLSX: German numbers and dates, encodings,
column mapping remembered, preview with per-row errors, duplicates, all rows or none."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest
from money_helpers import snapshot

from paktdesk.core.errors import ValidationError
from paktdesk.exchange import receipt_import as ri

HEADER = "Belegdatum;Zahldatum;Betrag;Empfänger;Verwendungszweck;Kostenart;Person"


def csv_bytes(*lines: str, encoding: str = "utf-8", bom: bool = False) -> bytes:
    text = "\r\n".join([HEADER, *lines]) + "\r\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding)


GOOD = [
    "05.03.2023;06.03.2023;1.234,56 €;Bürobedarf Müller GmbH;Toner und Papier;Büro- und Sachmittel;Keller, Sabine",
    '07.03.2023;;"12,50";Café Ümit;"Bewirtung; Infoabend";S_SONST;',
    "2023-03-08;;99;Deutsche Bahn;Fahrkarte Stuttgart;Reisekosten;Sabine Keller",
    "09.03.2023;10.03.2023;2.000,00 EUR;Gemeindekasse;Entgelt 03/2023;Entgelt/Bezüge;Keller",
]


@pytest.mark.parametrize("encoding,bom", [("utf-8", False), ("utf-8", True), ("cp1252", False)])
def test_csv_in_every_german_excel_encoding(encoding, bom):
    table = ri.read_table(csv_bytes(*GOOD, encoding=encoding, bom=bom), filename="export.csv")
    mapping = ri.suggest_mapping(table.headers)
    rows = ri.parse_rows(table, mapping)
    assert [r.errors for r in rows] == [()] * 4
    assert [r.amount_cents for r in rows] == [123_456, 1_250, 9_900, 200_000]
    assert rows[0].payee == "Bürobedarf Müller GmbH" and rows[1].payee == "Café Ümit"
    assert rows[1].purpose == "Bewirtung; Infoabend"
    assert rows[2].receipt_date == date(2023, 3, 8) and rows[0].paid_on == date(2023, 3, 6)
    assert rows[0].budget_year == 2023
    assert table.encoding == ("Windows-1252" if encoding == "cp1252" else "UTF-8")


@pytest.mark.parametrize("text,cents", [
    ("1.234,56", 123_456), ("-12,50", -1_250), ("12,50 €", 1_250), ("12,5", 1_250), ("1234,56", 123_456),
    ("12,50-", -1_250), ("(3,00)", -300), ("1 234,56", 123_456), ("0,01", 1), ("+7", 700),
])
def test_german_amounts(text, cents):
    assert ri.parse_import_amount(text) == cents


@pytest.mark.parametrize("text,message", [
    ("12.50", "Dezimalpunkt"), ("1.234", "mehrdeutig"), ("1,234.56", "kein gültiger Betrag"),
    ("abc", "kein gültiger Betrag"), ("1,234", "kein gültiger Betrag"), ("€", "kein Betrag"), ("12,50,1", "kein"),
])
def test_ambiguous_or_foreign_amounts_are_refused(text, message):
    with pytest.raises(ValidationError, match=message):
        ri.parse_import_amount(text)


@pytest.mark.parametrize("text", ["32.01.2023", "01.13.2023", "1.1.123", "2023/01/05", "01.01.1999", "morgen",
                                  "31.02.24", "12345", "٠٥.٠٣.٢٠٢٤", "０５.０３.２０２４"])
def test_bad_dates_are_refused(text):
    with pytest.raises(ValidationError, match="Datum|2000 bis 2100|Ziffern 0–9"):
        ri.parse_import_date(text, label="Das Belegdatum")


def test_mixed_encodings_are_refused_with_the_line():
    data = csv_bytes(GOOD[0]) + "07.03.2023;;12,50;Café Ümit;Bewirtung;S_SONST;\r\n".encode("cp1252")
    with pytest.raises(ri.ImportFileError, match="mischt Zeichenkodierungen.*Zeile 3"):
        ri.read_table(data, filename="x.csv")


@pytest.mark.parametrize("data,filename,message", [
    (b"", "x.csv", "leer"), (b"   \r\n", "x.csv", "leer"), (b"PK\x03\x04garbage", "x.xlsx", "XLSX"),
    (b"a;b\x00;c\n1;2;3", "x.csv", "Nullbytes"), (b"PK\x03\x04", "x.csv", "Excel-Datei"), (b"abc", "x.xls", ".xls"),
    (b"\xef\xbb\xbfBelegdatum;Betrag\n\x81\x82", "x.csv", "mischt|Zeichenkodierung"),
])
def test_broken_files_raise_typed_german_errors(data, filename, message):
    with pytest.raises(ri.ImportFileError, match=message):
        ri.read_table(data, filename=filename)


def test_mapping_problems():
    table = ri.read_table(b"Datum;Summe\n01.02.2023;5,00\n", filename="x.csv")
    with pytest.raises(ri.ImportFileError, match="keine Spalte für „Empfänger“"):
        ri.parse_rows(table, ri.suggest_mapping(table.headers))
    with pytest.raises(ri.ImportFileError, match="Spalte „Gibtsnicht“"):
        ri.parse_rows(table, {"receipt_date": "Gibtsnicht", "amount": "Summe", "payee": "Summe", "purpose": "Summe"})
    doubled = ri.read_table(b"Betrag;Betrag;Datum;Text;Name\n1;2;01.01.2023;x;y\n", filename="x.csv")
    with pytest.raises(ri.ImportFileError, match="mehrfach"):
        ri.parse_rows(doubled, {"receipt_date": "Datum", "amount": "Betrag", "payee": "Name", "purpose": "Text"})


def _xlsx(tmp_path, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    path = tmp_path / "export.xlsx"
    book.save(path)
    return path


def test_xlsx_with_real_date_and_number_cells(tmp_path, small):
    path = _xlsx(tmp_path, [
        ["Buchungsdatum", "Betrag", "Kreditor", "Buchungstext", "Kostenart", "Haushaltsjahr"],
        [date(2023, 4, 3), 1234.56, "Bürobedarf Müller", "Ordner", "S_BUERO", 2023],
        ["04.04.2023", "17,30 €", "Post", "Porto", "S_BUERO", "2023"],
        [date(2023, 4, 5), 12.345, "Post", "Porto", "S_BUERO", 2023],
    ])
    preview = small.ws.preview_receipt_import(path, decision_id=small.im)
    assert preview.kind == "XLSX"
    assert [r.row.amount_cents for r in preview.rows[:2]] == [123_456, 1_730]
    assert preview.rows[2].errors and "mehr als zwei Nachkommastellen" in preview.rows[2].errors[0]
    assert not preview.can_import


def test_preview_shows_row_errors_and_import_writes_nothing(small):
    ws = small.ws
    data = csv_bytes(GOOD[0], "12.03.2023;;abc;Post;Porto;S_BUERO;", "01.01.2022;;5,00;Post;Porto;S_BUERO;",
                     "13.03.2023;;5,00;Post;Porto;S_BUERO;Außenvor", "14.03.2023;;5,00;Post;Porto;Unbekannt;")
    before = snapshot(ws)
    preview = ws.preview_receipt_import(data, filename="x.csv", decision_id=small.im)
    assert [r.status for r in preview.rows] == ["übernommen"] + ["fehlerhaft"] * 4
    messages = [m for r in preview.error_rows for m in r.messages()]
    assert messages[0].startswith("Zeile 3, Spalte „Betrag“: „abc“ ist kein gültiger Betrag")
    assert "Zeile 4: Das Belegdatum 01.01.2022 liegt außerhalb des Bewilligungszeitraums" in messages[1]
    assert "Zeile 5, Spalte „Person“: Die Person „Außenvor“ hat in diesem Bescheid keine Stelle." == messages[2]
    assert "Zeile 6, Spalte „Kostenart“: Unbekannte Kostenart „Unbekannt“." == messages[3]
    with pytest.raises(ValidationError, match="Import abgebrochen, es wurde nichts gespeichert: 4 Zeile"):
        ws.import_receipts(data, filename="x.csv", decision_id=small.im)
    assert snapshot(ws) == before


def test_import_books_all_rows_numbers_them_and_remembers_the_mapping(small):
    ws = small.ws
    data = ("Datum;Summe;Name;Text;Art\n"
            "05.03.2023;10,00;A;eins;S_BUERO\n06.03.2023;20,00;B;zwei;S_REISE\n07.03.2023;30,00;C;drei;P_ENTGELT\n"
            ).encode()
    mapping = {"receipt_date": "Datum", "amount": "Summe", "payee": "Name", "purpose": "Text", "cost_category": "Art"}
    change = ws.import_receipts(data, filename="x.csv", decision_id=small.im, mapping=mapping)
    assert len(change.ids) == 3 and "60,00 €" in change.action
    booked = sorted((str(r.list_kind), r.number, r.amount_cents) for r in ws.receipts(small.im))
    assert booked == [("P", 1, 3_000), ("S", 1, 1_000), ("S", 2, 2_000)]
    assert ws.import_mapping() == mapping
    again = ws.preview_receipt_import(data, filename="x.csv", decision_id=small.im)
    assert dict(again.mapping) == mapping  # remembered
    assert [r.status for r in again.rows] == ["übersprungen"] * 3
    assert all(r.reason.startswith("Dublette") for r in again.rows)
    assert not again.can_import
    with pytest.raises(ValidationError, match="keine neuen Belege"):
        ws.import_receipts(data, filename="x.csv", decision_id=small.im)
    ws.import_receipts(data, filename="x.csv", decision_id=small.im, skip_duplicates=False)
    assert len(ws.receipts(small.im)) == 6
    assert ws.check() == []
    audit = ws.audit_entries(entity="receipts")
    assert sum(1 for a in audit if a.action == "Belege importiert") == 3 + 3 + 2  # rows + summary entries


def test_duplicates_inside_the_file_and_against_booked_receipts(small):
    ws = small.ws
    ws.add_receipt(small.receipt())  # 10.05.2023, 123,45, Bürobedarf Müller, Toner
    data = csv_bytes("10.05.2023;;123,45;Bürobedarf Müller;Toner;S_BUERO;",
                     "11.05.2023;;5,00;Post;Porto;S_BUERO;", "11.05.2023;;5,00;post;PORTO;S_BUERO;")
    preview = ws.preview_receipt_import(data, filename="x.csv", decision_id=small.im)
    assert [r.status for r in preview.rows] == ["übersprungen", "übernommen", "übersprungen"]
    assert "schon gebucht als S-0001" in preview.rows[0].duplicate
    assert "Zeile 3" in preview.rows[2].duplicate
    change = ws.import_receipts(data, filename="x.csv", decision_id=small.im)
    assert len(change.ids) == 1 and "2 Dubletten übersprungen" in change.warnings[0]


def test_numbers_from_the_file_are_kept_and_clashes_are_errors(small):
    ws = small.ws
    # PaktDesk's own list number only from a column named for it, never from the finance system's Belegnummer
    data = ("Belegdatum;Betrag;Empfänger;Zweck;Kostenart;Nr. Belegliste\n"
            "05.03.2023;10,00;A;eins;S_BUERO;7\n06.03.2023;20,00;B;zwei;S_BUERO;\n").encode()
    ws.import_receipts(data, filename="x.csv", decision_id=small.im)
    assert sorted(r.number for r in ws.receipts(small.im)) == [1, 7]
    clash = ("Belegdatum;Betrag;Empfänger;Zweck;Kostenart;Nr. Belegliste\n"
             "07.03.2023;10,00;C;drei;S_BUERO;S-0007\n08.03.2023;10,00;D;vier;S_BUERO;2023-0001\n").encode()
    preview = ws.preview_receipt_import(clash, filename="x.csv", decision_id=small.im)
    assert "S-0007 ist schon vergeben" in preview.rows[0].errors[0]
    assert "keine ganze Zahl" in preview.rows[1].errors[0]
