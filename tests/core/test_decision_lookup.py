"""Naming a Bescheid on the command line: exact Aktenzeichen, number, unique beginning; never a guess."""

import pytest

from paktdesk.core.decision_lookup import match_decision
from paktdesk.core.entities import Decision, FundingArea
from paktdesk.core.errors import NotFoundError, ValidationError


def _decision(id_: int, file_number: str) -> Decision:
    return Decision(id_, FundingArea.INTEGRATION_MANAGEMENT, "RP Stuttgart", file_number)


DECISIONS = [_decision(1, "15.2-8712.17/0815"), _decision(2, "15.2-8712.23/1274"), _decision(3, "IM-2025/a"),
             _decision(12, "12-Sonder")]


@pytest.mark.parametrize(("text", "wanted"), [
    ("15.2-8712.23/1274", 2), ("  15.2-8712.17  ", 1), ("im-2025", 3), ("IM-2025/A", 3),
    ("2", 2),  # a number is the number, though every Aktenzeichen here starting "15" would fit "1"
    ("12", 12), ("12-", 12),
])
def test_the_one_decision_named(text, wanted):
    assert match_decision(DECISIONS, text).id == wanted


def test_an_exact_aktenzeichen_wins_over_a_number():
    decisions = [_decision(1, "7"), _decision(7, "A-1")]
    assert match_decision(decisions, "7").id == 1


def test_several_beginnings_are_refused_with_each_listed():
    with pytest.raises(ValidationError) as refused:
        match_decision(DECISIONS, "15.2")
    assert str(refused.value) == ("„15.2“ passt zu mehreren Bescheiden: „15.2-8712.17/0815“ (Nr. 1), "
                                  "„15.2-8712.23/1274“ (Nr. 2). Bitte mehr vom Aktenzeichen angeben.")


def test_a_twice_given_aktenzeichen_asks_for_the_number():
    with pytest.raises(ValidationError, match="mehrfach vergeben .*Nr. 4.*Nr. 5.*Nummer"):
        match_decision([_decision(4, "A/1"), _decision(5, "A/1")], "A/1")


def test_nothing_fits_lists_what_there_is_and_a_long_list_is_cut():
    with pytest.raises(NotFoundError) as missing:
        match_decision(DECISIONS, "99")
    assert str(missing.value).endswith("Vorhandene Bescheide: „15.2-8712.17/0815“ (Nr. 1), „15.2-8712.23/1274“ "
                                       "(Nr. 2), „IM-2025/a“ (Nr. 3), „12-Sonder“ (Nr. 12).")
    many = [_decision(n, f"AZ-{n:03}") for n in range(1, 31)]
    with pytest.raises(NotFoundError, match=r"„AZ-020“ \(Nr. 20\) und 10 weitere\.$"):
        match_decision(many, "B")
    with pytest.raises(NotFoundError, match="noch kein Bescheid erfasst"):
        match_decision([], "1")
    with pytest.raises(ValidationError, match="Bitte das Aktenzeichen"):
        match_decision(DECISIONS, "  ")
