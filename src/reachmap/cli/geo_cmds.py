"""Geography commands: ``area``, ``reach`` and ``compare`` (thin over
:mod:`reachmap.analysis.reach` and :mod:`reachmap.analysis.compare`: the same targets
from two launch areas, forward basing)."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

import reachmap
from reachmap.analysis import compare as compare_mod
from reachmap.analysis import queries
from reachmap.analysis import reach as reach_mod
from reachmap.analysis.coverage import CoverageResult
from reachmap.cli.app import app
from reachmap.cli.options import (
    ApogeeOption,
    FormatOption,
    FromOption,
    InOption,
    LimitOption,
    OutOption,
    RangeOption,
    RangeSetOption,
    RingsOption,
    SystemOption,
    TimeProfileOption,
    UnitsOption,
    apogee_m,
    launch_area,
    range_spec,
    repeats,
)
from reachmap.cli.output import Format, check_writable, emit, points_geojson, warn
from reachmap.cli.progress import working
from reachmap.cli.tables import Col, mmss, place_cells, place_columns, print_table
from reachmap.errors import InputError
from reachmap.flight.times import time_label
from reachmap.units import LENGTH_UNITS_M, fmt_length, length_label
from reachmap.words import plural

REACH_COLUMNS = [
    "name",
    "country_code",
    "lat",
    "lon",
    "population",
    "distance_km",
    "within",
    "status",
    "flight_time_s",
]


@app.command("area")
def area_command(
    spec: Annotated[list[str], typer.Argument(help="Country, site, LAT,LON or GeoJSON file.")],
    fmt: FormatOption = Format.geojson,
    out: OutOption = None,
) -> None:
    """The launch-area geometry actually used (GeoJSON), or a summary."""
    check_writable(out)
    a = launch_area(spec)
    emit(
        fmt,
        out,
        geojson=a.to_geojson,
        json_data=a.to_json,
        table=lambda console: _area_table(console, a),
    )


def _area_table(console: Console, a: reachmap.Area) -> None:
    d = a.to_json()
    console.print(f"[bold]{escape(a.label)}[/bold]")
    console.print(
        f"{plural(d['polygons'], 'polygon')}, {plural(d['points'], 'point')}, "
        f"{plural(d['vertices'], 'vertex', 'vertices')}, "
        f"ellipsoidal area {d['area_km2']:,.0f} km²"
    )
    for s in d["sources"]:
        data = s.get("data")
        extra = f" — {data['name']} {data['scale']} v{data['version']}" if data else ""
        console.print(f"  {escape(s['kind'])}: {escape(s['label'])}{escape(extra)}")
    console.print(
        "Edges are WGS84 geodesics between the vertices after long lon/lat edges are "
        "densified (to within 0.5 m); --format geojson gives those vertices."
    )


@app.command("reach")
def reach_command(
    from_: FromOption = [],  # noqa: B006 - typer needs a literal default
    system: SystemOption = None,
    range_: RangeSetOption = None,
    rings: RingsOption = False,
    targets: Annotated[
        str,
        typer.Option(
            help="cities (GeoNames), capitals, countries (coverage: full/partial/none, share "
            "of area, population), a region's cities (europe, nato, eu, a continent), "
            "countries' cities (POL,LTU), or a CSV/GeoJSON file of places."
        ),
    ] = "cities",
    min_population: Annotated[
        int, typer.Option(help="Smallest city population for --targets cities (>= 1000).")
    ] = 15000,
    in_: InOption = None,
    vs: Annotated[
        list[str],
        typer.Option(
            "--vs",
            help="With --targets countries: also from this launch area, and name the "
            "countries newly within reach or newly fully covered (repeatable). For places "
            "use `reachmap compare`.",
            callback=repeats("--vs"),
        ),
    ] = [],  # noqa: B006
    profile: TimeProfileOption = "default",
    apogee: ApogeeOption = None,
    limit: LimitOption = 40,
    all_places: Annotated[
        bool, typer.Option("--all", help="Include places beyond range in json/csv.")
    ] = False,
    include_inside: Annotated[
        bool,
        typer.Option(
            "--include-inside",
            help="List places inside the launch area in the table (they are counted anyway).",
        ),
    ] = False,
    units: UnitsOption = "km",
    fmt: FormatOption = Format.table,
    out: OutOption = None,
) -> None:
    """Places within range of a launch area: the summary first, then the nearest places."""
    check_writable(out)
    ring = queries.ring_spec(system, range_, rings)
    if ring is not None:
        from reachmap.cli.bands_table import reach_rings

        reach_rings(ring, from_, targets, min_population, in_, vs, all_places, limit, fmt, out,
                    units, profile, apogee_m(apogee))  # fmt: skip
        return
    rng = range_spec(system, range_)
    countries_ = targets.strip().lower() == "countries"
    if vs and not countries_:
        raise InputError(
            "--vs on reach needs --targets countries; for places use "
            "`reachmap compare --from AREA --vs AREA`"
        )
    a = launch_area(from_)
    what = "Coverage of every country" if countries_ else "Distances"
    with working(f"{what} — {rng.label} from {a.label}") as progress:
        result = queries.reach_query(
            a, rng, targets, min_population, in_, profile, apogee_m(apogee), progress
        )
    if isinstance(result, CoverageResult):
        from reachmap.cli.coverage_cmds import emit_coverage

        emit_coverage(result, vs, in_, all_places, limit, fmt, out, units)
        return
    warn(result.targets.warnings)
    emit(
        fmt,
        out,
        json_data=lambda: result.to_json(include_beyond=all_places),
        csv_rows=lambda: (result.rows(include_beyond=all_places), REACH_COLUMNS),
        geojson=lambda: _reach_geojson(result, all_places),
        table=lambda console: _reach_table(console, result, limit, include_inside, units),
        units=units,
    )


def _reach_geojson(result: reach_mod.ReachResult, all_places: bool) -> dict[str, Any]:
    return points_geojson(result.rows(include_beyond=all_places), result.summary())


def _reach_table(
    console: Console,
    result: reach_mod.ReachResult,
    limit: int,
    include_inside: bool = False,
    units: str = "km",
) -> None:
    """Summary first; then the nearest places (those inside the launch area are counted
    in the summary and listed only with ``include_inside``); columns fit 80 characters."""
    _print_summary(console, result, include_inside, units)
    rows = [r for r in result.rows() if include_inside or r["distance_km"] > 0]
    has_time = result.flight_time_s is not None
    two = result.range.low_m != result.range.high_m
    title = "Nearest places" + ("" if include_inside else " outside the launch area")
    columns = place_columns(units)
    if two:
        columns.append(Col("status", "left"))
    if has_time:
        columns.append(Col("m:s"))
    cells = []
    for k, r in enumerate(rows[:limit], 1):
        row = place_cells(k, r, units)
        if two:
            row.append("within" if r["status"] == reach_mod.WITHIN else "possibly")
        if has_time:
            row.append(mmss(r.get("flight_time_s")))
        cells.append(row)
    console.print()
    print_table(console, columns, cells, title=title, title_justify="left")
    if len(rows) > limit:
        console.print(f"… and {len(rows) - limit:,} more (use --format csv/json -o FILE for all)")
    notes = [f"{units}: exact WGS84 geodesic distance to the nearest point of the launch area."]
    if two:
        notes.append(
            f"within: <= {length_label(result.range.low_m, units)} (low estimate); possibly: "
            f"only <= {length_label(result.range.high_m, units)} (high estimate)."
        )
    if has_time:
        notes.append(
            f"m:s: {time_label(result.flight_profile, result.range.system)}; – : outside the model."
        )
        if (note := result.profile_note_in(units)) is not None:
            notes.append(note + ".")
    notes.append("Geography only: no effects, accuracy or defences are modelled.")
    for note in notes:
        console.print(f"[dim]{escape(note)}[/dim]")


def _print_summary(
    console: Console,
    result: reach_mod.ReachResult,
    include_inside: bool = False,
    units: str = "km",
) -> None:
    s = result.summary()
    rng = result.range
    console.print(f"[bold]{escape(rng.label_in(units))} from {escape(result.area.label)}[/bold]")
    if rng.low_m != rng.high_m:
        console.print(
            f"  Within {length_label(rng.low_m, units)} (low estimate): "
            f"{plural(s['places_within'], 'place')}, population {s['population_within']:,}"
        )
        console.print(
            f"  Possibly within (only <= {length_label(rng.high_m, units)}): "
            f"{plural(s['places_possibly_within'], 'place')}, population "
            f"{s['population_possibly_within']:,}"
        )
    else:
        console.print(
            f"  Within {length_label(rng.high_m, units)}: {plural(s['places_within'], 'place')}, "
            f"population {s['population_within']:,}"
        )
    inside = s["places_inside_area"]
    if inside:
        listed = "listed below" if include_inside else "not listed (--include-inside)"
        console.print(f"  Inside the launch area (distance 0): {inside:,}, counted, {listed}")
    cc = s["countries_within"]
    console.print(
        f"  Countries with places within: {len(cc)}"
        + (
            f"; only possibly within: {len(s['countries_only_possibly_within'])}"
            if two_of(rng)
            else ""
        )
    )
    console.print(f"  Targets: {plural(s['places_total'], 'place')} ({escape(s['targets'])})")
    if result.targets.note:
        console.print(f"  [dim]{escape(result.targets.note)}[/dim]")
    if rng.system is not None:
        cites = "; ".join(f"{src.publisher}, {src.date}" for src in rng.system.range_m.sources)
        console.print(
            f"  Range sources: {escape(cites)} (`reachmap systems {rng.system.id}` for details)"
        )
    if cc:
        console.print(f"[dim]Countries (ISO-3): {', '.join(cc)}[/dim]")


#: Places named in a "newly within reach" line (the rest are counted; files have all).
NAMES_SHOWN = 20


def two_of(rng: reach_mod.RangeSpec) -> bool:
    return rng.low_m != rng.high_m


COMPARE_COLUMNS = [
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
        typer.Option(
            "--vs",
            help="Reference launch area (same forms as --from; repeatable).",
            callback=repeats("--vs"),
        ),
    ] = [],  # noqa: B006
    system: SystemOption = None,
    range_: RangeOption = None,
    targets: Annotated[
        str,
        typer.Option(
            help="cities (GeoNames), capitals, a region's cities (europe, nato, eu, a "
            "continent), countries' cities (POL,LTU), or a CSV/GeoJSON file."
        ),
    ] = "capitals",
    min_population: Annotated[int, typer.Option(help="For --targets cities.")] = 15000,
    in_: InOption = None,
    profile: TimeProfileOption = "default",
    apogee: ApogeeOption = None,
    limit: LimitOption = 60,
    units: UnitsOption = "km",
    fmt: FormatOption = Format.table,
    out: OutOption = None,
) -> None:
    """Distance and flight time to each place from --from and from --vs."""
    check_writable(out)
    if not from_ or not vs:
        raise InputError("give both --from AREA and --vs AREA")
    rng = range_spec(system, range_)
    with working("Distances and flight times from both areas"):
        result = queries.compare_query(
            launch_area(from_),
            launch_area(vs, "vs"),
            rng,
            targets,
            min_population,
            in_,
            profile,
            apogee_m(apogee),
        )
    warn(result.first.targets.warnings)
    emit(
        fmt,
        out,
        json_data=result.to_json,
        csv_rows=lambda: (result.rows(), COMPARE_COLUMNS),
        table=lambda console: _compare_table(console, result, limit, units),
        units=units,
    )


#: The change column of `compare`, short enough for one line per row at 100 columns.
_CHANGE_SHORT = {
    "newly within reach": "new",
    "only from the reference area": "vs only",
    "within reach from both": "both",
}


def _compare_table(
    console: Console, result: compare_mod.CompareResult, limit: int, units: str = "km"
) -> None:
    s = result.summary()
    timed = result.first.flight_time_s is not None
    columns = [
        Col("place", "left", number=False),
        Col("cc", "left", drop=3, name="country"),
        Col(f"{units}\nfrom"),
        Col(f"{units}\nvs"),
        Col(f"Δ\n{units}", drop=2),
    ]
    if timed:
        columns += [Col("time\nfrom"), Col("time\nvs"), Col("min\nsaved", drop=1)]
    columns.append(Col("reach", "left"))
    rows = result.rows()
    cells = []
    for r in rows[:limit]:
        row = [
            escape(r["name"]),
            r["country_code"],
            fmt_length(r["distance_from_km"] * 1000, units),
            fmt_length(r["distance_vs_km"] * 1000, units),
            f"{r['distance_change_km'] * 1000 / LENGTH_UNITS_M[units]:+,.0f}",
        ]
        if timed:
            saved = r["minutes_saved"]
            row += [
                mmss(r["flight_time_from_s"]),
                mmss(r["flight_time_vs_s"]),
                "–" if saved is None else f"{saved:+.1f}",
            ]
        row.append(_CHANGE_SHORT[r["change"]])
        cells.append(row)
    title = (
        f"{escape(s['from'])} vs {escape(s['vs'])} — {escape(result.first.range.label_in(units))}"
    )
    print_table(console, columns, cells, title=title, title_justify="left")
    console.print(
        "[dim]reach: new = from --from only (newly within reach); vs only = from --vs only.[/dim]"
    )
    if len(rows) > limit:
        console.print(f"… and {len(rows) - limit:,} more (use --format csv/json -o FILE for all)")
    console.print()
    rng = result.first.range
    # "within reach" is within the high estimate (status within or possibly within)
    est = f" ({length_label(rng.high_m, units)}, high estimate)" if two_of(rng) else ""
    console.print(
        f"Within reach{est} from {escape(s['from'])}: {plural(s['places_within_from'], 'place')}"
        f"; from {escape(s['vs'])}: {s['places_within_vs']:,}"
    )
    newly = [r for r in rows if r["change"] == "newly within reach"]
    line = f"Newly within reach{est}: {plural(len(newly), 'place')}"
    if newly:
        shown_ = ", ".join(f"{r['name']} ({r['country_code']})" for r in newly[:NAMES_SHOWN])
        more = f" and {len(newly) - NAMES_SHOWN:,} more" if len(newly) > NAMES_SHOWN else ""
        line += f" ({shown_}{more}), population {s['population_newly_within']:,}"
    console.print(escape(line))
    if s["minutes_saved_median"] is not None:
        console.print(
            f"Minutes saved ({s['flight_profile']}, "
            f"{plural(s['places_timed_from_both'], 'place')} timed from both): "
            f"median {s['minutes_saved_median']:+.1f}, "
            f"range {s['minutes_saved_min']:+.1f} to {s['minutes_saved_max']:+.1f}"
        )
    if (note := result.first.profile_note_in(units)) is not None:
        console.print(f"[dim]{escape(note)}.[/dim]")
    if timed:
        apogee = (
            ", or an apogee too low for the distance or beyond the system's energy"
            if s["flight_apogee_km"] is not None
            else ""
        )
        console.print(
            "[dim]– : no time in the model (inside the launch area, under 10 km, or beyond the "
            f"system's range{apogee}).[/dim]"
        )
    console.print(
        "[dim]Distances: exact WGS84 geodesic distance to the nearest point of each area. "
        "Times: textbook trajectory model with stated assumptions (reachmap flight --help); "
        "geography only, no effects or defences.[/dim]"
    )
