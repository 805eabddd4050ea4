"""Benchmark: launch areas of many points (issue 8, section 2), quiet and with a
competing busy process (bench/contention.py).

1,000 random points (seeded) in Europe (lon -10..40, lat 36..70) and worldwide
(uniform on the sphere), against the 34,006 GeoNames cities of >= 15,000 people:

* distance: ours (:meth:`reachmap.area.Area.distance_m`, the k-d tree of
  :mod:`reachmap.geodesy.points`) against the strongest exact baseline, the minimum
  over every (point, place) pair with pyproj's ``Geod.inv`` (what reachmap did before),
  timed on ``--baseline-places`` places and scaled to all of them; and against one
  point (the goal: many points cost about what one does). Both answers are compared
  (they must be identical).
* envelope at ``--ranges`` (km): ours for 1,000 points against the common GIS baseline,
  the union of the points' geodesic circles (``--circle``-gons from pyproj ``Geod.fwd``,
  shapely ``union_all`` in an azimuthal equidistant plane centred on the points, as in
  bench/envelope.py), with the largest boundary error of both (exact distances); and
  against the envelope of one point (the old grid path took > 300 s for the worldwide
  points at 500 km). Far from the plane's centre (the worldwide points) the baseline's
  circles are distorted or invalid: its error says so, or "failed" names the exception.

Each figure is the median of ``--repeat`` runs, ours and its baselines interleaved, wall
and process CPU time (CPU is far less sensitive to other work on a shared machine). An
Area remembers the distances of its last large point sets: every run starts from a new
Area, so that no repeat times a look-up.
Prints one JSON object; ratios baseline / ours above 1 mean ours is faster.
Usage: python bench/points.py [--repeat 3] [--ranges 500,5500] [--circle 128] [--modes quiet,busy]
"""

from __future__ import annotations

import argparse
import json
from typing import Any

import numpy as np
from contention import in_mode, interleaved, machine, modes, timed
from envelope import Baseline

from reachmap.area import AreaPart, from_parts
from reachmap.data import geonames
from reachmap.envelope.core import envelope
from reachmap.geodesy.points import brute_force
from reachmap.geodesy.rings import wrap_lon


def _points(kind: str, n: int = 1000) -> np.ndarray:
    rng = np.random.default_rng(8)
    if kind == "europe":
        return np.column_stack([rng.uniform(-10, 40, n), rng.uniform(36, 70, n)])
    lon = rng.uniform(-180, 180, n)
    return np.column_stack([lon, np.degrees(np.arcsin(rng.uniform(-1, 1, n)))])


def _area(pts: np.ndarray) -> Any:
    return from_parts([], pts, [AreaPart("points", "geojson", f"{len(pts)} points")])


def _circles(base: Baseline, r_m: float) -> Any:
    try:
        return base.envelope(r_m)
    except Exception as exc:  # a GEOS topology error on distorted circles
        return exc


def figures(
    repeat: int, ranges_km: list[float], baseline_places: int, n_circle: int
) -> dict[str, Any]:
    towns = geonames.cities()
    lon = wrap_lon(np.asarray(towns.lon_deg, dtype=np.float64), keep_180=True)
    lat = np.asarray(towns.lat_deg, dtype=np.float64)
    sub = np.random.default_rng(0).choice(lon.size, baseline_places, replace=False)
    out: dict[str, Any] = {}
    minsk = np.array([[27.5667, 53.9]])
    for kind in ("europe", "world"):
        pts = _points(kind)
        fig, outs = interleaved(
            {
                "ours": lambda pts=pts: _area(pts).distance_m(lon, lat),
                "one_point": lambda: _area(minsk).distance_m(lon, lat),
            },
            repeat,
        )
        base, ref = timed(lambda pts=pts: brute_force(pts, lon[sub], lat[sub]), 1)
        scale = lon.size / baseline_places
        fig["places"] = int(lon.size)
        fig["brute_force_scaled_s"] = base["median_s"] * scale
        fig["brute_force_cpu_scaled_s"] = base["cpu_median_s"] * scale
        fig["identical_to_brute_force"] = bool(np.array_equal(outs["ours"][sub], ref.distance_m))
        fig["ratio_brute_force_over_ours"] = fig["brute_force_scaled_s"] / fig["ours"]["median_s"]
        fig["cpu_ratio_brute_force_over_ours"] = (
            fig["brute_force_cpu_scaled_s"] / fig["ours"]["cpu_median_s"]
        )
        fig["cpu_ratio_ours_over_one_point"] = (
            fig["ours"]["cpu_median_s"] / fig["one_point"]["cpu_median_s"]
        )
        res: dict[str, Any] = {"distance": fig}
        circles = Baseline(_area(pts), pts, n_circle)
        for r_km in ranges_km:
            r = r_km * 1e3
            env_fig, outs = interleaved(
                {
                    "ours": lambda pts=pts, r=r: envelope(_area(pts), r),
                    "circles": lambda r=r, c=circles: _circles(c, r),
                    "one_point": lambda r=r: envelope(_area(minsk), r),
                },
                repeat,
            )
            env = outs["ours"]
            env_fig["ours"].update(
                seed=env.seed,
                kind=env.kind,
                vertices=env.n_vertices,
                max_vertex_error_m=env.max_vertex_error_m,
                max_edge_error_m=env.max_edge_error_m,
            )
            got = outs["circles"]
            if isinstance(got, Exception):
                env_fig["circles"]["failed"] = f"{type(got).__name__}: {got}"
            else:
                env_fig["circles"]["max_boundary_error_m"] = circles.boundary_error_m(got, r)
                env_fig["cpu_ratio_circles_over_ours"] = (
                    env_fig["circles"]["cpu_median_s"] / env_fig["ours"]["cpu_median_s"]
                )
            env_fig["cpu_ratio_ours_over_one_point"] = (
                env_fig["ours"]["cpu_median_s"] / env_fig["one_point"]["cpu_median_s"]
            )
            res[f"envelope_{r_km:g}_km"] = env_fig
        out[kind] = res
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--ranges", default="500,5500")
    p.add_argument("--baseline-places", type=int, default=2000)
    p.add_argument("--circle", type=int, default=128, help="vertices per baseline circle")
    p.add_argument("--modes", default="quiet,busy")
    args = p.parse_args()
    ranges = [float(x) for x in args.ranges.split(",")]
    result: dict[str, Any] = {
        "benchmark": "1,000 launch points (Europe, worldwide): distance to 34,006 places and "
        "envelopes, ours vs brute force and the union of geodesic circles",
        "goal": "distance: brute force / ours >> 1, ours / one point small; envelope: ours no "
        "slower than the circle union, and exact",
        "machine": machine(),
    }
    for mode in modes(args.modes):
        result[mode] = in_mode(
            mode, lambda: figures(args.repeat, ranges, args.baseline_places, args.circle)
        )
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
