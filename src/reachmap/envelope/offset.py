"""Envelopes of detailed coasts and archipelagos at small ranges: the union of exact
offset pieces of the boundary, snapped exactly onto the level set ``d = R``.

The region within R of an area is the area plus, for every point X outside it, a
neighbourhood of X's nearest boundary point Z. Z is either inside an edge, and then
the geodesic Z -> X leaves the edge at a right angle on the outer side (on the inner
side it would enter the area and have to leave it again, through a nearer boundary
point), or a vertex where the boundary turns towards the area (a convex vertex), and
then X lies in the vertex's normal cone: the wedge between the outer normals of its two
edges (at a vertex turning the other way the cone lies inside the area). So

    E = area  u  (edge strips)  u  (sectors at convex vertices)  u  (discs at points)

where an edge strip is the set reached by the outer normal geodesics of length R from
the edge, and a sector is the part of the disc of radius R around the vertex within
its normal cone. Each piece is a small polygon in lon/lat whose outer vertices are
exact ``Geod.fwd`` solutions at distance R; the pieces of neighbouring edges and
vertices share their side vertices bit for bit, so their union has no slivers. GEOS
merges them (robust planar overlay, no approximation of distances); the union's outline
then lies within the pieces' chord sagitta (:data:`SAGITTA` of the tolerance) of the
level set and
has its topology: pockets, channels and islands wider than that are all there, which a
grid of cells can miss. Every outline vertex is then put exactly on ``d = R`` (most
already are: they are offset points whose nearest area point is their own generator;
the others get the gradient snap or are left out, corners among them), and the loops
are densified and verified with the exact distance as the grid's are
(:func:`reachmap.envelope.snap.densify`).

Where the lon/lat plane does not fit (the envelope could reach a pole, or the area
leaves no gap in longitude to cut the plane at), or the work would be too large, the
path declines and the caller takes another one; :data:`last_rejection` says why.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray

from reachmap.envelope.clusters import clusters, sub_area, vertex_polygon
from reachmap.envelope.levelset import LevelSet, edge_error_m
from reachmap.envelope.lonlat import assemble
from reachmap.envelope.outline import (
    SAME_POINT_M,
    flipped,
    merge_close,
    outline,
    shallow,
    snap_outline,
)
from reachmap.envelope.plane import Plane, choose_plane
from reachmap.envelope.seed import ring_polygons
from reachmap.envelope.snap import densify
from reachmap.envelope.verify import verify
from reachmap.errors import TooLarge
from reachmap.geodesy.ellipsoid import A_M, GEOD, Float
from reachmap.geodesy.rings import Polygon, n_vertices, to_shapely, wrap_lon

#: the pieces' chords stay within this fraction of the tolerance of their arcs; the
#: union's outline is then that close to the level set (densifying allows 1/2)
SAGITTA = 0.125
#: largest number of piece vertices handed to the union (GEOS's overlay keeps a few
#: hundred bytes per vertex)
MAX_PIECE_VERTICES = 3_000_000
#: largest estimated number of outline vertices (each is snapped, densified and
#: verified with several exact distance evaluations; CAN at 10 km: ~200,000 estimated,
#: 58,000 made, 30 s and 450 MB)
MAX_OUTLINE_VERTICES = 400_000

#: why the last call declined (diagnostics only; "" when it did not)
last_rejection = ""


def _declined(reason: str) -> Any:
    global last_rejection
    last_rejection = reason
    return None


def check_work(ls: LevelSet, tolerance_m: float) -> None:
    """:class:`~reachmap.errors.TooLarge` saying what to change when the pieces or the outline would
    have more vertices than the limits (:data:`MAX_PIECE_VERTICES`,
    :data:`MAX_OUTLINE_VERTICES`); checked before any of them is made."""
    b, r = ls.area.boundary, ls.range_m
    length_m = float(np.sum(b.length_m[b.real])) if len(b) else 0.0
    # outline vertices: one per arc segment of R * arc along a boundary of this length
    # (an upper estimate: offsetting shortens coasts; twice the measured counts)
    outline_n = length_m / (r * _arc_rad(SAGITTA * tolerance_m, r))
    pieces_n = piece_vertices_estimate(ls, tolerance_m)
    if outline_n <= MAX_OUTLINE_VERTICES and pieces_n <= MAX_PIECE_VERTICES:
        return
    # outline_n ~ L / sqrt(8 SAGITTA tol R): the product tol * R must grow by this
    grow = max(outline_n / MAX_OUTLINE_VERTICES, pieces_n / MAX_PIECE_VERTICES) ** 2
    raise TooLarge(
        f"the envelope at {r / 1000:g} km of {ls.area.label} is too detailed "
        f"({length_m / 1000:,.0f} km of boundary: about {outline_n:,.0f} outline vertices "
        f"at a tolerance of {tolerance_m:g} m, limit {MAX_OUTLINE_VERTICES:,}): use a "
        f"`range_m` of at least {grow * r / 1000:,.3g} km, or a `tolerance_m` of at least "
        f"{grow * tolerance_m:,.3g} m"
    )


def piece_vertices_estimate(ls: LevelSet, tolerance_m: float) -> int:
    """About how many vertices the pieces of :func:`offset_loops` have (work estimate)."""
    b, r = ls.area.boundary, ls.range_m
    sag = SAGITTA * tolerance_m
    arc = _arc_rad(sag, r)
    n = 2 * math.pi / arc * len(ls.area.points)
    if len(b):
        real = b.real
        turn = np.radians(np.abs(_turn_deg(b)))
        n += float(np.sum(turn[real & b.real[b.prv]])) / arc + 4.0 * float(real.sum())
        n += float(np.sum(b.length_m[real])) / _station_step_m(sag, 89.0)
    return int(n)


@dataclass(frozen=True)
class OffsetLoops:
    """Loops (lon/lat, ``g <= 0`` on the left, longitudes continued) with every vertex
    on the level set, the pockets left out, and the largest ``|g|`` measured with the
    exact distance at the vertices and on the edges (lon/lat quarter points and
    midpoint, geodesic midpoint) of these loops."""

    loops: list[Float]
    dropped: int
    max_vertex_error_m: float
    max_edge_error_m: float


def offset_envelope(
    ls: LevelSet, tolerance_m: float
) -> tuple[tuple[Polygon, ...], float, float, int] | None:
    """(polygons, max vertex error, max edge error, pockets left out) of the envelope
    from the offset union, assembled (antimeridian cuts, pole closures) and verified;
    None when this path does not apply or a check fails."""
    found = offset_loops(ls, tolerance_m)
    if found is None:
        return None
    try:
        polys = tuple(assemble(found.loops, False, ls))
    except RuntimeError:
        return _declined("the loops could not be assembled")
    if not polys or not to_shapely(polys).is_valid:
        return _declined("the rings cross")
    if n_vertices(polys) == sum(len(lp) for lp in found.loops):
        # no antimeridian cut: the polygons are the loops, verified as they were made
        v_err, e_err = found.max_vertex_error_m, found.max_edge_error_m
    else:
        v_err, e_err = verify(ls, polys)
    if e_err > 0.5 * tolerance_m:
        return _declined("an edge is off by more than half the tolerance")
    return polys, v_err, e_err, found.dropped


def offset_loops(ls: LevelSet, tolerance_m: float) -> OffsetLoops | None:
    """The envelope's loops from the union of offset pieces, verified; None when this
    path does not apply or a check fails (see module doc)."""
    global last_rejection
    last_rejection = ""
    area, r = ls.area, ls.range_m
    b = area.boundary
    if area.polygons and not b.real.any():
        return _declined("no real edges")
    lons = np.concatenate([b.lon_deg, area.points[:, 0]]) if len(area.points) else b.lon_deg
    lats = np.concatenate([b.lat_deg, area.points[:, 1]]) if len(area.points) else b.lat_deg
    plane = choose_plane(lons, lats, r)
    if plane is None:
        return _declined("no plane fits: no gap in longitude, or far from and near a pole")
    check_work(ls, tolerance_m)
    loops = _merged(ls, SAGITTA * tolerance_m, plane)
    if not loops:
        return _declined("empty union")
    count, labels = clusters(area, 2.0 * r + 4.0 * tolerance_m)
    owner = _loop_clusters(ls, loops, labels) if count > 1 else np.zeros(len(loops), np.intp)
    parts = []
    for c in np.unique(owner):
        mine = [lp for lp, o in zip(loops, owner, strict=True) if o == c]
        # near its own loops a cluster's distance is the area's (clusters.py)
        sub = LevelSet(sub_area(area, labels, int(c)), r) if count > 1 else ls
        found = _trace_cluster(sub, mine, tolerance_m, plane)
        if found is None:
            # once more with pieces 4x closer to their arcs: the outline then resolves
            # pockets and channels 4x finer (this cluster only)
            fine = _merged(sub, SAGITTA * tolerance_m / 4, plane)
            found = _trace_cluster(sub, fine, tolerance_m, plane)
        if found is None:
            return None
        parts.append(found)
    out = [lp for p in parts for lp in p.loops]
    if not out:
        return _declined("no loop kept after snapping")
    return OffsetLoops(
        out,
        sum(p.dropped for p in parts),
        max(p.max_vertex_error_m for p in parts),
        max(p.max_edge_error_m for p in parts),
    )


def _merged(ls: LevelSet, sag_m: float, plane: Plane) -> list[Float]:
    """The outline of the union of the pieces, as lon/lat loops."""
    return [plane.lonlat(xy) for xy in outline(shapely.union_all(_pieces(ls, sag_m, plane)))]


def _trace_cluster(
    ls: LevelSet, loops: list[Float], tolerance_m: float, plane: Plane
) -> OffsetLoops | None:
    """Snapped, densified and verified loops of one cluster."""
    loops, failed = snap_outline(ls, loops, tolerance_m, plane.xy)
    if not all(shallow(ls, lp, tolerance_m) for lp in failed):
        return _declined("a pocket could not be snapped")
    dropped = len(failed)
    if not loops:
        return OffsetLoops([], dropped, 0.0, 0.0)
    unchecked: list[int] = []
    dense, errors = densify(ls, loops, tolerance_m, unchecked)
    dense = [merge_close(lp) for lp in dense]
    reversed_ = np.array([flipped(a, b, plane.xy) for a, b in zip(loops, dense, strict=True)])
    bad = (errors > 0.5 * tolerance_m) | reversed_
    # A pocket of the far region at the pieces' resolution can defeat snapping and
    # densifying: it is left out only if no point in it is farther than the tolerance
    # from the level set.
    if any(not shallow(ls, lp, tolerance_m) for lp, b in zip(loops, bad, strict=True) if b):
        return _declined("densifying did not converge")
    kept = [lp for lp, drop in zip(dense, bad, strict=True) if not drop]
    if not kept:
        return OffsetLoops([], dropped + int(bad.sum()), 0.0, 0.0)
    pts = np.concatenate(kept)
    v_err = float(np.max(np.abs(ls.g(pts[:, 0], pts[:, 1]))))
    if unchecked == [0]:
        # densifying measured every final edge in its last round; merging close
        # vertices moves an edge by at most SAME_POINT_M
        e_err = float(np.max(errors[~bad])) + SAME_POINT_M
    else:
        nxt = np.concatenate([np.roll(np.arange(len(lp)), -1) for lp in kept])
        offsets = np.repeat(
            np.cumsum([0] + [len(lp) for lp in kept[:-1]]), [len(lp) for lp in kept]
        )
        e_err = float(np.max(edge_error_m(ls, pts, pts[nxt + offsets])))
    return OffsetLoops(kept, dropped + int(bad.sum()), v_err, e_err)


def _loop_clusters(ls: LevelSet, loops: list[Float], labels: NDArray[np.intp]) -> NDArray[np.intp]:
    """Cluster of each loop: that of the nearest area part of its first vertex."""
    area = ls.area
    first = np.array([lp[0] for lp in loops])
    gen = ls.nearest(first[:, 0], first[:, 1])
    part = np.full(len(loops), -1, dtype=np.intp)
    on_edge = gen.edge >= 0
    if on_edge.any():
        part[on_edge] = vertex_polygon(area)[gen.edge[on_edge]]
    if (~on_edge).any():
        pts = area.points
        k = np.flatnonzero(~on_edge)
        near = np.argmin(
            np.abs(pts[None, :, 0] - gen.lon[k, None]) + np.abs(pts[None, :, 1] - gen.lat[k, None]),
            axis=1,
        )
        part[k] = len(area.polygons) + near
    return labels[part]


def _turn_deg(b: Any) -> Float:
    """Turn at each vertex (deg): positive towards the area (left), negative away."""
    az_in = b.az_end_deg[b.prv]
    az_out = b.az_start_deg
    return np.asarray(wrap_lon(az_in - az_out), dtype=np.float64)


def _station_step_m(sag_m: float, lat_deg: float) -> float:
    """Spacing of stations along an edge: the lon/lat chord between two offset points
    L apart leaves the offset curve by about L**2 (1 + tan|lat|) / (8 a) (the curvature
    of lon/lat lines and of the offset), kept below the pieces' sagitta."""
    curv = (1.0 + math.tan(math.radians(min(abs(lat_deg), 89.0)))) / A_M
    return math.sqrt(8.0 * sag_m / curv)


