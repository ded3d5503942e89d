"""Small German text helpers for the window (numbers and counts)."""

from __future__ import annotations


def format_count(number: int) -> str:
    """German thousands separator: 200000 → "200.000"."""
    return f"{number:,}".replace(",", ".")


def counted(number: int, singular: str, plural: str) -> str:
    """A count with its noun in the right number: "1 Person", "0 Personen", "2.000 Personen"."""
    return f"{format_count(number)} {singular if number == 1 else plural}"
