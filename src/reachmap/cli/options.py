"""Option types shared by the commands (one definition, one help text)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from reachmap.analysis.queries import launch_area, range_spec, time_profile
from reachmap.cli.output import Format
from reachmap.errors import InputError, TooLarge
from reachmap.io.files import output_path

__all__ = [
    "flag_message",
    "launch_area",
    "range_spec",
    "repeats",
    "time_profile",
]

#: The flag that sets each library parameter named in an error message.
PARAM_FLAGS = {
    "from": "--from",
    "vs": "--vs",
    "to": "--to",
    "distance": "--distance",
    "apogee": "--apogee",
    "time": "--time",
    "rotating_earth": "--rotating-earth",
    "system": "--system",
    "range_m": "--range",
    "apogee_m": "--apogee",
    "profile": "--profile",
    "targets": "--targets",
    "min_population": "--min-population",
    "tolerance_m": "--tolerance",
    "minutes": "--minutes",
    "units": "--units",
    "rings": "--rings",
    "db": "--db",
}

#: Most values a repeatable option takes (--from, --vs, --with), as the library joins at
#: most this many launch areas (reachmap.io.resolve.MAX_SPECS).
MAX_REPEATS = 100


def repeats(flag: str) -> Callable[[list[str]], list[str]]:
    """A typer callback refusing more than :data:`MAX_REPEATS` values of ``flag``."""

    def check(values: list[str]) -> list[str]:
        if values and len(values) > MAX_REPEATS:
            hint = " For many points, give one GeoJSON MultiPoint file." if flag != "--to" else ""
            raise TooLarge(
                f"{flag} given {len(values):,} times; at most {MAX_REPEATS} (docs/limits.md).{hint}"
            )
        return values

    return check


_PARAM = re.compile(r"`(\w+)`")


def flag_message(err: InputError) -> str:
    """The library's message with each parameter it names replaced by its flag.

    >>> flag_message(InputError("give either `system` or `range_m`, not both"))
    'give either --system or --range, not both'
    """
    return _PARAM.sub(lambda m: PARAM_FLAGS.get(m[1], m[0]), str(err))


FormatOption = Annotated[
    Format, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)
]
OutOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write to FILE instead of stdout ('-': stdout).",
        callback=output_path,
    ),
]
FromOption = Annotated[
    list[str],
    typer.Option(
        "--from",
        help="Launch area: ISO-3 code or country name, catalog site, LAT,LON or GeoJSON file. "
        "Repeat for a union.",
        callback=repeats("--from"),
    ),
]
SystemOption = Annotated[
    str | None, typer.Option("--system", "-s", help="Catalog system (see `reachmap systems`).")
]
RangeOption = Annotated[
    str | None,
    typer.Option("--range", "-r", help="Range, km unless a unit is given: 5500, 5500km, 3400mi."),
]
RangeSetOption = Annotated[
    str | None,
    typer.Option(
        "--range",
        "-r",
        help="Range, km unless a unit is given: 5500, 5500km, 3400mi; several, "
        "comma-separated, for a ring set: 500,1000,2000 (with --system, the rings carry its "
        "flight times; its own low and high rings: --rings).",
    ),
]
LimitOption = Annotated[
    int, typer.Option("--limit", min=1, help="Rows shown in the table (all rows go to files).")
]
TimeProfileOption = Annotated[
    str,
    typer.Option(
        "--profile",
        help="Flight-time profile for the time column: default (the system's own: min-energy "
        "for ballistic missiles, cruise or glide for the others), min-energy, lofted (the "
        "steepest arc at the system's full energy: the slowest extreme, not a normal flight; "
        "see --apogee), depressed (the flattest: the fastest extreme), cruise, glide, or none. "
        "Without --system only min-energy: the textbook arc from the surface, no boost.",
    ),
]
ApogeeOption = Annotated[
    str | None,
    typer.Option(
        "--apogee",
        help="Fly the time column lofted through this apogee, km unless a unit is given "
        "(as `reachmap flight --apogee`); needs --system.",
    ),
]


def apogee_m(text: str | None) -> float | None:
    """The ``--apogee`` value in metres (km unless a unit is given), or None."""
    from reachmap.units import parse_length_m

    return None if text is None else parse_length_m(text, what="apogee")


InOption = Annotated[
    str | None,
    typer.Option(
        "--in",
        help="Keep only targets in a region (europe, nato, eu, asia, ...: see docs/regions) "
        "or in countries (POL,LTU).",
    ),
]


def _units(value: str) -> str:
    from reachmap.units import display_unit

    return display_unit(value)


UnitsOption = Annotated[
    str,
    typer.Option(
        "--units",
        help="Unit of printed distances and ranges: km, mi (1,609.344 m) or nmi (1,852 m). "
        "CSV columns are renamed (distance_mi); JSON keeps its fields and adds *_mi.",
        callback=_units,
    ),
]


RingsOption = Annotated[
    bool,
    typer.Option(
        "--rings",
        help="With --system: its low and high estimate as a ring set (as --range 5000,5500).",
    ),
]
