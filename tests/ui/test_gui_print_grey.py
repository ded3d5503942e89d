"""Printing without a print server: the pages PaktDesk hands to a printer are lossless grey images
at the printer's resolution capped at 300 dpi, even when the print dialog preset colour (the Unix
dialog takes the printer's default), so a 20-page job stays a few MB instead of 24 MB of JPEG."""

import shutil
import subprocess
from datetime import date

import pytest
from pypdf import PdfReader
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter

from paktdesk.ui.pdf_preview import PRINT_DPI, new_printer, print_pdf, print_resolution

pytestmark = pytest.mark.skipif(shutil.which("pdfimages") is None, reason="poppler-utils fehlt")


def test_pages_go_to_the_printer_grey_at_300_dpi_even_when_colour_was_chosen(qtbot, demo_ws, tmp_path):
    source = tmp_path / "nachweis.pdf"
    decision = next(d.id for d in demo_ws.decisions() if d.file_number == "15.2-8712.23/1274")
    demo_ws.print_proof_of_use(decision, source, printed_on=date(2025, 3, 12), draft=True)
    document = QPdfDocument()
    document.load(str(source))
    pages = document.pageCount()
    printer = new_printer("Verwendungsnachweis")
    assert printer.colorMode() == QPrinter.ColorMode.GrayScale
    printer.setColorMode(QPrinter.ColorMode.Color)  # what the print dialog leaves for a colour printer
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setResolution(1200)
    out = tmp_path / "gedruckt.pdf"
    printer.setOutputFileName(str(out))
    assert print_resolution(printer) == PRINT_DPI == 300
    assert print_pdf(document, printer, list(range(pages))) == pages
    assert len(PdfReader(str(out)).pages) == pages
    listing = subprocess.run(["pdfimages", "-list", str(out)], check=True, capture_output=True,
                             text=True).stdout.splitlines()[2:]
    assert len(listing) == pages
    assert {line.split()[5] for line in listing} == {"gray"}  # column "color"
    assert {line.split()[8] for line in listing} == {"image"}  # column "enc": lossless, not "jpeg"
    assert {line.split()[12] for line in listing} == {"300"}  # column "x-ppi"
    assert out.stat().st_size < 400_000 * pages


def test_a_low_resolution_printer_gets_its_own_resolution():
    printer = new_printer("Test")
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setResolution(150)
    assert print_resolution(printer) == 150
