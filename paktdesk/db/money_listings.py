"""Paged lists of the money side that :mod:`.listings` does not have yet: pass-through agreements
with what was paid on and proven. Registered into the same ``LISTINGS`` on import."""

from __future__ import annotations

from .listings import LISTINGS, Column, Listing

_PAID = "(SELECT ifnull(sum(z.amount_cents), 0) FROM pass_through_payments z WHERE z.pass_through_id = w.id)"
_PROVEN = "(SELECT sum(n.spent_cents) FROM provider_proofs n WHERE n.pass_through_id = w.id)"

LISTINGS.setdefault("pass_throughs", Listing(
    name="pass_throughs",
    source="pass_throughs w JOIN decisions d ON d.id = w.decision_id JOIN providers t ON t.id = w.provider_id",
    where="d.deleted_at IS NULL",
    columns=(
        Column("provider", "Träger", "t.name"),
        Column("decision", "Bescheid", "d.file_number"),
        Column("agreed_on", "Vereinbart am", "w.agreed_on", "date"),
        Column("reference", "Zeichen", "w.reference"),
        Column("amount", "Vereinbart", "w.amount_cents", "money"),
        Column("paid", "Ausgezahlt", _PAID, "money"),
        Column("open", "Offen", f"w.amount_cents - {_PAID}", "money"),
        Column("proven", "Nachgewiesen", _PROVEN, "money"),
    ),
    search=("t.name", "d.file_number", "w.reference"),
    default_sort="d.file_number, t.name",
))
