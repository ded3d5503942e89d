"""Strg+N as a clerk presses it: one shortcut for the whole window, routed to the page on show,
on every page with a "Neu" button, in whatever order the pages were opened and wherever the
focus is (the list, the filter field, the section list on the left)."""

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

PAGES_WITH_NEW = [
    ("persons", "Personen", "PersonDialog"),
    ("persons", "Träger", "ProviderDialog"),
    ("funding", "Bescheide", "DecisionDialog"),
    ("funding", "Zahlungen", "PaymentDialog"),
    ("funding", "Belege", "ReceiptEntryDialog"),
    ("funding", "Weiterleitungen", "AgreementDialog"),
    ("funding", "Drittmittel", "ThirdPartyDialog"),
    ("settings", "Kennzahlen", "KeyFigureDefDialog"),
]


def _press_ctrl_n(qtbot, widget) -> list[str]:
    """Strg+N in ``widget``; the names of the modal dialogs it opened (closed again at once)."""
    opened: list[str] = []
    widget.window().activateWindow()  # after a closed dialog the window is active again
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget.window())

    def close_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is not None:
            opened.append(type(dialog).__name__)
            dialog.done(0)  # done(), not reject(): a changed dialog would ask before closing

    QTimer.singleShot(0, close_dialog)  # runs inside exec() of a blocking dialog, or right after open()
    QTest.keyClick(widget, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.wait(20)
    close_dialog()
    return opened


def test_ctrl_n_opens_the_new_dialog_of_every_page_in_any_order(qtbot, window):
    for round_ in range(2):  # the second round revisits pages after every one of them was built
        for section, tab, dialog in PAGES_WITH_NEW:
            page = window.show_section(section).show_page(tab)
            for where in (page.table, window.nav) + ((page.filter_edit,) if hasattr(page, "filter_edit") else ()):
                where.setFocus(Qt.FocusReason.OtherFocusReason)
                assert _press_ctrl_n(qtbot, where) == [dialog], (round_, tab, type(where).__name__)


def test_ctrl_n_is_one_shortcut_of_the_window(window):
    for section, _tab, _dialog in PAGES_WITH_NEW:
        window.show_section(section)
    new = QKeySequence(QKeySequence.StandardKey.New)
    actions = [a for a in window.findChildren(QAction) if new in a.shortcuts()]
    shortcuts = [s for s in window.findChildren(QShortcut) if s.key() == new]
    assert actions == [window.new_action] and shortcuts == []


def test_ctrl_n_where_nothing_can_be_added_says_so(qtbot, window):
    window.show_section("overview")
    window.nav.setFocus()
    notes: list[str] = []
    window.statusBar().messageChanged.connect(notes.append)  # the background check writes there too
    assert _press_ctrl_n(qtbot, window.nav) == []
    assert "Auf dieser Seite lässt sich nichts neu anlegen." in notes


def test_funding_buttons_have_alt_keys(qtbot, window):
    """Alt+Z on the Zahlungen page opens "Zahlung erfassen" like a click."""
    page = window.show_section("funding").show_page("Zahlungen")
    for section, tab, _dialog in PAGES_WITH_NEW[2:7]:
        buttons = window.show_section(section).show_page(tab).findChildren(type(page.new_button))
        assert buttons and all("&" in b.text() for b in buttons), tab
    page = window.show_section("funding").show_page("Zahlungen")
    page.table.setFocus()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    QTest.keyClick(page.table, Qt.Key.Key_Z, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is not None)
    dialog = QApplication.activeModalWidget()
    assert type(dialog).__name__ == "PaymentDialog"
    dialog.done(0)
