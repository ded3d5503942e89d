"""Receipt import from files in the shapes municipal finance systems really export (issue 15):
an SAP-style Einzelpostenliste (title lines, "*" totals, trailing minus, Windows-1252), an
H&H/Infoma-style Buchungsjournal (Soll/Haben columns, "Summe" row, UTF-8 with BOM), a
DATEV-like list (Umsatz with S/H marker) and an XLSX Sachkontenblatt (title rows, Excel date
cells and day numbers, a =SUM row, a "Saldo" column that is no amount). Each file is written to
disk in its shape, imported through the workspace, and the counts, the net sum and the kept
document numbers are read back from the data file with plain SQL."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest
from money_helpers import raw, snapshot

from paktdesk.core.errors import ValidationError
from paktdesk.exchange import receipt_import as ri

SAP_LINES = [
    "Gemeinde Lindenbach, Kämmerei",
    "Buchungskreis 1000",
    "Einzelpostenliste Sachkonto 42710000",
    "Stand: 05.01.2024, 08:15 Uhr",
    "",
    "Belegnr;Belegdatum;Buchungsdatum;Text;Name 1;Kreditor;Betrag in HW;Sachkonto;Kostenstelle",
    "1900004711;05.03.23;06.03.23;Toner und Papier;Bürobedarf Müller GmbH;100234;1.234,56;42710000;KST 4711",
    "1900004712;07.03.23;07.03.23;Fahrkarte Stuttgart, Hin- und Rückfahrt;Deutsche Bahn AG;100876;45,20;"
    "42710000;KST 4711",
    "1900004790;20.03.23;21.03.23;Gutschrift Toner (Rücksendung);Bürobedarf Müller GmbH;100234;45,00-;"
    "42710000;KST 4711",
    "1900004801;02.04.23;03.04.23;Honorar Dolmetscherin Café-Abend;Ümit Yılmaz;100999;300,00;42710000;KST 4711",
    ";;;;;*;1.534,76;;",
    "",
    ";;;;;**;1.534,76;;",
]


def write(tmp_path, name: str, lines: list[str], encoding: str) -> object:
    path = tmp_path / name
    # a Windows-1252 export cannot carry every letter ("ı"): the finance system writes "?" instead
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding, errors="replace"))
    return path


def references(ws) -> dict[str, dict[str, object]]:
    """document number → the booked receipt's amount, list number and references, by plain SQL."""
    conn = raw(ws)
    try:
        rows = conn.execute(
            "SELECT r.document_number, b.amount_cents, printf('%s-%04d', b.list_kind, b.number), r.budget_line, r.account, "
            "r.cost_center, r.cash_ref, b.payee FROM receipt_references r JOIN receipts b ON b.id = r.receipt_id")
        return {row[0]: dict(amount=row[1], number=row[2], budget_line=row[3], account=row[4], cost_center=row[5],
                             cash_ref=row[6], payee=row[7]) for row in rows}
    finally:
        conn.close()


def booked_sum(ws) -> tuple[int, int]:
    conn = raw(ws)
    try:
        return conn.execute("SELECT count(*), ifnull(sum(amount_cents), 0) FROM receipts").fetchone()
    finally:
        conn.close()


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8-sig"])
def test_sap_einzelpostenliste_with_title_lines_totals_and_a_credit(small, tmp_path, encoding):
    ws = small.ws
    path = write(tmp_path, "Einzelposten 42710000.csv", SAP_LINES, encoding)
    preview = ws.preview_receipt_import(path, decision_id=small.im, default_category="S_BUERO")
    assert preview.header_line == 6 and preview.header_found
    assert preview.title_lines[0] == "Gemeinde Lindenbach, Kämmerei"  # its comma did not make the file comma-separated
    assert dict(preview.mapping) == {
        "receipt_date": "Belegdatum", "amount": "Betrag in HW", "payee": "Name 1", "purpose": "Text",
        "document_number": "Belegnr", "account": "Sachkonto", "cost_center": "Kostenstelle"}
    assert [r.status for r in preview.rows] == ["übernommen"] * 4 + ["übersprungen"] * 2
    assert preview.rows[2].row.amount_cents == -4_500 and "Gutschrift" in preview.rows[2].reason
    assert preview.rows[4].reason == "Summenzeile („*“): 1.534,76 €"
    assert preview.warnings == ()  # both totals match the rows above them
    assert preview.total_cents == 153_476

    change = ws.import_receipts(path, decision_id=small.im, default_category="S_BUERO")
    assert len(change.ids) == 4 and "1.534,76 €" in change.action
    assert booked_sum(ws) == (4, 153_476)
    refs = references(ws)
    assert sorted(refs) == ["1900004711", "1900004712", "1900004790", "1900004801"]
    assert refs["1900004790"]["amount"] == -4_500
    assert refs["1900004711"] | {"amount": 0} == dict(
        amount=0, number="S-0001", budget_line="", account="42710000", cost_center="KST 4711", cash_ref="",
        payee="Bürobedarf Müller GmbH")
    assert refs["1900004801"]["payee"] == ("Ümit Y?lmaz" if encoding == "cp1252" else "Ümit Yılmaz")
    assert ws.check() == []
    # the same export again: every row is found by its Belegnr., nothing is booked twice
    again = ws.preview_receipt_import(path, decision_id=small.im, default_category="S_BUERO")
    assert [r.status for r in again.rows[:4]] == ["übersprungen"] * 4
    assert "Belegnr. 1900004711 ist schon gebucht als S-0001" in again.rows[0].reason


