"""Nearest and farthest distances of countries (analysis/extremes.py) against brute force.

References: GeographicLib's own Python implementation (``geographiclib``) on points
sampled along the countries' model edges (geodesics between the densified vertices,
the shape every distance in reachmap uses), and pyproj only to find the neighbourhood
of the answer among all vertex pairs. Regression tests for issue 8, part 3: KIR from
Belarus was "partial" at 5,296 km (it is 12,636 km away), UMI from -2,-165 "partial" at
198.5 km (581.5 km), and "farthest" was the largest vertex distance.
"""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from geographiclib.geodesic import Geodesic

import reachmap
from reachmap.analysis.coverage import coverage_table
from reachmap.analysis.extremes import (
    COVER_EPS_DEG,
    FARTHEST_TOL_M,
    INTERIOR_TOL_M,
    Extremes,
    _piece_bound,
    _toward_area,
    build_outlines,
    covers,
    extremes,
    outlines,
)
from reachmap.analysis.interiors import cell_radius_m, interior_max, interiors_max
from reachmap.analysis.reach import RangeSpec
from reachmap.area import Area
from reachmap.data import countries
from reachmap.geodesy.boundary import Boundary
from reachmap.geodesy.ellipsoid import GEOD

WGS84 = Geodesic.WGS84


def _index(iso3: str) -> int:
    return [c.iso3 for c in outlines().items].index(iso3)


def _model_edges(iso3: str) -> tuple[np.ndarray, np.ndarray]:
    """Start and end vertices of the country's model edges (real ones)."""
    b = reachmap.area(iso3).boundary
    e = np.flatnonzero(b.real)
    start = np.column_stack([b.lon_deg[e], b.lat_deg[e]])
    end = np.column_stack([b.lon_deg[b.nxt[e]], b.lat_deg[b.nxt[e]]])
    return start, end


def _along(a: np.ndarray, b: np.ndarray, step_m: float) -> np.ndarray:
    """Points every ``step_m`` along the geodesic a -> b (GeographicLib, Python)."""
    line = WGS84.InverseLine(a[1], a[0], b[1], b[0])
    n = max(2, int(np.ceil(line.s13 / step_m)) + 1)
    pts = [line.Position(s) for s in np.linspace(0, line.s13, n)]
    return np.array([[p["lon2"], p["lat2"]] for p in pts])


def _geo(lon1: float, lat1: float, pts: np.ndarray) -> np.ndarray:
    return np.array([WGS84.Inverse(lat1, lon1, la, lo)["s12"] for lo, la in pts])


