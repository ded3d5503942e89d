"""A PDF shown inside PaktDesk (QtPdf), with page navigation and zoom, and printing it.

The PDF is held in memory (no temporary file with personal data on disk). ``QPdfView`` draws
pages asynchronously; ``QPdfDocument.render`` gives pages with a transparent background, so
printed pages are painted on white first."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QIcon,
    QImage,
    QKeySequence,
    QPageLayout,
    QPageSize,
    QPainter,
    QShortcut,
)
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QStackedWidget,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

FIT_WIDTH = "Seitenbreite"
FIT_PAGE = "Ganze Seite"
ZOOM_STEPS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0)
# The printer's own resolution, capped: 300 dpi keeps text sharp on an office printer; more only makes
# the job bigger (a 600-dpi page is four times the data) and slow on a network printer.
PRINT_DPI = 300


def _percent(factor: float) -> str:
    return f"{round(factor * 100)} %"


class PdfPreview(QWidget):
    """Toolbar (pages, zoom) above a ``QPdfView``; a friendly note while there is no PDF."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = QPdfDocument(self)
        self._buffer: QBuffer | None = None
        self.document.statusChanged.connect(self._status_changed)

        icon = self.style().standardIcon
        self.first_button = self._tool(icon(QStyle.StandardPixmap.SP_MediaSkipBackward), "Erste Seite",
                                       lambda: self.go_to(0))
        self.previous_button = self._tool(icon(QStyle.StandardPixmap.SP_ArrowLeft), "Vorige Seite",
                                          lambda: self.go_to(self.current_page() - 1))
        self.page_spin = QSpinBox(self)
        self.page_spin.setAccessibleName("Seite")
        self.page_spin.setMinimum(1)
        self.page_spin.setKeyboardTracking(False)
        self.page_spin.valueChanged.connect(lambda value: self.go_to(value - 1))
        self.count_label = QLabel("von 0", self)
        self.next_button = self._tool(icon(QStyle.StandardPixmap.SP_ArrowRight), "Nächste Seite",
                                      lambda: self.go_to(self.current_page() + 1))
        self.last_button = self._tool(icon(QStyle.StandardPixmap.SP_MediaSkipForward), "Letzte Seite",
                                      lambda: self.go_to(self.page_count() - 1))
        self.zoom_out_button = self._tool("−", "Verkleinern (Strg+−)", self.zoom_out)
        self.zoom_combo = QComboBox(self)
        self.zoom_combo.setAccessibleName("Zoom")
        self.zoom_combo.addItems([FIT_WIDTH, FIT_PAGE] + [_percent(f) for f in ZOOM_STEPS])
        self.zoom_combo.textActivated.connect(self._zoom_chosen)
        self.zoom_in_button = self._tool("+", "Vergrößern (Strg++)", self.zoom_in)

        bar = QHBoxLayout()
        bar.setContentsMargins(6, 4, 6, 4)
        bar.setSpacing(4)
        for widget in (self.first_button, self.previous_button, QLabel("Seite", self), self.page_spin,
                       self.count_label, self.next_button, self.last_button):
            bar.addWidget(widget)
        bar.addStretch(1)
        for widget in (self.zoom_out_button, self.zoom_combo, self.zoom_in_button):
            bar.addWidget(widget)
        self.toolbar = QFrame(self)
        self.toolbar.setObjectName("pdfToolbar")
        self.toolbar.setStyleSheet("#pdfToolbar { border-bottom: 1px solid palette(mid); }")
        self.toolbar.setLayout(bar)

        self.view = QPdfView(self)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setPageSpacing(12)
        self.view.setStyleSheet("QPdfView { background: #8a8f96; }")
        self.view.setDocument(self.document)
        self.view.pageNavigator().currentPageChanged.connect(self._page_changed)

        self.placeholder = QLabel(self)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.placeholder.setObjectName("pdfPlaceholder")
        self.placeholder.setStyleSheet("#pdfPlaceholder { color: palette(placeholder-text); font-size: 12pt;"
                                       " padding: 40px; }")
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(self.view)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.stack, 1)
        QShortcut(QKeySequence.StandardKey.ZoomIn, self, activated=self.zoom_in)
        QShortcut(QKeySequence("Ctrl+="), self, activated=self.zoom_in)
        QShortcut(QKeySequence.StandardKey.ZoomOut, self, activated=self.zoom_out)
        self.clear("Noch keine Vorschau.")

    def _tool(self, face: str | QIcon, tip: str, slot: Callable[[], None]) -> QToolButton:
        button = QToolButton(self)
        if isinstance(face, QIcon):
            button.setIcon(face)
        else:
            button.setText(face)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.setAutoRaise(True)
        button.setMinimumWidth(28)
        button.clicked.connect(slot)
        return button

    # --- content -----------------------------------------------------------------------------
    def show_pdf(self, data: bytes) -> None:
        """Show a PDF from memory (``document.status()`` is Ready once it can be seen)."""
        old = self._buffer
        self.document.close()
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(data))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)
        if old is not None:
            old.close()
            old.deleteLater()

    def clear(self, message: str) -> None:
        """No PDF: show ``message`` instead (a hint what to do)."""
        self.document.close()
        if self._buffer is not None:
            self._buffer.close()
            self._buffer.deleteLater()
            self._buffer = None
        self.placeholder.setText(message)
        self.stack.setCurrentWidget(self.placeholder)
        self._update_controls()

    def has_pdf(self) -> bool:
        return self.document.status() == QPdfDocument.Status.Ready and self.document.pageCount() > 0

    def page_count(self) -> int:
        return self.document.pageCount() if self.has_pdf() else 0

    def current_page(self) -> int:
        return self.view.pageNavigator().currentPage()

    def _status_changed(self, status: QPdfDocument.Status) -> None:
        if status == QPdfDocument.Status.Ready:
            self.stack.setCurrentWidget(self.view)
            self._update_controls()
            self.go_to(0)
        elif status == QPdfDocument.Status.Error:
            self.clear("Die Vorschau kann nicht angezeigt werden.")

    # --- navigation and zoom -------------------------------------------------------------------
    def go_to(self, page: int) -> None:
        if not self.has_pdf():
            return
        page = max(0, min(page, self.page_count() - 1))
        navigator = self.view.pageNavigator()
        navigator.jump(page, QPointF(), navigator.currentZoom())
        self._page_changed(page)

    def _page_changed(self, page: int) -> None:
        self.page_spin.blockSignals(True)
        self.page_spin.setValue(page + 1)
        self.page_spin.blockSignals(False)
        self._update_controls()

    def _update_controls(self) -> None:
        count = self.page_count()
        page = self.current_page() if count else 0
        self.page_spin.setMaximum(max(count, 1))
        self.count_label.setText(f"von {count}")
        for widget in (self.page_spin, self.zoom_combo, self.zoom_in_button, self.zoom_out_button):
            widget.setEnabled(bool(count))
        self.first_button.setEnabled(count > 0 and page > 0)
        self.previous_button.setEnabled(count > 0 and page > 0)
        self.next_button.setEnabled(count > 0 and page < count - 1)
        self.last_button.setEnabled(count > 0 and page < count - 1)

    def _zoom_chosen(self, text: str) -> None:
        if text == FIT_WIDTH:
            self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        elif text == FIT_PAGE:
            self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
        else:
            self.set_zoom(int(text.rstrip(" %")) / 100)

    def set_zoom(self, factor: float) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(factor)
        text = _percent(factor)
        if self.zoom_combo.findText(text) < 0:
            self.zoom_combo.addItem(text)
        self.zoom_combo.setCurrentText(text)

    def zoom_in(self) -> None:
        current = self.view.zoomFactor()
        self.set_zoom(next((f for f in ZOOM_STEPS if f > current + 0.01), ZOOM_STEPS[-1]))

    def zoom_out(self) -> None:
        current = self.view.zoomFactor()
        self.set_zoom(next((f for f in reversed(ZOOM_STEPS) if f < current - 0.01), ZOOM_STEPS[0]))


