"""The envelope of many points: the outline of the union of their geodesic circles,
traced on the ellipsoid itself (no plane, so points all round the globe work).

Every circle (radius R, around one point) gets vertices from the direct problem
(``Geod.fwd``), exactly at distance R from its own point. A vertex lies on the outline
iff no other point is nearer than R (the exact distance of
:mod:`reachmap.geodesy.points`); the kept vertices of a circle form *runs*. The outline
leaves a run where its circle enters another point's disc: that corner is found by
bisection along the circle (to ~1e-9 of a vertex spacing), the point whose disc it
enters is the nearest one just past the corner, and the outline continues on that
point's circle from the corner on, i.e. with the first run of that circle after the
corner's azimuth. Every run must be entered exactly once, else the path declines. The
loops (region on the left, corners included as vertices) are then densified,
assembled and verified like every other envelope (:func:`reachmap.envelope.core._from_loops`).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from reachmap.envelope.levelset import SNAP_EPS_M, LevelSet
from reachmap.geodesy.ellipsoid import GEOD, Float

#: most circle vertices made (each needs one exact nearest-point query); beyond it the
#: grid traces the envelope
MAX_CIRCLE_VERTICES = 2_000_000
#: bisection steps along a circle for a corner: 2**-40 of a vertex spacing
_BISECTIONS = 40


def circle_count(range_m: float, tolerance_m: float) -> int:
    """Vertices per circle: chords sag by at most a quarter of the tolerance (and a
    thousandth of R, so that a 1 m circle keeps its shape)."""
    sag = min(0.25 * tolerance_m, 1e-3 * range_m)
    return max(16, math.ceil(math.pi / math.acos(1.0 - sag / range_m)))


def union_loops(ls: LevelSet, tolerance_m: float) -> list[Float] | None:
    """Loops of the outline of the union of the points' circles; None if the work would
    exceed :data:`MAX_CIRCLE_VERTICES` or the corners do not link up consistently."""
    pts = ls.area.points
    r = ls.range_m
    n = circle_count(r, tolerance_m)
    k = len(pts)
    if k == 0 or n * k > MAX_CIRCLE_VERTICES:
        return None
    step = 360.0 / n
    # counter-clockwise seen from above: the disc on the left
    az: Float = 360.0 - step * np.arange(n, dtype=np.float64)
    lon, lat = _fwd(pts[np.repeat(np.arange(k), n)], np.tile(az, k), r)
    kept: NDArray[np.bool_] = np.asarray(np.abs(ls.g(lon, lat)) <= SNAP_EPS_M).reshape(k, n)
    lon, lat = lon.reshape(k, n), lat.reshape(k, n)
    alone = np.flatnonzero(kept.all(axis=1))
    partial = np.asarray(kept.any(axis=1) & ~kept.all(axis=1), dtype=bool)
    # Corners, found from both circles that meet there: after each run of kept vertices
    # (its circle leaves into another disc) and before each run (it comes out of one).
    # A lens thinner than a vertex spacing has dropped vertices on one circle only: the
    # corners found from that one circle are the other's too.
    ec, ei = np.nonzero(kept & ~np.roll(kept, -1, axis=1) & partial[:, None])
    sc, si = np.nonzero(kept & ~np.roll(kept, 1, axis=1) & partial[:, None])
    x_az, x_pt, x_next = _corners(ls, pts[ec], az[ei], -step)
    n_az, n_pt, n_prev = _corners(ls, pts[sc], az[si], step)
    if np.any(x_next == ec) or np.any(n_prev == sc):
        return None
    # exits: (circle, position on it, corner, next circle, position on the next circle)
    frm = np.concatenate([ec, n_prev])
    to = np.concatenate([x_next, sc])
    corner = np.concatenate([x_pt, n_pt])
    pos_own_x = (360.0 - x_az) / step  # on the circle that was bisected
    pos_own_n = (360.0 - n_az) / step
    pos_frm = np.concatenate([pos_own_x, _position(pts[n_prev], n_pt, step, n)])
    pos_to = np.concatenate([_position(pts[x_next], x_pt, step, n), pos_own_n])
    keep = _unique_events(frm, to, pos_frm)
    keep = keep[np.lexsort((pos_frm[keep], frm[keep]))]
    frm, to, corner, pos_frm, pos_to = (a[keep] for a in (frm, to, corner, pos_frm, pos_to))
    # the exit that follows each entry: the first exit on the next circle after it
    key = frm * (2.0 * n) + pos_frm
    want = to * (2.0 * n) + pos_to
    at = np.searchsorted(key, want, side="right")
    first = np.searchsorted(frm, to, side="left")
    wrap = (at >= frm.size) | (frm[np.minimum(at, frm.size - 1)] != to)
    succ = np.where(wrap, first, at)
    if np.any(succ >= frm.size) or np.any(frm[np.minimum(succ, frm.size - 1)] != to):
        return None
    if np.unique(succ).size != succ.size:
        return None
    loops = [np.column_stack([lon[c], lat[c]]) for c in alone if not np.any(frm == c)]
    visited = np.zeros(frm.size, dtype=bool)
    for start in range(frm.size):
        if visited[start]:
            continue
        parts: list[Float] = []
        ev = start
        while not visited[ev]:
            visited[ev] = True
            nx = int(succ[ev])
            c = int(to[ev])
            idx = _between(pos_to[ev], pos_frm[nx], n)
            if not kept[c, idx].all():
                return None
            parts.append(corner[ev][None, :])
            parts.append(np.column_stack([lon[c, idx], lat[c, idx]]))
            ev = nx
        if ev != start:
            return None
        loops.append(np.concatenate(parts))
    return loops


def _corners(
    ls: LevelSet, p: Float, az0: Float, toward: float
) -> tuple[Float, Float, NDArray[np.intp]]:
    """Bisect along circles from a kept vertex (azimuth ``az0``) towards the dropped one
    at ``az0 + toward``: the corner's azimuth, its lon/lat (the kept side: on the level
    set) and the point whose disc the circle enters there."""
    lo, hi = az0.astype(np.float64).copy(), az0 + toward
    r = ls.range_m
    for _ in range(_BISECTIONS):
        mid = 0.5 * (lo + hi)
        x, y = _fwd(p, mid, r)
        inside = ls.g(x, y) < -SNAP_EPS_M
        lo, hi = np.where(inside, lo, mid), np.where(inside, mid, hi)
    cx, cy = _fwd(p, lo, r)
    hx, hy = _fwd(p, hi, r)
    other = ls.area.point_set.nearest(hx, hy).index
    return np.mod(lo, 360.0), np.column_stack([cx, cy]), other


def _position(p: Float, corner: Float, step: float, n: int) -> Float:
    """Position (in vertex spacings, [0, n)) of each corner on the circle of ``p``."""
    az, _, _ = GEOD.inv(p[:, 0], p[:, 1], corner[:, 0], corner[:, 1])
    return np.asarray(np.mod((360.0 - np.mod(np.asarray(az), 360.0)) / step, n), np.float64)


def _unique_events(frm: NDArray[np.intp], to: NDArray[np.intp], pos: Float) -> NDArray[np.intp]:
    """Indices of the exits without the second finding of the same corner (same circles,
    positions within 1e-4 of a vertex spacing: both bisections agree far closer)."""
    order = np.lexsort((pos, to, frm))
    f, t, q = frm[order], to[order], pos[order]
    dup = np.zeros(order.size, dtype=bool)
    dup[1:] = (f[1:] == f[:-1]) & (t[1:] == t[:-1]) & (np.abs(q[1:] - q[:-1]) < 1e-4)
    return np.asarray(order[~dup], dtype=np.intp)


def _between(t0: float, t1: float, n: int) -> NDArray[np.intp]:
    """Vertex indices strictly after position ``t0`` and before ``t1``, cyclically."""
    a = math.floor(t0) + 1
    b = math.ceil(t1) - 1
    if t1 <= t0:
        b += n
    return np.arange(a, b + 1) % n if b >= a else np.zeros(0, dtype=np.intp)


def _fwd(p: Float, az: Float, r: float) -> tuple[Float, Float]:
    x, y, _ = GEOD.fwd(p[:, 0], p[:, 1], az, np.full(len(p), r))
    return np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
