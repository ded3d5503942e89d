"""The Gemeinden page (Kreis role): a Gemeinde file signed by another key than the one the Kreis
recorded is refused unless the clerk confirms the key change (issue 17 §1)."""

from __future__ import annotations

import dataclasses
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from paktdesk.core import entities as e
from paktdesk.workspace import Workspace

KREIS = e.Profile(name="Landkreis Heilbronn", kind=e.OwnerKind.LANDKREIS, ags="08125000")


def export(ws: Workspace, path: Path, *, minute: int) -> None:
    """``ws.export`` with a fixed creation time (two exports within one second would tie)."""
    job = dataclasses.replace(ws.prepare_export("json"), created_at=datetime(2026, 1, 5, 8, minute, tzinfo=UTC))
    ws.record_export(job, job.write(path), path)


@pytest.fixture
def files(demo_file, tmp_path) -> tuple[Path, Path]:
    """The Kreis with the demo Gemeinde's first file taken over, and a second file of the same
    Gemeinde from another Datenbestand (own key)."""
    gemeinde = Workspace.open(demo_file)
    try:
        export(gemeinde, tmp_path / "Lindenbach-1.json", minute=1)
    finally:
        gemeinde.close()
    kreis_file = tmp_path / "Landkreis.paktdesk"
    kreis = Workspace.open(kreis_file, create=True)
    try:
        kreis.save_profile(KREIS)
        kreis.import_gemeinde_files([tmp_path / "Lindenbach-1.json"])
    finally:
        kreis.close()
    other_file = tmp_path / "Neu-Lindenbach.paktdesk"
    shutil.copyfile(demo_file, other_file)
    other = Workspace.open(other_file)
    try:
        with other.store.transaction():
            other.store.conn.execute("DELETE FROM settings WHERE key = 'exchange_signing_key'")
        other.reverse_receipt(other.receipts(other.decisions()[-1].id)[-1].id, "doppelt")
        export(other, tmp_path / "Lindenbach-2.json", minute=2)
    finally:
        other.close()
    return kreis_file, tmp_path / "Lindenbach-2.json"


@pytest.mark.parametrize("confirmed", [False, True])
def test_a_new_key_is_taken_over_only_when_the_clerk_confirms(window, qtbot, monkeypatch, files, message_boxes,
                                                              confirmed):
    kreis_file, second = files
    answer = QMessageBox.StandardButton.Yes if confirmed else QMessageBox.StandardButton.No
    asked = []
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: asked.append(a[1:3]) or answer))
    assert window.open_path(kreis_file)
    page = window.show_section("export").show_page("Gemeinden")
    qtbot.waitUntil(lambda: not page.busy() and page.overview is not None, timeout=30_000)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(lambda *a, **k: ([str(second)], "")))
    with qtbot.waitSignal(page.preview_ready, timeout=60_000) as blocker:
        qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    dialog = blocker.args[0]
    assert asked and asked[0][0] == "Anderer Signaturschlüssel" and "anderen Schlüssel" in asked[0][1]
    result = dialog.row_texts(0)["Ergebnis"]
    if not confirmed:
        assert result.startswith("abgelehnt") and not dialog.apply_button.isEnabled()
        dialog.reject()
        return
    assert result.startswith("ersetzt") and dialog.apply_button.isEnabled()
    with qtbot.waitSignal(page.imported) as done:
        qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert done.args == [True]
    kreis = Workspace.open(kreis_file, read_only=True)
    try:
        assert kreis.known_gemeinde_chains()["08125097"]["file"] == second.name
    finally:
        kreis.close()
