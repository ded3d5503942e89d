"""The deadline board on the Übersicht: computed from the data every time it is shown and after
every change (no background service), coloured by urgency, with "erledigt" marks, the bulk shift
of requalification deadlines and the calendar export."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.deadlines import BoardItem, Urgency
from ...core.errors import PaktDeskError
from ...core.periods import format_date
from .. import file_folders, messages
from ..context import UiContext
from ..file_folders import remember_folder, start_folder
from ..dialogs.shift_deadlines import ShiftDeadlinesDialog
from ..settings_store import ui_settings

#: background per colour class; text stays the palette's so it reads in every theme
URGENCY_COLOURS = {
    Urgency.OVERDUE: "#f6d3d1",
    Urgency.SOON: "#ffe2b8",
    Urgency.LATER: "#fff3c4",
    Urgency.FAR: None,
    Urgency.DONE: None,
    Urgency.PAST: None,
}
COLUMNS = ("Fällig am", "Wann", "Art", "Betrifft", "Stand")


class DeadlineBoard(QGroupBox):
    """Panel for ``OVERVIEW_PANELS``. ``today`` can be fixed (tests); None means the real day, or
    the story day of a demo Datenbestand (setting ``demo_today``)."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None, *, today: date | None = None):
        super().__init__("Fristen", parent)
        self.ctx = ctx
        self.demo_day = demo_day(ctx.workspace)
        self.today = today if today is not None else self.demo_day
        self.items: list[BoardItem] = []
        self.legend_label = QLabel(self)
        self.legend_label.setTextFormat(Qt.TextFormat.RichText)
        self.show_all_check = QCheckBox("Erledigte und vergangene zeigen", self)
        self.done_button = QPushButton("Als &erledigt markieren", self)
        self.done_button.setToolTip("Die markierte Frist als erledigt vermerken (wer und wann wird gespeichert)")
        self.undo_button = QPushButton("Markierung &aufheben", self)
        self.shift_button = QPushButton("Fristen &verschieben …", self)
        self.shift_button.setToolTip("Fristen der Nachqualifizierung gemeinsam verschieben, mit Vermerk")
        self.ics_button = QPushButton("Als &Kalender exportieren …", self)
        self.ics_button.setToolTip("Offene Fristen als ICS-Datei für Outlook speichern; ein erneuter Import "
                                   "aktualisiert die Termine")
        self.summary_label = QLabel(self)
        self.empty_label = QLabel("Keine offenen Fristen.", self)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setResizeContentsPrecision(200)  # widths from the first rows, not all of a Kreis's

        buttons = QHBoxLayout()
        for button in (self.done_button, self.undo_button, self.shift_button, self.ics_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.show_all_check)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.legend_label)
        layout.addLayout(buttons)
        layout.addWidget(self.table)
        layout.addWidget(self.empty_label)

        self.done_button.clicked.connect(self.mark_done)
        self.undo_button.clicked.connect(self.unmark)
        self.shift_button.clicked.connect(self.shift)
        self.ics_button.clicked.connect(self.export_ics)
        self.show_all_check.toggled.connect(lambda _on: self.refresh())
        self.table.itemSelectionChanged.connect(self._update_buttons)
        ctx.changed.connect(lambda _change: self.refresh())
        self.refresh()

    def set_today(self, day: date | None) -> None:
        self.today = day
        self.refresh()

    def _day(self) -> date:
        return self.today or date.today()

    # --- showing -------------------------------------------------------------------------------
    def refresh(self) -> None:
        everything = self.ctx.workspace.deadlines(self._day())
        lead = self.ctx.workspace.lead_times()
        self.legend_label.setText(
            " ".join(f"<span style='background:{URGENCY_COLOURS[u]}'>&nbsp;{u.label(lead.soon, lead.later)}"
                     "&nbsp;</span>" for u in (Urgency.OVERDUE, Urgency.SOON, Urgency.LATER))
            + "&nbsp; später: ohne Farbe · Vorlaufzeiten unter Einstellungen")
        shown = everything if self.show_all_check.isChecked() else [i for i in everything if i.urgency.is_open]
        self.items = shown
        counts = {u: sum(1 for i in everything if i.urgency == u) for u in Urgency}
        self.summary_label.setText(
            f"Stand {format_date(self._day())}"
            f"{' (Stichtag der Demo)' if self.demo_day and self._day() == self.demo_day else ''}: "
            f"{counts[Urgency.OVERDUE]} überfällig, "
            f"{counts[Urgency.SOON]} bald fällig, {counts[Urgency.LATER]} demnächst, "
            f"{counts[Urgency.FAR]} später · {counts[Urgency.DONE]} erledigt")
        table = self.table
        table.setUpdatesEnabled(False)  # hundreds of rows in a Kreis: one layout, not one per cell
        table.setRowCount(len(shown))
        brushes = {colour: QBrush(QColor(colour)) for colour in URGENCY_COLOURS.values() if colour}
        dark, grey = QBrush(QColor("#1b1b1b")), QBrush(QColor("#7a7a7a"))
        for row, item in enumerate(shown):
            stand = item.urgency_label
            if item.urgency == Urgency.DONE:
                who = f" von {item.done_by}" if item.done_by else ""
                stand = f"erledigt {_short(item.done_on)}{who}"
            cells = [format_date(item.due), item.when_text(), item.kind.label, item.deadline.concerns, stand]
            colour = URGENCY_COLOURS[item.urgency]
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setData(Qt.ItemDataRole.UserRole, item.key)
                if column == 3:
                    detail = f"\n{item.deadline.detail}" if item.deadline.detail else ""
                    cell.setToolTip(item.deadline.concerns + detail)
                if colour:
                    cell.setBackground(brushes[colour])
                    cell.setForeground(dark)
                elif item.urgency in (Urgency.DONE, Urgency.PAST):
                    cell.setForeground(grey)
                table.setItem(row, column, cell)
        table.setUpdatesEnabled(True)
        table.setVisible(bool(shown))
        self.empty_label.setVisible(not shown)
        rows = min(len(shown), 12)
        height = table.horizontalHeader().sizeHint().height() + 2 * table.frameWidth() + 4
        height += sum(table.rowHeight(r) for r in range(rows))
        table.setFixedHeight(height)
        self.shift_button.setEnabled(not self.ctx.workspace.read_only)
        self._update_buttons()

    def selected_item(self) -> BoardItem | None:
        row = self.table.currentRow()
        if row < 0 or row >= len(self.items) or not self.table.selectionModel().hasSelection():
            return None
        return self.items[row]

    def row_of(self, key: str) -> int:
        return next(row for row, item in enumerate(self.items) if item.key == key)

    def _update_buttons(self) -> None:
        item = self.selected_item()
        writable = not self.ctx.workspace.read_only
        self.done_button.setEnabled(writable and item is not None and item.urgency.is_open)
        self.undo_button.setEnabled(writable and item is not None and item.urgency == Urgency.DONE
                                    and item.deadline.done_on is None)

    # --- actions -------------------------------------------------------------------------------
    def mark_done(self) -> None:
        item = self.selected_item()
        if item is not None:
            self.ctx.perform(lambda: self.ctx.workspace.mark_deadline_done(item.key, today=self._day()),
                             parent=self)

    def unmark(self) -> None:
        item = self.selected_item()
        if item is not None and messages.confirm(
                self, "Markierung aufheben", f"„{item.deadline.concerns}“ wieder als offen führen?"):
            self.ctx.perform(lambda: self.ctx.workspace.unmark_deadline_done(item.key), parent=self)

    def shift(self) -> None:
        ShiftDeadlinesDialog(self.ctx, self, today=self._day()).exec()

    def export_ics(self) -> Path | None:
        start = str(start_folder(ui_settings(), file_folders.CALENDAR) / "PaktDesk-Fristen.ics")
        name, _ = QFileDialog.getSaveFileName(self, "Fristen als Kalender speichern", start,
                                              "Kalenderdateien (*.ics)")
        if not name:
            return None
        path = Path(name) if name.lower().endswith(".ics") else Path(name + ".ics")
        remember_folder(ui_settings(), file_folders.CALENDAR, path)
        try:
            count = self.ctx.workspace.export_ics(path, today=self._day())
        except PaktDeskError as err:
            messages.warn(self, "Nicht gespeichert", str(err))
            return None
        messages.info(self, "Kalender gespeichert",
                      f"{count} offene Fristen stehen in „{path.name}“. In Outlook: Datei → Öffnen und "
                      "exportieren → Importieren/Exportieren. Ein erneuter Import aktualisiert die Termine.")
        return path


def demo_day(workspace) -> date | None:
    """The story day of a demo Datenbestand, or None for a clerk's own data."""
    return workspace.demo_day()


def _short(stamp: str | None) -> str:
    if not stamp:
        return ""
    try:
        return format_date(date.fromisoformat(stamp[:10]))
    except ValueError:
        return stamp
