"""Open the CSV and XLSX exports with LibreOffice (headless, Debian package libreoffice-calc-nogui)
as a German user would, and check that umlauts, amounts, dates, leading zeros and neutralised
formulas arrive intact. Skipped where LibreOffice is not installed, except on CI (conftest.py)."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from datetime import datetime

import openpyxl
import pytest
from exchange_builders import build, gemeinde_data

from paktdesk.exchange.csv_export import write_csv_zip
from paktdesk.exchange.xlsx_export import write_xlsx

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = [pytest.mark.slow, pytest.mark.needs_tool("soffice", "libreoffice", package="libreoffice-calc-nogui")]
GERMAN_CSV = "CSV:59,34,76,1,,1031"  # ';', '"', UTF-8, from line 1, standard columns, German (decimal comma)


def _convert(tmp_path, files, *, infilter: str | None = None):
    out = tmp_path / "lo"
    command = [SOFFICE, f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless",
               "--convert-to", "xlsx", "--outdir", str(out)]
    if infilter:
        command.insert(3, f"--infilter={infilter}")
    subprocess.run([*command, *map(str, files)], check=True, capture_output=True, timeout=180)
    return out


@pytest.fixture
def hostile_document():
    return build(gemeinde_data(text="=1+2", payee="Bäckerei Müller; „Groß“", last_name="Weiß-Öztürk",
                               note="-5 % Rabatt", narrative="Zeile 1\nZeile 2"))


def test_libreoffice_reads_the_csv_like_german_excel(tmp_path, hostile_document):
    archive = tmp_path / "export.zip"
    write_csv_zip(hostile_document, archive)
    with zipfile.ZipFile(archive) as zipped:
        zipped.extract("11_belege.csv", tmp_path)
        zipped.extract("02_personen.csv", tmp_path)
    out = _convert(tmp_path, [tmp_path / "11_belege.csv", tmp_path / "02_personen.csv"], infilter=GERMAN_CSV)
    sheet = openpyxl.load_workbook(out / "11_belege.xlsx", data_only=True).active
    header = [c.value for c in sheet[1]]
    row, reversal = ([c for c in r] for r in sheet.iter_rows(min_row=2, max_row=3))
    col = {h: i for i, h in enumerate(header)}
    assert row[0].value == "08125081" and row[0].data_type == "s"  # leading zero kept
    assert row[col["Betrag (EUR)"]].value == 123.45 and row[col["Betrag (EUR)"]].data_type == "n"
    assert reversal[col["Betrag (EUR)"]].value == -123.45
    assert row[col["Belegdatum"]].value == datetime(2023, 5, 2)
    assert row[col["Empfänger"]].value == "Bäckerei Müller; „Groß“"
    assert row[col["Zweck"]].data_type == "s" and row[col["Zweck"]].value.endswith("=1+2")  # text, not 3
    persons = openpyxl.load_workbook(out / "02_personen.xlsx", data_only=True).active
    assert [c.value for c in persons[2]][3] == "Weiß-Öztürk"


def test_libreoffice_opens_the_xlsx(tmp_path, hostile_document):
    source = tmp_path / "export.xlsx"
    write_xlsx(hostile_document, source)
    copy = tmp_path / "in" / "export.xlsx"
    copy.parent.mkdir()
    shutil.copy(source, copy)
    out = _convert(tmp_path, [copy])
    book = openpyxl.load_workbook(out / "export.xlsx", data_only=True)
    sheet = book["Belege"]
    header = [c.value for c in sheet[1]]
    row = [c for c in next(sheet.iter_rows(min_row=2, max_row=2))]
    col = {h: i for i, h in enumerate(header)}
    assert row[0].value == "08125081" and row[0].data_type == "s"
    assert row[col["Zweck"]].value == "=1+2" and row[col["Zweck"]].data_type == "s"
    assert row[col["Betrag (EUR)"]].value == 123.45
    assert row[col["Empfänger"]].value == "Bäckerei Müller; „Groß“"
    assert book["Personen"]["D2"].value == "Weiß-Öztürk"
    assert book["Sachberichte"]["D2"].value == "Zeile 1\nZeile 2"
    assert book["Info"]["B8"].value == "08125081"


def test_number_like_texts_stay_text_in_libreoffice_with_german_settings(tmp_path):
    """A Kassenzeichen "0012345678", a payee "0815", a purpose "1,5" or "1.5" arrive as the
    texts they are, not as 12345678, 815, 1,5 or the 1st of May; amounts stay numbers."""
    import dataclasses

    data = gemeinde_data(text="1,5", payee="0815")
    data = dataclasses.replace(data, payments=[dataclasses.replace(data.payments[0], cash_ref="0012345678"),
                                               *data.payments[1:]])
    data = dataclasses.replace(data, receipts=[dataclasses.replace(data.receipts[0], purpose="1.5"),
                                               *data.receipts[1:]])
    archive = tmp_path / "export.zip"
    write_csv_zip(build(data), archive)
    with zipfile.ZipFile(archive) as zipped:
        zipped.extract("11_belege.csv", tmp_path)
        zipped.extract("10_zahlungen.csv", tmp_path)
    out = _convert(tmp_path, [tmp_path / "11_belege.csv", tmp_path / "10_zahlungen.csv"], infilter=GERMAN_CSV)
    receipts = openpyxl.load_workbook(out / "11_belege.xlsx", data_only=True).active
    col = {c.value: i for i, c in enumerate(receipts[1])}
    first, second = receipts[2], receipts[3]
    assert (first[col["Empfänger"]].value, first[col["Empfänger"]].data_type) == ("0815", "s")
    assert (first[col["Zweck"]].value, first[col["Zweck"]].data_type) == ("1.5", "s")
    assert (second[col["Zweck"]].value, second[col["Zweck"]].data_type) == ("1,5", "s")
    assert first[col["Betrag (EUR)"]].value == 123.45 and first[col["Betrag (EUR)"]].data_type == "n"
    payments = openpyxl.load_workbook(out / "10_zahlungen.xlsx", data_only=True).active
    pcol = {c.value: i for i, c in enumerate(payments[1])}
    cash = payments[2][pcol["Kassenzeichen"]]
    assert (cash.value, cash.data_type) == ("0012345678", "s")


def test_the_xlsx_prints_from_libreoffice_without_cut_text(tmp_path):
    """Printed (LibreOffice → PDF): the Info sheet's note in full, a long Sachbericht in full,
    long column names wrapped, wide tables at a readable scale instead of shrunk to one page."""
    import re as regex

    paragraphs = [f"{n}. Abschnitt: " + "Die Integrationsmanager:innen beraten Geflüchtete individuell. " * 3
                  for n in range(1, 7)]
    source = tmp_path / "in" / "export.xlsx"
    source.parent.mkdir()
    write_xlsx(build(gemeinde_data(narrative="\n".join(paragraphs) + "\nEnde des Berichts.")), source)
    profile = tmp_path / "lo-profile"
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path / "pdf"), str(source)], check=True, capture_output=True, timeout=180)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "pdf" / "export.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    flat = " ".join(text.split())
    assert "nicht länger als nötig aufbewahren." in flat  # the note's last words: not cut
    assert "6. Abschnitt:" in flat and "Ende des Berichts." in flat
    with zipfile.ZipFile(source) as book:
        sheets = {name: book.read(name).decode() for name in book.namelist() if name.startswith("xl/worksheets/")}
    scales = [int(s) for xml in sheets.values() for s in regex.findall(r'<pageSetup[^>]*scale="(\d+)"', xml)]
    assert scales and min(scales) >= 65  # wide sheets: 65 %, never shrunk below
