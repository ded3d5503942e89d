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
