"""The composition root of the window program: logging, crash handler, QApplication with Qt's
German translations and a font that draws € and umlauts, opening (or first creating) the
Datenbestand, and the main window. Nothing else creates global state.

Every step is its own function so tests can run them one by one without ``app.exec()``."""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator, qVersion
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from . import APP_NAME, __version__, crash
from .core.errors import PaktDeskError
from .paths import default_data_file, resource_path
from .ui import messages
from .ui.fonts import ensure_ui_font
from .ui.main_window import MainWindow

if TYPE_CHECKING:  # imported when needed: the window frame shows before the database library loads
    from .ui.first_start import FirstStartDialog
    from .workspace import Workspace

log = logging.getLogger("paktdesk.app")

EXIT_OK, EXIT_FAILED = 0, 1
QT_TRANSLATIONS = ("qtbase_de",)


# --- application ---------------------------------------------------------------------------------
def create_application(argv: list[str] | None = None) -> QApplication:
    """The one QApplication (reused if it exists, as under pytest-qt), set up for German users."""
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationVersion(__version__)
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    if not load_translations(app):
        log.warning("Qt-Übersetzungen (Deutsch) nicht gefunden; Standardknöpfe bleiben englisch")
    missing = ensure_ui_font(app)
    if missing:
        log.error("Die Schrift kann nicht alle Zeichen darstellen")
    from .ui.screen_fit import KeepOnScreen

    if app.findChild(KeepOnScreen) is None:  # every dialog fits its screen, the first-start one too
        app.installEventFilter(KeepOnScreen(app))
    return app


def translation_folders() -> list[Path]:
    """Where ``qtbase_de.qm`` may be: the Qt in use (the PySide6 wheels ship it), then our resources."""
    folders = [Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))]
    try:
        folders.append(resource_path("translations"))
    except FileNotFoundError:
        pass
    return folders


def load_translations(app: QApplication) -> list[str]:
    """Install Qt's own German texts (stock buttons say "Abbrechen"). Returns what was loaded."""
    if app.property("paktdesk_translations"):  # already done for this QApplication
        return list(app.property("paktdesk_translations"))
    loaded = []
    for name in QT_TRANSLATIONS:
        for folder in translation_folders():
            translator = QTranslator(app)
            if translator.load(name, str(folder)):
                app.installTranslator(translator)
                loaded.append(name)
                break
    app.setProperty("paktdesk_translations", loaded)
    return loaded


# --- crash handler ----------------------------------------------------------------------------------
_crash_dialog_open = False

CRASH_TEXT = ("In PaktDesk ist ein unerwarteter Fehler aufgetreten. Ihre Daten sind sicher: jede Änderung "
              "wird sofort gespeichert und erst danach bestätigt; der Datenbestand hat den Stand der "
              "letzten bestätigten Änderung.\n\n"
              "Bitte prüfen Sie die zuletzt bearbeitete Eingabe. Wenn der Fehler wieder auftritt, melden Sie "
              "ihn bitte mit den Details (Knopf „Details kopieren“); sie enthalten keine Namen oder Beträge.")


def handle_exception(exc_type: type[BaseException], exc: BaseException,
                     tb: TracebackType | None) -> None:
    """sys.excepthook, the one crash path: log, write the crash report (:mod:`paktdesk.crash`, no
    personal data), show a German dialog with details to copy; the program keeps running."""
    global _crash_dialog_open
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    if isinstance(exc, PaktDeskError):  # an expected problem nobody caught: show its German text
        log.warning("Nicht abgefangener Hinweis: %s", exc_type.__name__)
        if QApplication.instance() is not None:
            messages.warn(None, "Hinweis", str(exc))
        return
    report = crash.crash_text(exc_type, exc, tb)
    log.error("Unerwarteter Fehler\n%s", report)
    path = crash.write_crash_report(exc_type, exc, tb)
    if path.is_file():
        with contextlib.suppress(OSError):
            report = path.read_text(encoding="utf-8")
    if QApplication.instance() is None or _crash_dialog_open:
        print(report, file=sys.stderr)
        return
    _crash_dialog_open = True
    try:
        show_crash_dialog(report, path if path.is_file() else None)
    finally:
        _crash_dialog_open = False


