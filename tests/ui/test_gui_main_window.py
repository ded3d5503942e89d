"""The main window on the demo Datenbestand: every section shows the real rows, lists sort and
filter in SQL, shortcuts, menu, status bar and remembered geometry."""

import re

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QLineEdit

from paktdesk import __version__
from paktdesk.core.money import format_cents
from paktdesk.ui.list_page import ListPage
from paktdesk.ui.planned_page import PlannedPage
from paktdesk.ui.sections import SECTIONS

MONEY = re.compile(r"^-?\d{1,3}(\.\d{3})*,\d\d €$")
DATE = re.compile(r"^\d\d\.\d\d\.\d{4}$")


def test_every_section_shows_the_real_rows(window, check_ws):
    ws = check_ws()
    counts = ws.counts()
    seen_pages = 0
    for section in SECTIONS:
        widget = window.show_section(section.key)
        assert window.stack.currentWidget() is widget
        for tab in section.tabs:
            page = widget.show_page(tab.title)
            seen_pages += 1
            if isinstance(page, ListPage):
                listing = page.model.listing_name
                expected = ws.list_count(listing)
                assert expected > 0, f"demo has no rows for {listing}"
                assert page.model.rowCount() == expected
                assert page.stack.currentWidget() is page.table
                assert page.count_label.text().startswith(f"{expected} ")
                first_row = [page.model.index(0, c).data() for c in range(page.model.columnCount())]
                assert sum(1 for text in first_row if text) >= 2, f"{listing}: {first_row}"
    assert seen_pages == sum(len(s.tabs) for s in SECTIONS)

    receipts = window.show_section("funding").show_page("Belege")
    assert receipts.model.rowCount() == counts["receipts"] > 200  # more than one page
    amount = receipts.model.column_index("amount")
    cell = receipts.model.index(0, amount)
    assert MONEY.match(cell.data()), cell.data()
    assert cell.data() == format_cents(receipts.model.raw_value(0, "amount"))
    assert cell.data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
    assert DATE.match(receipts.model.index(0, receipts.model.column_index("date")).data())

    persons = window.show_section("persons").show_page("Personen")
    names = {persons.model.index(row, 0).data() for row in range(persons.model.rowCount())}
    assert names == {p.sort_name for p in ws.persons()}
    vza = persons.model.index(0, persons.model.column_index("vza")).data()
    assert re.fullmatch(r"\d,\d{2,3}", vza), vza

    overview = window.show_section("overview").currentWidget()
    assert overview.title_label.text() == ws.profile().name
    decisions = ws.decisions()
    assert overview.decisions_table.rowCount() == len(decisions)
    decided = overview.decisions_table.item(0, 3).text()
    assert decided == format_cents(ws.money_summary(decisions[0].id)["decided"])
    assert overview.count_labels["receipts"].text() == str(counts["receipts"])

    settings = window.show_section("settings")
    assert settings.page("Stammdaten").form.ags_edit.text() == ws.profile().ags
    rules = settings.page("Regelwerke")
    assert rules.table.columnCount() == 1 + len(ws.rule_sets()) >= 3
    newest = len(ws.rule_sets()) - 1
    assert rules.cell("Fördersatz Kategorie c", newest) == "60.000,00 €"
    assert rules.cell("Fördersatz Kategorie c", 0) == "51.000,00 €"

    for item in SECTIONS:  # every section is built now: no stand-in page is left
        for tab in item.tabs:
            assert not isinstance(window.show_section(item.key).page(tab.title), PlannedPage), tab.title
    ws.close()


def test_receipts_sort_in_sql(window, check_ws):
    ws = check_ws()
    amounts = [r.amount_cents for d in ws.decisions() for r in ws.receipts(d.id)]
    ws.close()
    page = window.show_section("funding").show_page("Belege")
    column = page.model.column_index("amount")
    first_before = page.model.index(0, column).data()

    page.table.sortByColumn(column, Qt.SortOrder.DescendingOrder)
    assert page.model.sort_key == "amount" and page.model.descending
    assert page.model.raw_value(0, "amount") == max(amounts)
    assert page.model.raw_value(page.model.rowCount() - 1, "amount") == min(amounts)  # last page too
    page.table.sortByColumn(column, Qt.SortOrder.AscendingOrder)
    assert page.model.raw_value(0, "amount") == min(amounts)
    assert page.model.index(0, column).data() != first_before or min(amounts) == max(amounts)
    values = [page.model.raw_value(row, "amount") for row in range(page.model.rowCount())]
    assert values == sorted(amounts)


