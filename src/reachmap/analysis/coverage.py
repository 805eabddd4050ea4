"""Coverage: how much of every country lies within reach of a launch area.

For each Natural Earth country (1:10m) and each range estimate:

* **status** ``full`` / ``partial`` / ``none``: ``none`` when the nearest distance
  exceeds R; ``full`` when every boundary vertex is within R and the envelope covers
  the country's area (to 1e-4 of it: slivers within the envelope's tolerance);
  ``partial`` otherwise (an enclosed country such as Lesotho seen from South Africa
  can have all its border within reach and its centre beyond).
* **area share**: ellipsoidal area of country ∩ envelope over the country's area.
  The intersection is planar in lon/lat, which is exact for these polygons: both
  have straight lon/lat edges (Natural Earth's own; the envelope's are also within
  its tolerance of geodesics), and areas are computed for straight lon/lat edges on
  the ellipsoid (:func:`reachmap.geodesy.areas.ring_area_m2`), never on a sphere.
* **nearest**: exact distance from the launch area to the country (0 if they
  overlap), and **farthest**: the largest distance of a point of the country, both
  from :mod:`reachmap.analysis.extremes` (exact; the farthest to 1 mm on the
  boundary, to 1 m where the interior must be searched).
* **population within**: sum over GeoNames places (>= ``min_population``) whose
  exact distance is within R, by the place's country code.

Group totals (NATO, EU, ...) use the catalog's membership dates and name their members
by status (``members_full``, ``members_partial``, ``members_none``; ``_high`` for the
high estimate).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import shapely

from reachmap.analysis.extremes import extremes, outlines
from reachmap.analysis.reach import RangeSpec
from reachmap.area import Area
from reachmap.data import catalog, countries, geonames
from reachmap.envelope.core import DEFAULT_TOLERANCE_M, Envelope, envelope
from reachmap.geodesy.areas import polygons_area_m2
from reachmap.geodesy.rings import from_shapely
from reachmap.places import population_total
from reachmap.progress import Progress, counted, report

FULL, PARTIAL, NONE = "full", "partial", "none"
#: a "full" country may miss this share of its area (slivers within the tolerance)
_FULL_SLACK = 1e-4

COLUMNS = [
    "iso3",
    "name",
    "status",
    "area_share",
    "area_within_km2",
    "population_within",
    "status_high",
    "area_share_high",
    "area_within_high_km2",
    "population_within_high",
    "nearest_km",
    "farthest_km",
    "area_km2",
    "pop_est",
]


@lru_cache(maxsize=1)
def _country_areas_m2() -> tuple[float, ...]:
    return tuple(polygons_area_m2(c.polygons) for c in countries.countries())


@dataclass(frozen=True)
class CoverageResult:
    """Coverage of every country; see the module doc for each column."""

    area: Area
    range: RangeSpec
    envelopes: tuple[Envelope, ...]  # low (and high) estimate
    table: list[dict[str, Any]]
    groups: list[dict[str, Any]]
    date: str
    min_population: int
    notes: list[str] = field(default_factory=list)

    def rows(self, *, include_none: bool = False) -> list[dict[str, Any]]:
        """JSON-ready rows: countries within reach (all with ``include_none``)."""
        return [r for r in self.table if include_none or r["status_high"] != NONE]

    def summary(self) -> dict[str, Any]:
        status = [r["status"] for r in self.table]
        high = [r["status_high"] for r in self.table]
        return {
            "launch_area": self.area.label,
            "range": self.range.to_json(),
            "countries_full": status.count(FULL),
            "countries_partial": status.count(PARTIAL),
            "countries_full_high": high.count(FULL),
            "countries_partial_high": high.count(PARTIAL),
            "area_within_km2": sum(r["area_within_km2"] for r in self.table),
            "area_within_high_km2": sum(r["area_within_high_km2"] for r in self.table),
            "population_within": sum(r["population_within"] for r in self.table),
            "population_within_high": sum(r["population_within_high"] for r in self.table),
            "population_source": f"GeoNames places >= {self.min_population:,} inhabitants",
            "countries_source": countries.NATURAL_EARTH,
            "groups": self.groups,
            "groups_date": self.date,
            "estimates": {
                "low_km": self.range.low_m / 1000,
                "high_km": self.range.high_m / 1000,
                "fields": "fields without a suffix use the low estimate, fields ending in "
                "_high the high estimate (the same when the range has one value)",
            },
            "envelopes": [e.to_json() for e in self.envelopes],
            "notes": self.notes,
        }

    def to_json(self, *, include_none: bool = False) -> dict[str, Any]:
        return {"countries": self.rows(include_none=include_none), "summary": self.summary()}


def coverage_table(
    area: Area,
    range_spec: RangeSpec,
    *,
    tolerance_m: float = DEFAULT_TOLERANCE_M,
    min_population: int = 15000,
    date: str | None = None,
    envelopes: tuple[Envelope, ...] | None = None,
    progress: Progress | None = None,
) -> CoverageResult:
    """Coverage of every country by the envelopes at the low and high estimate.

    ``date`` (YYYY-MM-DD, default today) selects group members (NATO, EU, ...).
    ``envelopes`` (low, and high if it differs) are used instead of computing them.
    ``progress`` (:mod:`reachmap.progress`) hears of the envelopes, then the countries.
    """
    data = outlines()
    area_m2 = _country_areas_m2()
    low_m, high_m = range_spec.low_m, range_spec.high_m
    if envelopes is not None:
        env_low, env_high = envelopes[0], envelopes[-1]
        if (env_low.range_m, env_high.range_m) != (low_m, high_m):
            raise ValueError("envelopes do not match the range estimates")
    else:
        n = 2 if high_m > low_m else 1
        report(progress, "envelopes", 0, n)
        env_low = envelope(area, low_m, tolerance_m)
        report(progress, "envelopes", 1, n)
        env_high = env_low
        if n == 2:
            env_high = envelope(area, high_m, tolerance_m)
            report(progress, "envelopes", 2, n)
    report(progress, "nearest and farthest points", 0, 0)
    ext = extremes(area, data)
    nearest, farthest = ext.nearest_m, ext.farthest_m
    report(progress, "places", 0, 0)
    places = geonames.cities(min_population)
    d_places = area.distance_m(places.lon_deg, places.lat_deg)
    pop = places.population.astype(np.int64)
    rows = []
    for k, c in counted(progress, "countries", list(enumerate(data.items))):
        row: dict[str, Any] = {
            "iso3": c.iso3,
            "name": c.name,
            "nearest_km": nearest[k] / 1000,
            "farthest_km": farthest[k] / 1000,
            "area_km2": area_m2[k] / 1e6,
            "pop_est": int(c.pop_est),
        }
        in_country = places.country_code == c.iso3
        for suffix, env in (("", env_low), ("_high", env_high)):
            status, within = status_of(c, env, nearest[k], farthest[k], area_m2[k])
            row["status" + suffix] = status
            row["area_share" + suffix] = within / area_m2[k] if area_m2[k] else 0.0
            row[f"area_within{suffix}_km2"] = within / 1e6
            sel = in_country & (d_places <= env.range_m)
            row["population_within" + suffix] = population_total(pop[sel])
        rows.append(row)
    order = {FULL: 0, PARTIAL: 1, NONE: 2}
    rows.sort(key=lambda r: (order[r["status_high"]], r["nearest_km"], r["iso3"]))
    day = date or dt.date.today().isoformat()
    notes = ["population counts GeoNames places within reach, not the whole population"]
    if ext.lower_bounds:
        notes.append(
            "farthest_km is a lower bound (interior search stopped) for "
            + ", ".join(ext.lower_bounds)
        )
    return CoverageResult(
        area,
        range_spec,
        (env_low, env_high) if high_m > low_m else (env_low,),
        rows,
        group_rows(rows, day),
        day,
        min_population,
        notes,
    )


def status_of(
    c: Any, env: Envelope, nearest_m: float, farthest_m: float, area_m2: float
) -> tuple[str, float]:
    """(status, area within in m^2) of one country (or a part: anything with
    ``shapely()``) against one envelope."""
    if nearest_m > env.range_m:
        return NONE, 0.0
    if env.kind == "globe":
        return FULL, area_m2
    inter = shapely.intersection(c.shapely(), env.geometry)
    within = min(area_m2, polygons_area_m2(from_shapely(inter)))
    if farthest_m <= env.range_m and within >= (1 - _FULL_SLACK) * area_m2:
        return FULL, area_m2
    return PARTIAL, within


def group_rows(
    rows: list[dict[str, Any]], day: str, within: set[str] | None = None, where: str = ""
) -> list[dict[str, Any]]:
    """Group totals over ``rows``; with ``within`` (ISO-3 codes) only the members among
    them count, the group named with ``where`` ("NATO members in Europe") and the others
    listed in ``outside``."""
    by_iso = {r["iso3"]: r for r in rows}
    out = []
    for g in catalog.groups():
        every = g.members_on(day)
        members = [m for m in every if within is None or m in within]
        known = [by_iso[m] for m in members if m in by_iso]
        entry: dict[str, Any] = {"group": g.id, "name": g.name + where, "members": len(members)}
        for suffix in ("", "_high"):
            status = [r["status" + suffix] for r in known]
            entry["full" + suffix] = status.count(FULL)
            entry["partial" + suffix] = status.count(PARTIAL)
            entry["none" + suffix] = status.count(NONE)
            for kind in (FULL, PARTIAL, NONE):  # ISO-3 codes, alphabetical
                entry[f"members_{kind}{suffix}"] = sorted(
                    r["iso3"] for r in known if r["status" + suffix] == kind
                )
            entry[f"area_within{suffix}_km2"] = sum(r[f"area_within{suffix}_km2"] for r in known)
            entry["population_within" + suffix] = sum(
                r["population_within" + suffix] for r in known
            )
        entry["area_km2"] = sum(r["area_km2"] for r in known)
        entry["not_in_natural_earth"] = sorted(set(members) - set(by_iso))
        if within is not None:
            entry["outside"] = sorted(set(every) - set(members))
        entry["sources"] = [s.url for s in g.sources]
        out.append(entry)
    return out
