"""Start-up: German Qt texts, a font with € and umlauts, the first-start dialog, files that cannot be
opened, and the crash handler. No modal dialog runs: message boxes are recorded (conftest) and the
first-start dialog is driven through ``run_dialog``."""

import sqlite3
import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from paktdesk import app as app_module
from paktdesk.app import (
    create_application,
    create_main_window,
    handle_exception,
    load_translations,
    open_startup_workspace,
)
from paktdesk.core.entities import FundingRoute
from paktdesk.paths import default_data_file, log_dir
from paktdesk.ui.first_start import FirstStartDialog
from paktdesk.ui.fonts import REQUIRED_GLYPHS, missing_glyphs
from paktdesk.workspace import Workspace

GOOD_IBAN = "DE89 3704 0044 0532 0130 00"


@pytest.fixture
def qt_app(qapp):
    return create_application()


def test_stock_buttons_are_german(qt_app, qtbot):
    assert "qtbase_de" in load_translations(qt_app)
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel | QDialogButtonBox.StandardButton.Ok
                           | QDialogButtonBox.StandardButton.Close)
    qtbot.addWidget(box)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "Abbrechen"
    assert box.button(QDialogButtonBox.StandardButton.Close).text() == "Schließen"


def test_ui_font_draws_euro_and_umlauts(qt_app):
    assert missing_glyphs(qt_app.font()) == ""
    assert missing_glyphs(qt_app.font(), "€ä") == ""


def test_font_without_euro_switches_to_the_bundled_font(qt_app, monkeypatch):
    from paktdesk.ui import fonts

    original = qt_app.font()
    checked = []
    real_check = fonts.missing_glyphs

    def first_font_lacks_euro(font, text=REQUIRED_GLYPHS):
        checked.append(font.family())
        return "€" if len(checked) == 1 else real_check(font, text)

    monkeypatch.setattr(fonts, "missing_glyphs", first_font_lacks_euro)
    try:
        assert fonts.ensure_ui_font(qt_app) == ""
        assert len(checked) == 2  # checked again after switching
        assert qt_app.font().family() == "DejaVu Sans"
        assert real_check(qt_app.font()) == ""
    finally:
        qt_app.setFont(original)


def _fill(dialog: FirstStartDialog, *, ags="08125097", iban=GOOD_IBAN):
    form = dialog.form
    form.name_edit.setText("Gemeinde Musterhausen")
    form.ags_edit.setText(ags)
    form.street_edit.setText("Hauptstraße 5")
    form.postcode_edit.setText("74000")
    form.city_edit.setText("Musterhausen")
    form.iban_edit.setText(iban)


def test_first_start_saves_a_valid_profile(qt_app, qtbot):
    path = default_data_file()
    assert not path.exists()

    def fill_and_create(dialog):
        qtbot.addWidget(dialog)
        assert dialog.cancel_button.text() == "Abbrechen"
        _fill(dialog)
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    startup = open_startup_workspace(path, run_dialog=fill_and_create)
    assert startup.workspace is not None and not startup.demo
    try:
        profile = startup.workspace.profile()
        assert profile.name == "Gemeinde Musterhausen"
        assert profile.ags == "08125097"
        assert profile.iban == GOOD_IBAN.replace(" ", "")
        assert profile.funding_route == FundingRoute.LAND
        assert startup.workspace.check() == []
    finally:
        startup.workspace.close()
    reopened = Workspace.open(path, read_only=True)
    assert reopened.profile().city == "Musterhausen"
    assert [(p.name, p.kind.label) for p in reopened.providers()] == [("Gemeinde Musterhausen", "Eigene Verwaltung")]
    reopened.close()


def test_first_start_with_bad_iban_creates_no_file(qt_app, qtbot):
    path = default_data_file()
    seen = {}

    def fill_badly_then_cancel(dialog):
        qtbot.addWidget(dialog)
        _fill(dialog, iban="DE00 3704 0044 0532 0130 00")
        dialog.create_button.click()
        seen["error"] = dialog.form.error_text("iban")
        seen["accepted"] = dialog.choice
        dialog.cancel_button.click()
        return dialog.result()

    startup = open_startup_workspace(path, run_dialog=fill_badly_then_cancel)
    assert "IBAN" in seen["error"]
    assert seen["accepted"] is None
    assert startup.workspace is None and startup.exit_code == 0
    assert not path.exists()


