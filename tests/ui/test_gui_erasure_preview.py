"""Personenbezogene Daten löschen (issue 17 §3): before the clerk confirms, the dialog shows
where the name stands in free text and which older backups still hold the person."""

from __future__ import annotations

import os
from pathlib import Path

from paktdesk.core import entities as e
from paktdesk.ui.dialogs.erase_person import ErasePersonDialog


def test_the_dialog_shows_the_occurrences_and_backups_and_the_name_goes(qtbot, window, tmp_path):
    ws = window.workspace
    provider = ws.providers()[0].id
    person = window.ctx.perform(lambda: ws.save_person(e.Person(None, "Frieda", "Probst", provider))).ids[0]
    decision = ws.decisions()[0].id
    ws.save_narrative(decision, (ws.narrative(decision).text if ws.narrative(decision) else "")
                      + "\nFrieda Probst hat im Herbst die Sprechstunde im Rathaus übernommen.")
    backup = ws.make_backup(reason="manual").path

    dialog = ErasePersonDialog(window.ctx, person, window)
    qtbot.addWidget(dialog)
    dialog.show()
    text = dialog.occurrences_label.text()
    assert "Sachbericht" in text and "„Gelöscht (Nr." in text and "Frieda Probst hat im Herbst" in text
    assert backup.name in dialog.backups_label.text()
    dialog.purge_check.click()  # all older backups go now: none keeps her
    assert backup.name not in dialog.backups_label.text()
    dialog.purge_check.click()
    out = Path(os.environ.get("PAKTDESK_SHOTS", tmp_path))
    dialog.grab().save(str(out / "personendaten-loeschen.png"))

    dialog.name_edit.setFocus()
    qtbot.keyClicks(dialog.name_edit, "Frieda Probst")
    assert dialog.delete_button.isEnabled()
    dialog.delete_button.click()
    assert dialog.change is not None
    assert "Probst" not in ws.narrative(decision).text and f"Gelöscht (Nr. {person})" in ws.narrative(decision).text
    assert ws.check() == []
    assert b"Probst" not in ws.path.read_bytes()
