"""The Export page on the demo: JSON, XLSX and CSV written through the page on a worker thread
(the file dialog patched to a tmp path), the preview's figures equal the Datenbestand's, a
period narrows what goes out, and a failed check refuses with its German message."""

from __future__ import annotations

import json
import shutil
import sqlite3
import threading
import zipfile
from datetime import date
from pathlib import Path

import jsonschema
import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from paktdesk.core.money import format_cents
from paktdesk.exchange.document import TABLES
from paktdesk.ui import workers
from paktdesk.ui.pages.export import ExportPage, default_file_name
from paktdesk.workspace.exchange import ExchangeUseCases, ExportJob

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "resources" / "paktdesk-exchange.schema.json"


@pytest.fixture
def page(window, qtbot) -> ExportPage:
    page = window.show_section("export").show_page("Export")
    _settle(qtbot, page)
    return page


def _settle(qtbot, page: ExportPage) -> None:
    """Wait until the preview (computed on a worker thread) shows the chosen period."""
    qtbot.waitUntil(lambda: not page.preview_busy(), timeout=30_000)


@pytest.fixture
def save_to(monkeypatch):
    """Patch the save dialog to answer with a chosen path; records what it was offered."""
    offered: list[str] = []

    def choose(path: Path):
        def dialog(parent, title, start, file_filter, *args, **kwargs):
            offered.append(start)
            return str(path), file_filter
        monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(dialog))
        return offered
    return choose


def _export(qtbot, page: ExportPage) -> bool:
    with qtbot.waitSignal(page.export_done, timeout=60_000) as blocker:
        qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    return blocker.args[0]


def test_json_through_the_page_is_valid_and_complete(page, qtbot, tmp_path, save_to, check_ws, message_boxes,
                                                     monkeypatch):
    threads = []
    original = ExportJob.write

    def write(job, path):
        threads.append(threading.get_ident())
        return original(job, path)
    monkeypatch.setattr(ExportJob, "write", write)
    target = tmp_path / "ausgabe" / "lindenbach"  # no suffix typed: the page adds .json
    target.parent.mkdir()
    offered = save_to(target)
    assert _export(qtbot, page) is True
    written = target.with_name("lindenbach.json")
    assert written.is_file() and not list(target.parent.glob(".*.tmp"))
    assert Path(offered[0]).name == "Austausch_08125097_gesamt.json"
    assert len(threads) == 1 and threads[0] != threading.get_ident()  # written on the worker thread

    document = json.loads(written.read_text(encoding="utf-8"))
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    assert list(validator.iter_errors(document)) == []
    ws = check_ws()
    counts = ws.counts()
    for table in ("persons", "decisions", "decision_versions", "payments", "receipts", "pass_throughs",
                  "key_figures", "narrative_reports"):
        assert document["control_totals"][table]["count"] == counts[table], table
    assert ws.audit_entries(entity="export")[0].action == "Austauschdatei exportiert"
    ws.close()

    assert page.result_label.isVisible()
    assert "JSON-Austauschdatei geschrieben" in page.result_label.text()
    assert "Belege 400 (544.733,74 €)" in page.last_summary
    assert page.export_button.isEnabled() and page.task is None
    assert message_boxes == []


def test_xlsx_through_the_page_opens_with_openpyxl(page, qtbot, tmp_path, save_to, check_ws):
    target = tmp_path / "lindenbach.xlsx"
    page.set_format("xlsx")
    page.set_period("year", year=2024)
    _settle(qtbot, page)
    offered = save_to(target)
    assert _export(qtbot, page) is True
    assert Path(offered[0]).name == "Austausch_08125097_2024.xlsx"
    book = openpyxl.load_workbook(target, read_only=True)
    assert "Auswertung Zeitraum" in book.sheetnames and "Belege" in book.sheetnames
    receipts = list(book["Belege"].iter_rows(values_only=True))
    assert len(receipts) - 1 == page.preview_counts()["receipts"]
    book.close()
    ws = check_ws()
    in_2024 = [r for d in ws.decisions() for r in ws.receipts(d.id)
               if date(2024, 1, 1) <= r.receipt_date <= date(2024, 12, 31)]
    ws.close()
    assert 0 < page.preview_counts()["receipts"] == len(in_2024) < 400


def test_csv_zip_through_the_page_has_every_table(page, qtbot, tmp_path, save_to):
    target = tmp_path / "lindenbach.zip"
    page.set_format("csv")
    page.set_period("range", first=date(2023, 7, 1), last=date(2024, 6, 30))
    _settle(qtbot, page)
    offered = save_to(target)
    assert _export(qtbot, page) is True
    assert Path(offered[0]).name == "Austausch_08125097_2023-07-01_bis_2024-06-30_CSV.zip"
    with zipfile.ZipFile(target) as archive:
        names = archive.namelist()
        receipts = archive.read(next(n for n in names if n.endswith("_belege.csv"))).decode("utf-8-sig")
    assert len(names) == len(TABLES) + 2  # info, every table, control totals
    assert receipts.count("\n") - 1 == page.preview_counts()["receipts"]


