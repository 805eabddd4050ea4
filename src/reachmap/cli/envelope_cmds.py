"""``reachmap envelope`` and ``reachmap isochrones``: thin over :mod:`reachmap.envelope.core`.

With ``-o FILE`` the suffix picks the export (.geojson/.json, .gpkg, .kml) and a
summary goes to stdout; without it the GeoJSON (or ``--format table|json``) goes to
stdout. Bad input (negative range, tolerance outside 1 m - 10 km, unknown export
format, unwritable path) fails before any work with one line and exit code 2.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from reachmap.analysis import queries
from reachmap.analysis.isochrones import parse_minutes
from reachmap.cli.app import app
from reachmap.cli.options import (
    FormatOption,
    FromOption,
    OutOption,
    RangeSetOption,
    RingsOption,
    SystemOption,
    UnitsOption,
    launch_area,
    range_spec,
    repeats,
)
from reachmap.cli.output import Format, check_writable, emit
from reachmap.cli.progress import working
from reachmap.cli.tables import Col, mmss, print_table
from reachmap.envelope.core import (
    DEFAULT_TOLERANCE_M,
    EnvelopeSet,
    check_tolerance,
)
from reachmap.errors import InputError, about
from reachmap.geodesy.areas import polygons_area_m2
from reachmap.geodesy.rings import n_vertices
from reachmap.io import export
from reachmap.units import fmt_length, parse_length_m

ToleranceOption = Annotated[
    str,
    typer.Option(
        "--tolerance",
        help="Largest allowed distance error of the outline, metres unless a unit is given "
        "(1 m to 10 km).",
    ),
]


def parse_tolerance_m(text: str) -> float:
    """Tolerance in metres: ``50``, ``50m``, ``0.05km``; checked against 1 m .. 10 km."""
    plain = text.strip()
    value = parse_length_m(
        plain + "m" if plain.replace(".", "", 1).isdigit() else plain,
        what="tolerance",
        max_m=math.inf,  # check_tolerance says the allowed span
    )
    return check_tolerance(value)


def _check_out(out: Path | None) -> None:
    if out is not None:
        export.export_format(out)
        check_writable(out)


def _finish(result: EnvelopeSet, fmt: Format, out: Path | None, units: str = "km") -> None:
    if out is not None:
        export.write(export.in_units(result, units), out)
        _summary(Console(soft_wrap=False), result, out, units)
        return
    shown = export.in_units(result, units)
    emit(
        fmt,
        None,
        geojson=lambda: export.feature_collection(shown, name=result.title),
        json_data=result.to_json,
        table=lambda console: _summary(console, result, None, units),
        units=units,
    )


@app.command("envelope")
def envelope_command(
    from_: FromOption = [],  # noqa: B006 - typer needs a literal default
    system: SystemOption = None,
    range_: RangeSetOption = None,
    rings: RingsOption = False,
    vs: Annotated[
        list[str],
        typer.Option(
            "--vs",
            help="Compare with this launch area: keep only what --from adds (repeatable).",
            callback=repeats("--vs"),
        ),
    ] = [],  # noqa: B006
    tolerance: ToleranceOption = "50",
    units: UnitsOption = "km",
    fmt: FormatOption = Format.geojson,
    out: OutOption = None,
) -> None:
    """The region within range of a launch area, exact on WGS84 (poles, antimeridian).

    With a system: "within" (low estimate) and "possibly within" (only the high) as two
    features; with --vs: the territory newly within reach from --from; with a ring set
    (--range 500,1000,2000 or --system S --rings): one labelled envelope per range.
    """
    _check_out(out)
    tol = parse_tolerance_m(tolerance)
    ring = queries.ring_spec(system, range_, rings)
    if ring is not None:
        if vs:
            raise InputError("--vs takes one range, not a ring set; give one --range or --system")
        a = launch_area(from_)
        with working(f"Ring set from {a.label}"):
            result = queries.ring_set_query(a, ring, tol, units)
        _finish(result, fmt, out, units)
        return
    rng = range_spec(system, range_, allow_zero=True)
    a = launch_area(from_)
    b = launch_area(vs, "vs") if vs else None
    what = f"What {a.label} adds to {b.label}" if b is not None else f"Envelope from {a.label}"
    with working(f"{what} — {rng.label_in(units)}") as progress:
        result = queries.envelope_query(a, rng, tol, b, units, progress)
    _finish(result, fmt, out, units)


@app.command("isochrones")
def isochrones_command(
    from_: FromOption = [],  # noqa: B006 - typer needs a literal default
    system: Annotated[str, typer.Option("--system", "-s", help="Catalog system.")] = "",
    minutes: Annotated[
        str, typer.Option(help="Flight times in minutes, comma-separated: 5,10,15,20.")
    ] = "5,10,15,20",
    profile: Annotated[
        str | None,
        typer.Option(help="Flight profile (default: the system's own; min-energy or depressed)."),
    ] = None,
    tolerance: ToleranceOption = "50",
    units: UnitsOption = "km",
    fmt: FormatOption = Format.geojson,
    out: OutOption = None,
) -> None:
    """Flight-time contours: where a flight from the launch area lands within each time."""
    _check_out(out)
    tol = parse_tolerance_m(tolerance)
    if not system:
        raise InputError("give --system NAME (see `reachmap systems`)")
    with about("minutes"):
        parse_minutes(minutes)  # before the launch area is resolved: fail fast
    a = launch_area(from_)
    with working(f"Flight-time contours of {system} from {a.label}") as progress:
        result = queries.isochrones_query(a, system, minutes, profile, tol, progress)
    _finish(result, fmt, out, units)


def _summary(console: Console, result: EnvelopeSet, out: Path | None, units: str = "km") -> None:
    columns = [
        Col("feature", "left", number=False),
        Col(f"range\n{units}"),
        Col("area\nkm²"),
        Col("vertices", drop=1),
        Col("max vertex\nerror m"),
        Col("max edge\nerror m"),
    ]
    timed = any("flight_time_s" in f.properties for f in result.features)
    if timed:  # a ring set of a system: its flight time to each ring
        columns.insert(2, Col("m:s"))
    cells = []
    for f in result.features:
        p = f.properties
        label = p.get("name") or p.get("label") or p.get("band") or f"{p.get('minutes', 0):g} min"
        cells.append(
            [
                escape(str(label)),
                fmt_length(p["range_km"] * 1000, units, 1),
                *([mmss(p.get("flight_time_s"))] if timed else []),
                f"{polygons_area_m2(f.polygons) / 1e6:,.0f}",
                f"{n_vertices(f.polygons):,}",
                f"{p['max_vertex_error_m']:.2g}",
                f"{p['max_edge_error_m']:.2g}",
            ]
        )
    print_table(console, columns, cells, title=escape(result.title), title_justify="left")
    if timed:
        profile = next(f.properties["flight_profile"] for f in result.features)
        console.print(
            f"m:s: {profile} flight time to the ring's range, boost included (`reachmap "
            "flight`); – : outside the model."
        )
    tol = result.envelopes[0].tolerance_m if result.envelopes else DEFAULT_TOLERANCE_M
    console.print(
        f"Exact WGS84 distances; every boundary vertex and edge midpoint checked against "
        f"the tolerance of {tol:g} m."
    )
    for note in result.notes:
        console.print(f"Note: {escape(note)}")
    if out is not None:
        console.print(f"Wrote {escape(str(out))} ({export.export_format(out)}).")
