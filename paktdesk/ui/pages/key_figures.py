"""Kennzahlen: the yearly key figures as a grid (figures down, the applicant and each integration
manager across) with last year's value beside every field, checked while typing; and the
editable list of figures for Einstellungen.

Only whole numbers from 0 can be typed. Plausibility errors (closed cases above counselled
persons …) mark the field and block saving; warnings are marked and shown but do not block.
All changed subjects are saved in one transaction."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QRect, QRegularExpression, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QRegularExpressionValidator,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.deadlines import key_figure_deadline
from ...core.errors import PaktDeskError
from ...core.periods import format_date
from .. import messages
from ..context import UiContext
from ..dialogs.key_figure_def import KeyFigureDefDialog
from ..page_keys import page_shortcut

PREVIOUS_ROLE = Qt.ItemDataRole.UserRole + 1  # last year's value (int or None)
SUM_ROLE = Qt.ItemDataRole.UserRole + 2  # applicant column left empty: the persons' sum
ERROR_COLOUR = "#fde7e9"
WARNING_COLOUR = "#fff4ce"
CHANGED_COLOUR = "#eaf2fb"
GROUP_COLOUR = "#eef0f3"
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
APPLICANT = "Antragsteller\ninsgesamt"


class CountDelegate(QStyledItemDelegate):
    """Edits a cell as a whole number from 0 and paints last year's value at its left."""

    def createEditor(self, parent, option, index):  # noqa: N802 - Qt override
        edit = QLineEdit(parent)
        edit.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,7}"), edit))
        edit.setAlignment(_RIGHT)
        edit.setFrame(False)
        return edit

    def paint(self, painter, option, index):
        super().paint(painter, option, index)
        previous = index.data(PREVIOUS_ROLE)
        shown_sum = index.data(SUM_ROLE)
        if previous is None and shown_sum is None:
            return
        painter.save()
        font = option.font
        font.setPointSizeF(font.pointSizeF() * 0.85)
        painter.setFont(font)
        selected = option.state & QStyle.StateFlag.State_Selected
        colour = option.palette.highlightedText().color() if selected else QColor("#6b6f76")
        painter.setPen(colour)
        rect = QRect(option.rect).adjusted(6, 0, -6, 0)
        if previous is not None:
            painter.drawText(rect, _LEFT, f"Vj. {previous}")
        if shown_sum is not None and not index.data(Qt.ItemDataRole.DisplayRole):
            font.setItalic(True)
            painter.setFont(font)
            painter.drawText(rect, _RIGHT, f"Σ {shown_sum}")
        painter.restore()


