"""Benchmark: envelopes of Belarus at 500 km and 5,500 km, and all-country coverage at
5,500 km, against the common "union of circles" method in the same run.

Baseline: ~1,000 points spread evenly along Belarus's boundary (Natural Earth 1:10m),
a geodesic circle of radius R around each (``--circle`` vertices, exact pyproj
``Geod.fwd``), unioned with shapely in an azimuthal equidistant plane centred on
Belarus (so the circles around the pole stay valid), mapped back to lon/lat. Its
coverage intersects every country with that polygon in the same plane and measures
areas with GeographicLib. Ours: :func:`reachmap.envelope.core.envelope` and
:func:`reachmap.analysis.coverage.coverage_table`.

Boundary error of both: the largest |d - R| over the boundary vertices and the points
at 1/4, 1/2 and 3/4 of every edge (exact distances, ``Area.distance_m``).

Prints one JSON object: times, errors and ratios (baseline / ours).
Usage: python bench/envelope.py [--points 1000] [--circle 128] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

import numpy as np
import shapely
from pyproj import Transformer

import reachmap
from reachmap.analysis.coverage import coverage_table
from reachmap.analysis.reach import RangeSpec
from reachmap.data import countries
from reachmap.envelope.core import envelope
from reachmap.geodesy.ellipsoid import GEOD


def best_of(fn: Any, repeat: int) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def boundary_points(area: reachmap.Area, n: int) -> np.ndarray:
    """``n`` points spread evenly (by length) along the area's rings."""
    rings = [np.asarray(r) for p in area.polygons for r in p]
    lengths = []
    for r in rings:
        nxt = np.roll(r, -1, axis=0)
        _, _, s = GEOD.inv(r[:, 0], r[:, 1], nxt[:, 0], nxt[:, 1])
        lengths.append(np.asarray(s))
    total = sum(float(s.sum()) for s in lengths)
    out = []
    for r, s in zip(rings, lengths, strict=True):
        k = max(1, round(n * float(s.sum()) / total))
        cum = np.concatenate([[0.0], np.cumsum(s)])
        at = np.linspace(0, cum[-1], k, endpoint=False)
        i = np.searchsorted(cum, at, side="right") - 1
        t = (at - cum[i]) / np.where(s[i] > 0, s[i], 1)
        nxt = np.roll(r, -1, axis=0)
        out.append(r[i] + t[:, None] * (nxt[i] - r[i]))
    return np.concatenate(out)


class Baseline:
    """Union of geodesic circles around boundary points, in an AEQD plane."""

    def __init__(self, area: reachmap.Area, n_points: int, n_circle: int) -> None:
        self.area = area
        self.pts = boundary_points(area, n_points)
        lon0, lat0 = self.pts.mean(axis=0)
        aeqd = f"+proj=aeqd +lat_0={lat0} +lon_0={lon0} +ellps=WGS84 +units=m"
        self.fwd = Transformer.from_crs("EPSG:4326", aeqd, always_xy=True)
        self.inv = Transformer.from_crs(aeqd, "EPSG:4326", always_xy=True)
        self.n_circle = n_circle

    def envelope(self, range_m: float) -> shapely.Geometry:
        az = np.linspace(0, 360, self.n_circle, endpoint=False)
        lon0 = np.repeat(self.pts[:, 0], az.size)
        lat0 = np.repeat(self.pts[:, 1], az.size)
        lon, lat, _ = GEOD.fwd(lon0, lat0, np.tile(az, len(self.pts)), np.full(lon0.size, range_m))
        x, y = self.fwd.transform(lon, lat)
        rings = np.stack([x, y], axis=1).reshape(len(self.pts), az.size, 2)
        circles = shapely.polygons(rings)
        area_xy = [self._project(p) for p in self.area.polygons]
        return shapely.union_all([*circles, *area_xy])

    def _project(self, poly: Any) -> shapely.Polygon:
        rings = [np.column_stack(self.fwd.transform(r[:, 0], r[:, 1])) for r in poly]
        return shapely.Polygon(rings[0], rings[1:])

    def boundary_error_m(self, geom: shapely.Geometry, range_m: float) -> float:
        worst = 0.0
        for ring in shapely.get_parts(shapely.boundary(geom)):
            xy = shapely.get_coordinates(ring)
            a, b = xy[:-1], xy[1:]
            pts = np.concatenate([a + t * (b - a) for t in (0.0, 0.25, 0.5, 0.75)])
            lon, lat = self.inv.transform(pts[:, 0], pts[:, 1])
            d = self.area.distance_m(lon, lat)
            worst = max(worst, float(np.max(np.abs(d - range_m))))
        return worst

    def coverage(self, geom: shapely.Geometry) -> dict[str, float]:
        """Area share within the baseline polygon for every country (GeographicLib)."""
        shapely.prepare(geom)
        out = {}
        for c in countries.countries():
            parts = [self._project(p) for p in c.polygons]
            shape = shapely.make_valid(shapely.MultiPolygon(parts))
            inter = shapely.intersection(shape, geom)
            within = 0.0
            if not inter.is_empty:
                back = shapely.transform(
                    inter, lambda xy: np.column_stack(self.inv.transform(xy[:, 0], xy[:, 1]))
                )
                within = abs(GEOD.geometry_area_perimeter(back)[0])
            total = abs(GEOD.geometry_area_perimeter(c.shapely())[0])
            out[c.iso3] = min(1.0, within / total) if total else 0.0
        return out


