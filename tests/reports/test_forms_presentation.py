"""The proof of use as the authority reads it (issue 13, presentation): grantor address,
signer and audit office from the profile, the Bestätigungen, per-person sheets that stand
alone, the clerk's explanation, drafts, Beleglisten only on request, PDF metadata and outline."""

from __future__ import annotations

import dataclasses
import re
from datetime import date

import pytest
from pypdf import PdfReader
from report_helpers import DECISION_2017, DECISION_2023, PRINTED_ON, PdfText

from paktdesk.core import entities as e
from paktdesk.core.errors import ValidationError
from paktdesk.core.forms import grantor_for, retention_end

RP_LINES = ("Regierungspräsidium Stuttgart", "Referat 15.2", "Dienststelle Wertheim", "Am Eichamt 2",
            "97877 Wertheim", "integrationsmanagement@rps.bwl.de")


def _print(ws, tmp_path, name="vn.pdf", **kwargs) -> PdfText:
    out = tmp_path / name
    ws.print_proof_of_use(ws.decision_by_file_number(DECISION_2023), out, printed_on=PRINTED_ON, **kwargs)
    return PdfText.read(out)


def _signer(ws, **changes):
    ws.save_profile(dataclasses.replace(ws.profile(), **changes))


def test_the_grantors_postal_address_is_printed_on_cover_interim_and_request(demo, tmp_path):
    vn = _print(demo, tmp_path)
    for line in RP_LINES:
        assert line in vn.pages[0], line
    decision = demo.decision_by_file_number(DECISION_2023)
    demo.print_interim(decision, date(2023, 1, 1), date(2023, 12, 31), tmp_path / "zn.pdf", printed_on=PRINTED_ON)
    demo.print_payment_request(decision, 100_000, tmp_path / "ma.pdf", printed_on=PRINTED_ON)
    for name in ("zn.pdf", "ma.pdf"):
        first = PdfText.read(tmp_path / name).pages[0]
        assert "Am Eichamt 2" in first and "97877 Wertheim" in first, name


def test_a_kreis_as_grantor_is_selected_by_the_decisions_grantor_name(demo, tmp_path):
    demo.save_grantor(e.Grantor(None, "Landratsamt Heilbronn", "Amt für Migration", "Lerchenstraße 40", "74072",
                                "Heilbronn", "migration@landratsamt-heilbronn.de"))
    choice = demo.grantor_for_text("Landratsamt Heilbronn, Amt für Migration")
    assert choice is not None and choice.city == "Heilbronn"
    assert demo.grantor_for_text("Stiftung Irgendwo") is None
    with pytest.raises(ValidationError, match="Postleitzahl"):
        demo.save_grantor(e.Grantor(None, "Landkreis X", postcode="123"))
    with pytest.raises(ValidationError, match="schon"):
        demo.save_grantor(e.Grantor(None, "  regierungspräsidium   stuttgart "))


def test_grantor_for_prefers_the_longest_matching_name():
    short = e.Grantor(1, "Landratsamt")
    long = e.Grantor(2, "Landratsamt Rems-Murr-Kreis")
    assert grantor_for("Landratsamt Rems-Murr-Kreis, Backnang", [short, long]) is long
    assert grantor_for("Landratsamt Calw", [short, long]) is short


def test_signer_and_office_title_sign_instead_of_the_contact_person(demo, tmp_path):
    _signer(demo, signer_name="Dr. Anna Roth", signer_title="Bürgermeisterin")
    pdf = _print(demo, tmp_path)
    last = pdf.pages[-1]
    assert "Name: Dr. Anna Roth" in last and "Amtsbezeichnung: Bürgermeisterin" in last
    assert "Petra Sommer" not in last  # the contact person
    person_pages = pdf.find_pages("zum Verwendungsnachweis · Integrationsmanager:in Sabine Keller")
    assert any("Dr.AnnaRoth" in pdf.flat_page(i) + pdf.flat_page(i + 1) for i in person_pages)


def test_the_bestaetigungen_are_statements_with_the_retention_end_and_no_ticked_box(demo, tmp_path):
    _signer(demo, has_audit_office=False, retention_years=10)
    pdf = _print(demo, tmp_path)
    last = pdf.flat_page(len(pdf.pages) - 1)
    for text in ("Nebenbestimmungen", "notwendig", "wirtschaftlichundsparsam", "mitdenBüchernundBelegenüberein",
                 "DerZuwendungszweckwurdeerreicht.", "biszum12.03.2035aufbewahrt(10JahrenachVorlage",
                 "Sachlichundrechnerischrichtig(imSinnevon§70LHO)",
                 "EinkommunalesRechnungsprüfungsamtistnichtvorhanden.", "Ort,Datum", "Unterschrift(Dienstsiegel)"):
        assert text in last, text
    assert "☒" not in pdf.text and "☑" not in pdf.text


def test_with_an_audit_office_its_name_and_pruefvermerk_are_printed(demo, tmp_path):
    _signer(demo, has_audit_office=True, audit_office_name="Rechnungsprüfungsamt Lindenbach",
            audit_note="Geprüft; keine Beanstandungen.")
    last = _print(demo, tmp_path).flat_page(-1)
    assert "geprüftdurchdasRechnungsprüfungsamt(RechnungsprüfungsamtLindenbach)" in last
    assert "Prüfvermerk:Geprüft;keineBeanstandungen." in last


