"""First start without data: enter the owner's profile to create the Datenbestand, or look at the demo."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialogButtonBox,
    QLabel,
    QLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..core.entities import Profile
from .profile_form import ProfileForm
from .dialogs.dialog_keys import KeyboardDialog


class FirstStartDialog(KeyboardDialog):
    """``choice`` is ``"profile"`` (then ``profile_value`` holds the checked profile), ``"demo"`` or None."""

    PROFILE, DEMO = "profile", "demo"

    def __init__(self, data_file: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Willkommen bei PaktDesk")
        self.choice: str | None = None
        self.profile_value: Profile | None = None
        self._warned_for: Profile | None = None

        heading = QLabel("<h2>Willkommen bei PaktDesk</h2>", self)
        intro = QLabel(
            "Es gibt noch keinen Datenbestand. Bitte die Stammdaten der Körperschaft eintragen, "
            "für die Sie den Pakt für Integration verwalten – oder zuerst den Demo-Datenbestand "
            "der fiktiven Gemeinde Lindenbach ansehen.", self)
        intro.setWordWrap(True)
        where = QLabel(f"Der Datenbestand wird hier gespeichert:<br><i>{_html(data_file)}</i>", self)
        where.setWordWrap(True)
        self.form = ProfileForm(self)
        self.form.set_profile(None)

        self.buttons = QDialogButtonBox(self)
        self.create_button = QPushButton("Datenbestand anlegen", self)
        self.create_button.setDefault(True)
        self.demo_button = QPushButton("Demo ansehen", self)
        self.demo_button.setToolTip("Eine Kopie des Demo-Datenbestands öffnen; Ihr eigener "
                                    "Datenbestand wird dabei nicht angelegt.")
        self.buttons.addButton(self.create_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.demo_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.create_button.clicked.connect(self.create)
        self.demo_button.clicked.connect(self.choose_demo)
        self.cancel_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)  # grow for messages at fields
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addSpacing(6)
        layout.addWidget(self.form)
        layout.addWidget(where)
        layout.addWidget(self.buttons)
        self.resize(640, self.sizeHint().height())

    def create(self) -> None:
        """Accept when the profile passes the checks; warnings are shown once before accepting."""
        checked = self.form.checked_profile()
        if checked is None:
            self.fit_height()
            return
        profile, warnings = checked
        if warnings and self._warned_for != profile:
            self._warned_for = profile  # shown now; a second click creates the file anyway
            self.create_button.setText("Trotzdem anlegen")
            self.fit_height()
            return
        self.choice, self.profile_value = self.PROFILE, profile
        self.accept()

    def fit_height(self) -> None:
        """Grow to show messages that wrap onto several lines (Qt does not do this for dialogs)."""
        self.layout().activate()
        needed = self.heightForWidth(self.width())
        if needed > self.height():
            self.resize(self.width(), needed)

    def choose_demo(self) -> None:
        self.choice = self.DEMO
        self.accept()


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
