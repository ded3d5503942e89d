"""Money: German parsing and formatting, commercial rounding, splits that add up to the cent."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from paktdesk.core.errors import ValidationError
from paktdesk.core.money import format_cents, parse_cents, round_half_up, split_cents

MANY = settings(max_examples=2000, deadline=None)
cents = st.integers(min_value=-10**15, max_value=10**15)


@pytest.mark.parametrize(("value", "text"), [
    (0, "0,00 €"),
    (5, "0,05 €"),
    (-5, "-0,05 €"),
    (100, "1,00 €"),
    (123456, "1.234,56 €"),
    (-123456, "-1.234,56 €"),
    (100000000, "1.000.000,00 €"),
    (5_100_000, "51.000,00 €"),
])
def test_format_german(value, text):
    assert format_cents(value) == text
    assert format_cents(value, symbol=False) == text.removesuffix(" €")


@pytest.mark.parametrize("value", [1.5, Decimal("1.50"), "150", True, None])
def test_format_refuses_anything_but_int_cents(value):
    with pytest.raises(TypeError):
        format_cents(value)


@pytest.mark.parametrize(("text", "value"), [
    ("1.234,56 €", 123456),
    ("1.234,56", 123456),
    ("1234,56", 123456),
    ("1234,5", 123450),
    ("0,5", 50),
    ("-12", -1200),
    ("+3,07", 307),
    ("  12,00 EUR ", 1200),
    ("1 234,56 €", 123456),
    ("1\u00a0234,56\u00a0€", 123456),
    ("1.000.000", 100000000),
    ("-0,01", -1),
    ("0", 0),
])
def test_parse_what_clerks_type(text, value):
    assert parse_cents(text) == value


@pytest.mark.parametrize("text", [
    "", "   ", "€", "abc", "1,234.56", "12,345", "1.23,45", "12.34", "1..000", "1.0000,00",
    ",50", "1,", "--5", "5-", "1e3", "½", None,
])
def test_parse_rejects_with_german_message(text):
    with pytest.raises(ValidationError) as err:
        parse_cents(text, field="amount")
    assert "kein gültiger Betrag" in str(err.value)
    assert "1.234,56" in str(err.value)  # says how to write it
    assert err.value.field == "amount"


@MANY
@given(cents)
@example(0)
@example(-1)
@example(99)
@example(-100000)
def test_parse_of_format_is_identity(value):
    assert parse_cents(format_cents(value)) == value
    assert parse_cents(format_cents(value, symbol=False)) == value


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=20))
def test_parse_never_fails_with_anything_but_a_validation_error(text):
    try:
        value = parse_cents(text)
    except ValidationError:
        return
    assert isinstance(value, int)
    assert parse_cents(format_cents(value)) == value


def test_commercial_rounding_examples():
    # 2,675 € = 267,5 Cent → 2,68 €; −2,465 € → −2,47 € (Python's round() would give 2,67/−2,46)
    assert round_half_up(Fraction(2675, 10)) == 268
    assert round_half_up(Decimal("267.5")) == 268
    assert format_cents(round_half_up(Decimal("2.675") * 100)) == "2,68 €"
    assert round_half_up(Fraction(-2465, 10)) == -247
    assert round_half_up(Decimal("-246.5")) == -247
    assert format_cents(round_half_up(Fraction(-2465, 1000) * 100)) == "-2,47 €"
    assert round(Decimal("246.5")) == 246  # the trap this function exists for
    assert round_half_up(Fraction(5, 2)) == 3
    assert round_half_up(Fraction(-5, 2)) == -3
    assert round_half_up(Fraction(249, 100)) == 2
    assert round_half_up(Fraction(-251, 100)) == -3
    assert round_half_up(7) == 7


@MANY
@given(st.integers(-10**12, 10**12), st.integers(1, 10**6))
def test_rounding_is_nearest_and_ties_away_from_zero(numerator, denominator):
    value = Fraction(numerator, denominator)
    result = round_half_up(value)
    assert abs(result - value) <= Fraction(1, 2)
    if abs(result - value) == Fraction(1, 2):
        assert abs(result) > abs(value)
    assert round_half_up(Decimal(numerator) / Decimal(denominator)) == result or denominator > 10**5


@pytest.mark.parametrize(("total", "weights", "parts"), [
    (100, [1, 1, 1], [34, 33, 33]),
    (-100, [1, 1, 1], [-34, -33, -33]),
    (1000, [500, 750, 1000], [222, 333, 445]),
    (1, [1, 1], [1, 0]),
    (0, [3, 4], [0, 0]),
    (7, [0, 1], [0, 7]),
])
def test_split_examples(total, weights, parts):
    assert split_cents(total, weights) == parts


@pytest.mark.parametrize("weights", [[], [0, 0], [1, -1]])
def test_split_refuses_bad_weights(weights):
    with pytest.raises(ValueError):
        split_cents(100, weights)


@MANY
@given(st.integers(-10**12, 10**12), st.lists(st.integers(0, 10**6), min_size=1, max_size=12).filter(any))
def test_split_adds_up_exactly_and_is_fair(total, weights):
    parts = split_cents(total, weights)
    assert sum(parts) == total
    assert len(parts) == len(weights)
    weight_sum = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        exact = Fraction(total * weight, weight_sum)
        assert abs(part - exact) < 1  # largest remainder: each part within a cent of its share
        if weight == 0:
            assert part == 0
