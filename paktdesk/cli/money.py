"""``paktdesk balance`` (plan vs. actual) and ``import-receipts`` (from the finance system)."""

from __future__ import annotations

import sys
from pathlib import Path

from ..core.money import format_cents
from .base import DECISION_HELP, EXIT_FAILED, EXIT_OK, EXIT_USAGE, add_command


def register(commands) -> None:
    balance = add_command(commands, "balance", "Soll-Ist-Vergleich je Bescheid, Person, Jahr und Kostenart",
                          cmd_balance)
    balance.add_argument("--decision", metavar="AZ", help="nur diesen Bescheid: " + DECISION_HELP)
    receipts = add_command(commands, "import-receipts",
                           "Belege aus CSV/XLSX der Finanzsoftware einlesen (alle oder keine)", cmd_import_receipts)
    receipts.add_argument("file", metavar="DATEI", type=Path, help="CSV- oder XLSX-Datei")
    receipts.add_argument("--decision", metavar="AZ", required=True, help=DECISION_HELP)
    receipts.add_argument("--preview", action="store_true", help="nur prüfen und anzeigen, nichts speichern")
    receipts.add_argument("--map", metavar="FELD=SPALTE", action="append", default=[],
                          help="Spaltenzuordnung ändern, z. B. --map amount=\"Betrag in HW\"; ergänzt den Vorschlag, "
                          "FELD= hebt eine Zuordnung auf (Felder: " + ", ".join(IMPORT_FIELDS) + ")")
    receipts.add_argument("--kopfzeile", metavar="N", type=int,
                          help="Zeile der Datei mit den Spaltennamen (Standard: erkannt, Titelzeilen darüber "
                          "werden übergangen)")
    receipts.add_argument("--profil", metavar="NAME",
                          help="gespeichertes Spaltenprofil verwenden (Standard: das zur Kopfzeile passende)")
    receipts.add_argument("--profil-speichern", metavar="NAME",
                          help="die Spaltenzuordnung nach dem Import als Profil speichern, z. B. \"SAP Einzelposten\"")
    receipts.add_argument("--kostenart", metavar="CODE", help="Kostenart für Zeilen ohne Kostenart, z. B. S_SONST")
    receipts.add_argument("--dubletten-uebernehmen", action="store_true",
                          help="Dubletten trotzdem buchen (Standard: überspringen)")


IMPORT_FIELDS = ("receipt_date", "amount", "payee", "purpose", "paid_on", "budget_year", "cost_category",
                 "number", "person", "debit", "credit", "sign", "document_number", "budget_line", "account",
                 "cost_center", "cash_ref")


def _print_table(headers: list[str], rows: list[list[str]], *, right: set[int] = frozenset(),
                 indent: str = "  ") -> None:
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        return indent + "  ".join(c.rjust(w) if i in right else c.ljust(w)
                                  for i, (c, w) in enumerate(zip(cells, widths, strict=True))).rstrip()

    print(line(headers))
    print((indent + "  ".join("-" * w for w in widths)).rstrip())
    for row in rows:
        print(line(row))


def _money_or_blank(value: int | None) -> str:
    return "" if value is None else format_cents(value)


def _balance_rows(lines) -> list[list[str]]:
    return [[line.label, _money_or_blank(line.planned), _money_or_blank(line.received), format_cents(line.spent),
             format_cents(line.passed_on), format_cents(line.actual), _money_or_blank(line.own_share),
             _money_or_blank(line.balance), line.balance_label] for line in lines]


_BALANCE_HEADERS = ["", "Soll", "Erhalten", "Belege", "Weitergeleitet", "Ist-Kosten", "Eigenanteil", "Saldo", ""]


