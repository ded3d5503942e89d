"""The preview before a Landkreis takes over its Gemeinden's files: per file who sent it, which
period, what it holds and what would happen (new, replaces an older state, already there,
refused and why). "Übernehmen" stores all of them in one step, or nothing."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.money import format_cents
from ...core.validation import format_vza

COLUMNS = ("Datei", "Ergebnis", "Gemeinde / Träger", "AGS", "Zeitraum", "Erstellt", "Personen", "VZÄ",
           "Belege", "Ausgegeben", "Erhalten")
NUMERIC = {"Personen", "VZÄ", "Belege", "Ausgegeben", "Erhalten"}
ACTION_COLOURS = {"neu": "#e7f4ea", "ersetzt": "#e6f0fb", "unverändert": "#eef0f3", "abgelehnt": "#fde7e9"}
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def format_stamp(stamp: str) -> str:
    """An ISO time stamp (UTC) as local German date and time: ``20.01.2025 09:00``."""
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return stamp or ""
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%d.%m.%Y %H:%M")


def action_text(item) -> str:
    if item.action == "ersetzt" and item.replaces:
        return f"ersetzt Stand vom {format_stamp(item.replaces['created_at'])[:10]}"
    if item.action == "unverändert":
        return "bereits übernommen"
    if item.action == "abgelehnt":
        return f"abgelehnt: {item.reason}" if item.reason else "abgelehnt"
    return item.action


class ImportPreviewDialog(QDialog):
    """Shows an ``ImportPreview``; accepted means "take these files over"."""

    def __init__(self, preview, parent: QWidget | None = None):
        super().__init__(parent)
        self.preview = preview
        self.setWindowTitle("Gemeinde-Dateien übernehmen – Vorschau")
        self.setModal(True)
        layout = QVBoxLayout(self)
        counts: dict[str, int] = {}
        for item in preview.items:
            counts[item.action] = counts.get(item.action, 0) + 1
        parts = [f"{counts[a]} {w}" for a, w in (("neu", "neu"), ("ersetzt", "ersetzen einen älteren Stand"),
                                                   ("unverändert", "bereits übernommen"),
                                                   ("abgelehnt", "abgelehnt")) if counts.get(a)]
        files = len(preview.items)
        self.summary_label = QLabel(f"{files} {'Datei' if files == 1 else 'Dateien'} geprüft: {', '.join(parts)}.",
                                    self)
        self.summary_label.setStyleSheet("font-weight: bold;")
        layout.addWidget(self.summary_label)

        self.table = QTableWidget(len(preview.items), len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for column, name in enumerate(COLUMNS):
            self.table.horizontalHeaderItem(column).setTextAlignment(
                _RIGHT if name in NUMERIC else Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for row, item in enumerate(preview.items):
            self._fill_row(row, item)
        layout.addWidget(self.table)

        layout.addWidget(QLabel("Einzelheiten zur markierten Datei:", self))
        self.details = QPlainTextEdit(self)
        self.details.setReadOnly(True)
        self.details.setFixedHeight(self.fontMetrics().height() * 6)
        layout.addWidget(self.details)

        self.note_label = QLabel(self)
        self.note_label.setWordWrap(True)
        changes = len(preview.changes)
        if not preview.ok:
            self.note_label.setText("Es wird nichts übernommen, solange eine Datei abgelehnt ist. Bitte "
                                    "„Abbrechen“ wählen und die Dateien ohne die abgelehnten erneut wählen.")
            self.note_label.setStyleSheet("color: #b3261e;")
        elif not changes:
            self.note_label.setText("Alle Dateien sind bereits in diesem Stand übernommen; es gibt nichts zu tun.")
        else:
            self.note_label.setText(
                f"„Übernehmen“ speichert {changes} {'Datei' if changes == 1 else 'Dateien'} in einem Schritt "
                "(alles oder nichts); ein älterer Stand derselben Gemeinde wird dabei ersetzt und im "
                "Änderungsprotokoll vermerkt.")
        layout.addWidget(self.note_label)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.apply_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.apply_button.setText("Übernehmen")
        self.apply_button.setEnabled(preview.ok and changes > 0)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setText("Abbrechen")
        if not self.apply_button.isEnabled():
            self.cancel_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        self.table.itemSelectionChanged.connect(self._show_details)
        if preview.items:
            refused = next((r for r, i in enumerate(preview.items) if i.error is not None), 0)
            self.table.selectRow(refused)
        width = self.table.horizontalHeader().length() + 2 * self.table.frameWidth() + 40
        rows = self.table.verticalHeader().defaultSectionSize() * max(len(preview.items), 3)
        height = self.table.horizontalHeader().sizeHint().height() + rows + 2 * self.table.frameWidth() + 4
        self.table.setFixedHeight(min(height, 360))
        self.resize(min(max(width, 720), 1400), self.sizeHint().height())

    def _fill_row(self, row: int, item) -> None:
        summary = item.summary()
        values = [item.name, action_text(item)]
        if summary is None:
            values += [""] * (len(COLUMNS) - 2)
        else:
            totals, money = summary["totals"], summary["money"]
            values += [summary["owner_name"], summary["ags"], summary["period"], format_stamp(summary["created_at"]),
                       str(totals["persons"]["count"]), format_vza(summary["vza_milli"]),
                       str(totals["receipts"]["count"]), format_cents(money["spent"]),
                       format_cents(money["received"])]
        for column, text in enumerate(values):
            cell = QTableWidgetItem(text)
            if COLUMNS[column] in NUMERIC:
                cell.setTextAlignment(_RIGHT)
            if column == 1:
                cell.setBackground(QColor(ACTION_COLOURS.get(item.action, "#ffffff")))
                cell.setForeground(QColor("#b3261e" if item.action == "abgelehnt" else "#1f2328"))
            cell.setToolTip(item.message)
            self.table.setItem(row, column, cell)

    def _show_details(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        self.details.setPlainText(self.preview.items[rows[0].row()].message if rows else "")

    def row_texts(self, row: int) -> dict[str, str]:
        """The cells of one file's row by column title (tests)."""
        return {name: self.table.item(row, column).text() for column, name in enumerate(COLUMNS)}
