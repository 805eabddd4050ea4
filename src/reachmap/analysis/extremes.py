"""Nearest and farthest distance from a launch area to every country, exactly.

A country is its Natural Earth outline read as reachmap's areas read it
(:mod:`reachmap.geodesy.boundary`): geodesics between the vertices after
densification, the *model vertices*. ``d_A`` is the exact distance to the launch
area (:meth:`reachmap.area.Area.distance_m`, 0 inside).

**Nearest** (exact, the engine's 0.1 um). When the country and the area do not
overlap, the closest pair (p in the country, q in the area) lies on both boundaries,
and at least one of p, q is a model vertex (or q is a point of the area): two
geodesic segments on a surface of positive curvature have no closest pair inside
both, because the second variation of the length of a geodesic joining them at right
angles is -integral(K) < 0 along a parallel normal field (the ends move along
geodesics, so no boundary term). So the nearest distance is the smaller of

1. the minimum of ``d_A`` over the country's model vertices, and
2. the minimum over the area's model vertices and points of their exact distance to
   the country's boundary (:func:`reachmap.geodesy.distance.nearest_on_boundary`).

**Farthest** (to :data:`FARTHEST_TOL_M`). ``d_A`` is 1-Lipschitz and, along a
geodesic edge, at most the distance to the nearest area point q0 of any edge point
p0, whose second derivative is at most cot(x / Rc) / Rc at distance x (Hessian
comparison with the sphere of the smallest Gaussian curvature, K >= b^2 / a^4 at the
poles, so Rc = a^2 / b; Rauch). A branch-and-bound on the edges bisects every piece
whose bound from its two ends exceeds the best distance found; what it returns is
the exact distance of a boundary point, within the tolerance of the boundary's
maximum.

The maximum over the whole country is on its boundary unless ``d_A`` has a local
maximum inside. There the directions to the nearest area points do not fit in a
half-plane (else a step away from all of them gains), so two of them, p1 and p2, are
at least 120 degrees apart, both at the distance v along minimising geodesics. WGS84
has K = 1 / (M N) <= 1 / b^2 (the equator) and injectivity radius >= pi b
(Klingenberg: at least min(pi / sqrt(K_max), half the shortest closed geodesic, a
meridian ellipse: 20,004 km)); so balls of radius below pi b / 2 are convex and
CAT(1 / b^2) (convexity radius >= min(pi / (2 sqrt(K_max)), inj / 2); Bridson and
Haefliger, Metric spaces of non-positive curvature, II.1 and II.4). For v <
:data:`CAT_RADIUS_M` = pi b / 2 the hinge (x; p1, p2) lies in such a ball, and the
comparison with the sphere of radius b gives d(p1, p2) >= b arccos(1 - 1.5 sin^2(v /
b)); as d(p1, p2) is at most the area's diameter, that bounds v from above (v_near).
So a country whose values lie between v_near and pi b / 2 has its maximum on the
boundary. Every other country (near the area, or reaching beyond pi b / 2, where the
far side of the Earth has real interior maxima: the antipode of the area's middle)
gets a search of its interior on lon/lat cells (Lipschitz bound), to
:data:`INTERIOR_TOL_M`. (Until 2026-12 the far side was cleared with a measured
150 km margin below half a meridian; the proven bound searches ~70 countries from
Belarus instead of 4, for 0.1 s more.)

Work is pruned by Lipschitz bounds on runs of vertices: ``d_A`` changes by at most
the path length along the boundary, and a model edge is never longer than the
source's lon/lat edge, whose length is at most a^2 / b times its angular length
(meridional and parallel radii never exceed a^2 / b).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray

from reachmap.analysis.interiors import (  # noqa: F401 (re-exported)
    CAT_RADIUS_M,
    INTERIOR_BUDGET,
    INTERIOR_TOL_M,
    area_diameter_m,
    area_vertices,
    clear_interiors,
)
from reachmap.analysis.interiors import (
    RC_M as _RC_M,
)
from reachmap.area import Area
from reachmap.data import countries
from reachmap.geodesy.boundary import Boundary, densify_segments
from reachmap.geodesy.distance import nearest_on_boundary
from reachmap.geodesy.ellipsoid import A_M, GEOD, STRETCH_MAX, Float, conformal_unit
from reachmap.geodesy.rings import clean_ring, snap_ring

#: the farthest boundary point is found to within this (m)
FARTHEST_TOL_M = 1e-3
#: a country within this (deg, lon/lat) of the area is covered by it: <= 0.12 mm
COVER_EPS_DEG = 1e-9
#: evaluations allowed to the boundary search of all countries together
FARTHEST_BUDGET = 2_000_000
#: half a meridian: the largest distance on WGS84 (m)
HALF_MERIDIAN_M = float(GEOD.inv(0.0, -90.0, 0.0, 90.0)[2])
_CHUNK = 32
_MAX_LEVELS = 64


@dataclass(frozen=True)
class Outlines:
    """All country rings as one vertex array, with a bound on each edge's model path."""

    items: list[Any]  # countries.Country or another Outline (analysis/interiors.py)
    lon: Float
    lat: Float
    owner: NDArray[np.intp]  # country index per vertex
    nxt: NDArray[np.intp]  # the vertex that ends edge i (same ring)
    edge_ub_m: Float  # >= the model path length of edge i
    chunk_start: NDArray[np.intp]
    chunk_stop: NDArray[np.intp]
    chunk_rep: NDArray[np.intp]
    chunk_radius_m: Float  # >= path length from the rep to any point of the chunk's edges


