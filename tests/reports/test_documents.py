"""Zwischennachweis, Förderübersicht, Mittelabruf, the Sachbericht, atomic writing and the CLI."""

from __future__ import annotations

import re
from datetime import date

import pytest
from report_helpers import DECISION_2017, DECISION_2023, PRINTED_ON, PdfText

from paktdesk.cli import main
from paktdesk.core import entities as e
from paktdesk.core.errors import PaktDeskError, ValidationError
from paktdesk.core.money import format_cents
from paktdesk.reports.narrative import blocks


def _in(day: date | None, first: date, last: date) -> bool:
    return day is not None and first <= day <= last


# -- Zwischennachweis ---------------------------------------------------------------------------

def test_interim_proof_sums_only_the_period(demo, tmp_path):
    decision = demo.decision_by_file_number(DECISION_2023)
    first, last = date(2024, 1, 1), date(2024, 6, 30)
    out = tmp_path / "zn.pdf"
    result = demo.print_interim(decision, first, last, out, printed_on=PRINTED_ON, with_receipt_lists=True)
    pdf = PdfText.read(out)
    assert result.pages == len(pdf.pages)
    receipts = [r for r in demo.receipts(decision) if _in(r.receipt_date, first, last)]
    for code in {r.cost_category for r in receipts}:
        label = next(c.label for c in demo.cost_categories() if c.code == code)
        expected = sum(r.amount_cents for r in receipts if r.cost_category == code)
        printed = [v for page in pdf.pages if (v := pdf.labelled(page, f"Summe {label}")) is not None]
        assert printed == [expected], label
    received = sum(p.amount_cents for p in demo.payments(decision) if _in(p.received_on, first, last))
    data = demo.interim_data(decision, first, last)
    assert data.numeric[0].figures.received == received
    assert "Zwischennachweis" in pdf.pages[0] and "01.01.2024 – 30.06.2024" in pdf.pages[0]
    assert "Vorläufiger Saldo" in pdf.text
    for number, page in enumerate(pdf.pages, start=1):
        assert f"Seite {number} von {len(pdf.pages)}" in page and "AGS 08125097" in page


def test_interim_period_must_lie_inside_the_decision(demo, tmp_path):
    decision = demo.decision_by_file_number(DECISION_2023)
    out = tmp_path / "zn.pdf"
    with pytest.raises(ValidationError, match="nicht innerhalb des Bewilligungszeitraums"):
        demo.print_interim(decision, date(2022, 1, 1), date(2023, 6, 30), out)
    with pytest.raises(ValidationError):
        demo.print_interim(decision, date(2024, 6, 30), date(2024, 1, 1), out)
    assert not out.exists()


# -- Förderübersicht ----------------------------------------------------------------------------

def test_funding_statement_settles_each_decision_as_its_interim_proof(demo, tmp_path):
    first, last = date(2023, 1, 1), date(2023, 12, 31)
    out = tmp_path / "fs.pdf"
    demo.print_funding_statement(first, last, out, printed_on=PRINTED_ON)
    pdf = PdfText.read(out)
    assert "Förderbereich Integrationsmanagement" in pdf.text
    decision = demo.decision_by_file_number(DECISION_2023)
    interim = demo.interim_data(decision, first, last).numeric[0].figures  # the same part of the same decision
    received = sum(p.amount_cents for p in demo.payments(decision) if _in(p.received_on, first, last))
    line = next(line for line in pdf.text.splitlines() if DECISION_2023 in line and "€" in line)
    printed = [m.group(0) for m in re.finditer(r"-?\d{1,3}(?:\.\d{3})*,\d\d €", line)]
    assert printed == [format_cents(c) for c in (demo.current_version(decision).amount_cents, interim.planned,
                                                 received, interim.actual, interim.due, interim.balance)]
    assert interim.planned < demo.current_version(decision).amount_cents and "*" in line
    assert DECISION_2017 not in pdf.text  # ended in 2020


def test_funding_statement_of_a_whole_term_equals_the_screen(demo, tmp_path):
    decision = demo.decision_by_file_number(DECISION_2023)
    version = demo.current_version(decision)
    data = demo.funding_statement_data(version.first_day, version.last_day)
    (row,) = [r for g in data.groups for r in g.rows if r.file_number == DECISION_2023]
    screen = demo.balance(decision).total
    assert not row.partial
    assert (row.figures.due, row.figures.balance, row.figures.actual) == (screen.due, screen.balance, screen.actual)


