"""The Gemeinden page in the Kreis role: a Landkreis file takes over the demo Gemeinde's JSON
through the preview dialog (read on a worker thread, applied in one step), the overview shows the
Gemeinde with its sums; cancel imports nothing; refused and replacing files are marked; a
Gemeinde's own file shows an explanation instead."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from paktdesk.core import entities as e
from paktdesk.core.money import format_cents
from paktdesk.exchange.json_export import write_json
from paktdesk.ui.pages.consolidation import ConsolidationPage
from paktdesk.workspace import Workspace
from paktdesk.workspace.exchange import ExchangeUseCases

KREIS = e.Profile(
    name="Landkreis Heilbronn", kind=e.OwnerKind.LANDKREIS, ags="08125000", street="Lerchenstraße 40",
    postcode="74072", city="Heilbronn", contact_name="Amt für Migration", contact_phone="07131 994-0",
    contact_email="integration@landkreis.example", iban="DE89370400440532013000", bank_name="Kreissparkasse",
    funding_route=e.FundingRoute.LAND)


@pytest.fixture
def gemeinde_json(demo_file, tmp_path) -> Path:
    """The demo Gemeinde's exchange file as the Gemeinde sends it."""
    ws = Workspace.open(demo_file)
    try:
        path = tmp_path / "Lindenbach.json"
        ws.export("json", path)
    finally:
        ws.close()
    return path


@pytest.fixture
def kreis_file(tmp_path) -> Path:
    path = tmp_path / "Landkreis.paktdesk"
    ws = Workspace.open(path, create=True)
    ws.save_profile(KREIS)
    ws.close()
    return path


@pytest.fixture
def kreis_window(window, kreis_file):
    assert window.open_path(kreis_file)
    return window


@pytest.fixture
def page(kreis_window, qtbot) -> ConsolidationPage:
    page = kreis_window.show_section("export").show_page("Gemeinden")
    _settle(qtbot, page)
    return page


def _settle(qtbot, page: ConsolidationPage) -> None:
    """Wait until the overview (worked out on a worker thread) shows the Datenbestand as it is."""
    qtbot.waitUntil(lambda: not page.busy() and page.overview is not None, timeout=30_000)


def _choose(monkeypatch, paths: list[Path]) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileNames",
                        staticmethod(lambda *a, **k: ([str(p) for p in paths], "")))


def _open_preview(qtbot, page, monkeypatch, paths):
    _choose(monkeypatch, paths)
    with qtbot.waitSignal(page.preview_ready, timeout=60_000) as blocker:
        qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    dialog = blocker.args[0]
    assert dialog is page.preview_dialog and dialog.isVisible()
    return dialog


def _imports(kreis_file):
    ws = Workspace.open(kreis_file, read_only=True)
    try:
        return ws.gemeinde_imports()
    finally:
        ws.close()


def test_import_through_the_preview_and_the_overview(page, qtbot, monkeypatch, gemeinde_json, kreis_file,
                                                      demo_file, message_boxes):
    threads = []
    original = ExchangeUseCases.read_gemeinde_files

    def read(paths):
        threads.append(threading.get_ident())
        return original(paths)
    monkeypatch.setattr(ExchangeUseCases, "read_gemeinde_files", staticmethod(read))
    assert page.stack.currentWidget() is page.kreis_panel
    assert page.empty_label.isVisible()

    dialog = _open_preview(qtbot, page, monkeypatch, [gemeinde_json])
    assert threads and threads[0] != threading.get_ident()  # the files were read on the worker
    row = dialog.row_texts(0)
    assert row["Datei"] == "Lindenbach.json"
    assert row["Ergebnis"] == "neu"
    assert (row["Gemeinde / Träger"], row["AGS"]) == ("Gemeinde Lindenbach", "08125097")
    assert row["Zeitraum"] == "gesamter Datenbestand"
    assert (row["Personen"], row["Belege"], row["Ausgegeben"]) == ("5", "400", "544.733,74 €")
    assert dialog.apply_button.isEnabled()
    assert "400 Belege (544.733,74 €)" in dialog.details.toPlainText()
    assert _imports(kreis_file) == []  # the preview wrote nothing

    with qtbot.waitSignal(page.imported) as done:
        qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert done.args == [True]
    (stored,) = _imports(kreis_file)
    assert stored["ags"] == "08125097"
    _settle(qtbot, page)

    gemeinde = Workspace.open(demo_file, read_only=True)
    own = gemeinde.export_overview()
    decisions = gemeinde.decisions()
    decided = sum(gemeinde.money_summary(d.id)["decided"] for d in decisions)
    gemeinde.close()
    (shown,) = page.gemeinde_rows()
    assert shown["Körperschaft"] == "Gemeinde Lindenbach" and shown["AGS"] == "08125097"
    assert shown["Belege"] == "400"
    assert shown["Ausgegeben"] == format_cents(own.money["spent"]) == "544.733,74 €"
    assert shown["Erhalten"] == format_cents(own.money["received"])
    assert shown["Bewilligt"] == format_cents(decided)
    assert shown["Weitergeleitet"] == format_cents(own.money["passed_on"])
    assert shown["Drittmittel"] == format_cents(own.money["third_party_received"]) != format_cents(0)
    total = page.table.rowCount() - 1
    assert page.table.item(total, 0).text() == "Landkreis Heilbronn insgesamt"
    assert page.table.item(total, COLUMN["Ausgegeben"]).text() == "544.733,74 €"  # the Kreis itself has none
    assert not page.empty_label.isVisible()
    assert page.key_table.rowCount() > 0 and page.key_table.columnCount() == 3  # Kennzahl, 2023, 2024
    assert message_boxes == []


