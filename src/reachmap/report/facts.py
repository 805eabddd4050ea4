"""The report's numbers and sentences, from a :class:`~reachmap.report.build.ReportData`.

Each function returns plain rows (dicts of JSON values) so the same numbers go to the
HTML tables, the CSV files beside them and the terminal. Counts leave out the
country the launch area lies in (its own capital, its own people): "within reach" is
about other countries.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import shapely

from reachmap.analysis.reach import BEYOND
from reachmap.data import catalog, geonames
from reachmap.places import Places
from reachmap.report.build import AreaRun, Pair, SystemRun
from reachmap.units import fmt_length, length_label

FULL, PARTIAL = "full", "partial"


def km(value: float | None, unit: str = "km") -> str:
    """A length given in km, printed in ``unit``: '1,041 km', '647 mi'; '–' for none."""
    if value is None or not math.isfinite(value):
        return "–"
    return f"{fmt_length(value * 1e3, unit)} {unit}"


def mmss(seconds: float | None) -> str:
    if seconds is None or not math.isfinite(seconds):
        return "–"
    m, s = divmod(round(seconds), 60)
    return f"{m}:{s:02d}"


def range_text(sr: SystemRun) -> str:
    """The range in the report's unit: '5,000–5,500 km', '3,107–3,418 mi'."""
    lo, hi = sr.range.low_m, sr.range.high_m
    if lo == hi:
        return length_label(hi, sr.unit)
    return f"{fmt_length(lo, sr.unit)}–{length_label(hi, sr.unit)}"


def two(sr: SystemRun) -> bool:
    return sr.range.high_m > sr.range.low_m


# --------------------------------------------------------------------- headline


def area_facts(run: AreaRun, groups: tuple[str, ...]) -> dict[str, Any]:
    """Countries, capitals and population within the low and high estimate (other
    countries than the host), and group members touched."""
    rows = [r for r in run.coverage.table if r["iso3"] not in run.host]
    out: dict[str, Any] = {"launch_area": run.name, "role": run.role, "host": ", ".join(run.host)}
    caps = run.capitals
    other = ~np.isin(caps.targets.country_code.astype(str), run.host)
    for sfx, key, limit in (
        ("low", "status", caps.range.low_m),
        ("high", "status_high", caps.range.high_m),
    ):
        out[f"countries_{sfx}"] = sum(r[key] in (FULL, PARTIAL) for r in rows)
        out[f"countries_full_{sfx}"] = sum(r[key] == FULL for r in rows)
        out[f"capitals_{sfx}"] = int(np.sum(other & (caps.distance_m <= limit)))
        pop = "population_within" + ("" if sfx == "low" else "_high")
        out[f"population_{sfx}"] = int(sum(r[pop] for r in rows))
    named = next(iter(run.named.values()))
    out["named_total"] = len(named.targets)
    out["named_low"] = int(np.sum(named.distance_m <= named.range.low_m))
    out["named_high"] = int(np.sum(named.distance_m <= named.range.high_m))
    if named.flight_time_s is not None and np.isfinite(named.flight_time_s).any():
        t = named.flight_time_s
        k = int(np.nanargmin(t))
        out["named_profile"] = named.flight_profile
        out["named_fastest_s"] = float(t[k])
        out["named_fastest"] = str(named.targets.name[k])
        out["named_median_s"] = float(np.nanmedian(t))
    by_group = {g["group"]: g for g in run.coverage.groups}
    for gid in groups:
        g = by_group.get(catalog.group(gid).id)
        if g is None:
            continue
        out[f"{g['group']}_members"] = g["members"]
        out[f"{g['group']}_low"] = g["full"] + g["partial"]
        out[f"{g['group']}_high"] = g["full_high"] + g["partial_high"]
    return out


def headline_rows(sr: SystemRun, groups: tuple[str, ...]) -> list[dict[str, Any]]:
    return [area_facts(a, groups) for a in sr.areas]


# ------------------------------------------------------------------------ pairs


def pair_facts(pair: Pair, targets: Places) -> dict[str, Any]:
    """What moving from the baseline to the deployed area changes for the named
    targets: how many get closer, by how much, minutes saved, newly within reach."""
    d, b = pair.deployed.named, pair.baseline.named
    first = next(iter(d))
    dd, db = d[first].distance_m, b[first].distance_m
    change = (dd - db) / 1e3
    closer = change < -0.5  # closer by more than 500 m (the figures are metre-exact)
    saved = pair.compare.seconds_saved / 60.0
    timed = np.isfinite(saved)
    sd, sb = d[first].status, b[first].status
    names = targets.name.astype(str)
    lo = pair.deployed.capitals.range.low_m
    return {
        "deployed": pair.deployed.name,
        "baseline": pair.baseline.name,
        "targets": len(targets),
        "closer": int(closer.sum()),
        "farther_or_same": int((~closer).sum()),
        "median_change_km": float(np.median(change)) if change.size else None,
        "median_closer_km": float(np.median(-change[closer])) if closer.any() else None,
        "timed": int(timed.sum()),
        "minutes_saved_median": float(np.median(saved[timed])) if timed.any() else None,
        "minutes_saved_min": float(saved[timed].min()) if timed.any() else None,
        "minutes_saved_max": float(saved[timed].max()) if timed.any() else None,
        "newly_within_low": [str(n) for n in names[(dd <= lo) & (db > lo)]],
        "newly_within_high": [str(n) for n in names[(sd != BEYOND) & (sb == BEYOND)]],
        "no_longer_within_high": [str(n) for n in names[(sd == BEYOND) & (sb != BEYOND)]],
        "nearest_part": nearest_part(pair.baseline, targets, ~closer),
        "profile": first,
    }


