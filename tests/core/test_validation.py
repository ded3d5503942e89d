"""Single values a clerk enters: AGS, IBAN, VZÄ, date order, amounts, texts."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paktdesk.core.errors import ValidationError
from paktdesk.core.validation import (
    check_ags,
    check_amount,
    check_date_order,
    check_iban,
    check_vza,
    format_iban,
    format_vza,
    iban_check_ok,
    parse_vza,
    require_text,
)

VALID_DE_IBAN = "DE89 3704 0044 0532 0130 00"  # the standard published example


def check_digits(country: str, bban: str) -> str:
    """ISO 7064 MOD 97-10, written independently of the code under test."""
    number = int("".join(str(int(ch, 36)) for ch in bban + country + "00"))
    return f"{98 - number % 97:02d}"


# --- AGS -------------------------------------------------------------------------------------

def test_ags_of_baden_wuerttemberg_without_warning():
    assert check_ags("08111000") == ("08111000", [])
    assert check_ags(" 08 125 097 ") == ("08125097", [])


def test_ags_outside_bw_is_allowed_with_a_warning():
    ags, warnings = check_ags("09162000")  # München
    assert ags == "09162000"
    assert len(warnings) == 1 and "nicht in Baden-Württemberg" in warnings[0]


@pytest.mark.parametrize("value", ["", "0811100", "081110000", "0811100A", "08-111-000", "８８１１１０００", None])
def test_ags_must_have_8_digits(value):
    with pytest.raises(ValidationError) as err:
        check_ags(value)
    assert err.value.field == "ags"
    assert "genau 8 Ziffern" in str(err.value)


# --- IBAN ------------------------------------------------------------------------------------

def test_valid_german_iban_is_normalised():
    assert check_iban(VALID_DE_IBAN) == "DE89370400440532013000"
    assert check_iban("de89370400440532013000") == "DE89370400440532013000"
    assert format_iban("DE89370400440532013000") == VALID_DE_IBAN
    assert check_iban("") == ""


def test_iban_with_one_wrong_digit_is_rejected():
    with pytest.raises(ValidationError) as err:
        check_iban("DE89 3704 0044 0532 0130 01")
    assert err.value.field == "iban"
    assert "Prüfziffern" in str(err.value)


@pytest.mark.parametrize("value", ["DE89 3704 0044 0532 0130", "DE89370400440532013000XX", "XX", "1234",
                                   "DE8937040044053201300O"])
def test_iban_of_wrong_shape_is_rejected(value):
    with pytest.raises(ValidationError) as err:
        check_iban(value)
    assert err.value.field == "iban"


@settings(max_examples=500, deadline=None)
@given(st.text("0123456789", min_size=18, max_size=18), st.integers(0, 17), st.integers(1, 9))
def test_every_single_digit_error_is_detected(bban, position, delta):
    iban = "DE" + check_digits("DE", bban) + bban
    assert check_iban(iban) == iban
    wrong = bban[:position] + str((int(bban[position]) + delta) % 10) + bban[position + 1:]
    assert not iban_check_ok("DE" + check_digits("DE", bban) + wrong)
    with pytest.raises(ValidationError):
        check_iban("DE" + check_digits("DE", bban) + wrong)


# --- VZÄ -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "milli"), [("0,5", 500), ("0.75", 750), ("1", 1000), ("0,25", 250),
                                             ("0,333", 333), (" 1,0 ", 1000)])
def test_parse_vza(text, milli):
    assert parse_vza(text) == milli


@pytest.mark.parametrize("text", ["", "halb", "-0,5", "0,3333", "1/2", "0,5 VZÄ"])
def test_parse_vza_rejects(text):
    with pytest.raises(ValidationError) as err:
        parse_vza(text)
    assert "Stellenanteil" in str(err.value)


def test_format_vza():
    assert format_vza(500) == "0,50"
    assert format_vza(1000) == "1,00"
    assert format_vza(250) == "0,25"
    assert format_vza(333) == "0,333"


@pytest.mark.parametrize("milli", [250, 500, 1000])
def test_vza_within_bounds(milli):
    assert check_vza(milli) == milli


@pytest.mark.parametrize("milli", [0, 100, 249, 1001, 1500, -500])
def test_vza_below_quarter_or_above_one_is_rejected(milli):
    with pytest.raises(ValidationError) as err:
        check_vza(milli)
    assert err.value.field == "vza"
    assert "mindestens 0,25" in str(err.value) and "höchstens 1,00" in str(err.value)


def test_vza_minimum_comes_from_the_rule_set():
    assert check_vza(200, minimum=200) == 200
    with pytest.raises(ValidationError):
        check_vza(400, minimum=500)


# --- dates, amounts, texts -------------------------------------------------------------------

def test_end_before_start_is_rejected():
    with pytest.raises(ValidationError) as err:
        check_date_order(date(2024, 1, 1), date(2023, 12, 31), field="last_day")
    assert err.value.field == "last_day"
    assert "31.12.2023" in str(err.value) and "01.01.2024" in str(err.value)
    check_date_order(date(2024, 1, 1), date(2024, 1, 1))
    check_date_order(date(2024, 1, 1), None)


def test_amounts():
    assert check_amount(1) == 1
    with pytest.raises(ValidationError, match="nicht negativ"):
        check_amount(-1)
    with pytest.raises(ValidationError, match="0,00 €"):
        check_amount(0)
    assert check_amount(0, allow_zero=True) == 0
    assert check_amount(-5, allow_negative=True) == -5
    for wrong in (1.5, True, "100"):
        with pytest.raises(ValidationError, match="ganzen Cent"):
            check_amount(wrong)


def test_required_text():
    assert require_text("  Caritas ", label="den Namen", field="name") == "Caritas"
    with pytest.raises(ValidationError, match="Bitte den Namen angeben"):
        require_text("   ", label="den Namen", field="name")
    with pytest.raises(ValidationError, match="zu lang"):
        require_text("x" * 201, label="Der Name", field="name", max_length=200)
