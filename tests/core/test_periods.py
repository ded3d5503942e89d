"""Dates and half-open periods."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paktdesk.core.errors import ValidationError
from paktdesk.core.periods import (
    Period,
    add_months,
    format_date,
    months_between,
    parse_date,
)

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))


@pytest.mark.parametrize(("text", "value"), [
    ("01.07.2017", date(2017, 7, 1)),
    ("1.7.2017", date(2017, 7, 1)),
    (" 29.02.2024 ", date(2024, 2, 29)),
    ("2017-07-01", date(2017, 7, 1)),
])
def test_parse_date(text, value):
    assert parse_date(text) == value


@pytest.mark.parametrize("text", ["", "31.02.2017", "29.02.2023", "1.7.", "01/07/2017", "heute",
                                  "2017-13-01", "1.2.3.4", None])
def test_parse_date_rejects_with_german_message(text):
    with pytest.raises(ValidationError) as err:
        parse_date(text, field="first_day")
    assert "kein gültiges Datum" in str(err.value)
    assert "TT.MM.JJJJ" in str(err.value)
    assert err.value.field == "first_day"


def test_format_date():
    assert format_date(date(2017, 7, 1)) == "01.07.2017"
    assert format_date(None) == ""


@settings(max_examples=300, deadline=None)
@given(days)
def test_parse_of_format_is_identity(day):
    assert parse_date(format_date(day)) == day


@pytest.mark.parametrize(("start", "months", "end"), [
    (date(2017, 7, 1), 24, date(2019, 7, 1)),
    (date(2024, 1, 31), 1, date(2024, 2, 29)),
    (date(2023, 1, 31), 1, date(2023, 2, 28)),
    (date(2024, 3, 31), -1, date(2024, 2, 29)),
    (date(2023, 11, 15), 2, date(2024, 1, 15)),
    (date(2023, 12, 31), 0, date(2023, 12, 31)),
])
def test_add_months_clamps_to_month_end(start, months, end):
    assert add_months(start, months) == end


@settings(max_examples=500, deadline=None)
@given(days, st.integers(0, 120))
def test_months_between_undoes_add_months(day, months):
    assert months_between(day, add_months(day, months)) == months


def test_period_is_half_open():
    period = Period.inclusive(date(2017, 7, 1), date(2019, 6, 30))
    assert period == Period(date(2017, 7, 1), date(2019, 7, 1))
    assert period.last_day == date(2019, 6, 30)
    assert date(2017, 7, 1) in period
    assert date(2019, 6, 30) in period
    assert date(2019, 7, 1) not in period
    assert date(2017, 6, 30) not in period
    assert period.months == 24
    assert period.days == 730
    assert period.format() == "01.07.2017 – 30.06.2019"


def test_one_day_period():
    period = Period.inclusive(date(2024, 2, 29), date(2024, 2, 29))
    assert period.days == 1 and period.months == 0


@pytest.mark.parametrize(("first", "last"), [(date(2019, 7, 1), date(2019, 6, 30)),
                                             (date(2020, 1, 1), date(2019, 1, 1))])
def test_end_before_start_is_rejected(first, last):
    with pytest.raises(ValidationError) as err:
        Period.inclusive(first, last)
    assert "liegt vor dem Beginn" in str(err.value)
    with pytest.raises(ValidationError):
        Period(first, first)  # empty half-open period


def test_overlap_and_intersection():
    a = Period.inclusive(date(2023, 1, 1), date(2024, 12, 31))
    b = Period.inclusive(date(2024, 7, 1), date(2025, 6, 30))
    c = Period.inclusive(date(2025, 1, 1), date(2025, 3, 31))
    assert a.overlaps(b) and b.overlaps(a)
    assert not a.overlaps(c)
    assert a.intersection(b) == Period.inclusive(date(2024, 7, 1), date(2024, 12, 31))
    assert a.intersection(c) is None
    # touching periods do not overlap: [start, end) ends where the next begins
    assert not Period(date(2023, 1, 1), date(2023, 2, 1)).overlaps(Period(date(2023, 2, 1), date(2023, 3, 1)))


@settings(max_examples=300, deadline=None)
@given(days, st.integers(1, 2000), days, st.integers(1, 2000))
def test_intersection_is_inside_both(s1, n1, s2, n2):
    a, b = Period(s1, s1 + timedelta(days=n1)), Period(s2, s2 + timedelta(days=n2))
    both = a.intersection(b)
    assert (both is not None) == a.overlaps(b)
    if both:
        assert both.start in a and both.start in b and both.last_day in a and both.last_day in b
