"""Flight times for reach tables, and the checks of a profile name for a system.

:func:`flight_time_s` is the vectorised total flight time (boost included) per
ground range of one catalog system and profile: the column behind ``reach``,
``compare`` and the isochrones. The per-profile rows of ``reachmap flight``, with
apogee, burnout speed and notes, are in :mod:`reachmap.flight.report`; both use
the helpers here to say which profiles a system has and what speed it flies at.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from reachmap.errors import InputError
from reachmap.flight import kepler
from reachmap.flight.boost import BoostModel, boost_for, cite_sources
from reachmap.flight.kepler import HALF_CIRCUMFERENCE_M, FloatArray
from reachmap.flight.scaled_boost import min_energy_boost
from reachmap.units import length_label

if TYPE_CHECKING:
    from reachmap.data.catalog import System

__all__ = [
    "BALLISTIC_PROFILES",
    "OWN_PROFILE",
    "branch",
    "check_profile",
    "cruise_speed_mps",
    "energy_error",
    "energy_speed_mps",
    "flight_time_s",
    "own_profile",
    "profile_note",
    "propulsion",
    "valid_profiles",
]

#: Profiles of a ballistic missile; ``all`` asks for every profile of the system.
BALLISTIC_PROFILES = ("min-energy", "lofted", "depressed")
#: The one profile of a system that is not ballistic, by propulsion.
OWN_PROFILE = {"cruise": "cruise", "glide": "glide"}


def propulsion(system: System | None) -> str:
    """``ballistic``, ``cruise`` or ``glide``; no system is a ballistic free flight."""
    return "ballistic" if system is None else system.propulsion


def own_profile(system: System | None) -> str:
    """The profile a system flies unless told otherwise: min-energy for ballistic
    missiles (and no system), cruise or glide for the others."""
    return OWN_PROFILE.get(propulsion(system), "min-energy")


def valid_profiles(system: System | None) -> tuple[str, ...]:
    """The profile names ``system`` has (without ``all``)."""
    kind = propulsion(system)
    return (OWN_PROFILE[kind],) if kind in OWN_PROFILE else BALLISTIC_PROFILES


def check_profile(profile: str, system: System | None) -> None:
    """Raise :class:`InputError`, listing the valid ones, if ``system`` has no such profile."""
    valid = valid_profiles(system)
    if profile not in valid:
        what = (
            f"{system.name} ({system.propulsion})" if system is not None else "a ballistic flight"
        )
        raise InputError(
            f"unknown profile {profile!r} for {what}; use one of: {', '.join((*valid, 'all'))}"
        )


def branch(profile: str) -> kepler.Branch:
    """The Kepler branch of a lofted or depressed profile."""
    return "lofted" if profile == "lofted" else "depressed"


def energy_speed_mps(system: System, boost: BoostModel) -> float:
    """Burnout speed of the minimum-energy arc to the system's maximum range."""
    ff = system.range_m.high - boost.burnout_downrange_m
    return float(kepler.min_energy(ff, boost.burnout_altitude_m).speed_mps)


def cruise_speed_mps(system: System) -> tuple[float, float]:
    """Slowest and fastest catalog speed; NaN when the catalog gives none."""
    if system.speed_mps is None:
        return math.nan, math.nan
    return system.speed_mps.low, system.speed_mps.high


def energy_error(range_m: float, system: System | None) -> str | None:
    """Why ``system`` cannot fly ``range_m`` at all (beyond its energy), or None."""
    if system is None or range_m <= system.range_m.high:
        return None
    what = "energy" if system.propulsion == "ballistic" else "range"
    return (
        f"{range_m / 1e3:,.0f} km is beyond the {what} of {system.name}: its maximum "
        f"reported range is {system.range_m.high / 1e3:,.0f} km "
        f"({cite_sources(system.range_m.sources)})"
    )


def profile_note(
    profile: str | None, system: System | None, apogee_m: float | None = None, unit: str = "km"
) -> str | None:
    """One line on what a lofted or depressed time means, so that the extreme default is
    not read as a normal flight (None for the other profiles); lengths in ``unit`` (km,
    mi, nmi).

    >>> from reachmap.data.catalog import system
    >>> print(profile_note("depressed", system("oreshnik")))  # doctest: +NORMALIZE_WHITESPACE
    depressed: the flattest arc at Oreshnik's full energy (5,691 m/s, as on its 5,500 km
    maximum-range flight): the fastest flight at that energy, an extreme bound, not a
    normal flight
    >>> print(profile_note("lofted", system("oreshnik"), 2_111e3, "mi"))
    lofted: the arc through a 1,312 mi apogee with the full boost, a chosen loft (slower \
than minimum energy)
    """
    if profile == "lofted" and apogee_m is not None:
        return (
            f"lofted: the arc through a {length_label(apogee_m, unit)} apogee with the full "
            "boost, "
            "a chosen loft (slower than minimum energy)"
        )
    if profile not in ("lofted", "depressed") or system is None:
        return None
    if propulsion(system) != "ballistic":
        return None
    speed = energy_speed_mps(system, boost_for(system))
    shape, extreme = ("steepest", "slowest") if profile == "lofted" else ("flattest", "fastest")
    return (
        f"{profile}: the {shape} arc at {system.name}'s full energy ({speed:,.0f} m/s, as on "
        f"its {length_label(system.range_m.high, unit)} maximum-range flight): the {extreme} "
        "flight "
        "at that energy, an extreme bound, not a normal flight"
    )


