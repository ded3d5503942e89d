"""A reusable list page: filter field, table over a :class:`ListingModel`, count and an honest
empty state. Section pages subclass it or create it with a listing name.

Public parts for subclasses and tests: ``filter_edit``, ``table``, ``model``, ``count_label``,
``empty_label``, ``toolbar`` (a layout to put buttons like "Neu …" into) and the ``activated``
signal (the record id of a double-clicked row or one chosen with Enter)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from .formatting import format_count
from .table_model import ListingModel

if TYPE_CHECKING:
    from .context import UiContext

FILTER_DELAY_MS = 200  # wait for a pause in typing before asking the database
MIN_TEXT_WIDTH = 90  # text columns are shrunk (and elided) down to this, or their heading, to fit the window
# rows whose contents set the column widths: about two screens (never past page one). Measuring
# 100 rows cost 45 ms per list when a section opens, for widths no one scrolls down to see.
FIT_ROWS = 40


class ListPage(QWidget):
    """A filterable, sortable list of one workspace listing."""

    activated = Signal(int)  # record id

    def __init__(self, ctx: UiContext, listing: str, *, noun: tuple[str, str],
                 empty_text: str, filter_hint: str = "", max_column_width: int = 320,
                 shrink: tuple[str, ...] | None = None, hidden: tuple[str, ...] = (),
                 grow: str | None = None, blanks: dict[str, str] | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.noun = noun
        self.empty_text = empty_text
        self._max_column_width = max_column_width
        self._shrink = shrink
        self._grow = grow
        self._natural_widths: list[int] | None = None
        self._fitted_rows = 0  # how many rows the widths were measured on
        self._user_sized = False
        self._fitting = False

        self.model = ListingModel(ctx.workspace, listing, blanks=blanks, parent=self)

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setPlaceholderText(
            f"Filtern{' nach ' + filter_hint if filter_hint else ''} … (Strg+F)")
        self.filter_edit.setMinimumWidth(160)  # with the buttons the page must fit a 1280-pixel screen
        self.filter_edit.setAccessibleName("Filter")
        self.count_label = QLabel(self)
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.count_label.setWordWrap(True)  # a narrow window breaks the count over two lines

        self.toolbar = QHBoxLayout()
        self.toolbar.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.filter_edit, 2)
        top.addLayout(self.toolbar)
        top.addStretch(1)
        top.addWidget(self.count_label)

        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName(noun[1])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # the listing's own order first
        header.setSortIndicatorClearable(True)
        header.setResizeContentsPrecision(FIT_ROWS)
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.sectionResized.connect(self._section_resized)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        for key in hidden:
            self.table.setColumnHidden(self.model.column_index(key), True)
        self.table.setSortingEnabled(True)
        self.table.viewport().installEventFilter(self)

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
        self.model.counts_changed.connect(self._refit_for_new_rows)
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
        """Reload after a change elsewhere, keeping the clerk's place in the list."""
        row = self.table.currentIndex().row()
        scroll = self.table.verticalScrollBar().value()
        self.model.reload()
        if 0 <= row < self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(row, 0))
        self.table.verticalScrollBar().setValue(scroll)

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
        if self._natural_widths is None:
            self.fit_columns()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        if (watched is self.table.viewport() and event.type() == QEvent.Type.Resize
                and self._natural_widths is not None and not self._user_sized):
            self._apply_widths()
        return super().eventFilter(watched, event)

    def _refit_for_new_rows(self, *_counts) -> None:
        """Measure again when rows arrive that the widths were not measured on (the list was empty
        when first shown, or had a few rows): else "Yilmaz, A…" stays cut while an empty column
        keeps the room. Widths the clerk dragged stay."""
        if self._natural_widths is None or self._user_sized:
            return
        if self._fitted_rows >= min(self.model.rowCount(), FIT_ROWS):
            return
        if self.isVisible():
            self.fit_columns()
        else:
            self._natural_widths = None  # measured when shown

    def fit_columns(self) -> None:
        """Columns as wide as their first rows need (capped), shrunk to fit the window if needed."""
        header = self.table.horizontalHeader()
        self._fitted_rows = min(self.model.rowCount(), FIT_ROWS)
        self._fitting = True
        try:
            header.setStretchLastSection(False)
            for number in range(len(self.model.columns)):
                header.setSectionResizeMode(number, QHeaderView.ResizeMode.Interactive)
            self.table.resizeColumnsToContents()
            self._natural_widths = [min(header.sectionSize(n) + 10, self._max_column_width)
                                    for n in range(len(self.model.columns))]
        finally:
            self._fitting = False
        self._user_sized = False
        self._apply_widths()

    def _apply_widths(self) -> None:
        widths = list(self._natural_widths or [])
        if not widths:
            return
        available = self.table.viewport().width()
        scroll_bar = self.table.verticalScrollBar()
        rows_height = self.model.rowCount() * self.table.verticalHeader().defaultSectionSize()
        if not scroll_bar.isVisible() and rows_height > self.table.viewport().height():
            available -= scroll_bar.sizeHint().width()
        header = self.table.horizontalHeader()
        # a column never shrinks below its heading: a cut "Qualifikationskategorie" says nothing
        floors = [min(widths[n], max(MIN_TEXT_WIDTH, header.sectionSizeHint(n))) for n in range(len(widths))]
        shrinkable = [n for n, column in enumerate(self.model.columns)
                      if widths[n] > floors[n] and not self.table.isColumnHidden(n)
                      and (column.key in self._shrink if self._shrink is not None else column.kind == "text")]
        excess = sum(w for n, w in enumerate(widths) if not self.table.isColumnHidden(n)) - available
        room = sum(widths[n] - floors[n] for n in shrinkable)
        if excess > 0 and room > 0:
            factor = min(1.0, excess / room)
            for n in shrinkable:
                widths[n] -= int((widths[n] - floors[n]) * factor + 0.999)
        grow = None
        if excess < 0:  # room to spare: the widest text column takes it, not a number at the edge
            texts = [n for n, column in enumerate(self.model.columns)
                     if column.kind == "text" and not self.table.isColumnHidden(n)]
            if self._grow is not None and not self.table.isColumnHidden(self.model.column_index(self._grow)):
                grow = self.model.column_index(self._grow)
            elif texts:
                grow = max(texts, key=lambda n: widths[n])
            if grow is not None:
                widths[grow] -= excess
        self._fitting = True
        try:
            header.setStretchLastSection(False)
            for number, width in enumerate(widths):
                header.resizeSection(number, width)
            header.setStretchLastSection(grow is None)
        finally:
            self._fitting = False

    def _header_menu(self, position) -> None:
        """Right click on the column headers: show or hide columns."""
        menu = QMenu(self)
        menu.addSection("Spalten anzeigen")
        for number, column in enumerate(self.model.columns):
            action = menu.addAction(column.label)
            action.setCheckable(True)
            action.setChecked(not self.table.isColumnHidden(number))
            action.toggled.connect(lambda shown, n=number: self.set_column_visible(n, shown))
        menu.popup(self.table.horizontalHeader().mapToGlobal(position))

    def set_column_visible(self, number: int, shown: bool) -> None:
        visible = [n for n in range(len(self.model.columns)) if not self.table.isColumnHidden(n)]
        if not shown and visible == [number]:
            return  # keep at least one column
        self.table.setColumnHidden(number, not shown)
        if self._natural_widths is not None and not self._user_sized:
            self._apply_widths()

    def _section_resized(self, *_args) -> None:
        if not self._fitting and self._natural_widths is not None:
            self._user_sized = True  # the clerk set a width by hand: keep it
