"""Small German text helpers for the window (numbers and counts)."""

from __future__ import annotations


def format_count(number: int) -> str:
    """German thousands separator: 200000 → "200.000"."""
    return f"{number:,}".replace(",", ".")
