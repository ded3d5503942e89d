"""The Stammdaten form in Einstellungen: a bad field shows a German message beside it and nothing
is saved; a warning (AGS outside Baden-Württemberg) is shown but the profile is saved."""

import pytest
from PySide6.QtCore import Qt


@pytest.fixture
def profile_page(window):
    return window.show_section("settings").show_page("Stammdaten")


def _stored(check_ws):
    ws = check_ws()
    try:
        return ws.profile(), ws.counts()["audit_log"]
    finally:
        ws.close()


@pytest.mark.parametrize(("field", "value", "message_part"), [
    ("ags", "0812509", "genau 8 Ziffern"),
    ("ags", "08A25097", "genau 8 Ziffern"),
    ("iban", "DE23 6005 0101 0001 2345 67", "Prüfziffern"),
    ("iban", "DE22 6005", "keine gültige IBAN"),
    ("name", "   ", "Namen"),
    ("postcode", "7499", "5 Ziffern"),
])
def test_bad_field_is_shown_at_the_field_and_nothing_saved(profile_page, check_ws, qtbot, field, value,
                                                             message_part):
    before, audit_before = _stored(check_ws)
    edit = profile_page.form.fields[field]
    edit.clear()
    qtbot.keyClicks(edit, value)
    profile_page.form.city_edit.setText("Anderswo")  # a valid change that must not be saved either
    qtbot.mouseClick(profile_page.save_button, Qt.MouseButton.LeftButton)

    message = profile_page.form.error_text(field)
    assert message_part in message
    assert profile_page.form.error_labels[field].isVisible()
    assert profile_page.saved_label.text() == ""
    after, audit_after = _stored(check_ws)
    assert after == before
    assert audit_after == audit_before


def test_typing_in_the_field_clears_its_message(profile_page, qtbot):
    profile_page.form.ags_edit.setText("123")
    assert not profile_page.save()
    assert profile_page.form.error_text("ags")
    place = profile_page.form.iban_edit.geometry()
    qtbot.keyClicks(profile_page.form.ags_edit, "4")
    assert profile_page.form.error_text("ags") == ""
    profile_page.form.layout().activate()
    assert profile_page.form.iban_edit.geometry() == place  # the fields below did not jump up


def test_kreis_route_needs_the_kreis(profile_page, check_ws):
    before, _ = _stored(check_ws)
    form = profile_page.form
    form.route_combo.setCurrentIndex(form.route_combo.findText("über den Landkreis"))
    assert form.kreis_name_edit.isEnabled()
    assert not profile_page.save()
    assert "Landkreis" in form.error_text("kreis_name")
    assert _stored(check_ws)[0] == before

    form.kreis_name_edit.setText("Landkreis Heilbronn")
    assert profile_page.save()
    after, _ = _stored(check_ws)
    assert (after.funding_route, after.kreis_name) == ("kreis", "Landkreis Heilbronn")


def test_non_bw_ags_is_saved_with_a_warning(profile_page, check_ws):
    form = profile_page.form
    form.ags_edit.setText("09162000")
    form.iban_edit.setText("de89 3704 0044 0532 0130 00")
    assert profile_page.save()
    assert not form.warning_label.isHidden()
    assert "nicht in Baden-Württemberg" in form.warning_label.text()
    stored, _ = _stored(check_ws)
    assert stored.ags == "09162000"
    assert stored.iban == "DE89370400440532013000"
    assert form.iban_edit.text() == "DE89 3704 0044 0532 0130 00"
    assert profile_page.saved_label.text() == "Stammdaten gespeichert."


def test_discard_restores_the_stored_values(profile_page, check_ws):
    stored, _ = _stored(check_ws)
    profile_page.form.name_edit.setText("Irgendwas")
    profile_page.reset_button.click()
    assert profile_page.form.name_edit.text() == stored.name


def test_signer_audit_office_and_retention_are_typed_and_saved(profile_page, check_ws, qtbot):
    form = profile_page.form
    form.audit_office_check.setChecked(True)
    form.signer_name_edit.clear()
    qtbot.keyClicks(form.signer_name_edit, "Dr. Anna Roth")
    form.signer_title_combo.setCurrentIndex(form.signer_title_combo.findText("Kämmerer:in"))
    # QTest types ASCII only: the umlaut texts are set, the rest typed
    form.audit_office_name_edit.setText("Rechnungsprüfungsamt Lindenbach")
    qtbot.keyClicks(form.audit_note_edit, "Keine Beanstandungen.")
    form.retention_spin.setFocus()
    form.retention_spin.selectAll()
    qtbot.keyClicks(form.retention_spin, "10")
    qtbot.keyClick(form.retention_spin, Qt.Key.Key_Tab)
    qtbot.mouseClick(profile_page.save_button, Qt.MouseButton.LeftButton)
    saved, _ = _stored(check_ws)
    assert (saved.signer_name, saved.signer_title, saved.retention_years) == ("Dr. Anna Roth", "Kämmerer:in", 10)
    assert saved.audit_office_name == "Rechnungsprüfungsamt Lindenbach"
    assert saved.audit_note == "Keine Beanstandungen."
    form.audit_office_check.setChecked(False)
    assert not form.audit_note_edit.isEnabled()


def test_a_kreis_is_added_as_grantor_by_keyboard_and_the_rp_is_seeded(profile_page, check_ws, qtbot, tmp_path):
    editor = profile_page.grantors
    assert editor.list.count() == 1 and "Am Eichamt 2" in editor.list.item(0).text()
    qtbot.keyClick(editor.new_button, Qt.Key.Key_Space)
    assert editor.edits["name"].hasFocus() or editor.edits["name"].text() == ""
    qtbot.keyClicks(editor.edits["name"], "Landratsamt Heilbronn")
    qtbot.keyClicks(editor.edits["department"], "Amt fuer Migration")
    editor.edits["street"].setText("Lerchenstraße 40")  # QTest types ASCII only
    qtbot.keyClicks(editor.edits["postcode"], "74072")
    qtbot.keyClicks(editor.edits["city"], "Heilbronn")
    qtbot.keyClick(editor.save_button, Qt.Key.Key_Space)
    assert editor.list.count() == 2
    profile_page.grab().save(str(tmp_path / "stammdaten.png"))
    ws = check_ws()
    try:
        assert ws.grantor_for_text("Landratsamt Heilbronn, Amt für Migration").street == "Lerchenstraße 40"
    finally:
        ws.close()
    editor.edits["postcode"].setText("123")
    assert not editor.save()  # a German message instead, nothing stored
