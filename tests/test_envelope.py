"""Envelopes against independent references: exact distances sampled on the boundary
and at random points, areas of finely sampled geodesic circles (GeographicLib via
pyproj, not the code under test), and the named cases of the issue (pole,
antimeridian, hemisphere, globe, holes, concavity, far-apart parts)."""

from __future__ import annotations

import json

import numpy as np
import pytest
import shapely

import reachmap
from reachmap.envelope.core import Envelope, envelope
from reachmap.envelope.levelset import MAX_DISTANCE_M
from reachmap.errors import InputError
from reachmap.geodesy.ellipsoid import GEOD

ANADYR = "64.73,177.51"  # Chukotka
#: WGS84 surface area (m^2)
GLOBE_M2 = 510_065_621_724_088.4


def _sample_boundary(env: Envelope, per_edge: int = 7) -> np.ndarray:
    """Points at 1/8, 2/8, ... 7/8 of every lon/lat edge, leaving out the lon/lat frame
    (edges on the antimeridian or along a pole only close the polygon)."""
    out = []
    for poly in env.polygons:
        for ring in poly:
            a, b = ring, np.roll(ring, -1, axis=0)
            frame = ((np.abs(a[:, 0]) == 180) | (np.abs(a[:, 1]) == 90)) & (
                (np.abs(b[:, 0]) == 180) | (np.abs(b[:, 1]) == 90)
            )
            a, b = a[~frame], b[~frame]
            for t in np.arange(1, per_edge + 1) / (per_edge + 1):
                out.append(a + t * (b - a))
    return np.concatenate(out)


def _check_boundary(env: Envelope, area: reachmap.Area) -> None:
    """Every vertex within 1 mm and every sampled edge point within the tolerance."""
    verts = np.concatenate([r for p in env.polygons for r in p])
    verts = verts[np.abs(verts[:, 1]) < 90]
    d = area.distance_m(verts[:, 0], verts[:, 1])
    assert np.max(np.abs(d - env.range_m)) < 1e-3
    pts = _sample_boundary(env)
    d = area.distance_m(pts[:, 0], pts[:, 1])
    assert np.max(np.abs(d - env.range_m)) <= env.tolerance_m
    assert env.max_vertex_error_m < 1e-3
    assert env.max_edge_error_m <= env.tolerance_m / 2
    assert env.geometry.is_valid
    assert np.all(np.abs(verts[:, 0]) <= 180)


def _check_random(env: Envelope, area: reachmap.Area, n: int = 3000, seed: int = 0) -> None:
    """inside <=> distance <= R, for random points outside the tolerance band."""
    rng = np.random.default_rng(seed)
    lon = rng.uniform(-180, 180, n)
    lat = np.degrees(np.arcsin(rng.uniform(-1, 1, n)))
    d = area.distance_m(lon, lat)
    inside = env.contains(lon, lat)
    band = env.tolerance_m
    assert np.all(inside[d < env.range_m - band])
    assert not np.any(inside[d > env.range_m + band])


def _circle_area_m2(lon: float, lat: float, range_m: float, n: int = 20000) -> float:
    """Area within ``range_m`` of a point from a finely sampled geodesic circle."""
    az = np.linspace(0, 360, n, endpoint=False)
    clon, clat, _ = GEOD.fwd(np.full(n, lon), np.full(n, lat), az, np.full(n, range_m))
    # clockwise in azimuth order: the circle's inside is on the right, so negate
    area, _ = GEOD.polygon_area_perimeter(clon[::-1], clat[::-1])
    return float(area % GLOBE_M2)


def test_krychaw_5000_km_contains_the_north_pole(krychaw: reachmap.Area) -> None:
    env = envelope(krychaw, 5_000e3)
    assert env.contains(0.0, 90.0)
    assert env.contains(123.0, 89.999)
    assert not env.contains(0.0, -90.0)
    _check_boundary(env, krychaw)
    _check_random(env, krychaw)
    # one polygon, closed along the pole, spanning all longitudes
    assert len(env.polygons) == 1
    lon = env.polygons[0][0][:, 0]
    assert lon.min() == -180 and lon.max() == 180
    # ~4,050 km to the pole (issue text)
    assert float(krychaw.distance_m(0.0, 90.0)) == pytest.approx(4_050e3, abs=10e3)


def test_contains_shape_in_shape_out(krychaw: reachmap.Area) -> None:
    env = envelope(krychaw, 1_000e3)
    assert isinstance(env.contains(31.7, 53.71), np.bool_)  # a scalar in, a scalar out
    grid = env.contains(np.array([[31.7], [0.0]]), np.array([53.71, -60.0]))
    assert grid.shape == (2, 2) and grid.tolist() == [[True, False], [False, False]]
    assert not env.contains(np.nan, 53.71) and env.contains([], []).shape == (0,)


def test_area_of_the_pole_ring_matches_geographiclib(krychaw: reachmap.Area) -> None:
    # 50 m tolerance on a 30,000 km outline bounds the area error by 1.5e9 m^2 (2e-5)
    env = envelope(krychaw, 5_000e3)
    ref = _circle_area_m2(31.70, 53.71, 5_000e3)
    assert env.area_m2 == pytest.approx(ref, rel=2e-5)


