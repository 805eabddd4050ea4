"""The rows behind ``reachmap flight``: one :class:`FlightRow` per trajectory profile.

This is the layer over :mod:`reachmap.flight.kepler` (Kepler free flight),
:mod:`reachmap.flight.rotating` (rotating Earth), :mod:`reachmap.flight.boost` and
:mod:`reachmap.flight.scaled_boost` (the boost phase) and the catalog. It decides,
per system, which burnout speed and boost phase apply:

* **ballistic**: boost phase (catalog ``Boost``, else the class default in
  :data:`~reachmap.flight.boost.DEFAULT_BOOST`) then a Kepler arc from the burnout
  point (altitude and downrange of the boost) to the surface. ``min-energy`` is
  the cheapest arc for the distance, and with a class default its boost is scaled
  to the distance (:func:`~reachmap.flight.scaled_boost.min_energy_boost`: a shorter
  burn for a shorter flight, a model assumption); ``lofted`` and ``depressed`` keep the
  full boost and are the two arcs flown at the burnout speed of the
  minimum-energy arc to the system's maximum range (the high catalog estimate),
  or, for ``lofted`` with an apogee, the arc through that apogee;
* **cruise**: constant speed along the geodesic (catalog ``speed_mps``);
* **glide**: boost phase, then constant speed at the catalog glide speed (a
  documented approximation of a hypersonic glide).

Rows are frozen dataclasses in SI units; :meth:`FlightRow.to_json` gives the
DESIGN JSON shape. Vectorised times for reach tables are in
:mod:`reachmap.flight.times`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from reachmap.errors import InputError
from reachmap.flight import kepler
from reachmap.flight.boost import BoostModel, boost_for, cite_sources
from reachmap.flight.kepler import ATMOSPHERE_TOP_M, HALF_CIRCUMFERENCE_M, Trajectory
from reachmap.flight.rotating import RotatingSpec, rotating_max_range_m, solve_rotating
from reachmap.flight.scaled_boost import scaled_boost_model
from reachmap.flight.times import (
    OWN_PROFILE,
    branch,
    check_profile,
    cruise_speed_mps,
    energy_error,
    energy_speed_mps,
    propulsion,
    valid_profiles,
)
from reachmap.numeric import finite_or_none

if TYPE_CHECKING:
    from reachmap.data.catalog import System

__all__ = [
    "ATMOSPHERE_NOTE",
    "DESCENDING_NOTE",
    "Assumptions",
    "FlightRow",
    "NonRotating",
    "RotatingEarth",
    "flight_rows",
]

ATMOSPHERE_NOTE = "apogee in the atmosphere: outside the vacuum model"
DESCENDING_NOTE = (
    "heads down from burnout: a real depressed flight would burn out lower and flatter "
    "than the fixed boost geometry assumes"
)
EARTH_MODEL = "spherical Earth R = 6,371 km, mu = 3.986004418e14 m^3/s^2, vacuum (no drag, no lift)"
_NAN = math.nan


@dataclass(frozen=True)
class Assumptions:
    """What a row assumes, in words and numbers; None fields are left out of the JSON.

    ``boost`` is the system's full boost (catalog or class default, with its
    sources); ``energy`` says which burnout speed lofted and depressed fly;
    ``speed`` and ``glide`` describe constant-speed flight;
    ``max_range_this_azimuth_m`` is the system's maximum range along the route's
    launch azimuth on the rotating Earth.
    """

    earth: str
    boost: BoostModel | None = None
    energy: str | None = None
    speed: str | None = None
    glide: str | None = None
    max_range_this_azimuth_m: float | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"earth": self.earth}
        if self.speed is not None:
            out["speed"] = self.speed
        if self.boost is not None:
            out["boost"] = self.boost.to_json()
        if self.energy is not None:
            out["energy"] = self.energy
        if self.glide is not None:
            out["glide"] = self.glide
        if self.max_range_this_azimuth_m is not None:
            out["max_range_this_azimuth_km"] = finite_or_none(self.max_range_this_azimuth_m / 1e3)
        return out


@dataclass(frozen=True)
class NonRotating:
    """The numbers of a row before the rotating-Earth model replaced them."""

    time_s: float
    free_flight_time_s: float
    apogee_m: float
    burnout_speed_mps: float

    def to_json(self) -> dict[str, Any]:
        return {
            "time_s": finite_or_none(self.time_s),
            "free_flight_time_s": finite_or_none(self.free_flight_time_s),
            "apogee_km": finite_or_none(self.apogee_m / 1e3),
            "burnout_speed_mps": finite_or_none(self.burnout_speed_mps),
        }


@dataclass(frozen=True)
class RotatingEarth:
    """A row's rotating-Earth extras: route on the sphere, azimuth, inertial speed.

    For minimum energy, ``equivalent_nonrotating_range_m`` is what the same
    burnout speed reaches without rotation and ``range_change_pct`` the change.
    """

    sphere_distance_m: float
    azimuth_deg: float  # Earth-relative heading of the burnout velocity, at burnout
    inertial_speed_mps: float
    nonrotating: NonRotating
    equivalent_nonrotating_range_m: float | None = None
    range_change_pct: float | None = None
    route: RotatingSpec | None = None  # launch and target on the sphere (lon, lat)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "sphere_distance_km": finite_or_none(self.sphere_distance_m / 1e3),
            "azimuth_deg": finite_or_none(self.azimuth_deg),
            "inertial_speed_mps": finite_or_none(self.inertial_speed_mps),
            "nonrotating": self.nonrotating.to_json(),
        }
        if self.route is not None:  # with the row's state: enough to fly it again
            out["launch_lon_deg"] = self.route.launch_lon_deg
            out["launch_lat_deg"] = self.route.launch_lat_deg
            out["target_lon_deg"] = self.route.target_lon_deg
            out["target_lat_deg"] = self.route.target_lat_deg
        if self.equivalent_nonrotating_range_m is not None:
            out["equivalent_nonrotating_range_km"] = finite_or_none(
                self.equivalent_nonrotating_range_m / 1e3
            )
            out["range_change_pct"] = finite_or_none(self.range_change_pct)
        return out


@dataclass(frozen=True)
class FlightRow:
    """One profile flown over one ground range; numbers are NaN where ``valid`` is False.

    ``boost`` is the boost this row flies (``scaled_to_range`` for the
    range-scaled minimum-energy boost); ``time_s`` is boost plus free flight.
    ``speed_mps`` (fastest catalog speed) and ``time_slow_s`` (at the slowest)
    are set for cruise and glide rows only, ``rotating_earth`` under the
    rotating-Earth model only.
    """

    profile: str
    ground_range_m: float
    boost: BoostModel
    assumptions: Assumptions
    scaled_to_range: bool = False
    time_s: float = _NAN
    free_flight_time_s: float = _NAN
    apogee_m: float = _NAN
    burnout_speed_mps: float = _NAN
    path_angle_deg: float = _NAN
    valid: bool = False
    notes: tuple[str, ...] = ()
    speed_mps: float | None = None
    time_slow_s: float | None = None
    rotating_earth: RotatingEarth | None = None

    @property
    def boost_time_s(self) -> float:
        return self.boost.burn_time_s

    def to_json(self) -> dict[str, Any]:
        """The DESIGN JSON shape (``profile, ground_range_km, time_s, free_flight_time_s,
        apogee_km, burnout_speed_mps, path_angle_deg, valid, notes``) plus
        ``boost_time_s``, ``boost``, ``assumptions`` and the optional fields; km, and
        None for NaN."""
        out: dict[str, Any] = {
            "profile": self.profile,
            "ground_range_km": finite_or_none(self.ground_range_m / 1e3),
            "time_s": finite_or_none(self.time_s),
            "boost_time_s": finite_or_none(self.boost.burn_time_s),
            "boost": {
                "burn_time_s": finite_or_none(self.boost.burn_time_s),
                "burnout_altitude_km": finite_or_none(self.boost.burnout_altitude_m / 1e3),
                "burnout_downrange_km": finite_or_none(self.boost.burnout_downrange_m / 1e3),
                "scaled_to_range": self.scaled_to_range,
            },
            "free_flight_time_s": finite_or_none(self.free_flight_time_s),
            "apogee_km": finite_or_none(self.apogee_m / 1e3),
            "burnout_speed_mps": finite_or_none(self.burnout_speed_mps),
            "path_angle_deg": finite_or_none(self.path_angle_deg),
            "valid": self.valid,
            "notes": list(self.notes),
            "assumptions": self.assumptions.to_json(),
        }
        if self.speed_mps is not None:
            out["speed_mps"] = finite_or_none(self.speed_mps)
            out["time_slow_s"] = finite_or_none(self.time_slow_s)
        if self.rotating_earth is not None:
            out["rotating_earth"] = self.rotating_earth.to_json()
        return out


def flight_rows(
    range_m: float,
    system: System | None,
    profiles: Sequence[str],
    *,
    apogee_m: float | None = None,
    rotating: RotatingSpec | None = None,
) -> list[FlightRow]:
    """One row per profile for a ground range (and optionally a rotating-Earth route).

    ``profiles`` are names of :func:`~reachmap.flight.times.valid_profiles` or
    ``all``; the minimum-energy row of a class default flies the boost scaled to
    the range (:func:`~reachmap.flight.scaled_boost.min_energy_boost`). Configuration
    errors (an unknown profile, a distance beyond half the circumference,
    ``apogee_m`` with a non-lofted profile or below the minimum-energy apogee)
    raise :class:`InputError`; a distance the system cannot fly gives invalid rows
    with the reason in ``notes``.

    >>> [round(r.time_s / 60, 1) for r in flight_rows(1_000e3, None, ["min-energy"])]
    [7.9]
    """
    _check_range(range_m)
    names = _expand(profiles, system, apogee_m)
    if system is not None and propulsion(system) in OWN_PROFILE:
        return [_constant_speed_row(range_m, system)]
    full = boost_for(system)
    speed = energy_speed_mps(system, full) if system is not None else None
    scaled, problem = scaled_boost_model(range_m, full) if "min-energy" in names else (full, None)
    shown = scaled if full.scales_to_range and "min-energy" in names else None
    assumptions = _assumptions(system, full, speed, rotating, shown)
    rows = []
    for name in names:
        boost = scaled if name == "min-energy" else full
        ff = range_m - boost.burnout_downrange_m
        h = boost.burnout_altitude_m
        row = FlightRow(name, range_m, boost, assumptions, scaled_to_range=boost is not full)
        if name == "min-energy" and problem is not None:
            row = _failed(row, problem)
        elif ff <= 0:
            row = _failed(row, _inside_boost(boost))
        elif (reason := energy_error(range_m, system)) is not None:
            row = _failed(row, reason)
        elif name == "min-energy":
            row = _filled(row, kepler.min_energy(ff, h))
        elif name == "lofted" and apogee_m is not None:
            row = _filled(row, _through_apogee(ff, apogee_m, h, range_m))
            if speed is not None and row.valid and row.burnout_speed_mps > speed * (1 + 1e-9):
                row = _failed(
                    row,
                    f"needs more burnout speed than {system.name if system else ''}'s "
                    f"maximum-range arc ({speed:,.0f} m/s)",
                )
        elif speed is None:  # "all" without a system (explicit profiles raise in _expand).
            # The note names flags; it is part of the JSON of `reachmap flight`, kept as it was.
            row = _failed(
                row, "no burnout speed: give --system (its maximum range sets it) or --apogee"
            )
        else:
            row = _filled(row, kepler.fixed_speed(ff, speed, branch(name), h))
        if rotating is not None and row.valid:
            row = _rotated(row, rotating, row.burnout_speed_mps if name != "min-energy" else None)
        rows.append(row)
    return rows


def _check_range(range_m: float) -> None:
    if not (math.isfinite(range_m) and range_m > 0):
        raise InputError(f"distance must be a positive number of km, got {range_m / 1e3:g} km")
    if range_m >= HALF_CIRCUMFERENCE_M:
        raise InputError(
            f"distance {range_m / 1e3:,.0f} km is not shorter than half the Earth's circumference "
            f"({HALF_CIRCUMFERENCE_M / 1e3:,.0f} km): the other way round is shorter; "
            f"give less than {HALF_CIRCUMFERENCE_M / 1e3:,.0f} km"
        )


def _expand(profiles: Sequence[str], system: System | None, apogee_m: float | None) -> list[str]:
    names: list[str] = []
    for p in profiles or ["all"]:
        for name in valid_profiles(system) if p == "all" else (p,):
            check_profile(name, system)
            if name not in names:
                names.append(name)
    if apogee_m is not None and names != ["lofted"]:
        raise InputError(
            "`apogee_m` defines a lofted path; use it with `profile` lofted (or drop `apogee_m`)"
        )
    explicit = "all" not in profiles
    if system is None and apogee_m is None and explicit:
        for name in names:
            if name in ("lofted", "depressed"):
                raise InputError(
                    f"profile {name!r} needs a burnout speed: give `system` (its maximum "
                    "range sets the speed) or, for a lofted path, `apogee_m`"
                )
    return names


def _through_apogee(ff: float, apogee_m: float, h: float, range_m: float) -> Trajectory:
    lowest = float(kepler.min_energy(ff, h).apogee_m)
    if not apogee_m >= lowest * (1 - 1e-12):
        raise InputError(
            f"apogee {apogee_m / 1e3:,.0f} km is too low for a lofted path over "
            f"{range_m / 1e3:,.0f} km: the minimum-energy apogee is {lowest / 1e3:,.0f} km; "
            f"give `apogee_m` of {math.ceil(lowest / 1e3):,} km or more"
        )
    return kepler.through_apogee(ff, apogee_m, h)


def _inside_boost(boost: BoostModel) -> str:
    return f"shorter than the boost phase's {boost.burnout_downrange_m / 1e3:,.0f} km downrange"


_NUMBERS = ("time_s", "free_flight_time_s", "apogee_m", "burnout_speed_mps", "path_angle_deg")


def _failed(row: FlightRow, note: str) -> FlightRow:
    """The row made invalid: no numbers, and the reason among its notes."""
    blank: dict[str, Any] = dict.fromkeys(_NUMBERS, _NAN)
    return replace(row, valid=False, notes=(*row.notes, note), **blank)


def _filled(row: FlightRow, arc: Trajectory) -> FlightRow:
    if not bool(arc.valid):
        return _failed(row, "no Kepler arc reaches this distance at this burnout speed")
    ff_time = float(arc.time_s)
    apogee = float(arc.apogee_m)
    notes = row.notes
    if apogee < ATMOSPHERE_TOP_M:
        notes = (*notes, ATMOSPHERE_NOTE)
    if float(arc.gamma_rad) < 0:
        notes = (*notes, DESCENDING_NOTE)
    return replace(
        row,
        time_s=row.boost.burn_time_s + ff_time,
        free_flight_time_s=ff_time,
        apogee_m=apogee,
        burnout_speed_mps=float(arc.speed_mps),
        path_angle_deg=math.degrees(float(arc.gamma_rad)),
        valid=True,
        notes=notes,
    )


def _rotated(row: FlightRow, spec: RotatingSpec, speed: float | None) -> FlightRow:
    """The row with the rotating-Earth arc's numbers; the non-rotating ones kept aside."""
    boost = row.boost
    sol = solve_rotating(spec, speed_mps=speed, branch=branch(row.profile), boost=boost)
    nonrotating = NonRotating(
        row.time_s, row.free_flight_time_s, row.apogee_m, row.burnout_speed_mps
    )
    extra = RotatingEarth(
        sol.distance_m, sol.azimuth_deg, sol.inertial_speed_mps, nonrotating, route=spec
    )
    if not sol.valid:
        failed = _failed(row, "on the rotating Earth this burnout speed does not reach the target")
        return replace(failed, rotating_earth=extra)
    if speed is None:  # minimum energy: what the same burnout speed reaches without rotation
        equiv = float(kepler.max_range_m(sol.speed_mps, boost.burnout_altitude_m))
        equiv += boost.burnout_downrange_m
        extra = replace(
            extra,
            equivalent_nonrotating_range_m=equiv,
            range_change_pct=(sol.distance_m / equiv - 1.0) * 100.0,
        )
    notes = tuple(n for n in row.notes if n != ATMOSPHERE_NOTE)
    if sol.apogee_m < ATMOSPHERE_TOP_M:
        notes = (*notes, ATMOSPHERE_NOTE)
    return replace(
        row,
        time_s=sol.time_s,
        free_flight_time_s=sol.free_flight_time_s,
        apogee_m=sol.apogee_m,
        burnout_speed_mps=sol.speed_mps,
        path_angle_deg=math.degrees(sol.gamma_rad),
        notes=notes,
        rotating_earth=extra,
    )


