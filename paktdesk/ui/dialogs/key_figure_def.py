"""A key figure of the list: add one (with its code) or rename / regroup / reorder it."""

from __future__ import annotations

import re

from PySide6.QtWidgets import QComboBox, QSpinBox, QWidget

from ...core.entities import KeyFigureDef
from ..context import UiContext
from .form import FormDialog

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def suggest_code(label: str) -> str:
    """A code from a label: „Sprachkurse vermittelt“ → ``sprachkurse_vermittelt``."""
    text = label.lower().translate(_UMLAUTS)
    text = re.sub(r"[^a-z0-9]+", "_", text).strip("_")
    if text and not text[0].isalpha():
        text = f"k_{text}"
    return text[:40].rstrip("_")


class KeyFigureDefDialog(FormDialog):
    def __init__(self, ctx: UiContext, item: KeyFigureDef | None, *, groups: list[str], sort_order: int = 0,
                 parent: QWidget | None = None):
        new = item is None
        super().__init__(ctx, "Neue Kennzahl" if new else "Kennzahl bearbeiten", parent,
                         intro="Die Bezeichnung erscheint in der Eingabe, im Export und in der Auswertung."
                         if new else "Das Kürzel bleibt; Bezeichnung, Gruppe und Reihenfolge können sich ändern.")
        self.item = item
        self.label_edit = self.text_field("label", "Bezeichnung", text=item.label if item else "",
                                          placeholder="z. B. Vermittlungen in Sprachkurse")
        self.code_edit = self.text_field("code", "Kürzel", text=item.code if item else "",
                                         placeholder="z. B. sprachkurs_vermittelt")
        self.code_edit.setReadOnly(not new)
        self.code_edit.setToolTip("Kleinbuchstaben, Ziffern und _; fester Schlüssel in Austauschdateien")
        self.group_combo = QComboBox(self)
        self.group_combo.setEditable(True)
        self.group_combo.addItems(groups)
        self.group_combo.setCurrentText(item.group if item else (groups[-1] if groups else ""))
        self.add_row("Gruppe", self.group_combo, name="group")
        self.order_spin = QSpinBox(self)
        self.order_spin.setRange(0, 99_999)
        self.order_spin.setValue(item.sort_order if item else sort_order)
        self.order_spin.setToolTip("Kleinere Zahlen stehen weiter oben")
        self.add_row("Reihenfolge", self.order_spin, name="sort_order")
        self._code_typed = not new
        if new:
            self.label_edit.textEdited.connect(self._suggest)
            self.code_edit.textEdited.connect(self._typed)
        self.setMinimumWidth(460)

    def _suggest(self, text: str) -> None:
        if not self._code_typed:
            self.code_edit.setText(suggest_code(text))

    def _typed(self, _text: str) -> None:
        self._code_typed = True

    def submit(self):
        active = self.item.active if self.item is not None else True
        definition = KeyFigureDef(self.code_edit.text().strip(), self.label_edit.text().strip(),
                                  self.group_combo.currentText().strip(), self.order_spin.value(), active)
        return self.ctx.workspace.save_key_figure_def(definition)
