"""Many launch points (issue 8, section 2): the indexed nearest point against the brute
force over every (point, query) pair with GeographicLib (pyproj), and envelopes of
many points checked with that brute force, not with the index under test."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reachmap.area import AreaPart, from_parts
from reachmap.envelope.core import envelope
from reachmap.geodesy.points import BRUTE_MAX_POINTS, PointSet, brute_force
from reachmap.geodesy.rings import wrap_lon


def _europe(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.column_stack([rng.uniform(-10, 40, n), rng.uniform(36, 70, n)])


def _world(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    lat = np.degrees(np.arcsin(rng.uniform(-1, 1, n)))
    return np.column_stack([rng.uniform(-180, 180, n), lat])


def _area(points: np.ndarray):  # type: ignore[no-untyped-def]
    return from_parts([], points, [AreaPart("points", "geojson", "points")])


def _queries(points: np.ndarray, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Random places, the points' own positions, their antipodes and near-antipodes,
    the poles and the antimeridian."""
    q = _world(n, seed)
    anti = np.column_stack([points[:, 0] - 180 * np.sign(points[:, 0] + 1e-300), -points[:, 1]])
    near_anti = anti + np.random.default_rng(seed).normal(0, 0.3, anti.shape)
    near_anti[:, 1] = np.clip(near_anti[:, 1], -90, 90)
    near_anti[:, 0] = (near_anti[:, 0] + 180) % 360 - 180
    extra = np.array([[0.0, 90.0], [0.0, -90.0], [180.0, 10.0], [-180.0, -10.0]])
    allq = np.concatenate([q, points[:50], anti[:50], near_anti[:50], extra])
    return allq[:, 0].copy(), allq[:, 1].copy()


@pytest.mark.parametrize("make", [_europe, _world])
def test_index_is_the_brute_force_bit_for_bit(make) -> None:  # type: ignore[no-untyped-def]
    pts = make(1000, 8)
    lon, lat = _queries(pts, 3000, 1)
    got = PointSet(pts).nearest(lon, lat)
    ref = brute_force(pts, lon, lat)
    assert np.array_equal(got.distance_m, ref.distance_m)
    assert np.array_equal(got.index, ref.index)
    assert np.array_equal(got.azimuth_deg, ref.azimuth_deg)


def test_ties_go_to_the_first_point_as_in_the_brute_force() -> None:
    pts = _europe(200, 3)
    pts = np.concatenate([pts, pts[::-1]])  # every point twice
    lon, lat = _queries(pts, 500, 2)
    got = PointSet(pts).nearest(lon, lat)
    ref = brute_force(pts, lon, lat)
    assert np.array_equal(got.index, ref.index)
    assert np.all(got.index < 200)


def test_a_cluster_seen_from_its_antipode() -> None:
    """Near the antipode every point of a tight cluster is nearly as far: the angle
    bound lets most through, and the answer is still the brute force's."""
    rng = np.random.default_rng(5)
    pts = np.column_stack([rng.normal(27.5, 0.5, 500), rng.normal(53.9, 0.5, 500)])
    lon = rng.normal(27.5 - 180, 1.0, 2000)
    lat = rng.normal(-53.9, 1.0, 2000)
    got = PointSet(pts).nearest(lon, lat)
    ref = brute_force(pts, lon, lat)
    assert np.array_equal(got.distance_m, ref.distance_m)
    assert got.distance_m.min() > 19_000e3


@settings(max_examples=25, deadline=None)
@given(
    st.integers(BRUTE_MAX_POINTS + 1, 300),
    st.integers(0, 2**31),
    st.floats(0.01, 60.0),
)
def test_property_index_equals_brute_force(n: int, seed: int, spread_deg: float) -> None:
    rng = np.random.default_rng(seed)
    centre = _world(1, seed)[0]
    pts = np.column_stack(
        [
            (centre[0] + rng.uniform(-spread_deg, spread_deg, n) + 180) % 360 - 180,
            np.clip(centre[1] + rng.uniform(-spread_deg, spread_deg, n) / 2, -90, 90),
        ]
    )
    lon, lat = _queries(pts, 300, seed + 1)
    got = PointSet(pts).nearest(lon, lat)
    ref = brute_force(pts, lon, lat)
    assert np.array_equal(got.distance_m, ref.distance_m)
    assert np.array_equal(got.index, ref.index)


def test_area_distance_of_many_points_is_the_minimum_over_pairs() -> None:
    """Reach sets from 1,000 points: the same distances as the minimum over every pair,
    so the same places within every range."""
    pts = _europe(1000, 8)
    a = _area(pts)
    lon, lat = _queries(pts, 4000, 4)
    lon = wrap_lon(lon, keep_180=True)  # as Area.distance_m reads longitudes
    d = a.distance_m(lon, lat)
    ref = brute_force(pts, lon, lat).distance_m
    assert np.array_equal(d, ref)
    for range_m in (500e3, 5_500e3):
        assert np.array_equal(d <= range_m, ref <= range_m)


@pytest.mark.parametrize(
    ("make", "range_m"), [(_europe, 500e3), (_europe, 5_500e3), (_world, 500e3), (_world, 1_000e3)]
)
def test_envelope_of_many_points_against_the_brute_force(make, range_m: float) -> None:  # type: ignore[no-untyped-def]
    pts = make(1000, 11)
    a = _area(pts)
    env = envelope(a, range_m)
    assert env.kind == "region"
    verts = np.concatenate([r for p in env.polygons for r in p])
    verts = verts[(np.abs(verts[:, 1]) < 90) & (np.abs(verts[:, 0]) < 180)]
    assert len(verts) > 100
    verts = verts[np.random.default_rng(0).choice(len(verts), min(len(verts), 800), replace=False)]
    d = brute_force(pts, verts[:, 0].copy(), verts[:, 1].copy()).distance_m
    assert np.max(np.abs(d - range_m)) < 1e-3  # vertices on d = R
    assert env.max_edge_error_m <= env.tolerance_m / 2
    lon, lat = _queries(pts, 1500, 7)
    lon = wrap_lon(lon, keep_180=True)
    d = brute_force(pts, lon, lat).distance_m
    inside = env.contains(lon, lat)
    band = env.tolerance_m
    far = np.abs(d - range_m) > band
    assert np.array_equal(inside[far], (d <= range_m)[far])  # 0 misclassified
    assert far.sum() > 0.9 * lon.size