def _assumptions(
    system: System | None,
    boost: BoostModel,
    speed: float | None,
    rotating: RotatingSpec | None,
    scaled: BoostModel | None = None,
) -> Assumptions:
    earth = EARTH_MODEL + (
        ", rotating (omega = 7.2921159e-5 rad/s)" if rotating else ", non-rotating"
    )
    if system is None or speed is None:
        return Assumptions(earth, boost)
    lead = ""
    if scaled is not None and boost.reference_range_m is not None:
        numbers = (
            f": {scaled.burn_time_s:,.0f} s burn, burnout at "
            f"{scaled.burnout_altitude_m / 1e3:,.0f} km altitude, "
            f"{scaled.burnout_downrange_m / 1e3:,.0f} km downrange"
            if math.isfinite(scaled.burn_time_s)
            else ""
        )
        lead = (
            "min-energy burns only what this range needs: its boost is the class default "
            "scaled to the range (model assumption, not catalog fact)"
            f"{numbers}; burn time in proportion to the burnout speed, "
            f"{boost.burn_time_s:g} s at {boost.reference_range_m / 1e3:,.0f} km "
            "(docs/flight.md, 'Range-scaled boost'). Lofted/depressed keep the full "
            f"{boost.burn_time_s:g} s boost and "
        )
    energy = (
        (lead or "lofted/depressed ")
        + f"fly at {speed:,.0f} m/s, the burnout speed of the minimum-energy "
        "arc "
        f"to {system.name}'s maximum range {system.range_m.high / 1e3:,.0f} km "
        f"({cite_sources(system.range_m.sources)})"
    )
    longest = None
    if rotating is not None:  # along the launch -> target azimuth
        longest = float(
            rotating_max_range_m(
                rotating.launch_lat_deg, rotating.azimuth_deg(), speed, boost=boost
            )
        )
    return Assumptions(earth, boost, energy, max_range_this_azimuth_m=longest)


