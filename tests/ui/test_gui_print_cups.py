"""Printing the demo's proof of use through a real CUPS queue, as the clerk does: Berichte & Druck,
Strg+P, Enter in the print dialog. The job must be small enough for a network office printer
(greyscale, at most 300 dpi: ≤ 8 MB for the whole proof) and every page must arrive, in its own
orientation, readable. The queue is cups-pdf under a scheduler the test starts and stops itself."""

import io
import os
import subprocess
import uuid
from datetime import date

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt, QTimer
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import QApplication, QComboBox

import cups_queue
from PySide6.QtPdf import QPdfDocument

pytestmark = pytest.mark.skipif(bool(cups_queue.missing()), reason=cups_queue.missing() or "CUPS bereit")

MAX_JOB_BYTES = 8_000_000
DECISION_2023 = "15.2-8712.23/1274"
TODAY = date(2025, 3, 12)


def orientations(reader: PdfReader) -> list[str]:
    return ["quer" if float(p.mediabox.width) > float(p.mediabox.height) else "hoch" for p in reader.pages]


def wait_rendered(qtbot, page) -> None:
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=60_000)
    qtbot.waitUntil(lambda: page.preview.document.status() == QPdfDocument.Status.Ready, timeout=10_000)


@pytest.fixture
def queue(monkeypatch):
    name = f"PaktTest{uuid.uuid4().hex[:8]}"
    found, process = cups_queue.start(name)
    monkeypatch.setenv("CUPS_SERVER", str(found.socket))
    monkeypatch.setenv("PRINTER", name)
    before = set(found.out_dir.glob("*.pdf"))
    yield found
    cups_queue.stop(found, process)
    for printed in set(found.out_dir.glob("*.pdf")) - before:  # personal data of the demo: leave none
        printed.unlink()


def answer_print_dialog(qtbot, seen: dict) -> QTimer:
    """Press Enter in the print dialog once it has the focus, noting the printer it offers. A dialog
    still open after 30 s is closed, so that the test fails instead of hanging in its event loop."""
    timer = QTimer()
    ticks = {"shown": 0}

    def check():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QPrintDialog):
            return
        ticks["shown"] += 1
        focus = QApplication.focusWidget()
        if ticks["shown"] > 300:
            timer.stop()
            dialog.reject()
        elif QApplication.activeWindow() is dialog and focus is not None and focus.window() is dialog:
            seen["printer"] = dialog.findChild(QComboBox, "printers").currentText()
            qtbot.keyClick(focus, Qt.Key.Key_Return)

    timer.timeout.connect(check)
    timer.start(100)
    return timer


def pdfimages(path) -> list[dict[str, str]]:
    lines = subprocess.run(["pdfimages", "-list", str(path)], check=True, capture_output=True,
                           text=True).stdout.splitlines()
    header = lines[0].split()
    return [dict(zip(header, line.split())) for line in lines[2:]]


def grey_page(pdf, number: int, size: tuple[int, int]) -> bytes:
    """Page ``number`` of ``pdf`` as 8-bit grey pixels, ``size`` wide and high."""
    out = subprocess.run(["pdftoppm", "-gray", "-f", str(number), "-l", str(number), "-singlefile",
                          "-scale-to-x", str(size[0]), "-scale-to-y", str(size[1]), str(pdf)],
                         check=True, capture_output=True).stdout
    return out.split(b"\n", 3)[3]  # after the PGM header "P5\nW H\n255\n"


def grey_difference(printed, source, number: int, source_number: int | None = None) -> float:
    """Mean difference (0–255) of the printed page and the page drawn from the PDF, at 100 dpi.
    The same page differs by less than 10 (edges of lines drawn as vectors vs. as image); the
    page before or after differs by more than 15."""
    source_number = source_number or number
    landscape = orientations(PdfReader(str(source)))[source_number - 1] == "quer"
    size = (1169, 827) if landscape else (827, 1169)
    a, b = grey_page(printed, number, size), grey_page(source, source_number, size)
    return sum(abs(x - y) for x, y in zip(a, b, strict=True)) / len(a)


def test_the_proof_of_use_goes_to_a_cups_queue_in_greyscale_and_small(qtbot, window, queue, tmp_path):
    page = window.show_section("reports").show_page("Dokumente")
    page.today = TODAY
    page._set_defaults()
    page.choose("proof", file_number=DECISION_2023)
    page.receipts_check.setChecked(True)  # the largest job: every Belegliste too
    before = set(queue.out_dir.glob("*.pdf"))
    seen: dict = {}
    said: list[str] = []
    page.ctx.status_message.connect(said.append)
    timer = answer_print_dialog(qtbot, seen)
    qtbot.keyClick(page, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    wait_rendered(qtbot, page)
    qtbot.waitUntil(lambda: "printer" in seen, timeout=30_000)
    timer.stop()
    assert seen["printer"] == queue.name  # the default printer, as the clerk finds it
    count = page.preview.page_count()
    assert count >= 20

    qtbot.waitUntil(lambda: not queue.jobs_pending(), timeout=60_000)
    jobs = queue.job_files()
    assert len(jobs) == 1
    assert jobs[0].stat().st_size <= MAX_JOB_BYTES, f"{jobs[0].stat().st_size / 1e6:.1f} MB"
    assert {image["color"] for image in pdfimages(jobs[0])} == {"gray"}  # lossless grey, no JPEG colour

    qtbot.waitUntil(lambda: bool(set(queue.out_dir.glob("*.pdf")) - before), timeout=60_000)
    (printed,) = set(queue.out_dir.glob("*.pdf")) - before
    source = tmp_path / "vorschau.pdf"
    source.write_bytes(page.pdf)
    job = tmp_path / "auftrag.pdf"
    job.write_bytes(jobs[0].read_bytes())
    assert orientations(PdfReader(str(job))) == orientations(PdfReader(str(source)))
    for number in (1, count):  # the cover and a landscape Belegliste, as in the preview
        assert grey_difference(job, source, number) < 10, number
    reader = PdfReader(str(printed))
    assert len(reader.pages) == count
    assert set(orientations(reader)) == {"hoch"}  # A4 sheets; landscape pages arrive turned on them
    images = pdfimages(printed)
    assert len(images) == count  # one page image per sheet
    assert {image["color"] for image in images} == {"gray"}
    assert all(280 <= int(image["x-ppi"]) <= 310 for image in images), images[:3]
    assert grey_difference(printed, source, 1) < 10
    assert grey_difference(printed, source, 1, 2) > 15  # the comparison tells pages apart
    if os.environ.get("PAKTDESK_KEEP_PRINTS"):  # for looking at the printed pages
        for number in range(1, count + 1):
            subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", str(number), "-l", str(number), str(printed),
                            os.path.join(os.environ["PAKTDESK_KEEP_PRINTS"], f"gedruckt-{number:02}")], check=True)
    assert said[-1] == f"{count} Seiten an „{queue.name}“ gesendet."