def test_first_start_warns_once_about_a_non_bw_ags(qt_app, qtbot):
    path = default_data_file()

    def fill_and_click_twice(dialog):
        qtbot.addWidget(dialog)
        _fill(dialog, ags="09162000")
        dialog.create_button.click()
        assert dialog.choice is None
        assert "nicht in Baden-Württemberg" in dialog.form.warning_label.text()
        assert dialog.create_button.text() == "Trotzdem anlegen"
        dialog.create_button.click()
        return dialog.result()

    startup = open_startup_workspace(path, run_dialog=fill_and_click_twice)
    assert startup.workspace.profile().ags == "09162000"
    startup.workspace.close()


def test_first_start_can_open_the_demo(qt_app, qtbot):
    path = default_data_file()

    def choose_demo(dialog):
        qtbot.addWidget(dialog)
        dialog.demo_button.click()
        return dialog.result()

    startup = open_startup_workspace(path, run_dialog=choose_demo)
    assert startup.demo and startup.temp_folder.is_dir()
    assert startup.workspace.counts()["receipts"] > 0
    assert not path.exists()  # the clerk's own Datenbestand is not created by looking at the demo
    win = create_main_window(startup.workspace, demo=True)
    qtbot.addWidget(win)
    win.add_temp_folder(startup.temp_folder)
    win.close()
    assert not startup.temp_folder.exists()


def test_explicit_missing_file_is_a_german_message(qt_app, tmp_path, message_boxes):
    path = tmp_path / "fehlt.paktdesk"
    startup = open_startup_workspace(path, run_dialog=lambda d: pytest.fail("no first-start dialog"))
    assert startup.workspace is None and startup.exit_code == 1
    kind, title, text = message_boxes[-1]
    assert kind == "critical" and title == "Datei nicht gefunden" and "fehlt.paktdesk" in text
    assert not path.exists()


@pytest.mark.parametrize(("content", "title"), [
    (b"Das ist eine Textdatei.\n", "Keine PaktDesk-Datei"),
    (None, "Keine PaktDesk-Datei"),  # another program's SQLite database
])
def test_foreign_file_is_refused_unchanged(qt_app, tmp_path, message_boxes, content, title):
    path = tmp_path / "fremd.paktdesk"
    if content is None:
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE kunden (id INTEGER PRIMARY KEY, name TEXT)")
        conn.commit()
        conn.close()
    else:
        path.write_bytes(content)
    before = path.read_bytes()
    startup = open_startup_workspace(path)
    assert startup.workspace is None and startup.exit_code == 1
    assert message_boxes[-1][:2] == ("critical", title)
    assert "Traceback" not in message_boxes[-1][2]
    assert path.read_bytes() == before


def test_newer_file_is_refused(qt_app, demo_file, message_boxes):
    conn = sqlite3.connect(demo_file)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    before = demo_file.read_bytes()
    startup = open_startup_workspace(demo_file)
    assert startup.workspace is None and startup.exit_code == 1
    kind, title, text = message_boxes[-1]
    assert (kind, title) == ("critical", "Neuere PaktDesk-Version nötig")
    assert "neueren PaktDesk-Version" in text
    assert demo_file.read_bytes() == before


def test_unusable_data_folder_is_a_german_message(qt_app, tmp_path, monkeypatch, message_boxes):
    blocker = tmp_path / "home-is-a-file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("PAKTDESK_HOME", str(blocker))  # data folder cannot be created below a file
    startup = open_startup_workspace(default_data_file(),
                                     run_dialog=lambda d: pytest.fail("no first-start dialog"))
    assert startup.workspace is None and startup.exit_code == 1
    kind, title, text = message_boxes[-1]
    assert (kind, title) == ("critical", "Datenordner nicht nutzbar")
    assert "--data" in text


def test_existing_file_opens_with_the_window(qt_app, qtbot, demo_file):
    startup = open_startup_workspace(demo_file)
    assert startup.workspace is not None and startup.exit_code == 0
    win = create_main_window(startup.workspace)
    qtbot.addWidget(win)
    assert win.workspace is startup.workspace


