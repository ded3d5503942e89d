"""Übersicht: whose data this is, where each decision's money stands, and what the file holds.

Further panels (the deadline board, charts) are added through ``OVERVIEW_PANELS`` in
:mod:`paktdesk.ui.sections`; they appear above the money table."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.entities import FundingArea
from ...core.money import format_cents
from ...core.periods import format_date
from ..context import UiContext
from ..formatting import format_count
from ..scroll_page import scrolling_body
from ..sections import OVERVIEW_PANELS

MONEY_COLUMNS = (("decided", "Bewilligt"), ("received", "Erhalten"), ("spent", "Ausgegeben"),
                 ("passed_on", "Weitergeleitet"))
COUNTS = (("persons", "Integrationsmanager:innen"), ("providers", "Träger"), ("decisions", "Bescheide"),
          ("decision_versions", "Bescheidfassungen"), ("payments", "Zahlungen"), ("receipts", "Belege"),
          ("pass_throughs", "Weiterleitungen"), ("attachments", "Anlagen"), ("audit_log", "Protokolleinträge"))

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class OverviewPage(QScrollArea):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        body, layout = scrolling_body(self, spacing=14)

        self.title_label = QLabel(body)
        self.title_label.setObjectName("overviewTitle")
        self.title_label.setStyleSheet("#overviewTitle { font-size: 17pt; font-weight: bold; }")
        self.subtitle_label = QLabel(body)
        self.subtitle_label.setWordWrap(True)
        layout.addWidget(self.title_label)
        layout.addWidget(self.subtitle_label)

        self.panels: list[QWidget] = []
        for tab in OVERVIEW_PANELS:
            panel = tab.build(ctx, body)
            self.panels.append(panel)
            layout.addWidget(panel)

        money_box = QGroupBox("Bescheide: bewilligt, erhalten, ausgegeben, weitergeleitet", body)
        money_layout = QVBoxLayout(money_box)
        self.decisions_table = QTableWidget(0, 3 + len(MONEY_COLUMNS), money_box)
        self.decisions_table.setHorizontalHeaderLabels(
            ["Aktenzeichen", "Förderbereich", "Zeitraum", *(label for _, label in MONEY_COLUMNS)])
        self.decisions_table.verticalHeader().setVisible(False)
        self.decisions_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.decisions_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.decisions_table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.decisions_table.setAlternatingRowColors(True)
        self.decisions_table.setShowGrid(False)
        self.decisions_table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.decisions_table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.decisions_table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 12)
        header = self.decisions_table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column in range(3, 3 + len(MONEY_COLUMNS)):
            self.decisions_table.horizontalHeaderItem(column).setTextAlignment(_RIGHT)
        self.no_decisions_label = QLabel("Noch keine Zuwendungsbescheide erfasst. Bescheide werden unter "
                                         "„Förderung → Bescheide“ geführt.", money_box)
        self.no_decisions_label.setWordWrap(True)
        money_layout.addWidget(self.decisions_table)
        money_layout.addWidget(self.no_decisions_label)
        layout.addWidget(money_box)

        counts_box = QGroupBox("Datenbestand", body)
        grid = QGridLayout(counts_box)
        grid.setHorizontalSpacing(24)
        self.count_labels: dict[str, QLabel] = {}
        for number, (key, label) in enumerate(COUNTS):
            value = QLabel(counts_box)
            value.setAlignment(_RIGHT)
            value.setStyleSheet("font-weight: bold;")
            row, column = divmod(number, 3)
            grid.addWidget(value, row, column * 2)
            grid.addWidget(QLabel(label, counts_box), row, column * 2 + 1)
            self.count_labels[key] = value
        grid.setColumnStretch(5, 1)
        self.file_label = QLabel(counts_box)
        self.file_label.setWordWrap(True)
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        grid.addWidget(self.file_label, grid.rowCount(), 0, 1, 6)
        layout.addWidget(counts_box)
        layout.addStretch(1)

        self.setWidget(body)
        ctx.changed.connect(lambda _change: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        workspace = self.ctx.workspace
        profile = workspace.profile()
        if profile is None:
            self.title_label.setText("Stammdaten fehlen")
            self.subtitle_label.setText("Bitte unter „Einstellungen → Stammdaten“ Name, Art und "
                                        "Gemeindeschlüssel der Körperschaft eintragen.")
        else:
            self.title_label.setText(profile.name)
            route = profile.funding_route.label
            if profile.kreis_name:
                route += f" ({profile.kreis_name})"
            place = f"{profile.postcode} {profile.city}".strip()
            parts = [str(profile.kind), f"AGS {profile.ags}", place, f"Förderung {route}"]
            self.subtitle_label.setText(" · ".join(part for part in parts if part))
        self._fill_decisions(workspace)
        counts = self.ctx.counts()
        for key, label in self.count_labels.items():
            label.setText(format_count(counts.get(key, 0)))
        self.file_label.setText(f"Datei: {workspace.path}  ·  Schema-Version {workspace.schema_version()}")

    def _fill_decisions(self, workspace) -> None:
        decisions = workspace.decisions()
        summaries = workspace.money_summaries()
        table = self.decisions_table
        table.setRowCount(len(decisions))
        for row, decision in enumerate(decisions):
            summary = summaries[decision.id]
            version = summary["version"]
            cells = [decision.file_number, FundingArea(decision.funding_area).label,
                     f"{format_date(version.first_day)} – {format_date(version.last_day)}"]
            cells += [format_cents(summary[key]) for key, _ in MONEY_COLUMNS]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column >= 3:
                    item.setTextAlignment(_RIGHT)
                table.setItem(row, column, item)
        table.setVisible(bool(decisions))
        self.no_decisions_label.setVisible(not decisions)
        height = table.horizontalHeader().sizeHint().height() + table.verticalHeader().length()
        table.setFixedHeight(height + 2 * table.frameWidth() + 2)