def _arc_rad(sag_m: float, r: float) -> float:
    """Angle of the pieces' arc segments: a chord of a circle of radius R spanning it
    sags by R (1 - cos(angle / 2)) <= R angle**2 / 8 = the pieces' sagitta."""
    return math.sqrt(8.0 * sag_m / r)


def _fwd(plane: Plane, lon: Float, lat: Float, az: Float, dist: Float | float) -> Float:
    """``Geod.fwd`` (exact), in the plane."""
    n = lon.size
    x, y, _ = GEOD.fwd(lon, lat, az, np.broadcast_to(np.asarray(dist, np.float64), (n,)))
    return plane.xy(np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64))


def _pieces(ls: LevelSet, sag_m: float, plane: Plane) -> list[Any]:
    """The area's polygons and its pieces (module doc), chords within ``sag_m``."""
    area, r = ls.area, ls.range_m
    b = area.boundary
    arc = _arc_rad(sag_m, r)
    out: list[Any] = []
    if len(b):
        vxy = plane.xy(b.lon_deg, b.lat_deg)
        polys = ring_polygons(area, vxy[:, 0], vxy[:, 1])
        if polys is None:
            raise RuntimeError("rings do not match the polygons")  # pragma: no cover
        out.extend(shapely.get_parts(polys))
        max_lat = 89.0 if plane.pole else float(np.max(np.abs(b.lat_deg)))
        out.extend(_strips_and_sectors(ls, plane, vxy, arc, _station_step_m(sag_m, max_lat)))
    if len(area.points):
        p = area.points
        out.extend(_discs(plane, p[:, 0], p[:, 1], r, arc))
    return out


