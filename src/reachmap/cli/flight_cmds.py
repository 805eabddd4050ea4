"""``reachmap flight``: flight time, apogee and burnout speed per trajectory profile.

A thin command over :func:`reachmap.flight.report.flight_rows`; everything it
prints comes from those rows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Annotated, Any

import numpy as np
import typer
from rich import box
from rich.console import Console
from rich.markup import escape

from reachmap.cli.app import app
from reachmap.cli.options import OutOption, UnitsOption, repeats
from reachmap.cli.output import Format, check_writable, emit
from reachmap.cli.tables import Col, print_prose, print_table
from reachmap.errors import InputError
from reachmap.flight.fit import TimeFit, fit_time
from reachmap.flight.report import FlightRow, flight_rows
from reachmap.flight.rotating import RotatingSpec
from reachmap.flight.times import energy_error, profile_note
from reachmap.units import m_to, parse_duration_s, parse_length_m

if TYPE_CHECKING:
    from reachmap.area import Area
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


#: --to places in one call (each is a separate flight; `reach` tables many places).
MAX_TARGETS = 100


@dataclass(frozen=True)
class Route:
    """What the command flies: a ground range, and the end points when known."""

    distance_m: float
    label: str
    rotating: RotatingSpec | None = None
    target: str | None = None  # the place's name, for --from/--to
    fit: TimeFit | None = None  # with --time: which profile takes that long
    apogee_m: float | None = None  # the lofted row flies through this apogee


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
    routes = _routes(distance, from_, to, rotating_earth)
    chosen = _lookup_system(system)
    apogee_m = parse_length_m(apogee, what="apogee") if apogee is not None else None
    profiles = [profile] if profile else (["lofted"] if apogee_m is not None else ["all"])
    time_s = _check_time(time, chosen, profile, apogee_m, rotating_earth)
    flights = []
    for route in routes:
        if (reason := energy_error(route.distance_m, chosen)) is not None:
            to_where = f" ({route.label})" if route.label else ""
            raise InputError(f"{reason}{to_where}; give a shorter distance or another --system")
        fit = None
        flown, through = profiles, apogee_m  # each route its own fit (several --to)
        if time_s is not None and chosen is not None:
            fit = fit_time(route.distance_m, chosen, time_s)
            if fit.apogee_m is not None:
                flown, through = ["lofted"], fit.apogee_m
        rows = flight_rows(
            route.distance_m, chosen, flown, apogee_m=through, rotating=route.rotating
        )
        flights.append((replace(route, fit=fit, apogee_m=through), rows))
    columns = CSV_COLUMNS if distance is not None else ["to", *CSV_COLUMNS]
    emit(
        fmt,
        output,
        json_data=lambda: [_json_row(r, route) for route, rows in flights for r in rows],
        csv_rows=lambda: (
            [_csv_row(r, route) for route, rows in flights for r in rows],
            columns,
        ),
        table=lambda console: _tables(console, flights, chosen, units),
        units=units,
    )


def _tables(
    console: Console,
    flights: list[tuple[Route, list[FlightRow]]],
    system: System | None,
    units: str = "km",
) -> None:
    for k, (route, rows) in enumerate(flights):
        if k:
            console.print()
        _table(console, rows, route, system, units)


def _routes(distance: str | None, from_: str | None, to: list[str], rotating: bool) -> list[Route]:
    if distance is not None and (from_ is not None or to):
        raise InputError("give either --distance or --from/--to, not both")
    if distance is not None:
        if rotating:
            raise InputError(
                "--rotating-earth needs a launch point and a target: "
                "use --from LAT,LON --to PLACE instead of --distance"
            )
        return [Route(parse_length_m(distance, what="distance"), "")]
    if from_ is None or not to:
        raise InputError(
            "give --distance R (e.g. 790 or 790km), or both --from AREA and --to PLACE"
        )
    if len(to) > MAX_TARGETS:
        raise InputError(
            f"{len(to)} --to places: give at most {MAX_TARGETS} (use `reach` for more)"
        )
    import reachmap

    area = reachmap.area(from_)
    return [_route_between(area, name, rotating) for name in to]


def _route_between(area: Area, to: str, rotating: bool) -> Route:
    """Exact WGS84 distance from the launch area to the place, and the nearest launch point."""
    from reachmap.io.resolve import resolve_place

    place = resolve_place(to)
    distance_m = float(area.distance_m(place.lon_deg, place.lat_deg))
    if not distance_m > 0:
        raise InputError(
            f"{place.name} lies inside the launch area {area.label}: the distance is 0"
        )
    spec = None
    if rotating:
        lon, lat = _launch_point(area, place.lon_deg, place.lat_deg)
        spec = RotatingSpec(lon, lat, place.lon_deg, place.lat_deg)
    return Route(distance_m, f"{area.label} → {place.name}", spec, place.name)


def _launch_point(area: Area, lon_deg: float, lat_deg: float) -> tuple[float, float]:
    """(lon, lat) of the area's point nearest to the target: a listed point or a boundary point."""
    from pyproj import Geod

    candidates = [(float(lon), float(lat)) for lon, lat in np.asarray(area.points).reshape(-1, 2)]
    if area.polygons:
        near = area.nearest(lon_deg, lat_deg)
        candidates.append((float(near.lon_deg[0]), float(near.lat_deg[0])))
    geod = Geod(ellps="WGS84")
    lons, lats = np.array(candidates).T
    _, _, dist = geod.inv(lons, lats, np.full_like(lons, lon_deg), np.full_like(lats, lat_deg))
    return candidates[int(np.argmin(dist))]


def _lookup_system(name: str | None) -> System | None:
    if name is None:
        return None
    try:
        from reachmap.data.catalog import system as lookup
    except ImportError as err:  # pragma: no cover - the catalog ships with the package
        raise InputError("--system needs the catalog, which is missing from this build") from err
    return lookup(name)


def _json_row(row: FlightRow, route: Route) -> dict[str, Any]:
    """A row's JSON; with --from/--to it starts with the place flown to, with --time it
    ends with the fit."""
    data = row.to_json()
    if route.target is not None:
        data = {"to": route.target, **data}
    if route.fit is not None:
        data["time_fit"] = route.fit.to_json()
    return data


def _check_time(
    time: str | None,
    system: System | None,
    profile: str | None,
    apogee_m: float | None,
    rotating: bool,
) -> float | None:
    if time is None:
        return None
    if profile is not None or apogee_m is not None or rotating:
        raise InputError(
            "--time finds the profile itself: drop --profile, --apogee and --rotating-earth"
        )
    if system is None or system.propulsion != "ballistic":
        raise InputError(
            "--time needs a ballistic --system (cruise and glide systems fly at "
            "their catalog speed: see the time column)"
        )
    return parse_duration_s(time, what="time")


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
    data = _json_row(row, route)
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
    rows: list[FlightRow],
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
        note = profile_note(row.profile, system, route.apogee_m)
        if note is not None:
            print_prose(console, note + ".", "  ")
    notes = [f"  {row.profile}: {note}" for row in rows for note in row.notes]
    for line in ["Notes:", *notes] if notes else []:
        print_prose(console, line, "    ")
    for line in _assumption_lines(rows, route):
        print_prose(console, line, "    ")


def _assumption_lines(rows: list[FlightRow], route: Route) -> list[str]:
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
