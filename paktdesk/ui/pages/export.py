"""Export: the exchange file (JSON), an Excel workbook or CSV files for a chosen period, with a
preview of what goes out and a warning that it holds personal data.

Checking the Datenbestand and gathering the rows happen on the GUI thread (they need the
database connection); building, validating and writing the file run on a worker thread."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QSettings, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDateEdit,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.money import format_cents
from .. import file_folders, messages, read_jobs
from ..file_folders import remember_folder, start_folder
from ..context import UiContext
from ..formatting import format_count
from ..scroll_page import scrolling_body
from ..settings_store import ui_settings
from ..workers import Job


@dataclass(frozen=True, slots=True)
class ExportFormat:
    key: str
    label: str
    hint: str
    file_filter: str
    extension: str


FORMATS = (
    ExportFormat("json", "JSON-Austauschdatei",
                 "für Landkreis und Regierungspräsidium; veröffentlichtes, versioniertes Format mit Prüfsumme",
                 "JSON-Austauschdatei (*.json)", ".json"),
    ExportFormat("xlsx", "Excel-Arbeitsmappe (XLSX)", "ein Blatt je Tabelle und die „Auswertung Zeitraum“",
                 "Excel-Arbeitsmappe (*.xlsx)", ".xlsx"),
    ExportFormat("csv", "CSV-Dateien im ZIP-Archiv",
                 "für deutsches Excel: Semikolon, Dezimalkomma, eine Datei je Tabelle",
                 "ZIP-Archiv mit CSV-Dateien (*.zip)", ".zip"),
)
PERIOD_ALL, PERIOD_YEAR, PERIOD_RANGE = "all", "year", "range"
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
WARNING_STYLE = ("background: #fff4ce; color: #5c4400; border: 1px solid #e6d28a; border-radius: 4px;"
                 " padding: 8px 10px;")
RESULT_STYLE = ("background: #e7f4ea; color: #1e4d2b; border: 1px solid #a9d5b5; border-radius: 4px;"
                " padding: 8px 10px;")
ERROR_STYLE = "color: #b3261e;"


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


def default_file_name(ags: str, period: tuple[date | None, date | None], fmt: str) -> str:
    """``Austausch_08125097_2024.json``; ``…_gesamt``; ``…_2024-01-01_bis_2024-06-30``; CSV: ``…_CSV.zip``."""
    first, last = period
    if first is None:
        when = "gesamt"
    elif (first.month, first.day, last.month, last.day) == (1, 1, 12, 31) and first.year == last.year:
        when = str(first.year)
    else:
        when = f"{first.isoformat()}_bis_{last.isoformat()}"
    extension = next(f.extension for f in FORMATS if f.key == fmt)
    suffix = "_CSV" if fmt == "csv" else ""
    return f"Austausch_{ags or 'ohne-AGS'}_{when}{suffix}{extension}"


class ExportPage(QScrollArea):
    """Format and period on the left, the preview on the right, then "Exportieren …"."""

    export_done = Signal(bool)  # True: written; False: refused or failed (message shown)
    preview_ready = Signal()  # the preview shows the chosen period (or why it cannot)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None, *, settings: QSettings | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.settings = settings if settings is not None else ui_settings()
        self.task: Job | None = None  # the export being written
        self.preview_task: Job | None = None
        self._preview_again = False
        self.last_path: Path | None = None
        self.last_summary = ""
        self.overview = None
        self._stale = True
        body, outer = scrolling_body(self, spacing=12)
        title = QLabel("Export", body)
        title.setObjectName("exportTitle")
        title.setStyleSheet("#exportTitle { font-size: 17pt; font-weight: bold; }")
        intro = QLabel("Daten für den Landkreis, das Regierungspräsidium oder die eigene Auswertung in Excel "
                       "ausgeben. Vor dem Schreiben wird der ganze Datenbestand geprüft.", body)
        intro.setWordWrap(True)
        outer.addWidget(title)
        outer.addWidget(intro)

        columns = QHBoxLayout()
        columns.setSpacing(16)
        left = QVBoxLayout()
        left.setSpacing(12)
        left.addWidget(self._format_box(body))
        left.addWidget(self._period_box(body))
        self.warning_label = QLabel(body)
        self.warning_label.setObjectName("personalDataWarning")
        self.warning_label.setWordWrap(True)
        self.warning_label.setStyleSheet(f"#personalDataWarning {{ {WARNING_STYLE} }}")
        left.addWidget(self.warning_label)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.export_button = QPushButton("&Exportieren …", body)
        self.export_button.setDefault(True)
        self.export_button.setToolTip("Datei wählen und schreiben")
        buttons.addWidget(self.export_button)
        left.addLayout(buttons)
        self.result_label = QLabel(body)
        self.result_label.setObjectName("exportResult")
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result_label.setStyleSheet(f"#exportResult {{ {RESULT_STYLE} }}")
        self.result_label.hide()
        left.addWidget(self.result_label)
        self.open_folder_button = QPushButton("Ordner öffnen", body)
        self.open_folder_button.hide()
        folder_row = QHBoxLayout()
        folder_row.addStretch(1)
        folder_row.addWidget(self.open_folder_button)
        left.addLayout(folder_row)
        left.addStretch(1)
        columns.addLayout(left, 5)
        columns.addWidget(self._preview_box(body), 6)
        outer.addLayout(columns, 1)
        self.setWidget(body)

        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(150)
        self._preview_timer.timeout.connect(self.refresh_preview)
        for button in self.period_buttons.values():
            button.toggled.connect(self._period_changed)
        self.year_spin.valueChanged.connect(self._period_changed)
        self.from_edit.dateChanged.connect(self._period_changed)
        self.to_edit.dateChanged.connect(self._period_changed)
        self.export_button.clicked.connect(self.export)
        self.open_folder_button.clicked.connect(self.open_folder)
        ctx.changed.connect(self._on_change)
        self._period_changed()

    # --- building --------------------------------------------------------------------------------
    def _format_box(self, parent: QWidget) -> QGroupBox:
        box = QGroupBox("Format", parent)
        layout = QVBoxLayout(box)
        self.format_group = QButtonGroup(box)
        self.format_buttons: dict[str, QRadioButton] = {}
        for item in FORMATS:
            button = QRadioButton(item.label, box)
            note = QLabel(item.hint, box)
            note.setWordWrap(True)
            note.setIndent(24)
            note.setStyleSheet("color: palette(placeholder-text);")
            self.format_group.addButton(button)
            self.format_buttons[item.key] = button
            layout.addWidget(button)
            layout.addWidget(note)
        self.format_buttons["json"].setChecked(True)
        return box

    def _period_box(self, parent: QWidget) -> QGroupBox:
        box = QGroupBox("Zeitraum", parent)
        grid = QGridLayout(box)
        grid.setColumnStretch(4, 1)
        self.period_group = QButtonGroup(box)
        self.period_buttons = {
            PERIOD_ALL: QRadioButton("gesamter Datenbestand", box),
            PERIOD_YEAR: QRadioButton("Kalenderjahr", box),
            PERIOD_RANGE: QRadioButton("von", box),
        }
        for button in self.period_buttons.values():
            self.period_group.addButton(button)
        self.period_buttons[PERIOD_ALL].setChecked(True)
        last_year = date.today().year - 1
        self.year_spin = QSpinBox(box)
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setValue(last_year)
        self.year_spin.setAccessibleName("Kalenderjahr")
        self.from_edit = self._date_edit(box, date(last_year, 1, 1), "Beginn des Zeitraums")
        self.to_edit = self._date_edit(box, date(last_year, 12, 31), "Ende des Zeitraums")
        grid.addWidget(self.period_buttons[PERIOD_ALL], 0, 0, 1, 5)
        grid.addWidget(self.period_buttons[PERIOD_YEAR], 1, 0)
        grid.addWidget(self.year_spin, 1, 1)
        grid.addWidget(self.period_buttons[PERIOD_RANGE], 2, 0)
        grid.addWidget(self.from_edit, 2, 1)
        grid.addWidget(QLabel("bis", box), 2, 2)
        grid.addWidget(self.to_edit, 2, 3)
        self.period_error = QLabel(box)
        self.period_error.setStyleSheet(ERROR_STYLE)
        self.period_error.setWordWrap(True)
        self.period_error.hide()
        grid.addWidget(self.period_error, 3, 0, 1, 5)
        return box

    @staticmethod
    def _date_edit(parent: QWidget, day: date, name: str) -> QDateEdit:
        edit = QDateEdit(_qdate(day), parent)
        edit.setDisplayFormat("dd.MM.yyyy")
        edit.setCalendarPopup(True)
        edit.setDateRange(QDate(2000, 1, 1), QDate(2100, 12, 31))
        edit.setAccessibleName(name)
        return edit

    def _preview_box(self, parent: QWidget) -> QGroupBox:
        box = QGroupBox("Vorschau: das geht hinaus", parent)
        layout = QVBoxLayout(box)
        self.computing_label = QLabel("Vorschau wird berechnet …", box)
        self.computing_label.setStyleSheet("color: palette(placeholder-text);")
        self.computing_label.hide()
        layout.addWidget(self.computing_label)
        self.owner_label = QLabel(box)
        self.owner_label.setWordWrap(True)
        self.owner_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.owner_label)
        self.preview_table = QTableWidget(0, 3, box)
        self.preview_table.setHorizontalHeaderLabels(["Tabelle", "Datensätze", "Summe"])
        self.preview_table.verticalHeader().setVisible(False)
        self.preview_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.preview_table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.preview_table.setAlternatingRowColors(True)
        self.preview_table.setShowGrid(False)
        self.preview_table.setWordWrap(False)
        self.preview_table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.preview_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.preview_table.horizontalHeaderItem(0).setTextAlignment(
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for column in (1, 2):
            self.preview_table.horizontalHeaderItem(column).setTextAlignment(_RIGHT)
        self.preview_table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout.addWidget(self.preview_table)
        self.money_label = QLabel(box)
        self.money_label.setWordWrap(True)
        layout.addWidget(self.money_label)
        self.members_label = QLabel(box)
        self.members_label.setWordWrap(True)
        self.members_label.hide()
        layout.addWidget(self.members_label)
        self.preview_error = QLabel(box)
        self.preview_error.setWordWrap(True)
        self.preview_error.setStyleSheet(ERROR_STYLE)
        self.preview_error.hide()
        layout.addWidget(self.preview_error)
        layout.addStretch(1)
        return box

    # --- choices ---------------------------------------------------------------------------------
    def format_key(self) -> str:
        return next(key for key, button in self.format_buttons.items() if button.isChecked())

    def set_format(self, key: str) -> None:
        self.format_buttons[key].setChecked(True)

    def period_kind(self) -> str:
        return next(key for key, button in self.period_buttons.items() if button.isChecked())

    def set_period(self, kind: str, *, year: int | None = None, first: date | None = None,
                   last: date | None = None) -> None:
        if year is not None:
            self.year_spin.setValue(year)
        if first is not None:
            self.from_edit.setDate(_qdate(first))
        if last is not None:
            self.to_edit.setDate(_qdate(last))
        self.period_buttons[kind].setChecked(True)
        self._period_changed()
        self.refresh_preview()

    def period(self) -> tuple[date | None, date | None]:
        kind = self.period_kind()
        if kind == PERIOD_YEAR:
            year = self.year_spin.value()
            return date(year, 1, 1), date(year, 12, 31)
        if kind == PERIOD_RANGE:
            return _pydate(self.from_edit.date()), _pydate(self.to_edit.date())
        return None, None

    def _period_changed(self, *_args) -> None:
        kind = self.period_kind()
        self.year_spin.setEnabled(kind == PERIOD_YEAR)
        self.from_edit.setEnabled(kind == PERIOD_RANGE)
        self.to_edit.setEnabled(kind == PERIOD_RANGE)
        self._preview_timer.start()

    def _on_change(self, change) -> None:
        if change.entity == "export":  # our own audit entry: the content did not change
            return
        if not self.isVisible():
            self._stale = True
        elif self.task is None:
            self._preview_timer.start()

    # --- preview ---------------------------------------------------------------------------------
    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self._stale or self._preview_timer.isActive():
            self.refresh_preview()
        super().showEvent(event)

    def refresh_preview(self) -> None:
        """Work out on a worker thread what an export of the chosen period would hold (nothing is
        written). A hidden page only notes that its preview is stale (another file may be opening)."""
        self._preview_timer.stop()
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        first, last = self.period()
        if first is not None and last < first:
            self.overview = None
            self._show_problem("Das Ende des Zeitraums liegt vor dem Beginn.")
            return
        self.period_error.hide()
        self.export_button.setEnabled(self.task is None)
        if self.preview_task is not None:
            self._preview_again = True  # the period changed while the last preview was computed
            return
        self.computing_label.show()
        path = self.ctx.workspace.path
        self.preview_task = read_jobs.start(
            self, read_jobs.reading(path, lambda reader: reader.export_overview(first, last)),
            name="Vorschau des Exports", on_success=lambda overview: self._preview_done(overview, None),
            on_failure=lambda error: self._preview_done(None, error))

    def _preview_done(self, overview, error) -> None:
        self.preview_task = None
        if self._preview_again:
            self._preview_again = False
            self.refresh_preview()
            return
        self.computing_label.hide()
        if error is not None:
            self.overview = None
            self._show_problem(str(error))
        else:
            self._show_overview(overview)
        self.preview_ready.emit()

    def preview_busy(self) -> bool:
        return self.preview_task is not None or self._preview_timer.isActive()

    def _show_overview(self, overview) -> None:
        self.overview = overview
        self.preview_error.hide()
        self.owner_label.setText(
            f"<b>{_html(overview.owner_name)}</b> ({_html(overview.owner_kind)}, AGS {overview.ags})<br>"
            f"Zeitraum: {_html(overview.period)}")
        table = self.preview_table
        table.setRowCount(len(overview.tables))
        for row, item in enumerate(overview.tables):
            cells = [QTableWidgetItem(item.label), QTableWidgetItem(format_count(item.count)),
                     QTableWidgetItem("" if item.sum_cents is None else format_cents(item.sum_cents))]
            cells[0].setData(Qt.ItemDataRole.UserRole, item.name)
            cells[1].setTextAlignment(_RIGHT)
            cells[2].setTextAlignment(_RIGHT)
            if item.count == 0:
                for cell in cells:
                    cell.setForeground(self.palette().placeholderText())
            for column, cell in enumerate(cells):
                table.setItem(row, column, cell)
        height = table.horizontalHeader().sizeHint().height() + table.verticalHeader().length()
        table.setFixedHeight(height + 2 * table.frameWidth() + 2)
        table.show()
        money = overview.money
        self.money_label.setText(
            f"Bewilligt {format_cents(money['decided'])} · eingegangen {format_cents(money['received'])} · "
            f"ausgegeben {format_cents(money['spent'])} · weitergeleitet {format_cents(money['passed_on'])} · "
            f"Drittmittel erhalten {format_cents(money['third_party_received'])}")
        if overview.members:
            count = len(overview.members)
            self.members_label.setText(f"Enthält die {'Datei' if count == 1 else f'{count} Dateien'} der "
                                       f"Gemeinden/Träger:<br>"
                                       + "<br>".join(f"– {_html(m)}" for m in overview.members))
            self.members_label.show()
        else:
            self.members_label.hide()
        self.warning_label.setText(overview.warning)

    def _show_problem(self, text: str) -> None:
        self.preview_table.setRowCount(0)
        self.preview_table.hide()
        self.owner_label.clear()
        self.money_label.clear()
        self.members_label.hide()
        self.export_button.setEnabled(False)
        if self.period_kind() == PERIOD_RANGE and "Zeitraum" in text:
            self.period_error.setText(text)
            self.period_error.show()
            text = "Keine Vorschau: bitte zuerst den Zeitraum korrigieren."
        self.preview_error.setText(text)
        self.preview_error.show()

    def preview_counts(self) -> dict[str, int]:
        """Rows per table as the preview shows them (table name → count)."""
        return {item.name: item.count for item in self.overview.tables} if self.overview else {}

    # --- export ----------------------------------------------------------------------------------
    def _suggested_path(self) -> Path:
        folder = start_folder(self.settings, file_folders.EXCHANGE)
        profile = self.ctx.workspace.profile()
        return folder / default_file_name(profile.ags if profile else "", self.period(), self.format_key())

    def export(self) -> bool:
        """Choose the target; then check the Datenbestand, gather and write on a worker thread
        (through its own read-only connection). Returns True when the work started; the result
        arrives with :attr:`export_done`, the audit entry is written here afterwards."""
        if self.task is not None:
            return False
        chosen = next(f for f in FORMATS if f.key == self.format_key())
        name, _ = QFileDialog.getSaveFileName(self, f"{chosen.label} speichern", str(self._suggested_path()),
                                              chosen.file_filter)
        if not name:
            return False
        path = Path(name)
        if path.suffix.lower() != chosen.extension:
            path = path.with_name(path.name + chosen.extension)
        remember_folder(self.settings, file_folders.EXCHANGE, path)
        first, last = self.period()
        key = chosen.key

        def work(reader):
            job = reader.prepare_export(key, first, last)  # the full check, then the rows
            return job, job.write(path)

        self.export_button.setEnabled(False)
        self.result_label.hide()
        self.open_folder_button.hide()
        source = self.ctx.workspace.path
        self.task = read_jobs.start(
            self, read_jobs.reading(source, work), name="Export",
            on_success=lambda result: self._written(path, result, None),
            on_failure=lambda error: self._written(path, None, error),
            progress=("Export", f"Datenbestand wird geprüft, „{path.name}“ wird geschrieben …"))
        return True

    def _written(self, path: Path, result, error) -> None:
        self.task = None
        first, last = self.period()
        self.export_button.setEnabled(first is None or last >= first)
        if error is not None:
            messages.warn(self, "Export nicht geschrieben", str(error))
            self.export_done.emit(False)
            return
        job, document = result
        summary = self.ctx.perform(lambda: self.ctx.workspace.record_export(job, document, path), parent=self)
        self.last_path = path
        self.last_summary = summary or ""
        lines = self.last_summary.splitlines()
        shown = [f"<b>{_html(lines[0])}</b>" if lines else "",
                 *(_html(line) for line in lines if line.startswith(("Zeitraum:", "Prüfsumme")))]
        self.result_label.setText("<br>".join(shown))
        self.result_label.setToolTip(self.last_summary)
        self.result_label.show()
        self.open_folder_button.show()
        self.ctx.status_message.emit(f"Export geschrieben: {path.name}")
        self.export_done.emit(True)

    def open_folder(self) -> None:
        if self.last_path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last_path.parent)))


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
