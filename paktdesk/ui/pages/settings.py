"""Einstellungen: the owner's profile (Stammdaten) and the funding rule sets with their rates."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.errors import PaktDeskError, ValidationError
from ...core.money import format_cents
from ...core.periods import format_date
from ...core.validation import format_vza
from .. import messages
from ..context import UiContext
from ..grantor_editor import GrantorEditor
from ..page_keys import page_shortcut
from ..profile_form import ProfileForm
from ..scroll_page import scrolling_body


class ProfilePage(QScrollArea):
    """Edit the Stammdaten; nothing is saved while a field is wrong."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        body, layout = scrolling_body(self, max_width=760)
        intro = QLabel("Angaben zur Körperschaft, der dieser Datenbestand gehört. Sie erscheinen auf "
                       "Verwendungsnachweis, Mittelabruf und Austauschdateien.", body)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.form = ProfileForm(body)
        layout.addWidget(self.form)

        self.save_button = QPushButton("Speichern", body)
        self.save_button.setDefault(True)
        page_shortcut(self, "Ctrl+S", self.save_button.click)
        self.save_button.setToolTip("Stammdaten speichern (Strg+S)")
        self.reset_button = QPushButton("Verwerfen", body)
        self.reset_button.setToolTip("Eingaben verwerfen und die gespeicherten Stammdaten zeigen")
        self.saved_label = QLabel(body)
        buttons = QHBoxLayout()
        buttons.addWidget(self.saved_label, 1)
        buttons.addWidget(self.reset_button)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)
        self.grantors = GrantorEditor(ctx, body)
        layout.addWidget(self.grantors)
        layout.addStretch(1)
        outer = QWidget(self)
        outer_layout = QHBoxLayout(outer)
        outer_layout.setContentsMargins(0, 0, 0, 0)
        outer_layout.addWidget(body)
        outer_layout.addStretch(1)
        self.setWidget(outer)

        self.save_button.clicked.connect(self.save)
        self.reset_button.clicked.connect(self.load)
        if ctx.workspace.read_only:
            self.form.set_read_only(True)
            self.reset_button.hide()
            self.save_button.setEnabled(False)
            self.saved_label.setText("Die Datei ist schreibgeschützt geöffnet.")
        self.load()

    def load(self) -> None:
        self.form.set_profile(self.ctx.workspace.profile())
        if not self.ctx.workspace.read_only:
            self.saved_label.clear()

    def save(self) -> bool:
        """Save the form; a wrong field keeps the stored data as it was."""
        self.form.clear_errors()
        self.saved_label.clear()
        try:
            change = self.ctx.workspace.save_profile(self.form.profile())
        except ValidationError as err:
            self.form.show_error(err)
            return False
        except PaktDeskError as err:
            messages.warn(self, "Nicht gespeichert", str(err))
            return False
        self.form.set_profile(self.ctx.workspace.profile())
        self.form.show_warnings(change.warnings)
        self.saved_label.setText("Stammdaten gespeichert.")
        return True


RULE_ROWS = ("Gültigkeit", "Fördersatz Kategorie a", "Fördersatz Kategorie b", "Fördersatz Kategorie c",
             "Mindest-Stellenanteil", "Höchstdauer je Stelle", "Verlängerung bei Unterbrechung",
             "Frist Verwendungsnachweis", "Frist Nachqualifizierung", "Stunden Nachqualifizierung",
             "Nachweis der Nachqualifizierung")


class RuleSetsPage(QWidget):
    """The rule sets side by side, one column each, with their rates per VZÄ and year (read-only)."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        intro = QLabel("Fördersätze gelten je Vollzeitäquivalent (VZÄ) und Jahr, nach der Qualifikations"
                       "kategorie der Person. Die Regelwerke werden hier angezeigt; Änderungen sind in "
                       "dieser Version noch nicht möglich.", self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTableWidget(len(RULE_ROWS), 1, self)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 12)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table)
        layout.addStretch(1)
        ctx.changed.connect(lambda _change: self.refresh())
        self.refresh()

    def cell(self, row_label: str, rule_set_index: int) -> str:
        return self.table.item(RULE_ROWS.index(row_label), rule_set_index + 1).text()

    def refresh(self) -> None:
        rule_sets = self.ctx.workspace.rule_sets()
        self.table.setColumnCount(1 + len(rule_sets))
        self.table.setHorizontalHeaderLabels(["Regelwerk", *(_two_lines(r.name) for r in rule_sets)])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        bold = self.font()
        bold.setBold(True)
        for row, label in enumerate(RULE_ROWS):
            item = QTableWidgetItem(label)
            item.setFont(bold)
            self.table.setItem(row, 0, item)
        for column, rules in enumerate(rule_sets, start=1):
            self.table.horizontalHeaderItem(column).setToolTip(rules.name)
            until = format_date(rules.valid_to) if rules.valid_to else "offen"
            rates = [format_cents(rules.rates[c]) if c in rules.rates else "nicht festgelegt"
                     for c in ("a", "b", "c")]
            cells = [f"{format_date(rules.valid_from)} – {until}", *rates,
                     f"{format_vza(rules.min_vza_milli)} VZÄ", f"{rules.max_months} Monate",
                     f"bis zu {rules.max_extension_months} Monate",
                     f"{rules.proof_deadline_months} Monate nach Ende des Förderzeitraums",
                     f"{rules.requal_months} Monate", f"{rules.requal_hours} Stunden" if rules.requal_hours
                     else "nicht festgelegt", rules.requal_evidence or "–"]
            for row, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        height = self.table.horizontalHeader().sizeHint().height() + self.table.verticalHeader().length()
        self.table.setFixedHeight(height + 2 * self.table.frameWidth() + 2)


def _two_lines(name: str) -> str:
    """Long rule set names break before a bracket so the column header stays readable."""
    head, bracket, rest = name.partition(" (")
    return f"{head}\n({rest}" if bracket else name
