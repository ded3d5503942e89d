"""Employment history rules: the VZÄ sweep, interruptions inside employment, ending a person."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paktdesk.core.checks import check_employment
from paktdesk.core.employment import (
    check_interruption_fits,
    first_excess,
    position_start,
    position_warnings,
    shares_to_close,
    total_steps,
    uncovered_day,
)
from paktdesk.core.entities import Employment, Interruption
from paktdesk.core.errors import ValidationError


def share(id, first, last, vza):
    return Employment(id, 1, 1, first, last, vza)


D = date


@pytest.mark.parametrize(("item", "others", "excess_on"), [
    # the case the old check missed in review: a share that began earlier and still runs
    (share(None, D(2024, 3, 1), None, 600), [share(1, D(2023, 1, 1), None, 500)], D(2024, 3, 1)),
    (share(None, D(2024, 3, 1), D(2024, 12, 31), 600), [share(1, D(2023, 1, 1), D(2024, 3, 1), 500)],
     D(2024, 3, 1)),
    # a share that starts inside the new one
    (share(None, D(2024, 1, 1), None, 600), [share(1, D(2024, 7, 1), None, 500)], D(2024, 7, 1)),
    # excess only in the middle: two earlier shares overlap there
    (share(None, D(2024, 1, 1), D(2024, 12, 31), 500),
     [share(1, D(2023, 1, 1), D(2024, 5, 31), 250), share(2, D(2024, 5, 1), None, 300)], D(2024, 5, 1)),
    # exactly 1,0 is allowed; adjacent shares do not overlap
    (share(None, D(2024, 1, 1), None, 500), [share(1, D(2023, 1, 1), None, 500)], None),
    (share(None, D(2024, 1, 1), None, 1000), [share(1, D(2023, 1, 1), D(2023, 12, 31), 1000)], None),
    (share(None, D(2024, 1, 1), D(2024, 6, 30), 1000), [share(1, D(2024, 7, 1), None, 1000)], None),
    # editing a stored share: its old version does not count against itself
    (share(1, D(2023, 1, 1), None, 1000), [share(1, D(2023, 1, 1), None, 500)], None),
    # other shares above 1 outside the new share's range are not its problem
    (share(None, D(2025, 1, 1), None, 250),
     [share(1, D(2020, 1, 1), D(2020, 12, 31), 800), share(2, D(2020, 6, 1), D(2020, 12, 31), 800)], None),
    # leap day boundary
    (share(None, D(2024, 2, 29), D(2024, 2, 29), 600), [share(1, D(2024, 1, 1), D(2024, 2, 29), 500)],
     D(2024, 2, 29)),
    (share(None, D(2024, 3, 1), None, 600), [share(1, D(2024, 1, 1), D(2024, 2, 29), 500)], None),
])
def test_first_excess(item, others, excess_on):
    found = first_excess(item, others)
    assert (found[0] if found else None) == excess_on


def test_check_employment_messages_in_german():
    with pytest.raises(ValidationError) as err:
        check_employment(share(None, D(2024, 3, 1), None, 600), [share(1, D(2023, 1, 1), None, 500)],
                         min_vza_milli=250)
    assert str(err.value).startswith("Am 01.03.2024 hätte die Person zusammen 1,10 VZÄ")
    assert err.value.field == "vza"
    with pytest.raises(ValidationError) as err:
        check_employment(share(None, D(2024, 3, 1), None, 200), [], min_vza_milli=250)
    assert "mindestens 0,25" in str(err.value)
    with pytest.raises(ValidationError):
        check_employment(share(None, D(2024, 3, 1), None, 1001), [], min_vza_milli=250)
    with pytest.raises(ValidationError) as err:
        check_employment(share(None, D(2024, 3, 1), D(2024, 2, 1), 500), [], min_vza_milli=250)
    assert err.value.field == "last_day"
    assert check_employment(share(None, D(2024, 3, 1), None, 250), [], min_vza_milli=250).vza_milli == 250


def test_total_steps():
    steps = total_steps([share(1, D(2024, 1, 1), D(2024, 6, 30), 500), share(2, D(2024, 4, 1), None, 250)])
    assert steps == [(D(2024, 1, 1), 500), (D(2024, 4, 1), 750), (D(2024, 7, 1), 250)]


BASE = D(2024, 1, 1)
_share = st.builds(
    lambda start, length, vza: (start, length, vza),
    st.integers(0, 40), st.one_of(st.none(), st.integers(0, 30)), st.integers(1, 10).map(lambda x: x * 125),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_share, max_size=5), _share)
def test_sweep_matches_day_by_day(other_specs, item_spec):
    """The sweep agrees with counting every single day."""
    def build(index, spec):
        start, length, vza = spec
        first = BASE + timedelta(days=start)
        return Employment(index, 1, 1, first, None if length is None else first + timedelta(days=length), vza)

    others = [build(i + 1, spec) for i, spec in enumerate(other_specs)]
    item = build(None, item_spec)
    expected = None
    for offset in range(0, 100):
        day = BASE + timedelta(days=offset)
        if item.active_on(day):
            total = item.vza_milli + sum(o.vza_milli for o in others if o.active_on(day))
            if total > 1000:
                expected = (day, total)
                break
    assert first_excess(item, others) == expected


@pytest.mark.parametrize(("first", "last", "gap"), [
    (D(2023, 9, 1), D(2024, 2, 29), None),
    (D(2022, 12, 1), D(2023, 1, 31), D(2022, 12, 1)),  # starts before employment
    (D(2024, 11, 1), D(2025, 1, 31), D(2025, 1, 1)),  # runs past the end of the last share
    (D(2024, 6, 1), D(2024, 7, 31), D(2024, 7, 1)),  # a gap between two shares
])
def test_uncovered_day(first, last, gap):
    shares = [share(1, D(2023, 1, 1), D(2024, 6, 30), 500), share(2, D(2024, 8, 1), D(2024, 12, 31), 500)]
    assert uncovered_day(first, last, shares) == gap


def test_uncovered_day_open_share_and_chained_shares():
    shares = [share(1, D(2023, 1, 1), D(2023, 6, 30), 500), share(2, D(2023, 7, 1), None, 500)]
    assert uncovered_day(D(2023, 5, 1), D(2030, 1, 1), shares) is None


def test_interruption_outside_or_overlapping_refused():
    shares = [share(1, D(2023, 1, 1), None, 500)]
    with pytest.raises(ValidationError) as err:
        check_interruption_fits(Interruption(None, 1, D(2022, 11, 1), D(2023, 2, 28), "Elternzeit"), shares, [])
    assert "außerhalb der Beschäftigung" in str(err.value) and "01.11.2022" in str(err.value)
    existing = Interruption(5, 1, D(2023, 9, 1), D(2024, 2, 29), "Elternzeit")
    with pytest.raises(ValidationError) as err:
        check_interruption_fits(Interruption(None, 1, D(2024, 2, 1), D(2024, 3, 31), "Krankheit"), shares,
                                [existing])
    assert "überschneidet" in str(err.value)
    # editing the same interruption does not overlap itself
    check_interruption_fits(Interruption(5, 1, D(2023, 9, 1), D(2024, 3, 31), "Elternzeit"), shares, [existing])


def test_shares_to_close():
    shares = [share(1, D(2017, 7, 1), D(2019, 6, 30), 500), share(2, D(2023, 1, 1), None, 500),
              share(3, D(2023, 1, 1), D(2026, 12, 31), 250)]
    closed = shares_to_close(shares, D(2025, 3, 31))
    assert [(s.id, s.last_day) for s in closed] == [(2, D(2025, 3, 31)), (3, D(2025, 3, 31))]
    with pytest.raises(ValidationError) as err:
        shares_to_close(shares, D(2022, 12, 31))
    assert "beginnt nach dem Ausscheiden" in str(err.value)


def test_a_position_starts_on_the_first_working_day_with_the_vza_employed_then():
    shares = [share(1, D(2023, 3, 1), D(2023, 12, 31), 500), share(2, D(2024, 1, 1), None, 750)]
    assert position_start(shares, D(2023, 1, 1)) == (D(2023, 3, 1), 500)  # not before the first working day
    assert position_start(shares, D(2024, 7, 1)) == (D(2024, 7, 1), 750)  # not before the decision either
    assert position_start([], D(2024, 7, 1)) == (D(2024, 7, 1), None)


def test_a_position_that_does_not_match_the_register_is_warned_about():
    shares = [share(1, D(2023, 3, 1), None, 500)]
    assert position_warnings(shares, first_day=D(2023, 3, 1), vza_milli=500) == []
    assert position_warnings(shares, first_day=D(2023, 1, 1), vza_milli=500) == [
        "Beginn 01.01.2023 liegt vor dem ersten Arbeitstag (01.03.2023)."]
    assert position_warnings(shares, first_day=D(2023, 6, 1), vza_milli=1000) == [
        "1,00 VZÄ gefördert, beschäftigt aber nur mit 0,50 VZÄ."]
    assert position_warnings([], first_day=D(2023, 6, 1), vza_milli=1000) == []