def _edge_bound_m(a: Float, b: Float) -> Float:
    """Upper bound on the length of the lon/lat line a -> b on WGS84 (hence on its
    model geodesics): radii of curvature <= a^2/b, parallels shrink with cos(lat)."""
    dlat = np.radians(b[:, 1] - a[:, 1])
    dlon = np.radians(b[:, 0] - a[:, 0])
    low = np.where(a[:, 1] * b[:, 1] <= 0, 0.0, np.minimum(np.abs(a[:, 1]), np.abs(b[:, 1])))
    return np.asarray(
        _RC_M * np.hypot(dlat, np.cos(np.radians(low)) * dlon) * (1 + 1e-12) + 1e-6,
        dtype=np.float64,
    )


@lru_cache(maxsize=1)
def outlines() -> Outlines:
    """Every country's outline (Natural Earth, :func:`reachmap.data.countries.countries`)."""
    return build_outlines(countries.countries())


def build_outlines(items: Sequence[Any]) -> Outlines:
    """The outlines of ``items`` (countries, parts of regions: anything with lon/lat
    ``polygons``, an ``iso3`` and ``shapely()``)."""
    rings, owners = [], []
    for k, c in enumerate(items):
        for poly in c.polygons:
            for ring in poly:
                r = clean_ring(snap_ring(ring))
                if len(r) >= 3:
                    rings.append(r)
                    owners.append(k)
    starts, stops, reps, radii, nxts, ubs = [], [], [], [], [], []
    offset = 0
    for ring in rings:
        n = len(ring)
        ub = _edge_bound_m(ring, np.roll(ring, -1, axis=0))
        path = np.concatenate([[0.0], np.cumsum(ub)])
        nxt = np.arange(n) + 1
        nxt[-1] = 0
        nxts.append(nxt + offset)
        ubs.append(ub)
        for a in range(0, n, _CHUNK):
            b = min(n, a + _CHUNK)
            m = (a + b) // 2
            starts.append(offset + a)
            stops.append(offset + b)
            reps.append(offset + m)
            radii.append(max(path[m] - path[a], path[b] - path[m]) * (1 + 1e-9) + 1e-6)
        offset += n
    verts = np.concatenate(rings)
    return Outlines(
        list(items),
        verts[:, 0].copy(),
        verts[:, 1].copy(),
        np.repeat(np.asarray(owners), [len(r) for r in rings]),
        np.concatenate(nxts),
        np.concatenate(ubs),
        np.asarray(starts),
        np.asarray(stops),
        np.asarray(reps),
        np.asarray(radii),
    )


