"""Benchmark: exact distance from all 170,391 GeoNames places (pop >= 1,000) to Belarus.

Compared in the same run with
  (a) the floor: one pyproj Geod.inv per place (to Minsk) - the cost of a single
      exact geodesic per place, which any exact method must pay at least once;
  (b) brute force: pyproj Geod.inv from every place to each of Belarus's Natural
      Earth 1:10m boundary vertices, minimum taken (still not exact: it ignores
      points between vertices). Run on a random subsample and scaled linearly
      (its cost is exactly proportional to the number of places).

Prints one JSON object: times, ratios (ours / floor, brute force / ours), peak
memory, and how far the vertex brute force is from the exact answer.
Usage: python bench/distance.py [--sample 2000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import resource
import time

import numpy as np

import reachmap
from reachmap.data import countries, geonames
from reachmap.geodesy.ellipsoid import GEOD


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sample", type=int, default=2000, help="places for the brute-force baseline")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    places = geonames.cities(1000)
    lon, lat = places.lon_deg, places.lat_deg
    n = len(places)
    blr = reachmap.area("BLR")
    blr.distance_m(lon[:100], lat[:100])  # build the boundary, load compiled kernels

    ours = best_of(lambda: blr.distance_m(lon, lat), args.repeat)
    mlon, mlat = np.full(n, 27.5667), np.full(n, 53.9)
    floor = best_of(lambda: GEOD.inv(mlon, mlat, lon, lat), args.repeat)

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
    brute_sub = time.perf_counter() - t
    brute_full = brute_sub * n / sub.size
    exact = blr.distance_m(lon[sub], lat[sub])
    outside = exact > 0

    print(
        json.dumps(
            {
                "benchmark": "distance: 170k places to Belarus (Natural Earth 1:10m)",
                "places": n,
                "boundary_vertices": int(len(verts)),
                "ours_s": ours,
                "floor_one_inverse_per_place_s": floor,
                "brute_force_vertices_s_extrapolated": brute_full,
                "brute_force_sample": int(sub.size),
                "ratio_ours_over_floor": ours / floor,
                "ratio_brute_force_over_ours": brute_full / ours,
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "brute_force_max_excess_m": float(np.max(brute_d[outside] - exact[outside])),
                "goal": "ours/floor <= 2, brute force/ours >= 200, peak < 1 GB",
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
