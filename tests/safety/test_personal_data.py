"""Deleting a person's personal data: retention rules, pseudonymised money rows, no copy left in
the file, backups beyond retention removed."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta

import pytest

from paktdesk.core import entities as e
from paktdesk.core.errors import ValidationError
from paktdesk.db.audit import now_utc
from paktdesk.workspace import Workspace
from paktdesk.workspace.safety import Retention, retention_end

SECRETS = ["Mustermann", "Erika", "erika.mustermann@example.org", "Magister Ethnologie",
           "Zwillinge", "ZEUGNIS-INHALT-4711"]
ERASED_AT = datetime(2031, 1, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def ws(small_file):
    workspace = Workspace.open_guarded(small_file)
    person = person_id(workspace)
    workspace.add_qualification(e.Qualification(None, person, e.Category.B, "Magister Ethnologie (Tübingen)",
                                                checked_by="P. Probe", checked_on=date(2022, 12, 1)))
    provider = workspace.person(person).provider_id
    workspace.save_employment(e.Employment(None, person, provider, date(2023, 1, 1), None, 500))
    workspace.add_interruption(e.Interruption(None, person, date(2023, 5, 1), date(2023, 8, 31),
                                              "Elternzeit (Zwillinge)"))
    with workspace.store.transaction():  # a certificate as the attachments feature will store it
        attachment = workspace.store.conn.execute(
            "INSERT INTO attachments (filename, size, sha256, content, created_at) VALUES (?, ?, ?, ?, ?)",
            ["Zeugnis_Mustermann.pdf", 19, hashlib.sha256(b"x").hexdigest(), b"ZEUGNIS-INHALT-4711",
             now_utc()]).lastrowid
        workspace.store.conn.execute("UPDATE qualifications SET evidence_attachment_id = ? WHERE person_id = ?",
                                     [attachment, person])
    yield workspace
    workspace.close()


def person_id(ws: Workspace) -> int:
    return next(p.id for p in ws.persons() if p.last_name == "Mustermann")


def submit_final_proof(ws: Workspace, submitted: date) -> None:
    decision = ws.decisions()[0].id
    ws.submit_proof(e.ProofSubmission(None, decision, e.ProofKind.FINAL, date(2023, 1, 1), date(2024, 12, 31),
                                      submitted))


def test_retention_is_counted_from_the_first_of_january_after():
    assert retention_end(2025, 5) == date(2031, 1, 1)


def test_deletion_waits_for_the_proof_of_use_and_the_retention_periods(ws):
    person = person_id(ws)
    check = ws.erasure_check(person, today=date(2040, 1, 1))
    assert not check.allowed and check.earliest is None
    assert "Verwendungsnachweis ist noch nicht eingereicht" in check.reasons[0]
    with pytest.raises(ValidationError):
        ws.delete_personal_data(person, today=date(2040, 1, 1))
    submit_final_proof(ws, date(2025, 3, 31))
    # grant file: 5 years from 1.1.2026 → 1.1.2031; receipts 2023: accounts 2024, 6 years → 1.1.2031
    check = ws.erasure_check(person, today=date(2030, 12, 31))
    assert not check.allowed and check.earliest == date(2031, 1, 1)
    assert any("31.12.2030" in reason for reason in check.reasons)
    assert ws.erasure_check(person, today=date(2031, 1, 1)).allowed
    ws.save_retention(Retention(grant_files_years=10))
    check = ws.erasure_check(person, today=date(2031, 1, 1))
    assert not check.allowed and check.earliest == date(2036, 1, 1)


def test_erasure_leaves_no_copy_in_the_file_and_keeps_the_money(ws):
    person = person_id(ws)
    submit_final_proof(ws, date(2025, 3, 31))
    ws.save_person(e.Person(person, "Erika", "Mustermann", ws.person(person).provider_id, phone="0711 4711"))
    data = ws.store.path.read_bytes()
    assert all(secret.encode() in data for secret in SECRETS)  # the test can fail
    totals, receipts = ws.control_totals(), ws.counts()["receipts"]
    change = ws.delete_personal_data(person, today=date(2031, 1, 2), now=ERASED_AT)
    assert change.action == "Personenbezogene Daten gelöscht"
    data = ws.store.path.read_bytes()
    for secret in SECRETS:
        assert secret.encode() not in data, secret
    assert ws.check() == []  # hashes and control totals still match
    assert ws.control_totals() == totals and ws.counts()["receipts"] == receipts
    erased = ws.person(person)
    assert erased.last_name == f"Gelöscht (Nr. {person})" and erased.email == "" and erased.deleted_at
    positions = ws.positions(ws.current_version(ws.decisions()[0].id).id)
    assert any(position.person_id == person for position in positions)  # still linked, to the pseudonym
    with pytest.raises(Exception, match="Änderungsprotokoll"):  # the guard is back in place
        ws.store.conn.execute("UPDATE audit_log SET user = 'x'")
    assert ws.store.conn.execute("PRAGMA secure_delete").fetchone()[0] in (0, 1)
    last = ws.audit_entries(limit=5)
    assert any(entry.action == "Personenbezogene Daten gelöscht" for entry in last)
    assert "Jürgen".encode() in data  # the other person is untouched


def test_backups_older_than_retention_go_and_newer_ones_are_reported(ws):
    person = person_id(ws)
    submit_final_proof(ws, date(2025, 3, 31))
    ancient = ws.make_backup(now=ERASED_AT - timedelta(days=400)).path
    recent = ws.make_backup(now=ERASED_AT - timedelta(days=10), reason="import").path
    change = ws.delete_personal_data(person, today=date(2031, 1, 2), now=ERASED_AT)
    assert not ancient.exists() and recent.exists()
    assert any("enthalten die Daten noch" in warning for warning in change.warnings)
    fresh = [entry for entry in ws.backups() if entry.reason == "erasure"]
    assert len(fresh) == 1 and fresh[0].ok
    assert b"Mustermann" not in fresh[0].path.read_bytes()
    assert b"Mustermann" in recent.read_bytes()


def test_purging_removes_every_older_backup_but_the_fresh_one(ws):
    person = person_id(ws)
    submit_final_proof(ws, date(2025, 3, 31))
    recent = ws.make_backup(now=ERASED_AT - timedelta(days=1)).path
    change = ws.delete_personal_data(person, today=date(2031, 1, 2), now=ERASED_AT, purge_backups=True)
    assert not recent.exists()
    remaining = ws.backups()
    assert [entry.reason for entry in remaining] == ["erasure"] and not change.warnings
    for secret in SECRETS:
        assert secret.encode() not in remaining[0].path.read_bytes()
