"""The Papierkorb: persons and providers deleted softly, to restore or delete for good (only
where no money is booked against them)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from .. import messages
from ..context import UiContext
from .tables import fill, history_table, selected_id
from .dialog_keys import KeyboardDialog


class TrashDialog(KeyboardDialog):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Papierkorb")
        self.resize(760, 480)
        intro = QLabel("Gelöschte Personen und Träger. „Wiederherstellen“ holt sie zurück; „Endgültig "
                       "löschen“ entfernt sie mit allen Angaben (nicht möglich, wenn Geld gebucht ist).", self)
        intro.setWordWrap(True)
        self.table = history_table(["Art", "Name", "Gelöscht am (UTC)"], self)
        self.initial_focus = self.table
        self.restore_button = QPushButton("&Wiederherstellen", self)
        self.purge_button = QPushButton("&Endgültig löschen …", self)
        self.erase_button = QPushButton("&Personenbezogene Daten löschen …", self)
        self.erase_button.setToolTip("Bei einer gelöschten Person mit gebuchten Beträgen: Name und Angaben "
                                     "löschen, sobald die Aufbewahrungsfristen es erlauben")
        self.empty_label = QLabel("Der Papierkorb ist leer.", self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.purge_button)
        buttons.addWidget(self.erase_button)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.button(QDialogButtonBox.StandardButton.Close).setText("Schließen")
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label, 1)
        layout.addWidget(close)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.restore_button.clicked.connect(self.restore)
        self.purge_button.clicked.connect(self.purge)
        self.erase_button.clicked.connect(self.erase_personal_data)
        self.table.itemSelectionChanged.connect(self._update_erase_button)
        self.refresh()

    def refresh(self) -> None:
        persons, providers = self.ctx.workspace.trash()
        self._kinds = {}
        rows = []
        for person in persons:
            rows.append((len(rows), ["Person", person.sort_name, person.deleted_at[:16].replace("T", " ")]))
            self._kinds[len(rows) - 1] = ("person", person.id, person.full_name)
        for provider in providers:
            rows.append((len(rows), ["Träger", provider.name, provider.deleted_at[:16].replace("T", " ")]))
            self._kinds[len(rows) - 1] = ("provider", provider.id, provider.name)
        fill(self.table, rows)
        has_rows = bool(rows)
        self.table.setVisible(has_rows)
        self.empty_label.setVisible(not has_rows)
        writable = not self.ctx.workspace.read_only
        self.restore_button.setEnabled(has_rows and writable)
        self.purge_button.setEnabled(has_rows and writable)
        self._update_erase_button()

    def _selected(self):
        row = selected_id(self.table)
        return self._kinds.get(row) if row is not None else None

    def restore(self) -> None:
        found = self._selected()
        if found is None:
            return
        kind, record_id, _ = found
        ws = self.ctx.workspace
        action = ws.restore_person if kind == "person" else ws.restore_provider
        if self.ctx.perform(lambda: action(record_id), parent=self):
            self.refresh()

    def purge(self) -> None:
        found = self._selected()
        if found is None:
            return
        kind, record_id, name = found
        if not messages.confirm(self, "Endgültig löschen",
                                f"„{name}“ endgültig löschen? Das lässt sich nicht rückgängig machen; "
                                "das Änderungsprotokoll behält einen Vermerk."):
            return
        ws = self.ctx.workspace
        action = ws.purge_person if kind == "person" else ws.purge_provider
        if self.ctx.perform(lambda: action(record_id), parent=self, title="Nicht gelöscht"):
            self.refresh()

    def _update_erase_button(self) -> None:
        found = self._selected()
        self.erase_button.setEnabled(found is not None and found[0] == "person"
                                     and not self.ctx.workspace.read_only)

    def erase_personal_data(self) -> None:
        """A person in the Papierkorb: delete the personal data where retention allows it."""
        from .erase_person import ErasePersonDialog

        found = self._selected()
        if found is None or found[0] != "person":
            return
        if ErasePersonDialog(self.ctx, found[1], self).exec():
            self.refresh()
