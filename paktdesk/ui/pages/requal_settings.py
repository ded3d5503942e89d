"""Einstellungen → Nachqualifizierung & Fristen: the requalification rule and the rates of a rule
set (saving re-evaluates every person and shows what changed) and the lead times of the deadline
board per kind."""

from __future__ import annotations

import dataclasses

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QWidget,
)

from ...core.deadlines import DeadlineKind, LeadTimes
from ...core.errors import PaktDeskError, ValidationError
from ...core.money import format_cents, parse_cents
from .. import messages
from ..context import UiContext
from ..scroll_page import scrolling_body


def _spin(parent: QWidget, maximum: int, suffix: str) -> QSpinBox:
    spin = QSpinBox(parent)
    spin.setRange(0, maximum)
    spin.setSuffix(suffix)
    return spin


class RequalSettingsPage(QScrollArea):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        body, layout = scrolling_body(self, max_width=820)

        rules_box = QGroupBox("Regel der Nachqualifizierung und Fördersätze", body)
        form = QFormLayout(rules_box)
        intro = QLabel("Beim Speichern wird der Stand jeder Person neu berechnet; die Änderungen werden "
                       "angezeigt und im Änderungsprotokoll vermerkt. Bestehende Bescheide behalten ihre "
                       "Beträge.", rules_box)
        intro.setWordWrap(True)
        form.addRow(intro)
        self.rule_combo = QComboBox(rules_box)
        form.addRow("Regelwerk", self.rule_combo)
        self.months_spin = _spin(rules_box, 240, " Monate")
        form.addRow("Abschluss innerhalb von", self.months_spin)
        self.hours_spin = _spin(rules_box, 5000, " Stunden")
        form.addRow("Mindestens", self.hours_spin)
        self.evidence_edit = QLineEdit(rules_box)
        form.addRow("Nachweis", self.evidence_edit)
        cats = QHBoxLayout()
        self.category_checks = {}
        for category in ("a", "b", "c"):
            check = QCheckBox(f"Kategorie {category}", rules_box)
            self.category_checks[category] = check
            cats.addWidget(check)
        cats.addStretch(1)
        form.addRow("Nachqualifizierung nötig für", cats)
        self.extension_spin = _spin(rules_box, 240, " Monate")
        form.addRow("Verlängerung bei Unterbrechung höchstens", self.extension_spin)
        self.proof_spin = _spin(rules_box, 240, " Monate")
        form.addRow("Verwendungsnachweis fällig nach", self.proof_spin)
        self.rate_edits = {}
        for category in ("a", "b", "c"):
            edit = QLineEdit(rules_box)
            edit.setPlaceholderText("leer = kein Satz")
            self.rate_edits[category] = edit
            form.addRow(f"Fördersatz Kategorie {category} je VZÄ und Jahr", edit)
        self.rules_error = QLabel(rules_box)
        self.rules_error.setStyleSheet("color: #b3261e;")
        self.rules_error.setWordWrap(True)
        form.addRow(self.rules_error)
        self.save_rules_button = QPushButton("Regel speichern und neu bewerten", rules_box)
        form.addRow("", self.save_rules_button)
        layout.addWidget(rules_box)

        lead_box = QGroupBox("Vorlaufzeiten der Fristen-Übersicht", body)
        lead_form = QFormLayout(lead_box)
        hint = QLabel("Ab wie vielen Tagen vor dem Termin eine Frist als „bald fällig“ (orange) bzw. "
                      "„demnächst fällig“ (gelb) erscheint.", lead_box)
        hint.setWordWrap(True)
        lead_form.addRow(hint)
        self.lead_spins: dict[str, tuple[QSpinBox, QSpinBox]] = {}
        for key, label in [("", "Standard"), *((k.value, k.label) for k in DeadlineKind)]:
            soon, later = _spin(lead_box, 3650, " Tage"), _spin(lead_box, 3650, " Tage")
            row = QHBoxLayout()
            row.addWidget(QLabel("bald:", lead_box))
            row.addWidget(soon)
            row.addWidget(QLabel("demnächst:", lead_box))
            row.addWidget(later)
            row.addStretch(1)
            lead_form.addRow(label, row)
            self.lead_spins[key] = (soon, later)
        self.lead_error = QLabel(lead_box)
        self.lead_error.setStyleSheet("color: #b3261e;")
        lead_form.addRow(self.lead_error)
        self.save_lead_button = QPushButton("Vorlaufzeiten speichern", lead_box)
        lead_form.addRow("", self.save_lead_button)
        layout.addWidget(lead_box)
        layout.addStretch(1)
        self.setWidget(body)

        self.rule_combo.currentIndexChanged.connect(self.load_rule)
        self.save_rules_button.clicked.connect(self.save_rules)
        self.save_lead_button.clicked.connect(self.save_lead)
        if ctx.workspace.read_only:
            self.save_rules_button.setEnabled(False)
            self.save_lead_button.setEnabled(False)
        self.today = None  # tests fix the day for the re-evaluation
        self.load()

    def load(self) -> None:
        current = self.rule_combo.currentData()
        self.rule_combo.blockSignals(True)
        self.rule_combo.clear()
        for rules in self.ctx.workspace.rule_sets():
            self.rule_combo.addItem(rules.name, rules.id)
        newest = self.rule_combo.count() - 1
        index = self.rule_combo.findData(current)
        self.rule_combo.setCurrentIndex(index if index >= 0 else newest)
        self.rule_combo.blockSignals(False)
        self.load_rule()
        lead = self.ctx.workspace.lead_times()
        for key, (soon, later) in self.lead_spins.items():
            values = (lead.soon, lead.later) if key == "" else lead.for_kind(key)
            soon.setValue(values[0])
            later.setValue(values[1])

    def load_rule(self) -> None:
        rule_id = self.rule_combo.currentData()
        if rule_id is None:
            return
        rules = self.ctx.workspace.rule_set(rule_id)
        self.months_spin.setValue(rules.requal_months)
        self.hours_spin.setValue(rules.requal_hours)
        self.evidence_edit.setText(rules.requal_evidence)
        self.extension_spin.setValue(rules.max_extension_months)
        self.proof_spin.setValue(rules.proof_deadline_months)
        for category, edit in self.rate_edits.items():
            cents = rules.rates.get(category)
            edit.setText(format_cents(cents, symbol=False) if cents is not None else "")
        categories = self.ctx.workspace.requal_categories()
        for category, check in self.category_checks.items():
            check.setChecked(category in categories)
        self.rules_error.clear()

    def _rules_from_form(self):
        rules = self.ctx.workspace.rule_set(self.rule_combo.currentData())
        rates = {}
        for category, edit in self.rate_edits.items():
            text = edit.text().strip()
            if text:
                rates[category] = parse_cents(text)
        return dataclasses.replace(
            rules, requal_months=self.months_spin.value(), requal_hours=self.hours_spin.value(),
            requal_evidence=self.evidence_edit.text().strip(), max_extension_months=self.extension_spin.value(),
            proof_deadline_months=self.proof_spin.value(), rates=rates)

    def save_rules(self):
        """Save and re-evaluate; shows the clerk who changed. Returns the result (or None)."""
        self.rules_error.clear()
        try:
            rules = self._rules_from_form()
            categories = [c for c, check in self.category_checks.items() if check.isChecked()]
            result = self.ctx.workspace.change_rule_set(rules, requal_categories=categories, today=self.today)
        except ValidationError as err:
            self.rules_error.setText(err.message)
            return None
        except PaktDeskError as err:
            messages.warn(self, "Nicht gespeichert", str(err))
            return None
        messages.info(self, "Regel gespeichert – neu bewertet", "\n".join(result.lines()))
        return result

    def save_lead(self) -> bool:
        self.lead_error.clear()
        default = tuple(s.value() for s in self.lead_spins[""])
        kinds = {key: (soon.value(), later.value()) for key, (soon, later) in self.lead_spins.items()
                 if key and (soon.value(), later.value()) != default}
        try:
            self.ctx.workspace.save_lead_times(LeadTimes(default[0], default[1], kinds))
        except ValidationError as err:
            self.lead_error.setText(err.message)
            return False
        self.ctx.status_message.emit("Vorlaufzeiten gespeichert.")
        return True