def show_crash_dialog(report: str, path: Path | None) -> None:
    """The German crash dialog: what happened, that the data is safe, the report to copy."""
    box = QMessageBox(QMessageBox.Icon.Critical, "Unerwarteter Fehler",
                      CRASH_TEXT + (f"\n\nBericht gespeichert unter:\n{path}" if path else ""))
    box.setDetailedText(report)
    box.setStyleSheet("QLabel#qt_msgbox_label { min-width: 460px; }")
    copy_button = box.addButton("Details &kopieren", QMessageBox.ButtonRole.ActionRole)
    close_button = box.addButton("Schließen", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(close_button)
    box.setEscapeButton(close_button)
    box.exec()
    if box.clickedButton() is copy_button:
        QApplication.clipboard().setText(report)


def install_crash_handler() -> None:
    sys.excepthook = handle_exception


# --- opening the Datenbestand ----------------------------------------------------------------------------
@dataclass(slots=True)
class Startup:
    """What start-up opened: a workspace (or None with the exit code to return)."""

    workspace: Workspace | None
    demo: bool = False
    temp_folder: Path | None = None
    exit_code: int = EXIT_OK


def is_default_file(path: Path) -> bool:
    return Path(path).resolve() == default_data_file().resolve()


def open_startup_workspace(
    data_path: Path, *, demo: bool = False, explicit: bool | None = None,
    run_dialog: Callable[[FirstStartDialog], int] = lambda dialog: dialog.exec(),
    parent: QWidget | None = None, check: str = "later",
) -> Startup:
    """Open the file; on first start (default file missing) ask for the profile or open the demo.

    An existing file opens without SQLite's quick check (``check="later"``): the background full
    check follows once the window shows; see :func:`fill_startup_window`."""
    from .ui import opening
    from .ui.first_start import FirstStartDialog
    from .ui.safe_open import open_guarded

    path = Path(data_path)
    explicit = not is_default_file(path) if explicit is None else explicit
    if path.exists():
        workspace = open_guarded(path, parent=parent, check=check)  # lock, location, recovery dialogs
        return Startup(workspace, demo=demo, exit_code=EXIT_OK if workspace else EXIT_FAILED)
    if explicit:
        messages.error(parent, "Datei nicht gefunden",
                       f"Die Datei „{path}“ gibt es nicht.\n\nBitte den Pfad hinter --data prüfen. "
                       "Ohne --data öffnet PaktDesk den Datenbestand im Benutzer-Datenordner; "
                       "„paktdesk --demo“ zeigt den Demo-Datenbestand.")
        return Startup(None, exit_code=EXIT_FAILED)
    if not opening.check_data_folder(path.parent):
        return Startup(None, exit_code=EXIT_FAILED)
    dialog = FirstStartDialog(str(path))
    run_dialog(dialog)
    if dialog.choice == FirstStartDialog.PROFILE and dialog.profile_value is not None:
        workspace = opening.create_datafile(path, dialog.profile_value)
        return Startup(workspace, exit_code=EXIT_OK if workspace else EXIT_FAILED)
    if dialog.choice == FirstStartDialog.DEMO:
        demo_path = opening.create_demo_copy()
        workspace = opening.open_existing(demo_path)
        return Startup(workspace, demo=True, temp_folder=demo_path.parent,
                       exit_code=EXIT_OK if workspace else EXIT_FAILED)
    return Startup(None, exit_code=EXIT_OK)  # cancelled: nothing created, nothing to report


def _start_logging() -> None:
    from .log import (
        setup_logging,  # logging.handlers is slow to import; the frame comes first
    )

    setup_logging()
    app = QApplication.instance()
    log.info("PaktDesk %s startet (Qt %s, Übersetzungen: %s, Schrift: %s)", __version__, qVersion(),
             ", ".join(app.property("paktdesk_translations") or []) or "keine",
             app.font().family())


def create_main_window(workspace: Workspace, *, demo: bool = False) -> MainWindow:
    return MainWindow(workspace, demo=demo)


def fill_startup_window(window: MainWindow, startup: Startup, path: Path, *, demo: bool = False) -> Startup:
    """Show the opened workspace in the window. A file opened unchecked that the window cannot
    read because it is damaged is closed and opened again the checked way, which offers the
    recovery dialog with the backups, as a damaged file always did. Returns what is shown.

    The pages are built in Qt slots, whose exceptions go to ``sys.excepthook`` rather than to
    the caller: they are held back while the window fills and passed on afterwards unless the
    file turned out to be damaged."""
    workspace = startup.workspace
    held: list[tuple] = []
    hook = sys.excepthook
    sys.excepthook = lambda *info: held.append(info)
    try:
        window.set_workspace(workspace, demo=startup.demo)
    except Exception:
        held.append(sys.exc_info())
    finally:
        sys.excepthook = hook
    reason = workspace.damage_found() if held and workspace.store.check_pending else ""
    if not reason:
        for info in held:
            hook(*info)
        return startup
    log.warning("Datenbestand beim ersten Lesen beschädigt; Wiederherstellung wird angeboten")
    window.forget_workspace()
    workspace.close()
    startup = open_startup_workspace(path, demo=demo, parent=window, check="now")
    if startup.workspace is not None:
        window.set_workspace(startup.workspace, demo=startup.demo)
    return startup


def run_gui(data_path: Path, *, demo: bool = False) -> int:
    """Start the window program on ``data_path``; returns the process exit code.

    When the file exists the window frame is shown first and filled once the file is open, so the
    clerk sees PaktDesk at once; otherwise the first-start dialog (or a message) comes first."""
    app = create_application()
    path = Path(data_path)
    if path.exists():
        window = MainWindow(None, demo=demo)
        window.show()
        app.processEvents()  # paint the frame before the data file and its library load
    _start_logging()
    install_crash_handler()
    if path.exists():
        startup = open_startup_workspace(path, demo=demo, parent=window)
        if startup.workspace is not None:
            startup = fill_startup_window(window, startup, path, demo=demo)
        if startup.workspace is None:
            window.hide()
            return startup.exit_code
    else:
        startup = open_startup_workspace(path, demo=demo)
        if startup.workspace is None:
            return startup.exit_code
        window = create_main_window(startup.workspace, demo=startup.demo)
        if startup.temp_folder is not None:
            window.add_temp_folder(startup.temp_folder)
        window.show()
    code = app.exec()
    log.info("PaktDesk beendet (%d)", code)
    return code
