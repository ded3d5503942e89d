"""Berichte & Druck: choose a document and what it is for, preview it inside PaktDesk, print it on
the office printer or save it as PDF.

The content is gathered on the GUI thread (it reads the database, milliseconds); the PDF is
rendered on a worker thread with a progress dialog that can cancel (:mod:`..workers`). The
rendered PDF stays in memory: the preview shows it, "Drucken …" paints its pages into the
printer, "Als PDF speichern …" writes it atomically (an existing file is replaced only by a
complete new one). Printing or saving renders first if the preview does not show the current
choice."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressDialog,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ...core.errors import PaktDeskError, ValidationError
from ...core.money import format_cents, parse_cents
from ...reports import render_pdf, write_atomically
from ...reports.model import RenderResult
from ...workspace.reports import DecisionChoice
from .. import file_folders, messages
from ..file_folders import start_folder
from ..context import UiContext
from ..pdf_preview import PdfPreview, new_printer, print_pdf
from ..report_kinds import (
    KINDS,
    ReportKind,
    ReportRequest,
    interim_default,
    kind,
    statement_default,
)
from ..settings_store import ui_settings
from ..workers import Job

FOLDER_KEY = file_folders.PDF
NOTE_STYLE = ("#{name} {{ background: #fff4ce; color: #4d3900; border: 1px solid #e6d28a; border-radius: 4px;"
              " padding: 6px 8px; }}")
INFO_STYLE = "#{name} {{ color: palette(placeholder-text); }}"
EMPTY_PREVIEW = "Noch keine Vorschau.\n\nLinks ein Dokument wählen und auf „Vorschau“ klicken."
STALE_CHOICE = "Die Vorschau zeigt noch die vorige Auswahl; „Vorschau“ zeigt die aktuelle."
STALE_DATA = "Die Daten wurden seit der Vorschau geändert; „Vorschau“ zeigt den neuen Stand."


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def _render_bytes(document, report: Callable[[int, int], None]) -> tuple[bytes, RenderResult]:
    """Worker thread: lay out and write the PDF into memory (no database, no widgets)."""
    stream = io.BytesIO()
    result = render_pdf(document, stream, progress=report)
    return stream.getvalue(), result


def _pages(count: int) -> str:
    return f"{count} {'Seite' if count == 1 else 'Seiten'}"


class ReportsPage(QWidget):
    """The document chooser on the left, the preview on the right."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.today: date | None = None  # tests fix the day; None = today
        self.settings = ui_settings()
        self.printer: QPrinter | None = None  # kept for the session, so the printer choice stays
        self.job: Job | None = None
        self.progress_dialog: QProgressDialog | None = None
        self.pdf: bytes | None = None
        self.result: RenderResult | None = None
        self.rendered: ReportRequest | None = None  # what the preview (and self.pdf) shows
        self.last_saved: Path | None = None
        self._decisions: list[DecisionChoice] = []
        self._open_cents: dict[int, int] = {}
        self._shown_title = ""
        self._pending: tuple[ReportRequest, Callable[[], None] | None] | None = None

        self.preview = PdfPreview(self)
        self.preview.clear(EMPTY_PREVIEW)
        form = self._build_form()
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(form)
        splitter.addWidget(self.preview)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setCollapsible(0, False)
        splitter.setSizes([360, 900])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        self._load_decisions()
        self.kind_list.setCurrentRow(0)
        ctx.changed.connect(self._data_changed)

    # --- building ----------------------------------------------------------------------------
    def _build_form(self) -> QWidget:
        panel = QFrame(self)
        panel.setMinimumWidth(320)
        panel.setMaximumWidth(460)
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(16, 14, 12, 14)
        layout.setSpacing(8)

        title = QLabel("Berichte & Druck", panel)
        title.setObjectName("reportsTitle")
        title.setStyleSheet("#reportsTitle { font-size: 15pt; font-weight: bold; }")
        layout.addWidget(title)

        layout.addWidget(self._caption("Dokument", panel))
        self.kind_list = QListWidget(panel)
        self.kind_list.setAccessibleName("Dokument")
        for item in KINDS:
            entry = QListWidgetItem(item.title, self.kind_list)
            entry.setData(Qt.ItemDataRole.UserRole, item.key)
            entry.setToolTip(item.description)
        self.kind_list.setObjectName("reportKinds")
        self.kind_list.setStyleSheet("#reportKinds { font-size: 10.5pt; } #reportKinds::item { padding: 5px 6px; }")
        rows = self.kind_list.sizeHintForRow(0) * len(KINDS)
        self.kind_list.setFixedHeight(rows + 2 * self.kind_list.frameWidth() + 4)
        self.kind_list.currentRowChanged.connect(self._kind_changed)
        layout.addWidget(self.kind_list)
        self.description_label = QLabel(panel)
        self.description_label.setWordWrap(True)
        self.description_label.setObjectName("reportDescription")
        self.description_label.setStyleSheet(INFO_STYLE.format(name="reportDescription"))
        layout.addWidget(self.description_label)

        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setContentsMargins(0, 6, 0, 0)
        self.decision_combo = QComboBox(panel)
        self.decision_combo.setAccessibleName("Bescheid")
        self.decision_combo.currentIndexChanged.connect(self._decision_changed)
        self.decision_label = QLabel(panel)
        self.decision_label.setObjectName("decisionInfo")
        self.decision_label.setStyleSheet(INFO_STYLE.format(name="decisionInfo"))
        self.decision_label.setWordWrap(True)
        decision = QWidget(panel)
        decision_column = QVBoxLayout(decision)
        decision_column.setContentsMargins(0, 0, 0, 0)
        decision_column.setSpacing(2)
        decision_column.addWidget(self.decision_combo)
        decision_column.addWidget(self.decision_label)
        self.decision_row = decision
        self.form.addRow("&Bescheid:", decision)
        self.form.labelForField(decision).setBuddy(self.decision_combo)

        self.first_edit = self._date_edit(panel, "Erster Tag")
        self.last_edit = self._date_edit(panel, "Letzter Tag")
        period = QWidget(panel)
        row = QHBoxLayout(period)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.first_edit, 1)
        row.addWidget(QLabel("bis", period))
        row.addWidget(self.last_edit, 1)
        self.period_row = period
        self.form.addRow("&Zeitraum:", period)

        self.amount_edit = QLineEdit(panel)
        self.amount_edit.setAccessibleName("Angeforderter Betrag")
        self.amount_edit.setPlaceholderText("z. B. 12.500,00")
        self.amount_edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.amount_edit.textEdited.connect(lambda _text: self._choice_changed())
        amount = QWidget(panel)
        amount_column = QVBoxLayout(amount)
        amount_column.setContentsMargins(0, 0, 0, 0)
        amount_column.setSpacing(2)
        amount_column.addWidget(self.amount_edit)
        self.open_label = QLabel(amount)
        self.open_label.setObjectName("openAmount")
        self.open_label.setStyleSheet(INFO_STYLE.format(name="openAmount"))
        self.open_label.setWordWrap(True)
        amount_column.addWidget(self.open_label)
        self.amount_row = amount
        self.form.addRow("&Betrag:", amount)

        self.as_of_edit = self._date_edit(panel, "Stichtag")
        self.form.addRow("&Stichtag:", self.as_of_edit)
        self.receipts_check = QCheckBox("Beleg&listen beifügen", panel)
        self.receipts_check.setToolTip("Das Regierungspräsidium verlangt die Beleglisten nur auf Anforderung; "
                                       "ohne Haken nennt das Deckblatt sie als „nur auf Anforderung“.")
        self.receipts_check.toggled.connect(lambda _on: self._choice_changed())
        self.form.addRow("", self.receipts_check)
        layout.addLayout(self.form)

        self.preview_button = QPushButton("&Vorschau", panel)
        self.preview_button.setDefault(True)
        self.preview_button.setToolTip("Dokument erstellen und rechts anzeigen (F5)")
        self.preview_button.clicked.connect(self.show_preview)
        self.print_button = QPushButton("&Drucken …", panel)
        self.print_button.setToolTip("Auf einem Drucker ausgeben (Strg+P)")
        self.print_button.clicked.connect(self.print_document)
        self.save_button = QPushButton("Als &PDF speichern …", panel)
        self.save_button.setToolTip("Als PDF-Datei speichern, z. B. zum Versand per E-Mail (Strg+Umschalt+S)")
        self.save_button.clicked.connect(self.save_pdf)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 8, 0, 0)
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)
        QShortcut(QKeySequence("F5"), self, activated=self.show_preview)
        QShortcut(QKeySequence.StandardKey.Print, self, activated=self.print_document)
        QShortcut(QKeySequence("Ctrl+Shift+S"), self, activated=self.save_pdf)

        self.info_label = QLabel(panel)
        self.info_label.setWordWrap(True)
        self.info_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.info_label)
        self.warnings_label = QLabel(panel)
        self.warnings_label.setObjectName("reportWarnings")
        self.warnings_label.setStyleSheet(NOTE_STYLE.format(name="reportWarnings"))
        self.warnings_label.setWordWrap(True)
        self.warnings_label.hide()
        layout.addWidget(self.warnings_label)
        layout.addStretch(1)
        return panel

    @staticmethod
    def _caption(text: str, parent: QWidget) -> QLabel:
        label = QLabel(text, parent)
        label.setStyleSheet("font-weight: bold;")
        return label

    def _date_edit(self, parent: QWidget, name: str) -> QDateEdit:
        edit = QDateEdit(parent)
        edit.setAccessibleName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd.MM.yyyy")
        edit.setMinimumDate(QDate(1990, 1, 1))
        edit.setMaximumDate(QDate(2199, 12, 31))
        edit.dateChanged.connect(lambda _value: self._choice_changed())
        return edit

    # --- choices -------------------------------------------------------------------------------
    def _today(self) -> date:
        return self.today or date.today()

    def _load_decisions(self) -> None:
        workspace = self.ctx.workspace
        current = self.current_decision()
        self._decisions = workspace.report_decisions()
        self._open_cents = {}
        for choice in self._decisions:
            try:
                self._open_cents[choice.decision_id] = workspace.payment_request_open_cents(choice.decision_id)
            except PaktDeskError:
                self._open_cents[choice.decision_id] = 0
        self.decision_combo.blockSignals(True)
        self.decision_combo.clear()
        for choice in self._decisions:
            years = f"{choice.first_day.year}–{choice.last_day.year}" if choice.first_day.year != \
                choice.last_day.year else str(choice.first_day.year)
            self.decision_combo.addItem(f"{choice.file_number}  ({years})", choice.decision_id)
            self.decision_combo.setItemData(self.decision_combo.count() - 1, self._decision_text(choice),
                                            Qt.ItemDataRole.ToolTipRole)
        if not self._decisions:
            self.decision_combo.setPlaceholderText("Noch keine Bescheide erfasst")
        index = self.decision_combo.findData(current.decision_id) if current else 0
        self.decision_combo.setCurrentIndex(max(index, 0) if self._decisions else -1)
        self.decision_combo.blockSignals(False)
        decision = self.current_decision()
        self.decision_label.setText(self._decision_text(decision) if decision else "")

    @staticmethod
    def _decision_text(choice: DecisionChoice) -> str:
        return (f"{choice.funding_area} · {choice.period.format()}\n"
                f"bewilligt {format_cents(choice.amount_cents)}")

    def current_kind(self) -> ReportKind:
        item = self.kind_list.currentItem()
        return kind(item.data(Qt.ItemDataRole.UserRole) if item else KINDS[0].key)

    def current_decision(self) -> DecisionChoice | None:
        decision_id = self.decision_combo.currentData()
        return next((d for d in self._decisions if d.decision_id == decision_id), None)

    def choose(self, key: str, *, file_number: str | None = None) -> None:
        """Select a document (and a decision by Aktenzeichen), as a clerk would."""
        row = next(i for i, k in enumerate(KINDS) if k.key == key)
        self.kind_list.setCurrentRow(row)
        if file_number is not None:
            index = next(i for i, d in enumerate(self._decisions) if d.file_number == file_number)
            self.decision_combo.setCurrentIndex(index)

    def _kind_changed(self, _row: int) -> None:
        current = self.current_kind()
        self.description_label.setText(current.description)
        self.form.setRowVisible(self.decision_row, current.decision)
        self.form.setRowVisible(self.period_row, current.period)
        self.form.setRowVisible(self.amount_row, current.amount)
        self.form.setRowVisible(self.as_of_edit, current.as_of)
        self.form.setRowVisible(self.receipts_check, current.key in ("proof", "interim"))
        self._set_defaults()

    def _decision_changed(self, _index: int) -> None:
        decision = self.current_decision()
        self.decision_label.setText(self._decision_text(decision) if decision else "")
        self._set_defaults()

    def _set_defaults(self) -> None:
        """Sensible values for the chosen document and decision (the clerk may change them)."""
        current, decision, today = self.current_kind(), self.current_decision(), self._today()
        edits = (self.first_edit, self.last_edit, self.as_of_edit)
        for edit in edits:
            edit.blockSignals(True)
        if current.key == "interim" and decision is not None:
            first, last = interim_default(decision, today)
            self.first_edit.setDate(_qdate(first))
            self.last_edit.setDate(_qdate(last))
        elif current.key == "statement":
            first, last = statement_default(self._decisions, today)
            self.first_edit.setDate(_qdate(first))
            self.last_edit.setDate(_qdate(last))
        self.as_of_edit.setDate(_qdate(today))
        for edit in edits:
            edit.blockSignals(False)
        if current.amount:
            still_open = self._open_cents.get(decision.decision_id, 0) if decision else 0
            self.amount_edit.setText(format_cents(still_open).replace(" €", "") if still_open else "")
            self.open_label.setText(
                f"Noch abrufbar: {format_cents(still_open)}" if still_open
                else "Für diesen Bescheid ist kein Betrag mehr abrufbar.")
        self._choice_changed()

    def current_request(self) -> ReportRequest:
        """What is chosen now; raises ValidationError (German) for an unusable amount or period."""
        current = self.current_kind()
        decision = self.current_decision()
        if current.decision and decision is None:
            raise ValidationError("Bitte zuerst einen Zuwendungsbescheid erfassen (Bereich „Förderung“).")
        first = last = as_of = None
        amount = None
        if current.period:
            first, last = _pydate(self.first_edit.date()), _pydate(self.last_edit.date())
            if last < first:
                raise ValidationError("Der letzte Tag des Zeitraums liegt vor dem ersten.", field="last")
        if current.amount:
            amount = parse_cents(self.amount_edit.text(), field="amount")
        if current.as_of:
            as_of = _pydate(self.as_of_edit.date())
        return ReportRequest(current.key, decision if current.decision else None, first, last, amount, as_of,
                             with_receipt_lists=current.key in ("proof", "interim") and self.receipts_check.isChecked())

    def _choice_changed(self) -> None:
        if self.pdf is None or self.rendered is None:
            return
        try:
            same = self.current_request() == replace(self.rendered, draft=False)
        except PaktDeskError:
            same = False
        self._show_info("" if same else STALE_CHOICE)

    # --- rendering -----------------------------------------------------------------------------
    def is_busy(self) -> bool:
        return self.job is not None

    def show_preview(self) -> None:
        """Render the chosen document and show it on the right."""
        self._render_then(None)

    def _render_then(self, then: Callable[[], None] | None) -> None:
        if self.is_busy():
            return
        request = self.ctx.perform(self.current_request, parent=self, title="Eingabe prüfen")
        if request is None:
            return
        if (then is not None and self.rendered is not None and request == replace(self.rendered, draft=False)
                and self.pdf is not None):
            then()
            return
        request, data = self._gather(request)
        if data is None:
            return
        dialog = QProgressDialog(f"{request.title} wird erstellt …", "Abbrechen", 0, 100, self)
        dialog.setWindowTitle("PDF wird erstellt")
        dialog.setMinimumWidth(380)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(400)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setValue(0)
        job = Job(lambda report: _render_bytes(data, report), name=request.title,
                  on_success=self._rendered, on_failure=self._render_failed,
                  on_cancel=self._render_cancelled, on_finished=self._job_finished)

        def progressed(percent: int) -> None:
            dialog.setValue(percent)
            if dialog.wasCanceled():
                job.cancel()

        job.on_progress = progressed
        dialog.canceled.connect(job.cancel)
        self.destroyed.connect(job.forget_callbacks)  # the page closes (another file opened)
        self.job = job
        self._pending = (request, then)
        self.progress_dialog = dialog
        self._set_busy(True)
        if self.pdf is None:
            self.preview.clear(f"{request.title} wird erstellt …")
        job.start()

    def _rendered(self, outcome: tuple[bytes, RenderResult]) -> None:
        request, then = self._pending
        if self.progress_dialog is not None:
            self.progress_dialog.close()  # before a print or save dialog opens
        self.pdf, self.result = outcome
        self.rendered = request
        self._shown_title = request.title
        self.preview.show_pdf(self.pdf)
        self._show_info()
        if then is not None:
            then()

    def _gather(self, request: ReportRequest) -> tuple[ReportRequest, object | None]:
        """The document's content; a proof of use that cannot be final yet (no Sachbericht) is
        offered as a draft marked "Entwurf"."""
        try:
            return request, request.gather(self.ctx.workspace)
        except ValidationError as err:
            if request.kind != "proof" or err.field != "narrative" or request.draft:
                messages.warn(self, "Dokument nicht erstellt", str(err))
                return request, None
            if not messages.confirm(self, "Nur als Entwurf möglich", f"{err}\n\nJetzt einen Entwurf erstellen "
                                    "(auf jeder Seite als „Entwurf“ markiert)?"):
                return request, None
        except PaktDeskError as err:
            messages.warn(self, "Dokument nicht erstellt", str(err))
            return request, None
        draft = replace(request, draft=True)
        return draft, self.ctx.perform(lambda: draft.gather(self.ctx.workspace), parent=self,
                                       title="Dokument nicht erstellt")

    def _render_failed(self, error: BaseException) -> None:
        if self.pdf is None:
            self.preview.clear(EMPTY_PREVIEW)
        if isinstance(error, PaktDeskError):
            messages.warn(self, "Dokument nicht erstellt", str(error))
            return
        raise error  # unexpected: the crash handler logs it and shows the details

    def _render_cancelled(self) -> None:
        if self.pdf is None:
            self.preview.clear(EMPTY_PREVIEW)
        self.ctx.status_message.emit("Erstellen des Dokuments abgebrochen.")

    def _job_finished(self) -> None:
        if self.job is not None:
            self.destroyed.disconnect(self.job.forget_callbacks)
        if self.progress_dialog is not None:
            self.progress_dialog.close()
            self.progress_dialog.deleteLater()
            self.progress_dialog = None
        self.job = None
        self._set_busy(False)

    def _set_busy(self, busy: bool) -> None:
        for button in (self.preview_button, self.print_button, self.save_button):
            button.setEnabled(not busy)

    def _show_info(self, note: str = "") -> None:
        """Title and page count of what the preview shows, a note, and the document's warnings."""
        if self.result is None:
            self.info_label.clear()
            self.warnings_label.hide()
            return
        text = f"<b>{_html(self._shown_title)}</b> · {_pages(self.result.pages)}"
        if note:
            text += f"<br><span style='color:#8a4b00'>{_html(note)}</span>"
        self.info_label.setText(text)
        if self.result.warnings:
            self.warnings_label.setText("<b>Bitte prüfen:</b><br>" + "<br>".join(
                f"• {_html(w)}" for w in self.result.warnings))
            self.warnings_label.show()
        else:
            self.warnings_label.hide()

    def _data_changed(self, _change) -> None:
        self._load_decisions()
        if self.rendered is not None:
            self.rendered = None  # the data behind the preview changed: print and save render anew
            self._show_info(STALE_DATA)

    # --- saving and printing ---------------------------------------------------------------------
    def _default_folder(self) -> Path:
        return start_folder(self.settings, FOLDER_KEY)

    def save_pdf(self) -> None:
        """Ask where to save, render if needed, write the file atomically."""
        if self.is_busy():
            return
        request = self.ctx.perform(self.current_request, parent=self, title="Eingabe prüfen")
        if request is None:
            return
        suggested = self._default_folder() / request.file_name(self._today())
        name, _ = QFileDialog.getSaveFileName(self, "Als PDF speichern", str(suggested), "PDF-Dateien (*.pdf)")
        if not name:
            return
        target = Path(name)
        if target.suffix.lower() != ".pdf":
            target = target.with_name(target.name + ".pdf")
        self._render_then(lambda: self._write(target))

    def _write(self, target: Path) -> None:
        data = self.pdf
        written = self.ctx.perform(lambda: write_atomically(target, lambda stream: stream.write(data)),
                                   parent=self, title="Nicht gespeichert")
        if written is None:
            return
        self.last_saved = target
        self.settings.setValue(FOLDER_KEY, str(target.parent))
        self.ctx.status_message.emit(f"PDF gespeichert: {target}")
        self._show_info(f"Gespeichert als {target.name}")

    def print_document(self) -> None:
        """Render if needed, then show the print dialog and print."""
        if self.is_busy():
            return
        self._render_then(self._print)

    def _print(self) -> None:
        document = self.preview.document
        count = document.pageCount()
        if not count:
            return
        if self.printer is None:
            self.printer = new_printer(self.rendered.title if self.rendered else "PaktDesk")
        printer = self.printer
        printer.setDocName(self.rendered.title if self.rendered else "PaktDesk")
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(f"{self.rendered.title if self.rendered else 'Dokument'} drucken")
        dialog.setMinMax(1, count)
        dialog.setFromTo(1, count)
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintCurrentPage, True)
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintCollateCopies, True)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        pages = self._pages_to_print(printer, count)
        progress = QProgressDialog("Seiten werden an den Drucker gesendet …", "Abbrechen", 0, len(pages), self)
        progress.setWindowTitle("Drucken")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(400)

        def report(done: int, total: int) -> bool:
            progress.setLabelText(f"Seite {done} von {total} wird gedruckt …")
            progress.setValue(done)
            return not progress.wasCanceled()

        try:
            printed = print_pdf(document, printer, pages, progress=report)
        except OSError as err:
            messages.warn(self, "Nicht gedruckt", f"{err} Bitte den Drucker prüfen.")
            return
        finally:
            progress.close()
        target = printer.outputFileName() or printer.printerName() or "Drucker"
        if printed < len(pages):
            self.ctx.status_message.emit("Drucken abgebrochen.")
        else:
            self.ctx.status_message.emit(f"{_pages(printed)} an „{target}“ gesendet.")

    def _pages_to_print(self, printer: QPrinter, count: int) -> list[int]:
        mode = printer.printRange()
        if mode == QPrinter.PrintRange.CurrentPage:
            pages = [self.preview.current_page()]
        elif mode == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
            pages = list(range(printer.fromPage() - 1, min(printer.toPage(), count)))
        else:
            pages = list(range(count))
        copies = printer.copyCount()
        if copies > 1 and not printer.supportsMultipleCopies():
            pages = pages * copies if printer.collateCopies() else [p for p in pages for _ in range(copies)]
        return pages


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