def test_preview_counts_equal_the_workspace(page, check_ws):
    ws = check_ws()
    counts, totals = ws.counts(), ws.control_totals()
    ws.close()
    shown = page.preview_counts()
    for table in ("persons", "decisions", "decision_versions", "positions", "payments", "receipts",
                  "pass_throughs", "key_figures", "narrative_reports", "providers"):
        assert shown[table] == counts[table], table
    rows = {page.preview_table.item(r, 0).data(Qt.ItemDataRole.UserRole): r
            for r in range(page.preview_table.rowCount())}
    receipts_row = rows["receipts"]
    assert page.preview_table.item(receipts_row, 1).text() == "400"
    assert page.preview_table.item(receipts_row, 2).text() == format_cents(totals["receipts"][1])
    assert page.preview_table.item(rows["persons"], 2).text() == ""  # no sum where it means nothing
    assert "Gemeinde Lindenbach" in page.owner_label.text() and "08125097" in page.owner_label.text()
    assert "personenbezogene Daten" in page.warning_label.text()


def test_period_changes_the_preview_and_a_wrong_range_blocks(page, qtbot):
    whole = page.preview_counts()["receipts"]
    page.set_period("year", year=2024)
    _settle(qtbot, page)
    in_year = page.preview_counts()["receipts"]
    assert 0 < in_year < whole
    assert "01.01.2024 – 31.12.2024" in page.owner_label.text()

    page.set_period("range", first=date(2024, 6, 1), last=date(2024, 1, 1))
    assert not page.export_button.isEnabled()
    assert page.period_error.isVisible()
    assert "Ende des Zeitraums liegt vor dem Beginn" in page.period_error.text()
    page.to_edit.setDate(page.to_edit.date().addYears(1))
    qtbot.waitUntil(lambda: page.export_button.isEnabled())
    _settle(qtbot, page)
    assert not page.period_error.isVisible()
    assert "01.06.2024 – 01.01.2025" in page.owner_label.text()


def test_failed_check_refuses_with_its_message(page, qtbot, tmp_path, save_to, demo_file, message_boxes,
                                               check_ws):
    conn = sqlite3.connect(demo_file)
    conn.execute("UPDATE receipts SET amount_cents = amount_cents + 1 WHERE id = 5")
    conn.commit()
    conn.close()
    target = tmp_path / "nie.json"
    save_to(target)
    assert _export(qtbot, page) is False
    assert not target.exists()
    kind, title, text = message_boxes[-1]
    assert (kind, title) == ("warning", "Export nicht geschrieben")
    assert "Prüfung des Datenbestands ist fehlgeschlagen" in text
    ws = check_ws()
    assert ws.audit_entries(entity="export") == []
    ws.close()


def test_cancelled_file_dialog_writes_nothing(page, monkeypatch, tmp_path):
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: ("", "")))
    assert page.export() is False
    assert page.task is None and page.result_label.isHidden()


def test_write_failure_is_a_german_message(page, qtbot, tmp_path, save_to, message_boxes):
    folder = tmp_path / "ordner.json"
    folder.mkdir()  # the chosen "file" is a folder: the worker's writing fails
    save_to(folder)
    assert _export(qtbot, page) is False
    kind, title, text = message_boxes[-1]
    assert (kind, title) == ("warning", "Export nicht geschrieben")
    assert "ist ein Ordner" in text


def test_default_file_names():
    assert default_file_name("08125097", (None, None), "json") == "Austausch_08125097_gesamt.json"
    assert default_file_name("08125097", (date(2024, 1, 1), date(2024, 12, 31)), "xlsx") == \
        "Austausch_08125097_2024.xlsx"
    assert default_file_name("08125097", (date(2024, 1, 1), date(2024, 6, 30)), "csv") == \
        "Austausch_08125097_2024-01-01_bis_2024-06-30_CSV.zip"


def test_preview_is_worked_out_on_a_worker_even_when_another_file_opens(window, qtbot, monkeypatch, demo_file,
                                                                       tmp_path):
    threads = []
    original = ExchangeUseCases.export_overview

    def overview(ws, first=None, last=None):
        threads.append(threading.get_ident())
        return original(ws, first, last)
    monkeypatch.setattr(ExchangeUseCases, "export_overview", overview)
    page = window.show_section("export").show_page("Export")
    assert page.preview_task is not None  # started by showing the page
    other = tmp_path / "andere.paktdesk"
    shutil.copyfile(demo_file, other)
    assert window.open_path(other)  # the page goes away while its preview is computed
    qtbot.waitUntil(lambda: workers.running_jobs() == 0, timeout=30_000)
    assert threads and threading.get_ident() not in threads
    fresh = window.show_section("export").show_page("Export")
    assert fresh is not page
    _settle(qtbot, fresh)
    assert fresh.preview_counts()["receipts"] == 400
