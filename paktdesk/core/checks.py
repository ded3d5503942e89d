"""Whole-record checks before anything is stored. Each returns the cleaned record (and warnings
where a value is allowed but unusual) or raises :class:`ValidationError` naming the field."""

from __future__ import annotations

import dataclasses
from datetime import date

from . import entities as e
from .employment import check_total_vza
from .errors import ValidationError
from .periods import format_date
from .validation import (
    check_ags,
    check_amount,
    check_date_order,
    check_iban,
    check_vza,
    optional_text,
    require_text,
)


def check_profile(p: e.Profile) -> tuple[e.Profile, list[str]]:
    name = require_text(p.name, label="den Namen der Körperschaft", field="name", max_length=200)
    ags, warnings = check_ags(p.ags)
    iban = check_iban(p.iban)
    if p.postcode and not (p.postcode.isdigit() and len(p.postcode) == 5):
        raise ValidationError(f"Die Postleitzahl „{p.postcode}“ muss 5 Ziffern haben.", field="postcode")
    if p.contact_email and "@" not in p.contact_email:
        raise ValidationError(f"„{p.contact_email}“ ist keine E-Mail-Adresse.", field="contact_email")
    if p.funding_route == e.FundingRoute.KREIS and not p.kreis_name.strip():
        raise ValidationError("Bitte den Landkreis angeben, über den die Förderung läuft.", field="kreis_name")
    if not 1 <= p.retention_years <= 30:
        raise ValidationError("Die Aufbewahrungsfrist muss zwischen 1 und 30 Jahren liegen.", field="retention_years")
    return dataclasses.replace(p, name=name, ags=ags, iban=iban, signer_name=p.signer_name.strip(),
                               signer_title=p.signer_title.strip(), audit_office_name=p.audit_office_name.strip(),
                               audit_note=p.audit_note.strip()), warnings


def check_provider(t: e.Provider) -> e.Provider:
    name = require_text(t.name, label="den Namen des Trägers", field="name", max_length=200)
    ags = t.ags.strip()
    if ags:
        ags, _ = check_ags(ags)
    return dataclasses.replace(t, name=name, ags=ags,
                               notes=optional_text(t.notes, label="Die Notiz", field="notes"))


def check_person(p: e.Person) -> e.Person:
    last = require_text(p.last_name, label="den Nachnamen", field="last_name", max_length=100)
    first = optional_text(p.first_name, label="Der Vorname", field="first_name", max_length=100)
    if p.email and "@" not in p.email:
        raise ValidationError(f"„{p.email}“ ist keine E-Mail-Adresse.", field="email")
    return dataclasses.replace(p, last_name=last, first_name=first)


def check_employment(item: e.Employment, others: list[e.Employment], *, min_vza_milli: int) -> e.Employment:
    """VZÄ within bounds, dates in order, and the person's shares at no date above 1,0.

    ``others`` are the person's stored shares (the stored version of ``item`` is left out); the
    total is checked by a sweep over every date where any share starts or ends, so a share that
    began earlier and is still running counts as well as one starting inside ``item``."""
    check_vza(item.vza_milli, minimum=min_vza_milli)
    check_date_order(item.first_day, item.last_day, field="last_day")
    check_total_vza(item, others)
    return item


def check_interruption(item: e.Interruption) -> e.Interruption:
    check_date_order(item.first_day, item.last_day, field="last_day")
    require_text(item.reason, label="den Grund der Unterbrechung", field="reason")
    return item


def check_requalification(item: e.Requalification) -> e.Requalification:
    require_text(item.course, label="den Kurs", field="course")
    if item.deadline < item.started_on:
        raise ValidationError("Die Frist liegt vor dem Beginn der Nachqualifizierung.", field="deadline")
    if item.hours_done < 0 or item.hours_planned < 0:
        raise ValidationError("Stunden dürfen nicht negativ sein.", field="hours_done")
    if item.completed_on and item.completed_on < item.started_on:
        raise ValidationError("Der Abschluss liegt vor dem Beginn.", field="completed_on")
    return item


