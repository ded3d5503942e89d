"""The main window: navigation on the left, the chosen section on the right, a status bar that
says which file is open, whether it is saved and how many records it holds."""

from __future__ import annotations

import logging
import shutil
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import PySide6
from PySide6.QtCore import QSettings, QSize, Qt, QTimer, qVersion
from PySide6.QtGui import QAction, QCloseEvent, QFontMetrics, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from .. import __version__
from ..paths import data_dir
from . import messages
from .formatting import counted, format_count
from .screen_fit import keep_on_screen, shrink_to_screen
from .section_widget import SectionWidget
from .sections import SECTIONS, Section
from .settings_store import ui_settings

if TYPE_CHECKING:  # the workspace (and its database library) is imported once a file is opened
    from ..workspace import Change, Workspace
    from .context import UiContext

log = logging.getLogger("paktdesk.ui")

DEFAULT_SIZE = QSize(1280, 800)


class MainWindow(QMainWindow):
    """PaktDesk's one window. Owns the open workspace and closes it with the window.

    Built without a workspace it shows its frame at once ("wird geöffnet …"); :meth:`set_workspace`
    fills it. Start-up uses that to put the window on screen while the data file opens."""

    def __init__(self, workspace: Workspace | None, *, demo: bool = False, settings: QSettings | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.settings = settings if settings is not None else ui_settings()
        self._temp_folders: list[Path] = []
        self.ctx: UiContext | None = None
        self.sections: dict[str, SectionWidget] = {}

        self.nav = QListWidget(self)
        self.nav.setObjectName("navigation")
        self.nav.setAccessibleName("Bereiche")
        self.nav.setFrameShape(QListWidget.Shape.NoFrame)
        self.stack = QStackedWidget(self)
        for number, item in enumerate(SECTIONS, start=1):
            entry = QListWidgetItem(item.title, self.nav)
            entry.setToolTip(f"{item.hint} (Strg+{number})" if item.hint else f"Strg+{number}")
            entry.setData(Qt.ItemDataRole.UserRole, item.key)
            self.stack.addWidget(QWidget(self.stack))  # placeholder until first opened
        self._style_navigation()

        central = QWidget(self)
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 6, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        from .session_guard import SessionGuard

        self.guard = SessionGuard(self)  # lock renewal, background check, backup on close
        self._build_menus()
        self._build_status_bar()
        self.nav.currentRowChanged.connect(self._show_row)
        if workspace is not None:
            self.set_workspace(workspace, demo=demo)
        else:
            self.setWindowTitle("PaktDesk")
            self.state_label.setText("")
            self.file_label.setText("Datenbestand wird geöffnet …")
            self.nav.setCurrentRow(self._remembered_section())
            self._loading = QLabel("Datenbestand wird geöffnet …", self.stack)
            self._loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self._loading.setStyleSheet("color: palette(placeholder-text); font-size: 13pt;")
            self.stack.addWidget(self._loading)
            self.stack.setCurrentWidget(self._loading)
            self.backup_action.setEnabled(False)
            self.restore_action.setEnabled(False)
        self._restore_geometry()

    # --- building ------------------------------------------------------------------------------
    def _style_navigation(self) -> None:
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nav.setStyleSheet(
            "#navigation { background: palette(window); font-size: 11pt; outline: 0; }"
            "#navigation::item { padding: 9px 12px; border-radius: 4px; margin: 1px 6px; }"
            "#navigation::item:selected { background: palette(highlight); color: palette(highlighted-text); }")
        font = self.nav.font()
        font.setPointSizeF(11)
        widest = max(QFontMetrics(font).horizontalAdvance(item.title) for item in SECTIONS)
        self.nav.setFixedWidth(widest + 2 * 12 + 2 * 6 + 16)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&Datei")
        self.new_action = QAction("&Neu …", self)
        self.new_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_action.setStatusTip("Auf der geöffneten Seite einen neuen Eintrag anlegen")
        self.new_action.triggered.connect(self.new_record)
        file_menu.addAction(self.new_action)
        file_menu.addSeparator()
        self.open_action = QAction("&Öffnen …", self)
        self.open_action.setShortcut(QKeySequence.StandardKey.Open)
        self.open_action.triggered.connect(self.choose_and_open)
        self.demo_action = QAction("&Demo öffnen", self)
        self.demo_action.setStatusTip("Eine frische Kopie des Demo-Datenbestands öffnen (Gemeinde Lindenbach)")
        self.demo_action.triggered.connect(self.open_demo)
        self.quit_action = QAction("&Beenden", self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.triggered.connect(self.close)
        file_menu.addAction(self.open_action)
        file_menu.addAction(self.demo_action)
        file_menu.addSeparator()
        self.backup_action = QAction("Jetzt &sichern", self)
        self.backup_action.setStatusTip("Eine geprüfte Sicherung des Datenbestands anlegen")
        self.backup_action.triggered.connect(self.backup_now)
        self.restore_action = QAction("Sicherung &zurückspielen …", self)
        self.restore_action.setStatusTip("Den Datenbestand auf den Stand einer Sicherung zurücksetzen")
        self.restore_action.triggered.connect(self.restore_backup)
        file_menu.addAction(self.backup_action)
        file_menu.addAction(self.restore_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        view_menu = bar.addMenu("&Ansicht")
        self.section_actions: list[QAction] = []
        for number, item in enumerate(SECTIONS, start=1):
            action = QAction(item.title.replace("&", "&&"), self)  # "Berichte & Druck", not a mnemonic
            if number <= 9:
                action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(lambda _checked=False, key=item.key: self.show_section(key))
            view_menu.addAction(action)
            self.section_actions.append(action)
        # Window-wide, so Strg+Tab also switches tabs while the focus is in the section list
        for keys, step in (("Ctrl+Tab", 1), ("Ctrl+Shift+Tab", -1), ("Ctrl+Shift+Backtab", -1)):
            QShortcut(QKeySequence(keys), self, lambda step=step: self.switch_tab(step))
        view_menu.addSeparator()
        self.filter_action = QAction("&Filtern", self)
        self.filter_action.setShortcut(QKeySequence.StandardKey.Find)
        self.filter_action.triggered.connect(self.focus_filter)
        view_menu.addAction(self.filter_action)

        help_menu = bar.addMenu("&Hilfe")
        self.handbook_action = QAction("&Handbuch", self)
        self.handbook_action.setShortcut(QKeySequence(Qt.Key.Key_F1))
        self.handbook_action.setStatusTip("Das Handbuch beim Kapitel dieser Seite öffnen")
        self.handbook_action.triggered.connect(self.show_handbook)
        help_menu.addAction(self.handbook_action)
        help_menu.addSeparator()
        self.about_action = QAction("Über &PaktDesk", self)
        self.about_action.triggered.connect(self.show_about)
        help_menu.addAction(self.about_action)
        from .handbook import HelpKey

        QApplication.instance().installEventFilter(HelpKey(self.help_chapter, self))  # F1 in dialogs

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        status.setStyleSheet("QStatusBar::item { border: none; }")
        self.file_label = QLabel(self)
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.file_label.setContentsMargins(6, 0, 6, 0)
        self.counts_label = QLabel(self)
        self.counts_label.setContentsMargins(6, 0, 12, 0)
        self.state_label = QLabel(self)
        self.state_label.setObjectName("fileState")
        status.addWidget(self.file_label, 1)
        status.addPermanentWidget(self.counts_label)
        status.addPermanentWidget(self.state_label)

    # --- workspace ---------------------------------------------------------------------------------
    @property
    def workspace(self) -> Workspace:
        return self.ctx.workspace

    def set_workspace(self, workspace: Workspace, *, demo: bool = False) -> None:
        """Show ``workspace``; the previous one is closed and its pages are rebuilt on demand."""
        from .context import UiContext

        loading = getattr(self, "_loading", None)
        if loading is not None:
            self.stack.removeWidget(loading)
            loading.deleteLater()
            self._loading = None
        old = self.ctx
        current = self.nav.currentRow()
        self.ctx = UiContext(workspace, demo=demo, parent=self)
        self.ctx.changed.connect(self._on_change)
        self.ctx.status_message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        for key, widget in list(self.sections.items()):
            index = self.stack.indexOf(widget)
            self.stack.removeWidget(widget)
            widget.deleteLater()
            self.stack.insertWidget(index, QWidget(self.stack))
            del self.sections[key]
        if old is not None:
            self.guard.release(old)
            old.workspace.close()
            old.deleteLater()
        self._update_title()
        self._set_state("schreibgeschützt" if workspace.read_only else f"geöffnet {self._now()}")
        self._update_counts()
        self.file_label.setText(str(workspace.path))
        self.file_label.setToolTip(str(workspace.path))
        target = current if current >= 0 else self._remembered_section()
        self.nav.setCurrentRow(-1)
        self.nav.setCurrentRow(target)
        self.backup_action.setEnabled(True)
        self.restore_action.setEnabled(not workspace.read_only)
        self.guard.attach(self.ctx)

    def forget_workspace(self) -> None:
        """Drop a workspace whose showing failed half-way (start-up on a damaged file): no
        backup, no check (the guard attaches last, so it never saw it); the caller closes it."""
        if self.ctx is not None:
            self.ctx.deleteLater()
        self.ctx = None

    def _on_change(self, change: Change) -> None:
        self._set_state(f"gespeichert {self._now()}")
        self._update_counts()
        self.statusBar().showMessage(f"{change.action}.", 8000)

    @staticmethod
    def _now() -> str:
        return datetime.now().strftime("%H:%M")

    def _set_state(self, text: str) -> None:
        read_only = text == "schreibgeschützt"
        colour = "#8a4b00" if read_only else "#1e6b34"
        self.state_label.setText(text)
        self.state_label.setStyleSheet(
            f"#fileState {{ color: {colour}; border: 1px solid {colour}; border-radius: 3px;"
            " padding: 1px 6px; margin: 2px 6px 2px 0; }")
        self.state_label.setToolTip("Die Datei kann nicht geändert werden." if read_only else
                                    "Jede Änderung wird sofort in der Datei gespeichert.")

    def _update_counts(self) -> None:
        counts = self.ctx.counts()
        self.counts_label.setText(
            f"{counted(counts['persons'], 'Person', 'Personen')} · "
            f"{counted(counts['decisions'], 'Bescheid', 'Bescheide')} · "
            f"{counted(counts['payments'], 'Zahlung', 'Zahlungen')} · {counted(counts['receipts'], 'Beleg', 'Belege')}")

    def _update_title(self) -> None:
        name = self.workspace.path.name
        extra = " (Demo)" if self.ctx.demo else ""
        if self.workspace.read_only:
            extra += " [schreibgeschützt]"
        self.setWindowTitle(f"{name}{extra} – PaktDesk")

    # --- sections --------------------------------------------------------------------------------
    def section_keys(self) -> list[str]:
        return [item.key for item in SECTIONS]

    def show_section(self, key: str) -> SectionWidget:
        self.nav.setCurrentRow(self.section_keys().index(key))
        return self.sections[key]

    def switch_tab(self, step: int) -> None:
        """Strg+Tab / Strg+Umschalt+Tab: the next or previous tab of the open section, round."""
        section = self.sections.get(self.current_section().key)
        if section is not None and section.count() > 1:
            section.setCurrentIndex((section.currentIndex() + step) % section.count())

    def section_widget(self, key: str) -> SectionWidget:
        """The section's widget, built now if it was not opened yet."""
        if key not in self.sections:
            index = self.section_keys().index(key)
            widget = SectionWidget(self.ctx, SECTIONS[index], self.stack)
            placeholder = self.stack.widget(index)
            self.stack.removeWidget(placeholder)
            placeholder.deleteLater()
            self.stack.insertWidget(index, widget)
            self.sections[key] = widget
        return self.sections[key]

    def current_section(self) -> Section:
        return SECTIONS[max(0, self.nav.currentRow())]

    def _show_row(self, row: int) -> None:
        if row < 0 or self.ctx is None:
            return
        widget = self.section_widget(SECTIONS[row].key)
        self.stack.setCurrentWidget(widget)

    def new_record(self) -> bool:
        """Strg+N: the current page's "Neu …" button, as if clicked (one shortcut for the window;
        see ``page_keys``). False with a note in the status bar where nothing can be added."""
        from .page_keys import new_button_of

        section = self.sections.get(self.current_section().key) if self.ctx else None
        button = new_button_of(section.currentWidget() if section is not None else None)
        if button is None:
            self.statusBar().showMessage("Auf dieser Seite lässt sich nichts neu anlegen.", 4000)
            return False
        if not button.isEnabled():
            self.statusBar().showMessage("Die Datei ist schreibgeschützt geöffnet.", 4000)
            return False
        button.click()
        return True

    def focus_filter(self) -> None:
        widget = self.sections.get(self.current_section().key) if self.ctx else None
        if widget is None or not widget.focus_filter():
            self.statusBar().showMessage("Dieser Bereich hat kein Filterfeld.", 4000)

    # --- menu actions ----------------------------------------------------------------------------
    def choose_and_open(self) -> None:
        start = str(self.workspace.path.parent if self.ctx else data_dir())
        name, _ = QFileDialog.getOpenFileName(
            self, "Datenbestand öffnen", start, "PaktDesk-Datenbestände (*.paktdesk);;Alle Dateien (*)")
        if name:
            self.open_path(Path(name))

    def open_path(self, path: Path) -> bool:
        from .safe_open import open_guarded

        if self.ctx is not None and Path(path).resolve() == self.workspace.path.resolve():
            self.statusBar().showMessage(f"„{Path(path).name}“ ist bereits geöffnet.", 8000)
            return True
        workspace = open_guarded(path, parent=self)
        if workspace is None:
            return False
        self.set_workspace(workspace, demo=False)
        return True

    def open_demo(self) -> bool:
        from . import opening

        try:
            path = opening.create_demo_copy()
        except Exception as err:  # noqa: BLE001 - temp folder full or not writable
            messages.error(self, "Demo nicht verfügbar",
                           f"Der Demo-Datenbestand konnte nicht angelegt werden ({type(err).__name__}).")
            return False
        self._temp_folders.append(path.parent)
        workspace = opening.open_existing(path, parent=self)
        if workspace is None:
            return False
        self.set_workspace(workspace, demo=True)
        self.statusBar().showMessage("Demo geöffnet: Änderungen gehen beim Beenden verloren.", 8000)
        return True

    def backup_now(self):
        """Datei → Jetzt sichern."""
        from .backup_actions import backup_now

        return backup_now(self.ctx, self) if self.ctx is not None else None

    def restore_backup(self):
        """Datei → Sicherung zurückspielen …"""
        from .backup_actions import restore_from_menu

        return restore_from_menu(self.ctx, self) if self.ctx is not None else None

    def about_text(self) -> str:
        import platform

        file_rows = ""
        if self.ctx is not None:
            file_rows = (
                f"<tr><td>Datenbestand:&nbsp;</td><td>{_html(self.workspace.path.name)}</td></tr>"
                f"<tr><td>Schema-Version der Datei:&nbsp;</td><td>{self.workspace.schema_version()}</td></tr>"
                f"<tr><td>SQLite:&nbsp;</td><td>{self.workspace.sqlite_version()}</td></tr>")
        return (
            f"<h3>PaktDesk {__version__}</h3>"
            "<p>Integrationsmanagement und Förderung im Pakt für Integration (Baden-Württemberg) "
            "verwalten.</p>"
            f"<table>{file_rows}"
            f"<tr><td>Qt:&nbsp;</td><td>{qVersion()} (PySide6 {PySide6.__version__})</td></tr>"
            f"<tr><td>Python:&nbsp;</td><td>{platform.python_version()}</td></tr>"
            "</table>")

    def help_chapter(self) -> str:
        """The handbook chapter of the page shown (the first steps while no file is open)."""
        section = self.sections.get(self.current_section().key) if self.ctx is not None else None
        if section is None:
            return "erste-schritte"
        index = max(0, section.currentIndex())
        return section.section.tabs[index].help or "erste-schritte"

    def show_handbook(self):
        """Hilfe → Handbuch, F1: the handbook at the chapter of the page shown."""
        from .handbook import open_handbook

        return open_handbook(self.help_chapter(), parent=self)

    def show_about(self) -> None:
        QMessageBox.about(self, "Über PaktDesk", self.about_text())

    def add_temp_folder(self, folder: Path) -> None:
        """A folder (a demo copy) to remove when the window closes."""
        self._temp_folders.append(Path(folder))

    # --- geometry and closing ------------------------------------------------------------------------
    def _remembered_section(self) -> int:
        key = self.settings.value("main_window/section", "overview")
        keys = self.section_keys()
        return keys.index(key) if key in keys else 0

    def _restore_geometry(self) -> None:
        geometry = self.settings.value("main_window/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(DEFAULT_SIZE)
        shrink_to_screen(self)  # a size saved on a larger screen shrinks too

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if not getattr(self, "_placed", False):
            self._placed = True
            QTimer.singleShot(0, self, lambda: keep_on_screen(self))  # once the window manager framed it

    def save_window_state(self) -> None:
        self.settings.setValue("main_window/geometry", self.saveGeometry())
        self.settings.setValue("main_window/section", self.current_section().key)
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.save_window_state()
        if self.ctx is not None:
            self.guard.release(self.ctx)
            self.ctx.workspace.close()
        for folder in self._temp_folders:
            shutil.rmtree(folder, ignore_errors=True)
        self._temp_folders.clear()
        super().closeEvent(event)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
