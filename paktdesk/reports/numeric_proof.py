"""Zahlenmäßiger Nachweis: the numbers of a proof of use for one position or a whole decision.

Sections: the decision (grantor, date, Aktenzeichen), the position (person, provider, VZÄ,
funded period, fixed amount), financing planned vs. actual, expenditure by cost category
(planned vs. actual where the decision has a cost plan), and the result: the grant due,
payments received and the balance to claim or to pay back. Laid out to fit one A4 page."""

from __future__ import annotations

from itertools import groupby

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from ..core.grant_rules import format_percent, percent
from ..core.money import format_cents
from ..core.periods import Period, format_date
from ..core.proof_figures import balance_label
from ..core.validation import format_vza
from .fonts import BOLD, REGULAR
from .layout import (
    Bookmark,
    PORTRAIT,
    SUM_FILL,
    fit_one_page,
    frame_size,
    grid_table,
    key_value_table,
    money,
    para,
    signature_lines,
    styles,
    title_block,
)
from .model import Confirmations, DecisionHead, NumericProof

OWN_SHARE_SENTENCE = ("Eigenanteil = Gesamtausgaben − zustehende Zuwendung − Drittmittel: was der "
                      "Zuwendungsempfänger selbst trägt; er ist nie negativ.")
FONT = 8.5
LEADING = 10.5
PADDING = 2
LABEL_WIDTH = 140


def _table(rows, widths, **kwargs):
    return grid_table(rows, widths, font_size=FONT, leading=LEADING, padding=PADDING, **kwargs)


def _bold_last(fill: bool = True) -> list[tuple]:
    out = [("FONT", (0, -1), (-1, -1), BOLD, FONT, LEADING), ("LINEABOVE", (0, -1), (-1, -1), 1.0, "black")]
    if fill:
        out.append(("BACKGROUND", (0, -1), (-1, -1), SUM_FILL))
    return out


def version_text(decision: DecisionHead, *, amounts: bool = True, periods: bool = True) -> str:
    lines = []
    for v in decision.versions:
        text = f"{v.kind}{'' if v.version_no == 1 else f' (Fassung {v.version_no})'} vom {format_date(v.decided_on)}"
        if amounts:
            text += f": {format_cents(v.amount_cents)}"
        if periods:
            text += f", Zeitraum {format_date(v.first_day)} – {format_date(v.last_day)}"
        if v.note:
            text += f" – {v.note}"
        lines.append(text)
    return "\n".join(lines)


def decision_pairs(decision: DecisionHead, period: Period, *, period_label: str) -> list[tuple[str, str]]:
    """The decision's lines as the cover page prints them (full version history)."""
    return [
        ("Zuwendungsgeber", decision.grantor),
        ("Aktenzeichen", decision.file_number),
        ("Förderbereich", decision.funding_area),
        ("Bescheid(e)", version_text(decision)),
        ("Bewilligungszeitraum", decision.period.format()),
        (period_label, period.format()),
        ("Bewilligte Zuwendung", format_cents(decision.amount_cents)),
    ]


def _compact_decision_pairs(decision: DecisionHead, period: Period, *, period_label: str) -> list[tuple[str, str]]:
    return [
        ("Zuwendungsgeber", decision.grantor),
        ("Aktenzeichen", f"{decision.file_number} · Förderbereich {decision.funding_area}"),
        ("Bescheid(e)", version_text(decision, periods=False)),
        ("Zeiträume", f"Bewilligungszeitraum {decision.period.format()} · {period_label} {period.format()}"),
    ]


def _position_pairs(proof: NumericProof) -> list[tuple[str, str]]:
    period = "–"
    if proof.funded_period is not None:
        period = proof.funded_period.format()
        if proof.funded_months and proof.extension_days:
            period += (f" ({proof.funded_months} Monate, verlängert um {proof.extension_days} Tage wegen "
                       "Unterbrechung der Entgeltzahlung)")
        elif proof.funded_months:
            period += f" ({proof.funded_months} Monate)"
    share = f"{format_vza(proof.vza_milli)} VZÄ" if proof.vza_milli else "–"
    if proof.qualification:
        share += f" · Kategorie {proof.qualification}"
    return [
        ("Integrationsmanager:in", proof.person_name),
        ("Träger / Anstellung", proof.provider_name or "–"),
        ("Stellenanteil", share),
        ("Geförderter Zeitraum", period),
        ("Bewilligter Festbetrag", format_cents(proof.figures.planned or 0)),
    ]


