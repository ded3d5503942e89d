"""Zurückspielen einer Sicherung: the start screen when the live file cannot be opened (damaged,
empty, foreign) and the dialog behind "Datei → Sicherung zurückspielen …".

Without a workspace (start screen) the backups beside the file are listed and the chosen one is
put in place with :meth:`Workspace.restore_file`, which works even when the live file is zero
bytes or random bytes: the broken file is moved aside first, never deleted. With a workspace
(menu) the current state is backed up first and :meth:`Workspace.restore` reopens the file.

Tests drive the dialog through its buttons; ``exec()`` may be patched."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ..core.errors import PaktDeskError
from ..lockfile import FileInUseError
from . import messages
from .background import busy_cursor
from .backup_table import BackupTable, describe, reason_text
from ..core.os_errors import reason as os_reason


def _workspace_class():
    """The Workspace class, imported when a dialog needs it: the window frame that may show this
    dialog is built before the workspace (and the database library) load."""
    from ..workspace import Workspace

    return Workspace

log = logging.getLogger("paktdesk.ui")


class RecoveryDialog(QDialog):
    """List backups and restore one. After ``accept()``, ``restored`` holds the restore result."""

    def __init__(self, path: Path, *, problem: str = "", ctx=None, parent: QWidget | None = None):
        super().__init__(parent)
        self.path = Path(path)
        self.ctx = ctx
        self.restored = None
        self.extra: list = []  # backups the clerk picked from another folder
        self.setWindowTitle("Sicherung zurückspielen")
        self.resize(900, 480)

        layout = QVBoxLayout(self)
        if ctx is None:
            headline = QLabel(f"<b>Der Datenbestand „{_html(self.path.name)}“ kann nicht geöffnet werden.</b>", self)
            headline.setWordWrap(True)
            layout.addWidget(headline)
            self.problem_label = QLabel(problem, self)
            self.problem_label.setWordWrap(True)
            self.problem_label.setObjectName("problem")
            self.problem_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.problem_label.setStyleSheet(
                "#problem { background: #fbeaea; border: 1px solid #d9a3a3; border-radius: 4px; padding: 8px; }")
            layout.addWidget(self.problem_label)
            intro = ("PaktDesk repariert beschädigte Dateien nicht, denn dabei könnten unbemerkt Buchungen "
                     "verloren gehen. Spielen Sie stattdessen eine geprüfte Sicherung zurück: die "
                     "beschädigte Datei wird dabei nicht gelöscht, sondern in den Ordner „Sicherungen“ "
                     "gelegt. Änderungen nach dem Zeitpunkt der Sicherung müssen neu erfasst werden.")
        else:
            self.problem_label = None
            intro = ("Wählen Sie den Stand, zu dem Sie zurückkehren möchten. Der jetzige Stand wird vorher "
                     "gesichert und bleibt in der Liste, falls Sie es sich anders überlegen. Änderungen "
                     "nach dem Zeitpunkt der Sicherung müssen neu erfasst werden.")
        self.intro_label = QLabel(intro, self)
        self.intro_label.setWordWrap(True)
        layout.addWidget(self.intro_label)

        self.table = BackupTable(self)
        self.empty_label = QLabel(self)
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setObjectName("emptyState")
        self.empty_label.setStyleSheet("#emptyState { color: palette(placeholder-text); font-size: 12pt; }")
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty_label)
        self.stack.setFrameShape(QFrame.Shape.NoFrame)
        layout.addWidget(self.stack, 1)
        self.detail_label = QLabel(self)
        self.detail_label.setWordWrap(True)
        self.detail_label.setStyleSheet("color: palette(placeholder-text);")
        layout.addWidget(self.detail_label)

        self.browse_button = QPushButton("Sicherung &suchen …", self)
        self.browse_button.setToolTip("Eine Sicherung auf einem USB-Stick, Netzlaufwerk oder in einem anderen "
                                      "Ordner wählen")
        self.restore_button = QPushButton("Zurückspielen und öffnen" if ctx is None else "&Zurückspielen …", self)
        self.restore_button.setDefault(True)
        self.cancel_button = QPushButton("Abbrechen", self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.browse_button)
        buttons.addStretch(1)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.cancel_button)
        layout.addLayout(buttons)

        self.browse_button.clicked.connect(self.browse)
        self.restore_button.clicked.connect(self.restore)
        self.cancel_button.clicked.connect(self.reject)
        self.table.doubleClicked.connect(lambda _index: self.restore())
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.reload()

    # --- list ---------------------------------------------------------------------------------------
    def reload(self) -> None:
        try:
            if self.ctx is not None:
                found = self.ctx.workspace.backups()
            else:
                found = _workspace_class().backups_beside(self.path)
        except (OSError, PaktDeskError) as err:
            log.warning("Sicherungen nicht lesbar: %s", type(err).__name__)
            found = []
        known = {entry.path for entry in found}
        entries = [entry for entry in self.extra if entry.path not in known] + found
        entries.sort(key=lambda entry: entry.created, reverse=True)
        self.table.set_entries(entries)
        folder = self.path.parent / "Sicherungen"
        self.empty_label.setText(
            f"Im Ordner „{folder}“ wurde keine Sicherung dieses Datenbestands gefunden.\n\n"
            "Liegt eine Sicherung auf einem USB-Stick oder Netzlaufwerk (zweites Sicherungsziel)? "
            "Dann „Sicherung suchen …“ wählen.")
        self.stack.setCurrentWidget(self.table if entries else self.empty_label)
        self._update_buttons()

    def _update_buttons(self) -> None:
        entry = self.table.selected_entry()
        self.restore_button.setEnabled(entry is not None and entry.restorable)
        self.detail_label.setText(describe(entry) if entry is not None else "")

    def browse(self) -> None:
        start = str(self.path.parent / "Sicherungen")
        name, _ = QFileDialog.getOpenFileName(self, "Sicherung wählen", start,
                                              "PaktDesk-Sicherungen (*.paktdesk);;Alle Dateien (*)")
        if not name:
            return
        try:
            entry = _workspace_class().backup_info(Path(name))
        except (OSError, PaktDeskError) as err:
            messages.warn(self, "Sicherung nicht lesbar", f"„{Path(name).name}“ kann nicht gelesen werden ({err}).")
            return
        if not entry.restorable:
            messages.warn(self, "Sicherung nicht verwendbar",
                          f"„{entry.path.name}“ kann nicht zurückgespielt werden:\n\n" + "\n".join(entry.problems[:3]))
            return
        self.extra = [e for e in self.extra if e.path != entry.path] + [entry]
        self.reload()
        for row, shown in enumerate(self.table.entries):
            if shown.path == entry.path:
                self.table.selectRow(row)

    # --- restore -------------------------------------------------------------------------------------
    _other_gemeinde = False  # the clerk confirmed restoring another Gemeinde's backup

    def restore(self) -> None:
        entry = self.table.selected_entry()
        if entry is None or not entry.restorable:
            return
        when = entry.created.astimezone().strftime("%d.%m.%Y um %H:%M Uhr")
        if self.ctx is None:
            text = (f"Die Sicherung vom {when} ({reason_text(entry)}) zurückspielen und den Datenbestand "
                    "öffnen?\n\nDie jetzige, nicht lesbare Datei wird in den Ordner „Sicherungen“ gelegt "
                    "(Endung .paktdesk-alt) und bleibt dort erhalten.")
        else:
            text = (f"Den Datenbestand auf den Stand vom {when} ({reason_text(entry)}) zurücksetzen?\n\n"
                    "Der jetzige Stand wird vorher gesichert. Alles, was danach erfasst wurde, muss neu "
                    "eingegeben werden.")
        if not messages.confirm(self, "Sicherung zurückspielen", text):
            return
        live = self.ctx.workspace.store.path if self.ctx is not None else self.path
        other = _workspace_class().other_gemeinde(live, entry.path)
        if other and not messages.confirm(
                self, "Sicherung einer anderen Gemeinde",
                f"{other}\n\nSoll der Datenbestand wirklich durch die Sicherung einer anderen Gemeinde "
                "ersetzt werden? Der jetzige Stand bleibt im Ordner „Sicherungen“ erhalten."):
            return
        self._other_gemeinde = bool(other)
        result = self._restore_with_ctx(entry) if self.ctx is not None else self._restore_file(entry)
        if result is not None:
            self.restored = result
            self.accept()

    def _restore_with_ctx(self, entry):
        with busy_cursor():
            return self.ctx.perform(lambda: self.ctx.workspace.restore(
                entry.path, other_gemeinde=self._other_gemeinde), parent=self,
                                    title="Nicht zurückgespielt")

    def _restore_file(self, entry):
        try:
            try:
                with busy_cursor():
                    return _workspace_class().restore_file(self.path, entry.path,
                                                           other_gemeinde=self._other_gemeinde)
            except FileInUseError as err:
                if not err.stale:
                    messages.warn(self, "Nicht zurückgespielt", str(err))
                    return None
                if not messages.confirm(self, "Sperre übernehmen",
                                        f"{err}\n\nDie Sperre jetzt übernehmen und die Sicherung zurückspielen?"):
                    return None
                with busy_cursor():
                    return _workspace_class().restore_file(self.path, entry.path, take_over=err.holder,
                                                           other_gemeinde=self._other_gemeinde)
        except PaktDeskError as err:
            messages.error(self, "Nicht zurückgespielt", str(err))
        except OSError as err:
            messages.error(self, "Nicht zurückgespielt",
                           f"Die Sicherung konnte nicht zurückgespielt werden ({os_reason(err)}).")
        return None


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