class KeyFigurePage(QWidget):
    """Year, then the grid; "Vorjahreswerte übernehmen", "Verwerfen", "Speichern"."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None, *, today: date | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.today = today or date.today()
        self.year = self.today.year - 1
        self.subjects: list[int | None] = []
        self.codes: list[str | None] = []  # per row: a figure's code, None for a group heading
        self.labels: dict[str, str] = {}
        self.stored: dict[tuple[int | None, str], int | None] = {}
        self.previous: dict[tuple[int | None, str], int | None] = {}
        self.problems: dict[tuple[int | None, str], tuple[str, str]] = {}  # → ("error"|"warning", text)
        self._found: dict[int | None, list[tuple[str, str, str]]] = {}  # per subject: (level, code, text)
        self._row_of: dict[str, int] = {}
        self._col_of: dict[int | None, int] = {}
        self._names: dict[int | None, str] = {}
        self._loading = False

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        top = QHBoxLayout()
        top.addWidget(QLabel("&Jahr:", self))
        self.year_combo = QComboBox(self)
        self.year_combo.setAccessibleName("Jahr")
        top.itemAt(0).widget().setBuddy(self.year_combo)
        top.addWidget(self.year_combo)
        self.due_label = QLabel(self)
        self.due_label.setContentsMargins(12, 0, 0, 0)
        top.addWidget(self.due_label, 1)
        self.copy_button = QPushButton("&Vorjahreswerte übernehmen", self)
        self.copy_button.setToolTip("Leere Felder mit den Werten des Vorjahres füllen (danach prüfen und speichern)")
        self.discard_button = QPushButton("Ver&werfen", self)
        self.discard_button.setToolTip("Eingaben verwerfen und die gespeicherten Werte zeigen")
        self.save_button = QPushButton("&Speichern", self)
        self.save_button.setDefault(True)
        self.save_button.setToolTip("Alle geänderten Werte speichern (Strg+S)")
        for button in (self.copy_button, self.discard_button, self.save_button):
            top.addWidget(button)
        layout.addLayout(top)

        hint = QLabel("Ganze Zahlen ab 0. Grau links im Feld: der Wert des Vorjahres. Bleibt die Spalte "
                      "„Antragsteller insgesamt“ leer, zählt die Summe der Personen (Σ).", self)
        hint.setWordWrap(True)
        hint.setStyleSheet("color: palette(placeholder-text);")
        layout.addWidget(hint)

        self.table = QTableWidget(self)
        self.table.setAccessibleName("Kennzahlen des Jahres")
        self.table.setItemDelegate(CountDelegate(self.table))
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        triggers = QAbstractItemView.EditTrigger
        self.table.setEditTriggers(triggers.DoubleClicked | triggers.EditKeyPressed | triggers.AnyKeyPressed
                                   | triggers.SelectedClicked)  # typing a digit starts editing, as in Excel
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultAlignment(_LEFT)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 12)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.table, 1)

        self.error_label = QLabel(self)
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b3261e;")
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.warning_label = QLabel(self)
        self.warning_label.setWordWrap(True)
        self.warning_label.setStyleSheet("color: #7a5200;")
        self.saved_label = QLabel(self)
        self.saved_label.setStyleSheet("color: #1e6b34;")
        for label in (self.error_label, self.warning_label, self.saved_label):
            label.hide()
            layout.addWidget(label)

        self.year_combo.currentIndexChanged.connect(self._year_chosen)
        self.table.itemChanged.connect(self._item_changed)
        self.copy_button.clicked.connect(self.copy_forward)
        self.discard_button.clicked.connect(lambda: self.load(self.year))
        self.save_button.clicked.connect(self.save)
        page_shortcut(self, "Ctrl+S", self.save)
        ctx.changed.connect(self._on_change)
        self._fill_years()
        self.load(self.year)

    # --- loading ---------------------------------------------------------------------------------
    def _fill_years(self) -> None:
        years = set(self.ctx.workspace.key_figure_years()) | set(range(self.today.year - 4, self.today.year + 1))
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        for year in sorted(years, reverse=True):
            self.year_combo.addItem(str(year), year)
        self.year_combo.setCurrentIndex(self.year_combo.findData(self.year))
        self.year_combo.blockSignals(False)

    def _year_chosen(self, index: int) -> None:
        year = self.year_combo.itemData(index)
        if year is None or year == self.year:
            return
        if self.has_changes() and not messages.confirm(
                self, "Änderungen verwerfen?",
                f"Die Eingaben für {self.year} sind noch nicht gespeichert. Verwerfen und {year} zeigen?"):
            self.year_combo.blockSignals(True)
            self.year_combo.setCurrentIndex(self.year_combo.findData(self.year))
            self.year_combo.blockSignals(False)
            return
        self.load(year)

    def set_year(self, year: int) -> None:
        """Show ``year`` (tests and the deadline board); unsaved entries are dropped."""
        if self.year_combo.findData(year) < 0:
            self.year_combo.addItem(str(year), year)
        self.year_combo.blockSignals(True)
        self.year_combo.setCurrentIndex(self.year_combo.findData(year))
        self.year_combo.blockSignals(False)
        self.load(year)

    def load(self, year: int) -> None:
        """Read the year's figures of every subject and last year's beside them."""
        ws = self.ctx.workspace
        self.year = year
        self.subjects = ws.key_figure_subjects(year)
        forms = {pid: ws.key_figure_form(year, pid) for pid in self.subjects}
        definitions = {row.definition.code: row.definition
                       for rows in forms.values() for row in rows}
        ordered = sorted(definitions.values(), key=lambda d: (d.sort_order, d.code))
        self.labels = {d.code: d.label for d in ordered}
        self.stored, self.previous = {}, {}
        for pid, rows in forms.items():
            for row in rows:
                self.stored[(pid, row.definition.code)] = row.value
                self.previous[(pid, row.definition.code)] = row.previous
        self.codes = []
        group = object()
        for definition in ordered:
            if definition.group != group:
                group = definition.group
                self.codes.append(None)
            self.codes.append(definition.code)
        group_names = []
        group = object()
        for definition in ordered:
            if definition.group != group:
                group = definition.group
                group_names.append(definition.group or "Weitere Kennzahlen")

        self._row_of = {code: row for row, code in enumerate(self.codes) if code is not None}
        self._col_of = {pid: column for column, pid in enumerate(self.subjects)}
        persons = {p.id: p for p in ws.persons(include_deleted=True)}
        self._names = {pid: "Antragsteller insgesamt" if pid is None else persons[pid].full_name
                       for pid in self.subjects}
        self._found = {}
        self._loading = True
        table = self.table
        table.clear()
        table.clearSpans()
        table.setRowCount(len(self.codes))
        table.setColumnCount(len(self.subjects))
        headers = [APPLICANT if pid is None else f"{persons[pid].first_name}\n{persons[pid].last_name}"
                   for pid in self.subjects]
        table.setHorizontalHeaderLabels(headers)
        bold = self.font()
        bold.setBold(True)
        groups = iter(group_names)
        for row, code in enumerate(self.codes):
            if code is None:
                name = next(groups)
                header = QTableWidgetItem(name)
                header.setFont(bold)
                table.setVerticalHeaderItem(row, header)
                filler = QTableWidgetItem("")
                filler.setFlags(Qt.ItemFlag.NoItemFlags)
                filler.setBackground(QColor(GROUP_COLOUR))
                table.setItem(row, 0, filler)
                if len(self.subjects) > 1:
                    table.setSpan(row, 0, 1, len(self.subjects))
                continue
            header = QTableWidgetItem(self.labels[code])
            header.setToolTip(f"Kürzel: {code}")
            table.setVerticalHeaderItem(row, header)
            for column, pid in enumerate(self.subjects):
                value = self.stored.get((pid, code))
                item = QTableWidgetItem("" if value is None else str(value))
                item.setTextAlignment(_RIGHT)
                item.setData(PREVIOUS_ROLE, self.previous.get((pid, code)))
                flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                if not ws.read_only:
                    flags |= Qt.ItemFlag.ItemIsEditable
                item.setFlags(flags)
                table.setItem(row, column, item)
        self._fit_columns(headers)
        self._loading = False
        deadline = key_figure_deadline(year)
        self.due_label.setText(f"Kennzahlen {year}: an das Land zu melden bis {format_date(deadline.due)}.")
        has_previous = any(v is not None for v in self.previous.values())
        self.copy_button.setEnabled(has_previous and not ws.read_only)
        self.copy_button.setToolTip(
            f"Leere Felder mit den Werten von {year - 1} füllen (danach prüfen und speichern)" if has_previous
            else f"Für {year - 1} sind keine Kennzahlen erfasst.")
        self.saved_label.hide()
        self.review()

    def _fit_columns(self, headers: list[str]) -> None:
        metrics = self.table.fontMetrics()
        widest_value = metrics.horizontalAdvance("Vj. 0000  00000") + 16
        for column, text in enumerate(headers):
            width = max(metrics.horizontalAdvance(line) for line in text.split("\n")) + 24
            self.table.setColumnWidth(column, max(width, widest_value, 110))

    def _on_change(self, change) -> None:
        if change.entity in ("key_figure_defs", "persons", "employments") and not self.has_changes():
            self.load(self.year)

    # --- values ----------------------------------------------------------------------------------
    def item(self, person_id: int | None, code: str) -> QTableWidgetItem:
        return self.table.item(self._row_of[code], self._col_of[person_id])

    def value(self, person_id: int | None, code: str) -> int | None:
        text = self.item(person_id, code).text().strip()
        return int(text) if text else None

    def set_value(self, person_id: int | None, code: str, value: int | None) -> None:
        self.item(person_id, code).setText("" if value is None else str(value))

    def _figure_codes(self) -> list[str]:
        return [code for code in self.codes if code is not None]

    def changes(self) -> dict[int | None, dict[str, int | None]]:
        """What differs from the stored figures, per subject."""
        result: dict[int | None, dict[str, int | None]] = {}
        for pid in self.subjects:
            for code in self._figure_codes():
                value = self.value(pid, code)
                if value != self.stored.get((pid, code)):
                    result.setdefault(pid, {})[code] = value
        return result

    def has_changes(self) -> bool:
        return bool(self.codes) and bool(self.changes())

    def copy_forward(self) -> int:
        """Fill every empty field that had a value last year. Returns how many were filled."""
        filled = 0
        self._loading = True
        for pid in self.subjects:
            for code in self._figure_codes():
                previous = self.previous.get((pid, code))
                if previous is not None and self.value(pid, code) is None:
                    self.set_value(pid, code, previous)
                    filled += 1
        self._loading = False
        self.review()
        self.ctx.status_message.emit(
            f"{filled} Werte aus {self.year - 1} übernommen – bitte prüfen und speichern." if filled
            else "Keine leeren Felder mit Vorjahreswert.")
        return filled

    # --- checking --------------------------------------------------------------------------------
    def _item_changed(self, item: QTableWidgetItem) -> None:
        if not self._loading:
            self.saved_label.hide()
            self.review([self.subjects[item.column()]])

    def review(self, subjects: list[int | None] | None = None) -> None:
        """Check the figures as typed (of ``subjects``, default all); mark the fields, list the findings."""
        ws = self.ctx.workspace
        subjects = self.subjects if subjects is None else subjects
        for pid in subjects:
            values = {code: self.value(pid, code) for code in self._figure_codes()}
            result = ws.review_key_figures(self.year, pid, values)
            self._found[pid] = [("error", p.code, p.message) for p in result.errors] + [
                ("warning", p.code, p.message) for p in result.warnings]
        self.problems = {}
        errors, warnings = [], []
        for pid in self.subjects:
            for level, code, message in self._found.get(pid, ()):
                self.problems.setdefault((pid, code), (level, message))
                (errors if level == "error" else warnings).append(f"{self._names[pid]}: {message}")
        self._paint_marks(subjects)
        self.error_label.setText("Nicht speicherbar, bitte korrigieren:\n" + "\n".join(f"• {e}" for e in errors))
        self.error_label.setVisible(bool(errors))
        self.warning_label.setText("Hinweise (Speichern möglich):\n" + "\n".join(f"• {w}" for w in warnings))
        self.warning_label.setVisible(bool(warnings))
        changed = self.has_changes()
        self.save_button.setEnabled(not ws.read_only and changed and not errors)
        self.discard_button.setEnabled(changed)

    def _paint_marks(self, subjects: list[int | None]) -> None:
        """Colour and tool tip of the fields of ``subjects``, and the applicant's column (its Σ)."""
        self._loading = True
        sums: dict[str, int] = {}
        for code in self._figure_codes():
            parts = [self.value(pid, code) for pid in self.subjects if pid is not None]
            if any(v is not None for v in parts):
                sums[code] = sum(v for v in parts if v is not None)
        for pid in dict.fromkeys([*subjects, None]):
            if pid not in self._col_of:
                continue
            for code in self._figure_codes():
                item = self.item(pid, code)
                level, message = self.problems.get((pid, code), (None, ""))
                changed = self.value(pid, code) != self.stored.get((pid, code))
                colour = {"error": ERROR_COLOUR, "warning": WARNING_COLOUR}.get(level) or (
                    CHANGED_COLOUR if changed else None)
                item.setBackground(QBrush(QColor(colour)) if colour else QBrush())
                previous = self.previous.get((pid, code))
                tip = [message] if message else []
                if previous is not None:
                    tip.append(f"Vorjahr {self.year - 1}: {previous}")
                if pid is None and code in sums:
                    item.setData(SUM_ROLE, sums[code])
                    if not item.text():
                        tip.append(f"Leer: gemeldet wird die Summe der Personen ({sums[code]}).")
                else:
                    item.setData(SUM_ROLE, None)
                item.setToolTip("\n".join(tip))
        self._loading = False

    def problem(self, person_id: int | None, code: str) -> tuple[str, str] | None:
        """("error"|"warning", message) shown at a field, or None."""
        return self.problems.get((person_id, code))

    # --- saving ----------------------------------------------------------------------------------
    def save(self) -> bool:
        """Save every changed field in one transaction; nothing is saved while an error is shown."""
        self.table.setCurrentItem(None)  # commit an open editor
        self.review()
        if any(level == "error" for level, _ in self.problems.values()):
            self.error_label.show()
            first = next(key for key, (level, _) in self.problems.items() if level == "error")
            self.table.setCurrentItem(self.item(*first))
            return False
        sheet = self.changes()
        if not sheet:
            return True
        try:
            change = self.ctx.workspace.save_key_figure_sheet(self.year, sheet)
        except PaktDeskError as err:
            messages.warn(self, "Nicht gespeichert", str(err))
            return False
        count = sum(len(values) for values in sheet.values())
        self.load(self.year)
        self.saved_label.setText(f"{count} Werte für {self.year} gespeichert." + (
            " Bitte die Hinweise beachten." if change.warnings else ""))
        self.saved_label.show()
        return True


