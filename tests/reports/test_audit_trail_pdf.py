"""Änderungsprotokoll as PDF for the Rechnungsprüfungsamt: every entry of the filter in order,
old and new values complete (a 100 kB text continues over rows and pages), header on every
landscape page, hostile text literal, written atomically."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from report_helpers import PRINTED_ON, PdfText

from paktdesk.core.errors import ValidationError
from paktdesk.core.money import format_cents
from paktdesk.core.periods import Period



def entry_numbers(text: PdfText) -> list[int]:
    """The entry numbers at the start of table rows (followed by the date of the entry)."""
    return [int(n) for n in re.findall(r"^\s*(\d+)\s+\d\d\.\d\d\.\d{4}\s", text.text, flags=re.MULTILINE)]


def test_filtered_trail_holds_every_entry_once_in_order(demo, tmp_path):
    out = tmp_path / "protokoll.pdf"
    today = date.today()  # read after the demo wrote its entries, not at import (a run may cross midnight)
    result = demo.print_audit_trail(today, today, "receipts", out, printed_on=PRINTED_ON)
    reader = PdfReader(str(out))
    assert result.pages == len(reader.pages) > 1
    assert all(float(p.mediabox.width) > float(p.mediabox.height) for p in reader.pages)
    text = PdfText.read(out)
    expected = [e.id for e in demo.audit_trail(period=Period.inclusive(today, today), entity="receipts",
                                                newest_first=False)]
    assert len(expected) == demo.audit_trail_count(period=Period.inclusive(today, today), entity="receipts") > 50
    assert entry_numbers(text) == expected
    for number, page in enumerate(text.pages, start=1):
        assert "Alter Wert" in page and "Neuer Wert" in page, number
        assert f"Seite {number} von {result.pages}" in page
    assert f"Bereich: Beleg · {len(expected)} Einträge" in text.text
    # an amount is shown as money, exactly as stored
    receipt = demo.receipts(demo.decisions()[0].id)[0]
    assert format_cents(receipt.amount_cents) in text.text


def test_period_outside_the_log_prints_an_empty_trail_and_bad_periods_are_refused(demo, tmp_path):
    out = tmp_path / "leer.pdf"
    result = demo.print_audit_trail(date(2001, 1, 1), date(2001, 12, 31), None, out, printed_on=PRINTED_ON)
    assert result.pages == 1
    text = PdfText.read(out).text
    assert "keine Einträge" in text and "Zeitraum 01.01.2001 – 31.12.2001" in text
    with pytest.raises(ValidationError, match="Ende des Zeitraums"):
        demo.print_audit_trail(date.today(), date.today() - timedelta(days=1), None, tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_long_and_hostile_values_print_completely_and_literally(demo, tmp_path):
    decision = demo.decisions()[0].id
    words = [f"Wort{n:05d}" for n in range(12_000)]  # about 100 kB
    long_text = "<b>fett?</b> & <img src='x'/> " + " ".join(words)
    demo.save_narrative(decision, long_text)
    out = tmp_path / "lang.pdf"
    result = demo.print_audit_trail(date.today(), None, "narrative_reports", out, printed_on=PRINTED_ON)
    assert result.pages > 10
    text = PdfText.read(out)
    flat = text.flat()
    assert "<b>fett?</b>&<imgsrc='x'/>" in flat
    found = re.findall(r"Wort(\d{5})", "".join(text.raw_pages))
    assert [int(n) for n in found] == list(range(12_000))  # nothing cut, nothing twice
    assert "Text (Forts.)" in text.text
    assert "ab " + date.today().strftime("%d.%m.%Y") in text.text


def test_whole_trail_through_the_command_line(demo, tmp_path):
    from paktdesk.cli import main

    path = demo.path
    demo.close()
    out = tmp_path / "alles.pdf"
    code = main(["--data", str(path), "print", "audit-trail", "--out", str(out), "--printed-on", "12.03.2025"])
    assert code == 0
    text = PdfText.read(out)
    assert "alle Einträge" in text.text
    assert "Gedruckt am 12.03.2025" in text.text