def page_on_white(document: QPdfDocument, index: int, size: QSize) -> QImage:
    """Page ``index`` rendered at ``size`` on an opaque white background."""
    rendered = document.render(index, size)
    page = QImage(size, QImage.Format.Format_RGB32)
    page.fill(QColor("white"))
    painter = QPainter(page)
    painter.drawImage(0, 0, rendered)
    painter.end()
    return page


def new_printer(title: str) -> QPrinter:
    """An A4 printer for PaktDesk's forms: full page (the PDF has its own margins), greyscale."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setFullPage(True)
    printer.setColorMode(QPrinter.ColorMode.GrayScale)
    printer.setDocName(title)
    printer.setCreator("PaktDesk")
    return printer


def print_resolution(printer: QPrinter) -> int:
    """Dots per inch of the page images sent to ``printer``: its own resolution, at most PRINT_DPI."""
    return max(72, min(printer.resolution(), PRINT_DPI))


def print_pdf(document: QPdfDocument, printer: QPrinter, pages: list[int], *,
              progress: Callable[[int, int], bool] | None = None) -> int:
    """Print ``pages`` (0-based) of ``document``: each page A4 in its own orientation, scaled to the
    sheet. ``progress(done, total)`` returns False to cancel. Returns the pages printed.

    PaktDesk's forms are text pages (black text, light grey fills), so they always go out in
    greyscale, whatever colour the print dialog preset from the printer's default: Qt then sends
    each page as a lossless grey image instead of a JPEG-compressed colour one, which keeps text
    sharp and the job about a quarter of the size (the demo's proof of use: 7 MB, not 27 MB)."""
    printer.setColorMode(QPrinter.ColorMode.GrayScale)
    painter = QPainter()
    printed = 0
    try:
        for number, index in enumerate(pages):
            size = document.pagePointSize(index)
            landscape = size.width() > size.height()
            printer.setPageOrientation(QPageLayout.Orientation.Landscape if landscape
                                       else QPageLayout.Orientation.Portrait)
            if number == 0:
                if not painter.begin(printer):
                    raise OSError("Der Drucker kann nicht geöffnet werden.")
            elif not printer.newPage():
                raise OSError("Der Drucker hat die nächste Seite abgelehnt.")
            sheet = QRectF(printer.pageLayout().fullRectPixels(printer.resolution()))
            dpi = print_resolution(printer)
            pixels = QSize(round(size.width() / 72 * dpi), round(size.height() / 72 * dpi))
            image = page_on_white(document, index, pixels).convertToFormat(QImage.Format.Format_Grayscale8)
            scale = min(sheet.width() / size.width(), sheet.height() / size.height())
            target = QRectF(0, 0, size.width() * scale, size.height() * scale)
            target.moveCenter(sheet.center())
            painter.drawImage(target, image)
            printed += 1
            if progress is not None and not progress(printed, len(pages)):
                printer.abort()
                break
    finally:
        if painter.isActive():
            painter.end()
    return printed
