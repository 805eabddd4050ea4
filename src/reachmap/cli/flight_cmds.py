"""``reachmap flight``: flight time, apogee and burnout speed per trajectory profile.

A thin command over :func:`reachmap.analysis.flights.plan_flights` (the web API's
``/api/flight`` calls it too); everything it prints comes from its rows.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich import box
from rich.console import Console
from rich.markup import escape

from reachmap.analysis.flights import Route, json_row, plan_flights
from reachmap.cli.app import app
from reachmap.cli.options import OutOption, UnitsOption, repeats
from reachmap.cli.output import Format, check_writable, emit
from reachmap.cli.tables import Col, print_prose, print_table
from reachmap.flight.fit import TimeFit
from reachmap.flight.report import FlightRow
from reachmap.flight.times import profile_note
from reachmap.units import m_to

if TYPE_CHECKING:
    from reachmap.data.catalog import System

NAN = float("nan")
CSV_COLUMNS = [
    "profile",
    "ground_range_km",
    "time_s",
    "boost_time_s",
    "free_flight_time_s",
    "apogee_km",
    "burnout_speed_mps",
    "path_angle_deg",
    "valid",
    "notes",
]


@app.command("flight")
def flight_command(
    distance: Annotated[
        str | None,
        typer.Option(
            "--distance", help="Ground range, km unless a unit is given: 790, 790km, 490mi."
        ),
    ] = None,
    from_: Annotated[
        str | None, typer.Option("--from", help="Launch area: site, country, LAT,LON or GeoJSON.")
    ] = None,
    to: Annotated[
        list[str],
        typer.Option(
            "--to",
            help="Target place: name or LAT,LON (repeat for several).",
            callback=repeats("--to"),
        ),
    ] = [],  # noqa: B006 - typer needs a literal default
    system: Annotated[
        str | None, typer.Option("--system", help="Catalog system, e.g. oreshnik (see `systems`).")
    ] = None,
    profile: Annotated[
        str | None,
        typer.Option(
            "--profile",
            help="min-energy, lofted, depressed or all (default: all; lofted with --apogee).",
        ),
    ] = None,
    apogee: Annotated[
        str | None,
        typer.Option("--apogee", help="Apogee of a lofted path, km unless a unit is given."),
    ] = None,
    time: Annotated[
        str | None,
        typer.Option(
            "--time",
            help="A reported flight time (15min, 900s, 14:58): which profile fits it, and the "
            "apogee of the lofted flight that takes it.",
        ),
    ] = None,
    rotating_earth: Annotated[
        bool,
        typer.Option("--rotating-earth", help="Fly in inertial space over the turning Earth."),
    ] = False,
    units: UnitsOption = "km",
    fmt: Annotated[
        Format, typer.Option("--format", "-f", help="table, json or csv.", case_sensitive=False)
    ] = Format.table,
    output: OutOption = None,
) -> None:
    """Flight time per trajectory profile (min-energy, lofted, depressed; cruise, glide)."""
    check_writable(output)
    plan = plan_flights(distance, from_, to, system, profile, apogee, time, rotating_earth)
    flights, chosen = plan.flights, plan.system
    columns = CSV_COLUMNS if distance is not None else ["to", *CSV_COLUMNS]
    emit(
        fmt,
        output,
        json_data=plan.to_json,
        csv_rows=lambda: (
            [_csv_row(r, route) for route, rows in flights for r in rows],
            columns,
        ),
        table=lambda console: _tables(console, flights, chosen, units),
        units=units,
    )


def _tables(
    console: Console,
    flights: tuple[tuple[Route, tuple[FlightRow, ...]], ...],
    system: System | None,
    units: str = "km",
) -> None:
    for k, (route, rows) in enumerate(flights):
        if k:
            console.print()
        _table(console, rows, route, system, units)


def _fit_line(fit: TimeFit, system: System | None, units: str = "km") -> str:
    name = system.name if system is not None else "the system"
    told = f"A {_clock(fit.time_s)} flight over {_length(fit.range_m, units)} {units}"
    bounds = (
        f"fastest possible {_clock(fit.fastest_s)}, min-energy {_clock(fit.min_energy_s or NAN)}, "
        f"most lofted at {name}'s energy {_clock(fit.most_lofted_s or NAN)}"
    )
    what = {
        "faster than possible": "is faster than any flight the model allows",
        "slower than possible": f"is slower than any flight at {name}'s energy",
        "min-energy": "fits the minimum-energy flight",
        "depressed": "fits a depressed flight (faster than minimum energy)",
        "lofted": "fits a lofted flight through an apogee of "
        f"{_length(fit.apogee_m or NAN, units)} {units} with the full boost (the row below)",
    }[fit.fits]
    return f"{told} {what}. For comparison: {bounds}."


def _csv_row(row: FlightRow, route: Route) -> dict[str, Any]:
    data = json_row(row, route)
    return {**data, "notes": "; ".join(data["notes"])}


def _clock(seconds: float) -> str:
    if not math.isfinite(seconds):
        return "—"
    total = round(seconds)
    return f"{total // 60}:{total % 60:02d}"


def _length(metres: float, units: str = "km") -> str:
    """A range or apogee in ``units``: one decimal below 10, whole above."""
    value = m_to(metres, units)
    if not math.isfinite(value):
        return "—"
    return f"{value:,.1f}" if value < 10 else f"{value:,.0f}"


def _num(value: float, fmt: str) -> str:
    return "—" if not math.isfinite(value) else format(value, fmt)


def _table(
    console: Console,
    rows: tuple[FlightRow, ...],
    route: Route,
    system: System | None,
    units: str = "km",
) -> None:
    if route.fit is not None:
        print_prose(console, _fit_line(route.fit, system, units))
    title = f"Flight over {_length(rows[0].ground_range_m, units)} {units}"
    if route.label:
        title += f" ({route.label})"
    if system is not None:
        title += f" — {system.name} ({system.system_class})"
    columns = [
        Col("profile", "left"),
        Col("range"),
        Col("total"),
        Col("boost", drop=2),
        Col("free\nflight", drop=3),
        Col("apogee"),
        Col("speed", drop=4),
        Col("angle", drop=1),
        Col("ok"),
    ]
    cells = []
    for row in rows:
        speed = row.burnout_speed_mps
        if not math.isfinite(speed) and row.speed_mps is not None:
            speed = row.speed_mps
        cells.append(
            [
                row.profile,
                _length(row.ground_range_m, units),
                _clock(row.time_s),
                _clock(row.boost_time_s),
                _clock(row.free_flight_time_s),
                _num(m_to(row.apogee_m, units), ",.0f"),
                _num(speed, ",.0f"),
                _num(row.path_angle_deg, ".1f"),
                "yes" if row.valid else "NO",
            ]
        )
    print_table(
        console,
        columns,
        cells,
        title=escape(title),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        padding=(0, 1),
        pad_edge=False,
        show_edge=False,
        caption=f"times min:s · range, apogee {units} · burnout speed m/s · path angle °",
        caption_justify="left",
    )
    for row in rows:  # what "lofted" and "depressed" mean here, so no one reads them as normal
        note = profile_note(row.profile, system, route.apogee_m, units)
        if note is not None:
            print_prose(console, note + ".", "  ")
    notes = [f"  {row.profile}: {note}" for row in rows for note in row.notes]
    for line in ["Notes:", *notes] if notes else []:
        print_prose(console, line, "    ")
    for line in _assumption_lines(rows, route):
        print_prose(console, line, "    ")


def _assumption_lines(rows: tuple[FlightRow, ...], route: Route) -> list[str]:
    first = rows[0].assumptions
    lines = ["Assumptions:", f"  Earth: {first.earth}"]
    boost = first.boost
    if boost is not None and boost.burn_time_s == 0 and boost.burnout_downrange_m == 0:
        lines.append("  Boost: none; burnout at the surface, free flight only")
    elif boost is not None:
        kind = "class default" if boost.is_default else "catalog"
        lines.append(
            f"  Boost ({kind}): {boost.burn_time_s:g} s burn; burnout at "
            f"{boost.burnout_altitude_m / 1e3:g} km altitude, "
            f"{boost.burnout_downrange_m / 1e3:g} km downrange, where the free flight starts. "
            f"Source: {boost.source}"
        )
    for key, text in (("Energy", first.energy), ("Speed", first.speed), ("Glide", first.glide)):
        if text is not None:
            lines.append(f"  {key}: {text}")
    if route.rotating is not None:
        s = route.rotating  # printed as LAT, LON, as the user types them
        lines.append(
            f"  Route: {s.launch_lat_deg:.4f}, {s.launch_lon_deg:.4f} → "
            f"{s.target_lat_deg:.4f}, {s.target_lon_deg:.4f} (degrees, spherical Earth)"
        )
        if first.max_range_this_azimuth_m is not None:
            lines.append(
                f"  Maximum range along this azimuth on the rotating Earth: "
                f"{first.max_range_this_azimuth_m / 1e3:,.0f} km"
            )
        for row in rows:
            extra = row.rotating_earth
            if extra is None:
                continue
            text = f"  {row.profile}: non-rotating {_clock(extra.nonrotating.time_s)}"
            if extra.equivalent_nonrotating_range_m is not None:
                text += (
                    "; without rotation its burnout speed reaches "
                    f"{extra.equivalent_nonrotating_range_m / 1e3:,.0f} km "
                    f"(rotation: {extra.range_change_pct:+.1f} %)"
                )
            lines.append(text)
    return lines
