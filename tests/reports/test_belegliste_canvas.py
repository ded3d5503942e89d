"""The Belegliste drawn straight onto the canvas, read back from the PDF: every receipt once,
carried sums, totals, wrapping, rows kept whole, hostile characters, fonts and repeatability."""

from __future__ import annotations

import io
import re
import subprocess
from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from report_helpers import PRINTED_ON, PdfText

from paktdesk.core import entities as e
from paktdesk.core.money import format_cents
from paktdesk.reports.belegliste import column_widths, heading_for, receipt_list_story
from paktdesk.reports.layout import LANDSCAPE, MARGIN_LEFT_LANDSCAPE, FormDocument, PageHead
from paktdesk.reports.model import Letterhead, ReceiptLine, ReceiptList

NUMBER = re.compile(r"\bS-\d{4}\b")
LONG_WORD = "Verwaltungskostenpauschalenabrechnungsnachweisformular" * 3


def _lines(count: int) -> list[ReceiptLine]:
    """Receipts with one to seven lines of purpose, a few reversals (negative amounts)."""
    out = []
    for i in range(count):
        extra = " ".join(f"Teil{i}x{k}" for k in range((i * 7) % 31))
        purpose = f"Zweck {i} {extra}".strip()
        cents = -((i * 313) % 50_000 + 1) if i % 17 == 5 else (i * 7919) % 90_000 + 1
        out.append(ReceiptLine(date(2024, 1, 1) + timedelta(days=i % 365), f"S-{i + 1:04d}",
                               f"Lieferant {i % 13} GmbH", purpose, cents, paid_on=date(2024, 6, 1),
                               budget_year=2024, person="Sabine Keller" if i % 3 else ""))
    return out


def _render(lines: list[ReceiptLine], label: str = "Sonstige Sachausgaben") -> bytes:
    receipts = ReceiptList("S_SONST", label, "Sachausgaben", lines)
    head = PageHead(Letterhead("Gemeinde Test", "Gemeinde", "08111000", PRINTED_ON), "Verwendungsnachweis", "AZ 1")
    stream = io.BytesIO()
    FormDocument(stream, head, first=LANDSCAPE).render(
        receipt_list_story(receipts, heading=heading_for(receipts, "Bescheid AZ 1")))
    return stream.getvalue()


def _pdf(tmp_path, lines: list[ReceiptLine], name: str = "liste.pdf") -> PdfText:
    out = tmp_path / name
    out.write_bytes(_render(lines))
    return PdfText.read(out)


def test_every_receipt_number_appears_exactly_once_and_the_sums_carry(tmp_path):
    lines = _lines(400)
    pdf = _pdf(tmp_path, lines)
    assert len(pdf.pages) > 10
    printed = [n for page in pdf.pages for n in NUMBER.findall(page)]
    assert sorted(printed) == [line.number for line in lines]
    running = 0
    for index, page in enumerate(pdf.pages):
        assert f"Seite {index + 1} von {len(pdf.pages)}" in page
        assert "Gemeinde Test" in page and "AGS 08111000" in page and "Aktenzeichen: AZ 1" in page
        assert "Lfd." in page and "Betrag" in page
        if index:
            assert pdf.labelled(page, "Übertrag von der vorigen Seite") == running
        running += sum(pdf.row_amounts(page))
        if index < len(pdf.pages) - 1:
            assert pdf.labelled(page, "Übertrag auf die nächste Seite") == running
    assert running == sum(line.amount_cents for line in lines)
    assert pdf.labelled(pdf.pages[-1], "Summe Sonstige Sachausgaben") == running
    assert [n for page in pdf.pages for n in pdf.row_numbers(page)] == list(range(1, 401))


def test_a_row_is_never_split_between_pages(tmp_path):
    lines = _lines(300)
    pdf = _pdf(tmp_path, lines)
    for line in lines:
        pages = [i for i, page in enumerate(pdf.pages) if re.search(rf"\b{line.number}\b", page)]
        assert len(pages) == 1, line.number
        flat = re.sub(r"\s+", "", line.purpose)
        assert flat in pdf.flat_page(pages[0]), line.number
        assert sum(flat in pdf.flat_page(i) for i in range(len(pdf.pages))) == 1


