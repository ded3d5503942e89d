"""Einstellungen: the owner's profile (Stammdaten) and the funding rule sets with their rates."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
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
from ..profile_form import ProfileForm

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class ProfilePage(QScrollArea):
    """Edit the Stammdaten; nothing is saved while a field is wrong."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget(self)
        body.setMaximumWidth(760)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(20, 16, 20, 16)
        intro = QLabel("Angaben zur Körperschaft, der dieser Datenbestand gehört. Sie erscheinen auf "
                       "Verwendungsnachweis, Mittelabruf und Austauschdateien.", body)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.form = ProfileForm(body)
        layout.addWidget(self.form)

        self.save_button = QPushButton("Speichern", body)
        self.save_button.setDefault(True)
        self.save_button.setShortcut("Ctrl+S")
        self.save_button.setToolTip("Stammdaten speichern (Strg+S)")
        self.reset_button = QPushButton("Verwerfen", body)
        self.reset_button.setToolTip("Eingaben verwerfen und die gespeicherten Stammdaten zeigen")
        self.saved_label = QLabel(body)
        buttons = QHBoxLayout()
        buttons.addWidget(self.saved_label, 1)
        buttons.addWidget(self.reset_button)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)
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


RULE_COLUMNS = ("Regelwerk", "Gültig ab", "Gültig bis", "Satz a", "Satz b", "Satz c", "Mindest-VZÄ",
                "Höchstdauer", "Verlängerung", "Frist VN", "Nachqualifizierung")


class RuleSetsPage(QWidget):
    """The rule sets with their rates per VZÄ and year (read-only for now)."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        intro = QLabel("Fördersätze je Vollzeitäquivalent (VZÄ) und Jahr nach Qualifikationskategorie, "
                       "dazu Mindest-Stellenanteil, Höchstdauer je Stelle, Verlängerung bei Unterbrechung, "
                       "Frist für den Verwendungsnachweis und Frist der Nachqualifizierung. "
                       "Die Regelwerke werden hier angezeigt; Änderungen sind in dieser Version noch nicht möglich.",
                       self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTableWidget(0, len(RULE_COLUMNS), self)
        self.table.setHorizontalHeaderLabels(RULE_COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(3, len(RULE_COLUMNS)):
            self.table.horizontalHeaderItem(column).setTextAlignment(_RIGHT)
        layout.addWidget(self.table, 1)
        ctx.changed.connect(lambda _change: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        rule_sets = self.ctx.workspace.rule_sets()
        self.table.setRowCount(len(rule_sets))
        for row, rules in enumerate(rule_sets):
            rates = [format_cents(rules.rates[c]) if c in rules.rates else "–" for c in ("a", "b", "c")]
            cells = [rules.name, format_date(rules.valid_from),
                     format_date(rules.valid_to) if rules.valid_to else "offen", *rates,
                     format_vza(rules.min_vza_milli), f"{rules.max_months} Monate",
                     f"{rules.max_extension_months} Monate", f"{rules.proof_deadline_months} Monate",
                     f"{rules.requal_months} Monate"]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column >= 3:
                    item.setTextAlignment(_RIGHT)
                self.table.setItem(row, column, item)
