"""Polygon boundaries as chains of WGS84 geodesic edges.

Source data (Natural Earth, user GeoJSON) give rings of lon/lat vertices whose
edges are straight lines in lon/lat. reachmap's boundaries are *geodesics*
between consecutive vertices; long lon/lat edges are densified first, so that
the geodesic and the source's lon/lat line differ by at most
``DENSIFY_TOLERANCE_M`` (0.5 m, far below the ~100 m precision of 1:10m data).

Edges that are artefacts of the lon/lat representation are kept for the
inside test but excluded from distances:

* edges along the antimeridian (lon = +180 or -180) that have a twin on the
  other side (the two halves of Chukotka or Fiji, Antarctica's seam);
* edges along a pole (lat = +-90), which have zero length on the ellipsoid.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from reachmap.geodesy.ellipsoid import GEOD, Float, conformal_scale, conformal_unit
from reachmap.geodesy.rings import Polygon, Ring, clean_ring

if TYPE_CHECKING:
    from scipy.spatial import cKDTree

#: largest allowed gap between a geodesic edge and the source's lon/lat line
DENSIFY_TOLERANCE_M = 0.5
_MAX_BISECTIONS = 24
_ANTIMERIDIAN_EPS_DEG = 1e-9


def _split_antimeridian(rings: list[Ring]) -> list[Ring]:
    """Insert vertices on antimeridian edges where the other side has vertices.

    After this, an antimeridian edge that overlaps one on the other side matches
    it exactly (same latitude pair), so twins can be found by lookup.
    """
    lats: dict[int, list[float]] = {1: [], -1: []}
    for ring in rings:
        on = np.abs(np.abs(ring[:, 0]) - 180) < _ANTIMERIDIAN_EPS_DEG
        for side in (1, -1):
            lats[side].extend(ring[on & (np.sign(ring[:, 0]) == side), 1].tolist())
    if not lats[1] or not lats[-1]:
        return rings
    cuts = {side: np.unique(np.asarray(v)) for side, v in lats.items()}
    out = []
    for ring in rings:
        pieces: list[NDArray[np.float64]] = []
        n = len(ring)
        for i in range(n):
            a, b = ring[i], ring[(i + 1) % n]
            pieces.append(a[None, :])
            if (
                abs(abs(a[0]) - 180) < _ANTIMERIDIAN_EPS_DEG
                and abs(abs(b[0]) - 180) < _ANTIMERIDIAN_EPS_DEG
                and np.sign(a[0]) == np.sign(b[0])
            ):
                other = cuts[-int(np.sign(a[0]))]
                lo, hi = sorted((a[1], b[1]))
                inner = other[(other > lo) & (other < hi)]
                if inner.size:
                    inner = inner if b[1] > a[1] else inner[::-1]
                    pieces.append(np.column_stack([np.full(inner.size, a[0]), inner]))
        out.append(np.concatenate(pieces))
    return out


def densify_ring(ring: Ring, tolerance_m: float = DENSIFY_TOLERANCE_M) -> Ring:
    """Insert lon/lat midpoints until each geodesic edge stays within ``tolerance_m``
    of the source's straight lon/lat edge (measured at the edge midpoint)."""
    ring = np.asarray(ring, dtype=np.float64)
    for _ in range(_MAX_BISECTIONS):
        nxt = np.roll(ring, -1, axis=0)
        mid_ll = 0.5 * (ring + nxt)
        az, _, s = GEOD.inv(ring[:, 0], ring[:, 1], nxt[:, 0], nxt[:, 1])
        lon_g, lat_g, _ = GEOD.fwd(ring[:, 0], ring[:, 1], az, 0.5 * np.asarray(s))
        _, _, gap = GEOD.inv(lon_g, lat_g, mid_ll[:, 0], mid_ll[:, 1])
        # Edges on a meridian or the equator are geodesics already; pole edges are points.
        split = np.asarray(gap) > tolerance_m
        if not split.any():
            return ring
        out = np.empty((len(ring) + int(split.sum()), 2))
        pos = np.arange(len(ring)) + np.concatenate([[0], np.cumsum(split)[:-1]])
        out[pos] = ring
        out[pos[split] + 1] = mid_ll[split]
        ring = out
    return ring


