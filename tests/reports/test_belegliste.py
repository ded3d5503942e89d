"""Beleglisten: page breaks with Übertrag, long and hostile texts, 0, 1 and 10,000 receipts."""

from __future__ import annotations

import re
import subprocess
from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from report_helpers import DECISION_2023, PRINTED_ON, PdfText

from paktdesk.core import entities as e
from paktdesk.core.money import format_cents
from paktdesk.reports.belegliste import (
    HEADER,
    column_widths,
    heading_for,
    plan_pages,
    receipt_list_story,
)
from paktdesk.reports.fonts import BOLD, REGULAR, register_fonts
from paktdesk.reports.layout import LANDSCAPE, frame_size
from paktdesk.reports.model import ReceiptLine, ReceiptList

HOSTILE_PAYEE = '<b>x</b> & <img src="/etc/passwd"/>'
HOSTILE_PURPOSE = '<font color="red">rot</font> <para> &amp; &#x41; </i> unbalanced <a href="file:///etc/passwd">'


def _new_decision(ws, file_number: str) -> int:
    rules = next(r for r in ws.rule_sets() if r.code == "VwV2023")
    ws.create_decision(
        e.Decision(None, e.FundingArea.LANGUAGE, "Landratsamt Musterkreis", file_number),
        e.DecisionVersion(None, 0, 0, e.VersionKind.ORIGINAL, date(2024, 1, 10), date(2024, 1, 1),
                          date(2024, 12, 31), 2_000_000, rules.id))
    decision = ws.decision_by_file_number(file_number)
    ws.save_narrative(decision, "Sachbericht des Antragstellers.")  # a final proof of use needs one
    return decision


def _receipt(decision: int, day: date, payee: str, purpose: str, cents: int, category: str = "S_SONST") -> e.Receipt:
    return e.Receipt(None, decision, e.ListKind.MATERIAL, 0, day, day, day.year, payee, purpose, category, cents)


def _sql_sum(ws, decision: int, category: str) -> int:
    return sum(r.amount_cents for r in ws.receipts(decision) if r.cost_category == category)


def test_decision_without_receipts_prints_a_notice(demo, tmp_path):
    decision = _new_decision(demo, "SPR-2024/0")
    out = tmp_path / "vn.pdf"
    result = demo.print_proof_of_use(decision, out, printed_on=PRINTED_ON, with_receipt_lists=True)
    pdf = PdfText.read(out)
    assert "Für diesen Zeitraum sind keine Belege erfasst." in pdf.text
    assert "Keine Ausgaben gebucht" in pdf.text
    assert f"Seite {result.pages} von {result.pages}" in pdf.pages[-1]
    assert format_cents(2_000_000) in pdf.pages[0]
    assert "Kennzahlen" not in pdf.text  # key figures belong to Integrationsmanagement only


def test_decision_with_one_receipt(demo, tmp_path):
    decision = _new_decision(demo, "SPR-2024/1")
    demo.add_receipt(_receipt(decision, date(2024, 3, 5), "Volkshochschule Lindenbach", "Sprachkurs A1", 123_456))
    out = tmp_path / "vn.pdf"
    demo.print_proof_of_use(decision, out, printed_on=PRINTED_ON, with_receipt_lists=True)
    pdf = PdfText.read(out)
    page = pdf.pages[pdf.find_pages("Belegliste Sachausgaben: Sonstige Sachausgaben")[0]]
    assert pdf.row_amounts(page) == [123_456]
    assert pdf.labelled(page, "Summe Sonstige Sachausgaben") == 123_456 == _sql_sum(demo, decision, "S_SONST")
    assert "Übertrag" not in pdf.text


