"""A table of backups (date, reason, owner, counts, sums, verified) shared by the recovery dialog
and the Datensicherung page."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from ..core.money import format_cents
from .formatting import format_count

COLUMNS = ("Angelegt", "Anlass", "Körperschaft", "Personen", "Bescheide", "Zahlungen", "Belege",
           "Belegsumme", "Geprüft")
_NUMERIC = (3, 4, 5, 6, 7)
_MAX_REASON_WIDTH = 190
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_GOOD = QBrush(QColor("#1e6b34"))
_BAD = QBrush(QColor("#a11d1d"))
_PENDING = QBrush(QColor("#8a4b00"))
PENDING_TIP = ("Die Tiefenprüfung dieser Sicherung läuft im Hintergrund oder steht noch aus. Vor dem "
               "Zurückspielen wird sie vollständig geprüft.")
FAILED_TIP = ("Die Sicherung ist eine genaue Kopie des Datenbestands und hat die Prüfung nicht bestanden: "
              "der Datenbestand selbst könnte beschädigt sein. Bitte „Datei prüfen“ wählen.")


def total_cents(summary, table: str) -> int | None:
    rows_cents = summary.totals.get(table) if summary is not None else None
    return int(rows_cents[1]) if rows_cents else None


def describe(entry) -> str:
    """One line about a backup for the detail below the list: owner, counts and both sums."""
    summary = entry.summary
    if summary is None:
        return f"{entry.path.name}: " + ("; ".join(entry.problems[:2]) or "nicht lesbar")
    counts = summary.counts
    parts = [summary.owner or "ohne Stammdaten"]
    if summary.ags:
        parts[0] += f" (AGS {summary.ags})"
    paid, spent = total_cents(summary, "payments"), total_cents(summary, "receipts")
    parts.append(f"{format_count(counts.get('persons', 0))} Personen, {format_count(counts.get('decisions', 0))} "
                 f"Bescheide, {format_count(counts.get('payments', 0))} Zahlungseingänge"
                 + (f" über {format_cents(paid)}" if paid is not None else "")
                 + f", {format_count(counts.get('receipts', 0))} Belege"
                 + (f" über {format_cents(spent)}" if spent is not None else ""))
    parts.append(f"Datei {entry.path.name}")
    if entry.pending:
        parts.append("Prüfung ausstehend")
    elif not entry.ok:
        parts.append(f"{entry.state_label}: " + ("; ".join(p.rstrip(".") for p in entry.problems[:2]) or "nicht lesbar"))
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
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COLUMNS.index("Körperschaft"), QHeaderView.ResizeMode.Stretch)
        header.setHighlightSections(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)

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
                format_cents(total_cents(summary, "receipts") or 0) if summary is not None else "",
                entry.state_label,
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column in _NUMERIC:
                    item.setTextAlignment(_RIGHT)
                if column == len(cells) - 1:
                    item.setForeground(_GOOD if entry.ok else _PENDING if entry.pending else _BAD)
                    if entry.pending:
                        item.setToolTip(PENDING_TIP)
                    elif not entry.ok:
                        tip = "\n".join(entry.problems) or "Die Sicherung ist nicht lesbar."
                        item.setToolTip(tip + ("\n\n" + FAILED_TIP if entry.check_state == "fehlgeschlagen" else ""))
                self.setItem(row, column, item)
            self.item(row, 0).setToolTip(str(entry.path))
            self.item(row, 1).setToolTip(cells[1])
            self.item(row, 2).setToolTip(describe(entry))
        self._fit_columns()
        if self.entries:
            good = next((row for row, entry in enumerate(self.entries) if entry.ok),
                        next((row for row, entry in enumerate(self.entries) if entry.restorable), 0))
            self.selectRow(good)

    def _fit_columns(self) -> None:
        header = self.horizontalHeader()
        owner = COLUMNS.index("Körperschaft")
        for column in range(len(COLUMNS)):
            if column != owner:
                self.resizeColumnToContents(column)
                header.resizeSection(column, header.sectionSize(column) + 10)
        reason = COLUMNS.index("Anlass")
        header.resizeSection(reason, min(header.sectionSize(reason), _MAX_REASON_WIDTH))

    def selected_entry(self):
        rows = self.selectionModel().selectedRows()
        if not rows:
            return None
        return self.entries[rows[0].row()]
