"""Coverage in a region (``reach --targets countries --in europe``): the rows of its
members, each on the part of the country the region holds.

A region holds some countries only in part (:attr:`reachmap.data.regions.Region.partial`:
Russia and Kazakhstan west of the Ural line, Türkiye's East Thrace, France without
French Guiana or Réunion, Norway without Bouvet Island, ...). Their rows are computed
again on that part, as :mod:`reachmap.analysis.coverage` computes a whole country's:

* ``name`` says it ("Russia (European part)") and ``part`` is ``"European part"``
  (``None`` on whole-country rows);
* ``area_km2``, ``area_within*_km2`` and ``area_share*``: ellipsoidal areas of the part
  and of the part ∩ envelope; ``status*`` full / partial / none on the part;
* ``nearest_km`` / ``farthest_km``: exact extremes of the part
  (:func:`reachmap.analysis.extremes.extremes`);
* ``population_within*``: GeoNames places of the country that lie in the part
  (:meth:`~reachmap.data.regions.Region.contains`, the rule the region's place filter
  uses) within the range;
* ``pop_est``: ``None`` (Natural Earth's estimate is for the whole country).

Group rows (NATO, EU, ...) count only the members in the region, on the same rows
(``name`` "NATO members in Europe"; ``outside``: the members left out). For a list of
countries (``--in POL,LTU``) the rows are whole countries and the groups count the
listed members.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from reachmap.analysis import coverage as cov_mod
from reachmap.analysis.coverage import CoverageResult
from reachmap.analysis.extremes import build_outlines, extremes
from reachmap.analysis.farthest import Part
from reachmap.data import geonames
from reachmap.data.regions import Region
from reachmap.geodesy.areas import polygons_area_m2
from reachmap.geodesy.rings import from_shapely
from reachmap.places import population_total


def part_label(region: Region) -> str:
    """What a region holds of a partly included country: "European part"."""
    return "European part" if region.id == "europe" else f"part in {region.name}"


def coverage_in_region(cov: CoverageResult, region: Region) -> CoverageResult:
    """``cov`` restricted to the members of ``region``, partly included members on
    their part (see the module doc)."""
    members = set(region.parts)
    table = [r for r in cov.table if r["iso3"] in members]
    partial = [r["iso3"] for r in table if r["iso3"] in region.partial]
    parts, lower = _part_rows(cov, region, partial)
    label = part_label(region)
    rows = [parts.get(r["iso3"], {**r, "part": None}) for r in table]
    order = {cov_mod.FULL: 0, cov_mod.PARTIAL: 1, cov_mod.NONE: 2}
    rows.sort(key=lambda r: (order[r["status_high"]], r["nearest_km"], r["iso3"]))
    note = region.definition
    if partial:
        note += (
            f" Rows of countries partly in {region.name} ({', '.join(sorted(partial))}) "
            f"are on the {label}: its area, share, extremes and places."
        )
    if lower:
        note += f" farthest_km of the {label} is a lower bound for {', '.join(lower)}."
    groups = cov_mod.group_rows(rows, cov.date, members, f" in {region.name}")
    return replace(cov, table=rows, groups=groups, notes=[*cov.notes, note])


def coverage_in_countries(cov: CoverageResult, codes: set[str]) -> CoverageResult:
    """``cov`` restricted to the countries ``codes`` (whole countries)."""
    rows = [r for r in cov.table if r["iso3"] in codes]
    note = "Countries: " + ", ".join(sorted(codes)) + "."
    groups = cov_mod.group_rows(rows, cov.date, codes, " among the countries given")
    return replace(cov, table=rows, groups=groups, notes=[*cov.notes, note])


def _part_rows(
    cov: CoverageResult, region: Region, codes: list[str]
) -> tuple[dict[str, Any], list[str]]:
    """Coverage rows of the parts of ``codes`` that ``region`` holds, and the codes whose
    farthest distance is a lower bound (the interior search stopped)."""
    if not codes:
        return {}, []
    by_iso = {r["iso3"]: r for r in cov.table}
    parts = [Part(iso3, region.parts[iso3]) for iso3 in codes]
    ext = extremes(cov.area, build_outlines(parts))
    places = geonames.cities(cov.min_population)
    mine = np.isin(places.country_code, codes)
    lon, lat, cc = places.lon_deg[mine], places.lat_deg[mine], places.country_code[mine]
    inside = region.contains(lon, lat, cc)
    lon, lat, cc = lon[inside], lat[inside], cc[inside]
    pop = places.population[mine][inside].astype(np.int64)
    d_places = np.asarray(cov.area.distance_m(lon, lat), dtype=np.float64)
    label = part_label(region)
    out = {}
    for k, part in enumerate(parts):
        area_m2 = polygons_area_m2(from_shapely(part.geom))
        near, far = float(ext.nearest_m[k]), float(ext.farthest_m[k])
        whole = by_iso[part.iso3]
        row: dict[str, Any] = {
            "iso3": part.iso3,
            "name": f"{whole['name']} ({label})",
            "part": label,
            "nearest_km": near / 1000,
            "farthest_km": far / 1000,
            "area_km2": area_m2 / 1e6,
            "pop_est": None,
        }
        for suffix, env in zip(("", "_high"), (cov.envelopes[0], cov.envelopes[-1]), strict=True):
            status, within = cov_mod.status_of(part, env, near, far, area_m2)
            row["status" + suffix] = status
            row["area_share" + suffix] = within / area_m2 if area_m2 else 0.0
            row[f"area_within{suffix}_km2"] = within / 1e6
            sel = (cc == part.iso3) & (d_places <= env.range_m)
            row["population_within" + suffix] = population_total(pop[sel])
        out[part.iso3] = row
    return out, ext.lower_bounds
