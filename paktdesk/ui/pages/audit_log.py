"""Einstellungen → Änderungsprotokoll: every change to the Datenbestand (who, when, what, old →
new), filtered by period and area, exported as CSV (and as PDF where the workspace can print it)
for the Rechnungsprüfungsamt.

The table is lazy: only the number of entries is asked for up front; entries arrive in pages of
:attr:`AuditModel.PAGE_SIZE` as the view shows them, newest first. Filtering happens in SQL."""

from __future__ import annotations

from collections import OrderedDict
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.errors import PaktDeskError
from ...core.periods import Period
from ...workspace.safety import audit_changes, entity_label, german_stamp
from .. import file_folders, messages
from ..context import UiContext
from ..file_folders import remember_folder, start_folder
from ..formatting import format_count
from ..settings_store import ui_settings

COLUMNS = ("Zeitpunkt", "Benutzer", "Aktion", "Bereich", "Nr.", "Änderung")
PERIODS = ("Alle Einträge", "Heute", "Letzte 7 Tage", "Letzte 30 Tage", "Dieses Jahr", "Letztes Jahr",
           "Zeitraum wählen …")
CUSTOM = len(PERIODS) - 1


def period_for(choice: int, today: date, first: date | None = None, last: date | None = None) -> Period | None:
    """The half-open period of a choice in the Zeitraum box (None: all entries)."""
    if choice == 1:
        return Period(today, today + timedelta(days=1))
    if choice == 2:
        return Period(today - timedelta(days=6), today + timedelta(days=1))
    if choice == 3:
        return Period(today - timedelta(days=29), today + timedelta(days=1))
    if choice == 4:
        return Period(date(today.year, 1, 1), date(today.year + 1, 1, 1))
    if choice == 5:
        return Period(date(today.year - 1, 1, 1), date(today.year, 1, 1))
    if choice == CUSTOM and first is not None and last is not None:
        return Period(first, last + timedelta(days=1))
    return None


def change_summary(entry) -> str:
    """All changed fields of an entry on one line: "Betrag: 12,00 € → 24,65 €; …"."""
    parts = []
    for label, old, new in audit_changes(entry):
        if old == "–":
            text = f"{new}"
        elif new == "–":
            text = f"{old} → –"
        else:
            text = f"{old} → {new}"
        parts.append(f"{label}: {text}" if label else text)
    return "; ".join(parts)


class AuditModel(QAbstractTableModel):
    """Audit entries matching the filter, fetched page by page, newest first."""

    PAGE_SIZE = 200
    MAX_CACHED_PAGES = 20
    counts_changed = Signal(int)

    def __init__(self, workspace, parent: QObject | None = None):
        super().__init__(parent)
        self.workspace = workspace
        self.period: Period | None = None
        self.entity: str | None = None
        self._pages: OrderedDict[int, list] = OrderedDict()
        self._count = 0
        self.fetches = 0
        self.reload()

    def set_filter(self, *, period: Period | None, entity: str | None) -> None:
        self.period, self.entity = period, entity
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self._pages.clear()
        self._count = self.workspace.audit_trail_count(period=self.period, entity=self.entity)
        self.endResetModel()
        self.counts_changed.emit(self._count)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802 - Qt override
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def entry(self, row: int):
        if not 0 <= row < self._count:
            return None
        number = row // self.PAGE_SIZE
        page = self._pages.get(number)
        if page is None:
            page = self.workspace.audit_trail(period=self.period, entity=self.entity,
                                              offset=number * self.PAGE_SIZE, limit=self.PAGE_SIZE)
            self.fetches += 1
            self._pages[number] = page
            while len(self._pages) > self.MAX_CACHED_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        index = row - number * self.PAGE_SIZE
        return page[index] if index < len(page) else None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 4:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        entry = self.entry(index.row())
        if entry is None:
            return None
        column = index.column()
        if column == 5:
            text = change_summary(entry)
            if role == Qt.ItemDataRole.ToolTipRole:
                return "\n".join(f"{label or 'Wert'}: {old} → {new}" for label, old, new in audit_changes(entry)) or None
            return text
        if role == Qt.ItemDataRole.ToolTipRole:
            return None
        values = (german_stamp(entry.at), entry.user, entry.action, entity_label(entry.entity),
                  "" if entry.entity_id is None else str(entry.entity_id))
        return values[column]