def test_hostile_texts_print_literally_and_open_no_file(demo, tmp_path):
    decision = demo.decision_by_file_number(DECISION_2023)
    day = date(2024, 5, 2)
    demo.add_receipt(_receipt(decision, day, HOSTILE_PAYEE, HOSTILE_PURPOSE, 4_711))
    demo.add_receipt(_receipt(decision, day, "GROẞHANDEL Müller & Söhne", "Straße, Maß, Größe: äöüÄÖÜß", 99))
    demo.save_narrative(decision, "1. Ausgangslage\n<img src=\"/etc/passwd\"/> & <b>fett?</b>\n\n"
                                  "<font color='red'>kein Markup</font> </para> &nbsp;")
    out = tmp_path / "vn.pdf"
    demo.print_proof_of_use(decision, out, printed_on=PRINTED_ON, with_receipt_lists=True)
    pdf = PdfText.read(out)
    flat = pdf.flat()
    for text in (HOSTILE_PAYEE, HOSTILE_PURPOSE, "GROẞHANDEL Müller & Söhne", "Straße, Maß, Größe: äöüÄÖÜß",
                 '<img src="/etc/passwd"/> & <b>fett?</b>', "<font color='red'>kein Markup</font> </para> &nbsp;"):
        assert re.sub(r"\s+", "", text) in flat, text
    reader = PdfReader(str(out))
    assert all(not page.images for page in reader.pages)
    assert b"/Subtype /Image" not in out.read_bytes()


def test_long_texts_wrap_inside_their_cells_and_nothing_is_lost(demo, tmp_path):
    decision = _new_decision(demo, "SPR-2024/long")
    payee = "Arbeitsgemeinschaft der Sprachkursträger im Landkreis Musterkreis und Umgebung e. V. (Geschäftsstelle Süd)"
    purpose = " ".join(f"Wort{i}" for i in range(40)) + " " + "Donaudampfschifffahrtsgesellschaft" * 6
    assert len(purpose) <= 500
    demo.add_receipt(_receipt(decision, date(2024, 2, 1), payee, purpose, 50_000))
    out = tmp_path / "vn.pdf"
    demo.print_proof_of_use(decision, out, printed_on=PRINTED_ON, with_receipt_lists=True)
    pdf = PdfText.read(out)
    flat = pdf.flat()
    assert re.sub(r"\s+", "", payee) in flat
    assert re.sub(r"\s+", "", purpose) in flat


def test_a_receipt_taller_than_a_page_continues_on_extra_rows(tmp_path):
    purpose = "\n".join(f"Zeile {i}: Nachweis der Teilnahme" for i in range(160))
    lines = [ReceiptLine(date(2024, 1, 1), "S-0001", "Kurzer Empfänger", purpose, 1_000),
             ReceiptLine(date(2024, 1, 2), "S-0002", "Zweiter", "normal", 2_000)]
    story = receipt_list_story(ReceiptList("S_SONST", "Sonstige Sachausgaben", "Sachausgaben", lines),
                               heading=heading_for(ReceiptList("S_SONST", "Sonstige", "Sachausgaben", lines), "Test"))
    out = tmp_path / "tall.pdf"
    _build(out, story)
    pdf = PdfText.read(out)
    for i in range(160):
        assert f"Zeile {i}: Nachweis der Teilnahme" in pdf.text
    assert pdf.labelled(pdf.text, "Summe Sonstige Sachausgaben") == 3_000
    assert "(Forts.)" in pdf.text


def _build(out, story):
    from paktdesk.reports.layout import FormDocument, PageHead
    from paktdesk.reports.model import Letterhead

    head = PageHead(Letterhead("Gemeinde Test", "Gemeinde", "08111000", PRINTED_ON), "Test", "AZ 1")
    return FormDocument(str(out), head, first=LANDSCAPE).render(story)


def test_every_column_and_header_fits_the_landscape_page():
    register_fonts()
    from reportlab.pdfbase.pdfmetrics import stringWidth

    widths = column_widths()
    width, _ = frame_size(LANDSCAPE)
    assert sum(widths) <= width + 0.01
    for label, column_width in zip(HEADER, widths, strict=True):
        assert stringWidth(label, BOLD, 8) <= column_width - 6, label
    for sample, column in (("31.12.2024", 1), ("P-9999", 2), ("31.12.2024", 3), ("2024", 4),
                           ("-9.999.999,99 €", 8)):
        assert stringWidth(sample, REGULAR, 8) <= widths[column] - 6, sample


