"""A table of backups (date, reason, owner, counts, sums, verified) shared by the recovery dialog
and the Datensicherung page."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from ..core.money import format_cents
from .formatting import format_count

COLUMNS = ("Angelegt", "Anlass", "Körperschaft", "Personen", "Bescheide", "Zahlungen", "Belege",
           "Summen", "Geprüft")
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_GOOD = QBrush(QColor("#1e6b34"))
_BAD = QBrush(QColor("#a11d1d"))


def sums_text(summary) -> str:
    """Paid-in money and receipts of a backup, the two sums a clerk recognises."""
    if summary is None:
        return ""
    parts = []
    for table, label in (("payments", "Zahlungseingänge"), ("receipts", "Belege")):
        rows_cents = summary.totals.get(table)
        if rows_cents:
            parts.append(f"{label} {format_cents(int(rows_cents[1]))}")
    return " · ".join(parts)


def reason_text(entry) -> str:
    if entry.summary is not None:
        return entry.summary.reason_label
    return entry.reason


class BackupTable(QTableWidget):
    """Read-only list of :class:`BackupEntry` objects, newest first; ``entries`` holds them."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(0, len(COLUMNS), parent)
        self.entries: list = []
        self.setHorizontalHeaderLabels(COLUMNS)
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COLUMNS.index("Körperschaft"), QHeaderView.ResizeMode.Stretch)
        header.setHighlightSections(False)

    def set_entries(self, entries: list) -> None:
        self.entries = list(entries)
        self.setRowCount(len(self.entries))
        for row, entry in enumerate(self.entries):
            summary = entry.summary
            counts = summary.counts if summary is not None else {}
            cells = [
                entry.created.astimezone().strftime("%d.%m.%Y %H:%M"),
                reason_text(entry),
                summary.owner if summary is not None else "",
                *(format_count(counts[key]) if key in counts else "" for key in
                  ("persons", "decisions", "payments", "receipts")),
                sums_text(summary),
                "ja" if entry.ok else "beschädigt",
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if 3 <= column <= 6:
                    item.setTextAlignment(_RIGHT)
                if column == len(cells) - 1:
                    item.setForeground(_GOOD if entry.ok else _BAD)
                    if not entry.ok:
                        item.setToolTip("\n".join(entry.problems) or "Die Sicherung ist nicht lesbar.")
                self.setItem(row, column, item)
            self.item(row, 0).setToolTip(str(entry.path))
        if self.entries:
            good = next((row for row, entry in enumerate(self.entries) if entry.ok), 0)
            self.selectRow(good)

    def selected_entry(self):
        rows = self.selectionModel().selectedRows()
        if not rows:
            return None
        return self.entries[rows[0].row()]
