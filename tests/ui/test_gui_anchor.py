"""Datensicherung → Prüfkette und Prüfanker: the clerk sees the anchor of the current state and
checks a code typed from a printed form (issue 17 §1)."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt


def test_the_anchor_is_shown_and_a_typed_anchor_is_checked(qtbot, window, tmp_path):
    ws = window.workspace
    printed = ws.anchor()
    page = window.show_section("settings").show_page("Datensicherung")
    box = page.anchor_box
    assert printed in box.current_label.text()

    box.code_edit.setFocus()
    qtbot.keyClicks(box.code_edit, printed.lower())  # as a person types it from the paper
    qtbot.keyClick(box.code_edit, Qt.Key.Key_Return)
    assert "bestätigt" in box.result_label.text() and "unverändert" in box.result_label.text()

    receipt = ws.receipts(ws.decisions()[0].id)[-1]
    ws.reverse_receipt(receipt.id, "doppelt")  # a booking after the anchor moves the head
    assert ws.anchor() != printed and ws.anchor() in box.current_label.text()
    box.check_button.click()
    assert "bestätigt" in box.result_label.text()  # a reversal adds, it changes nothing that was

    box.code_edit.clear()
    qtbot.keyClicks(box.code_edit, printed[:-1] + ("0" if printed[-1] != "0" else "1"))
    qtbot.keyClick(box.code_edit, Qt.Key.Key_Return)
    assert "falsch abgetippt" in box.result_label.text()
    out = Path(os.environ.get("PAKTDESK_SHOTS", tmp_path))
    box.code_edit.clear()
    qtbot.keyClicks(box.code_edit, printed)
    box.check_button.click()
    page.ensureWidgetVisible(box)
    window.grab().save(str(out / "datensicherung-pruefanker.png"))
