"""Zuwendungsgeber: the grantors' postal addresses printed on the proof of use, Zwischennachweis
and Mittelabruf. A decision whose grantor text starts with a record's name uses that record."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..core.entities import Grantor
from . import messages
from .context import UiContext

FIELDS = (("name", "&Name *", "z. B. Regierungspräsidium Stuttgart oder Landratsamt Heilbronn"),
          ("department", "Re&ferat / Dienststelle", "z. B. Referat 15.2, Dienststelle Wertheim"),
          ("street", "Stra&ße", "Straße und Hausnummer"),
          ("postcode", "P&LZ", "5 Ziffern"),
          ("city", "&Ort", "Ort"),
          ("email", "E-&Mail", "Postfach für Nachweise"))


class GrantorEditor(QGroupBox):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None):
        super().__init__("Zuwendungsgeber (Anschrift auf den Formularen)", parent)
        self.ctx = ctx
        self.list = QListWidget(self)
        self.list.setMaximumHeight(self.fontMetrics().lineSpacing() * 5 + 12)
        self.list.currentRowChanged.connect(self._chosen)
        self.edits: dict[str, QLineEdit] = {}
        form = QFormLayout()
        for field, label, placeholder in FIELDS:
            edit = QLineEdit(self)
            edit.setPlaceholderText(placeholder)
            edit.setObjectName(f"grantor_{field}")
            self.edits[field] = edit
            form.addRow(label, edit)
        self.edits["postcode"].setMaxLength(5)
        note = QLabel("Ein Bescheid, dessen Zuwendungsgeber mit diesem Namen beginnt, druckt diese Anschrift "
                      "(ab 2025 ist für Gemeinden der Kreis Zuwendungsgeber).", self)
        note.setWordWrap(True)
        self.new_button = QPushButton("N&euer Zuwendungsgeber", self)
        self.save_button = QPushButton("Zuwendungsgeber spe&ichern", self)
        self.delete_button = QPushButton("Lösc&hen", self)
        self.new_button.clicked.connect(self.new)
        self.save_button.clicked.connect(self.save)
        self.delete_button.clicked.connect(self.delete)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addLayout(buttons)
        self._grantors: list[Grantor] = []
        self._editing: int | None = None
        if ctx.workspace.read_only:
            for widget in (self.new_button, self.save_button, self.delete_button):
                widget.setEnabled(False)
        self.load()

    def load(self, select: int | None = None) -> None:
        self._grantors = self.ctx.workspace.grantors()
        self.list.blockSignals(True)
        self.list.clear()
        for grantor in self._grantors:
            self.list.addItem(QListWidgetItem(", ".join(grantor.address_lines())))
        self.list.blockSignals(False)
        ids = [g.id for g in self._grantors]
        row = ids.index(select) if select in ids else (0 if ids else -1)
        self.list.setCurrentRow(row)
        self._chosen(row)

    def _chosen(self, row: int) -> None:
        grantor = self._grantors[row] if 0 <= row < len(self._grantors) else None
        self._editing = grantor.id if grantor else None
        for field, edit in self.edits.items():
            edit.setText(getattr(grantor, field) if grantor else "")
        self.delete_button.setEnabled(grantor is not None and not self.ctx.workspace.read_only)

    def new(self) -> None:
        self.list.clearSelection()
        self._chosen(-1)
        self.edits["name"].setFocus()

    def grantor(self) -> Grantor:
        return Grantor(self._editing, **{field: edit.text() for field, edit in self.edits.items()})

    def save(self) -> bool:
        change = self.ctx.perform(lambda: self.ctx.workspace.save_grantor(self.grantor()), parent=self)
        if change is None:
            return False
        self.load(select=change.ids[0])
        return True

    def delete(self) -> None:
        if self._editing is None:
            return
        name = self.edits["name"].text()
        if not messages.confirm(self, "Zuwendungsgeber löschen", f"„{name}“ löschen? Bescheide behalten ihren "
                                "Text; gedruckt wird dann nur dieser Name ohne Anschrift."):
            return
        grantor_id = self._editing
        if self.ctx.perform(lambda: self.ctx.workspace.delete_grantor(grantor_id), parent=self) is not None:
            self.load()
