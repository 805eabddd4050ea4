"""Tables that fit the terminal: columns dropped by priority, numbers never cut or wrapped.

Every command's table goes through :func:`print_table`. A number column keeps its full
width; a text column may wrap between words down to its longest word. When even that does
not fit the console, the columns with the highest ``drop`` rank go first, and one line
under the table says which were left out (the JSON and CSV always have them all).
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len
from rich.console import Console, JustifyMethod
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from reachmap.units import fmt_length

__all__ = [
    "Col",
    "fit_columns",
    "mmss",
    "place_cells",
    "place_columns",
    "print_prose",
    "print_table",
]


def mmss(seconds: float | None) -> str:
    """A flight time as minutes:seconds ("7:54"); "–" for none.

    >>> mmss(474.4), mmss(None), mmss(-61.0)
    ('7:54', '–', '-1:01')
    """
    if seconds is None:
        return "–"
    sign = "-" if seconds < 0 else ""
    m, s = divmod(round(abs(seconds)), 60)
    return f"{sign}{m}:{s:02d}"


@dataclass(frozen=True)
class Col:
    """A column: ``number`` cells are never wrapped or cut; ``drop`` 0 is always shown,
    higher ranks are dropped first when the table is too wide; ``name`` is how the line
    under the table names a dropped column (default: the header)."""

    header: str
    justify: JustifyMethod = "right"
    number: bool = True
    drop: int = 0
    name: str | None = None
    style: str | None = None
    max_width: int | None = None

    @property
    def label(self) -> str:
        return self.name or " ".join(self.header.split())


def _widths(cell: str) -> tuple[int, int]:
    """(narrowest, widest) width of a cell of rich markup: its longest word and line."""
    plain = Text.from_markup(cell).plain
    lines = plain.splitlines() or [""]
    widest = max(cell_len(line) for line in lines)
    narrowest = max((cell_len(w) for w in plain.split()), default=0)
    return narrowest, widest


def _table(columns: Sequence[Col], table_kwargs: dict[str, Any]) -> Table:
    table = Table(**table_kwargs)
    for c in columns:
        table.add_column(
            c.header,
            justify=c.justify,
            no_wrap=c.number,
            overflow="ellipsis" if c.number else "fold",  # "ignore" loses the justify
            style=c.style,
        )
    return table


def fit_columns(
    width: int, columns: Sequence[Col], rows: Sequence[Sequence[str]], **table_kwargs: Any
) -> tuple[list[int], list[int | None], int]:
    """Which columns fit ``width`` (their indexes), the width to give each text column
    (None: its natural width) and the table's width. Columns are dropped highest ``drop``
    first (the rightmost of a rank first) until the narrowest layout fits; if even that
    is wider than ``width``, the table is as wide as it needs (numbers are never cut)."""
    measured = []
    for k, c in enumerate(columns):
        narrow, wide = _widths(c.header)
        if c.number:
            narrow = wide
        for row in rows:
            n, w = _widths(row[k])
            narrow, wide = max(narrow, w if c.number else n), max(wide, w)
        if c.max_width is not None and not c.number:
            wide = max(narrow, min(wide, c.max_width))
        measured.append((narrow, wide))
    kept = list(range(len(columns)))
    while True:
        table = _table([columns[k] for k in kept], table_kwargs)
        fixed = table._extra_width + sum(table._get_padding_width(i) for i in range(len(kept)))
        if fixed + sum(measured[k][0] for k in kept) <= width:
            break
        droppable = [k for k in kept if columns[k].drop > 0]
        if not droppable:
            break
        kept.remove(max(droppable, key=lambda k: (columns[k].drop, k)))
    sizes = {k: measured[k][1] for k in kept}
    excess = fixed + sum(sizes.values()) - width
    text = [k for k in kept if not columns[k].number]
    while excess > 0 and text:  # narrow the widest text column, one cell at a time
        k = max(text, key=lambda j: sizes[j] - measured[j][0])
        if sizes[k] <= measured[k][0]:
            break
        sizes[k] -= 1
        excess -= 1
    text_widths: list[int | None] = [
        sizes[k] if not columns[k].number and sizes[k] < measured[k][1] else None for k in kept
    ]
    return kept, text_widths, max(width, width + excess)


def print_table(
    console: Console,
    columns: Sequence[Col],
    rows: Sequence[Sequence[str]],
    *,
    more: str | None = None,
    **table_kwargs: Any,
) -> list[str]:
    """Print ``rows`` (cells of rich markup) under ``columns`` within the console's width;
    return the labels of the columns left out (said in one line under the table, with
    ``more`` saying where to find them)."""
    kept, text_widths, needed = fit_columns(console.width, columns, rows, **table_kwargs)
    table = _table([columns[k] for k in kept], table_kwargs)
    for column, w in zip(table.columns, text_widths, strict=True):
        column.width = w
    for row in rows:
        table.add_row(*(row[k] for k in kept))
    console.print(table, width=needed)
    dropped = [c.label for k, c in enumerate(columns) if k not in kept]
    if dropped:
        where = more or "--format csv has all"
        console.print(
            f"[dim]Left out at {console.width} columns: {', '.join(dropped)}; {where}.[/dim]"
        )
    return dropped


def print_prose(console: Console, text: str, indent: str = "") -> None:
    """Plain ``text`` wrapped to the console between words, never inside one: a URL longer
    than the line stays whole on a line of its own (the terminal may fold it, but a copy
    of it works). The first line keeps ``text``'s own leading spaces; the others are
    indented by ``indent``."""
    lead = text[: len(text) - len(text.lstrip())]
    lines = textwrap.wrap(
        text.strip(),
        width=max(console.width, 20),
        initial_indent=lead,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )
    for line in lines or [""]:
        console.print(line, soft_wrap=True, markup=False, highlight=False)


def place_columns(units: str) -> list[Col]:
    """The leading columns of a table of places by distance: #, place, country code,
    population and the distance in ``units``."""
    return [
        Col("#", style="dim", drop=1),
        Col("place", "left", number=False),
        Col("cc", "left", drop=2, name="country"),
        Col("population"),
        Col(units),
    ]


def place_cells(k: int, row: dict[str, Any], units: str) -> list[str]:
    """The cells of :func:`place_columns` for the ``k``-th place ``row`` (a reach row)."""
    return [
        str(k),
        escape(row["name"]),
        row["country_code"],
        f"{row['population']:,}",
        fmt_length(row["distance_km"] * 1000, units, 1),
    ]
