"""Fixtures for the printed forms: the demo Datenbestand on disk and its proof of use printed."""

from __future__ import annotations

import pytest
from report_helpers import DECISION_2023, PRINTED_ON, PdfText

from paktdesk.demo import create_demo


@pytest.fixture(autouse=True)
def _home(tmp_path, monkeypatch):
    monkeypatch.setenv("PAKTDESK_HOME", str(tmp_path / "home"))


@pytest.fixture
def demo(tmp_path):
    ws = create_demo(tmp_path / "demo.paktdesk")
    yield ws
    ws.close()


@pytest.fixture(scope="module")
def printed_demo(tmp_path_factory):
    """The demo's proof of use for the 2023 decision, printed once per module."""
    folder = tmp_path_factory.mktemp("printed")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PAKTDESK_HOME", str(folder / "home"))
        ws = create_demo(folder / "demo.paktdesk")
        try:
            decision = ws.decision_by_file_number(DECISION_2023)
            out = folder / "Verwendungsnachweis.pdf"
            result = ws.print_proof_of_use(decision, out, printed_on=PRINTED_ON, with_receipt_lists=True)
            yield ws, decision, result, PdfText.read(out)
        finally:
            ws.close()