# in a constant: the crash report quotes our own source lines (program code, never data)
PERSONAL_MESSAGE = "Mustermann, Erika – IBAN DE89370400440532013000"


def test_crash_handler_logs_without_personal_data_and_shows_german_details(qt_app, message_boxes):
    try:
        raise RuntimeError(PERSONAL_MESSAGE)
    except RuntimeError:
        handle_exception(*sys.exc_info())
    kind, title, text = message_boxes[-1]
    assert (kind, title) == ("exec", "Unerwarteter Fehler")
    assert "unerwarteter Fehler" in text and "RuntimeError" in text
    assert "test_crash_handler" in text  # where it happened
    assert "Mustermann" not in text
    crash_files = list(log_dir().glob("absturz-*.txt"))
    assert len(crash_files) == 1
    assert "Mustermann" not in crash_files[0].read_text(encoding="utf-8")


def test_expected_error_reaching_the_hook_shows_its_german_text(qt_app, message_boxes):
    from paktdesk.core.errors import ValidationError

    try:
        raise ValidationError("Bitte den Namen angeben.")
    except ValidationError:
        handle_exception(*sys.exc_info())
    assert message_boxes[-1] == ("warning", "Hinweis", "Bitte den Namen angeben.")
    assert not list(log_dir().glob("absturz-*.txt"))


def test_install_crash_handler_sets_the_hook(monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.__excepthook__)
    app_module.install_crash_handler()
    assert sys.excepthook is handle_exception


@pytest.fixture
def isolated_process_state(monkeypatch):
    """run_gui installs the crash hook and a log file handler: undo both after the test."""
    import logging

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    logger = logging.getLogger("paktdesk")
    handlers = list(logger.handlers)
    yield
    for handler in logger.handlers[:]:
        if handler not in handlers:
            logger.removeHandler(handler)
            handler.close()


def test_run_gui_shows_the_window_on_an_existing_file(qt_app, demo_file, isolated_process_state):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from paktdesk.app import run_gui
    from paktdesk.ui.main_window import MainWindow

    seen = {}

    def inspect_and_close():  # runs in run_gui's event loop until the filled window is there
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        if not windows or windows[0].ctx is None:
            return
        poll.stop()
        window = windows[0]
        seen["path"] = window.workspace.path
        seen["title"] = window.windowTitle()
        seen["receipts"] = window.counts_label.text()
        window.close()

    poll = QTimer()
    poll.timeout.connect(inspect_and_close)
    poll.start(10)
    guard = QTimer()
    guard.setSingleShot(True)
    guard.timeout.connect(lambda: QApplication.exit(98))  # never hang the run if no window shows
    guard.start(20000)
    code = run_gui(demo_file)
    guard.stop()
    poll.stop()
    assert code == 0
    assert seen["path"] == demo_file
    assert seen["title"] == "Demo-Lindenbach.paktdesk – PaktDesk"
    assert "Belege" in seen["receipts"]
    assert sys.excepthook is handle_exception
    assert (log_dir() / "paktdesk.log").is_file()


def test_run_gui_on_a_foreign_file_exits_1_with_a_message(qt_app, tmp_path, message_boxes,
                                                          isolated_process_state):
    from paktdesk.app import run_gui

    path = tmp_path / "kaputt.paktdesk"
    path.write_bytes(b"\x00" * 100)
    assert run_gui(path) == 1
    assert message_boxes[-1][:2] == ("critical", "Keine PaktDesk-Datei")
    assert path.read_bytes() == b"\x00" * 100


@pytest.mark.qt_no_exception_capture
def test_exception_in_a_qt_slot_reaches_the_crash_dialog(qt_app, qtbot, message_boxes, monkeypatch):
    from PySide6.QtCore import QTimer

    monkeypatch.setattr(sys, "excepthook", handle_exception)

    def broken_slot():
        raise KeyError(PERSONAL_MESSAGE)

    QTimer.singleShot(0, broken_slot)
    qtbot.waitUntil(lambda: any(kind == "exec" for kind, _, _ in message_boxes))
    kind, title, text = message_boxes[-1]
    assert title == "Unerwarteter Fehler" and "KeyError" in text and "broken_slot" in text
    assert "Mustermann" not in text