class AuditLogPage(QWidget):
    """The Änderungsprotokoll with filters, a detail view of the marked entry and exports."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.today: date | None = None  # tests fix the day
        self.model = AuditModel(ctx.workspace, self)

        self.period_combo = QComboBox(self)
        self.period_combo.addItems(PERIODS)
        self.period_combo.setAccessibleName("Zeitraum")
        self.period_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.from_edit = self._date_edit()
        self.to_edit = self._date_edit()
        self.entity_combo = QComboBox(self)
        self.entity_combo.setAccessibleName("Bereich")
        self.entity_combo.setMinimumContentsLength(18)
        self.count_label = QLabel(self)
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.csv_button = QPushButton("Als &CSV speichern …", self)
        self.csv_button.setToolTip("Für Excel und das Rechnungsprüfungsamt: eine Zeile je geändertem Feld")
        self.csv_button.clicked.connect(self.export_csv)
        self.pdf_button = QPushButton("Als &PDF speichern …", self)
        self.pdf_button.setToolTip("Das Änderungsprotokoll des gewählten Zeitraums zum Ausdrucken")
        self.pdf_button.clicked.connect(self.export_pdf)
        self.pdf_button.setVisible(hasattr(ctx.workspace, "print_audit_trail"))

        top = QHBoxLayout()
        top.addWidget(QLabel("Zeitraum:", self))
        top.addWidget(self.period_combo)
        self.range_widget = QWidget(self)
        range_row = QHBoxLayout(self.range_widget)
        range_row.setContentsMargins(0, 0, 0, 0)
        range_row.addWidget(QLabel("von", self.range_widget))
        range_row.addWidget(self.from_edit)
        range_row.addWidget(QLabel("bis", self.range_widget))
        range_row.addWidget(self.to_edit)
        top.addWidget(self.range_widget)
        top.addSpacing(12)
        top.addWidget(QLabel("Bereich:", self))
        top.addWidget(self.entity_combo)
        top.addStretch(1)
        top.addWidget(self.count_label)
        exports = QHBoxLayout()
        exports.addStretch(1)
        exports.addWidget(self.csv_button)
        exports.addWidget(self.pdf_button)

        self.table = QTableView(self)
        self.table.setAccessibleName("Änderungen")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        widths = (140, 110, 230, 170, 50)
        for column, width in enumerate(widths):
            header.resizeSection(column, width)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)

        self.detail = QTableWidget(0, 3, self)
        self.detail.setAccessibleName("Einzelheiten der Änderung")
        self.detail.setHorizontalHeaderLabels(["Feld", "Vorher", "Nachher"])
        self.detail.verticalHeader().setVisible(False)
        self.detail.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.detail.setAlternatingRowColors(True)
        self.detail.setShowGrid(False)
        self.detail.setWordWrap(True)
        detail_header = self.detail.horizontalHeader()
        detail_header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        detail_header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        detail_header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        detail_header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.detail_title = QLabel("Eintrag markieren, um alle geänderten Felder zu sehen.", self)
        self.detail_title.setStyleSheet("color: palette(placeholder-text);")
        detail_box = QWidget(self)
        detail_layout = QVBoxLayout(detail_box)
        detail_layout.setContentsMargins(0, 6, 0, 0)
        detail_layout.addWidget(self.detail_title)
        detail_layout.addWidget(self.detail, 1)

        self.empty_label = QLabel("Keine Einträge im gewählten Zeitraum und Bereich.", self)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setStyleSheet("color: palette(placeholder-text); font-size: 12pt;")
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        table_box = QWidget(splitter)
        table_layout = QVBoxLayout(table_box)
        table_layout.setContentsMargins(0, 0, 0, 0)
        table_layout.addWidget(self.table, 1)
        table_layout.addWidget(self.empty_label, 1)
        splitter.addWidget(table_box)
        splitter.addWidget(detail_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        intro = QLabel("Jede Änderung am Datenbestand wird hier unveränderbar protokolliert: wer, wann, was, "
                       "vorher und nachher. Einträge lassen sich weder ändern noch löschen.", self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addLayout(exports)

        self.fill_entities()
        self.model.counts_changed.connect(self._show_count)
        self.period_combo.currentIndexChanged.connect(self._period_changed)
        self.from_edit.dateChanged.connect(self.apply_filter)
        self.to_edit.dateChanged.connect(self.apply_filter)
        self.entity_combo.currentIndexChanged.connect(self.apply_filter)
        self.table.selectionModel().currentRowChanged.connect(lambda current, _previous: self.show_detail(current.row()))
        self.model.modelReset.connect(lambda: self.show_detail(-1))
        ctx.changed.connect(self._on_change)
        self._period_changed()

    def _date_edit(self) -> QDateEdit:
        edit = QDateEdit(self)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd.MM.yyyy")
        edit.setDate(QDate.currentDate())
        return edit

    def _today(self) -> date:
        return self.today or date.today()

    def fill_entities(self) -> None:
        current = self.entity_combo.currentData()
        self.entity_combo.blockSignals(True)
        self.entity_combo.clear()
        self.entity_combo.addItem("alle Bereiche", None)
        for name, label in sorted(self.ctx.workspace.audit_entities(), key=lambda pair: pair[1].casefold()):
            self.entity_combo.addItem(label, name)
        index = self.entity_combo.findData(current)
        self.entity_combo.setCurrentIndex(max(index, 0))
        self.entity_combo.blockSignals(False)

    # --- filter ------------------------------------------------------------------------------------
    def set_period(self, choice: int, first: date | None = None, last: date | None = None) -> None:
        """Choose a period as the clerk would (tests use this)."""
        for edit, day in ((self.from_edit, first), (self.to_edit, last)):
            if day is not None:
                edit.blockSignals(True)
                edit.setDate(QDate(day.year, day.month, day.day))
                edit.blockSignals(False)
        self.period_combo.setCurrentIndex(choice)
        self.apply_filter()

    def set_entity(self, entity: str | None) -> None:
        self.entity_combo.setCurrentIndex(max(self.entity_combo.findData(entity), 0))

    def _period_changed(self) -> None:
        self.range_widget.setVisible(self.period_combo.currentIndex() == CUSTOM)
        self.apply_filter()

    def current_period(self) -> Period | None:
        first, last = self.from_edit.date().toPython(), self.to_edit.date().toPython()
        if self.period_combo.currentIndex() == CUSTOM and last < first:
            return None
        return period_for(self.period_combo.currentIndex(), self._today(), first, last)

    def apply_filter(self) -> None:
        bad_range = (self.period_combo.currentIndex() == CUSTOM
                     and self.to_edit.date() < self.from_edit.date())
        self.to_edit.setStyleSheet("QDateEdit { color: #a11d1d; }" if bad_range else "")
        self.to_edit.setToolTip("„bis“ liegt vor „von“." if bad_range else "")
        self.model.set_filter(period=self.current_period(), entity=self.entity_combo.currentData())

    def _show_count(self, count: int) -> None:
        self.count_label.setText(f"{format_count(count)} {'Eintrag' if count == 1 else 'Einträge'}")
        self.table.setVisible(count > 0)
        self.empty_label.setVisible(count == 0)
        self.csv_button.setEnabled(count > 0)
        self.pdf_button.setEnabled(count > 0)

    def _on_change(self, _change) -> None:
        self.fill_entities()
        self.model.reload()

    # --- detail ------------------------------------------------------------------------------------
    def show_detail(self, row: int) -> None:
        entry = self.model.entry(row) if row >= 0 else None
        if entry is None:
            self.detail.setRowCount(0)
            self.detail_title.setText("Eintrag markieren, um alle geänderten Felder zu sehen.")
            return
        changes = audit_changes(entry)
        number = f" Nr. {entry.entity_id}" if entry.entity_id is not None else ""
        self.detail_title.setText(f"{german_stamp(entry.at)} · {entry.user} · {entry.action} · "
                                  f"{entity_label(entry.entity)}{number}")
        self.detail.setRowCount(len(changes))
        for row_number, (label, old, new) in enumerate(changes):
            for column, text in enumerate((label or "Wert", old, new)):
                self.detail.setItem(row_number, column, QTableWidgetItem(text))
        self.detail.resizeRowsToContents()

    # --- export ------------------------------------------------------------------------------------
    def _file_name(self, suffix: str) -> str:
        period = self.current_period()
        if period is None:
            return f"Aenderungsprotokoll.{suffix}"
        return f"Aenderungsprotokoll_{period.start:%Y-%m-%d}_bis_{period.end - timedelta(days=1):%Y-%m-%d}.{suffix}"

    def export_csv(self) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(self, "Änderungsprotokoll als CSV speichern",
                                              str(start_folder(ui_settings(), file_folders.CSV) / self._file_name("csv")),
                                              "CSV für Excel (*.csv)")
        if not name:
            return None
        path = Path(name) if name.lower().endswith(".csv") else Path(name + ".csv")
        remember_folder(ui_settings(), file_folders.CSV, path)
        try:
            result = self.ctx.workspace.export_audit_csv(path, period=self.current_period(),
                                                        entity=self.entity_combo.currentData())
        except PaktDeskError as err:
            messages.warn(self, "Nicht gespeichert", str(err))
            return None
        self.ctx.status_message.emit(
            f"Änderungsprotokoll gespeichert: {format_count(result.entries)} Einträge in {path.name}.")
        return path

    def export_pdf(self) -> Path | None:
        if not hasattr(self.ctx.workspace, "print_audit_trail"):
            return None
        name, _ = QFileDialog.getSaveFileName(self, "Änderungsprotokoll als PDF speichern",
                                              str(start_folder(ui_settings(), file_folders.PDF) / self._file_name("pdf")),
                                              "PDF-Dateien (*.pdf)")
        if not name:
            return None
        path = Path(name) if name.lower().endswith(".pdf") else Path(name + ".pdf")
        remember_folder(ui_settings(), file_folders.PDF, path)
        period = self.current_period()
        first = period.start if period else None
        last = period.end - timedelta(days=1) if period else None
        try:
            self.ctx.workspace.print_audit_trail(first, last, self.entity_combo.currentData(), path)
        except PaktDeskError as err:
            messages.warn(self, "Nicht gespeichert", str(err))
            return None
        self.ctx.status_message.emit(f"Änderungsprotokoll gespeichert: {path.name}.")
        return path

