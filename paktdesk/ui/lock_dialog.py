"""The dialog shown when a Datenbestand is marked as open by someone else.

Two cases (see :mod:`paktdesk.lockfile`):

* the holder is still working (another PC or another window): only "Schreibgeschützt öffnen"
  or "Abbrechen";
* the lock is *stale* (the program crashed, or it was not renewed for hours): the dialog says
  why and also offers "Sperre übernehmen …", which the caller confirms once more.

Tests drive the dialog through its buttons; ``exec()`` may be patched to click one."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from ..lockfile import this_host


def _local_time(stamp: str) -> str:
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%d.%m.%Y, %H:%M Uhr")
    except ValueError:
        return "unbekannt"


class LockDialog(QDialog):
    """Who holds the Datenbestand and what the clerk may do now. ``choice`` after closing:
    :attr:`READ_ONLY`, :attr:`TAKE_OVER` or None (cancelled)."""

    READ_ONLY = "read_only"
    TAKE_OVER = "take_over"

    def __init__(self, path: Path, holder, *, stale: bool, reason: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.path = Path(path)
        self.holder = holder
        self.stale = stale
        self.choice: str | None = None
        self.setWindowTitle("Datenbestand noch gesperrt" if stale else "Datenbestand wird bereits benutzt")
        self.setMinimumWidth(520)

        icon = QLabel(self)
        kind = QStyle.StandardPixmap.SP_MessageBoxWarning if stale else QStyle.StandardPixmap.SP_MessageBoxInformation
        icon.setPixmap(self.style().standardIcon(kind).pixmap(40, 40))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        if stale:
            headline = (f"„{self.path.name}“ ist noch als geöffnet markiert, aber vermutlich arbeitet "
                        "niemand mehr damit.")
            text = (f"{reason} Das passiert, wenn PaktDesk abgestürzt ist oder der PC ausgeschaltet "
                    "wurde, während der Datenbestand offen war.\n\n"
                    "Wenn Sie sicher sind, dass niemand sonst den Datenbestand geöffnet hat, können Sie "
                    "die Sperre übernehmen. Sonst öffnen Sie ihn schreibgeschützt.")
        else:
            if holder.host == this_host():
                headline = (f"„{self.path.name}“ ist auf diesem PC bereits in einem anderen PaktDesk-Fenster "
                            "geöffnet.")
            else:
                headline = f"„{self.path.name}“ ist gerade an einem anderen Arbeitsplatz geöffnet."
            text = ("Damit keine Änderungen verloren gehen, darf nur ein Programm zur Zeit den "
                    "Datenbestand ändern. Sie können ihn schreibgeschützt öffnen, um nachzusehen; "
                    "zum Bearbeiten muss PaktDesk dort erst beendet werden.")
        self.headline_label = QLabel(f"<b>{_html(headline)}</b>", self)
        self.headline_label.setWordWrap(True)
        self.text_label = QLabel(text, self)
        self.text_label.setWordWrap(True)

        facts = QFormLayout()
        facts.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        facts.setContentsMargins(0, 6, 0, 6)
        self.user_label = QLabel(holder.user or "unbekannt", self)
        self.host_label = QLabel(holder.host or "unbekannt", self)
        self.since_label = QLabel(_local_time(holder.since), self)
        self.refreshed_label = QLabel(_local_time(holder.refreshed), self)
        facts.addRow("Benutzer:", self.user_label)
        facts.addRow("PC:", self.host_label)
        facts.addRow("Geöffnet seit:", self.since_label)
        facts.addRow("Zuletzt bestätigt:", self.refreshed_label)
        for label in (self.user_label, self.host_label, self.since_label, self.refreshed_label):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.take_over_button = QPushButton("Sperre &übernehmen …", self)
        self.take_over_button.setToolTip("Nur wenn sicher niemand sonst mit dem Datenbestand arbeitet")
        self.read_only_button = QPushButton("&Schreibgeschützt öffnen", self)
        self.cancel_button = QPushButton("Abbrechen", self)
        self.take_over_button.setVisible(stale)
        self.read_only_button.setDefault(True)
        self.take_over_button.clicked.connect(lambda: self._choose(self.TAKE_OVER))
        self.read_only_button.clicked.connect(lambda: self._choose(self.READ_ONLY))
        self.cancel_button.clicked.connect(self.reject)

        body = QVBoxLayout()
        body.addWidget(self.headline_label)
        body.addWidget(self.text_label)
        body.addLayout(facts)
        top = QHBoxLayout()
        top.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        top.addSpacing(8)
        top.addLayout(body, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.take_over_button)
        buttons.addStretch(1)
        buttons.addWidget(self.read_only_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addSpacing(6)
        layout.addLayout(buttons)
        layout.setSizeConstraint(QVBoxLayout.SizeConstraint.SetMinimumSize)

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
