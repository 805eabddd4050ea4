"""Places by distance band: ``reachmap reach --range 500,1000,2000``.

Ranges r1 < r2 < ... < rn cut the distances into bands [0, r1], (r1, r2], ...,
(r(n-1), rn]; each place is in the smallest band that contains it (a place exactly at
r1 is in the first band, the same "within" as a single run at r1), and places beyond rn
are counted, not listed. Distances are the exact ones of :mod:`reachmap.analysis.reach`.
With a catalog system each place and each band's outer range gets the system's flight
time (:func:`reachmap.analysis.reach.flight_times`, as ``reach`` times one range).

>>> import reachmap
>>> from reachmap.data import geonames
>>> res = reach_bands(reachmap.area("53.9,27.57"), [300e3, 700e3], geonames.capitals())
>>> [(b["label"], b["places"]) for b in res.bands()]
[('0–300 km', 2), ('300–700 km', 5)]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
from numpy.typing import NDArray

from reachmap.analysis.reach import flight_times, timed_without_system
from reachmap.area import Area
from reachmap.data.catalog import System
from reachmap.errors import InputError
from reachmap.places import Places, population_total
from reachmap.units import length_label


def band_label(low_m: float, high_m: float, unit: str = "km") -> str:
    """ "0–500 km", "500–1,000 km" (in ``unit``).

    >>> band_label(500e3, 1000e3), band_label(0.0, 804_672.0, "mi")
    ('500–1,000 km', '0–500 mi')
    """
    low = "0" if low_m == 0 else length_label(low_m, unit).rsplit(" ", 1)[0]
    return f"{low}–{length_label(high_m, unit)}"


@dataclass(frozen=True)
class BandsResult:
    """Distances from an area to places, sorted into the bands of ``ranges_m``."""

    area: Area
    ranges_m: tuple[float, ...]
    targets: Places
    distance_m: NDArray[np.float64]
    unit: str = "km"
    system: System | None = None
    flight_time_s: NDArray[np.float64] | None = None  # per place (NaN: not timed)
    band_time_s: NDArray[np.float64] | None = None  # to each band's outer range
    flight_profile: str | None = None
    flight_apogee_m: float | None = None  # a lofted profile through this apogee

    @cached_property
    def band(self) -> NDArray[np.intp]:
        """Index of each place's band (0 = [0, r1]); ``len(ranges_m)`` beyond the last."""
        return np.searchsorted(np.asarray(self.ranges_m), self.distance_m, side="left")

    def _edges(self, k: int) -> tuple[float, float]:
        return (self.ranges_m[k - 1] if k else 0.0), self.ranges_m[k]

    def bands(self) -> list[dict[str, Any]]:
        """One entry per band: its edges, label, places and population in it."""
        pop = self.targets.population.astype(np.int64)
        out = []
        cumulative = 0
        for k in range(len(self.ranges_m)):
            low, high = self._edges(k)
            sel = self.band == k
            n = int(sel.sum())
            cumulative += n
            out.append(
                {
                    "band": k + 1,
                    "label": band_label(low, high, self.unit),
                    "low_m": low,
                    "high_m": high,
                    "low_km": low / 1000,
                    "high_km": high / 1000,
                    "places": n,
                    "population": population_total(pop[sel]),
                    "places_within_high": cumulative,
                    **self._time("flight_time_s", self.band_time_s, k),
                }
            )
        return out

    def _time(self, key: str, times: NDArray[np.float64] | None, i: int) -> dict[str, Any]:
        """``{key: seconds}`` (None where not valid), or nothing without a flight model."""
        if times is None:
            return {}
        t = float(times[i])
        return {key: t if np.isfinite(t) else None}

    def rows(self, *, include_beyond: bool = False) -> list[dict[str, Any]]:
        """One dict per place within the largest range (all with ``include_beyond``),
        nearest first, with its band."""
        keep = (
            np.ones(len(self.targets), bool) if include_beyond else self.band < len(self.ranges_m)
        )
        idx = np.flatnonzero(keep)
        t = self.targets
        idx = idx[np.lexsort((t.name[idx].astype(str), self.distance_m[idx]))]
        labels = [b["label"] for b in self.bands()]
        out = []
        for i in idx:
            k = int(self.band[i])
            out.append(
                {
                    "name": str(t.name[i]),
                    "country_code": str(t.country_code[i]),
                    "lat": float(t.lat_deg[i]),
                    "lon": float(t.lon_deg[i]),
                    "population": int(t.population[i]),
                    "distance_km": float(self.distance_m[i]) / 1000,
                    "band": k + 1 if k < len(labels) else None,
                    "band_label": labels[k] if k < len(labels) else "beyond",
                    **self._time("flight_time_s", self.flight_time_s, int(i)),
                }
            )
        return out

    def summary(self) -> dict[str, Any]:
        beyond = self.band == len(self.ranges_m)
        return {
            "places_total": len(self.targets),
            "places_within": int((~beyond).sum()),
            "places_beyond": int(beyond.sum()),
            "places_inside_area": int((self.distance_m == 0).sum()),
            "ranges_km": [r / 1000 for r in self.ranges_m],
            "targets": self.targets.kind,
            "targets_definition": self.targets.note or None,
            "warnings": list(self.targets.warnings),
            "band_rule": "each place in the smallest band (low, high] containing its distance; "
            "the first band includes 0",
            "system": None if self.system is None else self.system.id,
            "flight_profile": self.flight_profile,
            "flight_apogee_km": None
            if self.flight_apogee_m is None
            else self.flight_apogee_m / 1e3,
            "flight_profile_note": self.profile_note_in("km"),
        }

    def profile_note_in(self, unit: str) -> str | None:
        """What a lofted or depressed time column means, in one line (else None)."""
        from reachmap.flight.times import profile_note

        return profile_note(self.flight_profile, self.system, self.flight_apogee_m, unit)

    def to_json(self, *, include_beyond: bool = False) -> dict[str, Any]:
        return {
            "area": self.area.to_json(),
            "ranges_km": [r / 1000 for r in self.ranges_m],
            "bands": self.bands(),
            "targets": self.rows(include_beyond=include_beyond),
            "summary": self.summary(),
            "distance_model": "exact WGS84 geodesic distance to the nearest point of the area "
            "(GeographicLib via pyproj); 0 inside",
        }


