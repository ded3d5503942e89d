"""Drittmittel in the printed numeric proof (zahlenmäßiger Nachweis), read back from the PDF: the
demo's Landkreis money for Sabine Keller (10.000,00 € planned, 2 × 5.000,00 € received) appears
in her proof and in the decision's total, and the financing rows add up to the total cost."""

from __future__ import annotations

import re
from datetime import date

from report_helpers import AMOUNT, DECISION_2023, PRINTED_ON, PdfText

from paktdesk.core import entities as e
from paktdesk.core.money import format_cents, parse_cents


def financing(page: str) -> dict[str, list[int]]:
    """The financing table and the result lines of one numeric proof page: label → amounts."""
    rows = {}
    for label in ("Zuwendung (Ist: zustehende Zuwendung)", "Bewilligte Zuwendung (Festbetrag)", "Eigenanteil",
                  "Drittmittel", "Summe (= Gesamtausgaben)", "Zuwendungsfähige Ausgaben abzüglich Drittmittel",
                  "Zustehende Zuwendung (der niedrigere der beiden Beträge)"):
        line = next((line for line in page.splitlines() if line.strip().startswith(label)
                     and re.search(AMOUNT, line)), None)
        if line is None:  # the decision's sheet has no per-person result line
            continue
        rows[label] = [parse_cents(a) for a in re.findall(AMOUNT, line[len(line) - len(line.lstrip()) + len(label):])]
    return rows


def proof_page(pdf: PdfText, title: str) -> str:
    return next(p for p in pdf.pages if "Zahlenmäßiger Nachweis" in p and title in p
                and "Finanzierung" in p)


def test_drittmittel_are_printed_and_the_sums_add_up(printed_demo):
    ws, decision, _result, pdf = printed_demo
    keller = proof_page(pdf, "Integrationsmanager:in Sabine Keller")
    rows = financing(keller)
    assert rows["Drittmittel"] == [1_000_000, 1_000_000]  # laut Bescheid / Ist
    grant, own, third, total = (rows[k] for k in ("Zuwendung (Ist: zustehende Zuwendung)", "Eigenanteil",
                                                  "Drittmittel", "Summe (= Gesamtausgaben)"))
    assert grant[1] + own[1] + third[1] == total[1]  # Ist: zustehende Zuwendung + Eigenanteil + Drittmittel
    assert grant[0] + third[0] + own[0] == total[0]  # plan without a cost plan: Zuwendung + Drittmittel
    assert own[0] == 0 and own[1] >= 0
    fixed = rows["Bewilligte Zuwendung (Festbetrag)"][0]
    assert fixed == grant[0]
    assert rows["Zuwendungsfähige Ausgaben abzüglich Drittmittel"] == [total[1] - 1_000_000]
    assert rows["Zustehende Zuwendung (der niedrigere der beiden Beträge)"] == [
        min(fixed, total[1] - 1_000_000)] == [grant[1]]
    # the same figures as the plan-vs-actual screen
    line = next(x for x in ws.balance(decision).by_person if x.label == "Keller, Sabine")
    assert (line.third_party, line.actual, line.own_share, line.due) == (1_000_000, total[1], own[1], grant[1])

    whole = proof_page(pdf, "Bescheid insgesamt")
    assert financing(whole)["Drittmittel"] == [1_000_000, 1_000_000]
    assert "Drittmittel (geplant / erhalten): Landkreis Heilbronn 10.000,00 € / 10.000,00 €." in pdf.text
    others = [p for p in pdf.pages if "Zahlenmäßiger Nachweis" in p and "Integrationsmanager:in" in p
              and "Finanzierung" in p and "Sabine Keller" not in p]
    assert others and all(financing(p)["Drittmittel"] == [0, 0] for p in others)


def test_an_interim_proof_counts_only_drittmittel_received_in_its_period(demo, tmp_path):
    decision = demo.decision_by_file_number(DECISION_2023)
    out = tmp_path / "zn.pdf"
    demo.print_interim(decision, date(2023, 1, 1), date(2023, 12, 31), out, printed_on=PRINTED_ON, with_receipt_lists=True)
    pdf = PdfText.read(out)
    rows = financing(proof_page(pdf, "Integrationsmanager:in Sabine Keller"))
    # the plan's share of 2023 (365 of the 731 days of the Bewilligungszeitraum), 2023 received
    assert rows["Drittmittel"] == [499_316, 500_000]


def test_drittmittel_for_the_decision_as_a_whole_are_shared_by_fixed_amounts(demo, tmp_path):
    decision = demo.decision_by_file_number(DECISION_2023)
    demo.add_third_party(e.ThirdPartyFund(None, decision, e.ThirdPartyKind.RECEIVED, "Stiftung Bürgersinn",
                                          123_457, date(2024, 6, 3), purpose="Projektzuschuss"))
    out = tmp_path / "vn.pdf"
    demo.print_proof_of_use(decision, out, printed_on=PRINTED_ON, with_receipt_lists=True)
    pdf = PdfText.read(out)
    persons = [p for p in pdf.pages if "Zahlenmäßiger Nachweis" in p and "Integrationsmanager:in" in p
               and "Finanzierung" in p]
    assert len(persons) == 5
    received = [financing(p)["Drittmittel"][1] for p in persons]
    assert sum(received) == 1_000_000 + 123_457  # shared to the cent
    assert all(r > 0 for r in received)
    whole = financing(proof_page(pdf, "Bescheid insgesamt"))
    assert whole["Drittmittel"][1] == 1_123_457
    assert format_cents(1_123_457) in pdf.text
