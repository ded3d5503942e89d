"""The handbook: German help pages shipped in ``resources/handbook`` (one Markdown file per chapter,
ordered by the number in its name), shown in a window of their own with a chapter list and a
search field. No internet: links between chapters are file names and open inside the window.

``F1`` opens the chapter of whatever the clerk works in: the main window's current page (its
``Tab.help``), or a dialog (by its class, see ``DIALOG_CHAPTERS``, or a ``help_chapter``
attribute on it or on any widget around the focus)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QUrl
from PySide6.QtGui import QKeySequence, QShortcut, QTextDocument
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ..paths import resource_path

START_CHAPTER = "erste-schritte"

#: Dialogs and the chapter their F1 opens (by class name: the dialogs need not import this module).
DIALOG_CHAPTERS: dict[str, str] = {
    "PersonDialog": "personen",
    "EndPersonDialog": "personen",
    "PersonFileDialog": "personen",
    "ErasePersonDialog": "personen",
    "EmploymentDialog": "personen",
    "InterruptionDialog": "personen",
    "ProviderDialog": "traeger",
    "QualificationDialog": "qualifikation",
    "RequalificationDialog": "qualifikation",
    "KeyFigureDefDialog": "kennzahlen",
    "DecisionDialog": "bescheide",
    "ProofSubmissionDialog": "verwendungsnachweis",
    "PaymentDialog": "zahlungen",
    "RepaymentDialog": "zahlungen",
    "ReversalDialog": "zahlungen",
    "ReceiptEntryDialog": "belege",
    "ReceiptImportDialog": "belege",
    "ImportPreviewDialog": "belege",
    "AgreementDialog": "weiterleitungen",
    "PassThroughPaymentDialog": "weiterleitungen",
    "ProviderProofDialog": "weiterleitungen",
    "ThirdPartyDialog": "drittmittel",
    "ContributionDialog": "sachbericht",
    "ShiftDeadlinesDialog": "fristen",
    "TrashDialog": "personen",
    "FirstStartDialog": "erste-schritte",
    "LockDialog": "datensicherung",
    "RecoveryDialog": "datensicherung",
    "QPrintDialog": "berichte",
}


@dataclass(frozen=True, slots=True)
class Chapter:
    key: str  # the file name without number and ".md", e.g. "verwendungsnachweis"
    title: str  # its first heading
    path: Path
    text: str


def handbook_folder() -> Path:
    return resource_path("handbook")


@cache
def chapters() -> tuple[Chapter, ...]:
    """Every chapter, in the order of the numbers in the file names."""
    found = []
    for path in sorted(handbook_folder().glob("*.md")):
        text = path.read_text(encoding="utf-8")
        title = next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), path.stem)
        found.append(Chapter(key=_key(path), title=title, path=path, text=text))
    return tuple(found)


def chapter(key: str) -> Chapter:
    for item in chapters():
        if item.key == key:
            return item
    raise KeyError(key)


def _key(path: Path) -> str:
    number, _, rest = path.stem.partition("-")
    return rest if number.isdigit() and rest else path.stem


def search(words: str) -> list[Chapter]:
    """Chapters containing every word of ``words`` (any case); all chapters for no words."""
    wanted = words.casefold().split()
    return [item for item in chapters() if all(word in item.text.casefold() for word in wanted)]


class HandbookWindow(QWidget):
    """Chapters on the left (filtered by the search field), the chapter on the right."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle("PaktDesk – Handbuch")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        self.search_edit = QLineEdit(self)
        self.search_edit.setPlaceholderText("Im Handbuch suchen …")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setAccessibleName("Im Handbuch suchen")
        search_label = QLabel("&Suchen:", self)
        search_label.setBuddy(self.search_edit)
        self.hits_label = QLabel(self)

        self.chapter_list = QListWidget(self)
        self.chapter_list.setAccessibleName("Kapitel")
        self.chapter_list.setWordWrap(True)
        self.chapter_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.chapter_list.setStyleSheet("QListWidget::item { padding: 2px 4px; }")
        self.browser = QTextBrowser(self)
        self.browser.setAccessibleName("Kapiteltext")
        self.browser.setOpenLinks(False)  # chapter links open here, web links never (no internet)
        self.browser.anchorClicked.connect(self._link)
        self.browser.document().setDefaultStyleSheet("code { background: #eef0f3; }")
        self.browser.document().setDocumentMargin(12)

        top = QHBoxLayout()
        top.addWidget(search_label)
        top.addWidget(self.search_edit, 1)
        top.addWidget(self.hits_label)
        splitter = QSplitter(self)
        splitter.addWidget(self.chapter_list)
        splitter.addWidget(self.browser)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([240, 660])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

        self.search_edit.textChanged.connect(self._filter)
        self.search_edit.returnPressed.connect(self.find_next)
        self.chapter_list.currentItemChanged.connect(self._chosen)
        QShortcut(QKeySequence.StandardKey.Find, self, activated=self._focus_search)
        QShortcut(QKeySequence.StandardKey.FindNext, self, activated=self.find_next)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, activated=self.close)
        self._filter("")
        self.resize(940, 640)

    @property
    def current_key(self) -> str:
        item = self.chapter_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else ""

    def show_chapter(self, key: str) -> None:
        """Show chapter ``key`` (the first chapter if there is none of that name)."""
        if self.search_edit.text() and key not in {c.key for c in search(self.search_edit.text())}:
            self.search_edit.clear()
        for row in range(self.chapter_list.count()):
            if self.chapter_list.item(row).data(Qt.ItemDataRole.UserRole) == key:
                self.chapter_list.setCurrentRow(row)
                return
        self.chapter_list.setCurrentRow(0)

    def find_next(self) -> None:
        """Mark the next place of the search words in the chapter shown (from the top again at the end)."""
        words = self.search_edit.text().split()
        if not words:
            return
        if not self.browser.find(words[0]):
            self.browser.moveCursor(self.browser.textCursor().MoveOperation.Start)
            self.browser.find(words[0])

    def _focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def _filter(self, text: str) -> None:
        shown = self.current_key
        found = search(text)
        self.chapter_list.blockSignals(True)
        self.chapter_list.clear()
        for item in found:
            entry = QListWidgetItem(item.title, self.chapter_list)
            entry.setData(Qt.ItemDataRole.UserRole, item.key)
        self.chapter_list.blockSignals(False)
        if text.strip():
            self.hits_label.setText("kein Kapitel gefunden" if not found else
                                    "1 Kapitel" if len(found) == 1 else f"{len(found)} Kapitel")
        else:
            self.hits_label.setText("")
        keys = [item.key for item in found]
        if keys:
            self.chapter_list.setCurrentRow(keys.index(shown) if shown in keys else 0)
        else:
            self.browser.setMarkdown("Zu **" + text.replace("*", "") + "** steht nichts im Handbuch.")

    def _chosen(self, current: QListWidgetItem | None, _previous=None) -> None:
        if current is None:
            return
        found = chapter(current.data(Qt.ItemDataRole.UserRole))
        document = self.browser.document()
        document.setBaseUrl(QUrl.fromLocalFile(str(found.path)))
        document.setMarkdown(found.text, QTextDocument.MarkdownFeature.MarkdownDialectGitHub)
        document.setDocumentMargin(12)
        self.setWindowTitle(f"{found.title} – PaktDesk-Handbuch")
        if self.search_edit.text().split():
            self.find_next()

    def _link(self, url: QUrl) -> None:
        name = Path(url.path() or url.toString()).name
        if name.endswith(".md"):
            self.show_chapter(name[:-3])


