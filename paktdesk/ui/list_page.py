"""A reusable list page: filter field, table over a :class:`ListingModel`, count and an honest
empty state. Section pages subclass it or create it with a listing name.

Public parts for subclasses and tests: ``filter_edit``, ``table``, ``model``, ``count_label``,
``empty_label``, ``toolbar`` (a layout to put buttons like "Neu …" into) and the ``activated``
signal (the record id of a double-clicked row or one chosen with Enter)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from .context import UiContext
from .table_model import ListingModel

FILTER_DELAY_MS = 200  # wait for a pause in typing before asking the database


def format_count(number: int) -> str:
    """German thousands separator: 200000 → "200.000"."""
    return f"{number:,}".replace(",", ".")


class ListPage(QWidget):
    """A filterable, sortable list of one workspace listing."""

    activated = Signal(int)  # record id

    def __init__(self, ctx: UiContext, listing: str, *, noun: tuple[str, str],
                 empty_text: str, filter_hint: str = "", stretch: tuple[str, ...] = (),
                 max_column_width: int = 320, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.noun = noun
        self.empty_text = empty_text
        self._stretch = stretch
        self._max_column_width = max_column_width
        self._fitted = False

        self.model = ListingModel(ctx.workspace, listing, parent=self)

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setPlaceholderText(
            f"Filtern{' nach ' + filter_hint if filter_hint else ''} … (Strg+F)")
        self.filter_edit.setMinimumWidth(320)
        self.filter_edit.setAccessibleName("Filter")
        self.count_label = QLabel(self)
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        self.toolbar = QHBoxLayout()
        self.toolbar.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.filter_edit, 2)
        top.addLayout(self.toolbar)
        top.addStretch(1)
        top.addWidget(self.count_label)

        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # the listing's own order first
        header.setSortIndicatorClearable(True)
        header.setResizeContentsPrecision(ListingModel.PAGE_SIZE // 2)  # never fetch past page one
        header.setHighlightSections(False)
        self.table.setSortingEnabled(True)

        self.empty_label = QLabel(self)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setObjectName("emptyState")
        self.empty_label.setStyleSheet("#emptyState { color: palette(placeholder-text); font-size: 13pt; }")
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty_label)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)

        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self.apply_filter)
        self.filter_edit.textChanged.connect(self._filter_timer.start)
        self.filter_edit.returnPressed.connect(self.apply_filter)
        self.model.counts_changed.connect(self._show_counts)
        self.table.doubleClicked.connect(lambda index: self._activate(index.row()))
        enter = QShortcut(QKeySequence(Qt.Key.Key_Return), self.table)
        enter.setContext(Qt.ShortcutContext.WidgetShortcut)
        enter.activated.connect(lambda: self._activate(self.table.currentIndex().row()))
        ctx.changed.connect(self._on_change)
        self._show_counts(self.model.rowCount(), self.model.total_count)

    # --- behaviour -----------------------------------------------------------------------------
    def focus_filter(self) -> None:
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    def apply_filter(self) -> None:
        """Filter now (normally this runs after a short pause in typing)."""
        self._filter_timer.stop()
        self.model.set_search(self.filter_edit.text())

    def refresh(self) -> None:
        self.model.reload()

    def selected_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.row_id(index.row()) if index.isValid() else None

    def _activate(self, row: int) -> None:
        record_id = self.model.row_id(row)
        if record_id is not None:
            self.activated.emit(record_id)

    def _on_change(self, _change) -> None:
        self.model.reload()

    def _show_counts(self, shown: int, total: int) -> None:
        singular, plural = self.noun
        noun = singular if total == 1 else plural
        if self.model.search:
            self.count_label.setText(f"{format_count(shown)} Treffer · insgesamt {format_count(total)} {noun}")
        else:
            self.count_label.setText(f"{format_count(total)} {noun}")
        if shown:
            self.stack.setCurrentWidget(self.table)
        else:
            self.empty_label.setText(
                f"Keine Treffer für „{self.model.search}“.\nFilter leeren mit Esc oder dem ✕ im Filterfeld."
                if self.model.search else self.empty_text)
            self.stack.setCurrentWidget(self.empty_label)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt override
        if event.key() == Qt.Key.Key_Escape and self.filter_edit.text():
            self.filter_edit.clear()
            self.apply_filter()
            return
        super().keyPressEvent(event)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if not self._fitted:
            self._fitted = True
            self.fit_columns()

    def fit_columns(self) -> None:
        """Columns as wide as their first rows need (capped); named columns take the rest."""
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        self.table.resizeColumnsToContents()
        for number, column in enumerate(self.model.columns):
            width = header.sectionSize(number)
            header.setSectionResizeMode(number, QHeaderView.ResizeMode.Interactive)
            if column.key in self._stretch:
                header.setSectionResizeMode(number, QHeaderView.ResizeMode.Stretch)
            elif width > self._max_column_width:
                header.resizeSection(number, self._max_column_width)
            else:
                header.resizeSection(number, width + 16)
        if not self._stretch:
            header.setStretchLastSection(True)