def _constant_speed_row(range_m: float, system: System) -> FlightRow:
    kind = system.propulsion
    slow, fast = cruise_speed_mps(system)
    boost = boost_for(system) if kind == "glide" else BoostModel(0.0, 0.0, 0.0, "none")
    cruise_m = range_m - boost.burnout_downrange_m
    assumptions = Assumptions(
        earth="constant Earth-relative speed along the geodesic (Earth rotation does not apply)",
        speed=(
            f"{slow:,.0f}-{fast:,.0f} m/s ({cite_sources(system.speed_mps.sources)})"
            if system.speed_mps is not None
            else "none in the catalog"
        ),
        boost=boost if kind == "glide" else None,
        glide=(
            "hypersonic glide approximated as boost + constant speed (no pull-up, no bleed-off)"
            if kind == "glide"
            else None
        ),
    )
    row = FlightRow(kind, range_m, boost, assumptions, speed_mps=fast, time_slow_s=_NAN)
    if math.isnan(fast):
        return _failed(
            row, f"the catalog gives no speed for {system.name}, so its flight time is unknown"
        )
    if cruise_m <= 0:
        return _failed(row, _inside_boost(boost))
    if (reason := energy_error(range_m, system)) is not None:
        return _failed(row, reason)
    slow_s = boost.burn_time_s + cruise_m / slow
    return replace(
        row,
        time_s=boost.burn_time_s + cruise_m / fast,
        free_flight_time_s=cruise_m / fast,
        time_slow_s=slow_s,
        valid=True,
        notes=(f"at the fastest catalog speed; {slow_s / 60:,.1f} min at {slow:,.0f} m/s",),
    )