def ours_boundary_error_m(env: Any) -> float:
    worst = 0.0
    for poly in env.polygons:
        for ring in poly:
            a, b = ring, np.roll(ring, -1, axis=0)
            frame = ((np.abs(a[:, 0]) == 180) | (np.abs(a[:, 1]) == 90)) & (
                (np.abs(b[:, 0]) == 180) | (np.abs(b[:, 1]) == 90)
            )
            a, b = a[~frame], b[~frame]
            pts = np.concatenate([a + t * (b - a) for t in (0.0, 0.25, 0.5, 0.75)])
            pts = pts[np.abs(pts[:, 1]) < 90]
            d = env.area.distance_m(pts[:, 0], pts[:, 1])
            worst = max(worst, float(np.max(np.abs(d - env.range_m))))
    return worst


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--points", type=int, default=1000, help="baseline boundary points")
    ap.add_argument("--circle", type=int, default=128, help="vertices per baseline circle")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    blr = reachmap.area("BLR")
    envelope(blr, 100e3)  # load kernels and data once
    base = Baseline(blr, args.points, args.circle)
    result: dict[str, Any] = {
        "benchmark": "envelope: Belarus (Natural Earth 1:10m), ours vs union of circles",
        "baseline": f"{len(base.pts)} boundary points x {args.circle}-gon geodesic circles, "
        "shapely union in an AEQD plane",
    }
    for km in (500, 5500):
        r = km * 1e3
        t_ours, env = best_of(lambda r=r: envelope(blr, r), args.repeat)
        t_base, geom = best_of(lambda r=r: base.envelope(r), args.repeat)
        err_ours, err_base = ours_boundary_error_m(env), base.boundary_error_m(geom, r)
        result[f"envelope_{km}km"] = {
            "ours_s": t_ours,
            "baseline_s": t_base,
            "time_ratio_baseline_over_ours": t_base / t_ours,
            "ours_max_boundary_error_m": err_ours,
            "baseline_max_boundary_error_m": err_base,
            "error_ratio_baseline_over_ours": err_base / err_ours,
            "ours_vertices": env.n_vertices,
            "ours_reported": {
                "max_vertex_error_m": env.max_vertex_error_m,
                "max_edge_error_m": env.max_edge_error_m,
                "tolerance_m": env.tolerance_m,
            },
        }
    rng = RangeSpec(5_500e3, 5_500e3)
    t_cov, cov = best_of(lambda: coverage_table(blr, rng), 1)

    def base_cov() -> dict[str, float]:
        return base.coverage(base.envelope(5_500e3))

    t_bcov, shares = best_of(base_cov, 1)
    ours = {r["iso3"]: r for r in cov.rows(include_none=True)}
    diff = [abs(ours[k]["area_share"] - v) for k, v in shares.items() if k in ours]
    status_base = {
        k: ("none" if v == 0 else "full" if v > 1 - 1e-4 else "partial") for k, v in shares.items()
    }
    disagree = sorted(k for k, s in status_base.items() if k in ours and ours[k]["status"] != s)
    result["coverage_5500km"] = {
        "ours_s": t_cov,
        "baseline_s": t_bcov,
        "time_ratio_baseline_over_ours": t_bcov / t_cov,
        "countries": len(ours),
        "max_area_share_difference": max(diff),
        "status_disagreements": disagree,
        "ours_full_partial": [cov.summary()["countries_full"], cov.summary()["countries_partial"]],
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
