"""Small things a clerk notices: "&" in menu texts, Strg+Tab between tabs wherever the focus is,
German singular and plural in the status bar."""

from PySide6.QtCore import Qt

from paktdesk.ui.formatting import counted
from paktdesk.ui.sections import SECTIONS


def test_menu_shows_the_ampersand_of_a_section_title(window):
    by_title = {action.iconText(): action for action in window.section_actions}
    assert [s.title for s in SECTIONS] == list(by_title)
    assert by_title["Berichte & Druck"].text() == "Berichte && Druck"  # "&" shown, not an Alt key on "D"


def test_ctrl_tab_switches_tabs_even_from_the_section_list(window, qtbot):
    settings = window.show_section("settings")
    settings.setCurrentIndex(0)
    window.nav.setFocus()
    qtbot.waitUntil(window.nav.hasFocus)
    qtbot.keyClick(window.nav, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert settings.currentIndex() == 1
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Backtab,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert settings.currentIndex() == 0
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Backtab,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert settings.currentIndex() == settings.count() - 1  # round from the first to the last
    page = settings.currentWidget()
    page.setFocus()
    qtbot.keyClick(window.focusWidget() or page, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert settings.currentIndex() == 0  # once per key press, also with the focus inside the tabs


def test_counts_have_german_singular_and_plural(window, check_ws):
    assert counted(1, "Person", "Personen") == "1 Person"
    assert counted(0, "Person", "Personen") == "0 Personen"
    assert counted(2000, "Beleg", "Belege") == "2.000 Belege"
    ws = check_ws()
    counts = ws.counts()
    ws.close()
    assert window.counts_label.text() == (f"{counts['persons']} Personen · {counts['decisions']} Bescheide · "
                                          f"{counts['payments']} Zahlungen · {counts['receipts']} Belege")


def test_file_dialogs_open_in_the_last_folder_of_their_kind_else_in_documents(window, tmp_path, monkeypatch):
    from pathlib import Path

    from PySide6.QtWidgets import QFileDialog

    from paktdesk.ui.file_folders import documents_folder

    starts: list[Path] = []
    target = tmp_path / "Prüfamt" / "protokoll.csv"
    target.parent.mkdir()

    def save_dialog(_parent, _title, start, _filter=""):
        starts.append(Path(start).parent)
        return str(target.with_suffix(Path(start).suffix)), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    monkeypatch.chdir(tmp_path)  # the program's folder: never offered
    audit = window.show_section("settings").show_page("Änderungsprotokoll")
    assert audit.export_csv() is not None
    assert starts[0] == documents_folder() != Path.cwd()
    assert audit.export_csv() is not None
    assert starts[1] == target.parent  # the CSV folder used last
    window.show_section("persons").show_page("Qualifikationsübersicht").export_csv()
    assert starts[2] == target.parent  # another CSV: the same folder
    assert audit.export_pdf() is not None
    assert starts[3] == documents_folder()  # a PDF has its own folder, not the CSVs'