@dataclass
class Extremes:
    """Nearest and farthest distance (m) per country, and notes on the search."""

    nearest_m: Float
    farthest_m: Float
    interior_searched: list[str]  # ISO-3 codes whose interior was searched
    lower_bounds: list[str]  # ISO-3 codes whose interior search ran out of budget


def extremes(area: Area, data: Outlines | None = None) -> Extremes:
    """Nearest and farthest exact distance from ``area`` to every country."""
    data = data or outlines()
    n = len(data.items)
    d_rep = area.distance_m(data.lon[data.chunk_rep], data.lat[data.chunk_rep])
    owner = data.owner[data.chunk_rep]
    best_min, best_max = np.full(n, np.inf), np.full(n, -np.inf)
    np.minimum.at(best_min, owner, d_rep)
    np.maximum.at(best_max, owner, d_rep)
    need = (d_rep - data.chunk_radius_m < best_min[owner]) | (
        d_rep + data.chunk_radius_m > best_max[owner]
    )
    runs = zip(data.chunk_start[need], data.chunk_stop[need], strict=True)
    edges = np.concatenate([np.arange(a, b) for a, b in runs])
    verts = np.unique(np.concatenate([edges, data.nxt[edges]]))
    d = np.full(data.lon.size, np.nan)
    d[verts] = area.distance_m(data.lon[verts], data.lat[verts])
    np.minimum.at(best_min, data.owner[verts], d[verts])
    np.maximum.at(best_max, data.owner[verts], d[verts])
    f0, f1, ub, own = d[edges], d[data.nxt[edges]], data.edge_ub_m[edges], data.owner[edges]
    near_edges = edges[0.5 * (f0 + f1 - ub) < best_min[own]]
    far_edges = edges[0.5 * (f0 + f1 + ub) > best_max[own] + FARTHEST_TOL_M]
    best_min = _nearest(area, data, near_edges, best_min)
    overlap = [k for k, c in enumerate(data.items) if best_min[k] > 0 and _overlaps(area, c)]
    best_min[overlap] = 0.0
    # A country the area covers is at distance 0 everywhere (its model edges are within
    # 0.5 m of the planar ones the test sees); elsewhere d_A = 0 along shared borders
    # would leave the search only the Lipschitz bound.
    covered = np.zeros(n, dtype=bool)
    if area.polygons:
        for k in np.flatnonzero(best_min == 0):
            covered[k] = covers(area.geometry, data.items[k].shapely())
    best_max[covered] = 0.0
    far_edges = far_edges[~covered[data.owner[far_edges]]]
    # Edges with both ends in the area (d_A = 0: a shared border, a hole the country
    # fills) have only the Lipschitz bound; they wait for the interior's best value.
    zero = (d[far_edges] == 0) & (d[data.nxt[far_edges]] == 0)
    best_max, unfinished = _farthest_on_boundary(area, data, far_edges[~zero], best_max)
    searched, partial = clear_interiors(area, data.items, best_max, covered)
    best_max, late = _farthest_on_boundary(area, data, far_edges[zero], best_max)
    lower = sorted({data.items[k].iso3 for k in (*unfinished, *late)} | set(partial))
    return Extremes(best_min, best_max, searched, lower)


# --------------------------------------------------------------------------- nearest


def _model_chains(data: Outlines, edges: NDArray[np.intp]) -> tuple[NDArray[np.intp], list[Float]]:
    """Model vertices of source edges: (edge per chain, chains incl. the end vertex)."""
    a = np.column_stack([data.lon[edges], data.lat[edges]])
    b = np.column_stack([data.lon[data.nxt[edges]], data.lat[data.nxt[edges]]])
    seg, xy = densify_segments(a, b)
    cut = np.flatnonzero(np.diff(seg)) + 1
    chains = [
        np.vstack([part, b[s[0]]])
        for part, s in zip(np.split(xy, cut), np.split(seg, cut), strict=True)
    ]
    return edges, chains


