"""Exact minimum WGS84 distance from many points to a chain of geodesic edges.

Algorithm (per query point q; all steps vectorised over the points):

1. *Calibrate.* Take the boundary vertex V0 nearest to q on the conformal
   sphere (k-d tree) and solve the inverse geodesic problem V0 -> q exactly:
   distance d0 (an upper bound on the answer) and the azimuth at V0.
2. *Screen.* Put a model point q' on the conformal sphere so that, seen from
   V0, it lies at the exact azimuth and (scaled) distance; the model distance
   to any boundary point P then differs from the exact one by at most
   :func:`reachmap.geodesy.model.model_error_m` (x = separation from V0).
   Chunks of edges, then single edges, whose model lower bound minus that error
   exceeds the best upper bound are discarded: rigorous, and cheap because the
   model is unit-vector arithmetic.
3. *Refine.* On each surviving edge, solve for the foot of the geodesic from q
   that meets the edge at a right angle (Baselga & Martinez-Llario 2018,
   doi:10.1007/s11200-017-1020-z; Karney 2013, sec. 8): exact inverse from the
   current point, spherical-triangle step along the edge, repeat until the
   possible improvement is below ``IMPROVEMENT_TOL_M``. Vertex candidates need
   one inverse.
4. *Check.* A vertex winner is kept only if neither adjacent edge leads
   downhill; otherwise that edge is refined too.

The returned distance is an exact geodesic distance (GeographicLib via pyproj,
< 15 nm) to a point on the boundary, within ``IMPROVEMENT_TOL_M`` of the true
minimum.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from reachmap.geodesy.boundary import Boundary
from reachmap.geodesy.ellipsoid import GEOD, R_MEAN_M, Float, inverse

#: a refinement stops when the remaining possible gain is below this (0.1 um)
IMPROVEMENT_TOL_M = 1e-7
_MAX_NEWTON = 30
#: budget of (point, chunk) cells screened at once, bounds memory to ~100 MB
_CELLS_PER_BLOCK = 2_000_000

Index = NDArray[np.intp]


@dataclass(frozen=True)
class Nearest:
    """Nearest boundary point per query point (arrays of the query's length)."""

    distance_m: Float
    edge: Index  # edge holding the nearest point
    s_m: Float  # distance along that edge from its start vertex
    lon_deg: Float  # the nearest point
    lat_deg: Float
    azimuth_to_query_deg: Float  # geodesic azimuth at the nearest point towards the query
    edge_azimuth_deg: Float  # the edge's forward azimuth there (NaN when the point is a vertex)


def nearest_on_boundary(b: Boundary, lon_deg: Float, lat_deg: Float) -> Nearest:
    """Exact nearest point on the real edges of ``b`` for every (lon, lat)."""
    lon = np.asarray(lon_deg, dtype=np.float64).ravel()
    lat = np.asarray(lat_deg, dtype=np.float64).ravel()
    n = lon.size
    if not b.real.any():
        raise ValueError("boundary has no edges")
    if n == 0:
        e = np.empty(0)
        return Nearest(e, np.empty(0, np.intp), e, e, e, e, e)

    # The compiled kernels load numba (~0.3 s): only commands that measure distances pay.
    from reachmap.geodesy.calibrate import nearest_vertex
    from reachmap.geodesy.screen import screen

    # 1. calibrate at the nearest vertex on the conformal sphere
    v0 = nearest_vertex(b, lon, lat)
    az0, d0 = inverse(b.lon_deg[v0], b.lat_deg[v0], lon, lat)

    # 2. screen (a model sphere calibrated by that exact solution): (point, edge)
    # pairs that may hold the minimum
    p_idx, e_idx, t_model = screen(b, v0, az0, d0, lon, lat)

    # Start from V0 itself: a vertex with an exact distance already in hand.
    best = _Best.start(b, v0, d0, az0)
    # 3. refine the candidates
    on_vertex = (t_model <= 0.0) | (t_model >= 1.0)
    vert = np.where(t_model <= 0.0, e_idx, b.nxt[e_idx])[on_vertex]
    p_vert = p_idx[on_vertex]
    new = vert != v0[p_vert]  # V0's exact distance is already known
    best.add_vertices(b, p_vert[new], vert[new], lon, lat)
    inner = ~on_vertex
    best.add_edges(
        b, p_idx[inner], e_idx[inner], t_model[inner] * b.length_m[e_idx[inner]], lon, lat
    )
    # 4. a vertex is a minimum only if both adjacent edges lead uphill
    for _ in range(4):
        p_fix, e_fix, s_fix = best.downhill_edges(b)
        if p_fix.size == 0:
            break
        best.add_edges(b, p_fix, e_fix, s_fix, lon, lat)
    return best.result(b)


@dataclass
class _Best:
    """Running best (smallest exact distance) per query point."""

    d: Float
    edge: Index
    s: Float
    lon: Float
    lat: Float
    az: Float
    edge_az: Float

    @classmethod
    def start(cls, b: Boundary, v0: Index, d0: Float, az0: Float) -> _Best:
        # V0 as the start of its outgoing edge, or the end of its incoming one.
        out_real = b.real[v0]
        edge = np.where(out_real, v0, b.prv[v0])
        s = np.where(out_real, 0.0, b.length_m[edge])
        nan = np.full(d0.size, np.nan)
        return cls(d0.copy(), edge, s, b.lon_deg[v0].copy(), b.lat_deg[v0].copy(), az0.copy(), nan)

    def _update(
        self,
        p: Index,
        d: Float,
        edge: Index,
        s: Float,
        lon: Float,
        lat: Float,
        az: Float,
        edge_az: Float,
    ) -> None:
        if p.size == 0:
            return
        order = np.lexsort((d, p))
        p, d = p[order], d[order]
        first = np.ones(p.size, dtype=bool)
        first[1:] = p[1:] != p[:-1]
        sel = order[first]
        pp = p[first]
        better = d[first] < self.d[pp]
        sel, pp = sel[better], pp[better]
        self.d[pp] = d[first][better]
        self.edge[pp] = edge[sel]
        self.s[pp] = s[sel]
        self.lon[pp] = lon[sel]
        self.lat[pp] = lat[sel]
        self.az[pp] = az[sel]
        self.edge_az[pp] = edge_az[sel]

    def add_vertices(self, b: Boundary, p: Index, v: Index, qlon: Float, qlat: Float) -> None:
        key = np.unique(p.astype(np.int64) * len(b) + v)
        p, v = (key // len(b)).astype(np.intp), (key % len(b)).astype(np.intp)
        if p.size == 0:
            return
        az, _, d = GEOD.inv(b.lon_deg[v], b.lat_deg[v], qlon[p], qlat[p])
        out_real = b.real[v]
        edge = np.where(out_real, v, b.prv[v])
        s = np.where(out_real, 0.0, b.length_m[edge])
        nan = np.full(p.size, np.nan)
        self._update(p, np.asarray(d), edge, s, b.lon_deg[v], b.lat_deg[v], np.asarray(az), nan)

    def add_edges(
        self, b: Boundary, p: Index, e: Index, s0: Float, qlon: Float, qlat: Float
    ) -> None:
        if p.size == 0:
            return
        d, s, lon, lat, az, edge_az = edge_minimum(b, e, s0, qlon[p], qlat[p])
        at_vertex = (s <= 0.0) | (s >= b.length_m[e])
        self._update(p, d, e, s, lon, lat, az, np.where(at_vertex, np.nan, edge_az))

    def downhill_edges(self, b: Boundary) -> tuple[Index, Index, Float]:
        """(point, edge, start s) for winners sitting on a vertex from which an
        adjacent real edge leads downhill; refining those edges settles them."""
        length = b.length_m[self.edge]
        at_start = self.s <= 0.0
        at_vertex = at_start | (self.s >= length)
        vertex = np.where(at_start, self.edge, b.nxt[self.edge])
        out_edge, in_edge = vertex, b.prv[vertex]
        az = np.radians(self.az)
        # Leaving the vertex in direction beta changes the distance at rate -cos(az - beta).
        beta_out = np.radians(b.az_start_deg[out_edge])
        beta_in = np.radians(b.az_end_deg[in_edge]) + np.pi
        down_out = at_vertex & b.real[out_edge] & (np.cos(az - beta_out) > 1e-12)
        down_in = at_vertex & b.real[in_edge] & (np.cos(az - beta_in) > 1e-12)
        p_out, p_in = np.flatnonzero(down_out), np.flatnonzero(down_in)
        p = np.concatenate([p_out, p_in])
        e = np.concatenate([out_edge[p_out], in_edge[p_in]])
        s = np.concatenate([np.zeros(p_out.size), b.length_m[in_edge[p_in]]])
        return p, e, s

    def result(self, b: Boundary) -> Nearest:
        return Nearest(self.d, self.edge, self.s, self.lon, self.lat, self.az, self.edge_az)


def edge_minimum(
    b: Boundary, e: Index, s0: Float, qlon: Float, qlat: Float
) -> tuple[Float, Float, Float, Float, Float, Float]:
    """Exact minimum distance from (qlon, qlat) to geodesic edge ``e``, from a start
    guess ``s0`` (m along the edge).

    Returns ``(d, s, lon, lat, az_to_query, edge_az)`` at the nearest point."""
    m = e.size
    length = b.length_m[e]
    s = np.clip(np.asarray(s0, dtype=np.float64), 0.0, length)
    d = np.empty(m)
    lon_o, lat_o, az_o, eaz_o = np.empty(m), np.empty(m), np.empty(m), np.empty(m)
    active = np.arange(m)
    for _ in range(_MAX_NEWTON):
        ea = e[active]
        lon, lat, back = GEOD.fwd(b.lon_deg[ea], b.lat_deg[ea], b.az_start_deg[ea], s[active])
        az_q, _, dist = GEOD.inv(lon, lat, qlon[active], qlat[active])
        lon, lat, dist, az_q = (np.asarray(x, dtype=np.float64) for x in (lon, lat, dist, az_q))
        d[active], lon_o[active], lat_o[active], az_o[active] = dist, lon, lat, az_q
        edge_az = np.asarray(back, dtype=np.float64) + 180.0
        eaz_o[active] = edge_az
        theta = np.radians(az_q - edge_az)
        sig = dist / R_MEAN_M
        # along-track offset of the near foot on the sphere: tan(a) = tan(sig) cos(theta)
        step = R_MEAN_M * np.arctan2(np.sin(sig) * np.cos(theta), np.cos(sig))
        s_new = np.clip(s[active] + step, 0.0, length[active])
        moved = s_new - s[active]
        # convexity near the foot: the possible gain is at most |slope * move|
        gain = np.abs(np.cos(theta) * moved)
        done = gain < IMPROVEMENT_TOL_M
        s[active[~done]] = s_new[~done]
        active = active[~done]
        if active.size == 0:
            break
    return d, s, lon_o, lat_o, az_o, eaz_o


def left_of_boundary(b: Boundary, near: Nearest) -> NDArray[np.bool_]:
    """True where the query lies on the area's side of its nearest boundary point.

    The area is on the left of every edge (exterior rings counter-clockwise,
    holes clockwise). On an edge the side is the sign of the angle between the
    edge and the geodesic to the query; at a vertex the query is inside iff its
    direction falls within the interior angle between the incoming and outgoing
    edges. This is exact for geodesic edges, unlike a planar lon/lat test.
    """
    alpha = near.azimuth_to_query_deg
    on_edge = np.isfinite(near.edge_azimuth_deg)
    left_edge = np.mod(alpha - near.edge_azimuth_deg, 360.0) > 180.0
    length = b.length_m[near.edge]
    vertex = np.where(near.s_m <= 0.5 * length, near.edge, b.nxt[near.edge])
    beta_out = b.az_start_deg[vertex]
    beta_back = b.az_end_deg[b.prv[vertex]] + 180.0  # back along the incoming edge
    sector = np.mod(beta_out - beta_back, 360.0)
    turn = np.mod(beta_out - alpha, 360.0)
    left_vertex = (turn > 0.0) & (turn < sector)
    return np.asarray(np.where(on_edge, left_edge, left_vertex), dtype=bool)