def nearest_part(run: AreaRun, targets: Places, mask: np.ndarray) -> str | None:
    """When the baseline is several polygons and most of the masked targets are nearest
    to a part other than its largest, name that part by its most populous place
    (e.g. "the part around Kaliningrad")."""
    area = run.area
    if len(area.polygons) < 2 or not mask.any():
        return None
    polys = [shapely.Polygon(p[0], list(p[1:])) for p in area.polygons]
    largest = int(np.argmax([p.area for p in polys]))
    near = area.nearest(targets.lon_deg[mask], targets.lat_deg[mask])
    pts = shapely.points(near.lon_deg, near.lat_deg)
    part = np.array([int(np.argmin([shapely.distance(p, q) for q in polys])) for p in pts])
    values, counts = np.unique(part, return_counts=True)
    top = int(values[np.argmax(counts)])
    if top == largest or counts.max() * 2 <= mask.sum():
        return None
    cities = geonames.cities(15000)
    inside = shapely.contains_xy(polys[top], cities.lon_deg, cities.lat_deg)
    if not inside.any():
        return None
    k = np.flatnonzero(inside)[np.argmax(cities.population[inside])]
    return f"the part around {cities.name[k]} ({int(counts.max())} of them)"


def _by(minutes: float) -> str:
    return f"{abs(minutes):.1f} min {'shorter' if minutes > 0 else 'longer'}"


def pair_sentence(facts: dict[str, Any], what: str, two_estimates: bool, unit: str = "km") -> str:
    """The honest sentence for one comparison (``what``: "NATO capitals"; lengths in
    ``unit``)."""
    n, closer = facts["targets"], facts["closer"]
    dep, base = facts["deployed"], facts["baseline"]
    if closer * 2 > n:
        text = f"Compared with {base}: {closer} of {n} {what} are closer from {dep}"
        if facts["median_closer_km"]:
            text += f", by a median {km(facts['median_closer_km'], unit)}"
        text += "."
    else:
        some = f"only {closer} of {n}" if closer else f"none of the {n}"
        rest = f"the other {facts['farther_or_same']}" if closer else "all of them"
        text = (
            f"Compared with {base}: {some} {what} are closer from {dep}; for {rest} the "
            f"nearest point of {base} is as close or closer"
        )
        if facts["nearest_part"]:
            text += f" — mostly {facts['nearest_part']}"
        text += "."
    med = facts["minutes_saved_median"]
    if med is not None:
        text += (
            f" {facts['profile'].capitalize()} flight times ({facts['timed']} timed from both) "
            f"are {_by(med)} from {dep} at the median (from {_by(facts['minutes_saved_min'])} "
            f"to {_by(facts['minutes_saved_max'])})."
        )
    newly = facts["newly_within_high"]
    est = " even at the high estimate" if two_estimates else ""
    if newly:
        text += f" Newly within reach: {', '.join(newly)}."
    else:
        text += f" No {what[:-1] if what.endswith('s') else what} is newly within reach{est}."
    if facts["no_longer_within_high"]:
        only = ", ".join(facts["no_longer_within_high"])
        text += f" Within reach only from {base}: {only}."
    return text


# ----------------------------------------------------------------------- tables


def capitals_rows(sr: SystemRun, targets: Places) -> list[dict[str, Any]]:
    """One row per named target: distance, status and times from every area; change
    for every deployed/baseline pair. Nearest-first from the first deployed area."""
    first = next(a for a in sr.areas if a.role == "deployed")
    order = np.lexsort((targets.name.astype(str), next(iter(first.named.values())).distance_m))
    rows = []
    for i in order.tolist():
        row: dict[str, Any] = {
            "name": str(targets.name[i]),
            "country_code": str(targets.country_code[i]),
            "lat": float(targets.lat_deg[i]),
            "lon": float(targets.lon_deg[i]),
        }
        for a in sr.areas:
            any_result = next(iter(a.named.values()))
            row[f"{a.spec.id}:distance_km"] = float(any_result.distance_m[i]) / 1e3
            row[f"{a.spec.id}:status"] = str(any_result.status[i])
            for prof, res in a.named.items():
                if prof and res.flight_time_s is not None:
                    t = float(res.flight_time_s[i])
                    row[f"{a.spec.id}:{prof}_s"] = t if math.isfinite(t) else None
            if a.rotating_s is not None:
                t = float(a.rotating_s[i])
                row[f"{a.spec.id}:rotating_s"] = t if math.isfinite(t) else None
        for p in sr.pairs:
            key = f"{p.deployed.spec.id}-vs-{p.baseline.spec.id}"
            dd = float(next(iter(p.deployed.named.values())).distance_m[i])
            db = float(next(iter(p.baseline.named.values())).distance_m[i])
            saved = float(p.compare.seconds_saved[i])
            row[f"{key}:change_km"] = (dd - db) / 1e3
            row[f"{key}:minutes_saved"] = saved / 60 if math.isfinite(saved) else None
            s1 = str(next(iter(p.deployed.named.values())).status[i])
            s2 = str(next(iter(p.baseline.named.values())).status[i])
            row[f"{key}:newly_within"] = s1 != BEYOND and s2 == BEYOND
        rows.append(row)
    return rows