def _nearest(area: Area, data: Outlines, edges: NDArray[np.intp], best: Float) -> Float:
    best = best.copy()
    if edges.size == 0:
        return best
    edges, chains = _model_chains(data, edges)
    inner = [c[1:-1] for c in chains]
    pts = np.concatenate(inner)
    if len(pts):  # term 1 at the inserted model vertices
        own = np.repeat(data.owner[edges], [len(c) for c in inner])
        np.minimum.at(best, own, area.distance_m(pts[:, 0], pts[:, 1]))
    queries = area_vertices(area)
    if len(queries) == 0:
        return best
    q_unit = conformal_unit(queries[:, 0], queries[:, 1])
    by_country: dict[int, list[Float]] = {}
    for chain, e in zip(chains, edges, strict=True):
        by_country.setdefault(int(data.owner[e]), []).append(chain)
    for k, mine in by_country.items():  # term 2: area vertices to the country's edges
        if best[k] <= 0.0:  # nothing is nearer than touching (Russia from Russia)
            continue
        b = Boundary.from_chains(mine)
        if not b.real.any():
            continue
        # Only area vertices that may beat term 1: conformal-sphere arcs are at most
        # STRETCH_MAX times geodesics, and an edge point is within half the edge of a
        # vertex of it.
        low = A_M * _min_angle(q_unit, b.unit) / STRETCH_MAX * (1 - 1e-9)
        low -= 0.5 * b.max_edge_m + 1e-3
        sel = low < best[k]
        if sel.any():
            near = nearest_on_boundary(b, queries[sel, 0], queries[sel, 1])
            best[k] = min(best[k], float(near.distance_m.min()))
    return best


def _min_angle(q_unit: Float, b_unit: Float) -> Float:
    """For each unit vector of ``q_unit``, the smallest angle (rad) to one of ``b_unit``:
    the exact nearest neighbour by chord length (k-d tree), angle = 2 asin(chord / 2)
    (well conditioned for small angles, unlike acos of a dot product). A dense product
    would need len(q) x len(b) floats: 31.6 GiB for Russia's territory against Russia's
    outline, the report's baseline."""
    from scipy.spatial import cKDTree

    chord, _ = cKDTree(b_unit).query(q_unit, k=1)
    return 2.0 * np.arcsin(np.clip(0.5 * np.asarray(chord), 0.0, 1.0))


def covers(area_geom: shapely.Geometry, country_geom: shapely.Geometry) -> bool:
    """Whether every point of ``country_geom`` lies within :data:`COVER_EPS_DEG` (lon/lat)
    of ``area_geom``: then no point of it is farther than ~0.1 mm from the area (a degree
    of latitude or longitude is at most a^2/b * pi/180 long), well inside
    :data:`FARTHEST_TOL_M`. Exact cover fails on slivers from the two rings' own
    snapping at +-180 deg (Russia's outline against Russia leaves 2e-15 deg^2 near
    Chukotka, 1e-9 m wide, and the boundary search then bisects to the budget)."""
    if shapely.covers(area_geom, country_geom):
        return True
    rest = shapely.difference(country_geom, area_geom)
    if rest.is_empty:
        return True
    x0, y0, x1, y1 = rest.bounds
    m = 4 * COVER_EPS_DEG
    local = shapely.clip_by_rect(area_geom, x0 - m, y0 - m, x1 + m, y1 + m)
    # what lies within eps of the area's boundary has at most 2 eps times its length of
    # area (plus pi eps^2 per piece): anything larger cannot be covered
    if shapely.area(rest) > 4 * COVER_EPS_DEG * (shapely.length(local) + m):
        return False
    return bool(shapely.covers(shapely.buffer(local, COVER_EPS_DEG), rest))


