"""Ring helpers (reachmap.geodesy.rings), ellipsoidal areas (reachmap.geodesy.areas) and
the sphere/ellipsoid stretch bound, against shapely and GeographicLib (the pure-Python
package, an implementation independent of pyproj's C library)."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from geographiclib.geodesic import Geodesic
from geographiclib.polygonarea import PolygonArea
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from reachmap.geodesy.areas import geodesic_polygons_area_m2, polygons_area_m2, ring_area_m2
from reachmap.geodesy.boundary import densify_ring
from reachmap.geodesy.ellipsoid import A_M, GEOD, STRETCH_MAX, conformal_lat_rad, conformal_scale
from reachmap.geodesy.rings import (
    SNAP_DEG,
    clean_ring,
    closed_coords,
    from_shapely,
    orient_ring,
    oriented_ring,
    polygon_rings,
    signed_area,
    snap_ring,
    to_shapely,
    wrap_lon,
)

G = Geodesic.WGS84
SQUARE_CW = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 1.0], [1.0, 0.0]])

# --- cleaning and orientation ---------------------------------------------------------------


def test_clean_ring_drops_duplicates_and_closing_repeats() -> None:
    raw = [[0, 0], [0, 0], [0, 1], [1, 1], [1, 1], [1, 0], [0, 0], [0, 0]]
    assert clean_ring(raw).tolist() == SQUARE_CW.tolist()
    assert clean_ring(np.empty((0, 2))).shape == (0, 2)
    assert clean_ring([[5, 5], [5, 5]]).tolist() == [[5.0, 5.0]]


@given(
    st.lists(st.floats(0.0, 2 * np.pi, exclude_max=True), min_size=3, max_size=12, unique=True),
    st.lists(st.floats(0.1, 40.0), min_size=12, max_size=12),
    st.floats(-100, 100),
    st.floats(-40, 40),
    st.booleans(),
)
@settings(max_examples=200, deadline=None)
def test_signed_area_and_orientation_agree_with_shapely(
    angles: list[float], radii: list[float], lon0: float, lat0: float, reverse: bool
) -> None:
    # star-shaped around (lon0, lat0): a simple ring, so its orientation is defined
    t = np.sort(np.asarray(angles))
    assume(np.max(np.diff(np.r_[t, t[0] + 2 * np.pi])) < 0.9 * np.pi)  # centre in the kernel
    r = np.asarray(radii[: len(t)])
    ring = np.column_stack([lon0 + r * np.cos(t), lat0 + r * np.sin(t)])
    ring = ring[::-1] if reverse else ring
    a = signed_area(ring)
    assert abs(a) == pytest.approx(shapely.Polygon(ring).area, rel=1e-9, abs=1e-9)
    if abs(a) > 1e-6:
        assert (a > 0) == shapely.LinearRing(ring).is_ccw
        for exterior in (True, False):
            out = orient_ring(ring, exterior=exterior)
            assert shapely.LinearRing(out).is_ccw == exterior


def test_oriented_ring_is_clean_contiguous_or_none() -> None:
    out = oriented_ring(np.vstack([SQUARE_CW, SQUARE_CW[:1]]), exterior=True)
    assert out is not None and out.flags.c_contiguous and signed_area(out) == 1.0
    hole = oriented_ring(SQUARE_CW[::-1], exterior=False)
    assert hole is not None and signed_area(hole) == -1.0
    assert oriented_ring([[0, 0], [1, 1], [2, 2], [0, 0]], exterior=True) is None  # zero area
    assert oriented_ring([[0, 0], [1, 1], [0, 0]], exterior=True) is None  # two vertices


def test_snap_ring_moves_natural_earth_artefacts_onto_the_frame() -> None:
    ring = np.array([[-179.99999999999991, -89.99999999999994], [10.0, 89.9999], [179.9, 0.0]])
    out = snap_ring(ring)
    assert out.tolist() == [[-180.0, -90.0], [10.0, 89.9999], [179.9, 0.0]]
    assert ring[0, 0] == -179.99999999999991  # a copy: the input is unchanged
    assert snap_ring([[180 - 0.5 * SNAP_DEG, 0.0]])[0, 0] == 180.0


def test_wrap_lon_scalar_and_array() -> None:
    assert wrap_lon([180.0, 190.0, -180.0, -190.0, 540.0]).tolist() == [
        -180.0,
        -170.0,
        -180.0,
        170.0,
        -180.0,
    ]
    assert wrap_lon([180.0, 190.0], keep_180=True).tolist() == [180.0, -170.0]
    assert wrap_lon(370.0).shape == ()
    assert float(wrap_lon(370.0)) == pytest.approx(10.0, abs=1e-12)


# --- shapely and GeoJSON conversion -----------------------------------------------------------


def test_shapely_round_trip_keeps_holes_and_the_right_hand_rule() -> None:
    outer = np.array([[0.0, 0.0], [10.0, 0.0], [10.0, 10.0], [0.0, 10.0]])
    hole = np.array([[2.0, 2.0], [2.0, 4.0], [4.0, 4.0], [4.0, 2.0]])
    geom = to_shapely([(outer, hole)])
    assert geom.is_valid and geom.area == pytest.approx(96.0)
    # a clockwise exterior comes back counter-clockwise, the hole clockwise
    (poly,) = from_shapely(shapely.Polygon(outer[::-1], [hole[::-1]]))
    assert signed_area(poly[0]) > 0 and signed_area(poly[1]) < 0
    assert len(poly[0]) == 4  # no closing vertex
    raw = polygon_rings(shapely.Polygon(outer, [hole]))
    assert [r.tolist() for r in raw] == [outer.tolist(), hole.tolist()]


def test_from_shapely_leaves_out_lines_and_empties() -> None:
    mixed = shapely.GeometryCollection(
        [shapely.box(0, 0, 1, 1), shapely.LineString([(0, 0), (5, 5)]), shapely.Polygon()]
    )
    out = from_shapely(mixed)
    assert len(out) == 1 and len(out[0]) == 1


def test_closed_coords_orient_and_close() -> None:
    coords = closed_coords(SQUARE_CW, exterior=True)
    assert coords[0] == coords[-1] and len(coords) == 5
    assert shapely.LinearRing(coords).is_ccw
    assert not shapely.LinearRing(closed_coords(SQUARE_CW[::-1], exterior=False)).is_ccw


# --- areas ----------------------------------------------------------------------------------


def test_lonlat_area_formula_against_geographiclib() -> None:
    # a ring with long lon/lat edges, densified so that geodesic and lon/lat edges agree
    ring = np.array([[-10.0, 40.0], [30.0, 40.0], [30.0, 70.0], [-10.0, 70.0]])
    dense = densify_ring(ring, 0.01)
    ref, _ = GEOD.polygon_area_perimeter(dense[:, 0], dense[:, 1])
    assert ring_area_m2(ring) == pytest.approx(ref, rel=1e-9)
    cap = np.array([[-180.0, 80.0], [180.0, 80.0], [180.0, 90.0], [-180.0, 90.0]])
    # geodesic edges 0.01 deg long along the parallel: they differ from it by ~5e-9
    lon = np.linspace(-180, 180, 36001)
    ref_cap, _ = GEOD.polygon_area_perimeter(lon[:-1], np.full(36000, 80.0))
    assert ring_area_m2(cap) == pytest.approx(abs(ref_cap), rel=2e-8)


def _geographiclib_area_m2(ring: np.ndarray) -> float:
    poly = PolygonArea(G)
    for lon, lat in ring:
        poly.AddPoint(float(lat), float(lon))
    _, _, area = poly.Compute(False, True)
    return float(area)


def test_geodesic_area_against_pure_python_geographiclib() -> None:
    outer = np.array([[23.0, 51.0], [32.0, 51.5], [31.0, 56.0], [24.0, 56.5]])
    hole = np.array([[26.0, 53.0], [26.0, 54.0], [28.0, 54.0], [28.0, 53.0]])
    ref = abs(_geographiclib_area_m2(outer)) - abs(_geographiclib_area_m2(hole))
    # GeographicLib's areas agree to ~0.1 m^2 for a polygon this size; 1e-9 relative is 0.2 m^2
    assert geodesic_polygons_area_m2([(outer, hole)]) == pytest.approx(ref, rel=1e-9)
    # orientation does not matter; the lon/lat area of the same rings differs (edges differ)
    assert geodesic_polygons_area_m2([(outer[::-1], hole)]) == pytest.approx(ref, rel=1e-9)
    assert polygons_area_m2([(outer, hole)]) != pytest.approx(ref, rel=1e-6)


# --- the stretch bound --------------------------------------------------------------------------


def test_stretch_bound_covers_the_conformal_scale() -> None:
    lat = np.linspace(-90.0, 90.0, 180_001)
    k = conformal_scale(lat)
    assert k.min() >= 1.0 - 1e-15  # the conformal sphere never shrinks lengths
    assert k.max() <= STRETCH_MAX
    assert STRETCH_MAX == pytest.approx(1.0033640, abs=1e-7)


def _random_pairs(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    pts = np.column_stack(
        [
            rng.uniform(-180, 180, n),
            np.degrees(np.arcsin(rng.uniform(-1, 1, n))),
            rng.uniform(-180, 180, n),
            np.degrees(np.arcsin(rng.uniform(-1, 1, n))),
        ]
    )
    # short pairs near the poles and along meridians: where the ratios are extreme
    near = pts[: n // 2].copy()
    near[:, 1] = rng.uniform(-90, 90, n // 2)
    near[:, 2] = near[:, 0] + rng.choice([0.0, 1e-3, 0.5], n // 2)
    near[:, 3] = np.clip(near[:, 1] + rng.uniform(-0.5, 0.5, n // 2), -90, 90)
    return np.concatenate([pts[n // 2 :], near])


def _great_circle_rad(lon1, lat1, lon2, lat2) -> np.ndarray:  # type: ignore[no-untyped-def]
    la, pa, lb, pb = (np.radians(x) for x in (lon1, lat1, lon2, lat2))
    h = np.sin((pb - pa) / 2) ** 2 + np.cos(pa) * np.cos(pb) * np.sin((lb - la) / 2) ** 2
    return 2 * np.arcsin(np.sqrt(np.clip(h, 0, 1)))


def test_stretch_bound_between_spheres_and_geodesics() -> None:
    p = _random_pairs(4000, 7)
    geo = np.array([G.Inverse(b, a, d, c)["s12"] for a, b, c, d in p])
    keep = geo > 1.0  # below a metre the ratio is round-off
    p, geo = p[keep], geo[keep]
    # (1) the conformal sphere: great-circle distance <= STRETCH_MAX * geodesic
    chi1, chi2 = np.degrees(conformal_lat_rad(p[:, 1])), np.degrees(conformal_lat_rad(p[:, 3]))
    conformal = A_M * _great_circle_rad(p[:, 0], chi1, p[:, 2], chi2)
    assert np.all(conformal <= STRETCH_MAX * geo * (1 + 1e-12))
    # (2) geodetic latitudes on the sphere: geodesic <= STRETCH_MAX * great-circle distance
    geodetic = A_M * _great_circle_rad(p[:, 0], p[:, 1], p[:, 2], p[:, 3])
    assert np.all(geo <= STRETCH_MAX * geodetic * (1 + 1e-12))
    # the bound is nearly attained (it is not loose by more than 1e-4)
    assert np.max(geo / geodetic) > STRETCH_MAX - 1e-4