def check_decision(d: e.Decision) -> e.Decision:
    return dataclasses.replace(
        d,
        grantor=require_text(d.grantor, label="den Zuwendungsgeber", field="grantor"),
        file_number=require_text(d.file_number, label="das Aktenzeichen", field="file_number", max_length=100),
    )


def check_version(v: e.DecisionVersion) -> e.DecisionVersion:
    check_date_order(v.first_day, v.last_day, field="last_day")
    check_amount(v.amount_cents, label="Der bewilligte Betrag", field="amount", allow_zero=True)
    return v


def check_position(p: e.Position, *, min_vza_milli: int) -> e.Position:
    check_vza(p.vza_milli, minimum=min_vza_milli)
    if p.months <= 0:
        raise ValidationError("Die Laufzeit der Stelle muss mindestens einen Monat betragen.", field="months")
    check_amount(p.rate_cents, label="Der Fördersatz", field="rate", allow_zero=True)
    return p


def check_payment(p: e.Payment) -> e.Payment:
    check_amount(p.amount_cents, label="Der Zahlbetrag", field="amount", allow_negative=p.reversal_of is not None)
    if p.requested_on and p.received_on and p.received_on < p.requested_on:
        raise ValidationError("Der Eingang liegt vor dem Abruf.", field="received_on")
    return p


def check_receipt(r: e.Receipt) -> e.Receipt:
    check_amount(r.amount_cents, label="Der Belegbetrag", field="amount", allow_negative=r.reversal_of is not None)
    if r.number <= 0:
        raise ValidationError("Die Belegnummer muss größer als 0 sein.", field="number")
    if not 2000 <= r.budget_year <= 2100:
        raise ValidationError(f"Das Haushaltsjahr {r.budget_year} ist nicht plausibel.", field="budget_year")
    return dataclasses.replace(
        r,
        payee=require_text(r.payee, label="den Empfänger", field="payee", max_length=200),
        purpose=require_text(r.purpose, label="den Zweck", field="purpose", max_length=500),
    )


def check_pass_through(p: e.PassThrough) -> e.PassThrough:
    check_amount(p.amount_cents, label="Der weitergeleitete Betrag", field="amount")
    return p


def check_third_party(item: e.ThirdPartyFund) -> e.ThirdPartyFund:
    """Drittmittel: a co-financier, a positive amount (reversals negative), a received date for
    money received and none for the financing plan; texts trimmed."""
    try:
        kind = e.ThirdPartyKind(item.kind)
    except ValueError:
        raise ValidationError(f"Unbekannte Art der Drittmittel „{item.kind}“.", field="kind") from None
    label = "Der geplante Betrag" if kind == e.ThirdPartyKind.PLANNED else "Der erhaltene Betrag"
    check_amount(item.amount_cents, label=label, field="amount", allow_negative=item.reversal_of is not None)
    if kind == e.ThirdPartyKind.RECEIVED and item.received_on is None:
        raise ValidationError("Bitte das Eingangsdatum der Drittmittel angeben.", field="received_on")
    if kind == e.ThirdPartyKind.PLANNED and item.received_on is not None:
        raise ValidationError("Ein Betrag des Finanzierungsplans hat kein Eingangsdatum; erhaltene Drittmittel "
                              "bitte als „Eingang“ erfassen.", field="received_on")
    return dataclasses.replace(
        item, kind=kind,
        giver=require_text(item.giver, label="den Mittelgeber", field="giver", max_length=200),
        purpose=optional_text(item.purpose, label="Der Zweck", field="purpose", max_length=1000),
        reversal_reason=optional_text(item.reversal_reason, label="Der Grund", field="reason", max_length=500),
    )


def check_not_future(day: date, *, today: date, label: str, field: str) -> None:
    if day > today:
        raise ValidationError(f"{label} ({format_date(day)}) liegt in der Zukunft.", field=field)
