"""Sachbericht: the applicant's narrative report per decision, written in PaktDesk.

An empty report starts from the heading outline (1. Ausgangslage … 5. Ausblick). Providers'
contributions are listed beside the text; "In den Bericht übernehmen" inserts one at the
cursor (a merged contribution is not printed a second time). Below the text an estimate of the
printed length warns above about three pages. "Speichern" is one transaction; "gespeichert"
shows only after it committed. Leaving with unsaved changes (another decision, another page or
section, closing the window) asks first."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QFont, QKeySequence, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ...core.entities import NarrativeReport, ProviderKind
from ...core.narrative import is_merged, outline_text
from ...reports.model import NarrativeSection
from ...reports.narrative_length import RECOMMENDED_PAGES, estimate_pages
from ...workspace.reports import DecisionChoice, NarrativeContribution
from ..context import UiContext
from ..explanation_box import ExplanationBox
from ..page_keys import page_shortcut
from ..dialogs.dialog_keys import KeyboardDialog

ESTIMATE_DELAY_MS = 400
NOTE_STYLE = ("#{name} {{ background: #fff4ce; color: #4d3900; border: 1px solid #e6d28a; border-radius: 4px;"
              " padding: 6px 8px; }}")
HINT = ("Eine Leerzeile beginnt einen neuen Absatz. Eine kurze Zeile wie „1. Ausgangslage“ wird als "
        "Überschrift gedruckt, Zeilen mit „- “ am Anfang als Aufzählung.")

SAVE, DISCARD, CANCEL = "save", "discard", "cancel"


def ask_unsaved(parent: QWidget | None) -> str:
    """Speichern / Verwerfen / Abbrechen for unsaved changes (a static QMessageBox call, so tests
    can answer it)."""
    buttons = (QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
               | QMessageBox.StandardButton.Cancel)
    answer = QMessageBox.question(parent, "Sachbericht nicht gespeichert",
                                  "Der Sachbericht hat ungespeicherte Änderungen. Jetzt speichern?",
                                  buttons, QMessageBox.StandardButton.Save)
    if answer == QMessageBox.StandardButton.Save:
        return SAVE
    if answer == QMessageBox.StandardButton.Discard:
        return DISCARD
    return CANCEL


class NarrativePage(QWidget):
    """Decision chooser, the text, the providers' contributions and the length estimate."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.read_only = ctx.workspace.read_only
        self._decisions: list[DecisionChoice] = []
        self._decision_id: int | None = None
        self._baseline = ""  # the text as stored (or the outline of an empty report)
        self._stored: NarrativeReport | None = None
        self._contributions: list[NarrativeContribution] = []
        self._asking = False
        self._watched: QWidget | None = None
        self.pages_estimate = 0

        title = QLabel("Sachbericht", self)
        title.setObjectName("narrativeTitle")
        title.setStyleSheet("#narrativeTitle { font-size: 15pt; font-weight: bold; }")
        self.decision_combo = QComboBox(self)
        self.decision_combo.setAccessibleName("Bescheid")
        self.decision_combo.setMinimumWidth(300)
        self.decision_combo.currentIndexChanged.connect(self._decision_chosen)
        decision_label = QLabel("&Bescheid:", self)
        decision_label.setBuddy(self.decision_combo)
        self.state_label = QLabel(self)
        self.state_label.setObjectName("narrativeState")
        head = QHBoxLayout()
        head.addWidget(title)
        head.addSpacing(24)
        head.addWidget(decision_label)
        head.addWidget(self.decision_combo)
        head.addStretch(1)
        head.addWidget(self.state_label)

        self.editor = QPlainTextEdit(self)
        self.editor.setAccessibleName("Text des Sachberichts")
        self.editor.setTabChangesFocus(True)
        font = QFont(self.editor.font())
        font.setPointSizeF(max(font.pointSizeF(), 10.5))
        self.editor.setFont(font)
        self.editor.document().setDocumentMargin(12)
        self.editor.setReadOnly(self.read_only)
        self.editor.textChanged.connect(self._text_changed)
        self.hint_label = QLabel(HINT, self)
        self.hint_label.setWordWrap(True)
        self.hint_label.setObjectName("narrativeHint")
        self.hint_label.setStyleSheet("#narrativeHint { color: palette(placeholder-text); }")
        self.estimate_label = QLabel(self)
        self.warning_label = QLabel(self)
        self.warning_label.setObjectName("narrativeWarning")
        self.warning_label.setStyleSheet(NOTE_STYLE.format(name="narrativeWarning"))
        self.warning_label.setWordWrap(True)
        self.warning_label.hide()
        self.discard_button = QPushButton("&Verwerfen", self)
        self.discard_button.setToolTip("Änderungen verwerfen und den gespeicherten Text zeigen")
        self.discard_button.clicked.connect(self.discard)
        self.save_button = QPushButton("&Speichern", self)
        self.save_button.setToolTip("Sachbericht speichern (Strg+S)")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        page_shortcut(self, QKeySequence.StandardKey.Save, self.save)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.editor, 1)
        left_layout.addWidget(self.hint_label)
        left_layout.addWidget(self.warning_label)
        bottom = QHBoxLayout()
        bottom.addWidget(self.estimate_label, 1)
        bottom.addWidget(self.discard_button)
        bottom.addWidget(self.save_button)
        left_layout.addLayout(bottom)
        self.explanation = ExplanationBox(ctx, left)
        left_layout.addWidget(self.explanation)

        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        caption = QLabel("Beiträge der Träger", right)
        caption.setStyleSheet("font-weight: bold;")
        self.contributions_list = QListWidget(right)
        self.contributions_list.setAccessibleName("Beiträge der Träger")
        self.contributions_list.setObjectName("contributions")
        self.contributions_list.setStyleSheet("#contributions::item { padding: 4px 2px; }")
        self.contributions_list.currentRowChanged.connect(self._contribution_chosen)
        self.contributions_list.itemDoubleClicked.connect(lambda _item: self.merge_selected())
        self.contribution_view = QPlainTextEdit(right)
        self.contribution_view.setReadOnly(True)
        self.contribution_view.setAccessibleName("Text des Beitrags")
        self.contribution_view.setPlaceholderText("Noch keine Beiträge erfasst. Texte der Träger (z. B. aus "
                                                  "einer E-Mail) mit „Beitrag erfassen …“ hinzufügen.")
        self.merge_button = QPushButton("In den Bericht &übernehmen", right)
        self.merge_button.setToolTip("Den Beitrag an der Schreibmarke in den Text einfügen; er wird dann "
                                     "nicht noch einmal gesondert gedruckt")
        self.merge_button.clicked.connect(self.merge_selected)
        self.contribution_button = QPushButton("Beitrag &erfassen …", right)
        self.contribution_button.setToolTip("Den Beitrag eines Trägers erfassen oder ändern")
        self.contribution_button.clicked.connect(self.edit_contribution)
        self.merge_note = QLabel("Nicht übernommene Beiträge druckt der Verwendungsnachweis als eigene "
                                 "Abschnitte nach dem Text.", right)
        self.merge_note.setWordWrap(True)
        self.merge_note.setObjectName("mergeNote")
        self.merge_note.setStyleSheet("#mergeNote { color: palette(placeholder-text); }")
        buttons = QHBoxLayout()
        buttons.addWidget(self.merge_button)
        buttons.addWidget(self.contribution_button)
        right_layout.addWidget(caption)
        right_layout.addWidget(self.contributions_list, 1)
        right_layout.addWidget(self.contribution_view, 2)
        right_layout.addLayout(buttons)
        right_layout.addWidget(self.merge_note)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([800, 340])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addLayout(head)
        layout.addWidget(splitter, 1)

        self._estimate_timer = QTimer(self)
        self._estimate_timer.setSingleShot(True)
        self._estimate_timer.setInterval(ESTIMATE_DELAY_MS)
        self._estimate_timer.timeout.connect(self.update_estimate)
        if self.read_only:
            for button in (self.save_button, self.discard_button, self.merge_button, self.contribution_button):
                button.setEnabled(False)

        self._load_decisions()
        self.load()
        ctx.changed.connect(self._data_changed)

    # --- data ------------------------------------------------------------------------------------
    def _load_decisions(self) -> None:
        self._decisions = self.ctx.workspace.report_decisions()
        self.decision_combo.blockSignals(True)
        self.decision_combo.clear()
        for choice in self._decisions:
            self.decision_combo.addItem(f"{choice.file_number}  ·  {choice.period.format()}", choice.decision_id)
        if not self._decisions:
            self.decision_combo.setPlaceholderText("Noch keine Bescheide erfasst")
        index = self.decision_combo.findData(self._decision_id) if self._decision_id is not None else 0
        self.decision_combo.setCurrentIndex(max(index, 0) if self._decisions else -1)
        self._decision_id = self.decision_combo.currentData()
        self.decision_combo.blockSignals(False)

    def decision_id(self) -> int | None:
        return self._decision_id

    def load(self) -> None:
        """Show the stored text of the chosen decision (the outline when there is none)."""
        workspace = self.ctx.workspace
        self._stored = workspace.narrative(self._decision_id) if self._decision_id is not None else None
        text = self._stored.text if self._stored and self._stored.text.strip() else ""
        self._baseline = text or (outline_text() if self._decision_id is not None else "")
        self.editor.setEnabled(self._decision_id is not None)
        self.editor.blockSignals(True)
        self.editor.setPlainText(self._baseline)
        self.editor.blockSignals(False)
        self.editor.moveCursor(QTextCursor.MoveOperation.Start)
        self._load_contributions()
        self.explanation.load(self._decision_id)
        self._show_state()
        self.update_estimate()

    def _load_contributions(self) -> None:
        current = self.contributions_list.currentRow()
        self._contributions = (self.ctx.workspace.narrative_contributions(self._decision_id)
                               if self._decision_id is not None else [])
        self.contributions_list.blockSignals(True)
        self.contributions_list.clear()
        for item in self._contributions:
            QListWidgetItem(item.provider_name, self.contributions_list)
        self.contributions_list.blockSignals(False)
        if self._contributions:
            self.contributions_list.setCurrentRow(min(max(current, 0), len(self._contributions) - 1))
        else:
            self._contribution_chosen(-1)
        self._update_merge_marks()

    def text(self) -> str:
        return self.editor.toPlainText()

    def is_dirty(self) -> bool:
        return self._decision_id is not None and self.text() != self._baseline

    # --- editing -----------------------------------------------------------------------------------
    def _text_changed(self) -> None:
        self._show_state()
        self._estimate_timer.start()

    def _show_state(self) -> None:
        if self.read_only:
            text, colour = "schreibgeschützt", "#8a4b00"
        elif self.is_dirty():
            text, colour = "Ungespeicherte Änderungen", "#8a4b00"
        elif self._stored is not None and self._stored.text.strip():
            stamp = _local_time(self._stored.updated_at)
            text, colour = (f"Gespeichert {stamp}" if stamp else "Gespeichert"), "#1e6b34"
        else:
            text, colour = "Noch nicht gespeichert – Gliederung als Vorlage", "palette(placeholder-text)"
        self.state_label.setText(text)
        self.state_label.setStyleSheet(f"#narrativeState {{ color: {colour}; }}")
        self.discard_button.setEnabled(not self.read_only and self.is_dirty())

    def _sections(self) -> list[NarrativeSection]:
        text = self.text()
        sections = [NarrativeSection("Antragsteller", text)]
        sections += [NarrativeSection(c.provider_name, c.text, is_applicant=False)
                     for c in self._contributions if not is_merged(c.text, text)]
        return sections

    def update_estimate(self) -> None:
        """Estimate the printed length now (also runs shortly after typing stops)."""
        self._estimate_timer.stop()
        self._update_merge_marks()
        if self._decision_id is None:
            self.estimate_label.clear()
            self.warning_label.hide()
            return
        self.pages_estimate = estimate_pages(self._sections())
        noun = "Seite" if self.pages_estimate == 1 else "Seiten"
        self.estimate_label.setText(f"Umfang im Druck: etwa {self.pages_estimate} {noun} "
                                    f"(erwartet: etwa {RECOMMENDED_PAGES})")
        if self.pages_estimate > RECOMMENDED_PAGES:
            self.warning_label.setText(
                f"Der Sachbericht wird etwa {self.pages_estimate} Seiten lang; erwartet werden etwa "
                f"{RECOMMENDED_PAGES}. Er wird so gedruckt, aber bitte prüfen, ob er gekürzt werden kann.")
            self.warning_label.show()
        else:
            self.warning_label.hide()

    def _update_merge_marks(self) -> None:
        text = self.text()
        for row, contribution in enumerate(self._contributions):
            item = self.contributions_list.item(row)
            if item is None:
                continue
            merged = is_merged(contribution.text, text)
            item.setText(f"{contribution.provider_name}\n"
                         + ("✓ übernommen" if merged else "wird als eigener Abschnitt gedruckt"))
            item.setData(Qt.ItemDataRole.UserRole, merged)

    def _contribution_chosen(self, row: int) -> None:
        item = self._contributions[row] if 0 <= row < len(self._contributions) else None
        self.contribution_view.setPlainText(item.text if item else "")
        self.merge_button.setEnabled(item is not None and not self.read_only)

    def merge_selected(self) -> None:
        """Insert the chosen contribution at the cursor, as a paragraph of its own."""
        row = self.contributions_list.currentRow()
        if self.read_only or not 0 <= row < len(self._contributions):
            return
        contribution = self._contributions[row].text.strip()
        cursor = self.editor.textCursor()
        before = self.text()[:cursor.position()]
        lead = "" if not before or before.endswith("\n\n") else ("\n" if before.endswith("\n") else "\n\n")
        cursor.insertText(f"{lead}{contribution}\n\n")
        self.editor.setTextCursor(cursor)
        self.editor.setFocus()
        self.update_estimate()

    def edit_contribution(self) -> None:
        if self._decision_id is None or self.read_only:
            return
        row = self.contributions_list.currentRow()
        provider_id = self._contributions[row].provider_id if 0 <= row < len(self._contributions) else None
        ContributionDialog(self.ctx, self._decision_id, provider_id, self).exec()

    # --- saving ------------------------------------------------------------------------------------
    def save(self) -> bool:
        """Store the text (one transaction); True once it is committed."""
        if self._decision_id is None or self.read_only:
            return False
        text = self.text()
        decision_id = self._decision_id
        change = self.ctx.perform(lambda: self.ctx.workspace.save_narrative(decision_id, text), parent=self)
        if change is None:
            return False
        self._stored = self.ctx.workspace.narrative(decision_id)
        self._baseline = text
        self._show_state()
        return True

    def discard(self) -> None:
        self.load()

    def settle(self) -> bool:
        """Before leaving: ask about unsaved changes. False means "stay here"."""
        if not self.is_dirty() or self._asking:
            return True
        self._asking = True
        try:
            answer = ask_unsaved(self)
        finally:
            self._asking = False
        if answer == SAVE:
            return self.save()
        if answer == DISCARD:
            self.load()
            return True
        return False

    def _decision_chosen(self, index: int) -> None:
        new_id = self.decision_combo.itemData(index) if index >= 0 else None
        if new_id == self._decision_id:
            return
        if not self.settle():
            self.decision_combo.blockSignals(True)
            self.decision_combo.setCurrentIndex(self.decision_combo.findData(self._decision_id))
            self.decision_combo.blockSignals(False)
            return
        self._decision_id = new_id
        self.load()

    def _data_changed(self, change) -> None:
        self._load_decisions()
        if self._decision_id is None:
            self.load()
            return
        self._load_contributions()
        if not self.is_dirty() and getattr(change, "entity", "") == "narrative_reports":
            self.load()  # stored meanwhile (e.g. a second window): show it
        self.update_estimate()

    # --- leaving the page -----------------------------------------------------------------------------
    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        window = self.window()
        if window is not self and window is not self._watched:
            window.installEventFilter(self)
            self._watched = window
        super().showEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self._watched and event.type() == QEvent.Type.Close and self.is_dirty():
            if not self.settle():
                event.ignore()
                return True
        return super().eventFilter(watched, event)

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().hideEvent(event)
        if event.spontaneous() or not self.is_dirty() or self._asking:
            return
        if not self.settle():
            QTimer.singleShot(0, self._come_back)

    def _come_back(self) -> None:
        """After "Abbrechen": show this page again (its section and its tab)."""
        tabs = self.parentWidget()
        while tabs is not None and not hasattr(tabs, "section"):
            tabs = tabs.parentWidget()
        window = self.window()
        if tabs is not None and hasattr(window, "show_section"):
            window.show_section(tabs.section.key)
        if tabs is not None and hasattr(tabs, "setCurrentWidget"):
            tabs.setCurrentWidget(self if tabs.indexOf(self) >= 0 else tabs.currentWidget())
        self.editor.setFocus()


