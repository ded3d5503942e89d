"""Datensicherung → Prüfkette: the current anchor (the code printed on the forms), what it is
for in plain German, and checking the file against an anchor typed from a printed form."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from ..workspace.anchors import EXPLANATION
from .background import busy_cursor
from .context import UiContext

_OK_STYLE = "color: #1e6b34;"
_BAD_STYLE = "color: #a11d1d;"
_SHOWN = 8


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class AnchorBox(QGroupBox):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None):
        super().__init__("Prüfkette und Prüfanker", parent)
        self.ctx = ctx
        explain = QLabel(EXPLANATION, self)
        explain.setWordWrap(True)
        self.current_label = QLabel(self)
        self.current_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.code_edit = QLineEdit(self)
        self.code_edit.setPlaceholderText("Prüfanker vom Ausdruck, z. B. 412-7K3M-Q2ZD-9XHP-4RWA-F")
        self.code_edit.setAccessibleName("Prüfanker zum Prüfen")
        self.check_button = QPushButton("Anker &prüfen", self)
        self.result_label = QLabel(self)
        self.result_label.setWordWrap(True)
        self.result_label.setTextFormat(Qt.TextFormat.RichText)
        row = QHBoxLayout()
        row.addWidget(self.code_edit, 1)
        row.addWidget(self.check_button)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addWidget(self.current_label)
        layout.addLayout(row)
        layout.addWidget(self.result_label)
        self.code_edit.returnPressed.connect(self.check_anchor)
        self.check_button.clicked.connect(self.check_anchor)
        self.load()

    def load(self) -> None:
        code = self.ctx.workspace.anchor()
        self.current_label.setText(f"Prüfanker des aktuellen Stands: <b>{_html(code)}</b>" if code
                                   else "Diese Datei hat noch keine Prüfkette.")

    def check_anchor(self) -> None:
        from ..db.chain import AnchorCodeError

        text = self.code_edit.text()
        if not text.strip():
            self._show(False, "Bitte den Prüfanker vom Ausdruck eingeben.")
            return
        try:
            with busy_cursor():
                report = self.ctx.workspace.check_anchor(text)
        except AnchorCodeError as err:
            self._show(False, _html(str(err)))
            return
        lines = [*report.problems, *report.changed_since]
        items = "".join(f"<li>{_html(line)}</li>" for line in lines[:_SHOWN])
        if len(lines) > _SHOWN:
            items += f"<li>… und {len(lines) - _SHOWN} weitere</li>"
        notes = "".join(f"<br>Hinweis: {_html(line)}" for line in report.erased_since[:3])
        where = f"<br>Ausgegeben mit: {_html(', '.join(report.stored_as))}" if report.stored_as else ""
        if report.unchanged:
            self._show(True, f"<b>Anker {_html(report.code)} bestätigt:</b> Alles, was es zu diesem Stand gab, "
                             f"ist unverändert.{where}{notes}")
        elif report.on_chain and not report.problems:
            self._show(False, f"<b>Anker {_html(report.code)} liegt auf der Prüfkette</b>, aber seither wurde in "
                              f"PaktDesk geändert (protokolliert):<ul>{items}</ul>{where}{notes}")
        else:
            self._show(False, f"<b>Prüfung gegen den Anker {_html(report.code)} fehlgeschlagen:</b>"
                              f"<ul>{items}</ul>{where}")

    def _show(self, good: bool, html: str) -> None:
        self.result_label.setStyleSheet(_OK_STYLE if good else _BAD_STYLE)
        self.result_label.setText(html)
