"""Personenbezogene Daten löschen: a person's request under the DSGVO, honoured where the
retention rules allow. The dialog shows the verdict of :meth:`Workspace.erasure_check` (allowed,
or blocked until a date and why) and asks for the person's name as a strong confirmation."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core.periods import format_date
from ..background import busy_cursor
from ..context import UiContext
from .dialog_keys import KeyboardDialog

_SHOWN = 6  # occurrences and backups listed in the dialog
_ALLOWED_STYLE = "#verdict { background: #e8f4ea; border: 1px solid #9cc9a6; border-radius: 4px; padding: 8px; }"
_BLOCKED_STYLE = "#verdict { background: #fbeaea; border: 1px solid #d9a3a3; border-radius: 4px; padding: 8px; }"


def _normalise(text: str) -> str:
    return " ".join(text.split()).casefold()


class ErasePersonDialog(KeyboardDialog):
    """Check, confirm by typing the name, delete. ``change`` holds the result after deleting."""

    def __init__(self, ctx: UiContext, person_id: int, parent: QWidget | None = None, *,
                 today: date | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.person_id = person_id
        self.today = today
        self.change = None
        workspace = ctx.workspace
        self.person = workspace.person(person_id)
        self.name = self.person.full_name
        self.already_erased = self.person.last_name.startswith("Gelöscht (Nr.")
        self.check = workspace.erasure_check(person_id, today=today)
        retention = workspace.retention()
        self.setWindowTitle("Personenbezogene Daten löschen")
        self.setMinimumWidth(600)

        headline = QLabel(f"<b>Personenbezogene Daten von {_html(self.name)} löschen</b>", self)
        explain = QLabel(
            "Gelöscht werden Name, Kontaktdaten, Angaben zur Qualifikation und Nachqualifizierung, Nachweise "
            "und Notizen. Gebuchte Beträge, Stellen und Belege bleiben erhalten, weil sie aufbewahrt werden "
            f"müssen; die Person erscheint dort nur noch als „Gelöscht (Nr. {person_id})“. Im "
            "Änderungsprotokoll wird der Name unkenntlich gemacht.\n\nDas lässt sich nicht rückgängig machen.",
            self)
        explain.setWordWrap(True)

        self.verdict_label = QLabel(self)
        self.verdict_label.setObjectName("verdict")
        self.verdict_label.setWordWrap(True)
        self.verdict_label.setTextFormat(Qt.TextFormat.RichText)
        self.verdict_label.setText(self._verdict_html())
        self.verdict_label.setStyleSheet(_ALLOWED_STYLE if self.allowed else _BLOCKED_STYLE)
        self.occurrences_label = QLabel(self)
        self.occurrences_label.setWordWrap(True)
        self.occurrences_label.setTextFormat(Qt.TextFormat.RichText)
        self.backups_label = QLabel(self)
        self.backups_label.setWordWrap(True)
        self.backups_label.setTextFormat(Qt.TextFormat.RichText)

        self.name_label = QLabel(f"Zur Bestätigung bitte den Namen eingeben: <b>{_html(self.name)}</b>", self)
        self.name_edit = QLineEdit(self)
        self.name_edit.setPlaceholderText(self.name)
        self.name_edit.setAccessibleName("Name zur Bestätigung")
        self.purge_check = QCheckBox(
            f"Auch alle älteren Sicherungen sofort löschen (sonst nach spätestens {retention.backup_months} "
            "Monaten)", self)
        self.purge_check.setToolTip("Eine frische, geprüfte Sicherung ohne die Daten wird in jedem Fall angelegt.")

        self.delete_button = QPushButton("Endgültig &löschen", self)
        self.delete_button.setEnabled(False)
        self.cancel_button = QPushButton("Abbrechen", self)
        self.cancel_button.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)
        buttons.addWidget(self.cancel_button)

        layout = QVBoxLayout(self)
        layout.addWidget(headline)
        layout.addWidget(explain)
        layout.addWidget(self.verdict_label)
        layout.addWidget(self.occurrences_label)
        layout.addWidget(self.backups_label)
        layout.addSpacing(6)
        layout.addWidget(self.name_label)
        layout.addWidget(self.name_edit)
        layout.addWidget(self.purge_check)
        layout.addSpacing(6)
        layout.addLayout(buttons)

        for widget in (self.name_label, self.name_edit, self.purge_check, self.delete_button,
                       self.occurrences_label, self.backups_label):
            widget.setVisible(self.allowed)  # nothing to confirm while the deletion is not allowed
        if self.allowed:
            self._show_preview()
        self.purge_check.toggled.connect(self._show_preview)
        if not self.allowed:
            self.cancel_button.setText("Schließen")
        self.name_edit.textChanged.connect(self._update_button)
        self.delete_button.clicked.connect(self.erase)
        self.cancel_button.clicked.connect(self.reject)

    @property
    def allowed(self) -> bool:
        return self.check.allowed and not self.already_erased and not self.ctx.workspace.read_only

    def _verdict_html(self) -> str:
        if self.already_erased:
            return "Die personenbezogenen Daten dieser Person wurden bereits gelöscht."
        if self.ctx.workspace.read_only:
            return "Der Datenbestand ist schreibgeschützt geöffnet; es kann nichts gelöscht werden."
        reasons = "".join(f"<li>{_html(reason)}</li>" for reason in self.check.reasons)
        if self.check.allowed:
            return ("<b>Die Löschung ist erlaubt.</b> Keine Aufbewahrungsfrist steht ihr entgegen."
                    + (f"<ul>{reasons}</ul>" if reasons else ""))
        if self.check.earliest is not None:
            when = f"Frühestens ab dem {format_date(self.check.earliest)} möglich."
        else:
            when = "Wann die Löschung möglich wird, steht noch nicht fest."
        return f"<b>Die Daten dürfen noch nicht gelöscht werden.</b> {when}<ul>{reasons}</ul>"

    def _show_preview(self) -> None:
        """Where the name stands (replaced by the pseudonym, or kept as booked) and which backups
        still hold the person until rotation removes them: shown before the clerk confirms."""
        preview = self.ctx.workspace.erasure_preview(self.person_id, purge_backups=self.purge_check.isChecked())
        parts = []
        if preview.replaced:
            items = "".join(f"<li>{_html(o.label)}: „{_html(o.excerpt)}“</li>" for o in preview.replaced[:_SHOWN])
            more = (f"<li>… und {len(preview.replaced) - _SHOWN} weitere Stellen</li>"
                    if len(preview.replaced) > _SHOWN else "")
            parts.append(f"Der Name steht an {len(preview.replaced)} Stelle(n) im Text und wird dort durch "
                         f"„{_html(preview.pseudonym)}“ ersetzt:<ul>{items}{more}</ul>")
        else:
            parts.append("Der Name steht in keinem Freitext (Sachbericht, Notizen, Verwendungszwecke).")
        if preview.kept:
            items = "".join(f"<li>{_html(o.excerpt)}</li>" for o in preview.kept[:3])
            parts.append(f"{len(preview.kept)} gebuchte Angabe(n) bleiben unverändert, weil sie zu den "
                         f"aufzubewahrenden Buchungen gehören (z. B. Zahlungsempfänger):<ul>{items}</ul>")
        self.occurrences_label.setText("".join(parts))
        if preview.kept_backups:
            items = "".join(f"<li>{_html(name)} – bis spätestens {format_date(until)}</li>"
                            for name, until in preview.kept_backups[:_SHOWN])
            self.backups_label.setText("Diese älteren Sicherungen enthalten die Daten noch, bis die Rotation sie "
                                       f"löscht:<ul>{items}</ul>")
        else:
            self.backups_label.setText("Keine ältere Sicherung enthält die Daten danach noch; eine neue, geprüfte "
                                       "Sicherung wird erst nach dem Löschen angelegt.")

    def name_matches(self) -> bool:
        return _normalise(self.name_edit.text()) == _normalise(self.name)

    def _update_button(self) -> None:
        self.delete_button.setEnabled(self.allowed and self.name_matches())

    def erase(self) -> None:
        if not (self.allowed and self.name_matches()):
            return
        purge = self.purge_check.isChecked()
        with busy_cursor():
            self.change = self.ctx.perform(
                lambda: self.ctx.workspace.delete_personal_data(self.person_id, today=self.today,
                                                                purge_backups=purge),
                parent=self, title="Nicht gelöscht")
        if self.change is not None:
            self.accept()


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
