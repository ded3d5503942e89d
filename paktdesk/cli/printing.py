"""``paktdesk print``: the printed forms as PDF files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .base import DECISION_HELP, EXIT_OK, EXIT_USAGE, Parser, date_arg

_PRINT_ALIASES = {"proof-of-use": "proof", "interim-proof": "interim", "payment-request": "request"}


def register(commands) -> None:
    printing = commands.add_parser("print", help="Formular als PDF-Datei erzeugen (proof, interim, statement, request, "
                                   "qualifications, audit-trail)", add_help=False)
    printing.add_argument("-h", "--help", action="help", help="diese Hilfe anzeigen")
    documents = printing.add_subparsers(dest="document", metavar="FORMULAR", parser_class=Parser, required=True)

    def document(name: str, aliases: list[str], text: str, *, decision: bool) -> argparse.ArgumentParser:
        sub = documents.add_parser(name, aliases=aliases, help=text, add_help=False)
        sub.add_argument("-h", "--help", action="help", help="diese Hilfe anzeigen")
        if decision:
            sub.add_argument("--decision", required=True, metavar="AZ",
                             help=DECISION_HELP)
        sub.add_argument("--out", required=True, type=Path, metavar="PDF", help="Zieldatei (wird ersetzt)")
        sub.add_argument("--printed-on", type=date_arg, metavar="DATUM",
                         help="Druckdatum auf jeder Seite (Standard: heute)")
        return sub

    proof = document("proof", ["proof-of-use"], "Verwendungsnachweis eines Bescheids", decision=True)
    proof.add_argument("--entwurf", action="store_true",
                       help="als Entwurf drucken (auf jeder Seite markiert; auch ohne Sachbericht)")
    interim = document("interim", ["interim-proof"], "Zwischennachweis für einen Zeitraum", decision=True)
    for sub in (proof, interim):
        sub.add_argument("--mit-belegliste", dest="with_receipt_lists", action="store_true",
                         help="Beleglisten beifügen (sonst nur „auf Anforderung“ im Inhalt genannt)")
    interim.add_argument("--from", dest="first", required=True, type=date_arg, metavar="DATUM", help="erster Tag")
    interim.add_argument("--to", dest="last", required=True, type=date_arg, metavar="DATUM", help="letzter Tag")
    statement = document("statement", [], "Förderübersicht eines Jahres oder Zeitraums", decision=False)
    statement.add_argument("--year", type=int, metavar="JJJJ", help="Kalenderjahr")
    statement.add_argument("--from", dest="first", type=date_arg, metavar="DATUM", help="erster Tag")
    statement.add_argument("--to", dest="last", type=date_arg, metavar="DATUM", help="letzter Tag")
    request = document("request", ["payment-request"], "Mittelabruf", decision=True)
    request.add_argument("--amount", required=True, metavar="BETRAG", help="angeforderter Betrag, z. B. 12.500,00")
    qualifications = document("qualifications", [], "Qualifikationsübersicht", decision=False)
    qualifications.add_argument("--as-of", dest="as_of", type=date_arg, metavar="DATUM",
                                help="Stichtag für Status und Fristen (Standard: heute)")
    audit = document("audit-trail", [], "Änderungsprotokoll für das Rechnungsprüfungsamt", decision=False)
    audit.add_argument("--from", dest="first", type=date_arg, metavar="DATUM", help="erster Tag")
    audit.add_argument("--to", dest="last", type=date_arg, metavar="DATUM", help="letzter Tag")
    audit.add_argument("--entity", metavar="BEREICH", help="nur diese Art von Datensätzen (z. B. receipts)")

    printing.set_defaults(run=cmd_print)


def cmd_print(args) -> int:
    from datetime import date

    from ..core.money import parse_cents
    from .opening import open_for_writing

    kind = _PRINT_ALIASES.get(args.document, args.document)
    ws = open_for_writing(args)  # printing a proof records its submission
    try:
        common = {"printed_on": args.printed_on}
        if kind == "proof":
            result = ws.print_proof_of_use(ws.find_decision(args.decision), args.out, draft=args.entwurf,
                                           with_receipt_lists=args.with_receipt_lists, **common)
        elif kind == "interim":
            result = ws.print_interim(ws.find_decision(args.decision), args.first, args.last, args.out,
                                      with_receipt_lists=args.with_receipt_lists, **common)
        elif kind == "statement":
            if args.year is not None:
                if args.first or args.last:
                    print("Fehler: --year oder --from/--to angeben, nicht beides.", file=sys.stderr)
                    return EXIT_USAGE
                first, last = date(args.year, 1, 1), date(args.year, 12, 31)
            elif args.first and args.last:
                first, last = args.first, args.last
            else:
                print("Fehler: Bitte --year JJJJ oder --from DATUM --to DATUM angeben.", file=sys.stderr)
                return EXIT_USAGE
            result = ws.print_funding_statement(first, last, args.out, **common)
        elif kind == "qualifications":
            result = ws.print_qualification_overview(args.out, today=args.as_of, **common)
        elif kind == "audit-trail":
            result = ws.print_audit_trail(args.first, args.last, args.entity, args.out, **common)
        else:
            result = ws.print_payment_request(ws.find_decision(args.decision), parse_cents(args.amount, field="amount"),
                                              args.out, **common)
    finally:
        ws.close()
    print(f"PDF geschrieben: {args.out} ({result.pages} {'Seite' if result.pages == 1 else 'Seiten'})")
    for warning in result.warnings:
        print(f"Hinweis: {warning}")
    return EXIT_OK
