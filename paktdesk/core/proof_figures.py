"""Wording and the one figure of printed forms that is not a grant settlement.

The money of a numeric proof (grant due, own share, balance) is computed only in
:mod:`paktdesk.core.balances` with the rules of :mod:`paktdesk.core.grant_rules`; this module
keeps what only the forms need: the German words for a balance.
"""

from __future__ import annotations


def balance_label(balance_cents: int) -> str:
    """German words for a balance as a form prints it."""
    if balance_cents > 0:
        return "Nachforderung (noch auszuzahlen)"
    if balance_cents < 0:
        return "Rückforderung (zurückzuzahlen)"
    return "ausgeglichen"