def test_funding_statement_groups_by_area_with_totals(demo, tmp_path):
    rules = next(r for r in demo.rule_sets() if r.code == "VwV2023")
    demo.create_decision(e.Decision(None, e.FundingArea.VOLUNTEERING, "Landratsamt", "EA-2024/7"),
                         e.DecisionVersion(None, 0, 0, e.VersionKind.ORIGINAL, date(2024, 2, 1), date(2024, 3, 1),
                                           date(2024, 12, 31), 1_500_000, rules.id))
    out = tmp_path / "fs.pdf"
    demo.print_funding_statement(date(2024, 1, 1), date(2024, 12, 31), out, printed_on=PRINTED_ON)
    pdf = PdfText.read(out)
    assert "Förderbereich Bürgerschaftliches Engagement" in pdf.text
    total = pdf.labelled(pdf.text, "Gesamtsumme aller Förderbereiche")
    data = demo.funding_statement_data(date(2024, 1, 1), date(2024, 12, 31))
    assert total == data.total.balance == sum(r.figures.balance or 0 for g in data.groups for r in g.rows)
    decided_line = next(line for line in pdf.text.splitlines() if "Gesamtsumme aller Förderbereiche" in line)
    assert format_cents(sum(r.decided_cents for g in data.groups for r in g.rows)) in decided_line


def test_funding_statement_without_decisions(demo, tmp_path):
    out = tmp_path / "fs.pdf"
    demo.print_funding_statement(date(2010, 1, 1), date(2010, 12, 31), out)
    assert "keine Zuwendungsbescheide" in PdfText.read(out).text


# -- Mittelabruf --------------------------------------------------------------------------------

def test_payment_request_shows_granted_statement_paid_and_requested(demo, tmp_path):
    decision = demo.decision_by_file_number(DECISION_2023)  # the running decision: a rest is still to call
    out = tmp_path / "mr.pdf"
    balance = demo.balance(decision)
    demo.print_payment_request(decision, balance.requestable, out, printed_on=PRINTED_ON)
    pdf = PdfText.read(out)
    payments = demo.payments(decision)
    paid = sum(p.amount_cents for p in payments if p.received_on)
    pending = sum(p.amount_cents for p in payments if not p.received_on)
    granted = demo.current_version(decision).amount_cents
    assert pdf.labelled(pdf.text, "1. Bewilligte Zuwendung laut Bescheid") == granted
    assert pdf.labelled(pdf.text, "3. Zustehende Zuwendung nach diesen Ausgaben") == balance.due
    assert pdf.labelled(pdf.text, "4. Bereits ausgezahlte Abschläge") == paid
    assert pdf.labelled(pdf.text, "5. Angefordert, aber noch nicht eingegangen") == pending
    assert pdf.labelled(pdf.text, "6. Noch abrufbar") == balance.due - paid - pending == balance.requestable
    assert pdf.labelled(pdf.text, "7. Jetzt angeforderter Betrag") == balance.requestable
    data = demo.proof_of_use_data(decision, draft=True)
    assert pdf.labelled(pdf.text, "2. Ausgaben laut Nachweis") == data.numeric[0].figures.actual
    assert "DE22 6005 0101 0001 2345 67" in pdf.text
    assert len(pdf.pages) == 1 and "Seite 1 von 1" in pdf.pages[0]


def test_payment_request_beyond_the_open_grant_is_refused(demo, tmp_path):
    decision = demo.decision_by_file_number(DECISION_2017)  # closed: everything received in the demo
    out = tmp_path / "mr.pdf"
    with pytest.raises(ValidationError, match="höchstens 0,00 €"):
        demo.print_payment_request(decision, 1, out)
    with pytest.raises(ValidationError):
        demo.print_payment_request(decision, 0, out)
    assert not out.exists()


# -- Sachbericht --------------------------------------------------------------------------------

def test_narrative_headings_items_and_soft_breaks():
    text = "1. Ausgangslage\nZeile eins\nZeile zwei.\n\n- erster Punkt\n- zweiter Punkt\n\n# Ergebnisse\nText"
    assert list(blocks(text)) == [
        ("heading", "1. Ausgangslage"), ("paragraph", "Zeile eins Zeile zwei."),
        ("item", "erster Punkt"), ("item", "zweiter Punkt"),
        ("heading", "Ergebnisse"), ("paragraph", "Text")]


def test_long_sachbericht_prints_in_full_with_a_warning(demo, tmp_path):
    decision = demo.decision_by_file_number(DECISION_2023)
    sentence = "Die Integrationsmanagerinnen berieten Familien in der Anschlussunterbringung & <mehr>. "
    paragraphs = [f"{n}. Abschnitt {n}\n" + sentence * 12 for n in range(1, 100)]
    text = "\n\n".join(paragraphs)
    text += "\n\n" + "x" * 3000  # one word longer than a line
    assert len(text) > 100_000
    demo.save_narrative(decision, text)
    demo.save_narrative(decision, "Beitrag der Caritas: 40 Beratungen.", provider_id=demo.providers()[0].id)
    out = tmp_path / "vn.pdf"
    result = demo.print_proof_of_use(decision, out, printed_on=PRINTED_ON, with_receipt_lists=True)
    assert any("Der Sachbericht umfasst" in w for w in result.warnings)
    pdf = PdfText.read(out)
    flat = pdf.flat()
    assert "99.Abschnitt99" in flat and flat.count(sentence.replace(" ", "")) == 99 * 12
    assert sum(len(run) for run in re.findall("x{20,}", flat)) == 3000  # split across a page break
    assert "Beitrag des Trägers" in pdf.text and "40 Beratungen" in pdf.text


