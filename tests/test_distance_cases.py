"""Named geometric cases and invariants of the exact distance engine.

References are independent of the engine: GeographicLib's Python implementation
(geographiclib.geodesic), constructions whose answer is known by design (a point
at a right angle from an edge), and invariants every distance function has.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from geographiclib.geodesic import Geodesic
from hypothesis import given, settings
from hypothesis import strategies as st

import reachmap
from reachmap.geodesy.boundary import DENSIFY_TOLERANCE_M
from reachmap.geodesy.ellipsoid import GEOD

G = Geodesic.WGS84
TOL_M = 1e-3  # the accuracy requirement of the distance engine


def _geojson_area(tmp_path: Path, rings: list[list[list[float]]], name: str = "a.geojson"):
    path = tmp_path / name
    path.write_text(json.dumps({"type": "Polygon", "coordinates": rings}))
    return reachmap.area(str(path))


def test_point_area_is_one_inverse() -> None:
    a = reachmap.area("53.9,27.5667")
    got = a.distance_m(np.array([30.5234, -0.1276]), np.array([50.4501, 51.5072]))
    ref = [
        G.Inverse(53.9, 27.5667, 50.4501, 30.5234)["s12"],
        G.Inverse(53.9, 27.5667, 51.5072, -0.1276)["s12"],
    ]
    np.testing.assert_allclose(got, ref, atol=TOL_M, rtol=0)


@pytest.mark.parametrize("offset_m", [0.002, 0.3, 1.0, 4.0, 7.0, 50.0, 900.0])
def test_right_angle_offsets_from_belarus_edges(offset_m: float, belarus: reachmap.Area) -> None:
    """A point reached from an edge's interior at a right angle, by offset_m, is
    offset_m away on the outside and inside (0) on the other side."""
    a = belarus
    b = a.boundary
    # long edges, so the foot is far from vertices and other edges
    edges = np.flatnonzero(b.real & (b.length_m > 4000))[::7][:12]
    lon0, lat0, back = GEOD.fwd(
        b.lon_deg[edges], b.lat_deg[edges], b.az_start_deg[edges], 0.5 * b.length_m[edges]
    )
    edge_az = np.asarray(back) + 180
    out_lon, out_lat, _ = GEOD.fwd(lon0, lat0, edge_az + 90, np.full(edges.size, offset_m))
    in_lon, in_lat, _ = GEOD.fwd(lon0, lat0, edge_az - 90, np.full(edges.size, offset_m))
    d_out = a.distance_m(out_lon, out_lat)
    d_in = a.distance_m(in_lon, in_lat)
    if offset_m <= 900:
        # another part of the border could be nearer only for large offsets
        np.testing.assert_allclose(d_out, offset_m, atol=TOL_M, rtol=0)
    np.testing.assert_array_equal(d_in, 0.0)


def test_points_on_vertices_and_edges_are_zero(belarus: reachmap.Area) -> None:
    a = belarus
    b = a.boundary
    v = np.flatnonzero(b.real)[:50]
    assert np.all(a.distance_m(b.lon_deg[v], b.lat_deg[v]) <= TOL_M)
    lon, lat, _ = GEOD.fwd(b.lon_deg[v], b.lat_deg[v], b.az_start_deg[v], 0.25 * b.length_m[v])
    assert np.all(a.distance_m(lon, lat) <= TOL_M)


def test_polygon_containing_the_north_pole(tmp_path: Path) -> None:
    ring = [[-180, 80], [-90, 80], [0, 80], [90, 80], [180, 80], [180, 90], [-180, 90], [-180, 80]]
    a = _geojson_area(tmp_path, [ring])
    np.testing.assert_array_equal(a.distance_m([0, 45, 180, -180, 10], [85, 90, 89, 81, 90]), 0.0)
    lons = np.array([0.0, 100.0, 180.0, -180.0, -45.0])
    got = a.distance_m(lons, np.full(5, 79.0))
    ref = [G.Inverse(79, lon, 80, lon)["s12"] for lon in lons]
    # the boundary is the parallel 80N densified into geodesics that stay within
    # DENSIFY_TOLERANCE_M of it (they bulge poleward), so the meridian arc is the
    # reference to within that tolerance
    np.testing.assert_allclose(got, ref, atol=DENSIFY_TOLERANCE_M, rtol=0)
    assert np.all(got >= np.array(ref) - 1e-9)


def test_duplicate_vertices_and_zero_length_edges(tmp_path: Path) -> None:
    clean = [[20, 50], [24, 50], [24, 53], [20, 53], [20, 50]]
    dup = [[20, 50], [20, 50], [24, 50], [24, 50], [24, 50], [24, 53], [20, 53], [20, 53], [20, 50]]
    a = _geojson_area(tmp_path, [clean], "clean.geojson")
    b = _geojson_area(tmp_path, [dup], "dup.geojson")
    lon = np.array([10.0, 22.0, 30.0, 22.0, 25.0])
    lat = np.array([45.0, 51.0, 60.0, 49.9, 53.5])
    np.testing.assert_array_equal(a.distance_m(lon, lat), b.distance_m(lon, lat))


def test_deep_concavity_against_brute_force(tmp_path: Path) -> None:
    """A U-shaped area; points in the notch are nearest to an arm, not the bottom."""
    u = [[0, 0], [10, 0], [10, 10], [8, 10], [8, 2], [2, 2], [2, 10], [0, 10], [0, 0]]
    a = _geojson_area(tmp_path, [u])
    lon = np.array([5.0, 5.0, 2.5, 7.9, 5.0, -3.0])
    lat = np.array([9.0, 2.5, 6.0, 3.0, 11.0, 5.0])
    got = a.distance_m(lon, lat)
    b = a.boundary
    for k in range(lon.size):
        assert abs(got[k] - _brute(b, lon[k], lat[k])) <= TOL_M


def _brute(b, lon: float, lat: float) -> float:
    """Golden-section minimum over every real edge with GeographicLib (Python)."""
    best = np.inf
    for e in np.flatnonzero(b.real):
        line = G.InverseLine(b.lat_deg[e], b.lon_deg[e], b.lat_deg[b.nxt[e]], b.lon_deg[b.nxt[e]])

        def f(s: float, line=line) -> float:
            p = line.Position(s)
            return G.Inverse(lat, lon, p["lat2"], p["lon2"])["s12"]

        ss = np.linspace(0, line.s13, 41)
        k = int(np.argmin([f(s) for s in ss]))
        lo, hi = ss[max(k - 1, 0)], ss[min(k + 1, 40)]
        phi = (np.sqrt(5) - 1) / 2
        for _ in range(80):  # golden section to ~1e-9 of the bracket
            m1, m2 = hi - phi * (hi - lo), lo + phi * (hi - lo)
            if f(m1) < f(m2):
                hi = m2
            else:
                lo = m1
        best = min(best, f(0.5 * (lo + hi)), f(0.0), f(line.s13))
    return best


def test_invalid_coordinates_give_nan(belarus: reachmap.Area) -> None:
    a = belarus
    d = a.distance_m([27.5, 27.5, np.nan], [91.0, 53.9, 10.0])
    assert np.isnan(d[0]) and d[1] == 0.0 and np.isnan(d[2])


def test_shape_in_shape_out() -> None:
    a = reachmap.area("kapustin-yar")
    d = a.distance_m(np.array([[30.0, 31.0], [32.0, 33.0]]), 50.0)
    assert d.shape == (2, 2)
    assert a.distance_m(np.array([]), np.array([])).shape == (0,)
    # a scalar in gives a scalar out, equal to the array path's element
    one = a.distance_m(30.0, 50.0)
    assert isinstance(one, np.float64) and np.ndim(one) == 0
    assert one == d[0, 0] and a.distance_m(np.float64(30.0), np.asarray(50.0)) == one
    assert a.distance_m([30.0], [50.0]).shape == (1,)
    assert np.isnan(a.distance_m(30.0, 91.0))  # invalid: NaN, still a scalar


_lon = st.floats(min_value=10, max_value=45, allow_nan=False)
_lat = st.floats(min_value=44, max_value=62, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(_lon, _lat, _lon, _lat)
def test_distance_is_one_lipschitz(
    belarus: reachmap.Area, lon1: float, lat1: float, lon2: float, lat2: float
) -> None:
    """|d(p) - d(q)| <= geodesic(p, q): any distance-to-set function obeys this."""
    a = belarus
    d = a.distance_m([lon1, lon2], [lat1, lat2])
    pq = G.Inverse(lat1, lon1, lat2, lon2)["s12"]
    assert d[0] >= 0 and d[1] >= 0
    assert abs(d[0] - d[1]) <= pq + 1e-6


@settings(max_examples=40, deadline=None)
@given(st.floats(min_value=-180, max_value=180), st.floats(min_value=-89, max_value=89))
def test_never_farther_than_any_vertex(lon: float, lat: float) -> None:
    a = reachmap.area("LSO")
    b = a.boundary
    d = float(a.distance_m(lon, lat))
    _, _, dv = GEOD.inv(b.lon_deg, b.lat_deg, np.full(len(b), lon), np.full(len(b), lat))
    # 3e-8 m: twice GeographicLib's 15 nm error bound (inverse solved in either direction)
    assert 0 <= d <= float(np.min(dv)) + 3e-8


def test_regression_near_antipode_screen_angle_beyond_pi(tmp_path: Path) -> None:
    """Regression: near the antipode the screening angle (upper bound + model error)
    exceeded pi, where a cosine comparison is no longer monotonic, and the nearest
    vertex was screened out (answers 2-5 km too long); also the model sphere must
    not wrap past pi from the calibration vertex. Checked by brute force."""
    tri = [[27.0, 53.0], [28.5, 53.0], [27.7, 54.2], [27.0, 53.0]]
    a = _geojson_area(tmp_path, [tri])
    # around the antipode of (27.7 E, 54.2 N), i.e. (152.3 W, 54.2 S); the first
    # three places failed before the fix
    lon = np.array([-153.7173226602708, -153.22515122293962, -151.80504726091414, -152.3, -152.29])
    lat = np.array([-53.176316021922844, -53.32503138322898, -53.43990374561493, -54.2, -54.21])
    got = a.distance_m(lon, lat)
    for k in range(lon.size):
        assert abs(got[k] - _brute(a.boundary, lon[k], lat[k])) <= TOL_M
