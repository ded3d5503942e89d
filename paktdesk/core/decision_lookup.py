"""Which Bescheid a clerk means on the command line: its Aktenzeichen, its internal number (what
scripts passed before), or a unique beginning of the Aktenzeichen; never a guess between two."""

from __future__ import annotations

from collections.abc import Sequence

from .entities import Decision
from .errors import NotFoundError, ValidationError

_LISTED = 20  # a Kreis may hold many; the message stays readable


def _label(decision: Decision) -> str:
    return f"„{decision.file_number}“ (Nr. {decision.id})"


def _listing(decisions: Sequence[Decision]) -> str:
    shown = ", ".join(_label(d) for d in decisions[:_LISTED])
    more = len(decisions) - _LISTED
    return shown + (f" und {more} weitere" if more > 0 else "")


def match_decision(decisions: Sequence[Decision], text: str) -> Decision:
    """The one decision ``text`` names: the exact Aktenzeichen, else the number (digits only), else
    the only Aktenzeichen that starts with ``text`` (ignoring case). Aktenzeichen usually begin with
    digits ("15.2-…"), so a number is taken as a number before it is taken as a beginning."""
    wanted = text.strip()
    if not wanted:
        raise ValidationError("Bitte das Aktenzeichen des Bescheids angeben.")
    exact = [d for d in decisions if d.file_number.strip() == wanted]
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        raise ValidationError(f"Das Aktenzeichen „{wanted}“ ist mehrfach vergeben ({_listing(exact)}); bitte die "
                              "Nummer des Bescheids angeben.")
    if wanted.isdigit():
        numbered = [d for d in decisions if d.id == int(wanted)]
        if numbered:
            return numbered[0]
    folded = wanted.casefold()
    candidates = [d for d in decisions if d.file_number.strip().casefold().startswith(folded)]
    if len(candidates) == 1:
        return candidates[0]
    if candidates:
        raise ValidationError(f"„{wanted}“ passt zu mehreren Bescheiden: {_listing(candidates)}. Bitte mehr vom "
                              "Aktenzeichen angeben.")
    if not decisions:
        raise NotFoundError(f"Es gibt keinen Bescheid mit dem Aktenzeichen „{wanted}“: In diesem Datenbestand ist "
                            "noch kein Bescheid erfasst.")
    raise NotFoundError(f"Es gibt keinen Bescheid mit dem Aktenzeichen „{wanted}“. Vorhandene Bescheide: "
                        f"{_listing(decisions)}.")
