"""The planar-buffer seeded path of envelopes (:mod:`reachmap.envelope.seed`).

Checked against independent references: the exact distance (GeographicLib via pyproj)
at the boundary and at random points, the grid-traced envelope of the same area, and
the two inequalities the path rests on, measured directly (shapely's planar distance
against the exact distance).
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import shapely
from test_envelope import _check_boundary, _check_random

import reachmap
from reachmap.envelope import core, seed
from reachmap.envelope.contour import Frame
from reachmap.envelope.core import envelope, verify
from reachmap.envelope.levelset import LevelSet
from reachmap.geodesy.ellipsoid import B_M
from reachmap.geodesy.rings import to_shapely


def _grid(area: reachmap.Area, range_m: float, monkeypatch: pytest.MonkeyPatch):
    with monkeypatch.context() as m:
        m.setattr(core, "seed_loops", lambda ls, tol: None)
        env = envelope(area, range_m)
    assert env.seed == "grid"
    return env


CASES = [
    ("BLR", 500e3),
    ("BLR", 1000e3),
    ("53.71,31.70", 500e3),  # a point
    ("ZAF", 300e3),  # Lesotho: a hole in the area
    ("64.73,177.51", 500e3),  # Anadyr: across the antimeridian
]


@pytest.mark.parametrize(("spec", "range_m"), [*CASES, (("BLR", "LTU", "52.0,36.0"), 500e3)])
def test_seeded_envelope_is_exact_and_matches_the_grid(spec, range_m, monkeypatch):
    # the last case: two countries sharing a border and a point (several specs)
    area = reachmap.area(*spec) if isinstance(spec, tuple) else reachmap.area(spec)
    env = envelope(area, range_m)
    assert env.seed == "aeqd buffer", seed.last_rejection
    _check_boundary(env, area)
    _check_random(env, area, n=4000, seed=8)
    # the same region as the grid traces: the symmetric difference is a sliver along
    # the boundary no wider than the tolerance on each side
    grid = _grid(area, range_m, monkeypatch)
    a, b = to_shapely(env.polygons), to_shapely(grid.polygons)
    sliver = shapely.area(shapely.symmetric_difference(a, b))
    assert sliver <= 2 * env.tolerance_m / 111e3 * shapely.length(shapely.boundary(a)) * 1.5
    assert len(env.polygons) == len(grid.polygons)
    assert [len(p) for p in env.polygons] == [len(p) for p in grid.polygons]


def test_reported_errors_are_the_exact_ones():
    # The seeded path takes edge errors from densifying's last round: recomputing them
    # from scratch over the final polygons must give the same numbers.
    area = reachmap.area("BLR")
    env = envelope(area, 500e3)
    v_err, e_err = verify(LevelSet(area, 500e3), env.polygons)
    assert env.max_edge_error_m == pytest.approx(e_err, rel=0, abs=1e-9)
    assert env.max_vertex_error_m == pytest.approx(v_err, rel=0, abs=1e-9)


def test_plane_distance_bounds_the_exact_distance():
    # d <= D + eps and D <= k d + eps (module doc), on random points around Belarus
    area = reachmap.area("BLR")
    ls = LevelSet(area, 1000e3)
    frame = Frame(*seed._centre(ls))
    b = area.boundary
    x, y = seed._to_plane(frame, b.lon_deg, b.lat_deg)
    plane = seed.ring_polygons(area, x, y)
    rng = np.random.default_rng(3)
    n = 3000
    az, s = rng.uniform(0, 2 * math.pi, n), rng.uniform(0, 1_500e3, n)
    px, py = s * np.sin(az), s * np.cos(az)
    lon, lat = frame.to_lonlat(px, py)
    d = area.distance_m(lon, lat)
    big_d = shapely.distance(plane, shapely.points(px, py))
    radius = float(np.hypot(x, y).max()) + 1.05 * 1_500e3
    k = (radius / B_M) / math.sin(radius / B_M)
    eps = b.max_edge_m**2 / (8 * B_M) + 1.0
    assert np.all(d <= big_d + eps)
    assert np.all(big_d <= k * d + eps)
    # and not vacuous: the plane distance is off by hundreds of metres out there
    assert np.max(big_d - d) > 100


def test_a_hole_closing_within_the_band_falls_back_to_the_grid(tmp_path):
    # An atoll: a ring-shaped island around a lagoon of radius ~300 km. The envelope
    # has a hole in the lagoon only below ~300 km; at 299 km the hole is ~1 km wide,
    # thinner than the band the planar bounds leave, so the fast path must decline.
    az = np.linspace(0, 2 * np.pi, 256, endpoint=False)
    outer = [[10 + 4.6 * np.sin(a) / np.cos(np.radians(30)), 30 + 4.6 * np.cos(a)] for a in az]
    inner = [[10 + 2.7 * np.sin(a) / np.cos(np.radians(30)), 30 + 2.7 * np.cos(a)] for a in az]
    geom = {"type": "Polygon", "coordinates": [outer + outer[:1], inner[::-1] + inner[-1:]]}
    path = tmp_path / "atoll.geojson"
    path.write_text(json.dumps({"type": "Feature", "geometry": geom, "properties": {}}))
    area = reachmap.area(str(path))
    centre = float(area.distance_m(10.0, 30.0))  # the lagoon's deepest point
    ls = LevelSet(area, centre - 1e3)
    assert seed.seed_loops(ls, 50.0) is None
    assert seed.last_rejection == "topology changes within the band"
    # far from the critical range the fast path applies, and has the hole
    env = envelope(area, centre - 60e3)
    assert env.seed == "aeqd buffer", seed.last_rejection
    assert [len(p) for p in env.polygons] == [2]
    _check_boundary(env, area)


def test_large_ranges_use_the_grid():
    area = reachmap.area("BLR")
    assert envelope(area, 5500e3).seed == "grid"
    assert seed.last_rejection in ("band too wide", "frame too wide")