class ContributionDialog(KeyboardDialog):
    """Enter or change one provider's contribution to a decision's Sachbericht."""

    def __init__(self, ctx: UiContext, decision_id: int, provider_id: int | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.decision_id = decision_id
        self.setWindowTitle("Beitrag eines Trägers")
        self.resize(640, 480)
        self.provider_combo = QComboBox(self)
        self.provider_combo.setAccessibleName("Träger")
        for provider in ctx.workspace.providers():
            if provider.kind != ProviderKind.OWN:
                self.provider_combo.addItem(provider.name, provider.id)
        self.text_edit = QPlainTextEdit(self)
        self.text_edit.setAccessibleName("Text des Beitrags")
        self.text_edit.setPlaceholderText("Text des Trägers hier einfügen (z. B. aus seiner E-Mail).")
        self.error_label = QLabel(self)
        self.error_label.setStyleSheet("color: #b3261e;")
        self.error_label.setWordWrap(True)
        form = QFormLayout()
        form.addRow("&Träger:", self.provider_combo)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                                   self)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.text_edit, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.provider_combo.currentIndexChanged.connect(self._provider_chosen)
        if provider_id is not None:
            self.provider_combo.setCurrentIndex(max(self.provider_combo.findData(provider_id), 0))
        self._provider_chosen(self.provider_combo.currentIndex())

    def _provider_chosen(self, _index: int) -> None:
        provider_id = self.provider_combo.currentData()
        stored = self.ctx.workspace.narrative(self.decision_id, provider_id) if provider_id is not None else None
        self.text_edit.setPlainText(stored.text if stored else "")

    def save(self) -> None:
        provider_id = self.provider_combo.currentData()
        if provider_id is None:
            self.error_label.setText("Bitte zuerst einen Träger anlegen (Bereich „Integrationsmanager:innen“).")
            return
        text = self.text_edit.toPlainText()
        change = self.ctx.perform(lambda: self.ctx.workspace.save_narrative(self.decision_id, text, provider_id),
                                  parent=self)
        if change is not None:
            self.accept()


def _local_time(stamp: str) -> str:
    """A stored UTC time stamp as "am 22.11.2026 um 14:32" in local time ("" if unreadable)."""
    try:
        moment = datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return ""
    if moment.tzinfo is None:
        from datetime import UTC

        moment = moment.replace(tzinfo=UTC)
    local = moment.astimezone()
    return f"am {local:%d.%m.%Y} um {local:%H:%M}"
