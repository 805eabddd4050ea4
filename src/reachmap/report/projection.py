"""Map frames and projected geometry: envelopes, areas and outlines in map metres.

Two kinds of view, both drawn from geometry projected here (no map library decides
how a polygon wraps):

* ``aeqd`` and ``polar``: azimuthal equidistant on the WGS84 ellipsoid, centred on
  the launch area or on the nearer pole. A point at geodesic distance ``s`` and
  azimuth ``az`` from the centre goes to ``(s sin az, s cos az)`` (pyproj's
  GeographicLib inverse), so distances from the centre are exact. The pole and the
  antimeridian are ordinary points and lines there, so an envelope is drawn from its
  *own* boundary loops, rebuilt from the RFC 7946 polygons by dropping the artificial
  edges (along +-180 and +-90) and joining the pieces where they were cut.
* ``world``: Equal Earth (lon_0 = 0; Savric, Patterson & Jenny 2018), whose map edge
  *is* the antimeridian and whose top and bottom lines *are* the poles. There the
  RFC 7946 polygons, cut at 180 and closed along a pole, are exactly the right
  shapes; their straight lon/lat edges are densified before projecting.

Regions are closed projected rings filled by the non-zero winding rule and cut to the
frame by a clip path when drawn (see "regions" below). Points farther than
:attr:`View.clamp_m` from an azimuthal centre (towards its antipode, where the
projection tears) are pulled in radially onto that circle, and runs of them follow
it; the circle lies beyond the visible disc, so none of this shows.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pyproj
import shapely

from reachmap.geodesy.ellipsoid import GEOD, Float

PROJECTIONS = ("aeqd", "polar", "world")
#: straight lon/lat edges are split so that no piece spans more than this (degrees)
DENSIFY_DEG = 0.5
#: a point beyond this distance (m) from an azimuthal centre is clamped (antipode tear)
MAX_CLAMP_M = 19_000e3
CLAMP_MARGIN_M = 200e3
MAX_RADIUS_M = MAX_CLAMP_M - CLAMP_MARGIN_M
_RIM_STEP_RAD = math.radians(1.0)

Polygon = Sequence[Float]  # exterior then holes, (n, 2) lon/lat, no closing vertex


@dataclass(frozen=True)
class View:
    """A map frame: projection, centre (degrees) and, for azimuthal views, the radius (m)
    of the visible disc."""

    projection: str
    lon0_deg: float
    lat0_deg: float
    radius_m: float = math.nan

    @property
    def azimuthal(self) -> bool:
        return self.projection != "world"

    @property
    def clamp_m(self) -> float:
        # An edge (densified to DENSIFY_DEG, < 80 km) with one end in the disc has the
        # other within 80 km of it, so nothing that is drawn inside the disc is clamped.
        return min(MAX_CLAMP_M, self.radius_m + CLAMP_MARGIN_M)

    @cached_property
    def _world(self) -> pyproj.Transformer:
        return pyproj.Transformer.from_crs(
            "EPSG:4326",
            pyproj.CRS.from_proj4("+proj=eqearth +lon_0=0 +datum=WGS84"),
            always_xy=True,
        )

    def project(self, lon_deg: Float, lat_deg: Float) -> tuple[Float, Float]:
        """Map metres ``(x, y)`` of points (arrays); azimuthal points are clamped."""
        lon = np.asarray(lon_deg, dtype=np.float64)
        lat = np.asarray(lat_deg, dtype=np.float64)
        if not self.azimuthal:
            x, y = self._world.transform(lon, lat)
            return np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
        lon0 = np.full(lon.shape, self.lon0_deg)
        lat0 = np.full(lat.shape, self.lat0_deg)
        az, _, dist = GEOD.inv(lon0, lat0, lon, lat)
        s = np.minimum(np.asarray(dist, dtype=np.float64), self.clamp_m)
        a = np.radians(np.asarray(az, dtype=np.float64))
        return s * np.sin(a), s * np.cos(a)

    def project_line(self, pts: Float) -> Float:
        """Project a polyline (n, 2) lon/lat; clamped runs follow the clamp circle."""
        x, y = self.project(pts[:, 0], pts[:, 1])
        xy = np.column_stack([x, y])
        if not self.azimuthal or len(xy) < 2:
            return xy
        r = np.hypot(x, y)
        on_rim = r >= self.clamp_m * (1 - 1e-9)
        both = on_rim[:-1] & on_rim[1:]
        if not both.any():
            return xy
        theta = np.arctan2(x, y)
        turn = (np.diff(theta) + math.pi) % (2 * math.pi) - math.pi
        extra = np.where(both, (np.abs(turn) // _RIM_STEP_RAD).astype(np.intp), 0)
        # vertex k is followed by extra[k] points along the rim, then vertex k + 1
        count = np.r_[extra + 1, 1]
        base = np.repeat(np.arange(len(xy)), count)
        step = np.arange(base.size) - np.repeat(np.cumsum(count) - count, count)
        frac = step / np.repeat(np.r_[extra + 1, 1], count)
        t = theta[base] + frac * np.r_[turn, 0.0][base]
        rim = self.clamp_m * np.column_stack([np.sin(t), np.cos(t)])
        return np.where((step > 0)[:, None], rim, xy[base])

    @cached_property
    def frame(self) -> shapely.Polygon:
        """The visible outline: the disc, or the Equal Earth outline of the globe."""
        if self.azimuthal:
            t = np.linspace(0, 2 * math.pi, 721)[:-1]
            return shapely.Polygon(np.column_stack([np.sin(t), np.cos(t)]) * self.radius_m)
        n = int(180 / DENSIFY_DEG)
        lat = np.linspace(-90, 90, n + 1)
        lon = np.linspace(-180, 180, 2 * n + 1)
        ring = np.concatenate(
            [
                np.column_stack([np.full(n + 1, 180.0), lat]),
                np.column_stack([lon[::-1], np.full(2 * n + 1, 90.0)])[1:],
                np.column_stack([np.full(n + 1, -180.0), lat[::-1]])[1:],
                np.column_stack([lon, np.full(2 * n + 1, -90.0)])[1:-1],
            ]
        )
        return shapely.Polygon(np.column_stack(self.project(ring[:, 0], ring[:, 1])))

    def antipode(self) -> tuple[float, float]:
        lon = (self.lon0_deg + 360.0) % 360.0 - 180.0
        return lon, -self.lat0_deg


def make_view(projection: str, centre: tuple[float, float], radius_m: float | None = None) -> View:
    """A :class:`View`; ``polar`` centres on the pole of ``centre``'s hemisphere."""
    if projection not in PROJECTIONS:
        raise ValueError(f"projection must be one of {PROJECTIONS}, got {projection!r}")
    lon, lat = centre
    if projection == "world":
        return View("world", 0.0, 0.0)
    if radius_m is None or not (0 < radius_m <= MAX_RADIUS_M):
        raise ValueError(f"an azimuthal view needs a radius in (0, {MAX_RADIUS_M:g}] m")
    if projection == "polar":
        return View("polar", 0.0, 90.0 if lat >= 0 else -90.0, float(radius_m))
    return View("aeqd", float(lon), float(lat), float(radius_m))