def test_receipts_filter_in_sql(window, qtbot, check_ws):
    ws = check_ws()
    receipts = [r for d in ws.decisions() for r in ws.receipts(d.id)]
    ws.close()
    expected = sum(1 for r in receipts if "hochschule" in r.payee.lower() or "hochschule" in r.purpose.lower())
    assert 0 < expected < len(receipts)
    page = window.show_section("funding").show_page("Belege")

    qtbot.keyClicks(page.filter_edit, "Hochschule")
    qtbot.waitUntil(lambda: page.model.rowCount() == expected)
    assert page.model.search == "Hochschule"
    payee = page.model.column_index("payee")
    assert all("Hochschule" in page.model.index(row, payee).data() for row in range(expected))
    assert page.count_label.text() == f"{expected} Treffer · insgesamt {len(receipts)} Belege"

    page.filter_edit.setText("gibt es sicher nicht")
    page.apply_filter()
    assert page.model.rowCount() == 0
    assert page.stack.currentWidget() is page.empty_label
    assert "Keine Treffer für „gibt es sicher nicht“" in page.empty_label.text()

    qtbot.keyClick(page.filter_edit, Qt.Key.Key_Escape)
    assert page.filter_edit.text() == ""
    assert page.model.rowCount() == len(receipts)


def test_model_fetches_lazily(window):
    page = window.show_section("funding").show_page("Belege")
    model = page.model
    model.reload()
    before = model.fetches
    model.index(0, 0).data()
    model.index(5, 0).data()
    assert model.fetches == before + 1  # one page for the first rows
    model.index(model.PAGE_SIZE + 1, 0).data()
    assert model.fetches == before + 2
    model.index(1, 0).data()
    assert model.fetches == before + 2  # cached


def test_shortcuts_switch_sections_and_focus_the_filter(window, qtbot):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    for number, section in enumerate(SECTIONS, start=1):
        qtbot.keyClick(window, Qt.Key(Qt.Key.Key_0 + number), Qt.KeyboardModifier.ControlModifier)
        assert window.current_section().key == section.key
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    funding = window.sections["funding"]
    funding.show_page("Belege")
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: funding.page("Belege").filter_edit.hasFocus())
    assert isinstance(window.focusWidget(), QLineEdit)


def test_status_bar_tells_file_state_and_counts(window, check_ws, qtbot):
    ws = check_ws()
    counts = ws.counts()
    ws.close()
    assert window.file_label.text().endswith("Demo-Lindenbach.paktdesk")
    assert window.state_label.text().startswith("geöffnet ")
    assert f"{counts['receipts']} Belege" in window.counts_label.text()
    assert f"{counts['persons']} Personen" in window.counts_label.text()

    settings = window.show_section("settings").page("Stammdaten")
    settings.form.contact_phone_edit.setText("07131 99887-21")
    with qtbot.waitSignal(window.ctx.changed):
        assert settings.save()
    assert re.fullmatch(r"gespeichert \d\d:\d\d", window.state_label.text())


def test_read_only_file_says_so(qtbot, demo_file):
    from paktdesk.app import create_application, create_main_window
    from paktdesk.workspace import Workspace

    create_application()
    win = create_main_window(Workspace.open(demo_file, read_only=True))
    qtbot.addWidget(win)
    assert win.state_label.text() == "schreibgeschützt"
    assert "schreibgeschützt" in win.windowTitle()
    profile_page = win.section_widget("settings").page("Stammdaten")
    assert not profile_page.save_button.isEnabled()
    assert profile_page.form.name_edit.isReadOnly()
    assert not profile_page.form.kind_combo.isEnabled()


def test_about_names_versions(window, message_boxes, check_ws):
    ws = check_ws()
    schema = ws.schema_version()
    ws.close()
    window.about_action.trigger()
    kind, title, text = message_boxes[-1]
    assert (kind, title) == ("about", "Über PaktDesk")
    import sqlite3

    from PySide6.QtCore import qVersion
    assert __version__ in text and sqlite3.sqlite_version in text and qVersion() in text
    assert f"Schema-Version der Datei:&nbsp;</td><td>{schema}<" in text


def test_geometry_and_section_are_remembered(qtbot, demo_file):
    from paktdesk.app import create_application, create_main_window
    from paktdesk.paths import config_dir
    from paktdesk.workspace import Workspace

    create_application()
    first = create_main_window(Workspace.open(demo_file))
    qtbot.addWidget(first)
    first.show()
    first.resize(720, 540)
    first.show_section("export")
    qtbot.waitUntil(lambda: first.size() == QSize(720, 540))
    first.close()
    assert (config_dir() / "PaktDesk.ini").is_file()

    second = create_main_window(Workspace.open(demo_file))
    qtbot.addWidget(second)
    assert second.size() == QSize(720, 540)
    assert second.current_section().key == "export"


def test_open_menu_refuses_a_foreign_file_and_keeps_the_open_one(window, tmp_path, message_boxes, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    foreign = tmp_path / "Notizen.paktdesk"
    foreign.write_text("keine Datenbank", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(foreign), "")))
    before = window.workspace
    window.open_action.trigger()
    assert window.workspace is before
    assert message_boxes[-1][:2] == ("critical", "Keine PaktDesk-Datei")
    assert "Traceback" not in message_boxes[-1][2]
    assert foreign.read_text(encoding="utf-8") == "keine Datenbank"
    assert window.workspace.profile() is not None  # still usable


