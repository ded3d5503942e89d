"""Integrationsmanager:innen with the register's actions: persons and providers with dialogs
for keyboard use (Strg+N new, Enter open, F2 edit, Entf delete with confirmation), the
Papierkorb, and the Qualifikationsübersicht."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.errors import PaktDeskError
from ...core.periods import format_date
from ...core.requalification import RequalStatus
from ...core.validation import format_vza
from .. import file_folders, messages
from ..context import UiContext
from ..file_folders import remember_folder, start_folder
from ..dialogs.person import EndPersonDialog, PersonDialog, ProviderDialog
from ..dialogs.person_file import STATUS_COLOURS, PersonFileDialog
from ..dialogs.trash import TrashDialog
from ..list_page import ListPage
from ..page_keys import page_shortcut
from ..settings_store import ui_settings


def _tool_button(page: ListPage, text: str, slot, *, shortcut: str = "", tip: str = "",
                 writes: bool = True) -> QPushButton:
    button = QPushButton(text, page)
    button.clicked.connect(slot)
    if shortcut:
        if shortcut != "Ctrl+N":  # Strg+N is the window's, routed to the current page's new_button
            page_shortcut(page, shortcut, button.click)
        tip = f"{tip} ({QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)})".strip()
    if tip:
        button.setToolTip(tip)
    if writes and page.ctx.workspace.read_only:
        button.setEnabled(False)
    page.toolbar.addWidget(button)
    return button


class RegisterPersonsPage(ListPage):
    """The persons list with Neu, Öffnen, Ausscheiden, Löschen and the Papierkorb."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None):
        super().__init__(
            ctx, "persons", noun=("Person", "Personen"), filter_hint="Name oder Träger",
            empty_text="Noch keine Integrationsmanager:innen erfasst.\nMit „Neu …“ (Strg+N) anlegen.",
            parent=parent)
        self.today: date | None = None  # tests fix the day; None = today
        self.new_button = _tool_button(self, "&Neu …", self.new_person, shortcut="Ctrl+N",
                                       tip="Neue Integrationsmanager:in anlegen")
        self.open_button = _tool_button(self, "Ö&ffnen", self.open_selected, writes=False,
                                        tip="Akte mit Stellenanteilen, Qualifikation und Nachqualifizierung (Enter)")
        self.edit_button = _tool_button(self, "&Bearbeiten …", self.edit_selected, shortcut="F2",
                                        tip="Stammdaten der markierten Person bearbeiten")
        self.end_button = _tool_button(self, "&Ausscheiden …", self.end_selected,
                                       tip="Letzten Arbeitstag eintragen")
        self.delete_button = _tool_button(self, "&Löschen …", self.delete_selected, shortcut="Delete",
                                          tip="In den Papierkorb legen (nur ohne gebuchte Stellen und Belege)")
        self.trash_button = _tool_button(self, "&Papierkorb …", self.show_trash, writes=False)
        self.activated.connect(self.open_person)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)

    def _person(self):
        record_id = self.selected_id()
        if record_id is None:
            messages.info(self, "Keine Person markiert", "Bitte zuerst eine Person in der Liste markieren.")
            return None
        return self.ctx.workspace.person(record_id)

    def new_person(self) -> QDialog:
        dialog = PersonDialog(self.ctx, None, self)
        dialog.exec()
        return dialog

    def open_selected(self) -> None:
        person = self._person()
        if person is not None:
            self.open_person(person.id)

    def open_person(self, person_id: int) -> None:
        PersonFileDialog(self.ctx, person_id, self, today=self.today).exec()

    def edit_selected(self) -> None:
        person = self._person()
        if person is not None:
            PersonDialog(self.ctx, person, self).exec()

    def end_selected(self) -> None:
        person = self._person()
        if person is not None:
            EndPersonDialog(self.ctx, person, self).exec()

    def delete_selected(self) -> None:
        person = self._person()
        if person is None:
            return
        if messages.confirm(self, "Person löschen",
                            f"{person.full_name} in den Papierkorb legen? Sie lässt sich von dort "
                            "wiederherstellen."):
            self.ctx.perform(lambda: self.ctx.workspace.delete_person(person.id), parent=self,
                             title="Nicht gelöscht")

    def show_trash(self) -> None:
        TrashDialog(self.ctx, self).exec()

    def context_menu(self) -> QMenu:
        """The menu of a person's row (right click)."""
        writable = not self.ctx.workspace.read_only
        menu = QMenu(self)
        menu.addAction("Öffnen", self.open_selected)
        for text, slot in (("Bearbeiten …", self.edit_selected), ("Ausscheiden …", self.end_selected),
                           ("In den Papierkorb …", self.delete_selected)):
            menu.addAction(text, slot).setEnabled(writable)
        menu.addSeparator()
        menu.addAction("Personenbezogene Daten löschen …", self.erase_selected).setEnabled(writable)
        return menu

    def _context_menu(self, position) -> None:
        index = self.table.indexAt(position)
        if not index.isValid():
            return
        self.table.setCurrentIndex(index)
        self.context_menu().exec(self.table.viewport().mapToGlobal(position))

    def erase_selected(self) -> None:
        """Delete the marked person's personal data where the retention rules allow it."""
        from ..dialogs.erase_person import ErasePersonDialog

        person = self._person()
        if person is not None:
            ErasePersonDialog(self.ctx, person.id, self, today=self.today).exec()