def _rings(coords: Float, sizes: NDArray[np.intp]) -> NDArray[Any]:
    idx = np.repeat(np.arange(sizes.size), sizes)
    return np.asarray(shapely.polygons(shapely.linearrings(coords, indices=idx)))


def _strips_and_sectors(
    ls: LevelSet, plane: Plane, vxy: Float, arc: float, station_m: float
) -> list[Any]:
    """Strips of the real edges, sectors at their convex vertices (module doc)."""
    b, r = ls.area.boundary, ls.range_m
    lon, lat = b.lon_deg, b.lat_deg
    e = np.flatnonzero(b.real)
    nxt = b.nxt[e]
    length = b.length_m[e]
    # offsets of the edge ends: shared with the sectors and the neighbouring strips
    q_start = _fwd(plane, lon[e], lat[e], b.az_start_deg[e] + 90.0, r)
    q_end = _fwd(plane, lon[nxt], lat[nxt], b.az_end_deg[e] + 90.0, r)
    # intermediate stations along long edges
    m = np.maximum(1, np.ceil(length / station_m).astype(np.intp))
    inner_n = m - 1
    rep = np.repeat(np.arange(e.size), inner_n)
    k = np.arange(int(inner_n.sum())) - np.repeat(np.cumsum(inner_n) - inner_n, inner_n) + 1
    s = length[rep] * k / m[rep]
    ee = e[rep]
    plon, plat, back = GEOD.fwd(lon[ee], lat[ee], b.az_start_deg[ee], s)
    plon, plat = np.asarray(plon, np.float64), np.asarray(plat, np.float64)
    q_mid = _fwd(plane, plon, plat, np.asarray(back, np.float64) + 180.0 + 90.0, r)
    # strip ring: A, B, Q_m, ..., Q_0 (the inner side is the area's own lon/lat edge)
    sizes = m + 3
    start = np.cumsum(sizes) - sizes
    coords = np.empty((int(sizes.sum()), 2))
    coords[start] = vxy[e]
    coords[start + 1] = vxy[nxt]
    coords[start + 2] = q_end
    coords[start + sizes - 1] = q_start
    # Q_{m-1} ... Q_1 sit between Q_m and Q_0, in reverse station order
    pos = np.repeat(start + 2, inner_n) + (np.repeat(m, inner_n) - k)
    coords[pos] = q_mid
    strips = _rings(coords, sizes)
    # sectors at convex vertices between two real edges; discs where a chain of real
    # edges meets an artificial one (the antimeridian seam)
    turn = _turn_deg(b)
    where_out = np.full(len(b), -1, dtype=np.intp)
    where_out[e] = np.arange(e.size)
    where_in = np.full(len(b), -1, dtype=np.intp)
    where_in[nxt] = np.arange(e.size)
    both = (where_out >= 0) & (where_in >= 0)
    convex = np.flatnonzero(both & (turn > 0))
    sectors = _sectors(
        b,
        plane,
        vxy,
        convex,
        turn[convex],
        q_end[where_in[convex]],
        q_start[where_out[convex]],
        r,
        arc,
    )
    lone = np.flatnonzero((where_out >= 0) ^ (where_in >= 0))
    discs = _discs(plane, lon[lone], lat[lone], r, arc)
    return [*strips, *sectors, *discs]