def time_label(profile: str | None, system: System | None) -> str:
    """What a time column holds, for the line under a table.

    >>> print(time_label("min-energy", None))  # doctest: +NORMALIZE_WHITESPACE
    textbook min-energy flight time (free flight from the surface, no boost; --system
    adds a system's boost and range)
    """
    if system is None:
        return (
            f"textbook {profile} flight time (free flight from the surface, no boost; "
            "--system adds a system's boost and range)"
        )
    return f"{system.name}'s {profile} flight time, boost included (`reachmap flight`)"


def _apogee_error(profile: str, system: System | None) -> str | None:
    if profile != "lofted":
        return "`apogee_m` defines a lofted path; use it with `profile` lofted (or drop `apogee_m`)"
    if propulsion(system) != "ballistic":
        return "`apogee_m` is for ballistic missiles; this system flies at constant speed"
    return None


def flight_time_s(
    range_m: ArrayLike,
    system: System | None,
    profile: str | None = None,
    apogee_m: float | None = None,
) -> FloatArray:
    """Total flight time (boost included) for each ground range; NaN where not valid.

    ``profile`` defaults to the system's own: ``min-energy`` for ballistic
    missiles, ``cruise``/``glide`` for the others (fastest catalog speed).
    ``min-energy`` with a class-default boost flies the boost scaled to each
    range (:func:`~reachmap.flight.scaled_boost.min_energy_boost`). Ranges beyond the
    system's maximum, shorter than the boost downrange (lofted, depressed, glide,
    catalog boosts) or than :data:`~reachmap.flight.scaled_boost.MIN_SCALED_RANGE_M`
    (range-scaled min-energy) are NaN, and so is every range of a cruise or glide
    system without a catalog speed.

    With ``apogee_m`` (profile ``lofted``) each range is flown through that apogee with
    the full boost, as ``reachmap flight --apogee`` does: NaN where the apogee is below
    the range's minimum-energy apogee or needs more burnout speed than the system's
    maximum-range arc.

    >>> flight_time_s([1_000e3, 25_000e3], None).round(1).tolist()
    [474.4, nan]
    """
    rng = np.asarray(range_m, dtype=np.float64)
    kind = propulsion(system)
    name = profile or ("lofted" if apogee_m is not None else own_profile(system))
    check_profile(name, system)
    if apogee_m is not None and (problem := _apogee_error(name, system)) is not None:
        raise InputError(problem)
    with np.errstate(invalid="ignore"):
        in_reach = (rng > 0) & (rng <= HALF_CIRCUMFERENCE_M)
        if system is not None:
            in_reach &= rng <= system.range_m.high
    if system is not None and kind == "cruise":
        return np.where(in_reach, rng / cruise_speed_mps(system)[1], np.nan)
    boost = boost_for(system)
    ff = rng - boost.burnout_downrange_m
    if system is not None and kind == "glide":
        glide = np.where(ff > 0, ff, np.nan) / cruise_speed_mps(system)[1]
        return np.where(in_reach, boost.burn_time_s + glide, np.nan)
    h = boost.burnout_altitude_m
    if name == "min-energy" and boost.scales_to_range:
        scaled = min_energy_boost(rng, boost)
        arc = kepler.min_energy(rng - scaled.burnout_downrange_m, scaled.burnout_altitude_m)
        ok = in_reach & scaled.valid & arc.valid
        return np.where(ok, scaled.burn_time_s + arc.time_s, np.nan)
    if apogee_m is not None:
        return np.where(
            in_reach, boost.burn_time_s + _through_apogee_s(ff, apogee_m, h, system, boost), np.nan
        )
    if name == "min-energy":
        arc = kepler.min_energy(ff, h)
    elif system is None:
        raise InputError(f"profile {name!r} needs a `system`: its maximum range sets the speed")
    else:
        arc = kepler.fixed_speed(ff, energy_speed_mps(system, boost), branch(name), h)
    return np.where(in_reach & arc.valid, boost.burn_time_s + arc.time_s, np.nan)


def _through_apogee_s(
    ff: FloatArray, apogee_m: float, h: float, system: System | None, boost: BoostModel
) -> FloatArray:
    """Free-flight time through ``apogee_m`` per free-flight range; NaN where that apogee
    is below the minimum-energy one or needs more speed than the system has (the same
    bounds as :func:`reachmap.flight.report.flight_rows`)."""
    arc = kepler.through_apogee(ff, apogee_m, h)
    lowest = kepler.min_energy(ff, h).apogee_m
    with np.errstate(invalid="ignore"):
        ok = arc.valid & (apogee_m >= lowest * (1 - 1e-12))
        if system is not None:
            ok &= arc.speed_mps <= energy_speed_mps(system, boost) * (1 + 1e-9)
    return np.where(ok, arc.time_s, np.nan)