class RegisterProvidersPage(ListPage):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None):
        super().__init__(
            ctx, "providers", noun=("Träger", "Träger"), filter_hint="Name oder Ansprechpartner",
            empty_text="Noch keine Träger erfasst.\nMit „Neu …“ (Strg+N) anlegen.",
            parent=parent)
        self.new_button = _tool_button(self, "&Neu …", self.new_provider, shortcut="Ctrl+N", tip="Neuer Träger")
        self.edit_button = _tool_button(self, "&Bearbeiten …", self.edit_selected, shortcut="F2")
        self.delete_button = _tool_button(self, "&Löschen …", self.delete_selected, shortcut="Delete",
                                          tip="In den Papierkorb legen (nur ohne zugeordnete Personen)")
        self.trash_button = _tool_button(self, "&Papierkorb …", lambda: TrashDialog(self.ctx, self).exec(),
                                         writes=False)
        self.activated.connect(lambda record_id: ProviderDialog(
            self.ctx, self.ctx.workspace.provider(record_id), self).exec())

    def new_provider(self) -> None:
        ProviderDialog(self.ctx, None, self).exec()

    def edit_selected(self) -> None:
        record_id = self.selected_id()
        if record_id is not None:
            ProviderDialog(self.ctx, self.ctx.workspace.provider(record_id), self).exec()

    def delete_selected(self) -> None:
        record_id = self.selected_id()
        if record_id is None:
            return
        provider = self.ctx.workspace.provider(record_id)
        if messages.confirm(self, "Träger löschen", f"„{provider.name}“ in den Papierkorb legen?"):
            self.ctx.perform(lambda: self.ctx.workspace.delete_provider(record_id), parent=self,
                             title="Nicht gelöscht")


OVERVIEW_COLUMNS = ("Name", "Träger", "VZÄ heute", "Kategorie", "Status", "Frist", "Ausgeschieden", "Hinweise")


