"""Fast seeds for an envelope: a planar buffer in an azimuthal equidistant frame,
snapped exactly onto the level set ``d = R``.

A GIS buffer in an azimuthal equidistant (AEQD) projection centred on the area is
fast but wrong by up to a few km at 500-1,000 km. Its planar distance ``D`` to the
projected area bounds the exact distance ``d`` on both sides, which makes it a safe
start:

* ``d <= D``: the straight plane segment from the area to P maps to a curve on the
  ellipsoid no longer than the segment (radial scale 1, tangential scale
  ``m12 / s <= 1`` on a surface of positive curvature).
* ``D <= k d`` with ``k = (s / b) / sin(s / b)`` at the frame's largest radius ``s``:
  the geodesic from the area to P maps to a plane curve stretched at most by the
  tangential scale ``s / m12``, and ``m12 >= b sin(s / b)`` because the Gaussian
  curvature of WGS84 is at most ``1 / b**2`` (Rauch comparison; b = polar semi-axis).

The plane polygon's edges are chords of the projected (curved) geodesic edges; the
gap is at most ``L**2 / (8 b)`` for an edge of length L (a curvature radius ``b`` is
far below the true one of these images), added as ``eps``. GEOS buffers are not exact
offsets either: their chords lie inside the arcs (``cos(pi / (4 quad_segs))``), GEOS
fills input concavities shallower than 1 % of the distance, and the input is first
simplified here (Douglas-Peucker, Hausdorff distance ``simp``). With all of that
allowed for, an *inner* buffer lies inside the envelope E and an *outer* one (the inner
grown by the band width) contains E. If both have the same polygons and holes, E's
boundary runs in one ring-shaped strip per loop and no loop can be missed (every
component of E holds an area point; a hole thinner than the strip is below this
resolution, which is kept no coarser than the grid's cell, see :data:`MAX_BAND_M`).

The inner buffer's vertices (spaced for the tolerance) are then moved exactly onto
``d = R`` (gradient snap from their nearest area point); a seed whose snap does not
land on the level set (near a corner, it overshoots into the other branch's disc) is
left out, as are seeds that would fold the ring back. The loops are then densified and
checked exactly as the grid's are (:func:`reachmap.envelope.snap.densify`, which also
puts in the corners). Anything unexpected (frame or band too wide, the topology
changes within the strip, fewer than 90 % of the seeds snap, densifying does not
converge, rings cross) declines, and the caller traces the grid instead;
:data:`last_rejection` says why.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray

from reachmap.area import Area
from reachmap.envelope.contour import Frame
from reachmap.envelope.levelset import SNAP_EPS_M, LevelSet
from reachmap.geodesy.ellipsoid import B_M, Float, conformal_unit, inverse
from reachmap.geodesy.rings import clean_ring

#: widest band (m) accepted between the two planar bounds: no coarser than the grid
#: cell envelopes of 100 km and more are traced with (at most 25 km, ``core.MAX_CELL_M``)
MAX_BAND_M = 25e3
#: largest frame radius (m) used: the bounds hold much farther, but the band grows
MAX_RADIUS_M = 5_000e3
#: areas of more parts than this (archipelagos) are left to the grid, which is faster
MAX_PARTS = 16
#: GEOS fills input concavities shallower than this fraction of the buffer distance
_GEOS_SIMPLIFY = 0.01
#: the plane area is simplified by up to this fraction of R before buffering (speed)
_SIMPLIFY = 0.0025
#: the first buffer stage, as a fraction of R, and the arcs' segments per quarter
_FIRST_STAGE = 0.02
_QUAD_FIRST = 4
_QUAD = 16
#: inputs with more vertices than this after simplifying are left to the grid
MAX_SEED_VERTICES = 2_000


#: why the last call declined (diagnostics only; "" when it did not)
last_rejection = ""


def declined(reason: str) -> Any:
    """Record why the fast path declined (:data:`last_rejection`); returns None."""
    global last_rejection
    last_rejection = reason
    return None


def _centre(ls: LevelSet) -> tuple[float, float]:
    b = ls.area.boundary
    pts = [conformal_unit(b.lon_deg, b.lat_deg)] if len(b) else []
    if len(ls.area.points):
        pts.append(conformal_unit(ls.area.points[:, 0], ls.area.points[:, 1]))
    u = np.concatenate(pts).mean(axis=0)
    lat = math.degrees(math.atan2(u[2], math.hypot(u[0], u[1])))
    return math.degrees(math.atan2(u[1], u[0])), lat


def _to_plane(frame: Frame, lon: Float, lat: Float) -> tuple[Float, Float]:
    az, s = inverse(np.full(lon.size, frame.lon0_deg), np.full(lon.size, frame.lat0_deg), lon, lat)
    a = np.radians(az)
    return s * np.sin(a), s * np.cos(a)


def seed_loops(ls: LevelSet, tolerance_m: float) -> list[Float] | None:
    """Loops (lon/lat, ``g <= 0`` on the left) with every vertex on the level set, seeded
    from the planar buffer; None when this path does not apply (see module doc)."""
    global last_rejection
    last_rejection = ""
    area, r = ls.area, ls.range_m
    if len(area.polygons) + len(area.points) > MAX_PARTS:
        return declined("too many parts (the grid is faster)")
    if area.polygons and not area.boundary.real.any():
        return declined("no real edges")
    frame = Frame(*_centre(ls))
    b = area.boundary
    parts: list[shapely.Geometry] = []
    radius = 0.0
    # plane polygons: one per area polygon (exterior + holes), from the densified rings
    if len(b):
        x, y = _to_plane(frame, b.lon_deg, b.lat_deg)
        radius = float(np.hypot(x, y).max())
        geom = ring_polygons(area, x, y)
        if geom is None:
            return None
        parts.append(geom)
    if len(area.points):
        px, py = _to_plane(frame, area.points[:, 0], area.points[:, 1])
        radius = max(radius, float(np.hypot(px, py).max()))
        parts.extend(shapely.points(px, py))
    reach = radius + 1.05 * r
    if reach > MAX_RADIUS_M:
        return declined("frame too wide")
    x_k = reach / B_M
    k = x_k / math.sin(x_k)
    eps = (b.max_edge_m**2 / (8 * B_M) if len(b) else 0.0) + 1.0
    bounds = _buffer_plan(r, k, eps)
    if bounds is None:
        return declined("band too wide")
    simp, rho1, rho2, grow = bounds
    plane = shapely.GeometryCollection(
        [q for part in parts for q in shapely.get_parts(part) if not q.is_empty]
    )
    # Two stages (a short buffer closes fjords and merges islands, then the rest), each
    # on simplified input, part by part: GEOS buffers deep, wiggly or overlapping
    # shapes much more slowly in one go.
    inner = plane
    for rho, quad in ((rho1, _QUAD_FIRST), (rho2, _QUAD)):
        pieces = shapely.get_parts(shapely.simplify(inner, simp))
        if len(shapely.get_coordinates(pieces)) > MAX_SEED_VERTICES:
            return declined("too detailed for the planar buffer (the grid is faster)")
        inner = shapely.union_all(shapely.buffer(pieces, rho, quad_segs=quad))
    if not _same_topology(inner, inner.buffer(grow, quad_segs=_QUAD)):
        return declined("topology changes within the band")
    lo_r = rho1 + rho2
    # seeds: the inner buffer's vertices, spaced so arcs between them sag < tol / 4
    step = math.sqrt(2.0 * r * tolerance_m)
    buf = shapely.segmentize(shapely.orient_polygons(inner, exterior_cw=False), step)
    rings = [
        _thin(np.asarray(ring.coords)[:-1], 0.25 * step)
        for poly in shapely.get_parts(buf)
        for ring in (poly.exterior, *poly.interiors)
    ]
    if not rings or any(len(q) < 3 for q in rings):
        return declined("seed ring too short")
    xy = np.concatenate(rings)
    lon, lat = frame.to_lonlat(xy[:, 0], xy[:, 1])
    xlon, xlat, ok = _snap(ls, lon, lat, 2.0 * (r - _chord(_QUAD) * lo_r + grow) + 1.0)
    if ok.mean() < 0.9:
        return declined("fewer than 90 % of the seeds snapped")
    out, start = [], 0
    for ring in rings:
        stop = start + len(ring)
        sl = slice(start, stop)
        loop = np.column_stack([xlon[sl], xlat[sl]])
        keep = ok[sl] & np.any(loop != np.roll(loop, 1, axis=0), axis=1)
        loop, seeds = _unfold(frame, loop[keep], xy[sl][keep], 0.1 * step)
        if len(loop) < 3:
            return declined("ring too short after snapping")
        out.append(loop)
        start = stop
    return out


def _chord(quad_segs: int) -> float:
    """GEOS buffer arcs are chords: the polygon holds the disc of this fraction of R."""
    return math.cos(0.25 * math.pi / quad_segs)


def _buffer_plan(r: float, k: float, eps: float) -> tuple[float, float, float, float] | None:
    """(simplify tolerance, first and second buffer distances, growth to the outer set)
    such that the inner set lies in E and the outer one contains E (module doc), with
    the growth at most :data:`MAX_BAND_M`; None if no such plan exists.

    Inclusions used, planar, ``D`` the distance to the plane area: simplifying moves the
    boundary by at most ``simp`` (Hausdorff) both ways; a GEOS buffer by ``rho`` lies
    within ``(1 + 1 %) rho`` (filled concavities) and holds ``chord * rho``."""
    c1, c2 = _chord(_QUAD_FIRST), _chord(_QUAD)
    for simp in (_SIMPLIFY * r, 0.4 * _SIMPLIFY * r, 0.1 * _SIMPLIFY * r, 0.0):
        rho1 = _FIRST_STAGE * r
        # inner within: simp + 1.01 rho1 + simp + 1.01 rho2 <= R - eps
        rho2 = (r - eps - 2.0 * simp) / (1.0 + _GEOS_SIMPLIFY) - rho1
        # inner holds D <= rho1 c1 - simp + rho2 c2 - simp; outer must reach k R + eps
        held = rho1 * c1 + rho2 * c2 - 2.0 * simp
        grow = (k * r + eps - held) / c2
        if rho2 > 0 and grow <= MAX_BAND_M:
            return simp, rho1, rho2, grow
    return None


def _thin(ring: Float, min_gap_m: float) -> Float:
    """Drop seeds closer than ``min_gap_m`` to the previous kept one: GEOS joins offset
    pieces with tiny back-and-forth jogs, which snapping would turn into folds."""
    return ring[_thin_mask(ring, min_gap_m)]


def _thin_mask(ring: Float, min_gap_m: float) -> NDArray[np.bool_]:
    """Keep a vertex unless it is within ``min_gap_m`` of the one before it."""
    gap = np.hypot(*(ring - np.roll(ring, 1, axis=0)).T)
    keep = gap >= min_gap_m
    keep[0] = True
    return keep


def _unfold(frame: Frame, loop: Float, seeds: Float, min_gap_m: float) -> tuple[Float, Float]:
    """Drop snapped vertices closer than ``min_gap_m`` to the previous one, then those
    that step backwards (against their seeds' direction, in the plane), until none
    does: snapping must not reverse the order of the seeds. (Where the GEOS buffer
    runs radially for a while, several seeds snap to nearly one point.)"""
    x, y = _to_plane(frame, loop[:, 0], loop[:, 1])
    keep = np.flatnonzero(_thin_mask(np.column_stack([x, y]), min_gap_m))
    loop, seeds = loop[keep], seeds[keep]
    for _ in range(20):
        if len(loop) < 3:
            break
        x, y = _to_plane(frame, loop[:, 0], loop[:, 1])
        nxt = np.roll(np.arange(len(loop)), -1)
        step = np.column_stack([x[nxt] - x, y[nxt] - y])
        dirn = seeds[nxt] - seeds
        back = np.einsum("ij,ij->i", step, dirn) <= 0
        if not back.any():
            break
        drop = np.zeros(len(loop), dtype=bool)
        drop[nxt[back]] = True
        loop, seeds = loop[~drop], seeds[~drop]
    return loop, seeds


def ring_polygons(area: Area, x: Float, y: Float) -> shapely.Geometry | None:
    """The area in the plane: the union of its polygons, each an exterior with its holes
    (the boundary's densified rings, in the order :class:`Boundary` keeps them)."""
    b = area.boundary
    n = len(b)
    starts = np.flatnonzero(b.prv != np.arange(n) - 1)
    stops = np.append(starts[1:], n)
    # which area polygon each kept ring belongs to, and whether it is its exterior
    owner = [
        (pi, ri == 0)
        for pi, poly in enumerate(area.polygons)
        for ri, ring in enumerate(poly)
        if len(clean_ring(ring)) >= 3
    ]
    if len(owner) != starts.size:
        return declined("rings do not match the polygons")
    shells: dict[int, Float] = {}
    holes: dict[int, list[Float]] = {}
    for (pi, is_ext), a, z in zip(owner, starts, stops, strict=True):
        xy = np.column_stack([x[a:z], y[a:z]])
        if is_ext:
            shells[pi] = xy
        else:
            holes.setdefault(pi, []).append(xy)
    if set(holes) - set(shells):
        return declined("a hole without its exterior")
    polys = np.array([shapely.Polygon(ext, holes.get(pi, [])) for pi, ext in shells.items()])
    bad = ~shapely.is_valid(polys)
    polys[bad] = shapely.make_valid(polys[bad])
    # No union: overlapping parts are fine, as buffers are taken part by part and
    # then unioned (the buffer of a union is the union of the buffers).
    return shapely.GeometryCollection(list(polys))


def _same_topology(inner: shapely.Geometry, outer: shapely.Geometry) -> bool:
    def shape(g: shapely.Geometry) -> list[int]:
        return sorted(len(p.interiors) for p in shapely.get_parts(g) if not p.is_empty)

    return bool(shape(inner) == shape(outer)) and bool(outer.contains(inner))


def _snap(
    ls: LevelSet, lon: Float, lat: Float, max_move_m: float
) -> tuple[Float, Float, NDArray[np.bool_]]:
    """Gradient snap: ``X = direct(N, az, R)`` from each seed's nearest area point N.

    X is kept only where ``d(X) = R`` (then N is X's nearest point and X lies on N's
    own part of the level set, in the seeds' order) and it moved no farther than the
    strip allows. Near a corner of the level set the snap of a seed can overshoot onto
    the other branch, inside the other generator's disc (``d(X) < R``): such seeds are
    left out, and densifying puts the corner in exactly
    (:func:`reachmap.envelope.snap.corner_points`)."""
    xlon, xlat, gx, _ = ls.snap_gradient(lon, lat)
    _, moved = inverse(lon, lat, xlon, xlat)
    ok = (np.abs(gx) <= SNAP_EPS_M) & (moved <= max_move_m)
    return xlon, xlat, ok
