"""Personal-data deletion deletes the person (issue 17 §3): the name in the Sachbericht, in a
receipt's purpose (booked and locked by a submitted proof) and in the audit entries of both is
found and shown first, replaced by the pseudonym, blanked in the audit log while the hash chain
still verifies, and gone from the file and from the backup made after — the money unchanged, the
anchor printed before still on the chain."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from paktdesk.core import entities as e
from paktdesk.db.integrity import row_hash
from paktdesk.workspace import Workspace

ERASED_AT = datetime(2031, 1, 2, 9, 0, tzinfo=UTC)
SACHBERICHT = ("Frau Erika Mustermann hat 2023 vierzig Familien beraten. Mustermann, Erika leitete auch "
               "das Elterncafé; ERIKA half beim Umzug der Beratungsstelle.")


@pytest.fixture
def ws(small_file):
    workspace = Workspace.open_guarded(small_file)
    yield workspace
    workspace.close()


def setup_person(ws) -> tuple[int, int]:
    person = next(p.id for p in ws.persons() if p.last_name == "Mustermann")
    decision = ws.decisions()[0].id
    ws.save_narrative(decision, SACHBERICHT)
    ws.add_receipt(e.Receipt(None, decision, e.ListKind.MATERIAL, 0, date(2023, 9, 4), date(2023, 9, 6), 2023,
                             "Deutsche Bahn", "Fahrtkosten Erika Mustermann, Fortbildung", "S_BUERO", 8_940, person))
    receipt = next(r for r in ws.receipts(decision) if r.purpose.startswith("Fahrtkosten"))
    ws.submit_proof(e.ProofSubmission(None, decision, e.ProofKind.FINAL, date(2023, 1, 1), date(2024, 12, 31),
                                      date(2025, 3, 31)))
    return person, receipt.id


def test_the_preview_shows_every_occurrence_and_the_backups_that_keep_the_person(ws):
    person, receipt = setup_person(ws)
    ws.make_backup(now=ERASED_AT - timedelta(days=400))
    recent = ws.make_backup(now=ERASED_AT - timedelta(days=10), reason="import").path
    preview = ws.erasure_preview(person, now=ERASED_AT)
    where = {(o.table, o.label) for o in preview.replaced}
    assert ("narrative_reports", "Sachbericht") in where
    assert ("receipts", "Verwendungszweck eines Belegs") in where
    assert any(o.table == "audit_log" and o.column == "new.text" for o in preview.replaced)
    assert any(o.table == "audit_log" and o.column == "new.purpose" for o in preview.replaced)
    assert all("mustermann" in o.excerpt.casefold() or "erika" in o.excerpt.casefold() for o in preview.occurrences)
    assert [name for name, _ in preview.kept_backups] == [recent.name]  # the old one goes now
    assert preview.kept_backups[0][1] == date(2031, 12, 23)
    assert ws.erasure_preview(person, now=ERASED_AT, purge_backups=True).kept_backups == ()


def test_erasure_replaces_the_name_everywhere_and_the_chain_still_verifies(ws):
    person, receipt = setup_person(ws)
    anchor = ws.hand_out_anchor("Verwendungsnachweis")
    totals = ws.control_totals()
    data = ws.store.path.read_bytes()
    assert b"Mustermann" in data and "Elterncaf".encode() in data  # the test can fail

    change = ws.delete_personal_data(person, today=date(2031, 1, 2), now=ERASED_AT)

    pseudonym = f"Gelöscht (Nr. {person})"
    narrative = ws.narrative(ws.decisions()[0].id).text
    assert "Mustermann" not in narrative and "Erika" not in narrative and "ERIKA" not in narrative
    assert narrative.startswith(f"Frau {pseudonym} hat 2023") and "das Elterncafé" in narrative
    booked = next(r for r in ws.receipts(ws.decisions()[0].id) if r.id == receipt)
    assert booked.purpose == f"Fahrtkosten {pseudonym}, Fortbildung"
    assert booked.amount_cents == 8_940 and booked.payee == "Deutsche Bahn"
    assert ws.control_totals() == totals  # the money is as booked
    assert ws.check() == []  # row hashes, control totals and the chain all verify
    for needle in (b"Mustermann", "Erika".encode(), b"ERIKA"):
        assert needle not in ws.store.path.read_bytes(), needle
    fresh = next(entry for entry in ws.backups() if entry.reason == "erasure")
    assert fresh.ok and b"Mustermann" not in fresh.path.read_bytes()  # the backup is made only after

    report = ws.check_anchor(anchor)  # the anchor printed before still lies on the chain
    assert report.on_chain and not report.problems
    assert any(f"Belege Nr. {receipt}" in line for line in report.changed_since)  # the purpose, recorded
    assert report.erased_since  # and the blanked audit values, named as erasures
    assert change.action == "Personenbezogene Daten gelöscht"
    with pytest.raises(Exception, match="eingereichten Nachweis"):  # the money lock is back in place
        ws.store.conn.execute("UPDATE receipts SET amount_cents = 1 WHERE id = ?", [receipt])


def test_a_salt_dropped_without_an_erasure_is_reported(ws):
    """Dropping the salts is how an erasure keeps the chain; doing it by hand to cover a change
    of a personal value is not accepted."""
    person, receipt = setup_person(ws)
    conn = ws.store.conn
    seq = conn.execute("SELECT max(seq) FROM chain_entries WHERE source = 'receipts' AND row_id = ?",
                       [receipt]).fetchone()[0]
    trigger = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'receipts_locked_update'").fetchone()[0]
    old_hash = conn.execute("SELECT row_hash FROM receipts WHERE id = ?", [receipt]).fetchone()[0]
    with ws.store.transaction():  # purpose changed, row hash and control totals recomputed, guard put back
        conn.execute("UPDATE chain_entries SET salts = '{}' WHERE seq = ?", [seq])
        conn.execute("DROP TRIGGER receipts_locked_update")
        conn.execute("UPDATE receipts SET purpose = 'Fahrtkosten Bürgermeister' WHERE id = ?", [receipt])
        cursor = conn.execute("SELECT * FROM receipts WHERE id = ?", [receipt])
        new_hash = row_hash("receipts", dict(zip([d[0] for d in cursor.description], cursor.fetchone())))
        conn.execute("UPDATE receipts SET row_hash = ? WHERE id = ?", [new_hash, receipt])
        stored = conn.execute("SELECT hash_sum FROM control_totals WHERE table_name = 'receipts'").fetchone()[0]
        conn.execute("UPDATE control_totals SET hash_sum = ? WHERE table_name = 'receipts'",
                     [(stored + int(new_hash[:15], 16) - int(old_hash[:15], 16)) % (1 << 62)])
        conn.execute(trigger)
    problems = ws.check()
    assert len(problems) == 1 and f"Belege Nr. {receipt}: außerhalb von PaktDesk verändert" in problems[0], problems