def test_without_an_audit_office_the_confirmations_say_so(demo, tmp_path):
    import dataclasses

    demo.save_profile(dataclasses.replace(demo.profile(), has_audit_office=False))
    out = tmp_path / "vn.pdf"
    demo.print_proof_of_use(demo.decision_by_file_number(DECISION_2023), out, printed_on=PRINTED_ON)
    last = PdfText.read(out).pages[-1]
    assert "Ein kommunales Rechnungsprüfungsamt ist nicht vorhanden." in last
    assert "Prüfvermerk" not in last and "Sachlich und rechnerisch richtig" in last
    assert "Ort, Datum" in last and "Name: Thomas Bauer" in last and "Amtsbezeichnung: Bürgermeister" in last


# -- writing the file -----------------------------------------------------------------------------

def test_an_existing_pdf_is_replaced_only_by_a_complete_one(demo, tmp_path):
    decision = demo.decision_by_file_number(DECISION_2023)
    out = tmp_path / "vn.pdf"
    out.write_bytes(b"%PDF old")

    class Cancelled(Exception):
        pass

    def cancel(done, total):
        if done > 5:
            raise Cancelled

    with pytest.raises(Cancelled):
        demo.print_proof_of_use(decision, out, progress=cancel)
    assert out.read_bytes() == b"%PDF old"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []
    seen = []
    demo.print_proof_of_use(decision, out, progress=lambda done, total: seen.append((done, total)))
    assert out.read_bytes().startswith(b"%PDF-") and seen[-1][0] == seen[-1][1] > 0


def test_gathered_data_renders_on_a_worker_thread_without_the_database(demo, tmp_path):
    import threading

    from paktdesk.reports import write_pdf

    data = demo.proof_of_use_data(demo.decision_by_file_number(DECISION_2023), printed_on=PRINTED_ON)
    demo.close()  # the worker must not need the connection
    results = []
    worker = threading.Thread(target=lambda: results.append(write_pdf(data, tmp_path / "vn.pdf")))
    worker.start()
    worker.join()
    assert results and results[0].pages == len(PdfText.read(tmp_path / "vn.pdf").pages)


def test_missing_folder_gives_a_german_message(demo, tmp_path):
    decision = demo.decision_by_file_number(DECISION_2023)
    with pytest.raises(PaktDeskError, match="existiert nicht"):
        demo.print_proof_of_use(decision, tmp_path / "fehlt" / "vn.pdf")


def test_printing_changes_no_data(demo, tmp_path):
    decision = demo.decision_by_file_number(DECISION_2023)
    before = (demo.counts(), demo.control_totals())
    demo.print_proof_of_use(decision, tmp_path / "vn.pdf")
    assert (demo.counts(), demo.control_totals()) == before
    assert demo.check() == []


# -- command line -------------------------------------------------------------------------------

def test_cli_prints_each_document(demo, tmp_path, capsys):
    data = demo.path
    demo.close()
    runs = {
        "proof.pdf": ["print", "proof", "--decision", DECISION_2023],
        "proof-alias.pdf": ["print", "proof-of-use", "--decision", DECISION_2017, "--entwurf"],
        "interim.pdf": ["print", "interim", "--decision", DECISION_2023, "--from", "01.01.2024", "--to", "30.06.2024"],
        "statement.pdf": ["print", "statement", "--year", "2024"],
        "request.pdf": ["print", "request", "--decision", DECISION_2023, "--amount", "1.000,00"],
    }
    for name, args in runs.items():
        out = tmp_path / name
        assert main(["--data", str(data), *args, "--out", str(out), "--printed-on", "12.03.2025"]) == 0, name
        pdf = PdfText.read(out)
        assert "Gedruckt am 12.03.2025" in pdf.pages[0] and "Gemeinde Lindenbach" in pdf.pages[0]
    assert "PDF geschrieben" in capsys.readouterr().out
    assert main(["--data", str(data), "print", "proof", "--decision", "gibt-es-nicht",
                 "--out", str(tmp_path / "x.pdf")]) == 1
    assert "keinen Bescheid" in capsys.readouterr().err
    assert main(["--data", str(data), "print", "statement", "--out", str(tmp_path / "x.pdf")]) == 2
    with pytest.raises(SystemExit) as exit_info:
        main(["--data", str(data), "print", "proof", "--out", str(tmp_path / "x.pdf")])
    assert exit_info.value.code == 2
    assert not (tmp_path / "x.pdf").exists()
