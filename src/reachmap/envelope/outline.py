"""Outlines of a union of offset pieces -> loops exactly on the level set ``d = R``.

The outline of the union (:mod:`reachmap.envelope.offset`) lies within the pieces'
chord sagitta of the level set, except at the meeting points of two pieces (corners
of the level set, where the chords of two arcs cross). Each vertex is put exactly on
the level set, or left out (densifying puts corners back in): offset points whose own
generator is their nearest area point already are; others get the gradient snap, the
corner between their own and a neighbour's nearest area point, or Illinois on a short
bracket across the loop. A loop that keeps fewer than 3 vertices, or is reversed by
the moves (a needle of a pocket whose sides snap onto each other), is handed back; it
may be left out only if :func:`shallow` proves that no point in it is farther than the
tolerance from the level set.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray

from reachmap.envelope.levelset import SNAP_EPS_M, GeodesicRays, LevelSet
from reachmap.envelope.snap import corner_points
from reachmap.geodesy.ellipsoid import A_M, GEOD, Float, inverse
from reachmap.geodesy.rings import signed_area, wrap_lon

#: (lon, lat) -> plane coordinates (n, 2), where loops are oriented
ToPlane = Callable[[Float, Float], Float]
#: metres per degree of latitude, at least (the meridian degree at the equator)
M_PER_DEG_LAT = 110_574.0
#: vertices closer than this (m) to the one before are merged: pieces meeting at a
#: nearly straight vertex leave two outline vertices a hair apart, and once snapped
#: they can step back by a hair, which makes the ring invalid. Merging moves an edge by
#: at most this much (the error bound allows for it).
SAME_POINT_M = 0.05
#: metres per degree on the sphere of radius a (an upper bound for the merge test)
_M_PER_DEG = float(np.radians(1.0) * A_M)
#: largest grid (nodes) sampled to bound the depth of a pocket that is left out
_MAX_POCKET_NODES = 10_000


def outline(geom: Any) -> list[Float]:
    """Rings of a (Multi)Polygon, exterior counter-clockwise and holes clockwise, so
    that the region is on the left of each; no closing vertex."""
    geom = shapely.orient_polygons(geom, exterior_cw=False)
    out = []
    for poly in shapely.get_parts(geom):
        if poly.geom_type != "Polygon" or poly.is_empty:
            continue
        for ring in (poly.exterior, *poly.interiors):
            xy = np.asarray(ring.coords)[:-1]
            if len(xy) >= 3:
                out.append(xy)
    return out


def shallow(ls: LevelSet, loop: Float, tolerance_m: float) -> bool:
    """Whether no point enclosed by ``loop`` is farther than ``tolerance_m`` from the
    level set. g is 1-Lipschitz, so inside a loop g is at most its largest value on
    the loop plus the distance to the loop, which is at most the radius of the largest
    disc in the loop, sqrt(area / pi); on the loop, g is at most its largest value at
    16 points per edge plus half their spacing. Failing that, g on a grid of spacing
    h over the loop's box bounds it (every point is within h / sqrt(2) of a node).
    Lengths and areas from lon/lat around the loop, flat at the size of such pockets
    (2 % added); loops within a degree of a pole are never called shallow."""
    lon0, lat0 = float(loop[0, 0]), float(loop[0, 1])
    if abs(lat0) > 89.0:
        return False
    m_lon = _M_PER_DEG * math.cos(math.radians(lat0))
    x = wrap_lon(loop[:, 0] - lon0) * m_lon
    y = (loop[:, 1] - lat0) * M_PER_DEG_LAT
    local = np.column_stack([x, y])
    area_m2 = abs(signed_area(local)) * 1.02
    nxt = np.roll(loop, -1, axis=0)
    t = np.linspace(0.0, 1.0, 17)[:, None, None]
    dl = np.column_stack([wrap_lon(nxt[:, 0] - loop[:, 0]), nxt[:, 1] - loop[:, 1]])
    pts = (loop[None] + t * dl[None]).reshape(-1, 2)
    _, edge_m = inverse(loop[:, 0], loop[:, 1], nxt[:, 0], nxt[:, 1])
    g_max = float(np.max(ls.g(pts[:, 0], pts[:, 1]))) + float(np.max(edge_m)) / 32.0
    if max(g_max, 0.0) + 1.02 * math.sqrt(area_m2 / math.pi) <= tolerance_m:
        return True
    h = 0.25 * tolerance_m
    lo, hi = local.min(axis=0), local.max(axis=0)
    nx, ny = int(np.ceil((hi[0] - lo[0]) / h)) + 1, int(np.ceil((hi[1] - lo[1]) / h)) + 1
    if nx * ny > _MAX_POCKET_NODES:
        return False
    gx, gy = np.meshgrid(lo[0] + h * np.arange(nx), lo[1] + h * np.arange(ny))
    glon = lon0 + gx.ravel() / (m_lon * 1.02)
    glat = lat0 + gy.ravel() / (M_PER_DEG_LAT * 1.02)
    # (the 2 % shrink keeps the nodes' spacing below h in metres)
    return bool(float(np.max(ls.g(glon, glat))) + 0.72 * h <= tolerance_m)


def snap_outline(
    ls: LevelSet, loops: list[Float], tolerance_m: float, xy: ToPlane
) -> tuple[list[Float], list[Float]]:
    """Every vertex exactly on the level set, or left out; returns the loops and the
    (unsnapped) loops that kept fewer than 3 vertices.

    Offset points whose own generator is their nearest area point are on the level set
    already. Others get the gradient snap if it lands within the tolerance, else (the
    meeting points of two pieces: corners of the level set) the corner between the two
    neighbours' generators (:func:`reachmap.envelope.snap.corner_points`)."""
    sizes = np.array([len(lp) for lp in loops])
    start = np.cumsum(sizes) - sizes
    pts = np.concatenate(loops)
    owner = np.repeat(np.arange(len(loops)), sizes)
    k = np.arange(len(pts)) - start[owner]
    prv = start[owner] + (k - 1) % sizes[owner]
    nxt = start[owner] + (k + 1) % sizes[owner]
    g = ls.g(pts[:, 0], pts[:, 1])
    ok = np.abs(g) <= SNAP_EPS_M
    new = pts.copy()
    todo = np.flatnonzero(~ok)
    if todo.size:
        xlon, xlat, gx, _ = ls.snap_gradient(pts[todo, 0], pts[todo, 1])
        _, moved = inverse(pts[todo, 0], pts[todo, 1], xlon, xlat)
        good = (np.abs(gx) <= SNAP_EPS_M) & (moved <= tolerance_m)
        i = todo[good]
        new[i] = np.column_stack([pts[i, 0] + wrap_lon(xlon[good] - pts[i, 0]), xlat[good]])
        ok[i] = True
        todo = todo[~good]
    for other in (nxt, prv):
        if todo.size == 0:
            break
        # A meeting point of two pieces is near a corner of the level set: Newton from
        # it for the point at distance R from its own nearest area point and from its
        # neighbour's (corner_points with a = mid = the vertex).
        x = pts[todo]
        corner, _, is_corner = corner_points(ls, x, pts[other[todo]], x)
        gc = ls.g(corner[:, 0], corner[:, 1])
        _, moved = inverse(x[:, 0], x[:, 1], corner[:, 0], corner[:, 1])
        good = is_corner & (np.abs(gc) <= SNAP_EPS_M) & (moved <= tolerance_m)
        i = todo[good]
        new[i] = np.column_stack(
            [x[good, 0] + wrap_lon(corner[good, 0] - x[good, 0]), corner[good, 1]]
        )
        ok[i] = True
        todo = todo[~good]
    for factor in (1.0, 4.0, 16.0):
        if todo.size == 0:
            break
        lon, lat, solved = _bracket(
            ls, pts, prv[todo], todo, nxt[todo], g[todo], factor, tolerance_m
        )
        i = todo[solved]
        new[i] = np.column_stack([pts[i, 0] + wrap_lon(lon[solved] - pts[i, 0]), lat[solved]])
        ok[i] = True
        todo = todo[~solved]
    out, failed = [], []
    # Vertices far inside the region are overlay slivers, not on any pocket's outline
    # (which lies within the pieces' sagitta of the level set).
    near = g >= -0.5 * tolerance_m
    for a, m in zip(start, sizes, strict=True):
        sl = slice(a, a + m)
        if near[sl].sum() < 3:
            continue
        lp = new[sl][ok[sl]]
        lp = merge_close(lp) if len(lp) else lp
        if len(lp) < 3 or flipped(pts[sl], lp, xy):
            failed.append(pts[sl])
            continue
        out.append(lp)
    return out, failed