def test_sap_list_with_name_1_in_cp1252_cannot_hold_turkish_letters():
    """A Windows-1252 file cannot carry "ı": the export tool replaces it; the reader takes what it gets."""
    data = "\r\n".join(SAP_LINES).encode("cp1252", errors="replace")
    rows = ri.parse_rows(table := ri.read_table(data, filename="x.csv"), ri.suggest_mapping(table.headers))
    assert rows[3].payee == "Ümit Y?lmaz"


JOURNAL_LINES = [
    "Buchungsjournal Haushaltsjahr 2023 – Produkt 1.3120 Integration",
    "Gemeinde Lindenbach; Kasse",
    "",
    "Buchungstag;Belegnummer;Haushaltsstelle;Kassenzeichen;Zahlungsempfänger;Buchungstext;Soll;Haben",
    "10.05.2023;2023/000123;1.3120.4271;0012345678;Volkshochschule Unterland e. V.;Sprachkurs A2 Teilnahmegebühr;"
    "1.200,00;",
    "11.05.2023;2023/000124;1.3120.4271;0012345679;Stadtwerke Lindenbach;Erstattung Nebenkosten Begegnungsraum;;"
    "150,00",
    "12.05.2023;RE-2023-0017;1.3120.4271;0012345680;Druckerei Weiß;Flyer „Willkommen“ (500 Stück);250,50;",
    "Summe;;;;;;1.450,50;150,00",
]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1252"])
def test_booking_journal_with_soll_haben_columns(small, tmp_path, encoding):
    ws = small.ws
    path = write(tmp_path, "Journal Mai 2023.csv", JOURNAL_LINES, encoding)
    preview = ws.preview_receipt_import(path, decision_id=small.im, default_category="S_SONST")
    assert preview.header_line == 4 and len(preview.title_lines) == 2
    assert {k: preview.mapping[k] for k in ("receipt_date", "debit", "credit", "document_number", "budget_line",
                                            "cash_ref", "payee", "purpose")} == {
        "receipt_date": "Buchungstag", "debit": "Soll", "credit": "Haben", "document_number": "Belegnummer",
        "budget_line": "Haushaltsstelle", "cash_ref": "Kassenzeichen", "payee": "Zahlungsempfänger",
        "purpose": "Buchungstext"}
    assert "amount" not in preview.mapping and "number" not in preview.mapping  # never PaktDesk's own numbering
    assert [r.row.amount_cents for r in preview.rows] == [120_000, -15_000, 25_050, 130_050]
    assert preview.rows[3].status == "übersprungen" and preview.warnings == ()
    ws.import_receipts(path, decision_id=small.im, default_category="S_SONST")
    assert booked_sum(ws) == (3, 130_050)
    refs = references(ws)
    assert refs["2023/000124"]["amount"] == -15_000
    assert refs["RE-2023-0017"]["cash_ref"] == "0012345680"  # leading zeros kept: text, not a number
    assert {r["budget_line"] for r in refs.values()} == {"1.3120.4271"}
    balance = ws.balance(small.im)
    assert balance.total.spent == 130_050  # the credit reduces the costs