def coverage_rows(sr: SystemRun, groups: tuple[str, ...], date: str) -> list[dict[str, Any]]:
    """Members of the scenario's groups: status and share of area within reach from
    each launch area (low and high estimate)."""
    members: list[str] = []
    for g in groups:
        members += [m for m in catalog.group(g).members_on(date) if m not in members]
    by_area = {a.spec.id: {r["iso3"]: r for r in a.coverage.table} for a in sr.areas}
    rows = []
    for iso in members:
        base = next((t[iso] for t in by_area.values() if iso in t), None)
        if base is None:
            continue
        row: dict[str, Any] = {"iso3": iso, "name": base["name"]}
        for a in sr.areas:
            r = by_area[a.spec.id][iso]
            row[f"{a.spec.id}:status"] = r["status"]
            row[f"{a.spec.id}:share"] = r["area_share"]
            row[f"{a.spec.id}:status_high"] = r["status_high"]
            row[f"{a.spec.id}:share_high"] = r["area_share_high"]
            row[f"{a.spec.id}:nearest_km"] = r["nearest_km"]
        rows.append(row)
    first = sr.areas[0].spec.id
    rows.sort(key=lambda r: (r[f"{first}:nearest_km"], r["iso3"]))
    return rows


def flight_table(sr: SystemRun) -> list[dict[str, Any]]:
    """Flight profiles at the scenario's ranges: time, apogee and validity."""
    out = []
    for km_, rows in sr.flight_rows:
        row: dict[str, Any] = {"ground_range_km": km_}
        for r in rows:
            p = r["profile"]
            row[f"{p}:time_s"] = r["time_s"]
            row[f"{p}:apogee_km"] = r["apogee_km"]
            row[f"{p}:valid"] = r["valid"]
            row[f"{p}:notes"] = "; ".join(r["notes"])
        out.append(row)
    return out


def assumptions(sr: SystemRun, tolerance_m: float, min_population: int) -> list[str]:
    """Every model assumption, in words."""
    out = [
        "Distances are exact geodesic distances on the WGS84 ellipsoid (GeographicLib via "
        "pyproj) from each place to the nearest point of the launch area; inside the area "
        "the distance is 0. A country's territory is its Natural Earth 1:10m outline, with "
        "geodesic edges between its vertices.",
        "A place is 'within reach' at or below the low range estimate "
        f"({length_label(sr.range.low_m, sr.unit)})"
        + (
            " and 'possibly within' only below the high estimate "
            f"({length_label(sr.range.high_m, sr.unit)})."
            if two(sr)
            else "."
        ),
        f"Envelopes (the map areas) are the exact set of points within the range of the launch "
        f"area, traced to {tolerance_m:g} m; every boundary vertex and edge midpoint is checked "
        "with the exact distance.",
        "Country coverage: 'full' when all of a country lies within reach, 'partial' when part "
        "of it does; shares are ellipsoidal areas. Counts leave out the country the launch "
        "area lies in.",
        f"Population counts the people of GeoNames places with at least {min_population:,} "
        "inhabitants that lie within reach (not the whole population of a country).",
        "Capitals are GeoNames' capital of each country (most populous place of that name).",
        "Sites (Krychaw, Kapustin Yar, ...) are single points as given by their public "
        "sources; a whole country is its full territory, which is an upper bound of where "
        "launchers could be.",
    ]
    rows = next((r for _, r in sr.flight_rows if r), None)
    if rows:
        a = rows[0]["assumptions"]
        out.append(f"Flight model: {a['earth']}.")
        boost = a["boost"]
        out.append(
            f"Boost phase: {boost['burn_time_s']:g} s burn, burnout at "
            f"{km(boost['burnout_altitude_km'], sr.unit)} altitude and "
            f"{km(boost['burnout_downrange_km'], sr.unit)} "
            f"downrange ({boost['source']})."
        )
        if "energy" in a:
            out.append(f"Trajectory energy: {a['energy']}.")
        out.append(
            "Times are total flight times (boost included) from the nearest point of the launch "
            "area; places inside the area or closer than the model's shortest range have "
            "none (–)."
        )
    out.append(
        "Geography and textbook physics only: no weapon effects, accuracy, defences or "
        "targeting are modelled, and nothing here ranks or recommends targets."
    )
    return out
