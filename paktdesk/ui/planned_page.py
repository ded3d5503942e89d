"""A page for a section that is not built yet: says honestly what it will offer."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class PlannedPage(QWidget):
    """Title, a short note that the section is not available yet, and what it will offer."""

    def __init__(self, *, title: str, intro: str, items: list[tuple[str, str]],
                 parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        heading = QLabel(title, self)
        heading.setObjectName("plannedTitle")
        heading.setStyleSheet("#plannedTitle { font-size: 17pt; font-weight: bold; }")
        self.notice_label = QLabel("Noch nicht verfügbar – dieser Bereich folgt in einer der nächsten Versionen.",
                                   self)
        self.notice_label.setObjectName("plannedNotice")
        self.notice_label.setStyleSheet(
            "#plannedNotice { background: #fff4ce; color: #5c4400; border: 1px solid #e6d28a;"
            " border-radius: 4px; padding: 8px 10px; }")
        self.notice_label.setWordWrap(True)
        intro_label = QLabel(intro, self)
        intro_label.setWordWrap(True)
        layout.addWidget(heading)
        layout.addWidget(self.notice_label)
        layout.addWidget(intro_label)
        rows = "".join(f"<li style='margin-bottom:6px'><b>{name}</b> – {text}</li>" for name, text in items)
        self.items_label = QLabel(f"<ul style='margin-left:-20px'>{rows}</ul>", self)
        self.items_label.setTextFormat(Qt.TextFormat.RichText)
        self.items_label.setWordWrap(True)
        layout.addWidget(self.items_label)
        layout.addStretch(1)