def _point_extreme(point: tuple[float, float], iso3: str, sign: int) -> float:
    """min (sign 1) or max (sign -1) of the distance from a point over the model
    boundary: every edge sampled every 1 km (pyproj), then around the best samples of
    the three best edges every 1 m, then every 0.1 mm (GeographicLib) - the extreme is
    off by < 0.1 mm even at a kink (slope at most 1)."""
    start, end = _model_edges(iso3)
    az, _, length = GEOD.inv(start[:, 0], start[:, 1], end[:, 0], end[:, 1])
    n = (np.asarray(length) // 1000).astype(int) + 2
    edge = np.repeat(np.arange(len(start)), n)
    t = np.concatenate([np.linspace(0, 1, k) for k in n])
    lon, lat, _ = GEOD.fwd(start[edge, 0], start[edge, 1], az[edge], t * length[edge])
    _, _, d = GEOD.inv(np.full(edge.size, point[0]), np.full(edge.size, point[1]), lon, lat)
    key = sign * np.asarray(d)
    per_edge = np.full(len(start), np.inf)
    np.minimum.at(per_edge, edge, key)
    vals = []
    for i in np.argsort(per_edge)[:3]:
        line = WGS84.InverseLine(start[i][1], start[i][0], end[i][1], end[i][0])
        mine = edge == i
        s_best = t[mine][np.argmin(key[mine])] * line.s13
        for half, step in ((1000.0, 1.0), (1.0, 1e-4)):
            s = np.clip(np.arange(s_best - half, s_best + half + step / 2, step), 0, line.s13)
            pos = [line.Position(x) for x in s]
            dist = sign * np.array(
                [WGS84.Inverse(point[1], point[0], p["lat2"], p["lon2"])["s12"] for p in pos]
            )
            s_best = s[np.argmin(dist)]
        vals.append(float(dist.min()))
    return float(sign * min(vals))


@pytest.fixture(scope="module")
def from_belarus(belarus: Area) -> Extremes:
    return extremes(belarus)


def test_kir_nearest_from_belarus_across_the_globe(belarus: Area, from_belarus: Extremes) -> None:
    # The closest pair: the best of all vertex pairs (pyproj), then the edges at both
    # ends sampled every 2 m (GeographicLib): one end of the pair is a vertex (module
    # doc), so this is the answer to well under a millimetre (2 m spacing at 12,600 km:
    # (1 m)^2 / (2 x 12,600 km) = 4e-8 m).
    kir_a, kir_b = _model_edges("KIR")
    blr = belarus.boundary
    blr_v = np.column_stack([blr.lon_deg, blr.lat_deg])
    n, m = len(blr_v), len(kir_a)
    _, _, d = GEOD.inv(
        np.repeat(blr_v[:, 0], m), np.repeat(blr_v[:, 1], m), np.tile(kir_a[:, 0], n),
        np.tile(kir_a[:, 1], n),
    )  # fmt: skip
    i, j = divmod(int(np.argmin(d)), m)
    near_kir = [k for k in range(m) if np.array_equal(kir_b[k], kir_a[j])] + [j]
    ref = float(np.min(d))
    for k in near_kir:
        ref = min(ref, float(_geo(*blr_v[i], _along(kir_a[k], kir_b[k], 2.0)).min()))
    e_blr = np.flatnonzero(blr.real & ((np.arange(n) == i) | (blr.nxt == i)))
    for k in e_blr:
        pts = _along(blr_v[k], blr_v[blr.nxt[k]], 2.0)
        ref = min(
            ref, min(WGS84.Inverse(kir_a[j][1], kir_a[j][0], la, lo)["s12"] for lo, la in pts)
        )
    ours = from_belarus.nearest_m[_index("KIR")]
    assert ref / 1e3 == pytest.approx(12_636.4, abs=0.1)  # the figure of the issue
    assert ours == pytest.approx(ref, abs=1e-3)


def test_umi_nearest_from_a_point_and_its_status() -> None:
    # UMI's atolls are spread over the Pacific: the nearest is an exact point-to-edge
    # distance, not an interpolation between vertices of different rings.
    res = coverage_table(reachmap.area("-2,-165"), RangeSpec(300e3, 300e3))
    row = next(r for r in res.rows(include_none=True) if r["iso3"] == "UMI")
    ref = _point_extreme((-165.0, -2.0), "UMI", 1)
    assert ref / 1e3 == pytest.approx(581.5, abs=0.1)
    assert row["nearest_km"] * 1e3 == pytest.approx(ref, abs=1e-3)
    assert row["status"] == "none"
    kir = next(r for r in res.rows(include_none=True) if r["iso3"] == "KIR")
    assert kir["status"] == "none"


def test_farthest_inside_an_edge_and_at_the_antipode() -> None:
    # From -27,-155 the antipode (27 N, 25 E) lies just inside Egypt, 0.5 km east of its
    # border with Libya, a single geodesic edge near the 25 E meridian. Libya's farthest
    # point is inside that edge, ~5 km farther than any vertex; Egypt's is the antipode
    # itself, half a meridian away (the largest distance on WGS84), found by the
    # interior search.
    area = reachmap.area("-27,-155")
    ext = extremes(area)
    data = outlines()
    k = _index("LBY")
    ref = _point_extreme((-155.0, -27.0), "LBY", -1)
    sel = data.owner == k
    vertex_max = np.max(area.distance_m(data.lon[sel], data.lat[sel]))
    assert ext.farthest_m[k] == pytest.approx(ref, abs=2 * FARTHEST_TOL_M)
    assert ext.farthest_m[k] > vertex_max + 5e3
    half_meridian = WGS84.Inverse(-27.0, -155.0, 27.0, 25.0)["s12"]
    egy = ext.farthest_m[_index("EGY")]
    assert half_meridian - INTERIOR_TOL_M <= egy <= half_meridian
    assert "EGY" in ext.interior_searched and not ext.lower_bounds


def test_farthest_point_inside_lesotho_from_south_africa() -> None:
    # Lesotho fills a hole of South Africa: every point of its border is at distance 0,
    # the farthest point is inside. Reference: a grid in Lesotho refined three times
    # (0.05, 0.005, 0.0005 deg), the distance to the hole's vertices (pyproj) - an
    # over-estimate by < 2 m (1 km edges seen from 75 km); the finest grid's spacing
    # (~50 m) bounds what it misses by 40 m.
    zaf = reachmap.area("ZAF")
    ext = extremes(zaf)
    lso = countries.country("LSO").shapely()
    hole = next(
        r for p in zaf.polygons for r in p[1:] if shapely.Polygon(r).intersects(lso.centroid)
    )

    def dist(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        m = len(hole)
        _, _, d = GEOD.inv(
            np.repeat(lon, m), np.repeat(lat, m), np.tile(hole[:, 0], lon.size),
            np.tile(hole[:, 1], lon.size),
        )  # fmt: skip
        return np.asarray(d).reshape(lon.size, m).min(axis=1)

    x0, y0, x1, y1 = lso.bounds
    cx, cy, half = (x0 + x1) / 2, (y0 + y1) / 2, max(x1 - x0, y1 - y0) / 2
    best = 0.0
    for step in (0.05, 0.005, 0.0005):
        g = np.arange(-half, half + step / 2, step)
        lon, lat = (v.ravel() for v in np.meshgrid(cx + g, cy + g))
        keep = shapely.contains_xy(lso, lon, lat)
        d = dist(lon[keep], lat[keep])
        i = int(np.argmax(d))
        best, cx, cy, half = float(d[i]), lon[keep][i], lat[keep][i], 6 * step
    row = ext.farthest_m[_index("LSO")]
    assert 60e3 < best < 90e3
    assert row == pytest.approx(best, abs=45.0)
    assert ext.nearest_m[_index("LSO")] == 0.0
    assert "LSO" in ext.interior_searched and not ext.lower_bounds


@pytest.mark.parametrize("iso3", ["RUS", "FJI", "ATA"])
def test_an_area_covers_its_own_outline_across_the_antimeridian(iso3: str) -> None:
    # The area's rings are snapped at +-180 deg on their own, which leaves a sliver of
    # the country outside (RUS: 2e-15 deg^2, ~1e-9 m wide): exact cover fails, the
    # tolerant one holds; a neighbour and a spike wider than the tolerance do not.
    area = reachmap.area(iso3)
    own = countries.country(iso3).shapely()
    assert not shapely.covers(area.geometry, own)
    assert covers(area.geometry, own)
    x, y = own.representative_point().coords[0]
    w = 1e3 * COVER_EPS_DEG  # ~0.1 m wide at the base, out to 1 deg past the country
    x1 = own.bounds[2] + 1.0 if iso3 != "RUS" else x
    y1 = y if iso3 != "RUS" else own.bounds[3] + 1.0
    spike = shapely.Polygon([(x, y - w), (x1, y1), (x, y + w), (x - w, y)])
    assert not covers(area.geometry, shapely.union(own, spike))
    assert not covers(reachmap.area("RUS").geometry, countries.country("BLR").shapely())


def test_farthest_of_a_country_from_itself_is_zero() -> None:
    # Regression (issue 8 report build): Fiji from Fiji was not seen as covered (the
    # antimeridian sliver), so the boundary search bisected edges on which d_A = 0 until
    # its budget ran out and reported 4.8 m as a lower bound; Russia from Russia spent
    # 110 s of the report's cold build so.
    ext = extremes(reachmap.area("FJI"), build_outlines([countries.country("FJI")]))
    assert ext.farthest_m[0] == 0.0 and ext.nearest_m[0] == 0.0
    assert not ext.lower_bounds


def test_cell_radius_bounds_the_distance_from_the_centre() -> None:
    # The interior search prunes a lon/lat cell by d_A(centre) + radius: the radius must
    # bound the geodesic distance (GeographicLib) from the centre to every point of the
    # cell, near the poles and across the equator too, and be no looser than ~1 % for
    # small cells (a^2 / b is 0.7 % above the meridian radius of the equator).
    rng = np.random.default_rng(8)
    for y0, size in [(-0.3, 0.5), (44.0, 1.0), (-88.5, 1.2), (60.0, 10.0), (0.0, 1e-4)]:
        for x0 in rng.uniform(-180, 170, 3):
            x1, y1 = x0 + size, min(90.0, y0 + size)
            r = float(cell_radius_m(*(np.array([v]) for v in (x0, y0, x1, y1)))[0])
            cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
            t = np.linspace(0, 1, 21)
            edge = np.concatenate(
                [np.column_stack([x0 + t * (x1 - x0), np.full(21, y)]) for y in (y0, y1, cy)]
                + [np.column_stack([np.full(21, x), y0 + t * (y1 - y0)]) for x in (x0, x1)]
            )
            far = _geo(cx, cy, edge).max()
            assert far <= r
            if size <= 1.0:
                assert r <= 1.01 * far


def test_interior_searches_together_are_the_searches_alone() -> None:
    # One exact distance call per level for all outlines (issue 8): each outline's
    # search keeps its own cells, best value and budget, so each result is the one it
    # gets when searched alone - near the area (LSO in ZAF's hole) and on the far side
    # (the antipode of South Africa's middle is in the North Pacific: USA, CAN, RUS).
    zaf = reachmap.area("ZAF")
    items = [countries.country(c) for c in ("LSO", "USA", "CAN", "RUS", "SWZ")]
    start = np.zeros(len(items))
    together = interiors_max(zaf, items, start)
    alone = [interior_max(zaf, c, 0.0) for c in items]
    assert together == alone
    assert all(done for _, done, _ in together) and together[0][0] > 60e3


def test_piece_bound_is_an_upper_bound() -> None:
    # The quadratic bound along a geodesic piece, from the exact values and slopes at
    # its ends, is never below the distance to the nearest of two points (a non-convex
    # area), sampled along the piece - for pieces near and far, short and long.
    rng = np.random.default_rng(8)
    worst = np.inf
    for _ in range(300):
        lon0, lat0 = rng.uniform(-180, 180), rng.uniform(-80, 80)
        az, length = rng.uniform(0, 360), 10 ** rng.uniform(2, 6)
        targets = [(rng.uniform(-180, 180), rng.uniform(-85, 85)) for _ in range(2)]
        area = reachmap.area(*(f"{la},{lo}" for lo, la in targets))
        s = np.linspace(0, length, 401)
        lon, lat, back = GEOD.fwd(
            np.full(s.size, lon0), np.full(s.size, lat0), np.full(s.size, az), s
        )
        d = area.distance_m(lon, lat)
        f, q = _toward_area(area, np.asarray(lon), np.asarray(lat))
        fwd_az = np.asarray(back) + 180.0
        g0 = -np.cos(np.radians(q[0] - fwd_az[0]))
        g1 = np.cos(np.radians(q[-1] - fwd_az[-1]))
        bound = _piece_bound(f[:1], np.array([g0]), f[-1:], np.array([g1]), np.array([length]))
        worst = min(worst, float(bound[0] - d.max()))
    assert worst >= -1e-6


def test_boundary_helpers_match_the_ring_densification() -> None:
    # densify_segments makes the vertices Boundary.from_polygons makes; from_chains
    # leaves the closing edge out of distances.
    from reachmap.geodesy.boundary import densify_ring, densify_segments

    ring = countries.country("EGY").polygons[0][0]
    seg, xy = densify_segments(ring, np.roll(ring, -1, axis=0))
    assert np.array_equal(xy, densify_ring(ring))
    b = Boundary.from_chains([np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0]])])
    assert b.real.tolist() == [True, True, False]
