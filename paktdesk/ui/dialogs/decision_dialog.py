"""The decision dialog (Zuwendungsbescheid): header, version, and the content of the version –
positions for Integrationsmanagement (the fixed amount computed from the rule set shown beside
the amount the decision states, a difference flagged; the decision always wins) or a cost plan
for the other three Förderbereiche. The history of versions stays visible.

Modes: ``new`` (Erstbescheid), ``edit`` (header only; the versions are shown, not changed) and
``amend`` (Änderungsbescheid: a new version, prefilled from the current one)."""

from __future__ import annotations

import dataclasses
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core import entities as e
from ...core.balances import check_positions
from ...core.employment import position_start, position_warnings
from ...core.errors import PaktDeskError, ValidationError
from ...core.funding import position_amount
from ...core.money import format_cents
from ...core.periods import format_date
from ...core.validation import format_vza, parse_vza
from .. import messages
from .dialog_keys import KeyboardDialog
from .field_messages import MESSAGE_STYLE, FieldMessages, focus_field, message_label
from .mnemonics import Mnemonics, plain_label
from .money_fields import DateField, MoneyField, fill_combo, select_data

FLAG = QColor("#b3261e")
FLAG_BACKGROUND = QColor("#fde7e4")
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
POSITION_COLUMNS = ["Person", "VZÄ", "Kat.", "Beginn", "Monate", "Satz/Jahr", "Laut Bescheid", "Berechnet", "Differenz"]
DEFAULT_GRANTOR = "Regierungspräsidium Stuttgart, Referat 15.2"
WARN_BACKGROUND = "#fff4ce"


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _read_only_item(text: str, *, right: bool = True) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if right:
        item.setTextAlignment(_RIGHT)
    return item