# --------------------------------------------------------------------- lon/lat rings


def densify(ring: Float, step_deg: float = DENSIFY_DEG, closed: bool = True) -> Float:
    """Split straight lon/lat edges so that none spans more than ``step_deg``."""
    ring = np.asarray(ring, dtype=np.float64)
    b = np.roll(ring, -1, axis=0) if closed else ring[1:]
    a = ring if closed else ring[:-1]
    n = np.maximum(1, np.ceil(np.max(np.abs(b - a), axis=1) / step_deg).astype(np.intp))
    if (n == 1).all():
        return ring
    idx = np.repeat(np.arange(len(a)), n)
    t = (np.arange(idx.size) - np.repeat(np.cumsum(n) - n, n)) / np.repeat(n, n)
    out = a[idx] + t[:, None] * (b[idx] - a[idx])
    return out if closed else np.concatenate([out, ring[-1:]])


def border_edges(a: Float, b: Float) -> np.ndarray:
    """Edges a->b lying along the lon/lat rectangle's border (cuts and pole closures)."""
    return ((a[:, 0] == b[:, 0]) & (np.abs(a[:, 0]) == 180.0)) | (
        (a[:, 1] == b[:, 1]) & (np.abs(a[:, 1]) == 90.0)
    )


def real_runs(polygons: Iterable[Polygon]) -> list[tuple[Float, bool]]:
    """Boundary lines of lon/lat polygons without the artificial edges.

    Returns ``(points, closed)`` per run: a ring untouched by the border is one
    closed run; a ring cut at the antimeridian or closed along a pole gives its
    open runs between border points.
    """
    out: list[tuple[Float, bool]] = []
    for poly in polygons:
        for ring in poly:
            ring = np.asarray(ring, dtype=np.float64)
            if len(ring) < 2:
                continue
            fake = border_edges(ring, np.roll(ring, -1, axis=0))
            if not fake.any():
                out.append((ring, True))
                continue
            start = int(np.flatnonzero(fake)[0]) + 1
            order = np.roll(np.arange(len(ring)), -start)
            pts, flags = ring[order], fake[order]
            run = [pts[0]]
            for k in range(len(pts)):
                if flags[k]:
                    if len(run) > 1:
                        out.append((np.asarray(run), False))
                    run = [pts[(k + 1) % len(pts)]]
                else:
                    run.append(pts[(k + 1) % len(pts)])
            if len(run) > 1:
                out.append((np.asarray(run), False))
    return out


