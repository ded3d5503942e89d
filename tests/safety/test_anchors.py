"""Anchors of the hash chain (issue 17 §1): the code a person types, the anchor on every printed
form, in proof submissions and backups, ``paktdesk check --anker`` as the Rechnungsprüfungsamt
runs it, and a file of the schema before the chain getting one."""

from __future__ import annotations

import dataclasses
import json
import os
import sqlite3
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from paktdesk.core import entities as e
from paktdesk.db import chain
from paktdesk.db.backup import sidecar_of
from paktdesk.db.connection import Store
from paktdesk.db.integrity import AMOUNT_COLUMN, row_hash
from paktdesk.db.versions import MIGRATION_NAMES
from paktdesk.workspace import Workspace

ROOT = Path(__file__).resolve().parents[2]
CHAIN_MIGRATION = next(name for name in MIGRATION_NAMES if name.endswith("_chain"))


def paktdesk(*args) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return subprocess.run([sys.executable, "-m", "paktdesk", *map(str, args)], env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=300, stdin=subprocess.DEVNULL)


def pdf_pages(path: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    return [page for page in text.split("\f") if page.strip()]


def test_a_mistyped_anchor_is_refused_and_each_single_typo_is_caught():
    code = chain.anchor_code(4711, "9f" * 32)
    assert chain.parse_anchor(code) == (4711, code)
    assert chain.parse_anchor(code.lower().replace("-", " - ")) == (4711, code)  # as a person types it
    body_at = [i for i, c in enumerate(code) if c != "-" and i > code.index("-")]
    alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    typos = 0
    for index in body_at:
        for char in alphabet:
            if char != code[index]:
                typo = code[:index] + char + code[index + 1:]
                with pytest.raises(chain.AnchorCodeError, match="falsch abgetippt"):
                    chain.parse_anchor(typo)
                typos += 1
    assert typos == len(body_at) * 31
    with pytest.raises(chain.AnchorCodeError, match="kein Prüfanker"):
        chain.parse_anchor("Hallo")


@pytest.mark.needs_tool("pdftotext", package="poppler-utils")
def test_forms_print_the_anchor_on_every_page_and_it_checks(demo_ws, tmp_path):
    ws = demo_ws
    decision = max(ws.decisions(), key=lambda d: ws.payment_request_open_cents(d.id))
    version = ws.report_decisions()[[c.decision_id for c in ws.report_decisions()].index(decision.id)]
    first, last = version.first_day, version.first_day + timedelta(days=180)
    anchor = ws.anchor()
    ws.print_interim(decision.id, first, last, tmp_path / "zn.pdf")
    ws.print_payment_request(decision.id, ws.payment_request_open_cents(decision.id), tmp_path / "ma.pdf")
    ws.print_proof_of_use(decision.id, tmp_path / "vn.pdf", draft=True)
    for name in ("zn.pdf", "ma.pdf", "vn.pdf"):
        pages = pdf_pages(tmp_path / name)
        assert pages and all(f"Prüfanker {anchor}" in page for page in pages), name
    assert [a.purpose for a in ws.stored_anchors()] == [
        f"Zwischennachweis {decision.file_number}", f"Mittelabruf {decision.file_number}",
        f"Verwendungsnachweis (Entwurf) {decision.file_number}"]
    ws.submit_proof(e.ProofSubmission(None, decision.id, e.ProofKind.INTERIM, first, last, date(2026, 7, 15)))
    submitted = ws.stored_anchors()[-1]
    assert submitted.purpose.startswith("Zwischennachweis eingereicht am 15.07.2026")
    assert submitted.code == ws.anchor() != anchor  # the head after the submission's own entry
    report = ws.check_anchor(anchor)
    assert report.unchanged and "Zwischennachweis" in report.stored_as[0]
    assert ws.check() == []


def test_check_with_anker_on_the_command_line(small_file):
    ws = Workspace.open(small_file)
    try:
        anchor = ws.hand_out_anchor("Verwendungsnachweis")
        receipt = ws.receipts(ws.decisions()[0].id)[5]
        ws.update_receipt(dataclasses.replace(receipt, purpose="in PaktDesk berichtigt"))
    finally:
        ws.close()
    result = paktdesk("--data", small_file, "check", "--anker", anchor)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"Belege Nr. {receipt.id}: nach dem Anker in PaktDesk geändert (protokolliert)" in result.stdout
    assert "FEHLGESCHLAGEN" not in result.stdout  # a recorded change, not tampering

    conn = sqlite3.connect(small_file)  # the insider raises another receipt and recomputes its hash
    other = conn.execute("SELECT id FROM receipts WHERE id != ? ORDER BY id LIMIT 1 OFFSET 8", [receipt.id]).fetchone()[0]
    conn.execute("UPDATE receipts SET amount_cents = 9999999 WHERE id = ?", [other])
    row = dict(zip([d[0] for d in conn.execute("SELECT * FROM receipts").description],
                   conn.execute("SELECT * FROM receipts WHERE id = ?", [other]).fetchone()))
    conn.execute("UPDATE receipts SET row_hash = ? WHERE id = ?", [row_hash("receipts", row), other])
    conn.commit()
    conn.close()
    result = paktdesk("--data", small_file, "check", "--anker", anchor)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "PRÜFUNG GEGEN DEN ANKER FEHLGESCHLAGEN" in result.stdout
    assert f"Belege Nr. {other}: außerhalb von PaktDesk verändert" in result.stdout

    typo = anchor[:-1] + ("0" if anchor[-1] != "0" else "1")
    result = paktdesk("--data", small_file, "check", "--anker", typo)
    assert result.returncode != 0 and "falsch abgetippt" in result.stderr and "Traceback" not in result.stderr


def test_backups_keep_the_anchor_and_a_backup_must_be_a_prefix_of_the_file(small_file):
    ws = Workspace.open(small_file)
    try:
        result = ws.make_backup(reason="manual")
        anchor = ws.anchor()
        sidecar = json.loads(sidecar_of(result.path).read_text(encoding="utf-8"))
        assert sidecar["anchor"] == anchor
        ws.add_receipt(e.Receipt(None, ws.decisions()[0].id, e.ListKind.MATERIAL, 0, date(2023, 3, 3), None, 2023,
                                 "Papierhaus", "nachher", "S_BUERO", 777, None))
        assert ws.check() == []  # the backup is a prefix of the grown chain
    finally:
        ws.close()
    conn = sqlite3.connect(small_file)  # everything after the backup rewritten: the chain is rebuilt
    conn.execute("DROP TRIGGER chain_entries_no_delete")
    conn.execute("DELETE FROM chain_entries")
    chain.backfill(Store(None, conn), list(AMOUNT_COLUMN))  # with PaktDesk's own code
    conn.execute("CREATE TRIGGER chain_entries_no_delete BEFORE DELETE ON chain_entries\n"
                 "BEGIN SELECT RAISE(ABORT, 'Die Prüfkette kann nicht gekürzt werden.'); END")
    conn.commit()
    conn.close()
    ws = Workspace.open(small_file, read_only=True)
    try:
        problems = ws.check()
        assert any("passt nicht mehr zur Datei" in p for p in problems), problems
        assert not ws.check_anchor(anchor).on_chain
    finally:
        ws.close()


def test_a_file_from_before_the_chain_gets_one_that_verifies(small_file):
    """The migration from the schema before it: every audit entry and money row enters the chain."""
    conn = sqlite3.connect(small_file)
    counts = {t: conn.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0] for t in ("audit_log", *AMOUNT_COLUMN)}
    conn.execute("DROP TABLE chain_entries")
    conn.execute("DROP TABLE chain_anchors")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = ?", [CHAIN_MIGRATION])
    conn.execute(f"PRAGMA user_version = {MIGRATION_NAMES.index(CHAIN_MIGRATION)}")
    conn.commit()
    conn.close()
    ws = Workspace.open(small_file)
    try:
        assert ws.check() == []
        seq, _ = chain.head(ws.store)
        assert seq == sum(counts.values())
        assert ws.check_anchor(ws.anchor()).unchanged
    finally:
        ws.close()