def grant_label(decision: DecisionHead) -> str:
    """Integrationsmanagement is funded by fixed amounts; the other areas by their decision."""
    return decision.area.grant_label


def _financing_table(proof: NumericProof, width: float, grant: str, *, provisional: bool) -> Flowable:
    """Financing planned (laut Bescheid) and actual, each with its share of the total in v. H.
    The Ist column shows the grant due, not the fixed amount, so the rows add up to the costs."""
    st = styles()
    fig = proof.figures
    soll_total, ist_total = fig.planned_total, fig.actual
    rows_data = [
        ("Zuwendung (Ist: zustehende Zuwendung)", fig.planned or 0, fig.due or 0),
        ("Drittmittel", fig.third_party_planned, fig.third_party),
        ("Eigenanteil", fig.planned_own_share, fig.own_share or 0),
    ]
    rows: list[list] = [["Finanzierung", "laut Bescheid", "v. H.", "Ist", "v. H."]]
    for label, soll, ist in rows_data:
        rows.append([para(label, st["cform"]), money(soll), format_percent(percent(soll, soll_total)),
                     money(ist), format_percent(percent(ist, ist_total))])
    rows.append(["Summe (= Gesamtausgaben)", money(soll_total), format_percent(percent(soll_total, soll_total)),
                 money(ist_total), format_percent(percent(ist_total, ist_total))])
    if fig.not_eligible:
        rows.append([para("davon zuwendungsfähig", st["cform"]), "", "", money(fig.eligible),
                     format_percent(percent(fig.eligible, ist_total))])
    amount, share = 84, 40
    extra = [("FONT", (0, 4), (-1, 4), BOLD, FONT, LEADING), ("LINEABOVE", (0, 4), (-1, 4), 1.0, "black"),
             ("BACKGROUND", (0, 4), (-1, 4), SUM_FILL)]
    return _table(rows, [width - 2 * (amount + share), amount, share, amount, share],
                  right_columns=(1, 2, 3, 4), extra=extra)


