"""The Verwendungsnachweis of the demo, read back from the PDF and compared with the stored rows."""

from __future__ import annotations

from collections import defaultdict

from report_helpers import DECISION_2017, DECISION_2023, PRINTED_ON, PdfText

from paktdesk.core.money import format_cents
from paktdesk.core.periods import format_date
from paktdesk.core.proof_figures import balance_label


def _stored_by_category(ws, decision):
    sums = defaultdict(int)
    for receipt in ws.receipts(decision):
        sums[receipt.cost_category] += receipt.amount_cents
    return sums


def test_every_page_carries_owner_ags_file_number_date_and_page_count(printed_demo):
    ws, _, result, pdf = printed_demo
    profile = ws.profile()
    assert result.pages == len(pdf.pages) > 10
    for number, page in enumerate(pdf.pages, start=1):
        assert profile.name in page
        assert f"AGS {profile.ags}" in page
        assert f"Aktenzeichen: {DECISION_2023}" in page
        assert f"Gedruckt am {format_date(PRINTED_ON)}" in page
        assert f"Seite {number} von {len(pdf.pages)}" in page


def test_belegliste_totals_equal_stored_receipts_and_numeric_proof(printed_demo):
    ws, decision, _, pdf = printed_demo
    stored = _stored_by_category(ws, decision)
    labels = {c.code: c.label for c in ws.cost_categories()}
    total_proof = ws.proof_of_use_data(decision).numeric[0]
    actual = {c.label: c.actual_cents for c in total_proof.categories}
    assert stored, "the demo decision has receipts"
    for code, cents in stored.items():
        label = labels[code]
        printed = [pdf.labelled(page, f"Summe {label}") for page in pdf.pages]
        printed = [value for value in printed if value is not None]
        assert printed == [cents], label
        assert actual[label] == cents


def test_each_list_numbers_its_receipts_in_date_order(printed_demo):
    ws, decision, _, pdf = printed_demo
    first = pdf.find_pages("Belegliste Personalausgaben: Entgelt/Bezüge")[0]
    numbers = pdf.row_numbers(pdf.pages[first]) + pdf.row_numbers(pdf.pages[first + 1])
    count = sum(1 for r in ws.receipts(decision) if r.cost_category == "P_ENTGELT")
    assert numbers == list(range(1, count + 1))
    data = ws.proof_of_use_data(decision)
    for receipts in data.receipt_lists:
        dates = [line.receipt_date for line in receipts.lines]
        assert dates == sorted(dates)


def test_carried_sum_on_the_next_page_equals_the_rows_before(printed_demo):
    _, _, _, pdf = printed_demo
    pages = pdf.find_pages("Übertrag von der vorigen Seite")
    assert pages, "the salary list runs over more than one page"
    for index in pages:
        before = pdf.pages[index - 1]
        carried_in_before = pdf.labelled(before, "Übertrag von der vorigen Seite") or 0
        expected = carried_in_before + sum(pdf.row_amounts(before))
        assert pdf.labelled(before, "Übertrag auf die nächste Seite") == expected
        assert pdf.labelled(pdf.pages[index], "Übertrag von der vorigen Seite") == expected


def test_numeric_proof_shows_the_workspace_figures(printed_demo):
    ws, decision, _, pdf = printed_demo
    summary = ws.money_summary(decision)
    data = ws.proof_of_use_data(decision)
    total = data.numeric[0].figures
    assert total.planned == summary["decided"]
    assert total.received == summary["received"]
    assert total.spent == summary["spent"]
    assert total.passed_on == summary["passed_on"]
    provider_lines = sum(c.actual_cents for c in data.numeric[0].categories if c.group == "Weiterleitung an Träger")
    assert provider_lines == total.passed_on - total.provider_refund
    page = pdf.pages[pdf.find_pages("zum Verwendungsnachweis · Bescheid insgesamt")[0]]
    for cents in (total.planned, total.actual, total.received, total.due,
                  abs(total.balance), total.own_share):
        assert format_cents(cents) in page
    assert balance_label(total.balance) in page
    assert pdf.labelled(page, "Summe Ausgaben") == total.actual


