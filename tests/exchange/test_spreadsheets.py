"""CSV and XLSX as German Excel reads them: BOM, ';', decimal comma, dates, text keys with
leading zeros, numbers as numbers, formulas neutralised in free text only."""

from __future__ import annotations

import io
import re
from datetime import datetime

import openpyxl
import pytest
from exchange_builders import build, euros_to_cents, gemeinde_data, read_csv_zip

from paktdesk.core.money import parse_cents
from paktdesk.exchange.csv_export import archive_members, unwrap_excel_text
from paktdesk.exchange.tables import restore
from paktdesk.exchange.xlsx_export import EVALUATION_SHEET, build_workbook

DATE = re.compile(r"^\d{2}\.\d{2}\.\d{4}$")


@pytest.fixture
def demo_zip(demo, tmp_path):
    out = tmp_path / "lindenbach.zip"
    demo.export("csv", out)
    return read_csv_zip(out)


@pytest.fixture
def demo_book(demo, tmp_path):
    out = tmp_path / "lindenbach.xlsx"
    demo.export("xlsx", out)
    return openpyxl.load_workbook(out)


def test_csv_files_open_as_german_excel_expects(demo_zip):
    assert "11_belege.csv" in demo_zip and "00_info.csv" in demo_zip and "99_kontrollsummen.csv" in demo_zip
    for name, (raw, rows) in demo_zip.items():
        assert raw.startswith(b"\xef\xbb\xbf"), name
        assert raw.endswith(b"\r\n") and raw.split(b"\n", 1)[0].endswith(b"\r"), name  # CRLF records
        assert len({len(r) for r in rows}) == 1, name  # ';' splits every line into the same columns
    header, *lines = demo_zip["11_belege.csv"][1]
    assert header[:4] == ["AGS Inhaber", "Nr.", "Bescheid-Nr.", "Belegnummer"]
    assert header[header.index("Betrag (EUR)")] == "Betrag (EUR)"


def test_csv_amounts_dates_and_keys(demo, demo_zip):
    header, *lines = demo_zip["11_belege.csv"][1]
    col = {h: i for i, h in enumerate(header)}
    amounts = [line[col["Betrag (EUR)"]] for line in lines]
    assert all(re.fullmatch(r"-?\d{1,3}(\.\d{3})*,\d{2}", a) for a in amounts)
    assert sum(parse_cents(a) for a in amounts) == demo.control_totals()["receipts"][1]
    assert all(DATE.match(line[col["Belegdatum"]]) for line in lines)
    assert {line[0] for line in lines} == {'="08125097"'}
    assert unwrap_excel_text(lines[0][0]) == "08125097"
    assert lines[0][col["Belegnummer"]] == "P-1"
    info = dict(demo_zip["00_info.csv"][1][1:])
    assert info["AGS"] == '="08125097"' and "personenbezogene" in info["Hinweis"]
    vza = demo_zip["03_stellenanteile.csv"][1]
    assert vza[1][vza[0].index("VZÄ")] in ("1,00", "0,50", "0,75")


def test_csv_neutralises_formulas_in_free_text_only():
    data = gemeinde_data(text="=HYPERLINK(\"http://x\";\"klick\")", payee="+49 711 1234", note="@SUMME(A1)",
                         narrative="-Bericht\nZeile 2; \"zitiert\"", last_name="'Apostroph")
    document = build(data)
    files = read_csv_zip(_zip_bytes(document))
    header, *lines = files["11_belege.csv"][1]
    col = {h: i for i, h in enumerate(header)}
    assert lines[0][col["Zweck"]] == "'=HYPERLINK(\"http://x\";\"klick\")"
    assert lines[0][col["Empfänger"]] == "'+49 711 1234"
    assert lines[1][col["Betrag (EUR)"]] == "-123,45"  # a negative amount stays a negative number
    assert restore(lines[0][col["Zweck"]]) == data.receipts[0].purpose
    narrative = files["17_sachberichte.csv"][1][1]
    assert restore(narrative[3]) == "-Bericht\nZeile 2; \"zitiert\""
    person = files["02_personen.csv"][1][1]
    assert person[3] == "''Apostroph" and restore(person[3]) == "'Apostroph"
    for _, rows in files.values():
        for row in rows[1:]:
            for value in row:
                if value.startswith(("=", "+", "@", "\t", "\r")):  # only Excel's text notation of a number-like text
                    assert value.startswith('="') and re.fullmatch(r"[-+(0-9][-+0-9 .,:/%€()eE]*",
                                                                   unwrap_excel_text(value)), value