def merge_close(loop: Float) -> Float:
    """The loop without vertices closer than ``SAME_POINT_M`` to the one kept before
    (lengths from lon/lat, within 1 % at that size)."""
    d = np.abs(loop - np.roll(loop, 1, axis=0))
    d[:, 0] = np.abs(wrap_lon(d[:, 0]))
    gap_m = np.hypot(d[:, 0] * np.cos(np.radians(loop[:, 1])), d[:, 1]) * _M_PER_DEG
    keep = gap_m >= SAME_POINT_M
    keep[0] = True
    return loop[keep]


def flipped(before: Float, after: Float, xy: ToPlane) -> bool:
    """Whether moving a loop's vertices reversed or collapsed it (a needle of a pocket
    whose two sides snap onto each other); orientation in the plane ``xy`` maps to."""
    a = signed_area(xy(before[:, 0], before[:, 1]))
    b = signed_area(xy(after[:, 0], after[:, 1]))
    return bool(a * b <= 0.0)


def _bracket(
    ls: LevelSet,
    pts: Float,
    prv: NDArray[np.intp],
    at: NDArray[np.intp],
    nxt: NDArray[np.intp],
    g: Float,
    factor: float,
    tolerance_m: float,
) -> tuple[Float, Float, NDArray[np.bool_]]:
    """Illinois from each vertex to a point across the level set: along the bisector
    of the loop's angle there, on the right of the loop when the vertex is inside, on
    the left when outside. The vertex is within the pieces' sagitta of the level set,
    so a short bracket (``factor`` times twice |g| over the sine of the half angle, at
    most the tolerance) suffices and keeps the order; also at the tip of a thin pocket,
    where the perpendicular to the chord would miss it. Returns lon, lat and a mask of
    the vertices solved."""
    x = pts[at]
    back, _, _ = GEOD.inv(x[:, 0], x[:, 1], pts[prv, 0], pts[prv, 1])
    ahead, _, _ = GEOD.inv(x[:, 0], x[:, 1], pts[nxt, 0], pts[nxt, 1])
    ahead, back = np.asarray(ahead), np.asarray(back)
    opening = np.mod(back - ahead, 360.0)  # clockwise from "ahead" to "back": the right
    inside = g <= 0
    ray_az = ahead + 0.5 * opening + np.where(inside, 0.0, 180.0)
    half = np.radians(0.5 * np.where(inside, opening, 360.0 - opening))
    span = (
        factor * (2.0 * np.abs(g) + 1.0) / np.maximum(np.sin(np.minimum(half, 0.5 * np.pi)), 0.05)
    )
    span = np.minimum(span, tolerance_m)
    rays = GeodesicRays(x[:, 0], x[:, 1], ray_az)
    far_lon, far_lat = rays(np.arange(at.size), span)
    g_far = ls.g(far_lon, far_lat)
    j = np.flatnonzero(np.where(inside, g_far > 0, g_far <= 0))
    lon, lat = np.full(at.size, np.nan), np.full(at.size, np.nan)
    solved = np.zeros(at.size, dtype=bool)
    if j.size == 0:
        return lon, lat, solved
    sub = GeodesicRays(x[j, 0], x[j, 1], ray_az[j])
    zero = np.zeros(j.size)
    ins = inside[j]
    t_in, t_out = np.where(ins, zero, span[j]), np.where(ins, span[j], zero)
    g_in, g_out = np.where(ins, g[j], g_far[j]), np.where(ins, g_far[j], g[j])
    blon, blat, bg = ls.snap_on_path(sub, t_in, g_in, t_out, g_out)
    good = np.abs(bg) <= SNAP_EPS_M
    lon[j[good]], lat[j[good]], solved[j[good]] = blon[good], blat[good], True
    return lon, lat, solved
