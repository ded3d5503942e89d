"""Bestätigungen: what the signature under a proof of use confirms, with the signature block.

Worded as statements the signer confirms by signing (Baden-Württemberg Muster
"Verwendungsnachweis", domain.md §8): no box is ticked on the clerk's behalf. The audit-office
line follows the profile: the Rechnungsprüfungsamt's check with its Prüfvermerk, or the
statement that there is none."""

from __future__ import annotations

from reportlab.platypus import Flowable, KeepTogether, Spacer

from ..core.periods import format_date
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


def retention_text(conf: Confirmations) -> str:
    rule = f"{conf.retention_years} Jahre nach Vorlage des {conf.document}es"
    if conf.retention_until is None:
        return f"Die Belege und Verträge werden {rule} aufbewahrt und können jederzeit eingesehen werden."
    return (f"Die Belege und Verträge werden bis zum {format_date(conf.retention_until)} aufbewahrt ({rule}) "
            "und können jederzeit eingesehen werden.")


def statements(conf: Confirmations) -> list[str]:
    """The declarations, in the order they are printed. A Zwischennachweis reports the state so
    far: the purpose is not yet achieved, only pursued as planned."""
    if conf.interim:
        return [
            "Die allgemeinen und besonderen Nebenbestimmungen des Zuwendungsbescheids "
            "(insbesondere ANBest-K) wurden bisher beachtet.",
            "Die bisherigen Ausgaben waren notwendig; es wurde wirtschaftlich und sparsam verfahren.",
            f"Die Angaben in diesem {conf.document} stimmen mit den Büchern und Belegen überein.",
            "Die Mittel wurden bisher zweckentsprechend verwendet; die Maßnahme wird wie bewilligt "
            "durchgeführt.",
            retention_text(conf),
        ]
    return [
        "Die allgemeinen und besonderen Nebenbestimmungen des Zuwendungsbescheids "
        "(insbesondere ANBest-K) wurden beachtet.",
        "Die Ausgaben waren notwendig; es wurde wirtschaftlich und sparsam verfahren.",
        f"Die Angaben in diesem {conf.document} stimmen mit den Büchern und Belegen überein.",
        "Der Zuwendungszweck wurde erreicht.",
        retention_text(conf),
    ]


def audit_statement(conf: Confirmations) -> str:
    if not conf.has_audit_office:
        return "Ein kommunales Rechnungsprüfungsamt ist nicht vorhanden."
    office = f" ({conf.audit_office_name})" if conf.audit_office_name else ""
    return f"Der {conf.document} wurde geprüft durch das Rechnungsprüfungsamt{office}."


def confirmations_story(conf: Confirmations, *, subtitle: str) -> list[Flowable]:
    st = styles()
    width, _ = frame_size(PORTRAIT)
    story: list[Flowable] = title_block("Bestätigungen", subtitle)
    story.append(para("Mit der Unterschrift wird bestätigt:", st["form"]))
    story.append(Spacer(1, 4))
    rows = [[f"{number}.", para(text, st["form"])] for number, text in enumerate(statements(conf), start=1)]
    story.append(grid_table(rows, [22, width - 22], header_rows=0, font_size=10, leading=13))
    story.append(Spacer(1, 14))
    story.append(KeepTogether([
        para("Sachlich und rechnerisch richtig (im Sinne von § 70 LHO)", st["h2"]),
        para("Für den Zuwendungsempfänger:", st["form"]),
        Spacer(1, 10),
        signature_lines(width, place=conf.place, name=conf.signer, title=conf.signer_title),
    ]))
    story.append(Spacer(1, 14))
    if conf.interim:  # the audit office examines the Verwendungsnachweis, not each interim report
        story.append(para("Die Prüfung durch das Rechnungsprüfungsamt erfolgt mit dem Verwendungsnachweis."
                          if conf.has_audit_office else audit_statement(conf), st["small"]))
        return story
    audit = [para("Rechnungsprüfung", st["h2"]), para(audit_statement(conf), st["form"])]
    if conf.has_audit_office:
        note = conf.audit_note or (f"Der {conf.document} wurde geprüft. Die Prüfung hat zu keinen / zu folgenden "
                                   "Beanstandungen geführt (Nichtzutreffendes streichen):")
        audit += [para(f"Prüfvermerk: {note}", st["form"]), Spacer(1, 30), signature_lines(width, place=conf.place)]
    story.append(KeepTogether(audit))
    return story