def densify_segments(
    start: Float, end: Float, tolerance_m: float = DENSIFY_TOLERANCE_M
) -> tuple[NDArray[np.intp], Float]:
    """The model vertices of separate lon/lat segments ``start[i] -> end[i]``, as
    :func:`densify_ring` would make them on a ring (the same midpoints, the same test).

    Returns ``(segment, vertices)``: for each segment in order, its start vertex and the
    midpoints inserted after it (the end vertex is not repeated).
    """
    a = np.asarray(start, dtype=np.float64).reshape(-1, 2)
    b = np.asarray(end, dtype=np.float64).reshape(-1, 2)
    seg = np.arange(len(a))
    t0, t1 = np.zeros(len(a)), np.ones(len(a))
    done_seg, done_t, done_xy = [seg[:0]], [t0[:0]], [a[:0]]
    p, q = a, b
    for _ in range(_MAX_BISECTIONS):
        if len(seg) == 0:
            break
        mid = 0.5 * (p + q)
        az, _, s = GEOD.inv(p[:, 0], p[:, 1], q[:, 0], q[:, 1])
        lon_g, lat_g, _ = GEOD.fwd(p[:, 0], p[:, 1], az, 0.5 * np.asarray(s))
        _, _, gap = GEOD.inv(lon_g, lat_g, mid[:, 0], mid[:, 1])
        split = np.asarray(gap) > tolerance_m
        keep = ~split
        done_seg.append(seg[keep])
        done_t.append(t0[keep])
        done_xy.append(p[keep])
        tm = 0.5 * (t0 + t1)
        seg = np.concatenate([seg[split], seg[split]])
        t0, t1 = np.concatenate([t0[split], tm[split]]), np.concatenate([tm[split], t1[split]])
        p, q = np.concatenate([p[split], mid[split]]), np.concatenate([mid[split], q[split]])
    if len(seg):  # the bisection budget of densify_ring is spent: keep what is left
        done_seg.append(seg)
        done_t.append(t0)
        done_xy.append(p)
    owner, t, xy = np.concatenate(done_seg), np.concatenate(done_t), np.concatenate(done_xy)
    order = np.lexsort((t, owner))
    return owner[order], xy[order]


def model_polygons(polygons: Sequence[Polygon]) -> tuple[Polygon, ...]:
    """The polygons as every distance reads them: rings cleaned, antimeridian edges cut
    where the other side has vertices, long lon/lat edges densified to within
    ``DENSIFY_TOLERANCE_M``. Geodesics between consecutive vertices of the result are
    the boundary; a polygon whose exterior has fewer than three vertices is left out.

    >>> square = (np.array([[0.0, 0.0], [10.0, 0.0], [10.0, 10.0], [0.0, 10.0]]),)
    >>> len(model_polygons([square])[0][0])  # the 10-degree parallel edge is split
    155
    """
    flat: list[Ring] = []
    owner: list[int] = []
    for k, poly in enumerate(polygons):
        rings = [clean_ring(r) for r in poly]
        if not rings or len(rings[0]) < 3:
            continue
        for r in rings:
            if len(r) >= 3:
                flat.append(r)
                owner.append(k)
    flat = [densify_ring(r) for r in _split_antimeridian(flat)]
    out: dict[int, list[Ring]] = {}
    for k, r in zip(owner, flat, strict=True):
        out.setdefault(k, []).append(r)
    return tuple(tuple(rings) for rings in out.values())


