"""Places by distance band: ``reachmap reach --range 500,1000,2000``.

Ranges r1 < r2 < ... < rn cut the distances into bands [0, r1], (r1, r2], ...,
(r(n-1), rn]; each place is in the smallest band that contains it (a place exactly at
r1 is in the first band, the same "within" as a single run at r1), and places beyond rn
are counted, not listed. Distances are the exact ones of :mod:`reachmap.analysis.reach`.

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

from reachmap.area import Area
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
                }
            )
        return out

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
        }

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
    area: Area, ranges_m: Sequence[float], targets: Places, *, unit: str = "km"
) -> BandsResult:
    """Sort ``targets`` into the distance bands of ``ranges_m`` (ascending, distinct),
    labelled in ``unit``."""
    ranges = tuple(float(r) for r in ranges_m)
    if not ranges or list(ranges) != sorted(set(ranges)) or ranges[0] <= 0:
        raise InputError("`range_m` must be distinct positive ranges in ascending order")
    d = area.distance_m(targets.lon_deg, targets.lat_deg)
    return BandsResult(area, ranges, targets, np.asarray(d, dtype=np.float64), unit)


@dataclass(frozen=True)
class RingSpec:
    """The ranges of a ring set (ascending, metres), names for them (a system's "low
    estimate", "high estimate") and the system they came from, if any."""

    ranges_m: tuple[float, ...]
    names: tuple[str, ...] | None = None
    system: Any = None
