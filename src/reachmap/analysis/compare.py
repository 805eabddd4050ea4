"""Forward basing: the same targets seen from two launch areas.

Answers the question news reporting raises — "does basing in Belarus let
missiles reach targets more quickly?" — per place: the exact distance and the
flight time (a stated profile, see :mod:`reachmap.flight.times`) from each
area, the difference, and which places are within reach from one area only.
Places are listed nearest-first from the first area; nothing is ranked by
anything else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from reachmap.analysis.reach import BEYOND, RangeSpec, ReachResult, reach
from reachmap.area import Area
from reachmap.places import Places, population_total


@dataclass(frozen=True)
class CompareResult:
    """``first``: the launch area under study (``--from``); ``second``: the reference (``--vs``)."""

    first: ReachResult
    second: ReachResult

    @property
    def seconds_saved(self) -> NDArray[np.float64]:
        """Flight time from the second area minus from the first (s); NaN where either is."""
        if self.first.flight_time_s is None or self.second.flight_time_s is None:
            return np.full(len(self.first.targets), np.nan)
        return self.second.flight_time_s - self.first.flight_time_s

    def _relevant(self) -> NDArray[np.intp]:
        hi = self.first.range.high_m
        keep = (self.first.distance_m <= hi) | (self.second.distance_m <= hi)
        idx = np.flatnonzero(keep)
        names = self.first.targets.name[idx].astype(str)
        return idx[np.lexsort((names, self.first.distance_m[idx]))]

    def rows(self) -> list[dict[str, Any]]:
        t = self.first.targets
        saved = self.seconds_saved
        out = []
        for i in self._relevant():
            s1, s2 = str(self.first.status[i]), str(self.second.status[i])
            out.append(
                {
                    "name": str(t.name[i]),
                    "country_code": str(t.country_code[i]),
                    "lat": float(t.lat_deg[i]),
                    "lon": float(t.lon_deg[i]),
                    "population": int(t.population[i]),
                    "distance_from_km": float(self.first.distance_m[i]) / 1000,
                    "distance_vs_km": float(self.second.distance_m[i]) / 1000,
                    "distance_change_km": float(
                        self.first.distance_m[i] - self.second.distance_m[i]
                    )
                    / 1000,
                    "status_from": s1,
                    "status_vs": s2,
                    "flight_time_from_s": _num(self.first.flight_time_s, i),
                    "flight_time_vs_s": _num(self.second.flight_time_s, i),
                    "minutes_saved": None if not np.isfinite(saved[i]) else float(saved[i]) / 60,
                    "change": _change(s1, s2),
                }
            )
        return out

    def summary(self) -> dict[str, Any]:
        s1, s2 = self.first.status, self.second.status
        pop = self.first.targets.population.astype(np.int64)
        newly = (s1 != BEYOND) & (s2 == BEYOND)
        lost = (s1 == BEYOND) & (s2 != BEYOND)
        saved = self.seconds_saved
        both = np.isfinite(saved)
        minutes = saved[both] / 60
        return {
            "from": self.first.area.label,
            "vs": self.second.area.label,
            "range": self.first.range.to_json(),
            "flight_profile": self.first.flight_profile,
            "flight_apogee_km": self.first.summary()["flight_apogee_km"],
            "flight_profile_note": self.first.profile_note,
            "targets": self.first.targets.kind,
            "warnings": list(self.first.targets.warnings),
            "places_within_from": int((s1 != BEYOND).sum()),
            "places_within_vs": int((s2 != BEYOND).sum()),
            "places_newly_within": int(newly.sum()),
            "population_newly_within": population_total(pop[newly]),
            "places_no_longer_within": int(lost.sum()),
            "places_timed_from_both": int(both.sum()),
            "minutes_saved_median": float(np.median(minutes)) if minutes.size else None,
            "minutes_saved_min": float(minutes.min()) if minutes.size else None,
            "minutes_saved_max": float(minutes.max()) if minutes.size else None,
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "from": self.first.area.to_json(),
            "vs": self.second.area.to_json(),
            "targets": self.rows(),
            "summary": self.summary(),
        }


def _num(arr: NDArray[np.float64] | None, i: int) -> float | None:
    if arr is None or not np.isfinite(arr[i]):
        return None
    return float(arr[i])


def _change(s1: str, s2: str) -> str:
    if s1 != BEYOND and s2 == BEYOND:
        return "newly within reach"
    if s1 == BEYOND and s2 != BEYOND:
        return "only from the reference area"
    return "within reach from both"


def compare(
    first: Area,
    second: Area,
    rng: RangeSpec,
    targets: Places,
    *,
    flight_profile: str | None = "",
    apogee_m: float | None = None,
) -> CompareResult:
    """Distances and flight times to ``targets`` from two launch areas (``flight_profile``
    and ``apogee_m`` as in :func:`reach`: "" is the system's own profile, None no times)."""
    return CompareResult(
        reach(first, rng, targets, flight_profile=flight_profile, apogee_m=apogee_m),
        reach(second, rng, targets, flight_profile=flight_profile, apogee_m=apogee_m),
    )
