"""Envelopes of archipelagos and fjord coasts at small ranges: the union of exact offset
pieces (:mod:`reachmap.envelope.offset`), clusters of parts that cannot interact
(:mod:`reachmap.envelope.clusters`) and the work limits.

References: the exact distance (GeographicLib via pyproj, itself checked against
GeographicLib's test set in test_distance_reference.py) at every vertex, along every
edge and at random points near the coast; pyproj's ``Geod.inv`` for the separation of
clusters; a pocket whose depth is known in closed form (three points).
"""

from __future__ import annotations

import numpy as np
import pytest
import shapely

import reachmap
from reachmap.envelope import clusters as clustering
from reachmap.envelope import core, offset
from reachmap.envelope.core import DEFAULT_TOLERANCE_M, Envelope, _offset, envelope
from reachmap.envelope.levelset import LevelSet
from reachmap.errors import InputError
from reachmap.geodesy.ellipsoid import GEOD
from reachmap.geodesy.rings import from_shapely


def _check_exact(env: Envelope, area: reachmap.Area, per_edge: int = 3) -> None:
    """Valid rings, every vertex on d = R (0.1 mm), points along every edge within the
    tolerance (at 1/4, 1/2, 3/4 of each lon/lat edge, the antimeridian and poles left
    out) and the stated errors true."""
    assert env.geometry.is_valid
    rings = [r for p in env.polygons for r in p]
    verts = np.concatenate(rings)
    real = np.abs(verts[:, 1]) < 90
    d = area.distance_m(verts[real, 0], verts[real, 1])
    assert np.max(np.abs(d - env.range_m)) < 1e-3
    assert env.max_vertex_error_m < 1e-3
    assert env.max_edge_error_m <= env.tolerance_m / 2
    pts = []
    for ring in rings:
        a, b = ring, np.roll(ring, -1, axis=0)
        border = ((np.abs(a[:, 0]) == 180) | (np.abs(a[:, 1]) == 90)) & (
            (np.abs(b[:, 0]) == 180) | (np.abs(b[:, 1]) == 90)
        )
        a, b = a[~border], b[~border]
        for t in np.arange(1, per_edge + 1) / (per_edge + 1):
            pts.append(a + t * (b - a))
    p = np.concatenate(pts)
    d = area.distance_m(p[:, 0], p[:, 1])
    assert np.max(np.abs(d - env.range_m)) <= env.tolerance_m / 2


def _check_near_coast(env: Envelope, area: reachmap.Area, n: int = 20_000) -> None:
    """inside <=> d <= R at random points within 3 R of random boundary vertices, for
    all points outside the tolerance band; enough of them on both sides."""
    rng = np.random.default_rng(5)
    b = area.boundary
    i = rng.integers(0, len(b), n)
    r = env.range_m
    lon, lat, _ = GEOD.fwd(
        b.lon_deg[i], b.lat_deg[i], rng.uniform(0, 360, n), rng.uniform(0, 3 * r, n)
    )
    d = area.distance_m(lon, lat)
    inside = env.contains(lon, lat)
    band = env.tolerance_m
    assert np.all(inside[d < r - band])
    assert not np.any(inside[d > r + band])
    assert np.sum(d > r + band) > n / 20 and np.sum((d > 0) & (d < r - band)) > n / 20


@pytest.mark.parametrize(("spec", "range_m"), [("IDN", 5e3), ("NOR", 10e3)])
def test_archipelago_and_fjords_at_small_ranges(spec: str, range_m: float) -> None:
    # issue 8: IDN at 5 km ran 122 s and refused; Norway's fjords and skerries at 10 km
    area = reachmap.area(spec)
    env = envelope(area, range_m)
    assert env.seed == "offset union", offset.last_rejection
    _check_exact(env, area)
    _check_near_coast(env, area)
    assert env.dropped == 0


def test_antarctica_in_the_polar_plane() -> None:
    ata = reachmap.area("ATA")
    env = envelope(ata, 50e3)
    assert env.seed == "offset union", offset.last_rejection
    _check_exact(env, ata)
    _check_near_coast(env, ata, n=5_000)
    assert env.contains(0.0, -90.0) and env.contains(123.0, -89.5)


def test_fiji_across_the_antimeridian() -> None:
    fji = reachmap.area("FJI")
    env = envelope(fji, 10e3)
    assert env.seed == "offset union", offset.last_rejection
    _check_exact(env, fji)
    _check_near_coast(env, fji, n=5_000)
    lons = np.concatenate([r[:, 0] for p in env.polygons for r in p])
    assert lons.min() == -180 and lons.max() == 180  # cut, RFC 7946


