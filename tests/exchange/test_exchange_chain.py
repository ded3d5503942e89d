"""The hash chain across the exchange (issue 17 §1): a Gemeinde's file is signed with its
Datenbestand's own Ed25519 key and carries its anchor; the Kreis keeps, per Gemeinde, the key
and chain head of the last file it took over and refuses a newer file that does not extend it
(the +10.000 € resealed receipt), or that is signed by another key unless the clerk confirms."""

from __future__ import annotations

import dataclasses
import itertools
import json
import shutil
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from exchange_builders import reseal, write_document

from paktdesk.core.errors import PaktDeskError
from paktdesk.db import chain
from paktdesk.exchange.errors import ChecksumError, ImportConflictError
from paktdesk.exchange.json_import import read_file
from paktdesk.workspace import Workspace

ROOT = Path(__file__).resolve().parents[2]


_made = itertools.count(1)


def export(ws: Workspace, path: Path) -> dict:
    """``ws.export`` with each file a minute newer than the one before (the Kreis takes over only
    newer files; two exports within one second would tie)."""
    job = ws.prepare_export("json")
    job = dataclasses.replace(job, created_at=datetime(2026, 1, 5, 8, 0, tzinfo=UTC) + timedelta(minutes=next(_made)))
    ws.record_export(job, job.write(path), path)
    return json.loads(path.read_text(encoding="utf-8"))


def test_the_file_is_signed_and_carries_the_anchor(demo, tmp_path):
    document = export(demo, tmp_path / "g1.json")
    assert document["chain"]["anchor"] == chain.anchor_code(document["chain"]["seq"], document["chain"]["link"])
    assert chain.parse_anchor(document["chain"]["anchor"])  # the code a person can type
    assert demo.stored_anchors()[-1].purpose == "Austauschdatei g1.json"
    assert len(demo.signing_fingerprint().split()) == 4
    assert read_file(tmp_path / "g1.json").document["signature"] == document["signature"]
    again = export(demo, tmp_path / "g2.json")
    assert again["chain"]["public_key"] == document["chain"]["public_key"]  # one key per Datenbestand


def test_a_resealed_file_with_a_raised_receipt_is_refused(demo, tmp_path):
    document = export(demo, tmp_path / "g.json")
    document["tables"]["receipts"][0]["amount_cents"] += 1_000_000  # +10.000 €, checksum recomputed
    forged = write_document(reseal(document), tmp_path / "forged.json")
    with pytest.raises(ChecksumError, match="Signatur"):
        read_file(forged)


def test_the_kreis_keeps_the_chain_head_and_refuses_what_does_not_extend_it(demo, kreis, tmp_path):
    first = tmp_path / "g1.json"
    export(demo, first)
    kreis.import_gemeinde_files([first])
    ags = demo.profile().ags
    known = kreis.known_gemeinde_chains()[ags]
    assert known["anchor"] == json.loads(first.read_text(encoding="utf-8"))["chain"]["anchor"]

    # the Gemeinde books a new receipt: the newer file extends the chain and is taken over
    decision = demo.decisions()[-1]
    receipt = demo.receipts(decision.id)[-1]
    demo.reverse_receipt(receipt.id, "doppelt erfasst")
    second = tmp_path / "g2.json"
    export(demo, second)
    change = kreis.import_gemeinde_files([second])
    assert change.ids and kreis.known_gemeinde_chains()[ags]["seq"] > known["seq"]

    # the Gemeinde changes a receipt the Kreis has already taken over: refused, naming it
    target = None
    for candidate in reversed(demo.receipts(decision.id)):
        if candidate.reversal_of is None and candidate.id != receipt.id:
            try:  # a receipt of a submitted period is locked and refused: take the next
                demo.update_receipt(dataclasses.replace(candidate, amount_cents=candidate.amount_cents + 1_000_000))
            except PaktDeskError:
                continue
            target = candidate
            break
    assert target is not None
    third = tmp_path / "g3.json"
    export(demo, third)
    preview = kreis.preview_gemeinde_import([third])
    (item,) = preview.items
    assert item.action == "abgelehnt" and item.reason == "übernommene Datensätze geändert"
    assert f"Belege Nr. {target.id}: amount_cents geändert" in item.message
    with pytest.raises(ImportConflictError, match="nicht fort"):
        kreis.apply_gemeinde_import(preview)

    # an older file (the chain reset to before the last take-over) is refused too
    older = kreis.preview_gemeinde_import([first]).items[0]
    assert older.action == "abgelehnt" and older.reason == "Prüfkette nicht fortgesetzt"


def test_another_key_is_refused_unless_the_clerk_confirms(demo, kreis, tmp_path):
    first = tmp_path / "g1.json"
    export(demo, first)
    kreis.import_gemeinde_files([first])
    ags = demo.profile().ags
    copy = tmp_path / "kopie.paktdesk"  # the same data, but another Datenbestand with its own key
    demo.close()
    shutil.copyfile(demo.path, copy)
    other = Workspace.open(copy)
    try:
        with other.store.transaction():
            other.store.conn.execute("DELETE FROM settings WHERE key = 'exchange_signing_key'")
        second = tmp_path / "g2.json"
        export(other, second)
    finally:
        other.close()
    (item,) = kreis.preview_gemeinde_import([second]).items
    assert item.action == "abgelehnt" and item.reason == "anderer Schlüssel"
    assert "Schlüsselwechsel" in item.message

    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    kreis.close()
    run = [sys.executable, "-m", "paktdesk", "--data", str(kreis.path), "import-gemeinde", str(second)]
    refused = subprocess.run(run, env=env, capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert refused.returncode != 0 and "anderen Schlüssel" in refused.stdout + refused.stderr
    taken = subprocess.run([*run, "--schluessel-wechsel"], env=env, capture_output=True, text=True,
                           encoding="utf-8", timeout=300)
    assert taken.returncode == 0, taken.stdout + taken.stderr
    reopened = Workspace.open(kreis.path)
    try:
        wanted = json.loads(second.read_text(encoding="utf-8"))["chain"]["public_key"]
        assert reopened.known_gemeinde_chains()[ags]["public_key"] == wanted
    finally:
        reopened.close()