@pytest.mark.needs_tool("pdftotext", package="poppler-utils")
def test_a_very_long_purpose_is_wrapped_completely_inside_its_column(tmp_path):
    purpose = " ".join(f"Maßnahme{i}" for i in range(60)) + " " + LONG_WORD
    lines = [ReceiptLine(date(2024, 3, 1), "S-0001", "Kurz", purpose, 12_345),
             ReceiptLine(date(2024, 3, 2), "S-0002", LONG_WORD, "kurz", 1)]
    pdf = _pdf(tmp_path, lines)
    assert re.sub(r"\s+", "", purpose) in pdf.flat()
    assert LONG_WORD in pdf.flat()
    widths = column_widths()
    left = MARGIN_LEFT_LANDSCAPE + sum(widths[:6])
    html = subprocess.run(["pdftotext", "-bbox", str(tmp_path / "liste.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout
    words = re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', html)
    purpose_words = [(float(x0), float(x1)) for x0, x1, word in words if word.startswith(("Maßnahme", "Verwaltungs"))]
    assert len(purpose_words) == 60 + 2  # and the first piece of the long word in purpose and payee
    payee_left = MARGIN_LEFT_LANDSCAPE + sum(widths[:5])
    for x0, x1 in purpose_words:
        inside_purpose = left <= x0 and x1 <= left + widths[6] + 0.5
        inside_payee = payee_left <= x0 and x1 <= payee_left + widths[5] + 0.5
        assert inside_purpose or inside_payee, (x0, x1)
    assert PdfText.labelled(pdf.text, "Summe Sonstige Sachausgaben") == 12_346


def test_control_characters_and_pdf_syntax_in_user_text_print_safely(tmp_path):
    nasty = ["Klammer ( auf \\ und ) zu", "Null\x00Bell\x07Esc\x1b[31mrot", "Zeilen\u2028trenner\u0085Ende",
             "BOM\ufeffmitten", "Tab\tund\r\nZeilenumbruch", "Emoji 😀 und Ümläute ẞ", "%PDF-1.4 endobj ) Tj ET"]
    lines = [ReceiptLine(date(2024, 1, 1), f"S-{i + 1:04d}", text, text, 100) for i, text in enumerate(nasty)]
    data = _render(lines)
    out = tmp_path / "nasty.pdf"
    out.write_bytes(data)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    flat = PdfText.read(out).flat()
    for expected in ("Klammer(auf\\und)zu", "NullBellEsc[31mrot", "%PDF-1.4endobj)TjET", "undÜmläuteẞ",
                     "TabundZeilenumbruch"):
        assert expected in flat, expected
    assert PdfText.read(out).labelled(PdfText.read(out).text, "Summe Sonstige Sachausgaben") == 700


def test_same_list_prints_identical_bytes_and_embeds_the_fonts(tmp_path):
    lines = _lines(120)
    first, second = _render(lines), _render(lines)
    assert first == second
    assert _embedded_fonts(first) == {"DejaVuSans", "DejaVuSans-Bold"}


def test_the_proof_of_use_lists_reversals_and_totals_equal_to_the_stored_rows(demo, tmp_path):
    decision = demo.decision_by_file_number("15.2-8712.23/1274")
    day = date(2024, 2, 1)
    ids = []
    for i in range(60):
        change = demo.add_receipt(e.Receipt(None, decision, e.ListKind.MATERIAL, 0, day + timedelta(days=i), day,
                                            2024, f"Händler {i}", f"Material {i} " + "lang " * (i % 25), "S_SONST",
                                            1_000 + i))
        ids.append(change.ids[0])
    for receipt_id in ids[::7]:
        demo.reverse_receipt(receipt_id, "Doppelt gebucht", on=date(2024, 6, 30))
    out = tmp_path / "vn.pdf"
    result = demo.print_proof_of_use(decision, out, printed_on=PRINTED_ON, with_receipt_lists=True)
    pdf = PdfText.read(out)
    assert result.pages == len(pdf.pages)
    stored = demo.receipts(decision)
    material = [r for r in stored if r.cost_category == "S_SONST"]
    assert sum(r.amount_cents < 0 for r in material) == len(ids[::7])
    first = pdf.find_pages("Belegliste Sachausgaben: Sonstige Sachausgaben")[0]
    last = next(i for i in range(first, len(pdf.pages)) if "Summe Sonstige Sachausgaben" in pdf.pages[i])
    amounts = [a for i in range(first, last + 1) for a in pdf.row_amounts(pdf.pages[i])]
    assert sorted(amounts) == sorted(r.amount_cents for r in material)
    assert pdf.flat().count("Storno") >= len(ids[::7])
    labels = {c.code: c.label for c in demo.cost_categories()}
    grand = 0
    for code in {r.cost_category for r in stored}:
        printed = [v for page in pdf.pages if (v := pdf.labelled(page, f"Summe {labels[code]}")) is not None]
        assert printed == [sum(r.amount_cents for r in stored if r.cost_category == code)], code
        grand += printed[0]
    assert grand == sum(r.amount_cents for r in stored)
    for number, page in enumerate(pdf.pages, start=1):
        assert f"Seite {number} von {len(pdf.pages)}" in page
        assert "Aktenzeichen: 15.2-8712.23/1274" in page


def test_widths_remembered_by_shape_equal_the_fonts_widths():
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from paktdesk.reports.fonts import REGULAR
    from paktdesk.reports.pdf_text import ShapeWidths

    widths = ShapeWidths(REGULAR, 8)
    samples = ["887,63 €", "123,45 €", "-1.234.567,89 €", "2279", "1111", "S-0001", "Sachkosten Nr. 3398",
               "Sachkosten Nr. 1111", "Größe ẞ", "a\ud800b", "", "W" * 30, "i" * 30]
    for _ in range(2):  # measured, then remembered
        for text in samples:
            assert widths(text) == pytest.approx(stringWidth(text, REGULAR, 8), abs=1e-9), text


def test_without_ascii_identity_every_row_is_drawn_cell_by_cell_with_the_same_text(tmp_path, monkeypatch):
    from reportlab.pdfbase import pdfmetrics

    from paktdesk.reports.fonts import BOLD, REGULAR

    lines = _lines(150) + [ReceiptLine(date(2024, 12, 30), "S-0999", "Müller & Söhne", "Größe (Maß) \\ ẞ", 77)]
    fast = _pdf(tmp_path, lines, "fast.pdf")
    for name in (REGULAR, BOLD):  # reportlab then numbers the glyphs in order of use, ASCII too
        monkeypatch.setattr(pdfmetrics.getFont(name), "_asciiReadable", 0)
    careful = _pdf(tmp_path, lines, "careful.pdf")
    assert b"(Lieferant" in _content(tmp_path / "fast.pdf")
    assert b"(Lieferant" not in _content(tmp_path / "careful.pdf")  # no ASCII drawn as is
    assert careful.pages == fast.pages
    printed = [n for page in careful.pages for n in NUMBER.findall(page)]
    assert sorted(printed) == sorted(line.number for line in lines)
    assert careful.labelled(careful.pages[-1], "Summe Sonstige Sachausgaben") == sum(x.amount_cents for x in lines)


def _content(path) -> bytes:
    return b"".join(page.get_contents().get_data() for page in PdfReader(str(path)).pages)


def test_an_empty_list_prints_a_notice_and_a_zero_total(tmp_path):
    pdf = _pdf(tmp_path, [])
    assert len(pdf.pages) == 1
    assert "Keine Belege in dieser Kostenart." in pdf.pages[0]
    assert pdf.labelled(pdf.pages[0], "Summe Sonstige Sachausgaben") == 0


# -- German and other non-ASCII text on the plain-row path ------------------------------------

GERMAN = [
    ("Bürobedarf Müller GmbH", "Fortbildung Gesprächsführung"),
    ("Straßenbau Öztürk & Söhne", "Maßnahme Übergänge"),
    ("Café Élan (Inh. Zoë Faßbender)", "Gebühr 5 € für Übersetzung"),
    ("Ärztehaus \\ Süd", "Dolmetscher (Ölbergstr.)"),
    ("Çağlar Dönmez", "Crème brûlée, Äpfel, Ähre, Ÿ"),
    ("Łódź Śląsk Żabka", "Mañana – „Begrüßung“ ½ Tag"),
]


def _german_lines(count: int, first: int = 1) -> list[ReceiptLine]:
    return [ReceiptLine(date(2024, 1, 1) + timedelta(days=i % 300), f"S-{i + first:04d}", GERMAN[i % len(GERMAN)][0],
                        f"{GERMAN[i % len(GERMAN)][1]} {i}", 1_000 + i, paid_on=date(2024, 6, 1), budget_year=2024,
                        person="Jürgen Weiß" if i % 2 else "") for i in range(count)]


def _cells_only(monkeypatch) -> None:
    """Every row drawn cell by cell (no pre-set operators), for comparing the two paths."""
    from dataclasses import replace

    from paktdesk.reports import belegliste

    planned = belegliste.receipt_rows
    monkeypatch.setattr(belegliste, "receipt_rows", lambda receipts: (replace(row, tail=None)
                                                                      for row in planned(receipts)))


def _preset_rows(path) -> int:
    """Rows drawn from pre-set operators: only they move on from the running number with ``Td``."""
    return len(re.findall(rb"Tm \(\d+\) Tj -?[\d.]+ 0 Td", _content(path)))


def _assert_rows_read_back(pdf: PdfText, lines: list[ReceiptLine]) -> None:
    """Each receipt's texts, character for character, on the layout line of its number."""
    rows = {m.group(1): line for line in pdf.text.splitlines() if (m := re.search(r"\b(S-\d{4})\b", line))}
    assert sorted(NUMBER.findall(pdf.text)) == sorted(rows)  # each number once
    for line in lines:
        printed = rows[line.number]
        for value in (line.payee, line.purpose, line.person, format_cents(line.amount_cents)):
            assert value in printed, (value, printed)


def _embedded_fonts(data: bytes) -> set[str]:
    """The fonts that show text, each checked to be embedded (reportlab selects Helvetica at
    every page start, showing nothing)."""
    reader = PdfReader(io.BytesIO(data))
    used = set()
    for page in reader.pages:
        fonts = page["/Resources"]["/Font"]
        content = page.get_contents().get_data()
        for name in set(re.findall(rb"(/[^\s/]+) [\d.]+ Tf(?:(?!Tf|ET).)*?T[jJ]", content, re.S)):
            font = fonts[name.decode()].get_object()
            assert "/FontFile2" in font["/FontDescriptor"].get_object(), font["/BaseFont"]
            used.add(str(font["/BaseFont"]).split("+", 1)[1])
    return used


def test_german_text_takes_the_plain_row_path_and_reads_back_exactly(tmp_path, monkeypatch):
    from paktdesk.reports.belegliste import receipt_rows

    wrapping = [ReceiptLine(date(2024, 12, 1), f"S-{121 + i:04d}", "Bäckerei Weiß (Filiale \\ Süd) Straßenverkauf "
                            "und Café Übersicht", "Fortbildung „Gesprächsführung für Integrationsmanagerinnen“ "
                            f"in Böblingen, Modul {i} (Grundlagen) für Jürgen Weiß", 99, person="Zoë Faßbender")
                for i in range(6)]
    lines = _german_lines(120) + wrapping
    receipts = ReceiptList("S_SONST", "Sonstige Sachausgaben", "Sachausgaben", lines)
    assert all(row.tail is not None for row in receipt_rows(receipts))  # planned as plain rows
    data = _render(lines)
    assert data == _render(lines)  # the same bytes for the same data
    assert _embedded_fonts(data) == {"DejaVuSans", "DejaVuSans-Bold"}
    fast_path = tmp_path / "fast.pdf"
    fast_path.write_bytes(data)
    assert _preset_rows(fast_path) == len(lines)  # and drawn as such
    content = _content(fast_path)
    assert content.isascii()  # non-ASCII codes as octal escapes
    assert b"(Jrgen" not in content and b"\\\\" in content  # "ü" encoded, the backslash escaped
    fast = PdfText.read(fast_path)
    _assert_rows_read_back(fast, lines[:-len(wrapping)])
    assert sorted(NUMBER.findall(fast.text)) == [line.number for line in lines]
    for line in wrapping:  # wrapped over three lines: the words in order
        assert "Weiß(Filiale\\Süd)StraßenverkaufundCaféÜbersicht" in fast.flat()
        assert re.sub(r"\s+", "", line.purpose) in fast.flat()
    assert fast.labelled(fast.pages[-1], "Summe Sonstige Sachausgaben") == sum(x.amount_cents for x in lines)

    _cells_only(monkeypatch)
    careful_path = tmp_path / "careful.pdf"
    careful_path.write_bytes(_render(lines))
    assert _preset_rows(careful_path) == 0
    careful = PdfText.read(careful_path)
    assert careful.pages == fast.pages
    assert careful.raw_pages == fast.raw_pages


def test_characters_beyond_the_first_subset_fall_back_to_drawing_cell_by_cell(tmp_path, monkeypatch):
    from reportlab.pdfbase import pdfmetrics

    from paktdesk.reports.fonts import REGULAR, register_fonts

    register_fonts()
    face = pdfmetrics.getFont(REGULAR).face.charToGlyph
    letters = [chr(c) for c in [*range(0x391, 0x3CA), *range(0x400, 0x4B0)] if c in face and chr(c).isprintable()]
    assert len(letters) > 200  # more than the first subset has room for
    lines = [ReceiptLine(date(2024, 1, 1), f"S-{i + 1:04d}", f"Müller {letters[(8 * i) % len(letters)]}",
                         "Übersetzung " + "".join(letters[(8 * i + k) % len(letters)] for k in range(8)),
                         100 + i, budget_year=2024) for i in range(2 * len(letters) // 8)]
    lines += _german_lines(12, first=len(lines) + 1)
    data = _render(lines)
    assert data == _render(lines)
    path = tmp_path / "scripts.pdf"
    path.write_bytes(data)
    content = _content(path)
    assert re.search(rb"/F\d+\+1 [\d.]+ Tf", content)  # a second subset is in use
    assert 0 < _preset_rows(path) < len(lines)  # the early rows pre-set, the later ones cell by cell
    assert _embedded_fonts(data) == {"DejaVuSans", "DejaVuSans-Bold"}
    pdf = PdfText.read(path)
    _assert_rows_read_back(pdf, lines)

    _cells_only(monkeypatch)
    careful_path = tmp_path / "careful.pdf"
    careful_path.write_bytes(_render(lines))
    assert PdfText.read(careful_path).pages == pdf.pages


def test_the_row_escape_keeps_letters_and_escapes_pdf_syntax():
    from paktdesk.reports.belegliste_page import escape_printable

    assert escape_printable("Müller (Büro) \\ Süd") == "Müller \\(Büro\\) \\\\ Süd"
    assert escape_printable("ß é €") == "ß é €"


def test_no_line_of_wide_letters_is_wider_than_its_column():
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from paktdesk.reports.belegliste import receipt_rows
    from paktdesk.reports.belegliste_page import FONT_SIZE, PAD_X
    from paktdesk.reports.fonts import REGULAR

    inner = [width - 2 * PAD_X for width in column_widths()]
    lines = []
    for letter in ("W", "@", "Æ", "®", "Œ", "Ш", "Ж", "m"):  # Œ, Ш, Ж are wider than any Latin-1 letter
        for count in range(8, 40):
            text = letter * count
            lines.append(ReceiptLine(date(2024, 1, 1), text[:20], text, text, 1, person=text))
    receipts = ReceiptList("S_SONST", "Sonstige Sachausgaben", "Sachausgaben", lines)
    for row in receipt_rows(receipts):
        for column in (2, 5, 6, 7):
            for line in row.cells[column]:
                assert stringWidth(line, REGULAR, FONT_SIZE) <= inner[column] + 1e-6, (column, line)
