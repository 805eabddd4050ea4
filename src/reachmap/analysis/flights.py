"""``flight``: flight time, apogee and burnout speed per trajectory profile, for a ground
range or from a launch area to named places, as the user asked for it (``distance``,
``from``/``to``, ``system``, ``profile``, ``apogee``, ``time``, ``rotating_earth``).

The command line (``reachmap flight``) and the web API (``/api/flight``) both call
:func:`plan_flights` and print :meth:`Flights.to_json`; each row comes from
:func:`reachmap.flight.report.flight_rows`.

>>> row = plan_flights(distance="1000", profile="min-energy").to_json()[0]
>>> row["profile"], round(row["time_s"] / 60, 1), round(row["apogee_km"])  # DESIGN.md
('min-energy', 7.9, 240)
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from reachmap.errors import InputError, TooLarge, about
from reachmap.flight.fit import TimeFit, fit_time
from reachmap.flight.report import FlightRow, flight_rows
from reachmap.flight.rotating import RotatingSpec
from reachmap.flight.times import energy_error
from reachmap.units import parse_duration_s, parse_length_m

if TYPE_CHECKING:
    from reachmap.area import Area
    from reachmap.data.catalog import System

__all__ = ["MAX_TARGETS", "Flights", "Route", "plan_flights"]

#: ``to`` places in one call (each is a separate flight; ``reach`` tables many places).
MAX_TARGETS = 100


@dataclass(frozen=True)
class Route:
    """What is flown: a ground range, and the end points when known."""

    distance_m: float
    label: str
    rotating: RotatingSpec | None = None
    target: str | None = None  # the place's name, for from/to
    fit: TimeFit | None = None  # with a time: which profile takes that long
    apogee_m: float | None = None  # the lofted row flies through this apogee


@dataclass(frozen=True)
class Flights:
    """The routes flown, each with its rows (one per profile), and the system."""

    flights: tuple[tuple[Route, tuple[FlightRow, ...]], ...]
    system: System | None
    by_distance: bool  # asked for a distance (no places)

    def to_json(self) -> list[dict[str, Any]]:
        """One object per route and profile (DESIGN.md's ``flight`` JSON)."""
        return [json_row(r, route) for route, rows in self.flights for r in rows]


def plan_flights(
    distance: str | None = None,
    from_: str | Area | None = None,
    to: list[str] | tuple[str, ...] = (),
    system: str | None = None,
    profile: str | None = None,
    apogee: str | None = None,
    time: str | None = None,
    rotating_earth: bool = False,
) -> Flights:
    """Fly what was asked: ``distance`` (text, km unless a unit is given), or from
    ``from_`` to each place in ``to``; ``profile`` min-energy, lofted, depressed or all."""
    routes = _routes(distance, from_, list(to), rotating_earth)
    chosen = _lookup_system(system)
    with about("apogee"):
        apogee_m = parse_length_m(apogee, what="apogee") if apogee is not None else None
    profiles = [profile] if profile else (["lofted"] if apogee_m is not None else ["all"])
    time_s = _check_time(time, chosen, profile, apogee_m, rotating_earth)
    flights = []
    for route in routes:
        if (reason := energy_error(route.distance_m, chosen)) is not None:
            to_where = f" ({route.label})" if route.label else ""
            err = InputError(f"{reason}{to_where}; give a shorter distance or another `system`")
            err.param = "distance" if distance is not None else "to"
            raise err
        fit = None
        flown, through = profiles, apogee_m  # each route its own fit (several `to`)
        if time_s is not None and chosen is not None:
            fit = fit_time(route.distance_m, chosen, time_s)
            if fit.apogee_m is not None:
                flown, through = ["lofted"], fit.apogee_m
        with about("profile"):
            rows = flight_rows(
                route.distance_m, chosen, flown, apogee_m=through, rotating=route.rotating
            )
        flights.append((replace(route, fit=fit, apogee_m=through), tuple(rows)))
    return Flights(tuple(flights), chosen, distance is not None)


def _routes(
    distance: str | None, from_: str | Area | None, to: list[str], rotating: bool
) -> list[Route]:
    if distance is not None and (from_ is not None or to):
        raise InputError("give either `distance` or `from`/`to`, not both")
    if distance is not None:
        if rotating:
            raise InputError(
                "`rotating_earth` needs a launch point and a target: "
                "use `from` LAT,LON `to` PLACE instead of `distance`"
            )
        with about("distance"):
            return [Route(parse_length_m(distance, what="distance"), "")]
    if from_ is None or not to:
        raise InputError(
            "give `distance` R (e.g. 790 or 790km), or both `from` AREA and `to` PLACE"
        )
    if len(to) > MAX_TARGETS:
        raise TooLarge(f"{len(to)} `to` places: give at most {MAX_TARGETS} (use `reach` for more)")
    import reachmap

    with about("from"):
        area = reachmap.area(from_)
    with about("to"):
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
    from reachmap.data.catalog import system as lookup

    with about("system"):
        return lookup(name)


def json_row(row: FlightRow, route: Route) -> dict[str, Any]:
    """A row's JSON; with from/to it starts with the place flown to, with a time it
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
    with about("time"):
        if profile is not None or apogee_m is not None or rotating:
            raise InputError(
                "`time` finds the profile itself: drop `profile`, `apogee` and `rotating_earth`"
            )
        if system is None or system.propulsion != "ballistic":
            raise InputError(
                "`time` needs a ballistic `system` (cruise and glide systems fly at "
                "their catalog speed: see the time column)"
            )
        return parse_duration_s(time, what="time")
