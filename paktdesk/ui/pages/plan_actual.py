"""Soll-Ist: plan vs. actual of one decision – totals, per person, per year, per cost category,
per provider, the positions with decided beside computed amounts – and the two charts. Everything
shown comes from ``Workspace.balance`` (the same figures as the printed proof and the CLI)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...core.balances import BalanceLine, DecisionBalance, sum_lines
from ...core.money import format_cents
from ...core.periods import format_date
from ...core.validation import format_vza
from ..context import UiContext
from ..scroll_page import scrolling_body
from .money_charts import MoneyLineChart, PersonBarsChart

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
FLAG = QColor("#b3261e")
CLAIM = QColor("#2e7d32")
LINE_HEADERS = ["", "Soll", "Erhalten", "Belege", "Weitergeleitet", "Von Trägern zurück", "Ist-Kosten",
                "Drittmittel", "Eigenanteil", "Saldo", ""]


def money_text(value: int | None) -> str:
    return "" if value is None else format_cents(value)


class _Table(QTableWidget):
    def __init__(self, headers: list[str], parent: QWidget | None = None):
        super().__init__(0, len(headers), parent)
        self.setHorizontalHeaderLabels(headers)
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(True)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)

    def set_rows(self, rows: list[list[str]], *, right: set[int], bold_last: bool = False,
                 colors: dict[tuple[int, int], QColor] | None = None) -> None:
        self.setRowCount(len(rows))
        bold = QFont(self.font())
        bold.setBold(True)
        for number, values in enumerate(rows):
            for column, text in enumerate(values):
                item = QTableWidgetItem(text)
                if column in right:
                    item.setTextAlignment(_RIGHT)
                if bold_last and number == len(rows) - 1:
                    item.setFont(bold)
                color = (colors or {}).get((number, column))
                if color is not None:
                    item.setForeground(QBrush(color))
                self.setItem(number, column, item)


def line_rows(lines: tuple[BalanceLine, ...]) -> tuple[list[list[str]], dict]:
    rows, colors = [], {}
    for number, line in enumerate(lines):
        rows.append([line.label, money_text(line.planned), money_text(line.received), format_cents(line.spent),
                     format_cents(line.passed_on), format_cents(line.provider_refund), format_cents(line.actual),
                     format_cents(line.third_party), money_text(line.own_share), money_text(line.balance),
                     line.balance_label])
        if line.balance:
            colors[(number, 9)] = colors[(number, 10)] = CLAIM if line.balance > 0 else FLAG
    total = sum_lines(lines)
    rows.append(["Summe", money_text(total.planned), money_text(total.received), format_cents(total.spent),
                 format_cents(total.passed_on), format_cents(total.provider_refund), format_cents(total.actual),
                 format_cents(total.third_party), "", "", ""])
    return rows, colors


class PlanActualPage(QScrollArea):
    """Plan vs. actual per decision, with the breakdowns as tabs and the two charts."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.balance: DecisionBalance | None = None
        body, layout = scrolling_body(self, margins=(16, 12, 16, 12))

        top = QHBoxLayout()
        top.addWidget(QLabel("Bescheid:", body))
        self.decision_combo = QComboBox(body)
        self.decision_combo.setMinimumWidth(420)
        top.addWidget(self.decision_combo)
        top.addStretch(1)
        self.period_label = QLabel(body)
        top.addWidget(self.period_label)
        layout.addLayout(top)

        summary_box = QGroupBox("Übersicht", body)
        grid = QGridLayout(summary_box)
        self.figure_labels: dict[str, QLabel] = {}
        figures = [("decided", "Bewilligt (laut Bescheid)"), ("computed", "Berechnet aus Stellen/Kostenplan"),
                   ("received", "Erhalten"), ("requested_open", "Abgerufen, noch nicht erhalten"),
                   ("open", "Noch nicht ausgezahlt"), ("spent", "Ausgegeben (eigene Belege)"),
                   ("passed_on", "Weitergeleitet an Träger"), ("provider_refund", "Von Trägern zurückzufordern"),
                   ("actual", "Ist-Kosten"), ("third_party", "Drittmittel (erhalten / geplant)"),
                   ("own_share", "Eigenanteil (Ist − Festbetrag − Drittmittel)"), ("balance", "Saldo")]
        for number, (key, text) in enumerate(figures):
            row, column = number % 6, (number // 6) * 2
            grid.addWidget(QLabel(text + ":", summary_box), row, column)
            value = QLabel(summary_box)
            value.setAlignment(_RIGHT)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setMinimumWidth(150)
            grid.addWidget(value, row, column + 1)
            self.figure_labels[key] = value
        grid.setColumnMinimumWidth(2, 40)
        layout.addWidget(summary_box)

        charts = QHBoxLayout()
        self.line_chart = MoneyLineChart(body)
        self.bars_chart = PersonBarsChart(body)
        charts.addWidget(self.line_chart, 3)
        charts.addWidget(self.bars_chart, 2)
        layout.addLayout(charts)

        self.tabs = QTabWidget(body)
        self.person_table = _Table(["Person", *LINE_HEADERS[1:]], self.tabs)
        self.year_table = _Table(["Jahr", *LINE_HEADERS[1:]], self.tabs)
        self.category_table = _Table(["Kostenart", *LINE_HEADERS[1:]], self.tabs)
        self.provider_table = _Table(["Träger", "Vereinbart", "Ausgezahlt", "Offen", "Nachgewiesen",
                                      "Zurückzufordern"], self.tabs)
        self.position_table = _Table(["Person", "VZÄ", "Kat.", "Beginn", "Monate", "Satz/Jahr", "Laut Bescheid",
                                      "Berechnet", "Differenz"], self.tabs)
        for table, name in ((self.person_table, "Soll-Ist je Person"), (self.year_table, "Soll-Ist je Jahr"),
                            (self.category_table, "Soll-Ist je Kostenart"), (self.provider_table, "Weiterleitungen"),
                            (self.position_table, "Stellen")):
            table.setAccessibleName(name)
        self.tabs.addTab(self.person_table, "Je Person")
        self.tabs.addTab(self.year_table, "Je Jahr")
        self.tabs.addTab(self.category_table, "Je Kostenart")
        self.tabs.addTab(self.provider_table, "Weiterleitungen")
        self.tabs.addTab(self.position_table, "Stellen")
        self.tabs.setMinimumHeight(260)
        layout.addWidget(self.tabs, 1)
        self.note_label = QLabel(
            "Saldo = min(Soll, Ist-Kosten − Drittmittel) − Erhalten: positiv Nachforderung, negativ "
            "Rückforderung. Beim Festbetrag wird die Zuwendung nur gekürzt, wenn die nicht durch Drittmittel "
            "gedeckten Ist-Kosten darunter bleiben; maßgeblich ist der "
            "Bescheid. Die Saldo-Spalte der Teilzeilen dient der Orientierung und ergibt in Summe nicht den Saldo "
            "des Bescheids.", body)
        self.note_label.setWordWrap(True)
        self.note_label.setObjectName("planNote")
        self.note_label.setStyleSheet("#planNote { color: palette(placeholder-text); }")
        layout.addWidget(self.note_label)
        self.setWidget(body)

        self.decision_combo.currentIndexChanged.connect(self.show_selected)
        ctx.changed.connect(lambda _change: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        ws = self.ctx.workspace
        current = self.decision_combo.currentData()
        self.decision_combo.blockSignals(True)
        self.decision_combo.clear()
        for decision in ws.decisions():
            self.decision_combo.addItem(f"{decision.file_number} – {decision.funding_area.label}", decision.id)
        index = self.decision_combo.findData(current)
        self.decision_combo.setCurrentIndex(index if index >= 0 else (0 if self.decision_combo.count() else -1))
        self.decision_combo.blockSignals(False)
        self.show_selected()

    def select_decision(self, decision_id: int) -> None:
        index = self.decision_combo.findData(decision_id)
        if index >= 0:
            self.decision_combo.setCurrentIndex(index)

    def show_selected(self) -> None:
        decision_id = self.decision_combo.currentData()
        if decision_id is None:
            self.balance = None
            self.period_label.setText("Noch keine Bescheide erfasst.")
            for label in self.figure_labels.values():
                label.setText("")
            self.line_chart.set_series(None)
            self.bars_chart.set_bars(())
            for table in (self.person_table, self.year_table, self.category_table, self.provider_table,
                          self.position_table):
                table.setRowCount(0)
            return
        ws = self.ctx.workspace
        b = self.balance = ws.balance(decision_id)
        self.period_label.setText(f"Fassung {b.version_no} vom {format_date(b.decided_on)} · "
                                  f"Bewilligungszeitraum {b.period_label}")
        t = b.total
        values = {"decided": format_cents(b.decided), "computed": money_text(b.computed),
                  "received": format_cents(b.received), "requested_open": format_cents(b.requested_open),
                  "open": format_cents(b.open_remainder), "spent": format_cents(t.spent),
                  "passed_on": format_cents(t.passed_on), "provider_refund": format_cents(t.provider_refund),
                  "actual": format_cents(t.actual), "own_share": format_cents(t.own_share),
                  "third_party": f"{format_cents(t.third_party)} / {format_cents(b.third_party_planned)}",
                  "balance": f"{t.balance_label}: {format_cents(abs(t.balance))}" if t.balance else "ausgeglichen"}
        for key, text in values.items():
            self.figure_labels[key].setText(text)
        flag = b.computed_difference
        self.figure_labels["computed"].setText(money_text(b.computed) + (f"  ⚑ {format_cents(flag)}" if flag else ""))
        self.figure_labels["computed"].setStyleSheet("color: #b3261e;" if flag else "")
        self.figure_labels["balance"].setStyleSheet(
            f"font-weight: bold; color: {'#2e7d32' if t.balance > 0 else '#b3261e' if t.balance < 0 else 'palette(text)'};")
        self.line_chart.set_series(ws.money_series(decision_id), title=f"{b.file_number}: Geld im Zeitverlauf")
        self.bars_chart.set_bars(ws.person_bars(decision_id), title="Ausgaben je Person gegenüber dem Festbetrag")
        for table, lines in ((self.person_table, b.by_person), (self.year_table, b.by_year),
                             (self.category_table, b.by_category)):
            rows, colors = line_rows(lines)
            table.set_rows(rows, right=set(range(1, 10)), bold_last=True, colors=colors)
        self.provider_table.set_rows(
            [[p.label, format_cents(p.agreed), format_cents(p.passed_on), format_cents(p.open), money_text(p.proven),
              format_cents(p.provider_refund)] for p in b.by_provider], right={1, 2, 3, 4, 5})
        position_colors = {(n, 8): FLAG for n, p in enumerate(b.positions) if p.flagged}
        self.position_table.set_rows(
            [[p.person_label, format_vza(p.vza_milli), p.category, format_date(p.first_day), str(p.months),
              format_cents(p.rate_cents), format_cents(p.decided_cents), format_cents(p.computed_cents),
              (format_cents(p.difference) + " ⚑") if p.flagged else ""] for p in b.positions],
            right={1, 4, 5, 6, 7, 8}, colors=position_colors)


class MoneyOverviewPanel(QGroupBox):
    """For the Übersicht: one decision's money over time and per person, with a decision chooser."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None):
        super().__init__("Geld im Blick", parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(QLabel("Bescheid:", self))
        self.decision_combo = QComboBox(self)
        row.addWidget(self.decision_combo)
        row.addStretch(1)
        layout.addLayout(row)
        charts = QHBoxLayout()
        self.line_chart = MoneyLineChart(self)
        self.bars_chart = PersonBarsChart(self)
        charts.addWidget(self.line_chart, 3)
        charts.addWidget(self.bars_chart, 2)
        layout.addLayout(charts)
        self.setMinimumHeight(340)
        self.decision_combo.currentIndexChanged.connect(self.show_selected)
        ctx.changed.connect(lambda _change: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        current = self.decision_combo.currentData()
        self.decision_combo.blockSignals(True)
        self.decision_combo.clear()
        decisions = self.ctx.workspace.decisions()
        for decision in decisions:
            self.decision_combo.addItem(decision.file_number, decision.id)
        index = self.decision_combo.findData(current)
        self.decision_combo.setCurrentIndex(index if index >= 0 else self.decision_combo.count() - 1)
        self.decision_combo.blockSignals(False)
        self.setVisible(bool(decisions))
        self.show_selected()

    def show_selected(self) -> None:
        decision_id = self.decision_combo.currentData()
        if decision_id is None:
            self.line_chart.set_series(None)
            self.bars_chart.set_bars(())
            return
        ws = self.ctx.workspace
        self.line_chart.set_series(ws.money_series(decision_id), title="Bewilligt, erhalten, ausgegeben")
        self.bars_chart.set_bars(ws.person_bars(decision_id), title="Je Person gegenüber dem Festbetrag")
