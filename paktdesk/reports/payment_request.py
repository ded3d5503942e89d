"""Mittelabruf: a request for the next instalment of a grant.

Shows the amount granted, the expenditure per statement, the instalments paid (and those
requested but not yet received), what is still open and the amount now requested, with the
bank account and signature lines."""

from __future__ import annotations

from typing import BinaryIO

from reportlab.platypus import Flowable, KeepTogether, Spacer

from ..core.periods import format_date
from ..core.validation import format_iban
from .cover import parties_table
from .fonts import BOLD
from .layout import (
    PORTRAIT,
    Bookmark,
    SUM_FILL,
    FormDocument,
    PageHead,
    Progress,
    dash_date,
    frame_size,
    grid_table,
    key_value_table,
    money,
    para,
    signature_lines,
    styles,
    title_block,
    watch_progress,
)
from .model import PaymentRequest, RenderResult


def request_story(doc: PaymentRequest) -> list[Flowable]:
    st = styles()
    width, _ = frame_size(PORTRAIT)
    decision = doc.decision
    story: list[Flowable] = [Bookmark("Mittelabruf")]
    story += title_block("Mittelabruf", "Anforderung von Zuwendungsmitteln · Pakt für Integration – "
                                        f"Förderbereich {decision.funding_area}")
    story += [parties_table(doc.letterhead, decision, width), Spacer(1, 8),
              key_value_table([
                  ("Aktenzeichen", decision.file_number),
                  ("Bescheid vom", format_date(decision.current.decided_on)
                   + (f" (Fassung {decision.current.version_no}, {decision.current.kind})"
                      if decision.current.version_no > 1 else "")),
                  ("Bewilligungszeitraum", decision.period.format()),
              ], [150, width - 150]),
              para("Berechnung", st["h2"])]
    until = f" (Stand {format_date(doc.statement_until)})" if doc.statement_until else ""
    rows = [
        ["", "Betrag"],
        ["1. Bewilligte Zuwendung laut Bescheid", money(decision.amount_cents)],
        [f"2. Ausgaben laut Nachweis{until}", money(doc.statement_cents)],
        ["3. Zustehende Zuwendung nach diesen Ausgaben", money(doc.due_cents)],
        ["4. Bereits ausgezahlte Abschläge", money(doc.paid_cents)],
        ["5. Angefordert, aber noch nicht eingegangen", money(doc.pending_cents)],
        ["6. Noch abrufbar (3. − 4. − 5.)", money(doc.requestable_cents)],
        ["7. Jetzt angeforderter Betrag", money(doc.requested_cents)],
    ]
    story.append(grid_table(rows, [width - 120, 120], right_columns=(1,),
                            extra=[("FONT", (0, -1), (-1, -1), BOLD, 10, 12.5),
                                   ("BACKGROUND", (0, -1), (-1, -1), SUM_FILL),
                                   ("LINEABOVE", (0, -1), (-1, -1), 1.0, "black")]))
    story.append(para("Bisherige Abrufe", st["h2"]))
    inst = [["Nr.", "Angefordert am", "Eingegangen am", "Kassenzeichen", "Betrag"]]
    for number, item in enumerate(doc.instalments, start=1):
        inst.append([str(number), dash_date(item.requested_on),
                     dash_date(item.received_on) if item.received_on else "noch offen",
                     para(item.cash_ref or "–", st["cform"]), money(item.amount_cents)])
    if not doc.instalments:
        inst.append(["", "", "", "bisher keine Abrufe", ""])
    inst.append(["Summe eingegangen", "", "", "", money(doc.paid_cents)])
    story.append(grid_table(inst, [28, 92, 92, width - 28 - 184 - 95, 95], right_columns=(0, 4),
                            font_size=8.5, leading=10.5,
                            extra=[("SPAN", (0, -1), (3, -1)), ("FONT", (0, -1), (-1, -1), BOLD, 8.5, 10.5),
                                   ("BACKGROUND", (0, -1), (-1, -1), SUM_FILL)]))
    story.append(para("Bankverbindung", st["h2"]))
    story.append(key_value_table([
        ("Kontoinhaber", doc.letterhead.owner_name),
        ("IBAN", format_iban(doc.iban) if doc.iban else "– bitte in den Stammdaten eintragen –"),
        ("Kreditinstitut", doc.bank_name or "–"),
    ], [150, width - 150]))
    story += [para(note, st["small"]) for note in doc.notes]
    story.append(Spacer(1, 8))
    story.append(KeepTogether([
        para("Wir bestätigen, dass der angeforderte Betrag alsbald nach der Auszahlung für fällige Zahlungen "
             "im Rahmen des Zuwendungszwecks benötigt wird.", st["form"]),
        para("Sachlich und rechnerisch richtig", st["h2"]),
        Spacer(1, 8),
        signature_lines(width, place=doc.letterhead.city, name=doc.signer_name or doc.letterhead.contact_name,
                        title=doc.signer_title),
    ]))
    return story


def render_payment_request(doc: PaymentRequest, target: str | BinaryIO, *,
                           progress: Progress | None = None) -> RenderResult:
    document = FormDocument(target, PageHead(doc.letterhead, "Mittelabruf", doc.decision.file_number))
    watch_progress(document, progress)
    return RenderResult(document.render(request_story(doc)), warnings=doc.warnings)