def _overlaps(area: Area, c: countries.Country) -> bool:
    geom = c.shapely()
    if area.polygons and shapely.intersects(geom, area.geometry):
        return True
    if len(area.points):
        return bool(np.any(shapely.intersects_xy(geom, area.points[:, 0], area.points[:, 1])))
    return False


# --------------------------------------------------------------------------- farthest


def _toward_area(area: Area, lon: Float, lat: Float) -> tuple[Float, Float]:
    """Exact ``d_A`` and the azimuth (deg) at each point towards a nearest area point
    (NaN inside the area)."""
    d = np.asarray(area.distance_m(lon, lat), dtype=np.float64).reshape(-1)
    az = np.full(d.size, np.nan)
    best = np.full(d.size, np.inf)
    if area.polygons and area.boundary.real.any():
        near = area.nearest(lon, lat)
        a, _, s = GEOD.inv(lon, lat, near.lon_deg, near.lat_deg)
        az, best = np.asarray(a, dtype=np.float64), np.asarray(s, dtype=np.float64)
    if len(area.points) and d.size:
        j = area.point_set.nearest(lon, lat).index  # exact (geodesy/points.py)
        a, _, s = GEOD.inv(lon, lat, area.points[j, 0], area.points[j, 1])
        better = np.asarray(s) < best
        az, best = np.where(better, a, az), np.where(better, s, best)
    return d, np.where(d > 0, az, np.nan)


