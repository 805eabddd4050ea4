"""``reachmap compare``: the same targets from two launch areas (forward basing)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

import reachmap
from reachmap.analysis import compare as compare_mod
from reachmap.cli.app import app
from reachmap.cli.options import (
    FormatOption,
    FromOption,
    LimitOption,
    OutOption,
    RangeOption,
    SystemOption,
    TimeProfileOption,
    range_spec,
    time_profile,
)
from reachmap.cli.output import Format, check_writable, emit
from reachmap.errors import InputError
from reachmap.io.resolve import resolve_targets

COLUMNS = [
    "name",
    "country_code",
    "population",
    "distance_from_km",
    "distance_vs_km",
    "distance_change_km",
    "status_from",
    "status_vs",
    "flight_time_from_s",
    "flight_time_vs_s",
    "minutes_saved",
    "change",
]


@app.command("compare")
def compare_command(
    from_: FromOption = [],  # noqa: B006 - typer needs a literal default
    vs: Annotated[
        list[str],
        typer.Option("--vs", help="Reference launch area (same forms as --from; repeatable)."),
    ] = [],  # noqa: B006
    system: SystemOption = None,
    range_: RangeOption = None,
    targets: Annotated[
        str, typer.Option(help="cities (GeoNames), capitals, or a CSV/GeoJSON file.")
    ] = "capitals",
    min_population: Annotated[int, typer.Option(help="For --targets cities.")] = 15000,
    profile: TimeProfileOption = "default",
    limit: LimitOption = 60,
    fmt: FormatOption = Format.table,
    out: OutOption = None,
) -> None:
    """Distance and flight time to each place from --from and from --vs."""
    check_writable(out)
    if not from_ or not vs:
        raise InputError("give both --from AREA and --vs AREA")
    rng = range_spec(system, range_)
    places = resolve_targets(targets, min_population)
    prof = time_profile(profile)
    result = compare_mod.compare(
        reachmap.area(*from_), reachmap.area(*vs), rng, places, flight_profile=prof
    )
    emit(
        fmt,
        out,
        json_data=result.to_json,
        csv_rows=lambda: (result.rows(), COLUMNS),
        table=lambda console: _table(console, result, limit),
    )


def _mmss(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    sign = "-" if seconds < 0 else ""
    m, s = divmod(round(abs(seconds)), 60)
    return f"{sign}{m}:{s:02d}"


def _table(console: Console, result: compare_mod.CompareResult, limit: int) -> None:
    s = result.summary()
    timed = result.first.flight_time_s is not None
    table = Table(
        title=f"{escape(s['from'])} vs {escape(s['vs'])} — {escape(result.first.range.label)}",
        title_justify="left",
    )
    for col, just in [
        ("place", "left"),
        ("country", "left"),
        ("km from", "right"),
        ("km vs", "right"),
        ("Δ km", "right"),
    ]:
        table.add_column(col, justify=just)  # type: ignore[arg-type]
    if timed:
        for col in ("time from", "time vs", "min saved"):
            table.add_column(col, justify="right")
    table.add_column("reach")
    rows = result.rows()
    for r in rows[:limit]:
        cells = [
            escape(r["name"]),
            r["country_code"],
            f"{r['distance_from_km']:,.0f}",
            f"{r['distance_vs_km']:,.0f}",
            f"{r['distance_change_km']:+,.0f}",
        ]
        if timed:
            saved = r["minutes_saved"]
            cells += [
                _mmss(r["flight_time_from_s"]),
                _mmss(r["flight_time_vs_s"]),
                "–" if saved is None else f"{saved:+.1f}",
            ]
        cells.append(r["change"])
        table.add_row(*cells)
    console.print(table)
    if len(rows) > limit:
        console.print(f"… and {len(rows) - limit:,} more (use --format csv/json -o FILE for all)")
    console.print()
    console.print(
        f"Within reach from {escape(s['from'])}: {s['places_within_from']:,} places; "
        f"from {escape(s['vs'])}: {s['places_within_vs']:,}"
    )
    console.print(
        f"Newly within reach: {s['places_newly_within']:,} places, "
        f"population {s['population_newly_within']:,}"
    )
    if s["minutes_saved_median"] is not None:
        console.print(
            f"Minutes saved ({s['flight_profile']}, {s['places_timed_from_both']:,} places timed "
            f"from both): median {s['minutes_saved_median']:+.1f}, "
            f"range {s['minutes_saved_min']:+.1f} to {s['minutes_saved_max']:+.1f}"
        )
    if timed:
        console.print(
            "[dim]– : no time in the model (inside the launch area, under 10 km, or beyond the "
            "system's range).[/dim]"
        )
    console.print(
        "[dim]Distances: exact WGS84 geodesic distance to the nearest point of each area. "
        "Times: textbook trajectory model with stated assumptions (reachmap flight --help); "
        "geography only, no effects or defences.[/dim]"
    )