COLUMN = {name: i for i, name in enumerate(
    ("Körperschaft", "AGS", "Zeitraum", "Stand vom", "Personen", "VZÄ", "Bewilligt", "Erhalten", "Ausgegeben",
     "Weitergeleitet", "Belege"))}


def test_cancel_in_the_preview_imports_nothing(page, qtbot, monkeypatch, gemeinde_json, kreis_file):
    dialog = _open_preview(qtbot, page, monkeypatch, [gemeinde_json])
    with qtbot.waitSignal(page.imported) as done:
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert done.args == [False]
    assert _imports(kreis_file) == []
    assert page.gemeinde_rows() == []


def test_a_refused_file_blocks_the_whole_import(page, qtbot, monkeypatch, gemeinde_json, tmp_path, kreis_file):
    broken = tmp_path / "Kaputt.json"
    broken.write_text(gemeinde_json.read_text(encoding="utf-8").replace('"Gemeinde Lindenbach"', '"Gemeinde X"', 1),
                      encoding="utf-8")
    dialog = _open_preview(qtbot, page, monkeypatch, [gemeinde_json, broken])
    assert dialog.row_texts(0)["Ergebnis"] == "neu"
    assert dialog.row_texts(1)["Ergebnis"].startswith("abgelehnt: ")
    assert not dialog.apply_button.isEnabled()
    assert "nichts übernommen" in dialog.note_label.text()
    assert dialog.table.currentRow() == 1  # the refused file is selected, its reason shown
    assert dialog.details.toPlainText()
    dialog.reject()
    assert _imports(kreis_file) == []


def test_newer_file_replaces_and_same_file_is_marked(page, qtbot, monkeypatch, gemeinde_json, demo_file, tmp_path,
                                                      kreis_file):
    dialog = _open_preview(qtbot, page, monkeypatch, [gemeinde_json])
    with qtbot.waitSignal(page.imported):
        dialog.accept()
    _settle(qtbot, page)

    dialog = _open_preview(qtbot, page, monkeypatch, [gemeinde_json])
    assert dialog.row_texts(0)["Ergebnis"] == "bereits übernommen"
    assert not dialog.apply_button.isEnabled()
    dialog.reject()

    newer = tmp_path / "Lindenbach-neu.json"
    ws = Workspace.open(demo_file)
    ws.save_key_figures(2024, None, {"vermittlungen": 1})  # a later state, written a minute later
    write_json(ws.exchange_document(created_at=datetime.now(UTC) + timedelta(minutes=1)), newer)
    ws.close()
    dialog = _open_preview(qtbot, page, monkeypatch, [newer])
    assert dialog.row_texts(0)["Ergebnis"].startswith("ersetzt Stand vom ")
    with qtbot.waitSignal(page.imported) as done:
        dialog.accept()
    assert done.args == [True]
    (stored,) = _imports(kreis_file)
    assert stored["file_name"] == "Lindenbach-neu.json"


def test_a_gemeinde_file_explains_instead(window, monkeypatch):
    monkeypatch.setattr(ExchangeUseCases, "consolidation_overview", None)  # never asked for
    page = window.show_section("export").show_page("Gemeinden")
    assert not page.busy()
    assert page.stack.currentWidget() is page.not_kreis
    text = page.not_kreis_label.text()
    assert "Gemeinde Lindenbach" in text and "Landkreis" in text and "„Export“" in text
    assert page.import_files([Path("egal.json")]) is False


def test_period_file_of_a_gemeinde(page, qtbot, monkeypatch, demo_file, tmp_path):
    path = tmp_path / "Lindenbach-2024.json"
    ws = Workspace.open(demo_file)
    ws.export("json", path, date(2024, 1, 1), date(2024, 12, 31))
    ws.close()
    dialog = _open_preview(qtbot, page, monkeypatch, [path])
    assert dialog.row_texts(0)["Zeitraum"] == "01.01.2024 – 31.12.2024"
    with qtbot.waitSignal(page.imported):
        dialog.accept()
    _settle(qtbot, page)
    assert page.gemeinde_rows()[0]["Zeitraum"] == "01.01.2024 – 31.12.2024"


def test_remove_a_taken_over_file(page, qtbot, monkeypatch, gemeinde_json, kreis_file):
    dialog = _open_preview(qtbot, page, monkeypatch, [gemeinde_json])
    with qtbot.waitSignal(page.imported):
        dialog.accept()
    _settle(qtbot, page)
    assert not page.remove_button.isEnabled()  # nothing selected
    page.table.selectRow(1)  # the Gemeinde (row 0 is the Kreis itself)
    assert page.remove_button.isEnabled()
    qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)  # the question is answered "Nein"
    assert len(_imports(kreis_file)) == 1
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    page.table.selectRow(1)
    qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
    assert _imports(kreis_file) == []
    _settle(qtbot, page)
    assert page.gemeinde_rows() == [] and page.empty_label.isVisible()
