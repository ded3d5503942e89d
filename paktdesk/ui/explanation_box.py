"""The clerk's "Abweichungen vom Finanzierungsplan / Erläuterungen" of one decision: a short text
printed on the decision's numeric proof, edited beside the Sachbericht and saved on its own."""

from __future__ import annotations

from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from .context import UiContext

TITLE = "Abweichungen vom Finanzierungsplan / Erläuterungen"


class ExplanationBox(QGroupBox):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None):
        super().__init__(TITLE, parent)
        self.ctx = ctx
        self.decision_id: int | None = None
        self._stored = ""
        self.editor = QPlainTextEdit(self)
        self.editor.setObjectName("explanationEditor")
        self.editor.setPlaceholderText("z. B. Sachausgaben unter Plan, weil die Stelle drei Monate unbesetzt war. "
                                       "Erscheint im zahlenmäßigen Nachweis des Bescheids.")
        self.editor.setTabChangesFocus(True)
        self.editor.setMaximumHeight(self.fontMetrics().lineSpacing() * 5 + 12)
        self.editor.textChanged.connect(self._show_state)
        self.state_label = QLabel(self)
        self.save_button = QPushButton("Erläuterung spei&chern", self)
        self.save_button.clicked.connect(self.save)
        row = QHBoxLayout()
        row.addWidget(self.state_label, 1)
        row.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.editor)
        layout.addLayout(row)
        self.load(None)

    def is_dirty(self) -> bool:
        return self.decision_id is not None and self.editor.toPlainText().strip() != self._stored

    def load(self, decision_id: int | None) -> None:
        self.decision_id = decision_id
        self._stored = self.ctx.workspace.decision_explanation(decision_id) if decision_id is not None else ""
        self.editor.blockSignals(True)
        self.editor.setPlainText(self._stored)
        self.editor.blockSignals(False)
        self.setEnabled(decision_id is not None)
        self._show_state()

    def save(self) -> bool:
        if self.decision_id is None:
            return False
        decision_id, text = self.decision_id, self.editor.toPlainText()
        change = self.ctx.perform(lambda: self.ctx.workspace.save_decision_explanation(decision_id, text),
                                  parent=self)
        if change is None:
            return False
        self._stored = self.ctx.workspace.decision_explanation(decision_id)
        self._show_state()
        return True

    def _show_state(self) -> None:
        self.save_button.setEnabled(self.is_dirty())
        self.state_label.setText("nicht gespeichert" if self.is_dirty() else "")