def test_a_totals_row_that_does_not_match_is_shown(small, tmp_path):
    lines = [*JOURNAL_LINES[:-1], "Summe;;;;;;1.500,00;150,00"]
    preview = small.ws.preview_receipt_import(write(tmp_path, "j.csv", lines, "utf-8"), decision_id=small.im,
                                              default_category="S_SONST")
    assert preview.warnings == ("Zeile 8: Die Summenzeile der Datei (1.350,00 €) stimmt nicht mit der Summe der "
                                "gelesenen Zeilen darüber (1.300,50 €) überein. Bitte prüfen, ob im Export Zeilen "
                                "fehlen.",)
    assert preview.can_import  # shown, not an error of a receipt


def test_datev_like_list_with_an_s_h_marker(small, tmp_path):
    lines = [
        "Umsatz (ohne Soll/Haben-Kz);Soll/Haben-Kennzeichen;Belegdatum;Belegfeld 1;Buchungstext;Kreditor",
        "89,90;S;2023-06-01;4711;Moderationskoffer;Hahn GmbH",
        "19,90;H;2023-06-03;4712;Gutschrift Moderationskoffer;Hahn GmbH",
        "12,00;X;2023-06-04;4713;Porto;Deutsche Post",
    ]
    preview = small.ws.preview_receipt_import(write(tmp_path, "datev.csv", lines, "cp1252"), decision_id=small.im,
                                              default_category="S_BUERO")
    assert [r.row.amount_cents for r in preview.rows[:2]] == [8_990, -1_990]
    assert preview.rows[2].status == "fehlerhaft"
    assert preview.rows[2].messages() == [
        "Zeile 4, Spalte „Soll/Haben-Kennzeichen“: Das Soll/Haben-Kennzeichen „X“ ist weder S (Soll) noch H (Haben)."]


