"""Nearly antipodal distances and envelopes beyond 15,000 km (issue 8, section 2): the
screening's conformal bound against an unscreened reference (every vertex with
GeographicLib, then every edge the triangle inequality cannot rule out minimised by
golden-section search), and far envelopes checked with it."""

from __future__ import annotations

import numpy as np
import pytest

import reachmap
from reachmap.envelope.core import envelope
from reachmap.geodesy.boundary import Boundary
from reachmap.geodesy.ellipsoid import GEOD

TOL_M = 1e-3  # the project's accuracy requirement (1 mm of GeographicLib)


def _reference(b: Boundary, lon: float, lat: float) -> float:
    """Unscreened exact minimum: every vertex, then golden-section search (to ~1 um) on
    every edge whose ends leave room for a nearer point (d(end) - length/2 <= best)."""
    e = np.flatnonzero(b.real)
    z = b.nxt[e]
    n = len(b)
    _, _, dv = GEOD.inv(np.full(n, lon), np.full(n, lat), b.lon_deg, b.lat_deg)
    dv = np.asarray(dv)
    best = float(np.min(np.concatenate([dv[e], dv[z]])))
    keep = np.minimum(dv[e], dv[z]) - 0.5 * b.length_m[e] <= best
    e, length = e[keep], b.length_m[e[keep]]

    def f(s: np.ndarray, idx: np.ndarray) -> np.ndarray:
        x, y, _ = GEOD.fwd(b.lon_deg[idx], b.lat_deg[idx], b.az_start_deg[idx], s)
        _, _, d = GEOD.inv(np.full(idx.size, lon), np.full(idx.size, lat), x, y)
        return np.asarray(d)

    k = 33
    ss = np.linspace(0.0, 1.0, k)[None, :] * length[:, None]
    fs = f(ss.ravel(), np.repeat(e, k)).reshape(-1, k)
    j = np.argmin(fs, axis=1)
    rows = np.arange(e.size)
    lo, hi = ss[rows, np.maximum(j - 1, 0)], ss[rows, np.minimum(j + 1, k - 1)]
    phi = (np.sqrt(5) - 1) / 2
    for _ in range(60):
        m1, m2 = hi - phi * (hi - lo), lo + phi * (hi - lo)
        left = f(m1, e) < f(m2, e)
        hi, lo = np.where(left, m2, hi), np.where(left, lo, m1)
    return min(best, float(np.min(f(0.5 * (lo + hi), e))), float(fs.min()))


def _near_antipodes(a: reachmap.Area, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Antipodes of random boundary vertices of the area's largest polygon, jittered by
    about a degree."""
    rng = np.random.default_rng(seed)
    b = a.boundary
    main = max(a.model_polygons, key=lambda p: len(p[0]))[0]
    k = np.flatnonzero(np.isin(b.lon_deg, main[:, 0]) & np.isin(b.lat_deg, main[:, 1]))
    k = rng.choice(k, n, replace=False)
    lon = b.lon_deg[k] - 180.0 + rng.normal(0, 1.0, n)
    lat = -b.lat_deg[k] + rng.normal(0, 1.0, n)
    lon = (lon + 180.0) % 360.0 - 180.0
    return lon, np.clip(lat, -90.0, 90.0)


@pytest.mark.parametrize(("spec", "n"), [("BLR", 40), ("USA", 12), ("CHL", 12)])
def test_near_antipodal_distances_match_the_unscreened_reference(spec: str, n: int) -> None:
    a = reachmap.area(spec)
    lon, lat = _near_antipodes(a, n, 8)
    got = a.distance_m(lon, lat)
    assert np.min(got) > 10_000e3  # where the conformal bound screens (CONFORMAL_SCREEN_MIN_M)
    for k in range(n):
        assert abs(got[k] - _reference(a.boundary, lon[k], lat[k])) <= TOL_M


@pytest.mark.parametrize(("spec", "range_m"), [("BLR", 19_500e3), ("USA", 15_000e3)])
def test_far_envelope_vertices_are_at_the_range(spec: str, range_m: float) -> None:
    a = reachmap.area(spec)
    env = envelope(a, range_m)
    assert env.kind == "region"
    verts = np.concatenate([r for p in env.polygons for r in p])
    verts = verts[(np.abs(verts[:, 1]) < 90) & (np.abs(verts[:, 0]) < 180)]
    pick = np.random.default_rng(2).choice(len(verts), 8, replace=False)
    for lon, lat in verts[pick]:
        assert abs(_reference(a.boundary, lon, lat) - range_m) <= TOL_M
    # inside <=> nearer than R for points around the antipodal hole
    lon, lat = _near_antipodes(a, 60, 3)
    d = a.distance_m(lon, lat)
    far = np.abs(d - range_m) > env.tolerance_m
    assert np.array_equal(env.contains(lon, lat)[far], (d <= range_m)[far])
