"""The applicant's key figures lie between its largest manager's and the sum of all of theirs
(persons advised by several managers count once in the total): checked when the figures are
saved (a warning, the figures are kept) and when the proof of use is printed (a warning of the
print and a line on the key-figure sheet). The demo's own figures pass."""

from __future__ import annotations

from report_helpers import DECISION_2023, PRINTED_ON, PdfText

from paktdesk.core.key_figures import applicant_problems


def test_the_rule_names_the_figure_and_both_bounds():
    labels = {"beraten_gesamt": "Beratene Personen gesamt"}
    persons = [{"beraten_gesamt": 60}, {"beraten_gesamt": 50}, {"beraten_w": 3}]
    assert applicant_problems({"beraten_gesamt": 100}, persons, labels=labels) == []
    assert applicant_problems({"beraten_gesamt": 60}, persons) == []
    assert applicant_problems({"beraten_gesamt": 110}, persons) == []
    (low,) = applicant_problems({"beraten_gesamt": 59}, persons, labels=labels)
    assert "„Beratene Personen gesamt“" in low.message and "(59)" in low.message and "(60)" in low.message
    (high,) = applicant_problems({"beraten_gesamt": 111}, persons, labels=labels)
    assert "größer als die Summe" in high.message and "(110)" in high.message
    assert applicant_problems({"vermittlungen": 5}, persons) == []  # no manager recorded it


def test_saving_an_implausible_total_warns_and_keeps_it(demo):
    year = 2024
    persons = [s for s in demo.key_figure_subjects(year) if s is not None]
    summed = sum(demo.key_figures(year, pid)["beraten_gesamt"] for pid in persons)
    current = demo.key_figures(year, None)
    raised = summed + 40 - current["beraten_gesamt"]  # the breakdown by sex grows with it
    change = demo.save_key_figures(year, None, {"beraten_gesamt": summed + 40,
                                                "beraten_m": current["beraten_m"] + raised})
    assert any("größer als die Summe der Integrationsmanager:innen" in w and f"({summed})" in w
               for w in change.warnings)
    assert demo.key_figures(year, None)["beraten_gesamt"] == summed + 40
    # a manager's figure above the applicant's total is flagged when that manager's figures are saved
    change = demo.save_key_figures(year, persons[0], {"vermittlungen": current["vermittlungen"] + 5})
    assert any("kleiner als der Wert einer Integrationsmanager:in" in w for w in change.warnings)


def test_the_demo_figures_are_plausible_and_a_wrong_one_is_flagged_on_the_print(demo, tmp_path):
    decision = demo.decision_by_file_number(DECISION_2023)
    out = tmp_path / "vn.pdf"
    result = demo.print_proof_of_use(decision, out, printed_on=PRINTED_ON, draft=True)
    assert not [w for w in result.warnings if w.startswith("Kennzahlen")]
    assert "Bitte prüfen" not in PdfText.read(out).text

    for year in (2023, 2024):  # the sheet adds up the years of the decision
        demo.save_key_figures(year, None, {"vermittlungen": 1})  # below every manager's own count
    result = demo.print_proof_of_use(decision, out, printed_on=PRINTED_ON, draft=True)
    (warning,) = [w for w in result.warnings if w.startswith("Kennzahlen")]
    assert "kleiner als der Wert einer Integrationsmanager:in" in warning
    assert "Bitte prüfen:" in PdfText.read(out).text
