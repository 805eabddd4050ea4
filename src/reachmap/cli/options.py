"""Option types shared by the commands (one definition, one help text)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from reachmap.cli.output import Format

FormatOption = Annotated[
    Format, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)
]
OutOption = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to FILE instead of stdout.")
]
FromOption = Annotated[
    list[str],
    typer.Option(
        "--from",
        help="Launch area: ISO-3 code or country name, catalog site, LAT,LON or GeoJSON file. "
        "Repeat for a union.",
    ),
]
SystemOption = Annotated[
    str | None, typer.Option("--system", "-s", help="Catalog system (see `reachmap systems`).")
]
RangeOption = Annotated[
    str | None,
    typer.Option("--range", "-r", help="Range, km unless a unit is given: 5500, 5500km, 3400mi."),
]
LimitOption = Annotated[
    int, typer.Option("--limit", min=1, help="Rows shown in the table (all rows go to files).")
]
TimeProfileOption = Annotated[
    str,
    typer.Option(
        "--profile",
        help="Flight-time profile for the time column: default (the system's own: min-energy "
        "for ballistic missiles, cruise or glide for the others), min-energy, lofted, "
        "depressed, cruise, glide, or none.",
    ),
]


def time_profile(profile: str) -> str | None:
    """The library's ``flight_profile`` for a ``--profile`` value ("none" -> no times)."""
    word = profile.strip().lower()
    if word == "none":
        return None
    return "" if word == "default" else word
