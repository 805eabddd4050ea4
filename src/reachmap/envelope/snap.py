"""Putting points exactly on the level set ``d = R``, and densifying contour loops.

``g(P) = d(P) - R`` with ``d`` the exact WGS84 distance to the area
(:meth:`reachmap.area.Area.distance_m`, GeographicLib via pyproj).

*Snapping.* A point P near the level set is moved to ``X = direct(N, az, R)``: N is
P's nearest area point and ``az`` the azimuth at N towards P. N stays the nearest
point of every point of the geodesic N -> P and beyond it up to the medial axis, so
``d(X) = R`` exactly wherever the level set is smooth (one nearest-point query and
one direct problem). Where that fails (X beyond the medial axis, at a corner of the
level set), a bracketed Illinois iteration on a segment with ``g <= 0`` at one end
and ``g > 0`` at the other finds the crossing. Vertices end within ``SNAP_EPS_M``.

Near corners of the level set (neighbours with far-apart nearest points) the
marching-squares vertices are always solved on their grid edge, which keeps their
order.

*Densifying.* Output edges are straight in lon/lat (RFC 7946). An edge is split until
its lon/lat quarter points and midpoint and its geodesic midpoint are within
``tolerance / 2`` of the level set, so clients drawing edges as lon/lat lines or as
geodesics both stay within the tolerance (between two vertices on a smooth arc the
deviation peaks at the midpoint; at a corner the midpoint sees at least half of it,
hence the factor 1/2; the quarter points catch narrow notches). The new vertex is,
in order of preference: the corner of the level set between the two ends (Newton on
the distances to the two ends' generators), the gradient snap of the midpoint, or
the first crossing of the geodesic through the midpoint perpendicular to the edge
(sphere tracing, which cannot step over a crossing). Each of these lies on the arc
of the level set between the two ends.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from reachmap.envelope.contour import Frame
from reachmap.envelope.levelset import (
    MAX_DISTANCE_M,
    SNAP_EPS_M,
    GeodesicRays,
    LevelSet,
    edge_error_m,
    edge_midpoints,
)
from reachmap.geodesy.ellipsoid import GEOD, Float, conformal_unit

_MAX_ROUNDS = 40


def snap_with_bracket(
    ls: LevelSet,
    lon: Float,
    lat: Float,
    in_lon: Float,
    in_lat: Float,
    out_lon: Float,
    out_lat: Float,
    nxt: NDArray[np.intp],
) -> tuple[Float, Float, Float]:
    """Snap loop vertices (``nxt``: index of the next vertex of the same loop) whose grid
    edge runs from an inside point (g <= 0) to an outside point (g > 0).

    Gradient snap, except near corners of the level set (neighbours with far-apart
    nearest area points), where the normals of the two branches cross and moving
    along them could swap neighbours: there, and wherever the gradient snap fails,
    Illinois on the grid edge finds the crossing, which keeps the order."""
    xlon, xlat, gx, gen = ls.snap_gradient(lon, lat)
    _, _, edge_m = GEOD.inv(in_lon, in_lat, out_lon, out_lat)
    _, _, moved = GEOD.inv(lon, lat, xlon, xlat)
    bad = ~(np.abs(gx) <= SNAP_EPS_M) | ~(np.asarray(moved) <= 2 * np.asarray(edge_m) + 1.0)
    _, _, sep = GEOD.inv(gen.lon, gen.lat, gen.lon[nxt], gen.lat[nxt])
    _, _, gap = GEOD.inv(lon, lat, lon[nxt], lat[nxt])
    corner = np.asarray(sep) > 2.0 * np.asarray(gap) + 1.0
    bad |= corner
    bad[nxt[corner]] = True
    if bad.any():
        i = np.flatnonzero(bad)
        az, _, length = GEOD.inv(in_lon[i], in_lat[i], out_lon[i], out_lat[i])
        rays = GeodesicRays(in_lon[i], in_lat[i], np.asarray(az))
        g_in, g_out = ls.g(in_lon[i], in_lat[i]), ls.g(out_lon[i], out_lat[i])
        zero = np.zeros(i.size)
        blon, blat, bg = ls.snap_on_path(rays, zero, g_in, np.asarray(length), g_out)
        xlon[i], xlat[i], gx[i] = blon, blat, bg
    return xlon, xlat, gx


def snap_between(
    ls: LevelSet, a: Float, b: Float, mid: Float, across: NDArray[np.bool_] | None = None
) -> tuple[Float, Float, Float]:
    """Snap the midpoints ``mid`` of edges a -> b (inside on the left) onto the level
    set: gradient snap if it lands near the edge, else (and wherever ``across``) Illinois
    along the geodesic through ``mid`` perpendicular to the edge.

    Across a corner of the level set the perpendicular halves the straddling part of
    the edge every time, however sharp the corner; moving along one branch's normal
    can converge very slowly there."""
    xlon, xlat, gx, _ = ls.snap_gradient(mid[:, 0], mid[:, 1])
    _, _, half = GEOD.inv(a[:, 0], a[:, 1], mid[:, 0], mid[:, 1])
    _, _, moved = GEOD.inv(mid[:, 0], mid[:, 1], xlon, xlat)
    bad = ~(np.abs(gx) <= SNAP_EPS_M) | ~(np.asarray(moved) <= np.asarray(half) + 1.0)
    if across is not None:
        bad |= across
    if not bad.any():
        return xlon, xlat, gx
    i = np.flatnonzero(bad)
    az, _, chord = GEOD.inv(a[i, 0], a[i, 1], b[i, 0], b[i, 1])
    g_mid = ls.g(mid[i, 0], mid[i, 1])
    # across the edge towards the outside (right of the edge) when inside, else inwards
    side = np.where(g_mid <= 0, 90.0, -90.0)
    rays = GeodesicRays(mid[i, 0], mid[i, 1], np.asarray(az) + side)
    # The arc of the level set between a and b crosses the perpendicular near the edge;
    # a crossing much farther away belongs to another part of the level set (a ray
    # through a pinched pocket runs out into the open and meets another island's disc),
    # and taking it would fold the loop. Such edges keep their error.
    reach = 2.0 * np.asarray(chord) + 4.0 * np.abs(g_mid) + 1.0
    blon, blat, bg = first_crossing(ls, rays, g_mid, reach)
    xlon[i], xlat[i], gx[i] = blon, blat, bg
    return xlon, xlat, gx


def first_crossing(
    ls: LevelSet, rays: GeodesicRays, g0: Float, max_t_m: Float | float = MAX_DISTANCE_M
) -> tuple[Float, Float, Float]:
    """The first zero of g along each ray (``g0`` at its start), searched up to
    ``max_t_m`` along it.

    Sphere tracing: a step of ``|g|`` cannot jump over a zero (g is 1-Lipschitz), so
    the first bracket found holds the first crossing; after a few steps the step is
    doubled to reach a grazing crossing sooner. Illinois then solves the bracket.
    Points whose ray finds no crossing get NaN g."""
    n = g0.size
    limit = np.broadcast_to(np.asarray(max_t_m, dtype=np.float64), (n,))
    t, g = np.zeros(n), g0.copy()
    t_hi, g_hi = np.full(n, np.nan), np.full(n, np.nan)
    active = np.flatnonzero(np.abs(g) > SNAP_EPS_M)
    for k in range(40):
        if active.size == 0:
            break
        step = np.abs(g[active]) * (1.0 if k < 6 else 2.0 ** min(k - 5, 10)) + 1e-3
        step = np.minimum(step, limit[active] - t[active])  # no bracket beyond the limit
        lon, lat = rays(active, t[active] + step)
        g_new = ls.g(lon, lat)
        crossed = (np.sign(g_new) != np.sign(g0[active])) | (np.abs(g_new) <= SNAP_EPS_M)
        hit = active[crossed]
        t_hi[hit], g_hi[hit] = t[hit] + step[crossed], g_new[crossed]
        go = active[~crossed]
        t[go], g[go] = t[go] + step[~crossed], g_new[~crossed]
        active = go[t[go] < limit[go]]
    out_lon, out_lat = rays(np.arange(n), t)
    out_g = np.where(np.abs(g) <= SNAP_EPS_M, g, np.nan)
    todo = np.flatnonzero(np.isfinite(t_hi) & ~(np.abs(g) <= SNAP_EPS_M))
    if todo.size:
        inside = g0[todo] <= 0
        a_t, b_t = t[todo], t_hi[todo]
        t_in, t_out = np.where(inside, a_t, b_t), np.where(inside, b_t, a_t)
        g_in = np.where(inside, g[todo], g_hi[todo])
        g_out = np.where(inside, g_hi[todo], g[todo])
        sub = GeodesicRays(rays.lon[todo], rays.lat[todo], rays.az[todo])
        lon, lat, gg = ls.snap_on_path(sub, t_in, g_in, t_out, g_out)
        out_lon[todo], out_lat[todo], out_g[todo] = lon, lat, gg
    return out_lon, out_lat, out_g


def corner_points(
    ls: LevelSet, a: Float, b: Float, mid: Float
) -> tuple[Float, NDArray[np.bool_], NDArray[np.bool_]]:
    """The corner of the level set between ``a`` and ``b`` where their nearest area
    points differ: the point at distance R from both generators (the boundary edges
    or points nearest to ``a`` and to ``b``), by Newton's method on the two distances.

    Returns the points, a mask of those on the level set (within ``SNAP_EPS_M``) and
    between a and b, and a mask of the edges that straddle a corner at all. Where the
    corner has a third, nearer generator (a triple point of the medial axis) the first
    mask is False and the caller bisects instead.
    """
    m = len(a)
    out, ok = mid.copy(), np.zeros(m, dtype=bool)
    gen_a, gen_b = ls.nearest(a[:, 0], a[:, 1]), ls.nearest(b[:, 0], b[:, 1])
    _, _, sep = GEOD.inv(gen_a.lon, gen_a.lat, gen_b.lon, gen_b.lat)
    _, _, chord = GEOD.inv(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
    chord = np.asarray(chord)
    is_corner = np.asarray(sep) > 2.0 * chord
    cand = np.flatnonzero(is_corner)
    if cand.size == 0:
        return out, ok, is_corner
    gen_a, gen_b, x, step_max = gen_a.take(cand), gen_b.take(cand), mid[cand].copy(), chord[cand]
    r = ls.range_m
    for _ in range(12):
        gen_a = ls.distance_to(gen_a, x[:, 0], x[:, 1])
        gen_b = ls.distance_to(gen_b, x[:, 0], x[:, 1])
        g1, g2 = gen_a.distance_m - r, gen_b.distance_m - r
        if np.all(np.maximum(np.abs(g1), np.abs(g2)) < 1e-5):
            break
        # gradient of each distance at x: the direction away from its nearest point
        _, back1, _ = GEOD.inv(gen_a.lon, gen_a.lat, x[:, 0], x[:, 1])
        _, back2, _ = GEOD.inv(gen_b.lon, gen_b.lat, x[:, 0], x[:, 1])
        a1, a2 = np.radians(np.asarray(back1) + 180.0), np.radians(np.asarray(back2) + 180.0)
        s1, c1, s2, c2 = np.sin(a1), np.cos(a1), np.sin(a2), np.cos(a2)
        det = s1 * c2 - c1 * s2
        det = np.where(np.abs(det) < 1e-6, np.nan, det)
        de, dn = (-g1 * c2 + c1 * g2) / det, (-s1 * g2 + s2 * g1) / det
        size = np.nan_to_num(np.hypot(de, dn), nan=0.0)
        scale = np.minimum(1.0, step_max / np.where(size > 0, size, 1.0))
        lon, lat, _ = GEOD.fwd(x[:, 0], x[:, 1], np.degrees(np.arctan2(de, dn)), size * scale)
        x = np.column_stack([lon, lat])
    x = np.where(np.isfinite(x), x, mid[cand])
    g = ls.g(x[:, 0], x[:, 1])
    out[cand] = x
    _, _, off = GEOD.inv(mid[cand, 0], mid[cand, 1], x[:, 0], x[:, 1])
    reach = 3.0 * (step_max + np.abs(ls.g(mid[cand, 0], mid[cand, 1])))
    _, _, to_a = GEOD.inv(a[cand, 0], a[cand, 1], x[:, 0], x[:, 1])
    _, _, to_b = GEOD.inv(b[cand, 0], b[cand, 1], x[:, 0], x[:, 1])
    apart = np.minimum(np.asarray(to_a), np.asarray(to_b)) > 1e-3 * step_max
    # the two circles meet twice: keep the meeting point on a's and b's side of the
    # line through the two generators
    ga, gb = conformal_unit(gen_a.lon, gen_a.lat), conformal_unit(gen_b.lon, gen_b.lat)
    normal = np.cross(ga, gb)

    def side(p: Float) -> Float:
        return np.sign(np.einsum("ij,ij->i", normal, conformal_unit(p[:, 0], p[:, 1])))

    same = (side(x) == side(a[cand])) & (side(x) == side(b[cand]))
    ok[cand] = (np.abs(g) <= SNAP_EPS_M) & (np.asarray(off) <= reach) & apart & same
    return out, ok, is_corner


def densify(
    ls: LevelSet, loops: list[Float], tolerance_m: float, unchecked: list[int] | None = None
) -> tuple[list[Float], NDArray[np.float64]]:
    """Insert snapped vertices until every edge's lon/lat midpoint and quarter points
    and its geodesic midpoint are within ``tolerance_m / 2`` of the level set. Returns
    the loops and the largest error of each loop's final edges at those points (m);
    ``unchecked`` (a list) receives the number of final edges whose error was not
    measured here (0 when the rounds ended with every edge checked). Edges
    whose ends have different nearest area points get the level set's corner between
    them (:func:`corner_points`)."""
    if not loops:
        return [], np.zeros(0)
    limit = 0.5 * tolerance_m
    verts = np.concatenate(loops)
    owner = np.repeat(np.arange(len(loops)), [len(lp) for lp in loops])
    todo = np.ones(len(verts), dtype=bool)  # edge i runs from vertex i to the next one
    err = np.zeros(len(verts))
    budget = 8 * len(verts) + 20_000  # runaway growth means the topology is wrong
    for _ in range(_MAX_ROUNDS):
        if len(verts) > budget:
            break
        nxt = _next_index(owner)
        i = np.flatnonzero(todo)
        if i.size == 0:
            break
        a, b = verts[i], verts[nxt[i]]
        lin, geo = edge_midpoints(a, b)
        e = edge_error_m(ls, a, b, lin, geo)
        err[i] = e
        todo[i] = False
        split = e > limit
        if not split.any():
            break
        s = i[split]
        new, ok, corner = corner_points(ls, verts[s], verts[nxt[s]], lin[split])
        if not ok.all():
            rest = np.flatnonzero(~ok)
            xlon, xlat, gx = snap_between(
                ls, verts[s[rest]], verts[nxt[s[rest]]], lin[split][rest], corner[rest]
            )
            new[rest] = np.column_stack([xlon, xlat])
            ok[rest] = np.abs(gx) <= SNAP_EPS_M
        # an edge whose point could not be put on the level set keeps its error
        s, new = s[ok], new[ok]
        pos = s + 1  # insert after vertex s; both halves get checked next round
        verts = np.insert(verts, pos, new, axis=0)
        owner = np.insert(owner, pos, owner[s])
        todo = np.insert(todo, pos, True)
        err = np.insert(err, pos, 0.0)
        todo[s + np.arange(s.size)] = True  # vertex s moved by the insertions before it
    out = [verts[owner == k] for k in range(len(loops))]
    limit_hit = np.zeros(len(loops), dtype=bool)
    np.logical_or.at(limit_hit, owner, err > limit)
    n_unchecked = int(todo.sum())
    for k in np.flatnonzero(limit_hit):  # e.g. tiny holes with sharp corners all round
        star = densify_star(ls, loops[k], tolerance_m)
        if star is not None:
            out[k] = star
            err[owner == k] = 0.0
            n_unchecked += len(star)  # checked by densify_star, not measured here
    if unchecked is not None:
        unchecked.append(n_unchecked)
    worst = np.zeros(len(loops))
    np.maximum.at(worst, owner, err)
    return out, worst


def densify_star(ls: LevelSet, loop: Float, tolerance_m: float) -> Float | None:
    """Densify a loop that is star-shaped from its centre: vertices are the first
    crossings of rays from the centre, and an edge is split by the ray at its middle
    azimuth, so the order can never go wrong. None if the loop is not star-shaped
    from its centre (or does not converge)."""
    unit = conformal_unit(loop[:, 0], loop[:, 1]).mean(axis=0)
    clat = float(np.degrees(np.arctan2(unit[2], np.hypot(unit[0], unit[1]))))
    clon = float(np.degrees(np.arctan2(unit[1], unit[0])))
    g0 = float(ls.g(np.array([clon]), np.array([clat]))[0])
    n = len(loop)
    az, _, _ = GEOD.inv(np.full(n, clon), np.full(n, clat), loop[:, 0], loop[:, 1])
    az = np.unwrap(np.radians(np.asarray(az)))
    step = np.diff(np.append(az, az[0] + np.sign(az[-1] - az[0]) * 2 * np.pi))
    if abs(abs(step.sum()) - 2 * np.pi) > 1e-6 or not (np.all(step > 0) or np.all(step < 0)):
        return None
    pts, ang = loop.copy(), az.copy()
    limit = 0.5 * tolerance_m
    for _ in range(_MAX_ROUNDS):
        nxt = np.roll(np.arange(len(pts)), -1)
        bad = np.flatnonzero(edge_error_m(ls, pts, pts[nxt]) > limit)
        if bad.size == 0:
            return pts
        a_next = np.where(nxt[bad] == 0, ang[0] + np.sum(step), ang[nxt[bad]])
        mid = 0.5 * (ang[bad] + a_next)
        rays = GeodesicRays(np.full(bad.size, clon), np.full(bad.size, clat), np.degrees(mid))
        lon, lat, g = first_crossing(ls, rays, np.full(bad.size, g0))
        if not np.all(np.abs(g) <= SNAP_EPS_M):
            return None
        pts = np.insert(pts, bad + 1, np.column_stack([lon, lat]), axis=0)
        ang = np.insert(ang, bad + 1, mid)
    return None


def _next_index(owner: NDArray[np.intp]) -> NDArray[np.intp]:
    n = owner.size
    nxt = np.arange(1, n + 1)
    last = np.flatnonzero(np.append(owner[1:] != owner[:-1], True))
    first = np.concatenate([[0], last[:-1] + 1])
    nxt[last] = first
    return nxt


def snap_contours(
    ls: LevelSet, frame: Frame, loops: list[Float], inside: list[Float], outside: list[Float]
) -> tuple[list[Float], list[int]]:
    """Grid contour loops (plane x, y, with their grid edges' inside and outside ends)
    snapped onto the level set in lon/lat: the loops keeping 3 distinct vertices, and
    their indices."""
    if not loops:
        return [], []
    pts, pin, pout = (np.concatenate(x) for x in (loops, inside, outside))
    lon, lat = frame.to_lonlat(pts[:, 0], pts[:, 1])
    ilon, ilat = frame.to_lonlat(pin[:, 0], pin[:, 1])
    olon, olat = frame.to_lonlat(pout[:, 0], pout[:, 1])
    bounds = np.cumsum([0] + [len(lp) for lp in loops])
    nxt = np.arange(1, len(pts) + 1)
    nxt[bounds[1:] - 1] = bounds[:-1]
    xlon, xlat, _ = snap_with_bracket(ls, lon, lat, ilon, ilat, olon, olat, nxt)
    snapped = np.column_stack([xlon, xlat])
    out, kept = [], []
    for k, (a, b) in enumerate(zip(bounds[:-1], bounds[1:], strict=True)):
        ring = snapped[a:b]
        keep = np.any(ring != np.roll(ring, 1, axis=0), axis=1)
        if keep.sum() >= 3:
            out.append(ring[keep])
            kept.append(k)
    return out, kept
