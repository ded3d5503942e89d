"""Qualifikationsübersicht as PDF: every person with the stored qualification and requalification
figures, landscape pages with the header on each, hostile text printed literally."""

from __future__ import annotations

import re
from datetime import date

import pytest
from pypdf import PdfReader
from report_helpers import PRINTED_ON, PdfText

from paktdesk.core import entities as e
from paktdesk.core.periods import format_date
from paktdesk.core.validation import format_vza
from paktdesk.reports import write_pdf
from paktdesk.reports.model import Letterhead
from paktdesk.reports.qualification_overview import (
    HEADER,
    QualificationLine,
    QualificationOverview,
)

AS_OF = date(2025, 3, 12)
HOSTILE = ['<img src="/etc/passwd"/>', "<font color=red>rot</font>", "<b>offen", "Müller & Söhne <br/>",
           "]]><para>", "&amp; &lt;"]


def landscape(reader: PdfReader) -> list[bool]:
    return [float(p.mediabox.width) > float(p.mediabox.height) for p in reader.pages]


def test_demo_overview_prints_each_person_with_the_stored_figures(demo, tmp_path):
    out = tmp_path / "quali.pdf"
    result = demo.print_qualification_overview(out, today=AS_OF, printed_on=PRINTED_ON)
    reader = PdfReader(str(out))
    assert result.pages == len(reader.pages) == 1
    assert all(landscape(reader))
    text = PdfText.read(out)
    flat = text.flat()
    rows = demo.qualification_overview(AS_OF)
    assert len(rows) == len(demo.persons()) >= 5
    for row in rows:
        person = demo.person(row.person_id)
        quals = demo.qualifications(row.person_id)
        current = max(quals, key=lambda q: q.id)
        assert re.sub(r"\s+", "", row.name) in flat
        assert re.sub(r"\s+", "", current.degree) in flat, current.degree
        assert re.sub(r"\s+", "", f"{current.checked_by},{format_date(current.checked_on)}") in flat
        assert re.sub(r"\s+", "", str(row.status)) in flat
        assert format_vza(row.vza_milli) in text.text
        if row.deadline:
            assert format_date(row.deadline) in text.text
        requals = demo.requalifications(person.id)
        if requals:
            newest = max(requals, key=lambda r: r.id)
            assert f"{newest.hours_done} / {newest.hours_planned}" in text.text
    assert "Stand 12.03.2025" in text.text
    assert "Gedruckt am 12.03.2025" in text.text and "Seite 1 von 1" in text.text
    assert "AGS 08125097" in text.text


def test_long_overview_repeats_the_header_on_every_landscape_page(tmp_path):
    letter = Letterhead("Landkreis Musterhausen", "Landkreis", "08125000", PRINTED_ON)
    lines = tuple(QualificationLine(
        name=f"Person {n:03d}, Erika", provider="Caritasverband Unterland e. V.", vza_milli=500,
        category="c", degree="Verwaltungsfachangestellte mit sehr langer Beschreibung des Abschlusses " * 2,
        checked_by="P. Sommer", checked_on=date(2024, 1, 2), status="Nachqualifizierung läuft",
        deadline=date(2026, 9, 1), course="Weiterbildung Integrationsmanagement", course_provider="EH Freiburg",
        hours_done=n, hours_planned=240) for n in range(120))
    out = tmp_path / "lang.pdf"
    result = write_pdf(QualificationOverview(letter, AS_OF, lines), out)
    reader = PdfReader(str(out))
    assert result.pages == len(reader.pages) > 3
    assert all(landscape(reader))
    text = PdfText.read(out)
    for number, page in enumerate(text.pages, start=1):
        assert "Abschluss" in page and "Frist" in page, number
        assert f"Seite {number} von {result.pages}" in page
    found = [int(n) for n in re.findall(r"Person (\d{3}), Erika", text.text)]
    assert found == list(range(120))  # every person once, none lost at a page break
    assert "120 Personen: 120 Nachqualifizierung läuft" in text.text


def test_hostile_text_prints_literally_through_the_workspace(demo, tmp_path):
    provider = demo.providers()[0]
    for n, hostile in enumerate(HOSTILE):
        demo.register_person(
            e.Person(None, f"Eva{n}", hostile, provider.id),
            qualification=e.Qualification(None, 0, e.Category.B, f"Abschluss {hostile}",
                                          checked_by=hostile, checked_on=date(2024, 5, 6)))
    out = tmp_path / "feindlich.pdf"
    result = demo.print_qualification_overview(out, today=AS_OF, printed_on=PRINTED_ON)
    assert result.pages >= 1
    flat = PdfText.read(out).flat()
    for hostile in HOSTILE:
        squeezed = re.sub(r"\s+", "", hostile)
        assert squeezed in flat, hostile
        assert f"Abschluss{squeezed}" in flat
    assert "rot</font>" in flat  # the markup was not interpreted


def test_header_lists_the_columns_the_clerk_needs():
    joined = " ".join(HEADER).replace("\n", " ")
    for word in ("Name", "Träger", "Kat.", "Abschluss", "Nachweis geprüft", "Status", "Frist", "Stunden"):
        assert word in joined


def test_long_degrees_are_never_cut_inside_a_word_and_the_stichtag_is_not_after_printing(demo, tmp_path):
    import re as _re
    from datetime import date as _date

    from report_helpers import PdfText as _Pdf

    from paktdesk.core.errors import ValidationError as _VE
    from paktdesk.reports.fonts import text_width
    from paktdesk.reports.qualification_overview import DEGREE_COLUMN, column_widths

    assert column_widths()[DEGREE_COLUMN] - 6 >= text_width("Verwaltungsfachangestellter,", 8)
    out = tmp_path / "q.pdf"
    demo.print_qualification_overview(out, today=_date(2025, 3, 12), printed_on=_date(2025, 3, 12))
    words = set(_re.findall(r"\S+", " ".join(_Pdf.read(out).raw_pages)))
    degrees = [line.degree for line in demo.qualification_overview_data(_date(2025, 3, 12),
                                                                         printed_on=_date(2025, 3, 12)).lines]
    assert any("Verwaltungsfachangestellte" in d for d in degrees)
    for degree in degrees:
        for word in degree.split():
            assert word in words, word  # printed whole on one line
    with pytest.raises(_VE, match="liegt nach dem Druckdatum"):
        demo.print_qualification_overview(tmp_path / "later.pdf", today=_date(2025, 3, 13),
                                          printed_on=_date(2025, 3, 12))
    assert not (tmp_path / "later.pdf").exists()
