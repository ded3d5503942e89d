"""Receipt import of files a clerk saved with LibreOffice Calc (headless, Debian package
libreoffice-calc-nogui) in German settings: the finance system's XLSX opened and saved again as
CSV (";" and ",") and as XLSX (formulas with LibreOffice's cached results, shared strings).
Skipped where LibreOffice is not installed, except on CI (conftest.py)."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date

import openpyxl
import pytest
from money_helpers import raw

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = [pytest.mark.slow, pytest.mark.needs_tool("soffice", "libreoffice", package="libreoffice-calc-nogui")]

# LibreOffice's own settings for a German user: dates 03.07.2023, decimal comma, thousands dot
GERMAN_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>de-DE</value></prop></item>
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooLocale" oor:op="fuse"><value>de-DE</value></prop></item>
</oor:items>
"""
ROWS = [
    (date(2023, 7, 3), "1900005001", "Bürobedarf Müller", "Ordner, A4", 1234.5, None, "0012345678"),
    (date(2023, 7, 9), "1900005002", "Post", "Porto", 17.3, None, "0012345679"),
    (date(2023, 7, 10), "1900005003", "Bürobedarf Müller", "Gutschrift Ordner", None, 20, "0012345680"),
]
NET = 123_450 + 1_730 - 2_000


def finance_export(path) -> None:
    """An XLSX Sachkontenblatt as the finance system writes it: title rows, number formats, sums."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Sachkontenblatt 42710000"])
    sheet.append(["Gemeinde Lindenbach, Kämmerei"])
    sheet.append([])
    sheet.append(["Belegdatum", "Belegnr.", "Kreditor", "Buchungstext", "Soll", "Haben", "Kassenzeichen"])
    for row in ROWS:
        sheet.append(list(row))
    for row in sheet.iter_rows(min_row=5, max_row=7):
        row[0].number_format = "DD.MM.YYYY"
        row[4].number_format = row[5].number_format = "#,##0.00"
    sheet.append([None, None, None, "Summe", "=SUM(E5:E7)", "=SUM(F5:F7)", None])
    book.save(path)


def save_with_libreoffice(tmp_path, source, target_filter: str, extension: str):
    profile = tmp_path / "lo-profile"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(GERMAN_PROFILE, encoding="utf-8")
    out = tmp_path / f"lo-{extension}-{abs(hash(target_filter))}"
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
                    target_filter, "--outdir", str(out), str(source)], check=True, capture_output=True, timeout=180)
    return out / f"{source.stem}.{extension}"


def booked(ws) -> tuple[int, int, list[str]]:
    conn = raw(ws)
    try:
        count, total = conn.execute("SELECT count(*), ifnull(sum(amount_cents), 0) FROM receipts").fetchone()
        kept = [row[0] for row in conn.execute("SELECT cash_ref FROM receipt_references ORDER BY cash_ref")]
        return count, total, kept
    finally:
        conn.close()


@pytest.mark.parametrize("target_filter,separator", [
    ("csv:Text - txt - csv (StarCalc):59,34,76,1", ";"),  # ";" as German Excel writes it
    ("csv:Text - txt - csv (StarCalc):44,34,76,1", ","),  # LibreOffice's own default separator
])
def test_csv_saved_by_libreoffice_in_german_settings(small, tmp_path, target_filter, separator):
    source = tmp_path / "Sachkontenblatt.xlsx"
    finance_export(source)
    csv_path = save_with_libreoffice(tmp_path, source, target_filter, "csv")
    text = csv_path.read_text(encoding="utf-8")
    assert "03.07.2023" in text and ("1.234,50" in text)  # German settings took
    preview = small.ws.preview_receipt_import(csv_path, decision_id=small.im, default_category="S_BUERO")
    assert preview.header_line == 4 and len(preview.title_lines) == 2
    assert [r.status for r in preview.rows] == ["übernommen"] * 3 + ["übersprungen"]
    assert preview.warnings == ()  # LibreOffice's computed sum matches the rows
    small.ws.import_receipts(csv_path, decision_id=small.im, default_category="S_BUERO")
    assert booked(small.ws) == (3, NET, ["0012345678", "0012345679", "0012345680"])


def test_xlsx_saved_again_by_libreoffice_with_its_cached_sums(small, tmp_path):
    source = tmp_path / "Sachkontenblatt.xlsx"
    finance_export(source)
    resaved = save_with_libreoffice(tmp_path, source, "xlsx:Calc MS Excel 2007 XML", "xlsx")
    preview = small.ws.preview_receipt_import(resaved, decision_id=small.im, default_category="S_BUERO")
    assert [r.status for r in preview.rows] == ["übernommen"] * 3 + ["übersprungen"]
    assert preview.rows[3].reason == "Summenzeile (Summenformel): 1.231,80 €"
    assert [r.row.receipt_date for r in preview.rows[:3]] == [row[0] for row in ROWS]
    small.ws.import_receipts(resaved, decision_id=small.im, default_category="S_BUERO")
    assert booked(small.ws) == (3, NET, ["0012345678", "0012345679", "0012345680"])
