"""Closed loops on the ellipsoid -> polygons in the lon/lat plane.

The lon/lat plane is the rectangle [-180, 180] x [-90, 90] (RFC 7946): no coordinate
beyond +-180, exterior rings counter-clockwise, holes clockwise, edges straight in
lon/lat. A loop that crosses the antimeridian is cut there (the cut point is put
exactly on the level set when a :class:`~reachmap.envelope.levelset.LevelSet` is
given); a region containing a pole is closed along the pole (latitude +-90), as
Natural Earth closes Antarctica. The pieces are joined into rings by walking the
rectangle's border counter-clockwise from each piece's end to the next piece's start:
with the region on the left of every loop, that is the region's side of the border.
Areas of the result: :mod:`reachmap.geodesy.areas`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely

from reachmap.envelope.levelset import SNAP_EPS_M, LevelSet
from reachmap.geodesy.ellipsoid import GEOD, Float
from reachmap.geodesy.rings import Polygon, clean_ring, signed_area, wrap_lon

#: the lon/lat rectangle, counter-clockwise
FRAME = np.array([[-180.0, -90.0], [180.0, -90.0], [180.0, 90.0], [-180.0, 90.0]])
_CORNERS = {1: FRAME[1], 2: FRAME[2], 3: FRAME[3], 4: FRAME[0]}


def _border_t(p: Float) -> float:
    """Position of a border point along the rectangle, counter-clockwise, in [0, 4)."""
    lon, lat = float(p[0]), float(p[1])
    if lon >= 180.0:
        return 1.0 + (lat + 90.0) / 180.0
    if lon <= -180.0:
        return (3.0 + (90.0 - lat) / 180.0) % 4.0
    return 2.0 + (180.0 - lon) / 360.0 if lat >= 90.0 else (lon + 180.0) / 360.0


def split_loop(loop: Float, ls: LevelSet | None = None) -> tuple[Float | None, list[Float]]:
    """A closed loop -> (a ring in [-180, 180] if it does not cross the antimeridian,
    else None; the open pieces between crossings, each from border to border)."""
    lon, lat = wrap_lon(loop[:, 0]), loop[:, 1]
    n = len(lon)
    nxt = np.roll(np.arange(n), -1)
    dlon = wrap_lon(lon[nxt] - lon)
    east = lon + dlon >= 180.0
    west = lon + dlon < -180.0
    cross = np.flatnonzero(east | west)
    if cross.size == 0:
        return np.column_stack([lon, lat]), []
    lon_b = np.where(east[cross], 180.0, -180.0)
    t = (lon_b - lon[cross]) / dlon[cross]
    lat_x = lat[cross] + t * (lat[nxt[cross]] - lat[cross])
    if ls is not None:
        lo = np.minimum(lat[cross], lat[nxt[cross]])
        hi = np.maximum(lat[cross], lat[nxt[cross]])
        lat_x = refine_meridian_crossings(ls, lat_x, lo, hi)
    pieces = []
    for k in range(cross.size):
        c0, c1 = int(cross[k]), int(cross[(k + 1) % cross.size])
        idx = (
            np.arange(c0 + 1, c1 + 1) if c1 > c0 else np.r_[np.arange(c0 + 1, n), np.arange(c1 + 1)]
        )
        start = [[-lon_b[k], lat_x[k]]]
        end = [[lon_b[(k + 1) % cross.size], lat_x[(k + 1) % cross.size]]]
        body = np.column_stack([lon[idx], lat[idx]])
        pieces.append(np.concatenate([start, body, end]))
    return None, pieces


def refine_meridian_crossings(ls: LevelSet, lat: Float, lo: Float, hi: Float) -> Float:
    """Move antimeridian crossing points along the meridian onto the level set (Newton
    with the exact gradient direction); a step is kept only if it improves ``|g|``."""
    lat = lat.copy()
    lon = np.full(lat.size, 180.0)
    g = ls.g(lon, lat)
    for _ in range(6):
        todo = np.flatnonzero(np.abs(g) > SNAP_EPS_M)
        if todo.size == 0:
            break
        gen = ls.nearest(lon[todo], lat[todo])
        _, back, _ = GEOD.inv(gen.lon, gen.lat, lon[todo], lat[todo])
        grad_az = np.radians(np.asarray(back) + 180.0)  # direction of growing distance
        slope = np.cos(grad_az)  # dg / d(northward metres)
        ok = np.abs(slope) > 0.1
        step = np.where(ok, -g[todo] / np.where(ok, slope, 1.0), 0.0)
        _, new_lat, _ = GEOD.fwd(
            lon[todo], lat[todo], np.where(step >= 0, 0.0, 180.0), np.abs(step)
        )
        new_lat = np.asarray(new_lat, dtype=np.float64)
        inside = (new_lat >= lo[todo] - 1e-9) & (new_lat <= hi[todo] + 1e-9)
        new_g = ls.g(lon[todo], new_lat)
        better = ok & inside & (np.abs(new_g) < np.abs(g[todo]))
        lat[todo[better]], g[todo[better]] = new_lat[better], new_g[better]
        if not better.any():
            break
    return lat


def _walk(pieces: list[Float]) -> list[Float]:
    """Join border-to-border pieces into closed rings along the border (CCW)."""
    starts = np.array([_border_t(p[0]) for p in pieces])
    ends = np.array([_border_t(p[-1]) for p in pieces])
    used = np.zeros(len(pieces), dtype=bool)
    rings = []
    for first in range(len(pieces)):
        if used[first]:
            continue
        parts, k = [], first
        while True:
            used[k] = True
            parts.append(pieces[k])
            free = np.flatnonzero(~used | (np.arange(len(pieces)) == first))
            offset = (starts[free] - ends[k]) % 4.0
            nxt = int(free[np.argmin(offset)])
            t0 = ends[k]
            span = float(offset.min())
            for c in range(int(np.floor(t0)) + 1, int(np.floor(t0 + span)) + 1):
                if t0 < c < t0 + span:
                    parts.append(_CORNERS[(c - 1) % 4 + 1][None, :])
            if nxt == first:
                break
            k = nxt
        rings.append(clean_ring(np.concatenate(parts)))
    return rings


def assemble(
    loops: Sequence[Float], border_inside: bool, ls: LevelSet | None = None
) -> list[Polygon]:
    """Polygons (exterior CCW, holes CW) of the region left of ``loops``.

    ``border_inside`` says whether the rectangle's border (the antimeridian and the
    poles) lies in the region; it is used only when no loop crosses the antimeridian.
    """
    exteriors: list[Float] = []
    holes: list[Float] = []
    pieces: list[Float] = []
    for loop in loops:
        ring, parts = split_loop(loop, ls)
        if ring is not None:
            ring = clean_ring(ring)
            if len(ring) >= 3:
                (exteriors if signed_area(ring) > 0 else holes).append(ring)
        pieces.extend(parts)
    if pieces:
        exteriors.extend(r for r in _walk(pieces) if len(r) >= 3)
    elif border_inside:
        exteriors.append(FRAME.copy())
    return nest(exteriors, holes)


def nest(exteriors: list[Float], holes: list[Float]) -> list[Polygon]:
    """Give each hole to the smallest exterior that contains it."""
    shells = [shapely.Polygon(r) for r in exteriors]
    sizes = np.array([s.area for s in shells])
    owned: list[list[Float]] = [[] for _ in exteriors]
    for hole in holes:
        x, y = float(hole[0, 0]), float(hole[0, 1])
        around = [k for k, s in enumerate(shells) if shapely.contains_xy(s, x, y)]
        if not around:
            raise RuntimeError("contour hole outside every exterior ring")  # pragma: no cover
        owned[min(around, key=lambda k: sizes[k])].append(hole)
    return [(ext, *owned[k]) for k, ext in enumerate(exteriors)]
