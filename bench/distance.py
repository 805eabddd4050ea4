"""Benchmark: exact distance from all 170,391 GeoNames places (pop >= 1,000) to Belarus.

Compared in the same run with
  (a) the floor: one pyproj Geod.inv per place (to Minsk) - the cost of a single
      exact geodesic per place, which any exact method must pay at least once;
  (b) brute force: pyproj Geod.inv from every place to each of Belarus's Natural
      Earth 1:10m boundary vertices, minimum taken (still not exact: it ignores
      points between vertices). Run on a random subsample and scaled linearly
      (its cost is exactly proportional to the number of places).

Each figure is measured quiet and with a competing busy process (bench/contention.py),
also with reachmap limited to one thread, so that "never slower than its
single-threaded self" can be read off.

Prints one JSON object: times (median of repeats), ratios (ours / floor, brute force /
ours, ours / ours on one thread), peak memory, the machine load, and how far the vertex
brute force is from the exact answer.
Usage: python bench/distance.py [--sample 2000] [--repeat 5] [--modes quiet,busy]
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from typing import Any

import numpy as np
from contention import in_mode, machine, modes, timed

import reachmap
from reachmap.data import countries, geonames
from reachmap.geodesy.ellipsoid import GEOD


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sample", type=int, default=2000, help="places for the brute-force baseline")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--modes", default="quiet,busy")
    args = ap.parse_args()

    places = geonames.cities(1000)
    lon, lat = places.lon_deg, places.lat_deg
    n = len(places)
    blr = reachmap.area("BLR")
    blr.distance_m(lon[:100], lat[:100])  # build the boundary, load compiled kernels
    mlon, mlat = np.full(n, 27.5667), np.full(n, 53.9)

    def ours() -> Any:
        # An Area remembers the distances of its last large point sets (area.py): forget
        # them, or every repeat after the first would time a dictionary look-up.
        memo = getattr(blr, "_memo", None)
        if memo is not None:
            memo.clear()
        return blr.distance_m(lon, lat)

    def one_thread() -> Any:
        try:
            from reachmap.geodesy import threads
        except ImportError:  # an older reachmap: numba's own threads
            import numba

            numba.set_num_threads(1)
            try:
                return ours()
            finally:
                numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)
        threads.set_threads(1)
        try:
            return ours()
        finally:
            threads.set_threads(None)

    def figures() -> dict[str, Any]:
        # interleaved, so that a change in the machine's load hits every figure alike
        res: dict[str, Any] = {}
        runs = {
            "ours": ours,
            "ours_one_thread": one_thread,
            "floor_one_inverse_per_place": lambda: GEOD.inv(mlon, mlat, lon, lat),
        }
        samples: dict[str, list[dict[str, Any]]] = {k: [] for k in runs}
        for _ in range(args.repeat):
            for k, fn in runs.items():
                samples[k].append(timed(fn, 1)[0])
        for k, rows in samples.items():
            walls = sorted(r["median_s"] for r in rows)
            cpus = sorted(r["cpu_median_s"] for r in rows)
            res[k] = {
                "median_s": walls[len(walls) // 2],
                "max_s": walls[-1],
                "cpu_median_s": cpus[len(cpus) // 2],
            }
        res["ratio_ours_over_floor"] = (
            res["ours"]["median_s"] / res["floor_one_inverse_per_place"]["median_s"]
        )
        res["cpu_ratio_ours_over_floor"] = (
            res["ours"]["cpu_median_s"] / res["floor_one_inverse_per_place"]["cpu_median_s"]
        )
        res["ratio_ours_over_one_thread"] = (
            res["ours"]["median_s"] / res["ours_one_thread"]["median_s"]
        )
        return res

    result: dict[str, Any] = {
        "benchmark": "distance: 170k places to Belarus (Natural Earth 1:10m)",
        "places": n,
        "machine": machine(),
        "goal": "ours/floor <= 2 quiet and busy, ours/one thread <= 1, brute force/ours >= 200, "
        "peak < 1 GB",
    }
    for mode in modes(args.modes):
        result[mode] = in_mode(mode, figures)

    rng = np.random.default_rng(0)
    sub = rng.choice(n, min(args.sample, n), replace=False)
    verts = np.concatenate([np.asarray(r) for p in countries.country("BLR").polygons for r in p])

    def brute() -> np.ndarray:
        best = np.full(sub.size, np.inf)
        for vlon, vlat in verts:
            _, _, d = GEOD.inv(np.full(sub.size, vlon), np.full(sub.size, vlat), lon[sub], lat[sub])
            best = np.minimum(best, d)
        return best

    t = time.perf_counter()
    brute_d = brute()
    brute_full = (time.perf_counter() - t) * n / sub.size
    exact = blr.distance_m(lon[sub], lat[sub])
    outside = exact > 0
    first = result[modes(args.modes)[0]]
    result["brute_force"] = {
        "boundary_vertices": int(len(verts)),
        "sample": int(sub.size),
        "extrapolated_s": brute_full,
        "ratio_brute_force_over_ours": brute_full / first["ours"]["median_s"],
        "max_excess_m": float(np.max(brute_d[outside] - exact[outside])),
    }
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
