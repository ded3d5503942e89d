"""The Sachbericht editor on the demo: outline for an empty report, saving and reloading, the
length estimate agrees with the printed proof of use, providers' contributions merge and then
print once, and unsaved changes are never dropped without asking."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from paktdesk.core.narrative import OUTLINE, outline_text
from paktdesk.workspace import Workspace

DECISION_2023 = "15.2-8712.23/1274"
DECISION_2017 = "15.2-8712.17/0815"
CARITAS_TEXT = ("Die Caritas hat 412 Beratungsgespräche geführt und 96 Integrationspläne erstellt. "
                "Besonders erfolgreich war die Vermittlung in Sprachkurse.")


def pdf_text(path: Path) -> str:
    if shutil.which("pdftotext"):
        return subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], check=True,
                              capture_output=True, text=True, encoding="utf-8").stdout
    from pypdf import PdfReader

    return "\n".join(p.extract_text() for p in PdfReader(str(path)).pages)


def answer_unsaved(monkeypatch, *answers: QMessageBox.StandardButton) -> list[str]:
    """The next questions about unsaved changes get ``answers`` in turn; returns their texts."""
    asked: list[str] = []
    queue = list(answers)

    def question(parent, title, text, *args, **kwargs):
        asked.append(text)
        return queue.pop(0) if queue else QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    return asked


@pytest.fixture
def editor(window):
    return window.show_section("reports").show_page("Sachbericht")


def choose(editor, file_number: str) -> None:
    editor.decision_combo.setCurrentIndex(editor.decision_combo.findText(file_number, flags=_starts_with()))


def _starts_with():
    from PySide6.QtCore import Qt

    return Qt.MatchFlag.MatchStartsWith


def test_empty_report_starts_from_the_outline_and_saves_after_commit(editor, check_ws, monkeypatch):
    choose(editor, DECISION_2017)
    assert editor.text() == outline_text()
    assert [line for line in editor.text().splitlines() if line] == list(OUTLINE)
    assert not editor.is_dirty()
    assert "Gliederung als Vorlage" in editor.state_label.text()

    editor.editor.setPlainText(outline_text().replace("1. Ausgangslage\n", "1. Ausgangslage\nLindenbach & Umland.\n"))
    assert editor.is_dirty() and "Ungespeichert" in editor.state_label.text()
    assert editor.save()
    assert not editor.is_dirty()
    assert editor.state_label.text().startswith("Gespeichert am")

    ws = check_ws()
    stored = ws.narrative(ws.decision_by_file_number(DECISION_2017))
    assert stored.text == editor.text()
    ws.close()

    choose(editor, DECISION_2023)  # nothing unsaved: no question
    choose(editor, DECISION_2017)
    assert "Lindenbach & Umland." in editor.text()


def test_estimate_warns_above_three_pages_like_the_printed_proof(editor, window, tmp_path):
    choose(editor, DECISION_2023)
    editor.update_estimate()
    assert editor.pages_estimate == 1 and not editor.warning_label.isVisible()
    paragraph = ("Die Integrationsmanager:innen haben im Berichtszeitraum zahlreiche Familien begleitet, "
                 "Integrationspläne erstellt und in Sprachkurse, Ausbildung und Arbeit vermittelt. ") * 6
    editor.editor.setPlainText("1. Ausgangslage\n\n" + "\n\n".join([paragraph] * 14))
    editor.update_estimate()
    assert editor.pages_estimate > 3
    assert editor.warning_label.isVisible()
    assert f"etwa {editor.pages_estimate} Seiten" in editor.warning_label.text()
    assert editor.save()

    ws = window.ctx.workspace
    result = ws.print_proof_of_use(ws.decision_by_file_number(DECISION_2023), tmp_path / "vn.pdf")
    assert any(f"umfasst {editor.pages_estimate} Seiten" in w for w in result.warnings), result.warnings


def test_provider_contribution_merges_and_then_prints_once(editor, window, tmp_path):
    ws = window.ctx.workspace
    decision = ws.decision_by_file_number(DECISION_2023)
    caritas = next(p for p in ws.providers() if p.name.startswith("Caritas"))
    ws.save_narrative(decision, CARITAS_TEXT, caritas.id)  # the page refreshes on the change
    choose(editor, DECISION_2023)
    assert editor.contributions_list.count() == 1
    assert "eigener Abschnitt" in editor.contributions_list.item(0).text()
    editor.contributions_list.setCurrentRow(0)
    assert editor.contribution_view.toPlainText() == CARITAS_TEXT

    out = tmp_path / "vorher.pdf"
    ws.print_proof_of_use(decision, out)
    assert pdf_text(out).count("Beitrag des Trägers: Caritas") == 1

    cursor = editor.editor.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    editor.editor.setTextCursor(cursor)
    editor.merge_selected()
    assert CARITAS_TEXT in editor.text()
    assert "übernommen" in editor.contributions_list.item(0).text()
    assert editor.save()

    out = tmp_path / "nachher.pdf"
    ws.print_proof_of_use(decision, out)
    text = " ".join(pdf_text(out).split())
    assert "Beitrag des Trägers: Caritas" not in text
    assert text.count("412 Beratungsgespräche") == 1


def test_contribution_dialog_stores_a_providers_text(editor, window, monkeypatch, qtbot):
    from paktdesk.ui.pages import narrative

    choose(editor, DECISION_2017)
    seen = []

    def fill_and_save(dialog):
        seen.append(dialog.provider_combo.count())
        dialog.text_edit.setPlainText("Beitrag des DRK: <b>nicht fett</b> & ehrlich.")
        dialog.provider_combo.setCurrentIndex(dialog.provider_combo.findText("DRK", flags=_starts_with()))
        dialog.text_edit.setPlainText("Beitrag des DRK: <b>nicht fett</b> & ehrlich.")
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(narrative.ContributionDialog, "exec", fill_and_save)
    editor.edit_contribution()
    assert seen and seen[0] >= 2  # the free providers, not the Gemeinde itself
    ws = window.ctx.workspace
    drk = next(p for p in ws.providers() if p.name.startswith("DRK"))
    stored = ws.narrative(ws.decision_by_file_number(DECISION_2017), drk.id)
    assert stored.text == "Beitrag des DRK: <b>nicht fett</b> & ehrlich."
    assert editor.contributions_list.count() == 1


def test_changing_the_decision_asks_before_discarding(editor, monkeypatch, check_ws):
    choose(editor, DECISION_2023)
    original = editor.text()
    editor.editor.appendPlainText("\nEin neuer Absatz.")
    asked = answer_unsaved(monkeypatch, QMessageBox.StandardButton.Cancel)
    choose(editor, DECISION_2017)
    assert len(asked) == 1 and "ungespeicherte Änderungen" in asked[0]
    assert editor.decision_combo.currentText().startswith(DECISION_2023)
    assert editor.text().endswith("Ein neuer Absatz.")

    answer_unsaved(monkeypatch, QMessageBox.StandardButton.Discard)
    choose(editor, DECISION_2017)
    assert editor.decision_combo.currentText().startswith(DECISION_2017)
    ws = check_ws()
    assert ws.narrative(ws.decision_by_file_number(DECISION_2023)).text == original  # nothing stored
    ws.close()

    choose(editor, DECISION_2023)
    editor.editor.appendPlainText("\nDiesmal gespeichert.")
    answer_unsaved(monkeypatch, QMessageBox.StandardButton.Save)
    choose(editor, DECISION_2017)
    ws = check_ws()
    assert ws.narrative(ws.decision_by_file_number(DECISION_2023)).text.endswith("Diesmal gespeichert.")
    ws.close()


def test_leaving_the_page_or_closing_the_window_asks_first(editor, window, monkeypatch, check_ws, qtbot):
    choose(editor, DECISION_2023)
    editor.editor.appendPlainText("\nNoch nicht gespeichert.")
    section = window.sections["reports"]

    asked = answer_unsaved(monkeypatch, QMessageBox.StandardButton.Cancel)
    window.show_section("funding")
    assert len(asked) == 1
    qtbot.waitUntil(lambda: window.current_section().key == "reports" and section.currentWidget() is editor)
    assert editor.is_dirty()

    asked = answer_unsaved(monkeypatch, QMessageBox.StandardButton.Cancel)
    section.show_page("Dokumente")
    assert len(asked) == 1
    qtbot.waitUntil(lambda: section.currentWidget() is editor)

    asked = answer_unsaved(monkeypatch, QMessageBox.StandardButton.Cancel)
    assert not window.close()
    assert len(asked) == 1 and window.isVisible()

    answer_unsaved(monkeypatch, QMessageBox.StandardButton.Save)
    assert window.close()
    ws = check_ws()
    assert ws.narrative(ws.decision_by_file_number(DECISION_2023)).text.endswith("Noch nicht gespeichert.")
    ws.close()


def test_read_only_file_shows_but_does_not_edit(qtbot, demo_file):
    from paktdesk.app import create_application, create_main_window

    create_application()
    window = create_main_window(Workspace.open(demo_file, read_only=True))
    qtbot.addWidget(window)
    window.show()
    editor = window.show_section("reports").show_page("Sachbericht")
    assert editor.editor.isReadOnly()
    assert not editor.save_button.isEnabled()
    assert editor.state_label.text() == "schreibgeschützt"
    assert not editor.save()


def test_the_explanation_of_deviations_is_typed_saved_and_printed(editor, check_ws, qtbot, tmp_path):
    from PySide6.QtCore import Qt

    choose(editor, DECISION_2023)
    box = editor.explanation
    assert box.isEnabled() and not box.save_button.isEnabled()
    box.editor.setFocus()
    qtbot.keyClicks(box.editor, "Sachausgaben unter Plan: Stelle drei Monate unbesetzt.")
    assert box.is_dirty() and box.save_button.isEnabled()
    qtbot.keyClick(box.save_button, Qt.Key.Key_Space)
    assert not box.is_dirty()
    editor.grab().save(str(tmp_path / "sachbericht.png"))
    ws = check_ws()
    try:
        decision = ws.decision_by_file_number(DECISION_2023)
        assert ws.decision_explanation(decision) == "Sachausgaben unter Plan: Stelle drei Monate unbesetzt."
        out = tmp_path / "vn.pdf"
        ws.print_proof_of_use(decision, out)
        flat = "".join(pdf_text(out).split())
        assert "SachausgabenunterPlan:StelledreiMonateunbesetzt." in flat
    finally:
        ws.close()
    choose(editor, DECISION_2017)
    assert box.editor.toPlainText() == ""
