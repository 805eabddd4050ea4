"""Points exactly at distance R from an area: snapping and densifying contour loops.

``g(P) = d(P) - R`` with ``d`` the exact WGS84 distance to the area
(:meth:`reachmap.area.Area.distance_m`, GeographicLib via pyproj).

*Snapping.* A point P near the level set is moved to ``X = direct(N, az, R)``: N is
P's nearest area point and ``az`` the azimuth at N towards P. N stays the nearest
point of every point of the geodesic N -> P and beyond it up to the medial axis, so
``d(X) = R`` exactly wherever the level set is smooth (one nearest-point query and
one direct problem). Where that fails (X beyond the medial axis, at a corner of the
level set), a bracketed Illinois iteration on a segment with ``g <= 0`` at one end
and ``g > 0`` at the other finds the crossing. Vertices end within ``SNAP_EPS_M``.

*Densifying.* Output edges are straight in lon/lat (RFC 7946). An edge is split at
its lon/lat midpoint (snapped) until both its lon/lat midpoint and its geodesic
midpoint are within ``tolerance / 2`` of the level set, so clients drawing edges as
lon/lat lines or as geodesics both stay within the tolerance. Between two vertices on
a smooth arc the deviation peaks at the midpoint; at a corner of the level set the
midpoint sees at least half of the deviation, hence the factor 1/2.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from reachmap.area import Area
from reachmap.geodesy.ellipsoid import GEOD, Float

#: snapped vertices are within this of the level set (m)
SNAP_EPS_M = 1e-3
#: largest distance between two points of WGS84 (half a meridian), m
MAX_DISTANCE_M = 20_003_931.458625
_MAX_ROUNDS = 40
_ILLINOIS_STEPS = 80


def wrap_lon(lon: Float) -> Float:
    """Longitude in [-180, 180)."""
    return np.mod(np.asarray(lon) + 180.0, 360.0) - 180.0


@dataclass(frozen=True)
class LevelSet:
    """The set ``{P : d(P) = range_m}`` of an area."""

    area: Area
    range_m: float

    def g(self, lon_deg: Float, lat_deg: Float) -> Float:
        """``d - R`` (m): negative inside the envelope, positive outside."""
        return np.asarray(self.area.distance_m(lon_deg, lat_deg), dtype=np.float64) - self.range_m

    def nearest(self, lon_deg: Float, lat_deg: Float) -> tuple[Float, Float, Float, Float]:
        """``(distance_m, lon, lat, azimuth)`` of the nearest area point, the azimuth
        taken at that point towards the query (polygon boundaries and points)."""
        lon = np.asarray(lon_deg, dtype=np.float64).ravel()
        lat = np.asarray(lat_deg, dtype=np.float64).ravel()
        best = np.full(lon.size, np.inf)
        nlon, nlat, naz = np.full(lon.size, np.nan), np.full(lon.size, np.nan), np.zeros(lon.size)
        if self.area.polygons and self.area.boundary.real.any():
            near = self.area.nearest(lon, lat)
            best, nlon, nlat = near.distance_m.copy(), near.lon_deg.copy(), near.lat_deg.copy()
            naz = near.azimuth_to_query_deg.copy()
        for plon, plat in self.area.points:
            az, _, dist = GEOD.inv(np.full(lon.size, plon), np.full(lon.size, plat), lon, lat)
            better = np.asarray(dist) < best
            best[better] = np.asarray(dist)[better]
            nlon[better], nlat[better] = plon, plat
            naz[better] = np.asarray(az)[better]
        return best, nlon, nlat, naz

    def snap_gradient(self, lon: Float, lat: Float) -> tuple[Float, Float, Float]:
        """One gradient snap: ``direct(N, az, R)``; returns lon, lat and g there."""
        _, nlon, nlat, naz = self.nearest(lon, lat)
        xlon, xlat, _ = GEOD.fwd(nlon, nlat, naz, np.full(nlon.size, self.range_m))
        xlon, xlat = np.asarray(xlon, np.float64), np.asarray(xlat, np.float64)
        return xlon, xlat, self.g(xlon, xlat)

    def snap_on_path(
        self,
        path: _Path,
        t_in: Float,
        g_in: Float,
        t_out: Float,
        g_out: Float,
    ) -> tuple[Float, Float, Float]:
        """Illinois iteration for ``g(path(t)) = 0`` with ``g(t_in) <= 0 < g(t_out)``."""
        a, ga, b, gb = t_in.copy(), g_in.copy(), t_out.copy(), g_out.copy()
        t = a.copy()
        gt = ga.copy()
        side = np.zeros(a.size, dtype=np.int8)
        active = np.arange(a.size)
        for _ in range(_ILLINOIS_STEPS):
            if active.size == 0:
                break
            aa, bb, fa, fb = a[active], b[active], ga[active], gb[active]
            tt = (aa * fb - bb * fa) / (fb - fa)
            bad = ~np.isfinite(tt) | (tt <= np.minimum(aa, bb)) | (tt >= np.maximum(aa, bb))
            tt = np.where(bad, 0.5 * (aa + bb), tt)
            lon, lat = path(active, tt)
            gg = self.g(lon, lat)
            t[active], gt[active] = tt, gg
            neg = gg <= 0
            a[active[neg]], ga[active[neg]] = tt[neg], gg[neg]
            b[active[~neg]], gb[active[~neg]] = tt[~neg], gg[~neg]
            # Illinois: halve the stale end's value when the same end moves twice
            s = np.where(neg, 1, -1).astype(np.int8)
            stale = side[active] == s
            gb[active[stale & neg]] *= 0.5
            ga[active[stale & ~neg]] *= 0.5
            side[active] = s
            done = (np.abs(gg) <= SNAP_EPS_M) | (np.abs(b[active] - a[active]) < 1e-9)
            active = active[~done]
        lon, lat = path(np.arange(a.size), t)
        return lon, lat, gt


class _Path:
    """A family of curves ``t -> (lon, lat)``, one per point (vectorised)."""

    def __call__(self, idx: NDArray[np.intp], t: Float) -> tuple[Float, Float]:
        raise NotImplementedError


class GeodesicRays(_Path):
    """``t`` metres along the geodesic from (lon, lat) at azimuth ``az``."""

    def __init__(self, lon: Float, lat: Float, az: Float) -> None:
        self.lon, self.lat, self.az = lon, lat, az

    def __call__(self, idx: NDArray[np.intp], t: Float) -> tuple[Float, Float]:
        lon, lat, _ = GEOD.fwd(self.lon[idx], self.lat[idx], self.az[idx], t)
        return np.asarray(lon, np.float64), np.asarray(lat, np.float64)


def snap_with_bracket(
    ls: LevelSet,
    lon: Float,
    lat: Float,
    in_lon: Float,
    in_lat: Float,
    out_lon: Float,
    out_lat: Float,
) -> tuple[Float, Float, Float]:
    """Snap points whose grid edge runs from an inside point (g <= 0) to an outside
    point (g > 0): gradient snap, else Illinois on the geodesic between the two."""
    xlon, xlat, gx = ls.snap_gradient(lon, lat)
    _, _, edge_m = GEOD.inv(in_lon, in_lat, out_lon, out_lat)
    _, _, moved = GEOD.inv(lon, lat, xlon, xlat)
    bad = ~(np.abs(gx) <= SNAP_EPS_M) | ~(np.asarray(moved) <= 2 * np.asarray(edge_m) + 1.0)
    if bad.any():
        i = np.flatnonzero(bad)
        az, _, length = GEOD.inv(in_lon[i], in_lat[i], out_lon[i], out_lat[i])
        rays = GeodesicRays(in_lon[i], in_lat[i], np.asarray(az))
        g_in, g_out = ls.g(in_lon[i], in_lat[i]), ls.g(out_lon[i], out_lat[i])
        zero = np.zeros(i.size)
        blon, blat, bg = ls.snap_on_path(rays, zero, g_in, np.asarray(length), g_out)
        xlon[i], xlat[i], gx[i] = blon, blat, bg
    return xlon, xlat, gx


def snap_between(ls: LevelSet, a: Float, b: Float, mid: Float) -> tuple[Float, Float, Float]:
    """Snap the midpoints ``mid`` of edges a -> b (inside on the left) onto the level
    set: gradient snap if it lands near the edge, else Illinois across the edge."""
    xlon, xlat, gx = ls.snap_gradient(mid[:, 0], mid[:, 1])
    _, _, half = GEOD.inv(a[:, 0], a[:, 1], mid[:, 0], mid[:, 1])
    _, _, moved = GEOD.inv(mid[:, 0], mid[:, 1], xlon, xlat)
    bad = ~(np.abs(gx) <= SNAP_EPS_M) | ~(np.asarray(moved) <= np.asarray(half) + 1.0)
    if not bad.any():
        return xlon, xlat, gx
    i = np.flatnonzero(bad)
    az, _, _ = GEOD.inv(a[i, 0], a[i, 1], b[i, 0], b[i, 1])
    g_mid = ls.g(mid[i, 0], mid[i, 1])
    # across the edge towards the outside (right of the edge) when inside, else inwards
    side = np.where(g_mid <= 0, 90.0, -90.0)
    rays = GeodesicRays(mid[i, 0], mid[i, 1], np.asarray(az) + side)
    step = np.maximum(2.0 * np.abs(g_mid), 10.0)
    g_far = np.full(i.size, -1.0)
    for _ in range(30):  # expand until the far end is on the other side
        far_lon, far_lat = rays(np.arange(i.size), step)
        g_far = ls.g(far_lon, far_lat)
        crossed = np.sign(g_far) != np.sign(g_mid)
        if crossed.all():
            break
        step = np.where(crossed, step, 2 * step)
    inside_first = g_mid <= 0
    zero = np.zeros(i.size)
    t_in = np.where(inside_first, zero, step)
    t_out = np.where(inside_first, step, zero)
    g_in = np.where(inside_first, g_mid, g_far)
    g_out = np.where(inside_first, g_far, g_mid)
    blon, blat, bg = ls.snap_on_path(rays, t_in, g_in, t_out, g_out)
    xlon[i], xlat[i], gx[i] = blon, blat, bg
    return xlon, xlat, gx


def edge_midpoints(a: Float, b: Float) -> tuple[Float, Float]:
    """lon/lat midpoints (shortest way round in longitude) and geodesic midpoints."""
    dlon = wrap_lon(b[:, 0] - a[:, 0])
    lin = np.column_stack([wrap_lon(a[:, 0] + 0.5 * dlon), 0.5 * (a[:, 1] + b[:, 1])])
    az, _, s = GEOD.inv(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
    glon, glat, _ = GEOD.fwd(a[:, 0], a[:, 1], az, 0.5 * np.asarray(s))
    return lin, np.column_stack([glon, glat])


def densify(ls: LevelSet, loops: list[Float], tolerance_m: float) -> tuple[list[Float], float]:
    """Insert snapped vertices until every edge's lon/lat and geodesic midpoints are
    within ``tolerance_m / 2`` of the level set. Returns the loops and the largest
    midpoint error of the final edges (m)."""
    limit = 0.5 * tolerance_m
    out: list[Float] = []
    worst = 0.0
    sizes = [len(lp) for lp in loops]
    if not loops:
        return [], 0.0
    verts = np.concatenate(loops)
    owner = np.repeat(np.arange(len(loops)), sizes)
    todo = np.ones(len(verts), dtype=bool)  # edge i -> next vertex of its loop
    err = np.zeros(len(verts))
    for _ in range(_MAX_ROUNDS):
        nxt = _next_index(owner)
        i = np.flatnonzero(todo)
        if i.size == 0:
            break
        a, b = verts[i], verts[nxt[i]]
        lin, geo = edge_midpoints(a, b)
        g_lin = ls.g(lin[:, 0], lin[:, 1])
        g_geo = ls.g(geo[:, 0], geo[:, 1])
        e = np.maximum(np.abs(g_lin), np.abs(g_geo))
        err[i] = e
        todo[i] = False
        split = e > limit
        if not split.any():
            break
        s = i[split]
        xlon, xlat, _ = snap_between(ls, verts[s], verts[nxt[s]], lin[split])
        # insert the new vertex after vertex s; both halves get checked next round
        new = np.column_stack([xlon, xlat])
        pos = s + 1
        verts = np.insert(verts, pos, new, axis=0)
        owner = np.insert(owner, pos, owner[s])
        todo = np.insert(todo, pos, True)
        err = np.insert(err, pos, 0.0)
        todo[s + np.arange(s.size)] = True  # index of s after earlier insertions
    worst = float(err.max()) if err.size else 0.0
    for k in range(len(loops)):
        out.append(verts[owner == k])
    return out, worst


def _next_index(owner: NDArray[np.intp]) -> NDArray[np.intp]:
    n = owner.size
    nxt = np.arange(1, n + 1)
    last = np.flatnonzero(np.append(owner[1:] != owner[:-1], True))
    first = np.concatenate([[0], last[:-1] + 1])
    nxt[last] = first
    return nxt


def fibonacci_points(n: int) -> tuple[Float, Float]:
    """``n`` nearly evenly spread points on the sphere (lon, lat in degrees)."""
    k = np.arange(n) + 0.5
    lat = np.degrees(np.arcsin(1 - 2 * k / n))
    lon = wrap_lon(np.degrees(np.pi * (1 + 5**0.5) * k))
    return lon, lat


def choose_frame(ls: LevelSet) -> tuple[float, float, float]:
    """Centre (lon, lat) of the AEQD frame and ``|g|`` at its antipode.

    The antipode is the candidate point with the largest ``|g|``, so the level set
    stays far from it (where the projection is singular)."""
    for n in (64, 1024):
        lon, lat = fibonacci_points(n)
        g = np.abs(ls.g(lon, lat))
        k = int(np.argmax(g))
        if g[k] > 1_000e3:
            break
    return float(wrap_lon(lon[k] + 180.0)), float(-lat[k]), float(g[k])