def _zip_bytes(document) -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in archive_members(document):
            archive.writestr(name, data)
    return buffer.getvalue()


def test_xlsx_numbers_are_numbers_and_keys_are_text(demo, demo_book):
    assert demo_book.sheetnames[:2] == ["Info", EVALUATION_SHEET]
    assert "Belege" in demo_book.sheetnames and "Kontrollsummen" in demo_book.sheetnames
    sheet = demo_book["Belege"]
    header = [c.value for c in sheet[1]]
    col = {h: i for i, h in enumerate(header)}
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == 400
    first = rows[0]
    assert first[0].value == "08125097" and first[0].data_type == "s"
    assert first[col["Belegnummer"]].value == "P-1"
    amount = first[col["Betrag (EUR)"]]
    assert isinstance(amount.value, int | float) and "€" in amount.number_format
    assert isinstance(first[col["Belegdatum"]].value, datetime)
    assert first[col["Belegdatum"]].number_format == "DD.MM.YYYY"
    assert sum(euros_to_cents(r[col["Betrag (EUR)"]].value) for r in rows) == demo.control_totals()["receipts"][1]
    persons = demo_book["Personen"]
    assert [c.value for c in persons[1]][:4] == ["AGS Inhaber", "Nr.", "Vorname", "Nachname"]
    vza = demo_book["Stellenanteile"]["G2"]
    assert vza.value in (1, 0.5, 0.75) and vza.data_type == "n"


def test_xlsx_evaluation_sheet(demo, demo_book):
    sheet = demo_book[EVALUATION_SHEET]
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert cells[0][0] == "Auswertung Zeitraum"
    assert cells[2][:2] == ["AGS", "08125097"]
    header = next(row for row in cells if row[0] == "Kennzahl")
    assert header[-2:] == ["Summe Integrationsmanager:innen", "Antragsteller insgesamt"]
    year_row = next(i for i, row in enumerate(cells) if row[0] == "Jahr 2024")
    figure = next(row for row in cells[year_row:] if row[0] and row[0].strip() == "Beratene Personen insgesamt")
    persons = {f"{p.last_name}, {p.first_name}": p.id for p in demo.persons()}
    for title, value in zip(header[1:-2], figure[1:-2], strict=True):
        assert value == demo.key_figures(2024, persons[title])["beraten_gesamt"]
    assert figure[-2] == sum(figure[1:-2])
    assert figure[-1] == demo.key_figures(2024, None)["beraten_gesamt"]
    total_row = next(i for i, row in enumerate(cells) if row[0] and row[0].startswith("Zeitraum insgesamt"))
    both = next(row for row in cells[total_row:] if row[0] and row[0].strip() == "Beratene Personen insgesamt")
    assert both[-1] == demo.key_figures(2023, None)["beraten_gesamt"] + demo.key_figures(2024, None)["beraten_gesamt"]


def test_xlsx_free_text_never_becomes_a_formula():
    data = gemeinde_data(text="=1+2", payee="#NV", note="+49 711", narrative="Piep\x07 und \x1b Ende",
                         first_name="@Anna")
    out = io.BytesIO()
    build_workbook(build(data)).save(out)
    book = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    sheet = book["Belege"]
    header = [c.value for c in sheet[1]]
    purpose = sheet.cell(row=2, column=header.index("Zweck") + 1)
    assert purpose.value == "=1+2" and purpose.data_type == "s" and purpose.quotePrefix
    payee = sheet.cell(row=2, column=header.index("Empfänger") + 1)
    assert payee.value == "#NV" and payee.data_type == "s"
    amount = sheet.cell(row=3, column=header.index("Betrag (EUR)") + 1)
    assert amount.value == -123.45 and amount.data_type == "n"
    text = book["Sachberichte"].cell(row=2, column=4).value
    assert text == "Piep\ufffd und \ufffd Ende"
    assert book["Personen"].cell(row=2, column=3).value == "@Anna"