def test_each_person_has_a_numeric_proof_with_their_receipts(printed_demo):
    ws, decision, _, pdf = printed_demo
    version = ws.current_version(decision)
    data = ws.proof_of_use_data(decision)
    persons = {p.id: p for p in ws.persons()}
    received = passed = 0
    for position in ws.positions(version.id):
        person = persons[position.person_id]
        pages = pdf.find_pages(f"Integrationsmanager:in {person.full_name}")
        assert len(pages) == 1, person.full_name
        own = sum(r.amount_cents for r in ws.receipts(decision) if r.person_id == person.id)
        proof = next(p for p in data.numeric if p.person_name == person.full_name)
        assert proof.figures.spent == own
        assert proof.figures.planned == position.amount_cents
        page = pdf.pages[pages[0]]
        assert format_cents(position.amount_cents) in page
        assert pdf.labelled(page, "Summe Ausgaben") == proof.figures.actual
        received += proof.figures.received
        passed += proof.figures.passed_on
    assert received == ws.money_summary(decision)["received"]
    assert passed == ws.money_summary(decision)["passed_on"]


def test_umlauts_euro_and_names_extract_correctly(printed_demo):
    _, _, _, pdf = printed_demo
    for text in ("Zahlenmäßiger Nachweis", "Bestätigungen", "Büro- und Sachmittel", "Lena Weiß",
                 "Mehmet Yıldız", "Dragan Petrović", "Förderbereich", "€", "Kennzahlen – Auswertung Zeitraum",
                 "Sachlich und rechnerisch richtig", "Prüfvermerk"):
        assert text in pdf.text, text


def test_sachbericht_and_key_figures_are_in_the_package(printed_demo):
    ws, decision, _, pdf = printed_demo
    assert pdf.find_pages("1. Ausgangslage")
    page = pdf.pages[pdf.find_pages("Kennzahlen – Auswertung Zeitraum")[-1]]
    values = {}
    for year in (2023, 2024):
        for person in ws.persons():
            values[person.id] = values.get(person.id, 0) + ws.key_figures(year, person.id)["beraten_gesamt"]
    line = next(line for line in page.splitlines() if "Beratene Personen insgesamt" in line)
    numbers = [int(n.replace(".", "")) for n in line.split("insgesamt")[1].split()]
    assert sum(values.values()) in numbers
    assert numbers[len(values)] == sum(values.values())  # the "Summe Personen" column


def test_same_data_prints_identical_bytes(demo, tmp_path):
    decision = demo.decision_by_file_number(DECISION_2023)
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    demo.print_proof_of_use(decision, first, printed_on=PRINTED_ON, with_receipt_lists=True)
    demo.print_proof_of_use(decision, second, printed_on=PRINTED_ON, with_receipt_lists=True)
    assert first.read_bytes() == second.read_bytes()


def test_older_decision_with_amendment_prints_version_history(demo, tmp_path):
    decision = demo.decision_by_file_number(DECISION_2017)
    out = tmp_path / "vn.pdf"
    result = demo.print_proof_of_use(decision, out, printed_on=PRINTED_ON, with_receipt_lists=True, draft=True)
    pdf = PdfText.read(out)
    assert "Änderungsbescheid (Fassung 2) vom 20.05.2019" in pdf.text
    assert format_cents(demo.current_version(decision).amount_cents) in pdf.pages[0]
    assert "Es ist noch kein Sachbericht erfasst." in result.warnings


def test_pay_interruption_extends_the_printed_funded_period(printed_demo):
    ws, decision, _, pdf = printed_demo
    from paktdesk.core.funding import extended_period, funded_period

    person = next(p for p in ws.persons() if p.last_name == "Weiß")
    position = next(p for p in ws.positions(ws.current_version(decision).id) if p.person_id == person.id)
    extended = extended_period(position.first_day, position.months, ws.interruptions(person.id),
                               max_extension_months=12)
    days = (extended.end - funded_period(position.first_day, position.months).end).days
    assert days > 0
    page = pdf.flat_page(pdf.find_pages("Integrationsmanager:in Lena Weiß")[0])
    assert f"{extended.format()}({position.months}Monate,verlängertum{days}Tage".replace(" ", "") in page
