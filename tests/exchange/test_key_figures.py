"""Key figures: plausibility rules, saving with errors and warnings, the carried-forward form,
and the editable list of figures."""

from __future__ import annotations

import pytest

from paktdesk.core import entities as e
from paktdesk.core import key_figures as rules
from paktdesk.core.errors import ValidationError

GOOD = {"beraten_gesamt": 50, "beraten_m": 20, "beraten_w": 29, "beraten_d": 1,
        "alter_u18": 10, "alter_18_26": 15, "alter_27_64": 23, "alter_65": 2,
        "faelle_neu": 20, "faelle_abgeschlossen": 12}


def test_consistent_figures_pass_without_warnings():
    result = rules.review(GOOD)
    assert result.ok and result.warnings == ()


@pytest.mark.parametrize("value", [-1, 1.5, "3", True, None, rules.MAX_VALUE + 1])
def test_only_whole_non_negative_numbers(value):
    result = rules.review({**GOOD, "vermittlungen": value})
    assert [p.code for p in result.errors] == ["vermittlungen"]
    assert "ganze Zahl" in result.errors[0].message


def test_closed_cases_above_counselled_is_an_error():
    result = rules.review({**GOOD, "faelle_abgeschlossen": 51}, labels={"faelle_abgeschlossen": "Abgeschlossene Fälle"})
    assert len(result.errors) == 1
    assert "„Abgeschlossene Fälle“ (51) ist größer" in result.errors[0].message


def test_sex_breakdown_above_total_is_an_error_and_below_a_warning():
    over = rules.review({**GOOD, "beraten_w": 40})
    assert any("nach Geschlecht ergibt 61, mehr als" in p.message for p in over.errors)
    under = rules.review({**GOOD, "beraten_w": 20})
    assert under.ok
    assert any("nach Geschlecht ergibt 41, weniger als" in p.message for p in under.warnings)


def test_age_breakdown_above_total_is_an_error():
    result = rules.review({**GOOD, "alter_65": 30})
    assert any("nach Altersgruppen" in p.message for p in result.errors)


def test_partial_breakdown_is_checked_against_total_only_when_too_large():
    assert rules.review({"beraten_gesamt": 10, "beraten_w": 4}).warnings == ()
    assert not rules.review({"beraten_gesamt": 10, "beraten_w": 11}).ok


def test_new_cases_above_counselled_is_only_a_warning():
    result = rules.review({**GOOD, "faelle_neu": 60})
    assert result.ok and len(result.warnings) == 1


def test_parse_count_accepts_german_thousands_and_blank():
    assert rules.parse_count("1.234") == 1234
    assert rules.parse_count(" 17 ") == 17
    assert rules.parse_count("") is None
    for bad in ("1,5", "-3", "abc", "١٢"):
        with pytest.raises(ValidationError, match="keine ganze Zahl"):
            rules.parse_count(bad)


def test_save_blocks_errors_and_changes_nothing(demo):
    before = demo.key_figures(2024, None)
    audit_before = len(demo.audit_entries(limit=100000))
    with pytest.raises(ValidationError, match="ist größer als"):
        demo.save_key_figures(2024, None, {"faelle_abgeschlossen": before["beraten_gesamt"] + 1})
    with pytest.raises(ValidationError, match="ganze Zahl"):
        demo.save_key_figures(2024, None, {"vermittlungen": -4})
    assert demo.key_figures(2024, None) == before
    assert len(demo.audit_entries(limit=100000)) == audit_before


def test_save_checks_the_merged_year_not_only_the_changed_values(demo):
    total = demo.key_figures(2024, None)["beraten_gesamt"]
    with pytest.raises(ValidationError, match="nach Geschlecht"):
        demo.save_key_figures(2024, None, {"beraten_w": total + 1})


def test_save_returns_warnings_and_stores(demo):
    person = demo.persons()[0].id
    values = dict(GOOD, beraten_w=20)  # sum 41 < 50
    change = demo.save_key_figures(2025, person, values)
    assert any("weniger als" in w for w in change.warnings)
    assert demo.key_figures(2025, person) == values


def test_none_removes_a_value(demo):
    person = demo.persons()[0].id
    demo.save_key_figures(2025, person, {"vermittlungen": 7})
    demo.save_key_figures(2025, person, {"vermittlungen": None})
    assert "vermittlungen" not in demo.key_figures(2025, person)
    assert demo.audit_entries(entity="key_figures")[0].new is None


def test_unknown_code_and_year_refused(demo):
    with pytest.raises(ValidationError, match="Unbekannte Kennzahl"):
        demo.save_key_figures(2024, None, {"erfunden": 1})
    with pytest.raises(ValidationError, match="nicht plausibel"):
        demo.save_key_figures(1999, None, {"vermittlungen": 1})


def test_form_is_carried_forward_from_last_year(demo):
    person = demo.persons()[0].id
    last_year = demo.key_figures(2024, person)
    rows = demo.key_figure_form(2025, person)
    assert [r.definition.code for r in rows] == [d.code for d in demo.key_figure_defs()]
    assert all(r.value is None for r in rows)
    assert {r.definition.code: r.previous for r in rows} == last_year
    subjects = demo.key_figure_subjects(2025)
    assert subjects[0] is None and set(subjects[1:]) == {p.id for p in demo.persons()}


def test_definitions_add_rename_deactivate(demo):
    demo.save_key_figure_def(e.KeyFigureDef("sprachkurs", "In Sprachkurse vermittelt", "Vermittlungen", 51))
    assert demo.key_figure_defs()[-1].code == "sprachkurs"
    demo.save_key_figures(2025, None, {"sprachkurs": 9})
    demo.save_key_figure_def(e.KeyFigureDef("sprachkurs", "In Integrationskurse vermittelt", "Vermittlungen", 51))
    assert next(d for d in demo.key_figure_defs() if d.code == "sprachkurs").label == "In Integrationskurse vermittelt"
    demo.set_key_figure_def_active("sprachkurs", False)
    assert "sprachkurs" not in [d.code for d in demo.key_figure_defs()]
    assert demo.key_figures(2025, None) == {"sprachkurs": 9}  # values stay
    assert "sprachkurs" in [r.definition.code for r in demo.key_figure_form(2025)]  # has a value this year
    assert "sprachkurs" not in [r.definition.code for r in demo.key_figure_form(2026)]
    actions = [a.action for a in demo.audit_entries(entity="key_figure_defs")]
    assert actions == ["Kennzahl deaktiviert", "Kennzahl geändert", "Kennzahl angelegt"]


@pytest.mark.parametrize("code", ["", "Groß", "1abc", "a-b", "x" * 41])
def test_bad_definition_codes_refused(demo, code):
    with pytest.raises(ValidationError, match="Kürzel"):
        demo.save_key_figure_def(e.KeyFigureDef(code, "Etwas", "", 1))


def test_duplicate_code_is_a_rename_not_a_second_figure(demo):
    count = len(demo.key_figure_defs(active_only=False))
    demo.save_key_figure_def(e.KeyFigureDef("vermittlungen", "Vermittlungen (neu benannt)", "Vermittlungen", 50))
    assert len(demo.key_figure_defs(active_only=False)) == count


def test_review_shows_what_saving_would_say_without_saving(demo):
    total = demo.key_figures(2024, None)["beraten_gesamt"]
    result = demo.review_key_figures(2024, None, {"faelle_abgeschlossen": total + 1, "vermittlungen": None})
    assert not result.ok and result.errors[0].code == "faelle_abgeschlossen"
    assert "vermittlungen" in demo.key_figures(2024, None)
    assert demo.key_figure_years() == [2023, 2024]
