"""The handbook: shipped with the program, German, one chapter per page and per form, opened with
F1 at the chapter of the page or dialog the clerk is in, searchable, links between chapters."""

import importlib
import inspect
import pkgutil
import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

import paktdesk.ui
from paktdesk.paths import resource_path
from paktdesk.ui import handbook
from paktdesk.ui.handbook import DIALOG_CHAPTERS, HandbookWindow, chapters
from paktdesk.ui.sections import OVERVIEW_PANELS, SECTIONS

FORMS = ("verwendungsnachweis", "zwischennachweis", "mittelabruf", "foerderuebersicht", "belegliste",
         "sachbericht")


def open_handbooks() -> list[HandbookWindow]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, HandbookWindow) and w.isVisible()]


@pytest.fixture(autouse=True)
def no_handbook_left():
    yield
    for shown in open_handbooks():
        shown.close()


def shown_active(qtbot, widget) -> None:
    """Shown and the active window, as after the clerk's click: shortcuts go to the active window."""
    widget.show()
    qtbot.waitExposed(widget)
    widget.windowHandle().requestActivate()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget)


def test_every_page_and_form_has_a_chapter_and_every_link_leads_to_one():
    keys = {item.key for item in chapters()}
    assert len(keys) == len(chapters())  # no two files with the same name after the number
    for section in SECTIONS:
        for tab in section.tabs:
            assert tab.help in keys, f"{section.title} → {tab.title}: Kapitel „{tab.help}“ fehlt"
    assert {tab.help for tab in OVERVIEW_PANELS} <= keys
    assert set(DIALOG_CHAPTERS.values()) <= keys
    assert set(FORMS) <= keys
    for item in chapters():
        assert item.title and item.text.startswith(f"# {item.title}\n"), item.path.name
        for target in re.findall(r"\]\(([^)]+)\)", item.text):
            assert target.endswith(".md") and target[:-3] in keys, f"{item.path.name}: Link {target}"
        assert "http" not in item.text  # shown offline: no link may need the internet


def test_the_handbook_states_the_deadlines_and_the_steps_of_a_proof_of_use():
    proof = handbook.chapter("verwendungsnachweis").text
    assert "3 Monate" in proof and "Schritt für Schritt" in proof
    assert len(re.findall(r"^\d+\. ", proof, flags=re.M)) >= 6
    deadlines = handbook.chapter("fristen").text
    assert "31. Januar" in deadlines and "3 Monate" in deadlines


def test_every_dialog_of_the_program_has_a_chapter():
    dialogs = set()
    for info in pkgutil.walk_packages(paktdesk.ui.__path__, "paktdesk.ui."):
        module = importlib.import_module(info.name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, QDialog) and cls.__module__ == info.name and not name.startswith("_"):
                dialogs.add(name)
    dialogs.discard("FormDialog")  # the base of the others, never shown itself
    dialogs -= {"FieldFormDialog", "KeyboardDialog"}  # bases of the form dialogs, never shown themselves
    assert dialogs - set(DIALOG_CHAPTERS) == set()


def test_the_handbook_is_shipped_with_the_program():
    assert resource_path("handbook") == handbook.handbook_folder()
    assert len(chapters()) >= 20


def test_f1_on_every_page_opens_its_chapter(qtbot, window):
    shown_active(qtbot, window)
    for number, section in enumerate(SECTIONS, start=1):
        qtbot.keyClick(window, Qt.Key(Qt.Key.Key_1 + number - 1), Qt.KeyboardModifier.ControlModifier)
        widget = window.sections[section.key]
        for index, tab in enumerate(section.tabs):
            widget.setCurrentIndex(index)
            widget.currentWidget().setFocus()
            qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_F1)
            (shown,) = open_handbooks()
            assert shown.current_key == tab.help, f"{section.title} → {tab.title}"
            assert shown.browser.toPlainText().startswith(handbook.chapter(tab.help).title)
            shown.close()
            shown_active(qtbot, window)


def test_hilfe_handbuch_is_in_the_menu_with_f1(window):
    (menu,) = [a.menu() for a in window.menuBar().actions() if a.text() == "&Hilfe"]
    (action,) = [a for a in menu.actions() if a.text() == "&Handbuch"]
    assert action.shortcut().toString() == "F1"
    action.trigger()
    (shown,) = open_handbooks()
    assert shown.current_key == "uebersicht"


def test_f1_in_a_dialog_opens_the_dialogs_chapter_and_the_dialog_does_not_block_it(qtbot, window):
    page = window.show_section("funding").show_page("Zahlungen")
    dialog = page.new_payment()
    shown_active(qtbot, dialog)
    qtbot.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_F1)
    (shown,) = open_handbooks()
    assert shown.current_key == "zahlungen"
    assert shown.parent() is dialog  # a window of the modal dialog: usable while the dialog is open
    qtbot.keyClicks(shown.search_edit, "Storn")
    assert shown.search_edit.text() == "Storn"  # typing reaches it: not blocked by the dialog
    dialog.reject()


def test_search_finds_chapters_and_marks_the_word(qtbot):
    window = handbook.open_handbook("erste-schritte")
    shown_active(qtbot, window)
    qtbot.keyClick(window.browser, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search_edit.hasFocus()
    qtbot.keyClicks(window.search_edit, "rechnungspr")  # QTest types ASCII only
    titles = [window.chapter_list.item(row).text() for row in range(window.chapter_list.count())]
    assert "Verwendungsnachweis" in titles and "Belege" not in titles
    assert window.hits_label.text() == f"{len(titles)} Kapitel"
    assert window.browser.textCursor().selectedText().casefold() == "rechnungspr"
    qtbot.keyClick(window.chapter_list, Qt.Key.Key_End)
    assert window.current_key == handbook.search("rechnungspr")[-1].key
    window.search_edit.clear()
    qtbot.keyClicks(window.search_edit, "Quantenphysik")
    assert window.chapter_list.count() == 0
    assert window.hits_label.text() == "kein Kapitel gefunden"
    assert "steht nichts im Handbuch" in window.browser.toPlainText()
    window.search_edit.clear()
    assert window.chapter_list.count() == len(chapters())


def test_a_link_opens_the_chapter_it_names(qtbot):
    window = handbook.open_handbook("berichte")
    shown_active(qtbot, window)
    window.browser.setFocus()
    qtbot.keyClick(window.browser, Qt.Key.Key_Tab)  # the first link: "Verwendungsnachweis"
    assert window.browser.textCursor().selectedText() == "Verwendungsnachweis"
    qtbot.keyClick(window.browser, Qt.Key.Key_Return)
    assert window.current_key == "verwendungsnachweis"
    assert window.windowTitle() == "Verwendungsnachweis – PaktDesk-Handbuch"


@pytest.mark.parametrize("key", ["verwendungsnachweis", "tastatur"])
def test_screenshot_of_the_handbook(qtbot, key, tmp_path):
    window = handbook.open_handbook(key)
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    shot = tmp_path / f"handbuch-{key}.png"
    assert window.grab().save(str(shot))
    assert shot.stat().st_size > 10_000