def open_handbook(key: str | None = None, *, parent: QWidget | None = None) -> HandbookWindow:
    """Show the handbook at chapter ``key``. One window per parent: asking again brings it forward.

    The window belongs to ``parent`` (the window the clerk works in), so that a modal dialog does
    not block it."""
    window = None
    if parent is not None:
        window = next((child for child in parent.findChildren(HandbookWindow)
                       if child.parent() is parent), None)
    if window is None:
        window = HandbookWindow(parent)
    window.show_chapter(key or START_CHAPTER)
    window.show()
    window.raise_()
    window.activateWindow()
    return window


def chapter_for(widget: QWidget | None) -> str | None:
    """The chapter for the place ``widget`` is in: the nearest ``help_chapter`` attribute or known
    dialog class among it and its parents; None if none (the main window decides then)."""
    while widget is not None:
        own = getattr(widget, "help_chapter", None)
        if isinstance(own, str) and own:
            return own
        for cls in type(widget).__mro__:
            if cls.__name__ in DIALOG_CHAPTERS:
                return DIALOG_CHAPTERS[cls.__name__]
        widget = widget.parentWidget()
    return None


class HelpKey(QObject):
    """Application-wide F1 for windows other than the main window (dialogs): the main window has
    its own F1 action, which Qt serves first; this catches the key everywhere else."""

    def __init__(self, fallback, parent: QObject | None = None):
        super().__init__(parent)
        self._fallback = fallback  # () -> chapter key, for places no chapter is known for

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if (event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_F1
                and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier and isinstance(watched, QWidget)):
            window = watched.window()
            if isinstance(window, HandbookWindow):
                return True
            focus = QApplication.focusWidget()
            key = chapter_for(focus if focus is not None and focus.window() is window else window)
            open_handbook(key or self._fallback(), parent=window)
            return True
        return False