class PositionRow:
    """The widgets of one position row; reads back an :class:`~paktdesk.core.entities.Position`."""

    def __init__(self, dialog: DecisionDialog, row: int, position: e.Position | None):
        self.dialog = dialog
        table = dialog.positions_table
        self.person = QComboBox(table)
        fill_combo(self.person, [(p.sort_name, p.id) for p in dialog.ctx.workspace.persons()])
        self.vza = QLineEdit(table)
        self.vza.setAlignment(_RIGHT)
        self.category = QComboBox(table)
        for category in e.Category:
            self.category.addItem(category.value, category.value)
        self.first_day = DateField("den Beginn der Stelle", parent=table)
        self.months = QSpinBox(table)
        self.months.setRange(1, 120)
        self.rate = MoneyField("Fördersatz", table)
        self.decided = MoneyField("Festbetrag laut Bescheid", table)
        for column, widget in enumerate([self.person, self.vza, self.category, self.first_day, self.months,
                                         self.rate, self.decided]):
            table.setCellWidget(row, column, widget)
            widget.setAccessibleName(f"Stelle: {POSITION_COLUMNS[column]}")
        table.setItem(row, 7, _read_only_item(""))
        table.setItem(row, 8, _read_only_item(""))
        self.follows_rate = position is None  # "laut Bescheid" follows the computed amount until typed over
        if position is not None:
            select_data(self.person, position.person_id)
            self.vza.setText(format_vza(position.vza_milli))
            select_data(self.category, str(position.category))
            self.first_day.set_value(position.first_day)
            self.months.setValue(position.months)
            self.rate.set_value(position.rate_cents)
            self.decided.set_value(position.amount_cents)
            self.follows_rate = self.computed() == position.amount_cents
        else:
            self.vza.setText("1,00")
            self.first_day.set_value(dialog.first_field.value_or_none())
            self.months.setValue(dialog.period_months())
            self._from_register()
            self._take_rate()
            self.decided.set_value(self.computed())
        self.decided.textEdited.connect(self._decided_typed)
        self.person.currentIndexChanged.connect(self._person_changed)
        self.category.currentIndexChanged.connect(self._category_changed)
        for edit in (self.vza, self.first_day, self.rate, self.decided):
            edit.editingFinished.connect(dialog.update_sums)
        self.months.valueChanged.connect(dialog.update_sums)

    def _take_rate(self) -> None:
        rules = self.dialog.rule_set()
        rate = rules.rate_for(self.category.currentData()) if rules else None
        if rate is not None:
            self.rate.set_value(rate)

    def _from_register(self) -> None:
        """The person's VZÄ, qualification category and first working day, as the register has them."""
        person_id = self.person.currentData()
        if person_id is None:
            return
        ws = self.dialog.ctx.workspace
        start, employed = position_start(ws.employments(person_id), self.dialog.first_field.value_or_none())
        if start is not None:
            self.first_day.set_value(start)
        if employed is not None:
            self.vza.setText(format_vza(employed))
        category = ws.current_category(person_id)
        if category is not None:
            self.category.blockSignals(True)
            select_data(self.category, str(category))
            self.category.blockSignals(False)

    def _person_changed(self) -> None:
        self._from_register()
        self._take_rate()
        self.dialog.update_sums()

    def _decided_typed(self, _text: str) -> None:
        self.follows_rate = False  # the clerk's amount stands; the computed one is shown beside it

    def follow(self) -> None:
        """Keep "laut Bescheid" on the computed amount while the clerk has not typed another."""
        computed = self.computed()
        if self.follows_rate and computed is not None:
            self.decided.set_value(computed)

    def warnings(self) -> list[str]:
        """Where the position does not match the register (start, VZÄ): shown at the row."""
        person_id = self.person.currentData()
        if person_id is None:
            return []
        return position_warnings(self.dialog.ctx.workspace.employments(person_id),
                                 first_day=self.first_day.value_or_none(), vza_milli=self.vza_milli())

    def _category_changed(self) -> None:
        self._take_rate()
        self.dialog.update_sums()

    def vza_milli(self) -> int | None:
        try:
            return parse_vza(self.vza.text())
        except ValidationError:
            return None

    def computed(self) -> int | None:
        vza, rate = self.vza_milli(), self.rate.value_or_none()
        if vza is None or rate is None or rate < 0:
            return None
        return position_amount(rate_cents_per_year=rate, vza_milli=vza, months=self.months.value())

    def position(self) -> e.Position:
        if self.person.currentData() is None:
            raise ValidationError("Bitte für jede Stelle eine Person wählen (Personen unter "
                                  "„Integrationsmanager:innen“ anlegen).")
        return e.Position(None, 0, self.person.currentData(), parse_vza(self.vza.text()),
                          e.Category(self.category.currentData()), self.first_day.value(), self.months.value(),
                          self.rate.value(), self.decided.value())