def reach_bands(
    area: Area,
    ranges_m: Sequence[float],
    targets: Places,
    *,
    unit: str = "km",
    system: System | None = None,
    flight_profile: str | None = None,
    apogee_m: float | None = None,
) -> BandsResult:
    """Sort ``targets`` into the distance bands of ``ranges_m`` (ascending, distinct),
    labelled in ``unit``; with ``system`` and ``flight_profile`` ("" for the system's
    own) a flight time to each place within the largest range and to each band's outer
    range, ``apogee_m`` flying lofted through that apogee (as ``reach``)."""
    ranges = tuple(float(r) for r in ranges_m)
    if not ranges or list(ranges) != sorted(set(ranges)) or ranges[0] <= 0:
        raise InputError("`range_m` must be distinct positive ranges in ascending order")
    if apogee_m is not None and (system is None or flight_profile is None):
        raise InputError("`apogee_m` sets the flight-time column, which needs a `system`")
    d = np.asarray(area.distance_m(targets.lon_deg, targets.lat_deg), dtype=np.float64)
    if flight_profile is None or (system is None and not timed_without_system(flight_profile)):
        return BandsResult(area, ranges, targets, d, unit)
    times, profile = flight_times(d, ranges[-1], system, flight_profile, apogee_m)
    edges, _ = flight_times(np.asarray(ranges), ranges[-1], system, profile, apogee_m)
    return BandsResult(area, ranges, targets, d, unit, system, times, edges, profile, apogee_m)


@dataclass(frozen=True)
class RingSpec:
    """The ranges of a ring set (ascending, metres), names for them (a system's "low
    estimate", "high estimate") and the system they came from, if any."""

    ranges_m: tuple[float, ...]
    names: tuple[str, ...] | None = None
    system: Any = None
