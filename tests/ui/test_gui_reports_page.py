"""Berichte & Druck on the demo: every document previews inside PaktDesk with the PDF's page count,
"Als PDF speichern" writes the complete document (Aktenzeichen and Belegliste totals as stored),
cancelling leaves no file (and an existing one untouched), printing to a PDF printer gives the
same pages in the same orientations."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import threading
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QPushButton

from paktdesk.core.money import format_cents
from paktdesk.ui.pages import reports as reports_page
from paktdesk.ui.pdf_preview import new_printer
from paktdesk.ui.report_kinds import KINDS, ReportRequest
from paktdesk.workspace.reports import DecisionChoice

DECISION_2023 = "15.2-8712.23/1274"
DECISION_2017 = "15.2-8712.17/0815"
TODAY = date(2025, 3, 12)


def pdf_text(path: Path) -> str:
    if shutil.which("pdftotext"):
        return subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"], check=True,
                              capture_output=True, text=True, encoding="utf-8").stdout
    return "\n".join(p.extract_text(extraction_mode="layout") for p in PdfReader(str(path)).pages)


def pdf_pages(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def orientations(reader: PdfReader) -> list[str]:
    return ["quer" if float(p.mediabox.width) > float(p.mediabox.height) else "hoch" for p in reader.pages]


@pytest.fixture
def page(window):
    section = window.show_section("reports")
    found = section.show_page("Dokumente")
    found.today = TODAY
    found._set_defaults()
    return found


def wait_rendered(qtbot, page) -> None:
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=60_000)
    qtbot.waitUntil(lambda: page.preview.document.status() == QPdfDocument.Status.Ready, timeout=10_000)


def press_cancel(qtbot, dialog) -> None:
    """Click "Abbrechen" in the progress dialog, as the clerk would."""
    dialog.show()
    button = dialog.findChild(QPushButton)
    assert button.text() == "Abbrechen"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def save_answer(monkeypatch, target: Path) -> list[str]:
    """Answer the save dialog with ``target``; returns the suggested paths."""
    suggested: list[str] = []

    def answer(parent, caption, directory, file_filter, *args, **kwargs):
        suggested.append(directory)
        return str(target), file_filter

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(answer))
    return suggested


@pytest.mark.parametrize("kind", [k.key for k in KINDS])
def test_every_document_previews_with_the_pdfs_page_count(qtbot, page, kind, message_boxes):
    page.choose(kind, file_number=DECISION_2023 if kind == "request" else None)
    page.show_preview()
    assert page.is_busy()
    wait_rendered(qtbot, page)
    assert message_boxes == []
    assert page.pdf.startswith(b"%PDF")
    count = pdf_pages(page.pdf)
    assert count >= 1
    assert page.preview.page_count() == count == page.result.pages
    assert page.preview.count_label.text() == f"von {count}"
    assert f"{count} Seite" in page.info_label.text()
    assert page.preview.stack.currentWidget() is page.preview.view
    if count > 1:
        page.preview.next_button.click()
        assert page.preview.current_page() == 1
        assert page.preview.page_spin.value() == 2


def test_defaults_follow_the_document_and_the_decision(page, check_ws):
    ws = check_ws()
    page.choose("interim", file_number=DECISION_2023)
    # the decision ran 2023-2024: its last complete calendar year before TODAY
    assert page.current_request().first == date(2024, 1, 1)
    assert page.current_request().last == date(2024, 12, 31)
    page.choose("statement")
    assert (page.current_request().first, page.current_request().last) == (date(2024, 1, 1), date(2024, 12, 31))
    page.choose("request", file_number=DECISION_2023)
    decision = ws.decision_by_file_number(DECISION_2023)
    assert page.current_request().amount_cents == ws.payment_request_open_cents(decision) > 0
    assert format_cents(ws.payment_request_open_cents(decision)) in page.open_label.text()
    page.choose("qualifications")
    assert page.current_request().as_of == TODAY
    assert not page.decision_row.isVisible() and page.as_of_edit.isVisible()
    ws.close()


def test_save_as_pdf_writes_the_whole_proof_of_use(qtbot, page, monkeypatch, tmp_path, check_ws):
    ws = check_ws()
    decision = ws.decision_by_file_number(DECISION_2023)
    target = tmp_path / "out" / "Nachweis.pdf"
    target.parent.mkdir()
    suggested = save_answer(monkeypatch, target)
    page.choose("proof", file_number=DECISION_2023)
    page.receipts_check.setChecked(True)  # the whole package, Beleglisten included
    page.save_pdf()
    wait_rendered(qtbot, page)
    assert Path(suggested[0]).name == "Verwendungsnachweis 15.2-8712.23-1274.pdf"
    assert target.read_bytes() == page.pdf
    assert len(PdfReader(str(target)).pages) == page.preview.page_count()
    assert [p.name for p in target.parent.iterdir()] == ["Nachweis.pdf"]  # no temporary file left
    text = pdf_text(target)
    assert f"Aktenzeichen: {DECISION_2023}" in text
    labels = {c.code: c.label for c in ws.cost_categories()}
    totals: dict[str, int] = defaultdict(int)
    for receipt in ws.receipts(decision):
        totals[receipt.cost_category] += receipt.amount_cents
    assert totals
    lines = text.splitlines()
    for code, total in totals.items():
        sum_lines = [line for line in lines if f"Summe {labels[code]}" in line]
        assert sum_lines, labels[code]
        assert sum_lines[-1].rstrip().endswith(format_cents(total)), (sum_lines, format_cents(total))
    ws.close()

    # the next save suggests the folder used last
    suggested = save_answer(monkeypatch, tmp_path / "again.pdf")
    page.save_pdf()  # same choice: written from the preview, no new rendering
    assert not page.is_busy()
    assert Path(suggested[0]).parent == target.parent
    assert (tmp_path / "again.pdf").read_bytes() == page.pdf


def test_cancel_leaves_no_file_and_an_old_file_untouched(qtbot, page, monkeypatch, tmp_path):
    gate = threading.Event()
    real = reports_page._render_bytes

    def held(document, report):  # the worker waits until the test pressed "Abbrechen"
        gate.wait(30)
        return real(document, report)

    monkeypatch.setattr(reports_page, "_render_bytes", held)
    folder = tmp_path / "Ablage"
    folder.mkdir()
    fresh = folder / "neu.pdf"
    save_answer(monkeypatch, fresh)
    page.choose("proof", file_number=DECISION_2023)
    page.save_pdf()
    assert page.is_busy() and page.progress_dialog is not None
    press_cancel(qtbot, page.progress_dialog)
    gate.set()
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=60_000)
    assert not fresh.exists()
    assert list(folder.iterdir()) == []
    assert page.pdf is None and not page.preview.has_pdf()

    old = folder / "alt.pdf"
    old.write_bytes(b"%PDF-1.4 the old version")
    save_answer(monkeypatch, old)
    gate.clear()
    page.save_pdf()
    press_cancel(qtbot, page.progress_dialog)
    gate.set()
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=60_000)
    assert old.read_bytes() == b"%PDF-1.4 the old version"
    assert [p.name for p in folder.iterdir()] == ["alt.pdf"]


def test_print_to_a_pdf_printer_gives_the_same_pages(qtbot, page, monkeypatch, tmp_path):
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    out = tmp_path / "gedruckt.pdf"
    printer = new_printer("Test")
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    printer.setResolution(72)  # small page images: the test is about pages, not sharpness
    page.printer = printer
    page.choose("proof", file_number=DECISION_2023)
    page.print_document()  # renders first, then prints
    wait_rendered(qtbot, page)
    qtbot.waitUntil(out.exists, timeout=60_000)
    source = PdfReader(io.BytesIO(page.pdf))
    printed = PdfReader(str(out))
    assert len(printed.pages) == len(source.pages) == page.preview.page_count()
    assert orientations(printed) == orientations(source)
    assert "quer" in orientations(source) and "hoch" in orientations(source)  # Beleglisten are landscape


def test_print_a_page_range(qtbot, page, monkeypatch, tmp_path):
    out = tmp_path / "seiten.pdf"

    def accept_pages_2_to_3(dialog):
        dialog.printer().setPrintRange(QPrinter.PrintRange.PageRange)
        dialog.printer().setFromTo(2, 3)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", accept_pages_2_to_3)
    page.printer = new_printer("Test")
    page.printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    page.printer.setOutputFileName(str(out))
    page.printer.setResolution(72)
    page.choose("proof", file_number=DECISION_2023)
    page.show_preview()
    wait_rendered(qtbot, page)
    page.print_document()  # the preview shows this choice: no new rendering
    assert not page.is_busy()
    assert len(PdfReader(str(out)).pages) == 2


def test_bad_input_and_impossible_requests_explain_themselves(qtbot, page, message_boxes):
    page.choose("request", file_number=DECISION_2017)
    page.amount_edit.setText("12,3,4")
    page.show_preview()
    assert not page.is_busy()
    assert message_boxes[-1][0] == "warning" and "kein gültiger Betrag" in message_boxes[-1][2]
    page.amount_edit.setText("9.999.999,00")
    page.show_preview()
    assert not page.is_busy()
    assert "höchstens" in message_boxes[-1][2]
    page.choose("interim", file_number=DECISION_2023)
    page.last_edit.setDate(page.first_edit.date().addDays(-1))
    page.show_preview()
    assert "vor dem ersten" in message_boxes[-1][2]
    assert page.pdf is None


def test_warnings_and_a_stale_preview_are_shown(qtbot, page, window, monkeypatch):
    page.choose("proof", file_number=DECISION_2017)  # the 2017 decision has no Sachbericht
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    page.show_preview()  # offered as a draft, accepted
    wait_rendered(qtbot, page)
    assert page.rendered.draft
    assert page.warnings_label.isVisible()
    assert "kein Sachbericht" in page.warnings_label.text()
    assert page.result.warnings and all(re.sub("<[^>]+>", "", w) for w in page.result.warnings)

    page.choose("proof", file_number=DECISION_2023)
    assert "vorige Auswahl" in page.info_label.text()
    page.show_preview()
    wait_rendered(qtbot, page)
    assert "vorige Auswahl" not in page.info_label.text()
    assert not page.warnings_label.isVisible()

    decision = page.current_decision().decision_id
    window.ctx.workspace.save_narrative(decision, "1. Ausgangslage\n\nNeu geschrieben.")
    assert page.rendered is None  # the next print or save renders the new state
    assert "Daten wurden seit der Vorschau geändert" in page.info_label.text()


def test_report_requests_name_their_files():
    decision = DecisionChoice(2, "15.2-8712.23/1274", "Integrationsmanagement", date(2023, 1, 1),
                              date(2024, 12, 31), 39000000)
    day = date(2025, 3, 12)
    assert ReportRequest("proof", decision).file_name(day) == "Verwendungsnachweis 15.2-8712.23-1274.pdf"
    assert (ReportRequest("interim", decision, date(2024, 1, 1), date(2024, 6, 30)).file_name(day)
            == "Zwischennachweis 15.2-8712.23-1274 01.01.2024-30.06.2024.pdf")
    assert ReportRequest("statement", None, date(2024, 1, 1), date(2024, 12, 31)).file_name(day) == \
        "Förderübersicht 2024.pdf"
    assert ReportRequest("statement", None, date(2024, 1, 1), date(2024, 6, 30)).file_name(day) == \
        "Förderübersicht 01.01.2024-30.06.2024.pdf"
    assert ReportRequest("request", decision, amount_cents=100).file_name(day) == \
        "Mittelabruf 15.2-8712.23-1274 12.03.2025.pdf"
    assert ReportRequest("qualifications", as_of=day).file_name(day) == "Qualifikationsübersicht 12.03.2025.pdf"


def test_progress_reports_do_not_leak_references_to_true(qtbot):
    """PySide6 6.12.0's ``Signal.emit()`` drops a reference to ``True`` per call; hundreds of
    progress signals per document would make the interpreter abort at exit. The worker reports
    progress without emitting (the GUI thread polls), so 5,000 reports cost nothing."""
    import sys

    from paktdesk.ui.workers import Job

    seen: list[int] = []
    done: list[object] = []

    def work(report):
        for step in range(5000):
            report(step, 5000)
        return "fertig"

    job = Job(work, on_progress=seen.append, on_success=done.append)
    before = sys.getrefcount(True)
    job.start()
    qtbot.waitUntil(lambda: done == ["fertig"], timeout=30_000)
    assert before - sys.getrefcount(True) < 500  # emitting per report would lose about 5,000
    assert seen == sorted(seen) and seen[-1] == 99


def test_a_proof_without_sachbericht_is_offered_as_a_draft_and_beleglisten_are_a_choice(qtbot, page,
                                                                                      message_boxes):
    page.choose("proof", file_number=DECISION_2017)
    page.show_preview()  # the question is answered "Nein" by the fixture: nothing is rendered
    assert message_boxes[-1][0] == "question" and "Entwurf" in message_boxes[-1][2]
    assert "Es fehlt der Sachbericht" in message_boxes[-1][2]
    assert page.pdf is None
    page.choose("proof", file_number=DECISION_2023)
    assert page.receipts_check.isVisible() and not page.receipts_check.isChecked()
    page.show_preview()
    wait_rendered(qtbot, page)
    without = page.result.pages
    qtbot.keyClick(page.receipts_check, Qt.Key.Key_Space)
    assert page.receipts_check.isChecked() and page.current_request().with_receipt_lists
    page.show_preview()
    wait_rendered(qtbot, page)
    assert page.result.pages > without + 5
    page.choose("statement")
    assert not page.receipts_check.isVisible()