def _sectors(
    b: Any,
    plane: Plane,
    vxy: Float,
    v: NDArray[np.intp],
    turn: Float,
    q_in: Float,
    q_out: Float,
    r: float,
    arc: float,
) -> list[Any]:
    """Polygons V, Q_in, (arc), Q_out: the disc around V within its normal cone."""
    if v.size == 0:
        return []
    n = np.maximum(1, np.ceil(np.radians(turn) / arc).astype(np.intp))
    inner_n = n - 1
    rep = np.repeat(np.arange(v.size), inner_n)
    k = np.arange(int(inner_n.sum())) - np.repeat(np.cumsum(inner_n) - inner_n, inner_n) + 1
    az0 = b.az_end_deg[b.prv[v]] + 90.0
    az = az0[rep] - turn[rep] * k / n[rep]
    vv = v[rep]
    q = _fwd(plane, b.lon_deg[vv], b.lat_deg[vv], az, r)
    sizes = n + 2
    start = np.cumsum(sizes) - sizes
    coords = np.empty((int(sizes.sum()), 2))
    coords[start] = vxy[v]
    coords[start + 1] = q_in
    coords[start + sizes - 1] = q_out
    coords[np.repeat(start + 1, inner_n) + k] = q
    return list(_rings(coords, sizes))


def _discs(plane: Plane, lon: Float, lat: Float, r: float, arc: float) -> list[Any]:
    if lon.size == 0:
        return []
    n = max(8, math.ceil(2 * math.pi / arc))
    az = np.tile(np.linspace(0.0, 360.0, n, endpoint=False), lon.size)
    rep = np.repeat(np.arange(lon.size), n)
    q = _fwd(plane, lon[rep], lat[rep], -az, r)  # counter-clockwise
    return list(_rings(q, np.full(lon.size, n, dtype=np.intp)))
