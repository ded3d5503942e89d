"""Bestätigungen: the declarations signed with a proof of use, with signature lines.

Conditions observed, expenditure necessary and economical, figures matching books and receipts,
the audit office's check where there is one, and "sachlich und rechnerisch richtig" with place,
date, name and signature."""

from __future__ import annotations

from reportlab.platypus import Flowable, KeepTogether, Spacer

from .layout import (
    PORTRAIT,
    frame_size,
    grid_table,
    para,
    signature_lines,
    styles,
    title_block,
)
from .model import Confirmations

BOX = "☒"


def statements(conf: Confirmations) -> list[str]:
    """The declarations, in the order they are printed."""
    items = [
        "Die allgemeinen und besonderen Nebenbestimmungen des Zuwendungsbescheids "
        "(insbesondere ANBest-K) wurden beachtet.",
        "Die Ausgaben waren notwendig; es wurde wirtschaftlich und sparsam verfahren.",
        f"Die Angaben in diesem {conf.document} stimmen mit den Büchern und Belegen überein.",
    ]
    if conf.has_audit_office:
        items.append(f"Der {conf.document} wurde vom Rechnungsprüfungsamt geprüft; das Ergebnis ist "
                     "unten bestätigt.")
    else:
        items.append("Ein örtliches Rechnungsprüfungsamt besteht nicht.")
    items.append("Die Belege und Verträge werden nach den geltenden Fristen aufbewahrt und können "
                 "jederzeit eingesehen werden.")
    return items


def confirmations_story(conf: Confirmations, *, subtitle: str) -> list[Flowable]:
    st = styles()
    width, _ = frame_size(PORTRAIT)
    story: list[Flowable] = title_block("Bestätigungen", subtitle)
    rows = [[BOX, para(text, st["form"])] for text in statements(conf)]
    story.append(grid_table(rows, [18, width - 18], header_rows=0, font_size=11, leading=13,
                            extra=[("ALIGN", (0, 0), (0, -1), "CENTER")]))
    story.append(Spacer(1, 14))
    story.append(KeepTogether([
        para("Sachlich und rechnerisch richtig", st["h2"]),
        para("Für den Zuwendungsempfänger:", st["form"]),
        Spacer(1, 10),
        signature_lines(width, place=conf.place, name=conf.contact_name),
    ]))
    if conf.has_audit_office:
        story.append(Spacer(1, 14))
        story.append(KeepTogether([
            para("Prüfvermerk des Rechnungsprüfungsamts", st["h2"]),
            para(f"Der {conf.document} wurde geprüft. Die Prüfung hat zu keinen / zu folgenden "
                 "Beanstandungen geführt (Nichtzutreffendes streichen):", st["form"]),
            Spacer(1, 34),
            signature_lines(width, place=conf.place),
        ]))
    return story