@pytest.mark.needs_tool("pdftotext", package="poppler-utils")
def test_no_word_is_printed_beyond_the_right_margin(demo, tmp_path):
    decision = demo.decision_by_file_number(DECISION_2023)
    demo.add_receipt(_receipt(decision, date(2024, 5, 2), "X" * 200, "Y" * 500, 1))
    out = tmp_path / "vn.pdf"
    demo.print_proof_of_use(decision, out, printed_on=PRINTED_ON, with_receipt_lists=True)
    html = subprocess.run(["pdftotext", "-bbox", str(out), "-"], check=True, capture_output=True,
                          text=True).stdout
    pages = re.findall(r'<page width="([\d.]+)" height="[\d.]+">(.*?)</page>', html, re.S)
    assert pages
    for page_width, body in pages:
        right = max(float(x) for x in re.findall(r'xMax="([\d.]+)"', body))
        assert right <= float(page_width) - 15 * 72 / 25.4 + 1  # right margin 15 mm


def test_ten_thousand_receipts_carry_every_sum_to_the_cent(demo, tmp_path):
    decision = demo.decision_by_file_number(DECISION_2023)
    start = date(2023, 1, 1)
    with demo.batch():
        for i in range(10_000):
            day = start + timedelta(days=(i * 37) % 730)
            purpose = f"Sachkosten Nr. {i}" + (" mit einer längeren Beschreibung, die in der Spalte umbrechen muss"
                                               if i % 97 == 0 else "")
            demo.add_receipt(_receipt(decision, day, f"Lieferant {i % 41} GmbH", purpose,
                                      (i * 7919) % 90_000 + 1))
    out = tmp_path / "vn.pdf"
    result = demo.print_proof_of_use(decision, out, printed_on=PRINTED_ON, with_receipt_lists=True)
    pdf = PdfText.read(out)
    assert result.pages == len(pdf.pages) > 300
    pages = pdf.find_pages("Belegliste Sachausgaben: Sonstige Sachausgaben")
    list_pages = [i for i in range(pages[0], len(pdf.pages))
                  if pdf.row_amounts(pdf.pages[i]) or "Summe Sonstige Sachausgaben" in pdf.pages[i]]
    list_pages = list_pages[:next(n for n, i in enumerate(list_pages)
                                  if "Summe Sonstige Sachausgaben" in pdf.pages[i]) + 1]
    running, numbers = 0, []
    for position, index in enumerate(list_pages):
        page = pdf.pages[index]
        assert f"Seite {index + 1} von {len(pdf.pages)}" in page
        assert "Lfd." in page and "Betrag" in page  # header repeated
        if position:
            assert pdf.labelled(page, "Übertrag von der vorigen Seite") == running
        running += sum(pdf.row_amounts(page))
        numbers += pdf.row_numbers(page)
        if position < len(list_pages) - 1:
            assert pdf.labelled(page, "Übertrag auf die nächste Seite") == running
    assert numbers == list(range(1, 10_001))
    assert running == _sql_sum(demo, decision, "S_SONST")
    assert pdf.labelled(pdf.pages[list_pages[-1]], "Summe Sonstige Sachausgaben") == running
    total = demo.proof_of_use_data(decision).numeric[0]
    assert next(c.actual_cents for c in total.categories if c.label == "Sonstige Sachausgaben") == running


def test_first_page_room_is_respected_by_the_page_plan():
    lines = [ReceiptLine(date(2024, 1, 1) + timedelta(days=i), f"S-{i:04d}", "Empfänger", "Zweck", 100 + i)
             for i in range(200)]
    receipts = ReceiptList("S_SONST", "Sonstige", "Sachausgaben", lines)
    pages = plan_pages(receipts, heading=[], first_page_height=200)
    _, first_height = pages[0].wrap(*frame_size(LANDSCAPE))
    assert first_height <= 200
    _, frame_height = frame_size(LANDSCAPE)
    for page in pages[1:]:
        assert page.wrap(*frame_size(LANDSCAPE))[1] <= frame_height
    assert sum(len(page.rows) for page in pages) == 200
    assert all(len(cell) <= 1 for page in pages for row in page.rows for cell in row.cells)
    assert [page.carry_in for page in pages[1:]] == [page.foot_cents for page in pages[:-1]]
    assert pages[-1].foot_cents == receipts.total_cents
