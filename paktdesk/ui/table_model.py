"""A lazy table model over one of the workspace's listings (``workspace.list_count`` /
``workspace.list_page``).

Only the row count is asked for up front; rows arrive in pages of :attr:`ListingModel.PAGE_SIZE`
when the view first shows them and are kept in a small cache. Sorting and filtering are done by
SQL: :meth:`sort` and :meth:`set_search` only change the query and reload. Values are formatted
by the column's kind with the project's one formatter per kind (money, date, VZÄ)."""

from __future__ import annotations

from collections import OrderedDict
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from ..core.money import format_cents
from ..core.periods import format_date
from ..core.validation import format_vza

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_NUMERIC_KINDS = frozenset({"money", "int", "vza"})
_PLACEHOLDER_BRUSH = QBrush(QColor(110, 110, 110))  # "noch offen" and similar stand-ins

#: Role that returns the unformatted value (cents, ISO date text, milli-VZÄ).
RawRole = Qt.ItemDataRole.UserRole
#: Role that returns the record id of the row.
IdRole = Qt.ItemDataRole.UserRole + 1


def format_value(value: Any, kind: str) -> str:
    """One cell's text, by the listing column's kind."""
    if value is None or value == "":
        return ""
    if kind == "money":
        return format_cents(int(value))
    if kind == "date":
        day = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
        return format_date(day)
    if kind == "vza":
        return format_vza(int(value))
    return str(value)


class ListingModel(QAbstractTableModel):
    """Rows of a named listing, fetched page by page, sorted and filtered in SQL."""

    PAGE_SIZE = 200
    MAX_CACHED_PAGES = 50

    #: Emitted after every reload (new filter, new sort, data changed) with (shown, total).
    counts_changed = Signal(int, int)

    def __init__(self, workspace, listing: str, *, parent: QObject | None = None,
                 blanks: dict[str, str] | None = None):
        super().__init__(parent)
        self.blanks = dict(blanks or {})  # text for an empty cell, by column key (e.g. "offen")
        self.workspace = workspace
        self.listing_name = listing
        self.columns = tuple(workspace.listing(listing).columns)
        self._search = ""
        self._sort_key: str | None = None
        self._descending = False
        self._pages: OrderedDict[int, list[tuple]] = OrderedDict()
        self._count = 0
        self._total = 0
        self.fetches = 0  # pages read from the database since creation (tests, benchmarks)
        self._load_counts()

    # --- state ---------------------------------------------------------------------------
    @property
    def search(self) -> str:
        return self._search

    @property
    def sort_key(self) -> str | None:
        return self._sort_key

    @property
    def descending(self) -> bool:
        return self._descending

    @property
    def total_count(self) -> int:
        """Rows without the filter."""
        return self._total

    def column_index(self, key: str) -> int:
        for number, column in enumerate(self.columns):
            if column.key == key:
                return number
        raise KeyError(key)

    def set_search(self, text: str) -> None:
        text = " ".join((text or "").split())
        if text != self._search:
            self._search = text
            self.reload()

    def reload(self) -> None:
        """Forget cached rows and count again (after a change or a new query)."""
        self.beginResetModel()
        self._pages.clear()
        self._load_counts()
        self.endResetModel()
        self.counts_changed.emit(self._count, self._total)

    def _load_counts(self) -> None:
        self._total = self.workspace.list_count(self.listing_name)
        self._count = (self.workspace.list_count(self.listing_name, search=self._search)
                       if self._search else self._total)

    # --- rows ----------------------------------------------------------------------------
    def _row(self, row: int) -> tuple:
        number, offset = divmod(row, self.PAGE_SIZE)
        page = self._pages.get(number)
        if page is None:
            page = self.workspace.list_page(
                self.listing_name, offset=number * self.PAGE_SIZE, limit=self.PAGE_SIZE,
                sort=self._sort_key, descending=self._descending, search=self._search)
            self.fetches += 1
            self._pages[number] = page
            while len(self._pages) > self.MAX_CACHED_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        if offset >= len(page):  # the data shrank behind our back; a reload follows
            return (None,) * (len(self.columns) + 1)
        return page[offset]

    def row_id(self, row: int) -> int | None:
        """The record id behind a view row."""
        if not 0 <= row < self._count:
            return None
        return self._row(row)[0]

    def raw_value(self, row: int, key: str) -> Any:
        return self._row(row)[1 + self.column_index(key)]

    # --- Qt model interface ----------------------------------------------------------------
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self._count:
            return None
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column.kind in _NUMERIC_KINDS else _LEFT
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            text = format_value(self._row(index.row())[1 + index.column()], column.kind)
            if not text:
                text = self.blanks.get(column.key, "")
            if role == Qt.ItemDataRole.ToolTipRole and (column.kind != "text" or len(text) < 20):
                return None
            return text
        if role == Qt.ItemDataRole.ForegroundRole and column.key in self.blanks:
            value = self._row(index.row())[1 + index.column()]
            return _PLACEHOLDER_BRUSH if value is None or value == "" else None
        if role == RawRole:
            return self._row(index.row())[1 + index.column()]
        if role == IdRole:
            return self._row(index.row())[0]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        column = self.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.label
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column.kind in _NUMERIC_KINDS else _LEFT
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in SQL; a column below 0 means the listing's own order."""
        key = self.columns[column].key if 0 <= column < len(self.columns) else None
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) == (self._sort_key, self._descending):
            return
        self._sort_key, self._descending = key, descending
        self.beginResetModel()
        self._pages.clear()
        self.endResetModel()