def test_demo_menu_opens_a_fresh_copy_and_removes_it_on_close(window, qtbot):
    old_path = window.workspace.path
    window.show_section("funding")
    assert window.open_demo()
    new_path = window.workspace.path
    assert new_path != old_path and new_path.is_file()
    assert "(Demo)" in window.windowTitle()
    receipts = window.show_section("funding").show_page("Belege")
    assert receipts.model.rowCount() == window.workspace.counts()["receipts"]
    window.close()
    assert not new_path.parent.exists()


def test_views_refresh_after_a_change_made_through_the_workspace(window, qtbot):
    import dataclasses

    ws = window.workspace
    receipts_page = window.show_section("funding").show_page("Belege")
    overview = window.section_widget("overview").currentWidget()
    before = receipts_page.model.rowCount()
    decision = ws.decisions()[0]
    template = ws.receipts(decision.id)[0]
    new = dataclasses.replace(template, id=None, number=0, payee="Druckerei Neumann", amount_cents=12345)
    with qtbot.waitSignal(window.ctx.changed):
        ws.add_receipt(new)
    assert receipts_page.model.rowCount() == before + 1
    assert receipts_page.count_label.text() == f"{before + 1} Belege"
    assert overview.count_labels["receipts"].text() == str(before + 1)
    assert f"{before + 1} Belege" in window.counts_label.text()
    receipts_page.filter_edit.setText("Druckerei Neumann")
    receipts_page.apply_filter()
    assert receipts_page.model.rowCount() == 1
    assert receipts_page.model.index(0, receipts_page.model.column_index("amount")).data() == "123,45 €"


def test_perform_turns_expected_errors_into_a_german_message(window, message_boxes):
    from paktdesk.core.errors import ValidationError

    def bad():
        raise ValidationError("Der Betrag darf nicht negativ sein.")

    assert window.ctx.perform(bad, parent=window) is None
    assert message_boxes[-1] == ("warning", "Nicht gespeichert", "Der Betrag darf nicht negativ sein.")

    profile = window.workspace.profile()
    import dataclasses
    change = window.ctx.perform(lambda: window.workspace.save_profile(dataclasses.replace(profile, ags="09162000")))
    assert change is not None
    assert message_boxes[-1][:2] == ("information", "Hinweis")
    assert "nicht in Baden-Württemberg" in message_boxes[-1][2]


def test_column_menu_hides_and_shows_columns(window):
    page = window.show_section("funding").show_page("Belege")
    paid = page.model.column_index("paid_on")
    assert page.table.isColumnHidden(paid)  # hidden by default to leave room for the texts
    page.set_column_visible(paid, True)
    assert not page.table.isColumnHidden(paid)
    for number in range(page.model.columnCount()):
        page.set_column_visible(number, False)
    visible = [n for n in range(page.model.columnCount()) if not page.table.isColumnHidden(n)]
    assert len(visible) == 1  # the last column cannot be hidden


def test_empty_datenbestand_shows_honest_empty_states(qtbot, tmp_path):
    from paktdesk.app import create_application, create_main_window
    from paktdesk.core.entities import OwnerKind, Profile
    from paktdesk.ui.opening import create_datafile

    create_application()
    ws = create_datafile(tmp_path / "leer.paktdesk",
                         Profile(name="Gemeinde Musterhausen", kind=OwnerKind.GEMEINDE, ags="08125097"))
    win = create_main_window(ws)
    qtbot.addWidget(win)
    overview = win.show_section("overview").currentWidget()
    assert overview.title_label.text() == "Gemeinde Musterhausen"
    assert overview.decisions_table.isHidden() and not overview.no_decisions_label.isHidden()
    for key, tab, text in [("persons", "Personen", "Noch keine Integrationsmanager:innen erfasst."),
                           ("funding", "Belege", "Noch keine Belege erfasst.")]:
        page = win.show_section(key).show_page(tab)
        assert page.model.rowCount() == 0
        assert page.stack.currentWidget() is page.empty_label
        assert page.empty_label.text().startswith(text)
        assert page.count_label.text().startswith("0 ")


def test_a_change_keeps_the_place_in_the_list(window, qtbot):
    page = window.show_section("funding").show_page("Belege")
    page.table.setCurrentIndex(page.model.index(250, 0))
    page.table.scrollTo(page.model.index(250, 0))
    scroll = page.table.verticalScrollBar().value()
    assert scroll > 0
    profile = window.workspace.profile()
    import dataclasses
    with qtbot.waitSignal(window.ctx.changed):
        window.workspace.save_profile(dataclasses.replace(profile, contact_phone="07131 1"))
    assert page.table.currentIndex().row() == 250
    assert page.table.verticalScrollBar().value() == scroll