def _hessian_bound(x_m: Float) -> Float:
    """Upper bound on the second derivative of a distance x along a geodesic (1/m)."""
    x = np.asarray(x_m, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        k = np.where(x > 0, 1.0 / (_RC_M * np.tan(np.minimum(x, np.pi * _RC_M) / _RC_M)), np.inf)
    return np.asarray(np.maximum(k, 0.0), dtype=np.float64)


def _side(f: Float, slope: Float, length: Float) -> tuple[Float, Float, Float]:
    """(f, slope, curvature) of a quadratic bound from one end of a piece; the
    Lipschitz line (slope 1, no curvature) where the quadratic is not tighter or
    has no direction (the end inside the area)."""
    k = _hessian_bound(f - length)
    tighter = (slope - 1) * length + 0.5 * k * length**2 <= 0
    quad_ok = np.isfinite(slope) & np.isfinite(k) & tighter
    return f, np.where(quad_ok, slope, 1.0), np.where(quad_ok, k, 0.0)


def _piece_bound(f0: Float, s0: Float, f1: Float, s1: Float, length: Float) -> Float:
    """max over t in [0, L] of min(g0(t), g1(L - t)), g = f + s t + k t^2 / 2 from each
    end (s: slope going into the piece). Both are convex, so the maximum of their
    minimum is at an end or where they cross."""
    f0, s0, k0 = _side(f0, s0, length)
    f1, s1, k1 = _side(f1, s1, length)
    L = length

    def g0(t: Float) -> Float:
        return f0 + s0 * t + 0.5 * k0 * t * t

    def g1(t: Float) -> Float:
        return f1 + s1 * (L - t) + 0.5 * k1 * (L - t) ** 2

    best = np.maximum(np.minimum(g0(0 * L), g1(0 * L)), np.minimum(g0(L), g1(L)))
    qa = 0.5 * (k0 - k1)
    qb = s0 + s1 + k1 * L
    qc = f0 - f1 - s1 * L - 0.5 * k1 * L * L
    with np.errstate(divide="ignore", invalid="ignore"):
        disc = np.sqrt(np.maximum(qb * qb - 4 * qa * qc, 0.0))
        lin = np.abs(qa) * L * L < 1e-9 * (np.abs(qb) * L + np.abs(qc) + 1e-300)
        roots = [
            np.where(lin, -qc / qb, (-qb + disc) / (2 * qa)),
            np.where(lin, -qc / qb, (-qb - disc) / (2 * qa)),
        ]
    for t in roots:
        ok = np.isfinite(t) & (t > 0) & (t < L)
        val = np.minimum(g0(np.where(ok, t, 0)), g1(np.where(ok, t, 0)))
        best = np.where(ok, np.maximum(best, val), best)
    return np.asarray(best + 1e-6, dtype=np.float64)  # float round-off of ~1e7 m values


def _farthest_on_boundary(
    area: Area, data: Outlines, edges: NDArray[np.intp], best: Float, where: Float | None = None
) -> tuple[Float, NDArray[np.intp]]:
    """Branch-and-bound over model edges; also the countries left unfinished when
    :data:`FARTHEST_BUDGET` evaluations are spent (their value is a lower bound).
    ``where`` (one lon, lat row per country), if given, follows the best points."""
    best = best.copy()
    if edges.size == 0:
        return best, np.empty(0, dtype=np.intp)
    edges, chains = _model_chains(data, edges)
    a = np.concatenate([c[:-1] for c in chains])
    b = np.concatenate([c[1:] for c in chains])
    own = np.repeat(data.owner[edges], [len(c) - 1 for c in chains])
    az_a, back_b, length = (np.asarray(x) for x in GEOD.inv(a[:, 0], a[:, 1], b[:, 0], b[:, 1]))
    fa, qa = _toward_area(area, a[:, 0], a[:, 1])
    fb, qb = _toward_area(area, b[:, 0], b[:, 1])
    raise_best(best, where, own, fa, a[:, 0], a[:, 1])
    raise_best(best, where, own, fb, b[:, 0], b[:, 1])
    # pieces [s0, s1] of model edges: ends' values and slopes going into the piece
    piece = np.arange(a.shape[0])
    s0, s1 = np.zeros(piece.size), length.copy()
    g0 = -np.cos(np.radians(qa - az_a))
    g1 = np.cos(np.radians(qb - (back_b + 180.0)))  # into the piece = backwards
    f0, f1 = fa, fb
    used = 0
    for _ in range(_MAX_LEVELS):
        bound = _piece_bound(f0, g0, f1, g1, s1 - s0)
        keep = (bound > best[own[piece]] + FARTHEST_TOL_M) & (s1 - s0 > 1e-6)
        if not keep.any():
            return best, np.empty(0, dtype=np.intp)
        used += int(keep.sum())
        if used > FARTHEST_BUDGET:
            return best, np.unique(own[piece[keep]])
        piece = piece[keep]
        s0, s1, f0, g0, f1, g1 = (x[keep] for x in (s0, s1, f0, g0, f1, g1))
        sm = 0.5 * (s0 + s1)
        lon, lat, back = GEOD.fwd(a[piece, 0], a[piece, 1], az_a[piece], sm)
        fm, qm = _toward_area(area, np.asarray(lon), np.asarray(lat))
        raise_best(best, where, own[piece], fm, np.asarray(lon), np.asarray(lat))
        fwd = -np.cos(np.radians(qm - (np.asarray(back) + 180.0)))
        piece = np.concatenate([piece, piece])
        s0, s1 = np.concatenate([s0, sm]), np.concatenate([sm, s1])
        f0, f1 = np.concatenate([f0, fm]), np.concatenate([fm, f1])
        g0, g1 = np.concatenate([g0, fwd]), np.concatenate([-fwd, g1])
    return best, np.unique(own[piece])


def raise_best(
    best: Float, where: Float | None, own: NDArray[np.intp], f: Float, lon: Float, lat: Float
) -> None:
    """best[own] = max(best[own], f) in place, and the lon/lat of each new best."""
    if where is None:
        np.maximum.at(best, own, f)
        return
    order = np.lexsort((-f, own))
    first = order[np.r_[True, own[order][1:] != own[order][:-1]]] if order.size else order
    sel = first[f[first] > best[own[first]]]
    best[own[sel]] = f[sel]
    where[own[sel]] = np.column_stack([lon[sel], lat[sel]])
