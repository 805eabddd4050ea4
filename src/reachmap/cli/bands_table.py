"""``reachmap reach --range 500,1000,2000`` (places by distance band): the command's
output and its table, over :class:`reachmap.analysis.bands.BandsResult`."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.markup import escape

from reachmap.analysis import queries
from reachmap.analysis.bands import BandsResult, RingSpec
from reachmap.cli.options import launch_area
from reachmap.cli.output import Format, emit, points_geojson, warn
from reachmap.cli.progress import working
from reachmap.cli.tables import Col, mmss, place_cells, place_columns, print_table
from reachmap.errors import InputError
from reachmap.words import plural


def render_bands(console: Console, result: BandsResult, limit: int = 40, units: str = "km") -> None:
    """Places and population per band, then the nearest places with their band."""
    s = result.summary()
    bands = result.bands()
    console.print(f"[bold]Places by distance band from {escape(result.area.label)}[/bold]")
    timed = result.flight_time_s is not None
    columns = [
        Col("band", "left"),
        Col("places"),
        Col("population"),
        Col("places within\n(cumulative)"),
    ]
    if timed:
        columns.append(Col("m:s to\nouter ring"))
    cells = [
        [b["label"], f"{b['places']:,}", f"{b['population']:,}", f"{b['places_within_high']:,}"]
        + ([mmss(b["flight_time_s"])] if timed else [])
        for b in bands
    ]
    print_table(console, columns, cells)
    console.print(
        f"  Beyond {bands[-1]['label'].split('–')[-1]}: {s['places_beyond']:,} of "
        f"{plural(s['places_total'], 'place')} ({escape(s['targets'])})"
    )
    inside = s["places_inside_area"]
    if inside:
        n = plural(inside, "place")
        console.print(f"  Inside the launch area (distance 0, in the first band): {n}, not listed")
    if result.targets.note:
        console.print(f"  [dim]{escape(result.targets.note)}[/dim]")
    rows = [r for r in result.rows() if r["distance_km"] > 0]
    columns = [*place_columns(units), Col("band", "left")]
    if timed:
        columns.append(Col("m:s"))
    cells = [
        [*place_cells(k, r, units), r["band_label"]] + ([mmss(r["flight_time_s"])] if timed else [])
        for k, r in enumerate(rows[:limit], 1)
    ]
    console.print()
    title = "Nearest places outside the launch area"
    print_table(console, columns, cells, title=title, title_justify="left")
    if len(rows) > limit:
        console.print(f"… and {len(rows) - limit:,} more (use --format csv/json -o FILE for all)")
    console.print(
        f"[dim]{units}: exact WGS84 geodesic distance to the nearest point of the launch area; "
        "each place is in the smallest band containing it (one exactly on a ring is in the "
        "band inside it). Geography only: no effects, accuracy or defences are modelled.[/dim]"
    )
    if timed:
        from reachmap.flight.times import time_label

        what = escape(time_label(result.flight_profile, result.system))
        console.print(
            f"[dim]m:s: {what}, to the place or to the band's outer ring; – : outside the "
            "model or beyond the system's range.[/dim]"
        )
        if (note := result.profile_note_in(units)) is not None:
            console.print(f"[dim]{escape(note)}.[/dim]")


def reach_rings(
    ring: RingSpec,
    from_: list[str],
    targets: str,
    min_population: int,
    in_: str | None,
    vs: list[str],
    all_places: bool,
    limit: int,
    fmt: Format,
    out: Path | None,
    units: str,
    profile: str = "default",
    apogee_m: float | None = None,
) -> None:
    """``reach --range 500,1000,2000``: the places by distance band."""
    if vs:
        raise InputError("--vs takes one range, not a ring set; give one --range or --system")
    a = launch_area(from_)
    with working(f"Distances from {a.label}"):
        result = queries.bands_query(
            a, ring, targets, min_population, in_, units, profile=profile, apogee_m=apogee_m
        )
    warn(result.targets.warnings)
    emit(
        fmt,
        out,
        json_data=lambda: result.to_json(include_beyond=all_places),
        csv_rows=lambda: (result.rows(include_beyond=all_places), _columns(result)),
        geojson=lambda: points_geojson(result.rows(include_beyond=all_places), result.summary()),
        table=lambda console: render_bands(console, result, limit, units),
        units=units,
    )


def _columns(result: BandsResult) -> list[str]:
    return BAND_COLUMNS + (["flight_time_s"] if result.flight_time_s is not None else [])


BAND_COLUMNS = [
    "name",
    "country_code",
    "lat",
    "lon",
    "population",
    "distance_km",
    "band",
    "band_label",
]
