"""The level set ``{P : d(P) = R}`` of an area: the field, nearest area points, and
how edge errors are measured.

``g(P) = d(P) - R`` with ``d`` the exact WGS84 distance to the area
(:meth:`reachmap.area.Area.distance_m`, GeographicLib via pyproj). Snapping points onto
the level set and densifying loops live in :mod:`reachmap.envelope.snap`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from reachmap.area import Area
from reachmap.geodesy.distance import edge_minimum
from reachmap.geodesy.ellipsoid import GEOD, Float
from reachmap.geodesy.rings import wrap_lon

#: snapped vertices are within this of the level set (m); Illinois converges far below it
SNAP_EPS_M = 1e-4
#: largest distance between two points of WGS84 (half a meridian), m
MAX_DISTANCE_M = 20_003_931.458625
_ILLINOIS_STEPS = 80


@dataclass(frozen=True)
class Generators:
    """Nearest area point per query: distance, position, azimuth at it towards the
    query, and the boundary edge holding it (``-1`` for an area point) with its
    distance ``s_m`` along that edge."""

    distance_m: Float
    lon: Float
    lat: Float
    azimuth_deg: Float
    edge: NDArray[np.intp]
    s_m: Float

    def take(self, idx: NDArray[np.intp]) -> Generators:
        return Generators(*(getattr(self, f)[idx] for f in _GEN_FIELDS))


_GEN_FIELDS = ("distance_m", "lon", "lat", "azimuth_deg", "edge", "s_m")


@dataclass(frozen=True)
class LevelSet:
    """The set ``{P : d(P) = range_m}`` of an area."""

    area: Area
    range_m: float

    def g(self, lon_deg: Float, lat_deg: Float) -> Float:
        """``d - R`` (m): negative inside the envelope, positive outside."""
        return np.asarray(self.area.distance_m(lon_deg, lat_deg), dtype=np.float64) - self.range_m

    def nearest(self, lon_deg: Float, lat_deg: Float) -> Generators:
        """Nearest area point of each query (polygon boundaries and points)."""
        lon = np.asarray(lon_deg, dtype=np.float64).ravel()
        lat = np.asarray(lat_deg, dtype=np.float64).ravel()
        n = lon.size
        best = np.full(n, np.inf)
        nlon, nlat, naz = np.full(n, np.nan), np.full(n, np.nan), np.zeros(n)
        edge, s_m = np.full(n, -1, dtype=np.intp), np.zeros(n)
        if self.area.polygons and self.area.boundary.real.any():
            near = self.area.nearest(lon, lat)
            best, nlon, nlat = near.distance_m.copy(), near.lon_deg.copy(), near.lat_deg.copy()
            naz, edge, s_m = near.azimuth_to_query_deg.copy(), near.edge.copy(), near.s_m.copy()
        if len(self.area.points) and n:
            near_pt = self.area.point_set.nearest(lon, lat)
            better = near_pt.distance_m < best
            best[better] = near_pt.distance_m[better]
            j = near_pt.index[better]
            nlon[better], nlat[better] = self.area.points[j, 0], self.area.points[j, 1]
            naz[better] = near_pt.azimuth_deg[better]
            edge[better] = -1
        return Generators(best, nlon, nlat, naz, edge, s_m)

    def distance_to(self, gen: Generators, lon: Float, lat: Float) -> Generators:
        """Distance from each point to *its* generator: the boundary edge ``gen.edge``
        (exact minimum over that geodesic edge) or the point (``edge == -1``)."""
        out = Generators(*(np.array(getattr(gen, f), copy=True) for f in _GEN_FIELDS))
        pt = gen.edge < 0
        if pt.any():
            az, _, d = GEOD.inv(gen.lon[pt], gen.lat[pt], lon[pt], lat[pt])
            out.distance_m[pt], out.azimuth_deg[pt] = d, az
        if (~pt).any():
            k = np.flatnonzero(~pt)
            d, s_m, nlon, nlat, az, _ = edge_minimum(
                self.area.boundary, gen.edge[k], gen.s_m[k], lon[k], lat[k]
            )
            out.distance_m[k], out.s_m[k], out.lon[k], out.lat[k] = d, s_m, nlon, nlat
            out.azimuth_deg[k] = az
        return out

    def snap_gradient(self, lon: Float, lat: Float) -> tuple[Float, Float, Float, Generators]:
        """One gradient snap: ``direct(N, az, R)``; returns lon, lat, g there and N."""
        gen = self.nearest(lon, lat)
        r = np.full(gen.lon.size, self.range_m)
        xlon, xlat, _ = GEOD.fwd(gen.lon, gen.lat, gen.azimuth_deg, r)
        xlon, xlat = np.asarray(xlon, np.float64), np.asarray(xlat, np.float64)
        return xlon, xlat, self.g(xlon, xlat), gen

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
            with np.errstate(divide="ignore", invalid="ignore"):
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


def edge_error_m(
    ls: LevelSet, a: Float, b: Float, lin: Float | None = None, geo: Float | None = None
) -> Float:
    """Largest ``|g|`` of each edge at its lon/lat quarter points and midpoint and at
    its geodesic midpoint (a narrow notch can hide from the midpoint alone)."""
    if lin is None or geo is None:
        lin, geo = edge_midpoints(a, b)
    dlon = wrap_lon(b[:, 0] - a[:, 0])
    pts = [lin, geo]
    for t in (0.25, 0.75):
        pts.append(
            np.column_stack([wrap_lon(a[:, 0] + t * dlon), a[:, 1] + t * (b[:, 1] - a[:, 1])])
        )
    allp = np.concatenate(pts)
    return np.max(np.abs(ls.g(allp[:, 0], allp[:, 1])).reshape(4, -1), axis=0)


def edge_midpoints(a: Float, b: Float) -> tuple[Float, Float]:
    """lon/lat midpoints (shortest way round in longitude) and geodesic midpoints."""
    dlon = wrap_lon(b[:, 0] - a[:, 0])
    lin = np.column_stack([wrap_lon(a[:, 0] + 0.5 * dlon), 0.5 * (a[:, 1] + b[:, 1])])
    az, _, s = GEOD.inv(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
    glon, glat, _ = GEOD.fwd(a[:, 0], a[:, 1], az, 0.5 * np.asarray(s))
    return lin, np.column_stack([glon, glat])


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