def _expenditure_table(proof: NumericProof, width: float) -> Flowable:
    st = styles()
    has_plan = any(c.planned_cents is not None for c in proof.categories)
    columns = 4 if has_plan else 2
    rows: list[list] = [["Kostenart", "laut Plan", "Ist", "Abweichung"] if has_plan else ["Kostenart", "Ist"]]
    extra: list[tuple] = []

    def line(label, planned, actual) -> list:
        if not has_plan:
            return [label, money(actual)]
        return [label, money(planned), money(actual), money(None if planned is None else actual - planned)]

    for group, items in groupby(proof.categories, key=lambda c: c.group):
        items = list(items)
        rows.append([group] + [""] * (columns - 1))
        extra += [("SPAN", (0, len(rows) - 1), (-1, len(rows) - 1)),
                  ("FONT", (0, len(rows) - 1), (-1, len(rows) - 1), BOLD, FONT, LEADING)]
        for item in items:
            rows.append(line(para(item.label, st["cform"]), item.planned_cents, item.actual_cents))
        if len(items) > 1:
            rows.append(line(f"Zwischensumme {group}", _sum_or_none([i.planned_cents for i in items]),
                             sum(i.actual_cents for i in items)))
            extra.append(("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), SUM_FILL))
    if not proof.categories:
        rows.append(["Keine Ausgaben gebucht"] + [""] * (columns - 1))
    rows.append(line("Summe Ausgaben", proof.figures.planned_costs if has_plan else None, proof.figures.actual))
    amount = 88
    widths = [width - (columns - 1) * amount] + [amount] * (columns - 1)
    return _table(rows, widths, right_columns=tuple(range(1, columns)), extra=extra + _bold_last())


def _sum_or_none(values: list[int | None]) -> int | None:
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def _result_table(proof: NumericProof, width: float, grant: str, *, provisional: bool) -> Flowable:
    fig = proof.figures
    balance = fig.balance or 0
    rows = [
        ["Ergebnis", "Betrag"],
        [f"{grant} – Anteil im Zeitraum" if provisional else grant, money(fig.planned or 0)],
        ["Zuwendungsfähige Ausgaben abzüglich Drittmittel", money(fig.eligible - fig.third_party)],
        ["Zustehende Zuwendung (der niedrigere der beiden Beträge)" if proof.is_person
         else "Zustehende Zuwendung", money(fig.due or 0)],
        ["Erhaltene Zahlungen (Abschläge)", money(fig.received or 0)],
    ]
    if fig.requested_open:
        rows.append(["Angefordert, noch nicht eingegangen", money(fig.requested_open)])
    rows.append([f"{'Vorläufiger ' if provisional else ''}Saldo: {balance_label(balance)}", money(abs(balance))])
    amount = 110
    return _table(rows, [width - amount, amount], right_columns=(1,), extra=_bold_last())


def numeric_proof_story(proof: NumericProof, decision: DecisionHead, period: Period, *,
                        document: str = "Verwendungsnachweis", provisional: bool = False,
                        explanation: str | None = None, signature: Confirmations | None = None,
                        narrative_ref: str = "") -> list[Flowable]:
    """Flowables of one numeric proof, starting on a fresh portrait page; ``explanation`` (the
    decision's sheet) and ``signature`` (each person's sheet) add their sections after the result."""
    actual = sum(c.actual_cents for c in proof.categories)
    if actual != proof.figures.actual:
        raise ValueError(f"Interner Fehler: Kostenarten ({actual}) ≠ Gesamtausgaben ({proof.figures.actual})")
    st = styles()
    width, _ = frame_size(PORTRAIT)
    mark = Bookmark(proof.title if proof.is_person else f"Zahlenmäßiger Nachweis – {proof.title}",
                    level=1 if proof.is_person else 0)
    story: list[Flowable] = title_block("Zahlenmäßiger Nachweis", f"zum {document} · {proof.title}")
    period_label = "Zwischennachweis" if provisional else "Nachweiszeitraum"
    story += [para("1. Zuwendungsbescheid", st["h2"]),
              key_value_table(_compact_decision_pairs(decision, period, period_label=period_label),
                              [LABEL_WIDTH, width - LABEL_WIDTH], compact=True)]
    number = 2
    if proof.is_person:
        story += [para(f"{number}. Geförderte Stelle", st["h2"]),
                  key_value_table(_position_pairs(proof), [LABEL_WIDTH, width - LABEL_WIDTH], compact=True)]
        number += 1
    story += [para(f"{number}. Finanzierung", st["h2"]),
              _financing_table(proof, width, grant_label(decision), provisional=provisional),
              para(OWN_SHARE_SENTENCE + (" Soll: Anteil der Zuwendung, der auf den Zeitraum entfällt."
                                         if provisional else ""), st["small"]),
              para(f"{number + 1}. Ausgaben nach Kostenarten", st["h2"]), _expenditure_table(proof, width)]
    if not any(c.planned_cents is not None for c in proof.categories):
        story.append(para("Der Bescheid enthält keinen Kostenplan je Kostenart; maßgeblich ist die bewilligte "
                          "Zuwendung.", st["small"]))
    story += [para(f"{number + 2}. Ergebnis", st["h2"]), _result_table(proof, width, grant_label(decision),
                                                                   provisional=provisional)]
    if proof.notes:
        story.append(Spacer(1, 4))
        story += [para(note, st["small"]) for note in proof.notes]
    if explanation and explanation.strip():  # no empty section: it would cost the sheet a page
        story += explanation_story(explanation)
    if signature is not None:
        story += sheet_signature_story(signature, narrative_ref=narrative_ref)
    return [mark, *fit_one_page(story, PORTRAIT)]


def explanation_story(text: str) -> list[Flowable]:
    """The clerk's "Abweichungen vom Finanzierungsplan / Erläuterungen" as a short section."""
    st = styles()
    return [para("Abweichungen vom Finanzierungsplan / Erläuterungen", st["h2"]),
            para(text.strip(), st["form"])]


def sheet_signature_story(conf: Confirmations, *, narrative_ref: str) -> list[Flowable]:
    """What makes a per-person sheet stand alone (the RP asks only for these sheets, RP Stuttgart
    FAQ: "nur der zahlenmäßige Nachweis je Integrationsmanager:in"): the reference to the one
    Sachbericht of the applicant and its own place, date and signature lines; the two side by
    side, so the sheet stays one page."""
    st = styles()
    width, _ = frame_size(PORTRAIT)
    lead = "Sachlich und rechnerisch richtig (im Sinne von § 70 LHO). " + narrative_ref
    left = width * 0.36
    lines = signature_lines(width - left, place=conf.place, name=conf.signer, title=conf.signer_title,
                            space=4.5 * mm)
    table = Table([[para(lead.strip(), st["small"]), lines]], colWidths=[left, width - left], hAlign="LEFT")
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), REGULAR, 8), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (0, 0), 8), ("TOPPADDING", (0, 0), (-1, -1), 1),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    return [table]