def test_tolerance_of_one_metre(krychaw: reachmap.Area) -> None:
    env = envelope(krychaw, 5_000e3, tolerance_m=1.0)
    _check_boundary(env, krychaw)
    assert env.area_m2 == pytest.approx(_circle_area_m2(31.70, 53.71, 5_000e3), rel=1e-6)


def test_chukotka_3000_km_crosses_the_antimeridian_into_alaska() -> None:
    a = reachmap.area(ANADYR)
    env = envelope(a, 3_000e3)
    _check_boundary(env, a)
    nome, anadyr = (-165.41, 64.50), (177.51, 64.73)
    assert env.contains(*nome) and env.contains(*anadyr)
    lons = np.concatenate([r[:, 0] for p in env.polygons for r in p])
    assert lons.min() == -180 and lons.max() == 180  # split, RFC 7946
    assert env.contains(0.0, 90.0)  # the pole is 2,800 km from Anadyr
    small = envelope(a, 1_500e3)  # no pole: two parts, one on each side of 180
    _check_boundary(small, a)
    assert len(small.polygons) == 2 and small.contains(*nome)
    assert env.area_m2 == pytest.approx(_circle_area_m2(177.51, 64.73, 3_000e3), rel=2e-5)


def test_15000_km_is_larger_than_a_hemisphere() -> None:
    a = reachmap.area("10,20")
    env = envelope(a, 15_000e3)
    _check_boundary(env, a)
    _check_random(env, a)
    assert env.area_m2 > GLOBE_M2 / 2
    assert env.contains(0.0, 90.0) and env.contains(0.0, -90.0)
    assert not env.contains(-160.0, -10.0)  # the antipode
    assert env.area_m2 == pytest.approx(_circle_area_m2(20.0, 10.0, 15_000e3), rel=2e-5)


@pytest.mark.parametrize("range_m", [21_000e3, MAX_DISTANCE_M])
def test_beyond_the_farthest_point_is_the_globe(range_m: float, belarus: reachmap.Area) -> None:
    env = envelope(belarus, range_m)
    assert env.kind == "globe"
    assert env.area_m2 == pytest.approx(GLOBE_M2, rel=1e-12)
    assert env.contains([-180.0, 0.0, 179.9], [-90.0, 0.0, 90.0]).all()


def test_range_zero_is_the_area_itself(belarus: reachmap.Area, krychaw: reachmap.Area) -> None:
    a = belarus
    env = envelope(a, 0.0)
    assert env.kind == "area"
    # Natural Earth's edges taken as lon/lat lines vs. as geodesics: 1.5e-6 apart
    assert env.area_m2 == pytest.approx(a.area_m2, rel=1e-5)
    assert envelope(krychaw, 0.0).polygons == ()


def test_south_africa_10_km_has_lesotho_as_a_hole() -> None:
    zaf = reachmap.area("ZAF")
    env = envelope(zaf, 10e3)
    _check_boundary(env, zaf)
    mainland = max(env.polygons, key=lambda p: len(p[0]))
    assert len(mainland) == 2  # exterior + the part of Lesotho farther than 10 km
    maseru_east = (28.2, -29.6)  # central Lesotho, > 10 km from South Africa
    assert float(zaf.distance_m(*maseru_east)) > 10e3
    assert not env.contains(*maseru_east)
    assert env.contains(27.5, -29.3)  # Lesotho within 10 km of the border


def test_far_apart_parts_stay_apart_and_overlapping_ones_merge(krychaw: reachmap.Area) -> None:
    two = reachmap.area(krychaw, "-33.92,18.42")  # Krychaw and Cape Town
    env = envelope(two, 2_000e3)
    _check_boundary(env, two)
    assert len(env.polygons) == 2
    near = reachmap.area("50,10", "50,22")  # 860 km apart: discs of 800 km overlap
    env = envelope(near, 800e3)
    _check_boundary(env, near)
    assert len(env.polygons) == 1 and len(env.polygons[0]) == 1


def test_deep_concavity_gives_a_valid_polygon(tmp_path) -> None:
    # a "C" opening east: arms 2 deg apart, 8 deg deep; at 50 km the envelope keeps
    # a deep notch whose two sides meet in sharp corners
    c_shape = [
        [0, 0], [10, 0], [10, 1], [1, 1], [1, 3], [10, 3], [10, 4], [0, 4], [0, 0],
    ]  # fmt: skip
    path = tmp_path / "c.geojson"
    geom = {"type": "Polygon", "coordinates": [c_shape]}
    path.write_text(json.dumps({"type": "Feature", "geometry": geom, "properties": {}}))
    a = reachmap.area(str(path))
    for range_m in (50e3, 150e3):
        env = envelope(a, range_m)
        _check_boundary(env, a)
        _check_random_local(env, a)