def test_retention_end_is_rule_as_data():
    assert retention_end(date(2025, 3, 12), 5) == date(2030, 3, 12)
    assert retention_end(date(2024, 2, 29), 5) == date(2029, 2, 28)


def test_each_person_sheet_refers_to_the_sachbericht_and_has_its_own_signature(demo, tmp_path):
    pdf = _print(demo, tmp_path)
    reader = PdfReader(str(pdf.path))
    persons = [item for item in reader.outline[2] if not isinstance(item, list)]  # children of the decision sheet
    assert len(persons) == 5
    starts = [reader.get_destination_page_number(item) for item in persons]
    for start in starts:
        sheet = "".join(pdf.flat_page(i) for i in range(start, start + 2) if i < len(pdf.pages))
        sheet = sheet.split("Zahlenmäßiger", 2)[1]  # this sheet only
        assert "Sachbericht:sieheSachberichtdesAntragstellersGemeindeLindenbachvom" in sheet
        assert "Ort,Datum" in sheet and "Unterschrift(Dienstsiegel)" in sheet
        assert "Sachlichundrechnerischrichtig(imSinnevon§70LHO)" in sheet


def test_the_clerks_explanation_is_printed_on_the_decision_sheet(demo, tmp_path):
    decision = demo.decision_by_file_number(DECISION_2023)
    demo.save_decision_explanation(decision, "Die Sachausgaben lagen 12 % unter dem Plan (Stelle länger unbesetzt).")
    assert demo.decision_explanation(decision).startswith("Die Sachausgaben")
    pdf = _print(demo, tmp_path)
    flat = pdf.flat()
    assert "AbweichungenvomFinanzierungsplan/Erläuterungen" in flat
    assert "DieSachausgabenlagen12%unterdemPlan(Stellelängerunbesetzt)." in flat
    with pytest.raises(ValidationError, match="zu lang"):
        demo.save_decision_explanation(decision, "x" * 5000)


def test_a_final_proof_without_sachbericht_is_refused_and_a_draft_is_marked(demo, tmp_path):
    decision = demo.decision_by_file_number(DECISION_2017)
    with pytest.raises(ValidationError, match="Es fehlt der Sachbericht des Antragstellers"):
        demo.print_proof_of_use(decision, tmp_path / "final.pdf", printed_on=PRINTED_ON)
    assert not (tmp_path / "final.pdf").exists()
    demo.print_proof_of_use(decision, tmp_path / "draft.pdf", printed_on=PRINTED_ON, draft=True)
    pdf = PdfText.read(tmp_path / "draft.pdf")
    assert all("Entwurf – nicht zur Einreichung" in page for page in pdf.pages)
    content = b"".join(page.get_contents().get_data() for page in PdfReader(str(pdf.path)).pages)
    assert content.count(b"(ENTWURF) Tj") == len(pdf.pages)  # the diagonal mark, drawn under the text
    assert "Zahlenmäßiger Nachweis" in pdf.text  # the text stays readable under the mark
    assert "liegt noch nicht vor" in pdf.text
    assert PdfReader(str(pdf.path)).metadata.title.startswith("Entwurf")


def test_receipt_lists_are_an_enclosure_on_request_unless_included(demo, tmp_path):
    plain = _print(demo, tmp_path, "plain.pdf")
    assert "Belegliste – nur auf Anforderung" in plain.pages[0]
    assert not any("Belegliste" in page and "Übertrag" in page for page in plain.pages)
    assert plain.find_pages("Lfd.") == []
    full = _print(demo, tmp_path, "full.pdf", with_receipt_lists=True)
    assert len(full.pages) > len(plain.pages) + 5
    assert "Beleglisten je Kostenart" in full.pages[0]


def test_pdf_metadata_outline_margin_and_fonts(demo, tmp_path):
    pdf = _print(demo, tmp_path)
    reader = PdfReader(str(pdf.path))
    assert reader.metadata["/CreationDate"].startswith("D:20250312")
    titles = []

    def walk(items):
        for item in items:
            walk(item) if isinstance(item, list) else titles.append(item.title)
    walk(reader.outline)
    assert titles[:2] == ["Verwendungsnachweis", "Zahlenmäßiger Nachweis – Bescheid insgesamt"]
    assert {"Sachbericht", "Kennzahlen – Auswertung Zeitraum", "Bestätigungen"} <= set(titles)
    assert sum(t.startswith("Integrationsmanager:in ") for t in titles) == 5
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            fonts.add(re.sub(r"^[A-Z]{6}\+", "", str(font.get_object()["/BaseFont"]).lstrip("/")))
    assert fonts == {"DejaVuSans", "DejaVuSans-Bold"}
    # the left margin of every portrait page is at least 25 mm (70.9 pt)
    for index, page in enumerate(reader.pages):
        if page.mediabox.width < page.mediabox.height:
            xs = []
            page.extract_text(visitor_text=lambda text, cm, tm, *_: xs.append(tm[4] * cm[0] + cm[4])
                              if text.strip() else None)
            assert min(xs) >= 70.8, (index, min(xs))
    again = _print(demo, tmp_path, "again.pdf")
    assert again.path.read_bytes() == pdf.path.read_bytes()
