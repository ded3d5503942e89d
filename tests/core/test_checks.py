"""Whole-record checks: each names the field to fix in German."""

import dataclasses
from datetime import date

import pytest

from paktdesk.core import checks
from paktdesk.core import entities as e
from paktdesk.core.errors import ValidationError

PROFILE = e.Profile("Gemeinde Lindenbach", e.OwnerKind.GEMEINDE, "08125097", postcode="74999",
                    iban="de89 3704 0044 0532 0130 00", contact_email="amt@lindenbach.example")


def field_of(call, *args, **kwargs) -> str:
    with pytest.raises(ValidationError) as err:
        call(*args, **kwargs)
    assert str(err.value)  # a message to show
    return err.value.field


def test_profile_is_cleaned():
    clean, warnings = checks.check_profile(dataclasses.replace(PROFILE, name="  Gemeinde Lindenbach "))
    assert clean.name == "Gemeinde Lindenbach"
    assert clean.iban == "DE89370400440532013000"
    assert warnings == []


def test_profile_outside_bw_warns():
    _, warnings = checks.check_profile(dataclasses.replace(PROFILE, ags="09162000"))
    assert warnings and "Baden-Württemberg" in warnings[0]


@pytest.mark.parametrize(("changes", "field"), [
    ({"name": " "}, "name"),
    ({"ags": "8125097"}, "ags"),
    ({"iban": "DE89 3704 0044 0532 0130 01"}, "iban"),
    ({"postcode": "7499"}, "postcode"),
    ({"contact_email": "amt.lindenbach.example"}, "contact_email"),
    ({"funding_route": e.FundingRoute.KREIS, "kreis_name": ""}, "kreis_name"),
])
def test_profile_errors_name_the_field(changes, field):
    assert field_of(checks.check_profile, dataclasses.replace(PROFILE, **changes)) == field


def test_person_and_provider():
    assert checks.check_person(e.Person(None, " Sabine ", " Keller ", 1)).last_name == "Keller"
    assert field_of(checks.check_person, e.Person(None, "Sabine", "", 1)) == "last_name"
    assert field_of(checks.check_person, e.Person(None, "S", "K", 1, email="kein-at")) == "email"
    assert field_of(checks.check_provider, e.Provider(None, "", e.ProviderKind.FREE)) == "name"
    assert field_of(checks.check_provider, e.Provider(None, "Caritas", e.ProviderKind.FREE, ags="12")) == "ags"


def job(vza, first, last=None, id_=None):
    return e.Employment(id_, 1, 1, first, last, vza)


def test_employment_shares_up_to_one_at_every_date():
    """Each share that reaches exactly 1,0 passes and comes back unchanged; a thousandth more does not."""
    others = [job(500, date(2023, 1, 1), date(2023, 12, 31), 1), job(250, date(2024, 1, 1), None, 2)]
    for item, over in ((job(500, date(2023, 1, 1)), job(501, date(2023, 1, 1))),  # 1,0 in 2023
                       (job(750, date(2024, 1, 1)), job(751, date(2024, 1, 1)))):  # 1,0 from 2024
        assert checks.check_employment(item, others, min_vza_milli=250) == item
        assert field_of(checks.check_employment, over, others, min_vza_milli=250) == "vza"
    # an edit of a row does not count the row's old version; the same share as a new row would
    edited = job(1000, date(2023, 1, 1), date(2023, 12, 31), 1)
    assert checks.check_employment(edited, others, min_vza_milli=250) == edited
    assert field_of(checks.check_employment, dataclasses.replace(edited, id=None), others, min_vza_milli=250) == "vza"


def test_employment_shares_above_one_are_rejected():
    others = [job(500, date(2023, 1, 1), date(2023, 12, 31), 1), job(250, date(2024, 1, 1), None, 2)]
    with pytest.raises(ValidationError) as err:
        checks.check_employment(job(1000, date(2023, 6, 1), date(2023, 6, 30)), others, min_vza_milli=250)
    assert err.value.field == "vza"
    assert "01.06.2023" in str(err.value) and "1,50" in str(err.value)
    # starts before, overlaps the later share: the sum is checked where the other one starts
    with pytest.raises(ValidationError, match="01.01.2024"):
        checks.check_employment(job(800, date(2022, 1, 1)), [others[1]], min_vza_milli=250)