def test_xlsx_sachkontenblatt_with_title_rows_sum_formula_and_saldo(small, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Sachkontenblatt 42710000 Geschäftsausgaben"])
    sheet.append(["Gemeinde Lindenbach", None, "Zeitraum 01.01.2023 – 31.12.2023"])
    sheet.append([])
    sheet.append(["Belegdatum", "Belegnr.", "Kreditor", "Buchungstext", "Soll", "Haben", "Saldo", "Kostenstelle"])
    sheet.append([date(2023, 7, 3), 1900005001, "Bürobedarf Müller", "Ordner", 120.5, None, 120.5, 4711])
    sheet.append([45116, "1900005002", "Post", "Porto", 17.3, None, 137.8, 4711])  # 09.07.2023 as a day number
    sheet.append(["10.07.23", "1900005003", "Bürobedarf Müller", "Gutschrift Ordner", None, 20.0, 117.8, 4711])
    sheet.append([None, None, None, "Summe Sachkonto", "=SUM(E5:E7)", "=SUM(F5:F7)", None, None])
    path = tmp_path / "Sachkontenblatt.xlsx"
    book.save(path)
    _cache_formula_results(path, {"E8": 137.8, "F8": 20})

    preview = small.ws.preview_receipt_import(path, decision_id=small.im, default_category="S_BUERO")
    assert preview.kind == "XLSX" and preview.header_line == 4
    assert "Saldo" not in preview.mapping.values()
    assert [r.status for r in preview.rows] == ["übernommen"] * 3 + ["übersprungen"]
    assert [r.row.receipt_date for r in preview.rows[:3]] == [date(2023, 7, 3), date(2023, 7, 9), date(2023, 7, 10)]
    assert preview.rows[3].reason == "Summenzeile (Summenformel): 117,80 €"
    assert preview.warnings == ()
    small.ws.import_receipts(path, decision_id=small.im, default_category="S_BUERO")
    assert booked_sum(small.ws) == (3, 11_780)
    assert {k: v["cost_center"] for k, v in references(small.ws).items()} == {
        "1900005001": "4711", "1900005002": "4711", "1900005003": "4711"}


def _cache_formula_results(path, values: dict[str, float]) -> None:
    """openpyxl writes formulas without their results; Excel and LibreOffice store both. Put the
    results in as those programs do (``<c><f>SUM(…)</f><v>137.8</v></c>``)."""
    import re
    import shutil
    import zipfile

    source = path.with_suffix(".tmp")
    shutil.move(path, source)
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            content = old.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = content.decode()
                for ref, value in values.items():
                    text = re.sub(rf'(<c r="{ref}"[^>]*>)<f>(.*?)</f>(<v>\s*</v>|<v/>)?', rf"\1<f>\2</f><v>{value}</v>",
                                  text)
                content = text.encode()
            new.writestr(info, content)
    source.unlink()


def test_the_header_row_found_and_the_one_the_clerk_picks(small, tmp_path):
    lines = ["Liste nach Belegdatum und Betrag", "", "Buchungsdatum;Betrag;Empfänger;Zweck", "01.08.2023;5,00;Post;Porto"]
    path = write(tmp_path, "x.csv", lines, "utf-8")
    found = small.ws.preview_receipt_import(path, decision_id=small.im, default_category="S_BUERO")
    assert found.header_line == 3 and found.title_lines == ("Liste nach Belegdatum und Betrag",)
    # a header in words no finance system uses: not recognised, the clerk names the row
    odd = write(tmp_path, "odd.csv", ["Export vom 01.09.2023", "Tag;Wert;An;Wofür", "01.08.2023;5,00;Post;Porto"],
                "utf-8")
    table = ri.read_table(odd.read_bytes(), filename=odd.name)
    assert not table.header_found and table.header_line == 1
    chosen = small.ws.preview_receipt_import(
        odd, decision_id=small.im, default_category="S_BUERO", header_row=2,
        mapping_changes={"receipt_date": "Tag", "amount": "Wert", "payee": "An", "purpose": "Wofür"})
    assert chosen.header_line == 2 and [r.status for r in chosen.rows] == ["übernommen"]
    with pytest.raises(ri.ImportFileError, match="Kopfzeile \\(Zeile 2\\) ist leer"):
        small.ws.preview_receipt_import(path, decision_id=small.im, header_row=2)


@pytest.mark.parametrize("amount,message", [
    ("9" * 5000, "zu viele Stellen"), ("١٢٣,٤٥", "Ziffern 0–9"), ("１２３,４５", "Ziffern 0–9"), ("12,50 ¥", "kein gültiger"),
])
def test_absurd_amounts_are_german_errors_at_the_row_and_nothing_is_written(small, amount, message):
    ws = small.ws
    data = f"Belegdatum;Betrag;Empfänger;Zweck\n01.08.2023;5,00;Post;Porto\n02.08.2023;{amount};Post;Porto\n".encode()
    before = snapshot(ws)
    preview = ws.preview_receipt_import(data, filename="x.csv", decision_id=small.im, default_category="S_BUERO")
    assert preview.rows[1].status == "fehlerhaft"
    assert preview.rows[1].messages()[0].startswith("Zeile 3, Spalte „Betrag“: ")
    assert message in preview.rows[1].messages()[0]
    with pytest.raises(ValidationError, match="nichts gespeichert"):
        ws.import_receipts(data, filename="x.csv", decision_id=small.im, default_category="S_BUERO")
    assert snapshot(ws) == before


def _xlsx_with_shared_strings(texts: list[str]) -> bytes:
    """A minimal workbook as Excel and LibreOffice write it: every text in xl/sharedStrings.xml
    (openpyxl itself writes inline strings)."""
    import io
    import zipfile
    from xml.sax.saxutils import escape

    rows = "".join(f'<row r="{n}"><c r="A{n}" t="s"><v>{n - 1}</v></c></row>' for n in range(1, len(texts) + 1))
    parts = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships'
        '+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
        'PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        'relationships"><Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet '
        'name="Tabelle1" sheetId="1" r:id="r1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        'package/2006/relationships"><Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="r2" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
        '</Relationships>',
        "xl/worksheets/sheet1.xml": '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        f'spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>',
        "xl/sharedStrings.xml": '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        f'2006/main" count="{len(texts)}" uniqueCount="{len(texts)}">'
        + "".join(f"<si><t>{escape(t)}</t></si>" for t in texts) + "</sst>",
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def test_an_xlsx_with_too_much_shared_text_is_refused_before_parsing(monkeypatch):
    small_book = _xlsx_with_shared_strings(["Belegdatum", "Betrag"])
    assert ri.read_table(small_book, filename="x.xlsx").headers == ("Belegdatum",)  # the handmade file is valid
    big = _xlsx_with_shared_strings([f"Zweck {n} " + "x" * 200 for n in range(200)])
    monkeypatch.setattr(ri, "MAX_SHARED_STRINGS", 20_000)  # the real budget is 32 MB; the rule is the same
    with pytest.raises(ri.ImportFileError, match="zu viel Text"):
        ri.read_table(big, filename="viel.xlsx")


def test_two_digit_years_excel_day_numbers_and_compact_dates():
    assert ri.parse_import_date("05.03.24", label="Das Belegdatum") == date(2024, 3, 5)
    assert ri.parse_import_date("5.3.99", label="Das Belegdatum") == date(2099, 3, 5)
    assert ri.parse_import_date(45356, label="Das Belegdatum") == date(2024, 3, 5)
    assert ri.parse_import_date("45356", label="Das Belegdatum") == date(2024, 3, 5)
    assert ri.parse_import_date("20240305", label="Das Belegdatum") == date(2024, 3, 5)
    assert ri.parse_import_date("05.03.2024 00:00:00", label="Das Belegdatum") == date(2024, 3, 5)
    with pytest.raises(ValidationError, match="Excel-Tageszahl"):
        ri.parse_import_date(1234.5, label="Das Belegdatum")


def test_saved_profile_is_chosen_by_the_header_and_a_partial_map_adds_to_it(small, tmp_path):
    ws = small.ws
    lines = ["Datum der Rechnung;Wert;Firma;Vermerk;Interne Nr", "01.09.2023;10,00;A;eins;K-1",
             "02.09.2023;20,00;B;zwei;K-2"]
    path = write(tmp_path, "eigen.csv", lines, "utf-8")
    with pytest.raises(ri.ImportFileError, match="keine Spalte für „Belegdatum“"):
        ws.preview_receipt_import(path, decision_id=small.im, default_category="S_BUERO")
    changes = {"receipt_date": "Datum der Rechnung", "amount": "Wert", "payee": "Firma", "purpose": "Vermerk"}
    preview = ws.preview_receipt_import(path, decision_id=small.im, default_category="S_BUERO",
                                        mapping_changes=changes)
    assert dict(preview.mapping) == changes and preview.can_import
    ws.import_receipts(path, decision_id=small.im, default_category="S_BUERO",
                       mapping_changes={**changes, "document_number": "Interne Nr"}, save_profile="Kasse Eigenformat")
    assert sorted(references(ws)) == ["K-1", "K-2"]
    ws.import_receipts(write(tmp_path, "other.csv", ["Belegdatum;Betrag;Empfänger;Zweck", "03.09.2023;1,00;C;drei"],
                             "utf-8"), decision_id=small.im, default_category="S_BUERO")
    # the last-used mapping is now the other file's; the profile still wins for a file of its shape
    later = write(tmp_path, "eigen2.csv", [lines[0], "04.09.2023;30,00;D;vier;K-3"], "utf-8")
    preview = ws.preview_receipt_import(later, decision_id=small.im, default_category="S_BUERO")
    assert preview.profile == "Kasse Eigenformat"
    assert preview.mapping["document_number"] == "Interne Nr" and preview.can_import
    with pytest.raises(ri.ImportFileError, match="Spaltenprofil „Gibt es nicht“"):
        ws.preview_receipt_import(later, decision_id=small.im, profile="Gibt es nicht")


@pytest.mark.needs_tool("pdftotext", package="poppler-utils")
def test_the_belegliste_prints_the_finance_systems_reference_and_the_credit(small, tmp_path):
    import subprocess

    ws = small.ws
    ws.import_receipts(write(tmp_path, "sap.csv", SAP_LINES, "utf-8"), decision_id=small.im,
                       default_category="S_BUERO")
    pdf = tmp_path / "Nachweis.pdf"
    ws.print_proof_of_use(small.im, pdf, draft=True, with_receipt_lists=True)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = " ".join(text.split())
    # the reference is its own line(s) under the purpose, wrapped within the column
    assert flat.count("Buchung: Belegnr. 1900004") == 4 and flat.count("Sachkonto 42710000 · KSt. KST 4711") == 4
    assert "Buchung: Belegnr. 1900004790" in flat and "-45,00 €" in flat
    assert "S-0001" in flat  # PaktDesk's own numbering stays beside the finance system's number
    assert "1.534,76 €" in flat  # the list's total: the credit reduces it


def test_imported_credits_travel_in_the_exchange_file(small, tmp_path):
    """A credit is a receipt with a negative amount, not a reversal: the exchange file carries it
    and the reader (schema and semantic checks, as the Kreis runs them) accepts it."""
    from paktdesk.exchange.json_export import write_json
    from paktdesk.exchange.json_import import read_file

    ws = small.ws
    ws.import_receipts(write(tmp_path, "j.csv", JOURNAL_LINES, "utf-8"), decision_id=small.im,
                       default_category="S_SONST")
    path = tmp_path / "lindenbach.json"
    write_json(ws.exchange_document(), path)
    sent = read_file(path)
    amounts = sorted(r["amount_cents"] for r in sent.document["tables"]["receipts"])
    assert amounts == [-15_000, 25_050, 120_000]