@dataclass(frozen=True)
class Boundary:
    """All rings of an area as one indexed set of vertices and geodesic edges.

    Vertex ``i`` starts edge ``i``, which ends at vertex ``nxt[i]``; ``prv[i]`` is
    the edge ending at vertex ``i``. Exterior rings run counter-clockwise and holes
    clockwise in lon/lat, so the area lies to the *left* of every edge.
    """

    lon_deg: Float
    lat_deg: Float
    nxt: NDArray[np.intp]
    prv: NDArray[np.intp]
    real: NDArray[np.bool_]  # edge counts for distances
    length_m: Float  # geodesic edge length
    az_start_deg: Float  # forward azimuth of the edge at its start vertex
    az_end_deg: Float  # forward azimuth of the edge at its end vertex
    n_rings: int
    _cache: dict[str, object] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_polygons(cls, polygons: Sequence[Polygon]) -> Boundary:
        """The boundary of source polygons (see :func:`model_polygons`)."""
        return cls.from_model(model_polygons(polygons))

    @classmethod
    def from_model(cls, model: Sequence[Polygon]) -> Boundary:
        """The boundary of polygons already in model form (:func:`model_polygons`)."""
        rings = [r for poly in model for r in poly]
        if not rings:
            empty = np.empty(0)
            ei = np.empty(0, dtype=np.intp)
            return cls(empty, empty, ei, ei, np.empty(0, bool), empty, empty, empty, 0)
        b, _ = cls._linked(rings)
        b.real[:] &= _real_edges(b.lon_deg, b.lat_deg, b.nxt)
        return b

    @classmethod
    def from_chains(cls, chains: Sequence[Ring]) -> Boundary:
        """Open chains of geodesic edges (vertices as given, at least two per chain):
        the edge from a chain's last vertex back to its first is not real."""
        chains = [np.asarray(c, dtype=np.float64).reshape(-1, 2) for c in chains]
        chains = [c for c in chains if len(c) >= 2]
        if not chains:
            return cls.from_polygons([])
        b, offsets = cls._linked(chains)
        b.real[offsets[1:] - 1] = False
        return b

    @classmethod
    def _linked(cls, rings: Sequence[Float]) -> tuple[Boundary, NDArray[np.intp]]:
        """The vertices of ``rings`` (non-empty) linked into closed loops, with every edge
        measured (GeographicLib); an edge is real when it has length. Also the ring
        offsets (ring k is vertices offsets[k]:offsets[k+1])."""
        sizes = np.array([len(r) for r in rings])
        offsets = np.concatenate([[0], np.cumsum(sizes)])
        verts = np.concatenate(rings)
        idx = np.arange(len(verts))
        nxt = idx + 1
        nxt[offsets[1:] - 1] = offsets[:-1]
        prv = idx - 1
        prv[offsets[:-1]] = offsets[1:] - 1
        lon, lat = verts[:, 0], verts[:, 1]
        az1, az2_back, s = GEOD.inv(lon, lat, lon[nxt], lat[nxt])
        az2 = np.asarray(az2_back) + 180.0
        b = cls(
            lon_deg=lon,
            lat_deg=lat,
            nxt=nxt,
            prv=prv,
            real=np.asarray(s) > 0,
            length_m=np.asarray(s, dtype=np.float64),
            az_start_deg=np.asarray(az1, dtype=np.float64),
            az_end_deg=np.where(az2 > 180, az2 - 360, az2),
            n_rings=len(rings),
        )
        return b, offsets

    def __len__(self) -> int:
        return len(self.lon_deg)

    @cached_property
    def unit(self) -> Float:
        """Vertex unit vectors on the conformal sphere."""
        return conformal_unit(self.lon_deg, self.lat_deg)

    @cached_property
    def scale(self) -> Float:
        """Conformal scale factor at each vertex."""
        return conformal_scale(self.lat_deg)

    @cached_property
    def active_vertices(self) -> NDArray[np.intp]:
        """Vertices touching at least one real edge (the ones distances can end on)."""
        return np.flatnonzero(self.real | self.real[self.prv])

    @cached_property
    def tree(self) -> cKDTree:
        """k-d tree of the active vertices' conformal unit vectors."""
        from scipy.spatial import cKDTree  # scipy loads in ~0.25 s: only when needed

        return cKDTree(self.unit[self.active_vertices])

    @cached_property
    def arc_rad(self) -> Float:
        """Angle subtended by each edge on the conformal sphere."""
        u, v = self.unit, self.unit[self.nxt]
        return np.arctan2(np.linalg.norm(np.cross(u, v), axis=1), np.einsum("ij,ij->i", u, v))

    @cached_property
    def chunks(self) -> Chunks:
        """Runs of ``CHUNK_EDGES`` consecutive edges with a bounding cap each."""
        return Chunks.build(self)

    @cached_property
    def groups(self) -> Groups:
        """Runs of ``GROUP_CHUNKS`` consecutive chunks with a cap around theirs."""
        return Groups.build(self.chunks)

    @cached_property
    def max_edge_m(self) -> float:
        return float(self.length_m[self.real].max()) if self.real.any() else 0.0


#: edges per screening chunk, and chunks per group: a far query sees the boundary
#: as nearly flat, so everything within a cap radius of the nearest part passes a
#: cap test; small chunks keep that strip narrow, groups keep the number of tests low
CHUNK_EDGES = 8
GROUP_CHUNKS = 4


