"""Build reference distances for tests/test_distance_reference.py.

Independent slow method: GeographicLib's *Python* implementation (not the C
library that pyproj wraps), every boundary vertex measured, then every edge that
the triangle inequality cannot rule out refined by bounded Brent minimisation
along the geodesic edge (xatol 1e-6 m). Edges are the areas' boundaries as
reachmap defines them (densified geodesic edges, antimeridian seams and pole
edges excluded); inside/outside comes from the test case (points are chosen at
least 1 km from the boundary when inside).

Run:  python tests/reference/build_distance_refs.py   (about ten minutes)
Writes tests/reference/distance_refs.json.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np
import shapely
from geographiclib.geodesic import Geodesic
from scipy.optimize import minimize_scalar

import reachmap
from reachmap.area import Area
from reachmap.geodesy.ellipsoid import GEOD

G = Geodesic.WGS84
OUT = Path(__file__).with_name("distance_refs.json")


def ref_distance(area: Area, lon: float, lat: float) -> float:
    b = area.boundary
    edges = np.flatnonzero(b.real)
    verts = np.unique(np.concatenate([edges, b.nxt[edges]]))
    dv = {
        int(v): G.Inverse(lat, lon, b.lat_deg[v], b.lon_deg[v], Geodesic.DISTANCE)["s12"]
        for v in verts
    }
    best = min(dv.values())
    for e in edges:
        a, z = int(e), int(b.nxt[e])
        length = float(b.length_m[e])
        if min(dv[a], dv[z]) - 0.5 * length > best:
            continue
        line = G.InverseLine(b.lat_deg[a], b.lon_deg[a], b.lat_deg[z], b.lon_deg[z])

        def f(s: float, line=line) -> float:
            p = line.Position(s, Geodesic.LATITUDE | Geodesic.LONGITUDE)
            return G.Inverse(lat, lon, p["lat2"], p["lon2"], Geodesic.DISTANCE)["s12"]

        # sample to bracket the minimum, then Brent inside the best bracket
        ss = np.linspace(0.0, length, 9)
        fs = [f(float(s)) for s in ss]
        k = int(np.argmin(fs))
        lo, hi = ss[max(k - 1, 0)], ss[min(k + 1, 8)]
        res = minimize_scalar(f, bounds=(lo, hi), method="bounded", options={"xatol": 1e-6})
        best = min(best, float(res.fun), min(fs))
    return best


def cases() -> list[dict]:
    rng = np.random.default_rng(20261126)
    from reachmap.data import geonames

    world = geonames.cities(15000)
    out: list[dict] = []

    def add(spec: str, label: str, lon: np.ndarray, lat: np.ndarray) -> None:
        out.append(
            {
                "spec": spec,
                "label": label,
                "lon": [float(x) for x in lon],
                "lat": [float(y) for y in lat],
            }
        )

    idx = rng.choice(len(world), 40, replace=False)
    add("BLR", "world cities", world.lon_deg[idx], world.lat_deg[idx])
    # ring of points 0.5-80 km outside/inside Belarus's border, all azimuths
    blr = reachmap.area("BLR")
    b = blr.boundary
    e = rng.choice(np.flatnonzero(b.real), 30, replace=False)
    lon0, lat0, back = GEOD.fwd(b.lon_deg[e], b.lat_deg[e], b.az_start_deg[e], 0.37 * b.length_m[e])
    off = 10 ** rng.uniform(np.log10(500), np.log10(80_000), e.size)
    lon1, lat1, _ = GEOD.fwd(lon0, lat0, np.asarray(back) + 180 + 90, off)
    add("BLR", "near the border, outside", lon1, lat1)
    # nearly antipodal to Belarus (antipode of Minsk is about 53.9 S, 152.4 W)
    add("BLR", "near the antipode", -152.4 + rng.uniform(-6, 6, 12), -53.9 + rng.uniform(-5, 5, 12))
    # Chukotka and the antimeridian: Alaska, Bering Strait, both sides of 180
    add(
        "RUS",
        "antimeridian (Alaska, Bering Sea)",
        np.array([-168.0, -165.4, -170.5, 179.9, -179.9, -175.0, 172.0, -149.9, -162.0]),
        np.array([65.6, 64.5, 63.0, 62.0, 62.0, 60.0, 55.0, 61.2, 60.0]),
    )
    add(
        "FJI",
        "Fiji across 180",
        np.array([179.0, -179.0, 177.0, -178.0, 175.0]),
        np.array([-15.0, -17.5, -20.0, -19.5, -17.0]),
    )
    # South Africa around Lesotho: points inside Lesotho are outside ZAF
    add(
        "ZAF",
        "inside Lesotho (hole)",
        np.array([27.48, 28.2, 28.6]),
        np.array([-29.31, -29.6, -29.0]),
    )
    add("ZAF", "around", np.array([20.0, 33.0, 25.0, 15.0]), np.array([-38.0, -25.0, -20.0, -30.0]))
    add(
        "ATA",
        "Southern Ocean",
        np.array([-68.3, 0.0, 150.0, -120.0, 170.0]),
        np.array([-54.8, -55.0, -60.0, -65.0, -70.0]),
    )
    # France: parts spread in longitude (Guiana, Reunion, Corsica)
    add(
        "FRA",
        "multipolygon spread in longitude",
        np.array([-52.0, 55.5, 9.0, -60.0, 45.0, 2.35]),
        np.array([3.0, -20.0, 41.0, 14.0, -13.0, 48.86]),
    )
    return out


def main() -> int:
    t0 = time.time()
    results = []
    for case in cases():
        area = reachmap.area(case["spec"])
        lon, lat = np.array(case["lon"]), np.array(case["lat"])
        inside = shapely.intersects_xy(area.geometry, lon, lat)
        refs = [
            0.0 if ins else ref_distance(area, float(x), float(y))
            for x, y, ins in zip(lon, lat, inside, strict=True)
        ]
        results.append({**case, "ref_m": refs})
        print(
            f"{case['spec']:4s} {case['label']:40s} {len(refs):3d} points "
            f"{time.time() - t0:6.0f} s",
            file=sys.stderr,
        )
    meta = {
        "method": "geographiclib (Python) vertex scan + bounded Brent on candidate edges, "
        "xatol 1e-6 m",
        "geographiclib": __import__("geographiclib").__version__,
        "reachmap": reachmap.__version__,
    }
    OUT.write_text(json.dumps({"meta": meta, "cases": results}, indent=1) + "\n")
    print(f"wrote {OUT} in {time.time() - t0:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