class KeyFigureDefsPage(QWidget):
    """Einstellungen → Kennzahlen: the list of figures (add, rename, regroup, deactivate)."""

    COLUMNS = ("Gruppe", "Bezeichnung", "Kürzel", "Reihenfolge", "Status")

    def __init__(self, ctx: UiContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.definitions = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        intro = QLabel("Welche Kennzahlen je Jahr erfasst werden. Eine deaktivierte Kennzahl erscheint nicht mehr "
                       "in der Eingabe; bereits erfasste Werte bleiben erhalten. Das Kürzel ist der feste "
                       "Schlüssel in Austauschdateien und kann nicht geändert werden.", self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        bar = QHBoxLayout()
        self.new_button = QPushButton("&Neu …", self)
        self.edit_button = QPushButton("&Bearbeiten …", self)
        self.toggle_button = QPushButton("&Deaktivieren", self)
        for button in (self.new_button, self.edit_button, self.toggle_button):
            bar.addWidget(button)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.table = QTableWidget(0, len(self.COLUMNS), self)
        self.table.setAccessibleName("Kennzahlen-Liste")
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(_LEFT)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)

        self.new_button.clicked.connect(self.new_definition)
        self.edit_button.clicked.connect(self.edit_selected)
        self.toggle_button.clicked.connect(self.toggle_selected)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        page_shortcut(self, "F2", self.edit_selected)  # Strg+N: the window's, via new_button
        ctx.changed.connect(lambda change: self.refresh() if change.entity == "key_figure_defs" else None)
        if ctx.workspace.read_only:
            for button in (self.new_button, self.edit_button, self.toggle_button):
                button.setEnabled(False)
        self.refresh()

    def refresh(self) -> None:
        selected = self.selected()
        self.definitions = self.ctx.workspace.key_figure_defs(active_only=False)
        self.table.setRowCount(len(self.definitions))
        for row, item in enumerate(self.definitions):
            cells = [item.group, item.label, item.code, str(item.sort_order),
                     "aktiv" if item.active else "deaktiviert"]
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                if column == 3:
                    cell.setTextAlignment(_RIGHT)
                if not item.active:
                    cell.setForeground(self.palette().placeholderText())
                self.table.setItem(row, column, cell)
        header = self.table.horizontalHeader()
        for column in (0, 2, 3, 4):  # contents plus air; the Bezeichnung takes the rest
            width = max(self.table.sizeHintForColumn(column), header.sectionSizeHint(column))
            self.table.setColumnWidth(column, width + 24)
        if selected is not None:
            codes = [d.code for d in self.definitions]
            if selected.code in codes:
                self.table.selectRow(codes.index(selected.code))
        self._update_buttons()

    def selected(self):
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.definitions[rows[0].row()] if rows else None

    def select(self, code: str) -> None:
        self.table.selectRow([d.code for d in self.definitions].index(code))

    def _update_buttons(self) -> None:
        item = self.selected()
        writable = not self.ctx.workspace.read_only
        self.edit_button.setEnabled(writable and item is not None)
        self.toggle_button.setEnabled(writable and item is not None)
        self.toggle_button.setText("&Aktivieren" if item is not None and not item.active else "&Deaktivieren")

    def groups(self) -> list[str]:
        return sorted({d.group for d in self.definitions if d.group})

    def new_definition(self) -> KeyFigureDefDialog | None:
        if self.ctx.workspace.read_only:
            return None
        next_order = max((d.sort_order for d in self.definitions), default=0) + 10
        dialog = KeyFigureDefDialog(self.ctx, None, groups=self.groups(), sort_order=next_order, parent=self)
        dialog.open()
        return dialog

    def edit_selected(self) -> KeyFigureDefDialog | None:
        item = self.selected()
        if item is None or self.ctx.workspace.read_only:
            return None
        dialog = KeyFigureDefDialog(self.ctx, item, groups=self.groups(), parent=self)
        dialog.open()
        return dialog

    def toggle_selected(self) -> None:
        item = self.selected()
        if item is None:
            return
        if item.active and not messages.confirm(
                self, "Kennzahl deaktivieren",
                f"„{item.label}“ nicht mehr erfassen? Bereits erfasste Werte bleiben erhalten; die Kennzahl "
                "kann später wieder aktiviert werden."):
            return
        self.ctx.perform(lambda: self.ctx.workspace.set_key_figure_def_active(item.code, not item.active),
                         parent=self)
