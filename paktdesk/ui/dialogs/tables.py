"""Small read-only tables for histories inside dialogs (a few dozen rows at most)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def history_table(headers: list[str], parent: QWidget, *, right: tuple[int, ...] = (),
                  stretch: int | None = None) -> QTableWidget:
    """``stretch``: the column that takes the remaining width (others fit their content);
    without it the last column stretches."""
    table = QTableWidget(0, len(headers), parent)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setProperty("right_columns", right)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if stretch is None:
        header.setStretchLastSection(True)
    else:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    return table


def fill(table: QTableWidget, rows: list[tuple[int | None, list[str]]], *,
         colours: list[QColor | None] | None = None) -> None:
    """Rows as (record id, cell texts); the id is kept in the first cell's user data."""
    right = table.property("right_columns") or ()
    table.setRowCount(len(rows))
    for row, (record_id, cells) in enumerate(rows):
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if column == 0:
                item.setData(Qt.ItemDataRole.UserRole, record_id)
            if column in right:
                item.setTextAlignment(_RIGHT)
            if colours and colours[row] is not None:
                item.setBackground(colours[row])
            table.setItem(row, column, item)
    if rows and table.currentRow() < 0:
        table.selectRow(0)


def selected_id(table: QTableWidget) -> int | None:
    row = table.currentRow()
    if row < 0 or table.item(row, 0) is None:
        return None
    return table.item(row, 0).data(Qt.ItemDataRole.UserRole)