def _unit(p: Float) -> Float:
    lon, lat = np.radians(p[..., 0]), np.radians(p[..., 1])
    return np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)], -1)


def sphere_loops(polygons: Iterable[Polygon]) -> list[Float]:
    """Closed boundary loops on the sphere of RFC 7946 polygons (see module doc).

    Open runs are joined end to start where they meet on the sphere (a cut at +180
    continues at -180 at the same latitude). The region stays on the left of each
    loop, as in the polygons.
    """
    runs = [(densify(pts, closed=closed), closed) for pts, closed in real_runs(polygons)]
    loops = [pts for pts, closed in runs if closed]
    pieces = [pts for pts, closed in runs if not closed]
    if not pieces:
        return loops
    starts = _unit(np.array([p[0] for p in pieces]))
    ends = _unit(np.array([p[-1] for p in pieces]))
    used = np.zeros(len(pieces), dtype=bool)
    for first in range(len(pieces)):
        if used[first]:
            continue
        parts, k = [], first
        while not used[k]:
            used[k] = True
            parts.append(pieces[k])
            gap = np.linalg.norm(starts - ends[k], axis=1)
            gap[used & (np.arange(len(pieces)) != first)] = np.inf
            k = int(np.argmin(gap))
        loops.append(np.concatenate(parts))
    return loops


# ----------------------------------------------------------------------- regions
#
# A region is drawn as closed projected rings filled by the non-zero winding rule
# (matplotlib's, SVG's and PDF's default), cut to the frame by a clip path. The
# projections keep orientation (x east, y north), so rings keep the region on their
# left: exteriors wind +1, holes -1. Rings of a polygon that holds the antipode of
# an azimuthal centre wind the other way round it; a counter-clockwise circle beyond
# the clamp radius puts it right.

Rings = list[Float]

_MEMO: dict[tuple[Any, ...], tuple[object, list[Float]]] = {}
_MEMO_SIZE = 64


def _memo(fn: Callable[[View, Any], list[Float]]) -> Callable[[View, Any], list[Float]]:
    """Remember the projection of one polygon set in one view (a report draws the same
    envelopes and areas on several maps). Keyed by the polygons' identity; the entry
    keeps them alive, so the key cannot be reused by another object."""

    def wrapper(view: View, polygons: Any) -> list[Float]:
        key = (fn.__name__, view, id(polygons))
        hit = _MEMO.get(key)
        if hit is None or hit[0] is not polygons:
            if len(_MEMO) >= _MEMO_SIZE:
                _MEMO.pop(next(iter(_MEMO)))
            hit = (polygons, fn(view, polygons))
            _MEMO[key] = hit
        return list(hit[1])

    wrapper.__doc__, wrapper.__name__ = fn.__doc__, fn.__name__
    return wrapper


