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
* envelope at ``--ranges`` (km): ours for 1,000 points against the envelope of one point
  at the same range (the old grid path took > 300 s for the worldwide points at 500 km).

Prints one JSON object; ratios above 1 mean ours is faster.
Usage: python bench/points.py [--repeat 3] [--ranges 500,5500] [--modes quiet,busy]
"""

from __future__ import annotations

import argparse
import json
from typing import Any

import numpy as np
from contention import in_mode, machine, modes, timed

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


def figures(repeat: int, ranges_km: list[float], baseline_places: int) -> dict[str, Any]:
    towns = geonames.cities()
    lon = wrap_lon(np.asarray(towns.lon_deg, dtype=np.float64), keep_180=True)
    lat = np.asarray(towns.lat_deg, dtype=np.float64)
    sub = np.random.default_rng(0).choice(lon.size, baseline_places, replace=False)
    out: dict[str, Any] = {}
    one = _area(np.array([[27.5667, 53.9]]))
    for kind in ("europe", "world"):
        pts = _points(kind)
        fig: dict[str, Any] = {}
        ours, d = timed(lambda pts=pts: _area(pts).distance_m(lon, lat), repeat)
        single, _ = timed(lambda: one.distance_m(lon, lat), repeat)
        base, ref = timed(lambda pts=pts: brute_force(pts, lon[sub], lat[sub]), 1)
        scale = lon.size / baseline_places
        fig["distance"] = {
            "places": int(lon.size),
            "ours": ours,
            "one_point": single,
            "brute_force_scaled_s": base["median_s"] * scale,
            "brute_force_cpu_scaled_s": base["cpu_median_s"] * scale,
            "identical_to_brute_force": bool(np.array_equal(d[sub], ref.distance_m)),
            "ratio_brute_force_over_ours": base["median_s"] * scale / ours["median_s"],
            "ratio_ours_over_one_point": ours["median_s"] / single["median_s"],
        }
        for r_km in ranges_km:
            env_stats, env = timed(lambda pts=pts, r=r_km: envelope(_area(pts), r * 1e3), repeat)
            one_stats, _ = timed(lambda r=r_km: envelope(one, r * 1e3), repeat)
            fig[f"envelope_{r_km:g}_km"] = {
                "ours": env_stats,
                "one_point": one_stats,
                "seed": env.seed,
                "kind": env.kind,
                "vertices": env.n_vertices,
                "max_vertex_error_m": env.max_vertex_error_m,
                "max_edge_error_m": env.max_edge_error_m,
                "ratio_ours_over_one_point": env_stats["median_s"] / one_stats["median_s"],
            }
        out[kind] = fig
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--ranges", default="500,5500")
    p.add_argument("--baseline-places", type=int, default=2000)
    p.add_argument("--modes", default="quiet,busy")
    args = p.parse_args()
    ranges = [float(x) for x in args.ranges.split(",")]
    result: dict[str, Any] = {"machine": machine()}
    for mode in modes(args.modes):
        result[mode] = in_mode(mode, lambda: figures(args.repeat, ranges, args.baseline_places))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