def _check_random_local(env: Envelope, a: reachmap.Area) -> None:
    rng = np.random.default_rng(1)
    lon, lat = rng.uniform(-3, 13, 4000), rng.uniform(-3, 7, 4000)
    d = a.distance_m(lon, lat)
    inside = env.contains(lon, lat)
    assert np.all(inside[d < env.range_m - env.tolerance_m])
    assert not np.any(inside[d > env.range_m + env.tolerance_m])


def test_belarus_500_and_5500_km(belarus: reachmap.Area) -> None:
    blr = belarus
    for range_m in (500e3, 5_500e3):
        env = envelope(blr, range_m)
        _check_boundary(env, blr)
        _check_random(env, blr, seed=int(range_m))
    assert envelope(blr, 5_500e3).contains(0.0, 90.0)


@pytest.mark.parametrize(
    ("range_m", "tolerance_m", "match"),
    [
        (-1.0, 50.0, "`range_m` must be"),
        (float("nan"), 50.0, "`range_m` must be"),
        (1e6, 0.5, "`tolerance_m` must be between 1 m and 10 km"),
        (1e6, 20e3, "`tolerance_m` must be between 1 m and 10 km"),
    ],
)
def test_bad_input(range_m: float, tolerance_m: float, match: str, belarus: reachmap.Area) -> None:
    with pytest.raises(InputError, match=match):
        envelope(belarus, range_m, tolerance_m)


def test_geometry_is_a_shapely_multipolygon(krychaw: reachmap.Area) -> None:
    env = envelope(krychaw, 1_000e3)
    assert isinstance(env.geometry, shapely.MultiPolygon)
    assert env.to_json()["max_edge_error_m"] <= 25.0


def _geodesic_circle_area_m2(lon: float, lat: float, radius_m: float) -> float:
    """GeographicLib (Python): area of a geodesic circle, 3,600 vertices on it."""
    from geographiclib.geodesic import Geodesic

    poly = Geodesic.WGS84.Polygon()
    for az in np.arange(0.0, 360.0, 0.1):
        p = Geodesic.WGS84.Direct(lat, lon, az, radius_m)
        poly.AddPoint(p["lat2"], p["lon2"])
    _, _, area = poly.Compute(False, True)
    return abs(area)


@pytest.mark.parametrize("radius_m", [1.0, 10.0, 50.0, 100.0])
@pytest.mark.parametrize("spec", ["53.9,27.56", "-33.9,18.4"])
def test_envelope_of_a_point_below_100_m_is_not_empty(spec: str, radius_m: float) -> None:
    # Regression (issue 8): below ~100 m the envelope of a point had 0 polygons and
    # area 0 ("every vertex checked"): the grid's finest cell is 250 m. Reference: the
    # exact area of the geodesic circle (GeographicLib, 3,600 vertices: 1e-6 of it low),
    # pi R^2 to first order. Ours has chords sagging by at most R / 1,000, so it lies
    # inside the circle and holds at least 1 - 2e-3 of its area.
    area = reachmap.area(spec)
    lon, lat = area.points[0]
    env = envelope(area, radius_m, 1.0)
    ref = _geodesic_circle_area_m2(lon, lat, radius_m)
    assert ref == pytest.approx(np.pi * radius_m**2, rel=1e-4)
    assert len(env.polygons) == 1 and env.kind == "region"
    assert 1 - 2e-3 <= env.area_m2 / ref <= 1 + 1e-6
    assert env.max_vertex_error_m < 1e-6 and env.max_edge_error_m <= 1e-3 * radius_m
    assert env.contains(lon, lat)
    out_lon, out_lat, _ = GEOD.fwd(lon, lat, 45.0, 1.01 * radius_m)
    assert not env.contains(out_lon, out_lat)


def test_envelope_of_close_points_at_10_m_is_their_union() -> None:
    # Two points 10 m apart at R = 10 m: one region, the union of two geodesic circles
    # (the corners where they meet put in exactly); its area against a Monte-Carlo
    # estimate with exact distances (GeographicLib through pyproj) on 200,000 points.
    area = reachmap.area("53.9,27.56", "53.90009,27.56")
    env = envelope(area, 10.0, 1.0)
    assert len(env.polygons) == 1 and env.max_vertex_error_m < 1e-6
    rng = np.random.default_rng(3)
    x0, y0, x1, y1 = env.geometry.bounds
    pad = 1e-4
    lon = rng.uniform(x0 - pad, x1 + pad, 200_000)
    lat = rng.uniform(y0 - pad, y1 + pad, 200_000)
    box = abs(GEOD.polygon_area_perimeter([x0 - pad, x1 + pad, x1 + pad, x0 - pad],
                                         [y0 - pad, y0 - pad, y1 + pad, y1 + pad])[0])  # fmt: skip
    ref = box * np.mean(area.distance_m(lon, lat) <= 10.0)
    # Monte-Carlo: standard error ~ box * sqrt(p (1 - p) / n) = 1.3 m^2 on ~500 m^2
    assert env.area_m2 == pytest.approx(ref, abs=6.0)
