"""Counts in words: "1 place", "2 places" — one helper for every printed count."""

from __future__ import annotations

__all__ = ["plural"]


def plural(n: int, one: str, many: str | None = None) -> str:
    """``n`` with its noun in the right number, thousands separated.

    >>> plural(1, "place"), plural(2, "place"), plural(0, "country", "countries")
    ('1 place', '2 places', '0 countries')
    >>> plural(1_172, "vertex", "vertices")
    '1,172 vertices'
    """
    return f"{n:,} {one if n == 1 else (many or one + 's')}"
