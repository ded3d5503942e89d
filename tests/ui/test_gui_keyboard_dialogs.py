"""Dialogs driven by the keys a clerk presses, typed wherever the cursor is (not into a chosen
widget): a refused receipt moves the cursor to the wrong field, a new dialog starts in its first
field, the space bar never presses a button meant for later, Esc asks before typed input goes."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from paktdesk.workspace import Workspace

def type_at_cursor(text: str) -> None:
    """Each character goes to the widget that has the focus at that moment, as on a keyboard."""
    for char in text:
        widget = QApplication.focusWidget()
        assert widget is not None, f"no focus while typing {text!r}"
        if char.isascii() and char.isprintable():
            QTest.keyClick(widget, char)
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):  # umlauts, dashes: as the layout sends them
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char))


def press(key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(QApplication.focusWidget(), key, modifier)


def _modal(qtbot):
    """The dialog just opened, once it has the keyboard."""
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is not None)
    dialog = QApplication.activeModalWidget()
    return _active(qtbot, dialog)


def _active(qtbot, dialog):
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    return dialog


def _stored(path) -> Workspace:
    return Workspace.open(path, read_only=True)


def test_refused_receipt_puts_the_cursor_into_the_wrong_amount(window, qtbot, demo_file):
    """Fault 1: after "12,3.4" was refused, the correction typed next went into Beleg-Nr."""
    page = window.show_section("funding").show_page("Belege")
    page.table.setFocus()
    press(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = _modal(qtbot)
    assert QApplication.focusWidget() is dialog.date_field
    decision_id = dialog.decision_combo.currentData()
    number = dialog.number_spin.value()
    before = len(window.ctx.workspace.receipts(decision_id))
    type_at_cursor("15.03.2019")  # inside the proposed decision's period
    press(Qt.Key.Key_Return)
    press(Qt.Key.Key_Return)  # Bezahlt am: empty
    press(Qt.Key.Key_Return)  # Haushaltsjahr as proposed
    type_at_cursor("Druckerei Huber")
    press(Qt.Key.Key_Return)
    type_at_cursor("Flyer Beratung")
    press(Qt.Key.Key_Return)
    press(Qt.Key.Key_Return)  # Kostenart as proposed
    assert dialog.focusWidget() is dialog.amount_field
    type_at_cursor("12,3.4")
    press(Qt.Key.Key_Return)
    press(Qt.Key.Key_Return)  # Person as proposed
    assert dialog.focusWidget() is dialog.number_spin
    press(Qt.Key.Key_Return)  # books: refused

    assert dialog.focusWidget() is dialog.amount_field
    assert "„12,3.4“ ist kein gültiger Betrag" in dialog.messages.message("amount")
    assert dialog.messages.wrong_fields() == [dialog.amount_field]
    assert "b3261e" in dialog.amount_field.styleSheet()
    type_at_cursor("2.150,00")  # the correction replaces the wrong amount
    assert dialog.amount_field.text() == "2.150,00" and dialog.number_spin.value() == number
    assert dialog.messages.message("amount") == ""  # valid now: message and frame gone
    assert dialog.amount_field.styleSheet() == ""
    press(Qt.Key.Key_Return)
    press(Qt.Key.Key_Return)
    press(Qt.Key.Key_Return)  # books
    assert len(dialog.booked) == 1, (dialog.messages.texts(), type(QApplication.focusWidget()).__name__)
    dialog.done(0)

    ws = _stored(demo_file)
    receipt = ws.receipt(dialog.booked[0])
    assert (receipt.amount_cents, receipt.number, receipt.payee) == (215_000, number, "Druckerei Huber")
    assert len(ws.receipts(decision_id)) == before + 1
    ws.close()


def test_every_wrong_receipt_field_at_once_and_the_first_gets_the_cursor(window, qtbot):
    page = window.show_section("funding").show_page("Belege")
    dialog = _active(qtbot, page.enter_receipts())
    assert QApplication.focusWidget() is dialog.date_field
    type_at_cursor("31.02.2023")
    press(Qt.Key.Key_Tab)
    type_at_cursor("1.1.")
    dialog.amount_field.setText("zwölf")
    dialog.number_spin.setFocus()
    press(Qt.Key.Key_Return)
    assert dialog.messages.wrong_fields() == [dialog.date_field, dialog.amount_field]
    assert dialog.focusWidget() is dialog.date_field and dialog.booked == []
    press(Qt.Key.Key_Backspace)
    type_at_cursor("28.02.2023")
    assert dialog.messages.wrong_fields() == [dialog.amount_field]  # only the corrected one went
    dialog.done(0)


def test_new_provider_keeps_the_first_word_and_space_presses_no_button(window, qtbot, demo_file):
    """Fault 2: "Gemeinde Musterhausen – Hauptamt" was saved as "Musterhausen – Hauptamt"."""
    page = window.show_section("persons").show_page("Träger")
    page.table.setFocus()
    seen: list[tuple] = []

    def fill_in() -> None:
        dialog = QApplication.activeModalWidget()
        try:
            _active(qtbot, dialog)
            seen.append((type(dialog).__name__, QApplication.focusWidget() is dialog.name_edit))
            type_at_cursor("Gemeinde Musterhausen – Hauptamt")
            seen.append(dialog.isVisible())  # the space bar pressed nothing
            press(Qt.Key.Key_Return)
        finally:
            if dialog.isVisible():
                dialog.done(0)

    QTimer.singleShot(0, fill_in)
    press(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # the dialog's exec() returns after Enter
    assert seen == [("ProviderDialog", True), True]
    ws = _stored(demo_file)
    assert "Gemeinde Musterhausen – Hauptamt" in [p.name for p in ws.providers()]
    ws.close()


def test_no_dialog_button_is_auto_default_and_the_cursor_starts_in_a_field(window, qtbot):
    opened = []
    for section, tab in (("persons", "Personen"), ("persons", "Träger"), ("funding", "Bescheide"),
                         ("funding", "Zahlungen"), ("funding", "Belege"), ("funding", "Weiterleitungen"),
                         ("funding", "Drittmittel"), ("settings", "Kennzahlen")):
        page = window.show_section(section).show_page(tab)

        def look() -> None:
            dialog = QApplication.activeModalWidget()
            qtbot.waitUntil(lambda: dialog.focusWidget() is not None)
            focus = dialog.focusWidget()
            buttons = dialog.findChildren(QPushButton)
            opened.append((type(dialog).__name__, type(focus).__name__,
                           [b.text() for b in buttons if b.autoDefault()]))
            dialog.done(0)

        QTimer.singleShot(0, look)
        page.new_button.click()
        qtbot.waitUntil(lambda: len(opened) == len(set(o[0] for o in opened)) and QApplication.activeModalWidget()
                        is None)
    for name, focus, auto_default in opened:
        assert "Button" not in focus, (name, focus)
        assert auto_default == [], (name, auto_default)
    assert len(opened) == 8


def test_esc_asks_before_typed_input_is_discarded(window, qtbot, monkeypatch):
    asked: list[str] = []
    answer = [QMessageBox.StandardButton.No]

    def question(parent, title, text, *args, **kwargs):
        asked.append(title)
        return answer[0]

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    page = window.show_section("funding").show_page("Zahlungen")
    dialog = _active(qtbot, page.new_payment())
    press(Qt.Key.Key_Escape)  # nothing typed: closes without a question
    assert not dialog.isVisible() and asked == []

    dialog = _active(qtbot, page.new_payment())
    press(Qt.Key.Key_Tab)
    type_at_cursor("01.02.2024")
    press(Qt.Key.Key_Escape)
    assert asked == ["Eingaben verwerfen?"] and dialog.isVisible()  # "Nein": the input stays
    assert dialog.requested_field.text() == "01.02.2024"
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert asked == ["Eingaben verwerfen?"] * 2 and dialog.isVisible()
    answer[0] = QMessageBox.StandardButton.Yes
    press(Qt.Key.Key_Escape)
    assert not dialog.isVisible()

    receipts = window.show_section("funding").show_page("Belege")
    dialog = _active(qtbot, receipts.enter_receipts())
    type_at_cursor("15.03.2023")
    answer[0] = QMessageBox.StandardButton.No
    press(Qt.Key.Key_Escape)
    assert dialog.isVisible() and asked[-1] == "Eingaben verwerfen?"
    dialog.done(0)


def test_person_dialog_offers_a_new_traeger_in_place_and_says_why_it_cannot_save(qtbot, data_path):
    from paktdesk.ui.context import UiContext
    from paktdesk.ui.dialogs.person import NO_PROVIDER, PersonDialog

    ws = Workspace.open(data_path, create=True)  # a file without any Träger yet
    ctx = UiContext(ws)
    try:
        dialog = PersonDialog(ctx, None)
        qtbot.addWidget(dialog)
        dialog.show()
        _active(qtbot, dialog)
        type_at_cursor("Aylin")
        press(Qt.Key.Key_Tab)
        type_at_cursor("Demir")
        press(Qt.Key.Key_Return)  # refused: no Träger
        assert dialog.isVisible() and dialog.messages.message("provider") == NO_PROVIDER
        assert QApplication.focusWidget() is dialog.provider_combo
        assert [dialog.provider_combo.itemText(i) for i in range(dialog.provider_combo.count())] == \
            ["Neuer Träger …"]

        def new_provider() -> None:
            inner = QApplication.activeModalWidget()
            try:
                _active(qtbot, inner)
                type_at_cursor("Caritas Unterland")
                press(Qt.Key.Key_Return)
            finally:
                if inner.isVisible():
                    inner.done(0)

        QTimer.singleShot(0, new_provider)
        press(Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)  # open the list …
        qtbot.waitUntil(lambda: dialog.provider_combo.view().isVisible())
        QTest.keyClick(dialog.provider_combo.view(), Qt.Key.Key_Return)  # … and take "Neuer Träger …"
        qtbot.waitUntil(lambda: dialog.provider_combo.currentText() == "Caritas Unterland")
        assert dialog.messages.message("provider") == ""  # valid now
        _active(qtbot, dialog)
        press(Qt.Key.Key_Return)
        assert not dialog.isVisible()
        [person] = ws.persons()
        assert (person.last_name, ws.provider(person.provider_id).name) == ("Demir", "Caritas Unterland")
    finally:
        ws.close()


def test_a_funded_position_starts_from_the_register_and_follows_the_rates(window, qtbot):
    from paktdesk.core.validation import format_vza
    from paktdesk.ui.dialogs.decision_dialog import DecisionDialog

    ws = window.ctx.workspace
    person = next(p for p in ws.persons() if ws.employments(p.id))
    shares = ws.employments(person.id)
    first_working = min(s.first_day for s in shares)
    dialog = DecisionDialog(window.ctx, mode="new", parent=window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.first_field.setText("01.01.2015")  # before anyone's first working day
    dialog.last_field.setText("31.12.2016")
    rules = next(r for r in ws.rule_sets() if r.code == "VwV2023")
    dialog.rule_combo.setCurrentIndex(dialog.rule_combo.findData(rules.id))
    row = dialog.add_position(None)
    row.person.setCurrentIndex(row.person.findData(person.id))
    employed = sum(s.vza_milli for s in shares if s.active_on(first_working))
    assert row.first_day.value() == first_working  # the first working day, not the decision's start
    assert row.vza.text() == format_vza(employed)
    assert row.category.currentData() == str(ws.current_category(person.id))
    assert row.decided.value_or_none() == row.computed()  # "laut Bescheid" follows the rate table
    row.months.setValue(12)
    assert row.decided.value_or_none() == row.computed()
    row.decided.selectAll()
    qtbot.keyClicks(row.decided, "1.000,00")  # the clerk's amount from the paper decision
    row.decided.editingFinished.emit()
    row.months.setValue(6)
    assert row.decided.value() == 100_000 and row.computed() != 100_000
    assert "⚑" in dialog.positions_table.item(0, 8).text()  # both shown, the difference flagged
    assert "⚠" not in dialog.positions_sum_label.text()

    row.first_day.setText("01.01.2015")
    row.vza.setText(format_vza(employed + 250))
    row.vza.editingFinished.emit()
    text = dialog.positions_sum_label.text()
    assert "liegt vor dem ersten Arbeitstag" in text and "beschäftigt aber nur mit" in text
    assert "liegt vor dem ersten Arbeitstag" in row.first_day.toolTip()
    dialog.done(0)


def test_bescheid_dialog_shows_its_refusals_at_the_fields(window, qtbot, demo_file):
    page = window.show_section("funding").show_page("Bescheide")
    before = len(window.ctx.workspace.decisions())
    dialog = _active(qtbot, page.new_decision())
    assert QApplication.focusWidget() is dialog.area_combo  # the first field, not a button
    dialog.first_field.setText("31.04.2025")
    dialog.amount_field.setText("12,3.4")
    press(Qt.Key.Key_Return)  # Enter saves through the default button
    assert dialog.messages.wrong_fields() == [dialog.first_field, dialog.last_field, dialog.amount_field]
    assert QApplication.focusWidget() is dialog.first_field
    type_at_cursor("01.01.2025")
    dialog.last_field.setText("31.12.2026")
    dialog.amount_field.setText("120.000,00")
    assert dialog.messages.wrong_fields() == []
    press(Qt.Key.Key_Return)  # now the domain: no Aktenzeichen
    assert dialog.messages.message("file_number") == "Bitte das Aktenzeichen angeben."
    assert QApplication.focusWidget() is dialog.file_number_edit
    type_at_cursor("15.2-8712.25/0001")
    assert dialog.messages.message("file_number") == ""
    dialog.done(0)
    ws = _stored(demo_file)
    assert len(ws.decisions()) == before  # nothing stored by the refused saves
    ws.close()
