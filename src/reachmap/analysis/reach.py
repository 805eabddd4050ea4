"""Reach tables: which places lie within a range of a launch area.

A range comes either from ``--range`` (one number) or from a catalog system,
whose low and high estimates split places into "within" (<= low) and
"possibly within" (only <= high). Distances are exact WGS84 geodesic distances
to the nearest point of the area (:meth:`reachmap.area.Area.distance_m`).

This module describes geography; it never ranks places by anything but
distance and never recommends anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
from numpy.typing import NDArray

from reachmap.area import Area
from reachmap.data import catalog
from reachmap.data.catalog import System
from reachmap.errors import InputError
from reachmap.places import Places, population_total
from reachmap.units import length_label

WITHIN = "within"
POSSIBLY = "possibly within"
BEYOND = "beyond"


@dataclass(frozen=True)
class RangeSpec:
    """The range used: low/high estimate in metres and where it came from."""

    low_m: float
    high_m: float
    system: System | None = None

    @classmethod
    def from_args(cls, system: str | None, range_m: float | None) -> RangeSpec:
        """The range of catalog ``system`` (low and high estimate), or ``range_m``."""
        if system is None and range_m is None:
            raise InputError("no range given: give `system` (a catalog entry) or `range_m`")
        if system is not None and range_m is not None:
            raise InputError("give either `system` or `range_m`, not both")
        if range_m is not None:
            return cls(range_m, range_m)
        sys_ = catalog.system(str(system))
        return cls(sys_.range_m.low, sys_.range_m.high, sys_)

    @property
    def label(self) -> str:
        return self.label_in("km")

    def label_in(self, unit: str) -> str:
        """The range as a label in ``unit`` (km, mi, nmi), e.g. "Oreshnik: 5,000–5,500 km"."""
        if self.low_m == self.high_m:
            rng = length_label(self.high_m, unit)
        else:
            low, high = length_label(self.low_m, unit), length_label(self.high_m, unit)
            rng = f"{low.rsplit(' ', 1)[0]}–{high}"
        return f"{self.system.name}: {rng}" if self.system else rng

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"low_km": self.low_m / 1000, "high_km": self.high_m / 1000}
        if self.system is not None:
            out["system"] = self.system.id
            out["system_name"] = self.system.name
            out["note"] = self.system.range_m.note
            out["sources"] = [s.as_json() for s in self.system.range_m.sources]
        return out


@dataclass(frozen=True)
class ReachResult:
    """Distances from an area to a set of places, and their status."""

    area: Area
    range: RangeSpec
    targets: Places
    distance_m: NDArray[np.float64]
    flight_time_s: NDArray[np.float64] | None = None
    flight_profile: str | None = None
    flight_apogee_m: float | None = None  # a lofted profile through this apogee

    @cached_property
    def status(self) -> NDArray[np.str_]:
        d = self.distance_m
        return np.where(
            d <= self.range.low_m, WITHIN, np.where(d <= self.range.high_m, POSSIBLY, BEYOND)
        )

    @cached_property
    def order(self) -> NDArray[np.intp]:
        """Places within the high estimate, nearest first (ties by name)."""
        idx = np.flatnonzero(self.distance_m <= self.range.high_m)
        keys = np.lexsort((self.targets.name[idx].astype(str), self.distance_m[idx]))
        return idx[keys]

    def rows(self, *, include_beyond: bool = False) -> list[dict[str, Any]]:
        """One dict per place (JSON shape of DESIGN.md), full precision."""
        if include_beyond:
            idx = np.lexsort((self.targets.name.astype(str), self.distance_m))
        else:
            idx = self.order
        t = self.targets
        # whole columns to Python values at once (tolist), then one dict per row
        d = self.distance_m[idx]
        names = t.name[idx].tolist()  # str objects already: astype(str) would copy them
        if t.name.dtype.kind != "U":
            names = [n if type(n) is str else str(n) for n in names]
        columns: dict[str, list[Any]] = {
            "name": names,
            "country_code": t.country_code[idx].astype(str).tolist(),
            "lat": t.lat_deg[idx].astype(float).tolist(),
            "lon": t.lon_deg[idx].astype(float).tolist(),
            "population": t.population[idx].astype(np.int64).tolist(),
            "distance_km": (d / 1000).tolist(),
            "within": (d <= self.range.low_m).tolist(),
            "status": self.status[idx].astype(str).tolist(),
        }
        if self.flight_time_s is not None:
            ft = self.flight_time_s[idx]
            times = ft.tolist()
            for k in np.flatnonzero(~np.isfinite(ft)).tolist():  # no time: null
                times[k] = None
            columns["flight_time_s"] = times
        keys = list(columns)
        return [
            dict(zip(keys, values, strict=True)) for values in zip(*columns.values(), strict=True)
        ]

    def summary(self) -> dict[str, Any]:
        s = self.status
        pop = self.targets.population.astype(np.int64)
        within = s == WITHIN
        possibly = s == POSSIBLY
        codes = self.targets.country_code
        cc_within = [str(c) for c in np.unique(codes[within]) if c]  # sorted, as sorted()
        cc_possibly = [str(c) for c in np.unique(codes[possibly]) if c and c not in cc_within]
        return {
            "places_total": len(self.targets),
            "places_inside_area": int((self.distance_m == 0).sum()),
            "places_within": int(within.sum()),
            "places_possibly_within": int(possibly.sum()),
            "population_within": population_total(pop[within]),
            "population_possibly_within": population_total(pop[possibly]),
            "countries_within": cc_within,
            "countries_only_possibly_within": cc_possibly,
            "targets": self.targets.kind,
            "targets_definition": self.targets.note or None,
            "warnings": list(self.targets.warnings),
            "range": self.range.to_json(),
            "flight_profile": self.flight_profile,
            "flight_apogee_km": None
            if self.flight_apogee_m is None
            else self.flight_apogee_m / 1e3,
            "flight_profile_note": self.profile_note,
        }

    @property
    def profile_note(self) -> str | None:
        """What a lofted or depressed time column means, in one line (else None)."""
        return self.profile_note_in("km")

    def profile_note_in(self, unit: str) -> str | None:
        """:attr:`profile_note` with its lengths in ``unit`` (km, mi, nmi)."""
        from reachmap.flight.times import profile_note

        return profile_note(self.flight_profile, self.range.system, self.flight_apogee_m, unit)

    def to_json(self, *, include_beyond: bool = False) -> dict[str, Any]:
        return {
            "area": self.area.to_json(),
            "range_km": self.range.high_m / 1000,
            "range_low_km": self.range.low_m / 1000,
            "targets": self.rows(include_beyond=include_beyond),
            "summary": self.summary(),
            "distance_model": "exact WGS84 geodesic distance to the nearest point of the area "
            "(GeographicLib via pyproj); 0 inside",
        }


def reach(
    area: Area,
    rng: RangeSpec,
    targets: Places,
    *,
    flight_profile: str | None = None,
    apogee_m: float | None = None,
) -> ReachResult:
    """Distances from ``area`` to every place in ``targets`` and their reach status.

    With a system and ``flight_profile`` (e.g. "min-energy"; "" for the system's own
    profile: min-energy for ballistic missiles, cruise or glide for the others), a
    flight-time column is added for places within the high estimate; ``apogee_m`` flies
    the lofted profile through that apogee (as ``reachmap flight --apogee``). Without a
    system, ``flight_profile`` "min-energy" gives the textbook minimum-energy time (free
    flight from the surface, no boost: :func:`timed_without_system`).
    """
    if apogee_m is not None and (rng.system is None or flight_profile is None):
        raise InputError("`apogee_m` sets the flight-time column, which needs a `system`")
    d = area.distance_m(targets.lon_deg, targets.lat_deg)
    times, profile = None, None
    if flight_profile is not None and (
        rng.system is not None or timed_without_system(flight_profile)
    ):
        times, profile = flight_times(d, rng.high_m, rng.system, flight_profile, apogee_m)
    return ReachResult(area, rng, targets, d, times, profile, apogee_m if profile else None)


def timed_without_system(flight_profile: str) -> bool:
    """Whether a time column is flown with no system: only for an explicit
    ``min-energy`` (the textbook arc from the surface); another explicit profile needs a
    system's energy (InputError), the default ("") gives no column."""
    if flight_profile in ("", "min-energy"):
        return flight_profile == "min-energy"
    raise InputError(
        f"`profile` {flight_profile} needs a `system`: its maximum range sets the speed "
        "(without one, min-energy gives the textbook minimum-energy time)"
    )


def flight_times(
    distance_m: NDArray[np.float64],
    limit_m: float,
    system: System | None,
    flight_profile: str,
    apogee_m: float | None = None,
) -> tuple[NDArray[np.float64], str]:
    """(flight time of ``system`` to each distance up to ``limit_m``, NaN beyond or where
    the profile has no valid flight; the profile flown): ``flight_profile`` "" is the
    system's own (min-energy for ballistic missiles), lofted through ``apogee_m`` if given.
    The time columns of ``reach``, ``compare`` and ring sets all come from here."""
    from reachmap.flight.times import flight_time_s, own_profile

    if apogee_m is not None:
        flight_profile = flight_profile or "lofted"
    flight_profile = flight_profile or own_profile(system)
    d = np.asarray(distance_m, dtype=np.float64)
    times = np.full(d.size, np.nan)
    sel = np.flatnonzero(d <= limit_m)
    if sel.size:
        # Flight time needs a ground range > 0; places inside the area get the time
        # for the shortest modelled range (reported as None when not valid).
        times[sel] = flight_time_s(d[sel], system, flight_profile, apogee_m)
    elif apogee_m is not None:  # nothing to time: still check the call
        flight_time_s([], system, flight_profile, apogee_m)
    return times, flight_profile