def test_a_pocket_between_three_discs_is_kept() -> None:
    # Three points on a circle of radius 10.3 km: the discs of 10 km leave a pocket at
    # the centre, 300 m deep (farther than R from all three). 15 points far away make
    # more parts than the planar-buffer path takes, so the offset union traces it.
    centre_lon, centre_lat, rho = 20.0, 40.0, 10.3e3
    az = np.array([0.0, 120.0, 240.0])
    lon, lat, _ = GEOD.fwd(np.full(3, centre_lon), np.full(3, centre_lat), az, np.full(3, rho))
    far = [f"{40.0 + k:.1f},{-30.0 + 2 * k:.1f}" for k in range(15)]
    specs = [f"{y:.9f},{x:.9f}" for x, y in zip(lon, lat, strict=True)] + far
    area = reachmap.area(*specs)
    # points only: envelope() takes the circle union (circles.py); the offset union is
    # asked directly, and both must keep the pocket
    by_offset = _offset(LevelSet(area, 10e3), DEFAULT_TOLERANCE_M)
    assert by_offset is not None, offset.last_rejection
    for env in (by_offset, envelope(area, 10e3)):
        _check_exact(env, area)
        depth = float(area.distance_m(centre_lon, centre_lat)) - 10e3
        assert depth == pytest.approx(300.0, abs=1.0)  # the sphere would say the same to 1 m
        assert not env.contains(centre_lon, centre_lat)
        assert sum(len(p) - 1 for p in env.polygons) == 1  # that one hole
    assert envelope(area, 10e3).seed == "circle union"


def test_clusters_are_farther_apart_than_the_separation() -> None:
    # points 20.0 km apart: one cluster at a separation of 20.1 km, two at 19.9 km
    lon, lat, _ = GEOD.fwd(10.0, 50.0, 90.0, 20e3)
    area = reachmap.area("50,10", f"{lat:.12f},{lon:.12f}")
    assert clustering.clusters(area, 20.1e3)[0] == 1
    # conservative: below the distance the parts may still be merged, but never split
    # when closer; far below they are apart
    assert clustering.clusters(area, 5e3)[0] == 2
    # and on a real archipelago: every pair of parts in different clusters is farther
    # apart than the separation (vertex distances, pyproj)
    phl = reachmap.area("PHL")
    sep = 2 * 5e3 + 200.0
    n, labels = clustering.clusters(phl, sep)
    assert n > 10
    verts = [np.concatenate(p) for p in phl.polygons]
    rng = np.random.default_rng(0)
    for c in rng.choice(n, 6, replace=False):
        mine = np.concatenate([v for v, lab in zip(verts, labels, strict=True) if lab == c])
        rest = np.concatenate([v for v, lab in zip(verts, labels, strict=True) if lab != c])
        centre = mine.mean(axis=0)
        near = rest[np.hypot(*(rest - centre).T) < np.ptp(mine, axis=0).max() + 1.0]
        if len(near) == 0:
            continue
        a = np.repeat(mine, len(near), axis=0)
        b = np.tile(near, (len(mine), 1))
        _, _, d = GEOD.inv(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
        assert np.min(d) > sep


def test_too_much_work_is_refused_up_front_with_what_to_change(cli) -> None:
    can = reachmap.area("CAN")
    with pytest.raises(InputError, match=r"`range_m` of at least .* `tolerance_m` of at least"):
        envelope(can, 1e3)
    code, out, err = cli("envelope", "--from", "CAN", "--range", "1")
    assert code == 2 and out == ""
    assert "--range" in err and "--tolerance" in err and len(err.strip().splitlines()) == 1


def test_the_grid_refuses_up_front_when_the_offset_union_does_not_apply(monkeypatch) -> None:
    can = reachmap.area("CAN")
    monkeypatch.setattr(core, "offset_envelope", lambda ls, tol: None)
    with pytest.raises(InputError, match="too detailed to trace"):
        envelope(can, 10e3)


def test_from_shapely_keeps_polygons_inside_collections() -> None:
    # make_valid returns a collection that can hold a MultiPolygon
    mp = shapely.MultiPolygon([shapely.box(0, 0, 1, 1), shapely.box(2, 0, 3, 1)])
    gc = shapely.GeometryCollection([mp, shapely.LineString([(5, 5), (6, 6)])])
    assert len(from_shapely(gc)) == 2