def rim_ring(view: View) -> Float:
    """A counter-clockwise circle just beyond the clamp radius (closes regions that hold
    the antipode of an azimuthal centre)."""
    t = np.linspace(0, 2 * math.pi, 361)
    return 1.01 * view.clamp_m * np.column_stack([np.sin(t), np.cos(t)])


def holds_antipode(view: View, polygons: Sequence[Polygon]) -> bool:
    """Whether lon/lat polygons hold the antipode of an azimuthal view's centre."""
    if not view.azimuthal or not polygons:
        return False
    lon, lat = view.antipode()
    geom = shapely.MultiPolygon([shapely.Polygon(p[0], list(p[1:])) for p in polygons])
    return bool(shapely.intersects_xy(geom, lon, lat))


@_memo
def polygon_rings(view: View, polygons: Sequence[Polygon]) -> Rings:
    """Projected rings of lon/lat polygons (exteriors CCW, holes CW; pieces cut at the
    antimeridian or closed along a pole are fine: they meet along their cuts)."""
    # In azimuthal views a pole-closing edge collapses to one point and a cut edge
    # becomes a meridian segment shared by the neighbouring piece: the fill is seamless.
    rings = [view.project_line(densify(r)) for p in polygons for r in p if len(r) >= 3]
    if holds_antipode(view, polygons):
        rings.append(rim_ring(view))
    return rings


@_memo
def envelope_rings(view: View, polygons: Sequence[Polygon]) -> Rings:
    """Projected fill rings of a region given as RFC 7946 polygons (an envelope, a band,
    a difference): its own boundary loops in azimuthal views, the polygons in the world
    view (see the module doc)."""
    polygons = oriented(polygons)
    if not view.azimuthal:
        return polygon_rings(view, polygons)
    rings = [view.project_line(lp) for lp in sphere_loops(polygons) if len(lp) >= 3]
    if holds_antipode(view, polygons):
        rings.append(rim_ring(view))
    return rings


def oriented(polygons: Sequence[Polygon]) -> list[Polygon]:
    """Polygons with exteriors counter-clockwise and holes clockwise in lon/lat."""
    out: list[Polygon] = []
    for p in polygons:
        rings = []
        for k, r in enumerate(p):
            r = np.asarray(r, dtype=np.float64)
            ccw = _signed_area(r) > 0
            rings.append(r if ccw == (k == 0) else r[::-1])
        out.append(tuple(rings))
    return out


def _signed_area(r: Float) -> float:
    x, y = r[:, 0], r[:, 1]
    return 0.5 * float(np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y))


@_memo
def boundary_lines(view: View, polygons: Iterable[Polygon]) -> list[Float]:
    """Projected boundary polylines without artificial edges (for strokes)."""
    out = []
    for pts, closed in real_runs(polygons):
        line = densify(pts, closed=closed)
        if closed:
            line = np.concatenate([line, line[:1]])
        out.append(view.project_line(line))
    return out


def graticule(view: View, step_deg: float = 10.0, max_lat: float = 80.0) -> list[Float]:
    """Parallels and meridians (meridians stop at +-``max_lat``, leaving the poles clear)."""
    lines = []
    lat = np.arange(-max_lat, max_lat + 1e-9, DENSIFY_DEG)
    for lon in np.arange(-180.0, 180.0, step_deg):
        lines.append(np.column_stack([np.full(lat.size, lon), lat]))
    lon = np.arange(-180.0, 180.0 + 1e-9, DENSIFY_DEG)
    for la in np.arange(-max_lat, max_lat + 1e-9, step_deg):
        lines.append(np.column_stack([lon, np.full(lon.size, la)]))
    return [view.project_line(ln) for ln in lines]
