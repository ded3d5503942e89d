"""The benchmark tooling still works (no times are asserted; speed is measured by hand with
tests/benchmarks/run_all.py): the generator at a tiny scale writes a Datenbestand that passes the
full check and Gemeinde files a Kreis can take over, always the same content, and ``run_all.py
--smoke`` runs every measure once."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from paktdesk.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "tests" / "benchmarks"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"paktdesk_benchmarks_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    return env


def _content(path: Path) -> str:
    """A fingerprint of every row of the money, register and audit tables (without the file id)."""
    digest = hashlib.sha256()
    ws = Workspace.open(path, read_only=True)
    try:
        for table in ("profile", "persons", "employments", "decisions", "decision_versions", "positions", "payments",
                      "receipts", "key_figures", "audit_log", "control_totals"):
            for row in ws.store.conn.execute(f"SELECT * FROM [{table}] ORDER BY 1"):
                digest.update(repr(row).encode())
    finally:
        ws.close()
    return digest.hexdigest()


def test_the_generator_writes_a_file_that_passes_the_full_check(tmp_path):
    generate = _load("generate")
    data = generate.ensure(generate.SMOKE, cache=tmp_path / "cache")
    done = subprocess.run([sys.executable, "-m", "paktdesk", "--data", str(data.kreis_file), "check"],
                          capture_output=True, text=True, env=_env(), cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Prüfung bestanden" in done.stdout

    ws = Workspace.open(data.kreis_file)
    try:
        counts = ws.counts()
        assert counts["receipts"] == generate.SMOKE.receipts
        assert counts["payments"] == generate.SMOKE.payments
        assert counts["decisions"] == generate.SMOKE.decisions
        assert counts["persons"] == generate.SMOKE.persons
        # one audit row per record, as the use cases write them
        assert counts["audit_log"] == data.counts["audit_log"] == sum(
            n for table, n in data.counts.items() if table != "audit_log") + 2  # profile and rule set
        assert ws.audit_entries(entity="receipts", limit=1)[0].action in ("Beleg erfasst", "Beleg storniert")
        reversals, negative = ws.store.conn.execute(
            "SELECT count(reversal_of), sum(amount_cents < 0) FROM receipts").fetchone()
        assert reversals == negative > 0  # reversals (Storno), each with the negative amount
        versions = ws.store.conn.execute("SELECT max(version_no) FROM decision_versions").fetchone()[0]
        assert versions >= 2  # decisions with amendments
        # the Gemeinde files are what a Kreis can take over: all of them, nothing refused
        preview = ws.preview_gemeinde_import(list(data.gemeinde_files))
        assert preview.ok and [item.action for item in preview.items] == ["neu"] * generate.SMOKE.gemeinden
        gemeinden_receipts = sum(item.file.document["control_totals"]["receipts"]["count"] for item in preview.items)
        assert gemeinden_receipts == generate.SMOKE.receipts
    finally:
        ws.close()

    again = generate.ensure(generate.SMOKE, cache=tmp_path / "cache")  # from the cache
    assert again.kreis_file == data.kreis_file and again.seconds == 0.0
    other = generate.ensure(generate.SMOKE, cache=tmp_path / "other")  # generated anew: the same content
    assert _content(other.kreis_file) == _content(data.kreis_file)
    assert [f.read_bytes() for f in other.gemeinde_files] == [f.read_bytes() for f in data.gemeinde_files]


def test_run_all_smoke_runs_every_measure(tmp_path):
    out = tmp_path / "results.json"
    done = subprocess.run([sys.executable, str(BENCH / "run_all.py"), "--smoke", "--cache", str(tmp_path / "cache"),
                           "--json", str(out)], capture_output=True, text=True, env=_env(), cwd=ROOT, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    results = {r["key"]: r for r in json.loads(out.read_text(encoding="utf-8"))["results"]}
    expected = {"startup", "receipts_open", "receipts_filter", "memory", "proof", "export", "import", "backup",
                "backup_deep"}
    measures = _load("measures")
    if measures.soffice_command():
        expected.add("libreoffice")
    assert set(results) == expected
    without_floor = {"memory", "backup_deep"} | ({"backup"} if shutil.which("sqlite3") is None else set())  # the CLI is optional
    for key, result in results.items():
        assert result["ours"] and all(value > 0 for value in result["ours"]), key
        assert bool(result["floor"]) == (key not in without_floor), key
    assert "Messung / measure" in done.stdout and "Ziel / goal" in done.stdout
