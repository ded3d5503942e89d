"""Chart series (decided vs. received vs. spent by month, persons against their fixed amount)
and the command line: ``balance`` and ``import-receipts`` on real files."""

from __future__ import annotations

import re
from datetime import date

from money_helpers import fingerprint

from paktdesk import cli
from paktdesk.core import entities as e
from paktdesk.core.balance_series import month_label
from paktdesk.core.money import format_cents


def test_monthly_series_are_cumulative_and_end_at_the_totals(demo):
    for decision in demo.decisions():
        series = demo.money_series(decision.id)
        b = demo.balance(decision.id)
        assert len(series.months) == len(series.decided) == len(series.received) == len(series.spent)
        assert list(series.months) == sorted(series.months) and all(m.day == 1 for m in series.months)
        assert series.received[-1] == b.received and series.spent[-1] == b.total.spent
        assert series.used[-1] == b.total.spent + b.total.passed_on
        assert series.decided[-1] == b.decided
        assert all(a <= b_ for a, b_ in zip(series.received, series.received[1:]))  # only inflows in the demo
        assert series.maximum >= max(series.decided)
    first = demo.money_series(min(d.id for d in demo.decisions()))
    versions = demo.versions(min(d.id for d in demo.decisions()))
    amendment_month = versions[1].decided_on.replace(day=1)
    index = first.months.index(amendment_month)
    assert first.decided[index - 1] == versions[0].amount_cents and first.decided[index] == versions[1].amount_cents
    assert month_label(date(2023, 3, 1)) == "Mär 2023"


def test_person_bars_against_fixed_amount(small):
    ws = small.ws
    ws.add_receipt(small.receipt(amount_cents=13_000_000, list_kind=e.ListKind.PERSONNEL, cost_category="P_ENTGELT",
                                 purpose="Entgelt 2023"))
    bars = {bar.label: bar for bar in ws.person_bars(small.im)}
    assert bars["Keller, Sabine"].fixed == 12_000_000 and bars["Keller, Sabine"].actual == 13_000_000
    assert bars["Keller, Sabine"].over
    assert bars["Schäfer, Julia"].actual == 0 and not bars["Schäfer, Julia"].over


def test_cli_balance_prints_german_tables_with_the_same_figures(demo, capsys):
    path = demo.path
    b = demo.balance(2)
    demo.close()
    assert cli.main(["--data", str(path), "balance", "--decision", "2"]) == 0
    out = capsys.readouterr().out
    assert "Bescheid 15.2-8712.23/1274" in out and "Je Person" in out and "Je Kostenart" in out
    assert format_cents(b.total.spent) in out and format_cents(b.received) in out
    assert b.total.balance
    label = "Nachforderung" if b.total.balance > 0 else "Rückforderung"
    assert re.search(rf"{label}\s+{re.escape(format_cents(abs(b.total.balance)))}\n", out)
    assert cli.main(["--data", str(path), "balance"]) == 0
    assert capsys.readouterr().out.count("Bescheid 15.2-") == 2


def test_cli_import_preview_then_import(small, tmp_path, capsys):
    ws = small.ws
    source = tmp_path / "export.csv"
    source.write_bytes("Belegdatum;Betrag;Empfänger;Verwendungszweck;Kostenart\n"
                       "05.03.2023;1.234,56;Müller;Toner;S_BUERO\n06.03.2023;12,50;Post;Porto;S_BUERO\n"
                       .encode("cp1252"))
    path = ws.path
    before = fingerprint(ws)
    ws.close()
    args = ["--data", str(path), "import-receipts", str(source), "--decision", str(small.im)]
    assert cli.main([*args, "--preview"]) == 0
    out = capsys.readouterr().out
    assert "Windows-1252" in out and "2 zu übernehmen (1.247,06 €)" in out and "nichts gespeichert" in out
    reopened = type(ws).open(path)
    assert fingerprint(reopened) == before
    reopened.close()
    assert cli.main(args) == 0
    assert "2 Belege importiert (1.247,06 €)" in capsys.readouterr().out
    source.write_bytes(b"Belegdatum;Betrag;Empf\xe4nger;Verwendungszweck;Kostenart\n07.03.2023;x;A;B;S_BUERO\n")
    assert cli.main(args) == 1
    captured = capsys.readouterr()
    assert "„x“ ist kein gültiger Betrag" in captured.out and "nichts gespeichert" in captured.err
    assert cli.main([*args, "--map", "kaputt"]) == 2


def test_cli_import_with_title_lines_header_row_partial_map_and_profile(small, tmp_path, capsys):
    """``--kopfzeile N`` picks the header row, a partial ``--map`` corrects the proposal (the
    rest is still recognised), ``--profil-speichern`` keeps it, ``--profil`` uses it."""
    ws = small.ws
    source = tmp_path / "Journal.csv"
    source.write_bytes("Kassenjournal, Stand 01.10.2023\r\n\r\nTag;Soll;Haben;Zahlungsempfänger;Buchungstext;"
                       "Kassenzeichen\r\n02.10.2023;100,00;;Post;Porto;0012\r\n03.10.2023;;25,00;Post;Erstattung;"
                       "0013\r\nSumme;100,00;25,00;;;\r\n".encode("utf-8"))
    path = ws.path
    ws.close()
    args = ["--data", str(path), "import-receipts", str(source), "--decision", str(small.im), "--kostenart", "S_BUERO"]
    assert cli.main([*args, "--preview"]) == 1  # "Tag" is no known date column: a German message, no traceback
    assert "keine Spalte für „Belegdatum“" in capsys.readouterr().err
    assert cli.main([*args, "--preview", "--kopfzeile", "3", "--map", "receipt_date=Tag"]) == 0
    out = capsys.readouterr().out
    assert "Titelzeile 1: Kassenjournal, Stand 01.10.2023" in out and "Kopfzeile: Zeile 3" in out
    assert "receipt_date=Tag" in out and "debit=Soll" in out and "cash_ref=Kassenzeichen" in out
    assert re.search(r"6\s+übersprungen.*Summenzeile \(„Summe“\): 75,00 €", out)
    assert "2 zu übernehmen (75,00 €), darin 1 Gutschrift(en) (-25,00 €)" in out
    assert cli.main([*args, "--kopfzeile", "3", "--map", "receipt_date=Tag", "--profil-speichern", "Kassenjournal"]) == 0
    assert "2 Belege importiert (75,00 €)" in capsys.readouterr().out
    source.write_bytes(source.read_bytes().replace(b"02.10.2023", b"04.10.2023").replace(b"03.10.2023", b"05.10.2023"))
    assert cli.main([*args, "--preview", "--profil", "Kassenjournal"]) == 0
    out = capsys.readouterr().out
    assert "Spaltenprofil: Kassenjournal" in out and "Kopfzeile: Zeile 3" in out  # found by the profile
    assert cli.main([*args, "--map", "betrag=Soll"]) == 2
    assert "„betrag“ ist kein Feld" in capsys.readouterr().err