class DecisionDialog(KeyboardDialog):
    def __init__(self, ctx, *, decision_id: int | None = None, mode: str = "new", parent: QWidget | None = None):
        super().__init__(parent)
        if mode not in ("new", "edit", "amend"):
            raise ValueError(mode)
        self.ctx = ctx
        self.mode = mode
        ws = ctx.workspace
        self.decision = ws.decision(decision_id) if decision_id else None
        self.current = ws.current_version(decision_id) if decision_id else None
        self.change = None
        self.position_rows: list[PositionRow] = []
        self.stored_positions: list[e.Position] = []
        self.stored_cost_plan: list[e.CostPlanItem] = []
        self.rule_sets = ws.rule_sets()
        self.setWindowTitle({"new": "Neuer Zuwendungsbescheid", "edit": "Zuwendungsbescheid",
                             "amend": "Änderungsbescheid erfassen"}[mode])

        # header
        self.area_combo = QComboBox(self)
        for area in e.FundingArea:
            self.area_combo.addItem(area.label, area.value)
        self.grantor_edit = QLineEdit(DEFAULT_GRANTOR, self)
        self.file_number_edit = QLineEdit(self)
        self.file_number_edit.setPlaceholderText("z. B. 15.2-8712.23/1274")
        self.notes_edit = QLineEdit(self)
        self.general_label = QLabel(self)
        self.general_label.setWordWrap(True)
        self.general_label.setStyleSheet(MESSAGE_STYLE)
        self.general_label.setAccessibleName("Fehlermeldung")
        self.general_label.hide()
        self.messages = FieldMessages(self, self.general_label)
        self.mnemonics = Mnemonics()
        for taken in ("&Speichern", "Änderungsbescheid &erfassen …", "Stelle &hinzufügen", "Stelle en&tfernen",
                      "&Kostenart hinzufügen", "Kostenart entfer&nen"):
            self.mnemonics.take(taken)
        header_box = QGroupBox("Bescheid", self)
        header_form = QFormLayout(header_box)
        self._row(header_form, "Förderbereich:", self.area_combo, "funding_area")
        self._row(header_form, "Zuwendungsgeber:", self.grantor_edit, "grantor")
        self._row(header_form, "Aktenzeichen:", self.file_number_edit, "file_number")
        self._row(header_form, "Notiz:", self.notes_edit, "notes")

        # version
        self.version_box = QGroupBox(self)
        version_form = self.version_form = QFormLayout(self.version_box)
        self.decided_on_field = DateField("das Bescheiddatum", parent=self)
        self.first_field = DateField("den Beginn des Bewilligungszeitraums", parent=self)
        self.last_field = DateField("das Ende des Bewilligungszeitraums", parent=self)
        period_box = QWidget(self)
        period_row = QHBoxLayout(period_box)
        period_row.setContentsMargins(0, 0, 0, 0)
        period_row.addWidget(self.first_field)
        period_row.addWidget(QLabel("bis", self))
        period_row.addWidget(self.last_field)
        period_row.addStretch(1)
        self.amount_field = MoneyField("Bewilligter Betrag", self)
        self.rule_combo = QComboBox(self)
        fill_combo(self.rule_combo, [("— kein Regelwerk —", None), *((r.name, r.id) for r in self.rule_sets)])
        self.version_note_edit = QLineEdit(self)
        self._row(version_form, "Bescheid vom:", self.decided_on_field, "decided_on")
        self._row(version_form, "Bewilligungszeitraum:", period_box, "first_day", target=self.first_field)
        self.messages.watch_form_row(version_form, "last_day", self.last_field)
        self.last_field.setAccessibleName("Bewilligungszeitraum bis")
        self._row(version_form, "Bewilligt (laut Bescheid):", self.amount_field, "amount")
        self._row(version_form, "Regelwerk (Fördersätze):", self.rule_combo, "rule_set")
        self._row(version_form, "Bemerkung:", self.version_note_edit, "note")

        # positions
        self.positions_box = QGroupBox("Stellen (Festbetrag je Stelle)", self)
        self.positions_table = QTableWidget(0, len(POSITION_COLUMNS), self.positions_box)
        self.positions_table.setHorizontalHeaderLabels(POSITION_COLUMNS)
        self.positions_table.verticalHeader().setVisible(False)
        self.positions_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.positions_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate([190, 60, 50, 100, 60, 115, 125, 115, 105]):
            header.resizeSection(column, width)
        self.positions_table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 16)
        self.positions_table.setAccessibleName("Stellen")
        self.add_position_button = QPushButton("Stelle &hinzufügen", self.positions_box)
        self.remove_position_button = QPushButton("Stelle en&tfernen", self.positions_box)
        self.positions_message = message_label(self.positions_box)
        self.positions_sum_label = QLabel(self.positions_box)
        self.positions_sum_label.setWordWrap(True)
        self.positions_sum_label.setTextFormat(Qt.TextFormat.RichText)
        positions_layout = QVBoxLayout(self.positions_box)
        positions_layout.addWidget(self.positions_table)
        positions_layout.addWidget(self.positions_message)
        self.messages.watch("positions", self.positions_table, self.positions_message, check=lambda: None)
        row = QHBoxLayout()
        row.addWidget(self.add_position_button)
        row.addWidget(self.remove_position_button)
        row.addStretch(1)
        positions_layout.addLayout(row)
        positions_layout.addWidget(self.positions_sum_label)

        # cost plan
        self.cost_plan_box = QGroupBox("Kostenplan (geplante Ausgaben je Kostenart)", self)
        self.cost_plan_table = QTableWidget(0, 2, self.cost_plan_box)
        self.cost_plan_table.setHorizontalHeaderLabels(["Kostenart", "Geplant"])
        self.cost_plan_table.verticalHeader().setVisible(False)
        self.cost_plan_table.horizontalHeader().resizeSection(0, 330)
        self.cost_plan_table.horizontalHeader().setStretchLastSection(True)
        self.cost_plan_table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 16)
        self.cost_plan_table.setAccessibleName("Kostenplan")
        self.add_cost_button = QPushButton("&Kostenart hinzufügen", self.cost_plan_box)
        self.remove_cost_button = QPushButton("Kostenart entfer&nen", self.cost_plan_box)
        self.cost_plan_message = message_label(self.cost_plan_box)
        self.cost_sum_label = QLabel(self.cost_plan_box)
        self.cost_sum_label.setTextFormat(Qt.TextFormat.RichText)
        cost_layout = QVBoxLayout(self.cost_plan_box)
        cost_layout.addWidget(self.cost_plan_table)
        cost_layout.addWidget(self.cost_plan_message)
        self.messages.watch("cost_plan", self.cost_plan_table, self.cost_plan_message, check=lambda: None)
        row = QHBoxLayout()
        row.addWidget(self.add_cost_button)
        row.addWidget(self.remove_cost_button)
        row.addStretch(1)
        cost_layout.addLayout(row)
        cost_layout.addWidget(self.cost_sum_label)
        self.cost_rows: list[tuple[QComboBox, MoneyField]] = []

        # history
        self.history_box = QGroupBox("Fassungen (Verlauf)", self)
        self.history_table = QTableWidget(0, 7, self.history_box)
        self.history_table.setHorizontalHeaderLabels(
            ["Nr.", "Art", "vom", "Zeitraum", "Bewilligt", "Berechnet", "Abweichung"])
        self.history_table.verticalHeader().setVisible(False)
        self.history_table.setAccessibleName("Fassungen")
        self.history_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.history_table.horizontalHeader().setStretchLastSection(True)
        QVBoxLayout(self.history_box).addWidget(self.history_table)

        # buttons
        self.buttons = QDialogButtonBox(self)
        self.save_button = self.buttons.addButton("&Speichern", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setDefault(True)
        self.cancel_button = self.buttons.addButton("Abbrechen", QDialogButtonBox.ButtonRole.RejectRole)
        self.cancel_button.setToolTip("Esc")
        self.amend_button = QPushButton("Änderungsbescheid &erfassen …", self)
        self.amend_button.setVisible(mode == "edit")
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        self.amend_button.clicked.connect(self.open_amendment)

        body = QWidget(self)
        body_layout = QVBoxLayout(body)
        body_layout.addWidget(header_box)
        body_layout.addWidget(self.version_box)
        body_layout.addWidget(self.positions_box)
        body_layout.addWidget(self.cost_plan_box)
        body_layout.addWidget(self.history_box)
        body_layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the fields inside, not the frame
        scroll.setWidget(body)
        bottom = QHBoxLayout()
        bottom.addWidget(self.amend_button)
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.general_label)
        layout.addLayout(bottom)
        self.scroll = scroll

        self.add_position_button.clicked.connect(lambda: self.add_position(None))
        self.remove_position_button.clicked.connect(self.remove_position)
        self.add_cost_button.clicked.connect(lambda: self.add_cost_item(None))
        self.remove_cost_button.clicked.connect(self.remove_cost_item)
        self.area_combo.currentIndexChanged.connect(self._area_changed)
        self.rule_combo.currentIndexChanged.connect(self._rules_changed)
        self.amount_field.editingFinished.connect(self.update_sums)
        self._fill()
        self.resize(1020, 760)

    def _row(self, form: QFormLayout, label: str, widget: QWidget, name: str, *,
             target: QWidget | None = None) -> None:
        """A form row with an Alt key on its label and a place for its message below."""
        target = target or widget
        caption = QLabel(self.mnemonics.label(label), self)
        caption.setBuddy(target)
        if not target.accessibleName():
            target.setAccessibleName(plain_label(label))
        form.addRow(caption, widget)
        self.messages.watch_form_row(form, name, target)

    def field_order(self) -> list[QWidget]:
        return [self.area_combo, self.grantor_edit, self.file_number_edit, self.notes_edit, self.decided_on_field,
                self.first_field, self.last_field, self.amount_field, self.rule_combo, self.version_note_edit]

    def button_order(self) -> list[QWidget]:
        return [self.amend_button, self.save_button, self.cancel_button]

    def refuse(self, err) -> None:
        """The message at its field (the cursor there), else below the form."""
        widget = self.messages.show_error(err) if isinstance(err, ValidationError) else \
            self.messages.show_error(str(err), None)
        if widget is not None:
            focus_field(widget)
            self.scroll.ensureWidgetVisible(widget)

    # --- filling -------------------------------------------------------------------------------
    def _fill(self) -> None:
        ws = self.ctx.workspace
        if self.decision is not None:
            select_data(self.area_combo, self.decision.funding_area.value)
            self.grantor_edit.setText(self.decision.grantor)
            self.file_number_edit.setText(self.decision.file_number)
            self.notes_edit.setText(self.decision.notes)
        if self.current is not None:
            v = self.current
            self.decided_on_field.set_value(date.today() if self.mode == "amend" else v.decided_on)
            self.first_field.set_value(v.first_day)
            self.last_field.set_value(v.last_day)
            self.amount_field.set_value(v.amount_cents)
            select_data(self.rule_combo, v.rule_set_id)
            self.version_note_edit.setText("" if self.mode == "amend" else v.note)
            self.stored_positions = ws.positions(v.id)
            self.stored_cost_plan = ws.cost_plan(v.id)
            if self.mode == "edit":
                self._show_read_only(self.stored_positions, self.stored_cost_plan)
            else:
                for position in self.stored_positions:
                    self.add_position(position)
                for item in self.stored_cost_plan:
                    self.add_cost_item(item)
        else:
            today = date.today()
            self.decided_on_field.set_value(today)
            rules = ws.rule_set_for_day(today)
            select_data(self.rule_combo, rules.id if rules else None)
        number = (len(ws.versions(self.decision.id)) + 1) if self.decision else 1
        self.version_box.setTitle({"new": "Erstbescheid (Fassung 1)",
                                   "edit": f"Geltende Fassung ({self.current.version_no if self.current else 1}: "
                                           f"{self.current.kind.value if self.current else ''})",
                                   "amend": f"Änderungsbescheid (wird Fassung {number})"}[self.mode])
        editable_header = self.mode != "amend"
        for widget in (self.grantor_edit, self.file_number_edit, self.notes_edit):
            widget.setReadOnly(not editable_header)
        self.area_combo.setEnabled(self.mode == "new" or (self.mode == "edit" and not self._has_content()))
        content_editable = self.mode in ("new", "amend")
        for widget in (self.decided_on_field, self.first_field, self.last_field, self.amount_field,
                       self.version_note_edit):
            widget.setReadOnly(not content_editable)
        self.rule_combo.setEnabled(content_editable)
        for widget in (self.add_position_button, self.remove_position_button, self.add_cost_button,
                       self.remove_cost_button):
            widget.setVisible(content_editable)
        self._fill_history()
        self._area_changed()

    def _has_content(self) -> bool:
        return bool(self.position_rows or self.cost_rows or self.stored_positions or self.stored_cost_plan)

    def _show_read_only(self, positions: list[e.Position], cost_plan: list[e.CostPlanItem]) -> None:
        """Edit mode: the version's content as text (changes need an Änderungsbescheid)."""
        persons = {p.id: p for p in self.ctx.workspace.persons(include_deleted=True)}
        checks = check_positions(positions, persons)
        self.positions_table.setRowCount(len(checks))
        for row, c in enumerate(checks):
            values = [c.person_label, format_vza(c.vza_milli), c.category, format_date(c.first_day), str(c.months),
                      format_cents(c.rate_cents), format_cents(c.decided_cents), format_cents(c.computed_cents),
                      (format_cents(c.difference) + " ⚑") if c.flagged else ""]
            for column, text in enumerate(values):
                item = _read_only_item(text, right=column not in (0, 2, 3))
                if c.flagged and column in (7, 8):
                    item.setForeground(QBrush(FLAG))
                    item.setBackground(QBrush(FLAG_BACKGROUND))
                self.positions_table.setItem(row, column, item)
        labels = {c.code: c.label for c in self.ctx.workspace.cost_categories()}
        self.cost_plan_table.setRowCount(len(cost_plan))
        for row, item in enumerate(cost_plan):
            self.cost_plan_table.setItem(row, 0, _read_only_item(labels.get(item.cost_category, item.cost_category),
                                                                 right=False))
            self.cost_plan_table.setItem(row, 1, _read_only_item(format_cents(item.amount_cents)))
        decided = sum(c.decided_cents for c in checks)
        computed = sum(c.computed_cents for c in checks)
        text = (f"Summe der Stellen laut Bescheid: <b>{format_cents(decided)}</b> · berechnet: "
                f"{format_cents(computed)} · bewilligt: <b>{format_cents(self.current.amount_cents)}</b>")
        if checks and (decided != computed or decided != self.current.amount_cents):
            text += " <span style='color:#b3261e'>⚑ Abweichung – es gilt der Betrag des Bescheids.</span>"
        self.positions_sum_label.setText(text if checks else "Keine Stellen.")
        planned = sum(item.amount_cents for item in cost_plan)
        self.cost_sum_label.setText(f"Summe Kostenplan: <b>{format_cents(planned)}</b> · bewilligt: "
                                    f"<b>{format_cents(self.current.amount_cents)}</b>"
                                    + (" <span style='color:#b3261e'>⚑ Abweichung</span>"
                                       if cost_plan and planned != self.current.amount_cents else ""))
        self.positions_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.cost_plan_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)

    def _fill_history(self) -> None:
        if self.decision is None:
            self.history_box.setVisible(False)
            return
        history = self.ctx.workspace.decision_history(self.decision.id)
        self.history_table.setRowCount(len(history))
        for row, summary in enumerate(history):
            v = summary.version
            values = [str(v.version_no), v.kind.value, format_date(v.decided_on), v.period.format(),
                      format_cents(v.amount_cents), "" if summary.computed is None else format_cents(summary.computed),
                      "" if not summary.flagged else
                      (format_cents(summary.difference or 0) + " ⚑")]
            for column, text in enumerate(values):
                item = _read_only_item(text, right=column >= 4)
                if column == 6 and summary.flagged:
                    item.setForeground(QBrush(FLAG))
                self.history_table.setItem(row, column, item)
        rows_height = self.history_table.verticalHeader().defaultSectionSize() * (len(history) + 1)
        self.history_table.setFixedHeight(rows_height + self.history_table.horizontalHeader().height() + 6)

    # --- positions and cost plan ----------------------------------------------------------------
    def rule_set(self) -> e.RuleSet | None:
        rule_id = self.rule_combo.currentData()
        return next((r for r in self.rule_sets if r.id == rule_id), None)

    def period_months(self) -> int:
        first, last = self.first_field.value_or_none(), self.last_field.value_or_none()
        if not first or not last or last < first:
            return 24
        return max(1, (last.year - first.year) * 12 + last.month - first.month + 1)

    def add_position(self, position: e.Position | None) -> PositionRow:
        row = self.positions_table.rowCount()
        self.positions_table.insertRow(row)
        item = PositionRow(self, row, position)
        self.position_rows.append(item)
        self.update_sums()
        return item

    def remove_position(self) -> None:
        row = self.positions_table.currentRow()
        if row < 0 and self.position_rows:
            row = len(self.position_rows) - 1
        if row < 0:
            return
        self.positions_table.removeRow(row)
        del self.position_rows[row]
        self.update_sums()

    def add_cost_item(self, item: e.CostPlanItem | None) -> None:
        row = self.cost_plan_table.rowCount()
        self.cost_plan_table.insertRow(row)
        combo = QComboBox(self.cost_plan_table)
        combo.setAccessibleName("Kostenart")
        fill_combo(combo, [(c.label, c.code) for c in self.ctx.workspace.cost_categories()])
        amount = MoneyField("Geplanter Betrag", self.cost_plan_table)
        if item is not None:
            select_data(combo, item.cost_category)
            amount.set_value(item.amount_cents)
        else:
            used = {c.currentData() for c, _ in self.cost_rows}
            free = [combo.itemData(i) for i in range(combo.count()) if combo.itemData(i) not in used]
            if free:
                select_data(combo, free[0])
        amount.editingFinished.connect(self.update_sums)
        self.cost_plan_table.setCellWidget(row, 0, combo)
        self.cost_plan_table.setCellWidget(row, 1, amount)
        self.cost_rows.append((combo, amount))
        self.update_sums()

    def remove_cost_item(self) -> None:
        row = self.cost_plan_table.currentRow()
        if row < 0 and self.cost_rows:
            row = len(self.cost_rows) - 1
        if row < 0:
            return
        self.cost_plan_table.removeRow(row)
        del self.cost_rows[row]
        self.update_sums()

    def _area(self) -> e.FundingArea:
        return e.FundingArea(self.area_combo.currentData())

    def _area_changed(self) -> None:
        positions = self._area() == e.FundingArea.INTEGRATION_MANAGEMENT
        self.positions_box.setVisible(positions)
        self.cost_plan_box.setVisible(not positions)
        self.version_form.setRowVisible(self.rule_combo, positions)  # rates only matter for positions
        self.update_sums()

    def _rules_changed(self) -> None:
        for row in self.position_rows:
            row._take_rate()
        self.update_sums()

    def update_sums(self) -> None:
        """Computed amount beside the decided one, per position and in total; differences flagged."""
        if self.mode == "edit":
            return
        decided_total = self.amount_field.value_or_none()
        decided_sum = computed_sum = 0
        complete = True
        notes = []
        for number, row in enumerate(self.position_rows):
            row.follow()
            computed, decided = row.computed(), row.decided.value_or_none()
            warnings = row.warnings()
            for widget in (row.person, row.vza, row.first_day):
                widget.setStyleSheet(f"background: {WARN_BACKGROUND};" if warnings else "")
                widget.setToolTip(" ".join(warnings))
            notes.extend(f"Stelle {number + 1} ({row.person.currentText()}): {w}" for w in warnings)
            computed_item, difference_item = self.positions_table.item(number, 7), self.positions_table.item(number, 8)
            computed_item.setText("" if computed is None else format_cents(computed))
            flagged = computed is not None and decided is not None and computed != decided
            difference_item.setText(format_cents(decided - computed) + " ⚑" if flagged else "")
            for item in (computed_item, difference_item):
                item.setForeground(QBrush(FLAG if flagged else self.palette().text().color()))
                item.setBackground(QBrush(FLAG_BACKGROUND) if flagged else QBrush())
            row.decided.setToolTip("Weicht vom berechneten Festbetrag ab – es gilt der Betrag des Bescheids."
                                   if flagged else "")
            if computed is None or decided is None:
                complete = False
            else:
                decided_sum += decided
                computed_sum += computed
        if self.position_rows:
            parts = [f"Summe der Stellen laut Bescheid: <b>{format_cents(decided_sum)}</b>",
                     f"berechnet: {format_cents(computed_sum)}"]
            if decided_total is not None:
                parts.append(f"bewilligt: <b>{format_cents(decided_total)}</b>")
            flagged = complete and (decided_sum != computed_sum or (decided_total is not None
                                                                     and decided_total != decided_sum))
            text = " · ".join(parts)
            if flagged:
                text += (" <span style='color:#b3261e'>⚑ Abweichung – es gilt der Betrag des Bescheids, "
                         "nichts wird neu berechnet.</span>")
            if notes:
                text += "".join(f"<br><span style='color:#8a4b00'>⚠ {_html(note)}</span>" for note in notes)
            self.positions_sum_label.setText(text)
        else:
            self.positions_sum_label.setText("Noch keine Stellen erfasst.")
        planned = [amount.value_or_none() for _, amount in self.cost_rows]
        total = sum(p for p in planned if p is not None)
        text = f"Summe Kostenplan: <b>{format_cents(total)}</b>"
        if decided_total is not None:
            text += f" · bewilligt: <b>{format_cents(decided_total)}</b>"
            if self.cost_rows and total != decided_total:
                text += " <span style='color:#b3261e'>⚑ Abweichung</span>"
        self.cost_sum_label.setText(text)

    # --- saving --------------------------------------------------------------------------------
    def _read_decision(self) -> e.Decision:
        return e.Decision(self.decision.id if self.decision else None, self._area(), self.grantor_edit.text(),
                          self.file_number_edit.text(), notes=self.notes_edit.text(),
                          deleted_at=self.decision.deleted_at if self.decision else None)

    def _read_version(self) -> e.DecisionVersion:
        return e.DecisionVersion(
            None, self.decision.id if self.decision else 0, 0, e.VersionKind.ORIGINAL, self.decided_on_field.value(),
            self.first_field.value(), self.last_field.value(), self.amount_field.value(),
            self.rule_combo.currentData() if self._area() == e.FundingArea.INTEGRATION_MANAGEMENT else None,
            note=self.version_note_edit.text())

    def _read_content(self) -> tuple[list[e.Position], list[e.CostPlanItem]]:
        if self._area() == e.FundingArea.INTEGRATION_MANAGEMENT:
            return [row.position() for row in self.position_rows], []
        return [], [e.CostPlanItem(None, 0, combo.currentData(), amount.value()) for combo, amount in self.cost_rows]

    def position_checks(self):
        """The computed-vs-decided checks of the positions as entered (for tests and the summary)."""
        return check_positions([row.position() for row in self.position_rows])

    def save(self) -> None:
        if not self.save_button.isEnabled():
            return
        self.save_button.setEnabled(False)
        try:
            self._save()
        finally:
            self.save_button.setEnabled(True)

    def _save(self) -> None:
        ws = self.ctx.workspace
        self.messages.clear()
        wrong = [w for w in self.messages.check_all() if not getattr(w, "isReadOnly", lambda: False)()]
        if wrong:
            focus_field(wrong[0])
            self.scroll.ensureWidgetVisible(wrong[0])
            return
        try:
            decision = self._read_decision()
            if self.mode == "edit":
                action = lambda: ws.update_decision(decision)  # noqa: E731
            else:
                version = self._read_version()
                positions, cost_plan = self._read_content()
                if self.mode == "new":
                    action = lambda: ws.create_decision(decision, version, positions=positions,  # noqa: E731
                                                        cost_plan=cost_plan)
                else:
                    action = lambda: ws.amend_decision(self.decision.id, dataclasses.replace(  # noqa: E731
                        version, kind=e.VersionKind.AMENDMENT), positions=positions, cost_plan=cost_plan)
        except ValidationError as err:
            self.refuse(err)
            return
        try:
            change = action()
        except PaktDeskError as err:
            self.refuse(err)
            return
        if change.warnings:
            messages.info(self, "Hinweis", "\n\n".join(change.warnings))
        self.ctx.status_message.emit(f"{change.action}.")
        self.change = change
        self.accept()

    def open_amendment(self) -> None:
        dialog = DecisionDialog(self.ctx, decision_id=self.decision.id, mode="amend", parent=self)
        if dialog.exec():
            self.change = dialog.change
            self.accept()