def cmd_balance(args) -> int:
    from ..core.balances import sum_lines
    from ..core.periods import format_date
    from ..core.validation import format_vza
    from .opening import open_for_reading, open_for_writing

    ws = open_for_reading(args)
    try:
        ids = [ws.find_decision(args.decision)] if args.decision else [d.id for d in ws.decisions()]
        if not ids:
            print("Keine Bescheide erfasst.")
        for decision_id in ids:
            b = ws.balance(decision_id)
            t = b.total
            version = ws.current_version(decision_id)
            print(f"Bescheid {b.file_number} (Nr. {b.decision_id}) – {b.funding_area.label} – {b.grantor}")
            print(f"  Fassung {b.version_no} ({version.kind.value} vom {format_date(b.decided_on)}), "
                  f"Bewilligungszeitraum {b.period_label}")
            summary = [
                ["Bewilligt (es gilt der Bescheid)", format_cents(b.decided)],
                ["Berechnet aus Stellen/Kostenplan", _money_or_blank(b.computed)
                 + (f"  (Abweichung {format_cents(b.computed_difference)})" if b.computed_difference else "")],
                ["Erhalten", format_cents(t.received)],
                ["Abgerufen, noch nicht erhalten", format_cents(b.requested_open)],
                ["Noch nicht ausgezahlt (offen)", format_cents(b.open_remainder)],
                ["Ausgegeben (Belege)", format_cents(t.spent)],
                ["Weitergeleitet an Träger", format_cents(t.passed_on)],
                ["Von Trägern zurückzufordern", format_cents(t.provider_refund)],
                ["Ist-Kosten", format_cents(t.actual)],
                ["Eigenanteil (Ist-Kosten − Festbetrag)", format_cents(t.own_share)],
                [t.balance_label.capitalize() if t.balance else "Saldo", format_cents(abs(t.balance))],
            ]
            _print_table(["Übersicht", "Betrag"], summary, right={1})
            if b.positions:
                print()
                _print_table(
                    ["Stelle", "VZÄ", "Kat.", "Beginn", "Monate", "Satz/Jahr", "Laut Bescheid", "Berechnet", "Differenz"],
                    [[p.person_label, format_vza(p.vza_milli), p.category, format_date(p.first_day), str(p.months),
                      format_cents(p.rate_cents), format_cents(p.decided_cents), format_cents(p.computed_cents),
                      (format_cents(p.difference) + " !") if p.flagged else ""] for p in b.positions],
                    right={1, 4, 5, 6, 7, 8})
            for title, lines in (("Je Person", b.by_person), ("Je Jahr", b.by_year), ("Je Kostenart", b.by_category)):
                if not lines:
                    continue
                print()
                rows = _balance_rows(lines)
                total = sum_lines(lines)
                rows.append(["Summe", _money_or_blank(total.planned), _money_or_blank(total.received),
                             format_cents(total.spent), format_cents(total.passed_on), format_cents(total.actual),
                             "", "", ""])
                _print_table([title, *_BALANCE_HEADERS[1:]], rows, right={1, 2, 3, 4, 5, 6, 7})
            if b.by_provider:
                print()
                _print_table(["Weiterleitung", "Vereinbart", "Ausgezahlt", "Nachgewiesen", "Zurückzufordern"],
                             [[p.label, format_cents(p.agreed), format_cents(p.passed_on),
                               _money_or_blank(p.proven), format_cents(p.provider_refund)] for p in b.by_provider],
                             right={1, 2, 3, 4})
            print()
    finally:
        ws.close()
    return EXIT_OK


def cmd_import_receipts(args) -> int:
    from ..core.periods import format_date
    from .opening import open_for_reading, open_for_writing

    changes = {}
    for item in args.map:
        key, sep, header = item.partition("=")
        if not sep or not key.strip():
            print(f"Fehler: „{item}“ ist keine Zuordnung der Form FELD=SPALTE.", file=sys.stderr)
            return EXIT_USAGE
        if key.strip() not in IMPORT_FIELDS:
            print(f"Fehler: „{key.strip()}“ ist kein Feld des Belegimports (Felder: {', '.join(IMPORT_FIELDS)}).",
                  file=sys.stderr)
            return EXIT_USAGE
        changes[key.strip()] = header.strip()
    if args.kopfzeile is not None and args.kopfzeile < 1:
        print("Fehler: --kopfzeile braucht eine Zeilennummer ab 1.", file=sys.stderr)
        return EXIT_USAGE
    ws = open_for_reading(args) if args.preview else open_for_writing(args)
    try:
        options = dict(decision_id=ws.find_decision(args.decision), mapping_changes=changes or None,
                       default_category=args.kostenart, skip_duplicates=not args.dubletten_uebernehmen,
                       header_row=args.kopfzeile, profile=args.profil)
        preview = ws.preview_receipt_import(args.file, **options)
        chosen = ws.decision(options["decision_id"])
        print(f"Bescheid: {chosen.file_number} (Nr. {chosen.id})")  # what a beginning or a number named
        print(f"Datei: {args.file.name} ({preview.kind}{', ' + preview.encoding if preview.encoding else ''})")
        for number, line in enumerate(preview.title_lines, start=1):
            print(f"Titelzeile {number}: {line[:100]}")
        print(f"Kopfzeile: Zeile {preview.header_line}"
              + ("" if preview.header_found else " (keine Zeile mit Datum und Betrag erkannt; mit --kopfzeile N wählen)"))
        if preview.profile:
            print(f"Spaltenprofil: {preview.profile}")
        print("Zuordnung: " + ", ".join(f"{k}={v}" for k, v in preview.mapping.items()))
        rows = [[str(r.line), r.status, format_date(r.row.receipt_date), _money_or_blank(r.row.amount_cents),
                 r.row.payee[:30], r.row.purpose[:30], dict(r.row.references).get("document_number", "")[:20],
                 r.category_label[:24], r.person_label[:20], r.reason] for r in preview.rows]
        _print_table(["Zeile", "Status", "Datum", "Betrag", "Empfänger", "Zweck", "Belegnr.", "Kostenart", "Person",
                      "Hinweis"], rows, right={0, 3})
        print(preview.summary())
        for warning in preview.warnings:
            print(f"Achtung: {warning}")
        if preview.error_rows:
            for row in preview.error_rows[:20]:
                for message in row.messages():
                    print(message, file=sys.stderr)
            print("Nicht importiert: Bitte die Zeilen mit Fehlern in der Datei korrigieren. Es wurde nichts "
                  "gespeichert.", file=sys.stderr)
            return EXIT_FAILED
        if args.preview:
            print("Vorschau: nichts gespeichert.")
            return EXIT_OK
        change = ws.import_receipts(args.file, save_profile=args.profil_speichern, **options)
        print(f"{change.action}.")
        for warning in change.warnings:
            if warning not in preview.warnings:
                print(f"Hinweis: {warning}")
        return EXIT_OK
    finally:
        ws.close()