class QualificationOverviewPage(QWidget):
    """Qualifikationsübersicht: status and deadline per person, computed when shown."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.today: date | None = None
        self._sorted_once = False
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText("Filtern nach Name oder Träger … (Strg+F)")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setAccessibleName("Filter")
        self.status_combo = QComboBox(self)
        self.status_combo.setAccessibleName("Status")
        self.status_combo.addItem("alle Status", None)
        for status in RequalStatus:
            self.status_combo.addItem(str(status), status)
        self.count_label = QLabel(self)
        self.csv_button = QPushButton("Als &CSV speichern …", self)
        self.csv_button.setToolTip("Für Excel: UTF-8, Semikolon, deutsche Zahlen- und Datumsformate")
        self.csv_button.clicked.connect(self.export_csv)
        top = QHBoxLayout()
        top.addWidget(self.filter_edit, 2)
        top.addWidget(self.status_combo)
        top.addWidget(self.csv_button)
        top.addStretch(1)
        top.addWidget(self.count_label)
        self.table = QTableWidget(0, len(OVERVIEW_COLUMNS), self)
        self.table.setAccessibleName("Qualifikationsübersicht")
        self.table.setHorizontalHeaderLabels(OVERVIEW_COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSortingEnabled(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self.filter_edit.textChanged.connect(self.apply_filter)
        self.status_combo.currentIndexChanged.connect(self.apply_filter)
        self.table.doubleClicked.connect(self._open)
        ctx.changed.connect(lambda _change: self.refresh())
        self.refresh()

    def focus_filter(self) -> None:
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    def refresh(self) -> None:
        self.rows = self.ctx.workspace.qualification_overview(self.today)
        header = self.table.horizontalHeader()
        column, order = header.sortIndicatorSection(), header.sortIndicatorOrder()
        if not self._sorted_once:
            column, order, self._sorted_once = 0, Qt.SortOrder.AscendingOrder, True
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(self.rows))
        for number, row in enumerate(self.rows):
            cells = [row.name, row.provider, format_vza(row.vza_milli), row.category, str(row.status),
                     format_date(row.deadline), format_date(row.ended_on), row.notes]
            sort_keys = [None, None, row.vza_milli, None, None, row.deadline.isoformat() if row.deadline else "",
                         row.ended_on.isoformat() if row.ended_on else "", None]
            for column, text in enumerate(cells):
                item = _SortItem(text, sort_keys[column])
                if column == 0:
                    item.setData(Qt.ItemDataRole.UserRole, row.person_id)
                if column == 4:
                    item.setBackground(QColor(STATUS_COLOURS[row.status]))
                if column == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(number, column, item)
        self.table.setSortingEnabled(True)
        self.table.sortItems(column, order)
        self.apply_filter()

    def apply_filter(self) -> None:
        words = self.filter_edit.text().casefold().split()
        wanted = self.status_combo.currentData()
        shown = 0
        for row in range(self.table.rowCount()):
            text = f"{self.table.item(row, 0).text()} {self.table.item(row, 1).text()}".casefold()
            visible = all(w in text for w in words) and (wanted is None or self.table.item(row, 4).text() == wanted)
            self.table.setRowHidden(row, not visible)
            shown += visible
        total = self.table.rowCount()
        self.count_label.setText(f"{shown} von {total} Personen" if shown != total else f"{total} Personen")

    def export_csv(self) -> Path | None:
        start = str(start_folder(ui_settings(), file_folders.CSV) / "Qualifikationsuebersicht.csv")
        name, _ = QFileDialog.getSaveFileName(self, "Qualifikationsübersicht speichern", start,
                                              "CSV für Excel (*.csv)")
        if not name:
            return None
        path = Path(name) if name.lower().endswith(".csv") else Path(name + ".csv")
        remember_folder(ui_settings(), file_folders.CSV, path)
        try:
            count = self.ctx.workspace.export_qualification_csv(path, today=self.today)
        except PaktDeskError as err:
            messages.warn(self, "Nicht gespeichert", str(err))
            return None
        self.ctx.status_message.emit(f"Qualifikationsübersicht gespeichert: {count} Personen in {path.name}.")
        return path

    def _open(self, index) -> None:
        person_id = self.table.item(index.row(), 0).data(Qt.ItemDataRole.UserRole)
        PersonFileDialog(self.ctx, person_id, self, today=self.today).exec()


class _SortItem(QTableWidgetItem):
    def __init__(self, text: str, key=None):
        super().__init__(text)
        self.key = key

    def __lt__(self, other) -> bool:
        if isinstance(other, _SortItem) and self.key is not None and other.key is not None:
            return self.key < other.key
        return self.text().casefold() < other.text().casefold()