@dataclass(frozen=True)
class Chunks:
    """Consecutive runs of edges ``[start, stop)`` with a bounding spherical cap
    (``center`` unit vector, ``radius_rad``) on the conformal sphere."""

    start: NDArray[np.intp]
    stop: NDArray[np.intp]
    center: Float
    radius_rad: Float
    all_center: Float  # one cap around every chunk
    all_radius: float

    @classmethod
    def build(cls, b: Boundary, size: int = CHUNK_EDGES) -> Chunks:
        edges = np.flatnonzero(b.real)
        if edges.size == 0:
            z = np.empty(0, dtype=np.intp)
            return cls(z, z, np.empty((0, 3)), np.empty(0), np.array([0.0, 0.0, 1.0]), np.pi)
        # Split the real edges into runs of at most ``size`` consecutive indices.
        brk = np.flatnonzero(np.diff(edges) != 1) + 1
        starts: list[int] = []
        stops: list[int] = []
        for run in np.split(edges, brk):
            for k in range(0, len(run), size):
                part = run[k : k + size]
                starts.append(int(part[0]))
                stops.append(int(part[-1]) + 1)
        start = np.asarray(starts, dtype=np.intp)
        stop = np.asarray(stops, dtype=np.intp)
        counts = stop - start
        owner = np.repeat(np.arange(len(start)), counts)
        e = np.concatenate([np.arange(a, z) for a, z in zip(start, stop, strict=True)])
        ends = np.concatenate([b.unit[e], b.unit[b.nxt[e]]])
        owner2 = np.concatenate([owner, owner])
        center = np.zeros((len(start), 3))
        np.add.at(center, owner2, ends)
        norm = np.linalg.norm(center, axis=1)
        center /= np.where(norm > 0, norm, 1.0)[:, None]
        cosang = np.einsum("ij,ij->i", ends, center[owner2])
        radius = np.zeros(len(start))
        np.maximum.at(radius, owner2, np.arccos(np.clip(cosang, -1.0, 1.0)))
        # Caps wider than a hemisphere are not convex: let such chunks always pass.
        radius = np.where((radius > np.radians(80)) | (norm == 0), np.pi, radius + 1e-12)
        total = ends.sum(axis=0)
        total_norm = float(np.linalg.norm(total))
        if total_norm > 0:
            all_center = total / total_norm
            cos_all = np.clip(center @ all_center, -1.0, 1.0)
            all_radius = float(np.max(np.arccos(cos_all) + radius))
        else:
            all_center, all_radius = np.array([0.0, 0.0, 1.0]), np.pi
        return cls(start, stop, center, radius, all_center, min(all_radius, np.pi))

    def __len__(self) -> int:
        return len(self.start)


@dataclass(frozen=True)
class Groups:
    """Chunks ``[first, stop)`` with a cap (``center``, ``radius_rad``) around their caps."""

    first: NDArray[np.intp]
    stop: NDArray[np.intp]
    center: Float
    radius_rad: Float

    @classmethod
    def build(cls, ch: Chunks, size: int = GROUP_CHUNKS) -> Groups:
        n = len(ch)
        first = np.arange(0, n, size, dtype=np.intp)
        stop = np.minimum(first + size, n).astype(np.intp)
        owner = np.repeat(np.arange(first.size), stop - first)
        center = np.zeros((first.size, 3))
        np.add.at(center, owner, ch.center)
        norm = np.linalg.norm(center, axis=1)
        center /= np.where(norm > 0, norm, 1.0)[:, None]
        ang = np.arccos(np.clip(np.einsum("ij,ij->i", ch.center, center[owner]), -1.0, 1.0))
        radius = np.zeros(first.size)
        np.maximum.at(radius, owner, ang + ch.radius_rad)
        radius = np.where((radius > np.radians(80)) | (norm == 0), np.pi, radius + 1e-12)
        return cls(first, stop, center, radius)

    def __len__(self) -> int:
        return len(self.first)


def _real_edges(lon: Float, lat: Float, nxt: NDArray[np.intp]) -> NDArray[np.bool_]:
    """False for antimeridian edges with a twin on the other side and for pole edges."""
    lon2, lat2 = lon[nxt], lat[nxt]
    polar = (
        (np.abs(lat) >= 90 - 1e-9) & (np.abs(lat2) >= 90 - 1e-9) & (np.sign(lat) == np.sign(lat2))
    )
    on_am = (np.abs(np.abs(lon) - 180) < _ANTIMERIDIAN_EPS_DEG) & (
        np.abs(np.abs(lon2) - 180) < _ANTIMERIDIAN_EPS_DEG
    )
    on_am &= np.sign(lon) == np.sign(lon2)
    real = ~polar
    if on_am.any():
        keys: dict[int, set[tuple[float, float]]] = {1: set(), -1: set()}
        idx = np.flatnonzero(on_am)
        for i in idx:
            lo, hi = sorted((float(lat[i]), float(lat2[i])))
            keys[int(np.sign(lon[i]))].add((lo, hi))
        for i in idx:
            lo, hi = sorted((float(lat[i]), float(lat2[i])))
            if (lo, hi) in keys[-int(np.sign(lon[i]))]:
                real[i] = False
    return real