@pytest.mark.parametrize(("item", "field"), [
    (job(200, date(2023, 1, 1)), "vza"),
    (job(1001, date(2023, 1, 1)), "vza"),
    (job(500, date(2023, 1, 1), date(2022, 12, 31)), "last_day"),
])
def test_employment_bounds(item, field):
    assert field_of(checks.check_employment, item, [], min_vza_milli=250) == field


def test_requalification_and_interruption():
    base = e.Requalification(None, 1, "Kurs", "EH Freiburg", date(2025, 9, 1), date(2027, 9, 1), 240, 96)
    assert checks.check_requalification(base) is base
    assert field_of(checks.check_requalification, dataclasses.replace(base, deadline=date(2025, 8, 31))) == "deadline"
    assert field_of(checks.check_requalification, dataclasses.replace(base, hours_done=-1)) == "hours_done"
    assert field_of(checks.check_requalification, dataclasses.replace(base, course=" ")) == "course"
    assert field_of(checks.check_requalification,
                    dataclasses.replace(base, completed_on=date(2025, 1, 1))) == "completed_on"
    pause = e.Interruption(None, 1, date(2023, 9, 1), date(2024, 2, 29), "Elternzeit")
    assert checks.check_interruption(pause) is pause
    assert field_of(checks.check_interruption, dataclasses.replace(pause, last_day=date(2023, 8, 1))) == "last_day"
    assert field_of(checks.check_interruption, dataclasses.replace(pause, reason="")) == "reason"


RECEIPT = e.Receipt(None, 1, e.ListKind.MATERIAL, 1, date(2023, 3, 1), date(2023, 3, 2), 2023,
                    " Bürobedarf GmbH ", "Papier", "S_BUERO", 1999)


def test_receipt():
    assert checks.check_receipt(RECEIPT).payee == "Bürobedarf GmbH"
    for changes, field in [({"amount_cents": -1}, "amount"), ({"amount_cents": 0}, "amount"),
                           ({"number": 0}, "number"), ({"budget_year": 1999}, "budget_year"),
                           ({"payee": ""}, "payee"), ({"purpose": " "}, "purpose")]:
        assert field_of(checks.check_receipt, dataclasses.replace(RECEIPT, **changes)) == field
    # a reversal (Storno) carries the negative amount
    assert checks.check_receipt(dataclasses.replace(RECEIPT, amount_cents=-1999, reversal_of=7)).amount_cents == -1999


def test_payment_decision_version_position():
    payment = e.Payment(None, 1, date(2023, 2, 1), date(2023, 3, 1), 100)
    assert checks.check_payment(payment) is payment
    assert field_of(checks.check_payment, dataclasses.replace(payment, amount_cents=-100)) == "amount"
    assert field_of(checks.check_payment, dataclasses.replace(payment, received_on=date(2023, 1, 1))) == "received_on"
    assert field_of(checks.check_decision, e.Decision(None, e.FundingArea.LANGUAGE, "RP Stuttgart", "")) == "file_number"
    version = e.DecisionVersion(None, 1, 1, e.VersionKind.ORIGINAL, date(2022, 12, 15), date(2023, 1, 1),
                                date(2024, 12, 31), 0)
    assert checks.check_version(version) is version
    assert field_of(checks.check_version, dataclasses.replace(version, last_day=date(2022, 12, 31))) == "last_day"
    assert field_of(checks.check_version, dataclasses.replace(version, amount_cents=-1)) == "amount"
    position = e.Position(None, 1, 1, 500, e.Category.A, date(2023, 1, 1), 24, 6_000_000, 6_000_000)
    assert checks.check_position(position, min_vza_milli=250) is position
    assert field_of(checks.check_position, dataclasses.replace(position, months=0), min_vza_milli=250) == "months"
    assert field_of(checks.check_position, dataclasses.replace(position, vza_milli=100), min_vza_milli=250) == "vza"
