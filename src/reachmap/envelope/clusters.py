"""Parts of an area that cannot interact at a range: clusters farther apart than 2R.

If two sets of parts are more than ``2 R + margin`` apart, no point is within R of
both, and near the level set ``d = R`` of either the other is more than ``R + margin/2``
away: each cluster's envelope can be traced with the distance to that cluster alone
(fewer edges to screen per evaluation), and the envelopes are disjoint.

Merging is conservative: parts are put in one cluster whenever sample points of theirs
(boundary vertices about half a spacing apart along each ring, plus stations along
edges longer than that) are close enough on the conformal sphere that the parts *might*
be within the separation. Two boundary points p, q at geodesic distance D have samples
within ``D + spacing`` (each is within half a spacing of a sample along its ring); on
the conformal sphere that is at most ``STRETCH_MAX`` times longer
(:mod:`reachmap.geodesy.ellipsoid`).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from reachmap.area import Area
from reachmap.geodesy.ellipsoid import A_M, GEOD, STRETCH_MAX, conformal_unit
from reachmap.geodesy.rings import clean_ring

#: sample points beyond this are not clustered (one cluster): the pair search would cost
#: more than it saves
MAX_SAMPLES = 2_000_000


def vertex_polygon(area: Area) -> NDArray[np.intp]:
    """Index of the area polygon that holds each boundary vertex."""
    b = area.boundary
    n = len(b)
    starts = np.flatnonzero(b.prv != np.arange(n) - 1)
    owner = np.array(
        [
            pi
            for pi, poly in enumerate(area.polygons)
            for ring in poly
            if len(clean_ring(ring)) >= 3
        ],
        dtype=np.intp,
    )
    if owner.size != starts.size:  # pragma: no cover - Boundary keeps the rings in order
        raise RuntimeError("boundary rings do not match the polygons")
    ring = np.searchsorted(starts, np.arange(n), side="right") - 1
    return owner[ring]


def clusters(area: Area, separation_m: float) -> tuple[int, NDArray[np.intp]]:
    """(number of clusters, cluster of each part): parts are the polygons, then the
    points; parts in different clusters are more than ``separation_m`` apart."""
    n_poly, n_pts = len(area.polygons), len(area.points)
    n = n_poly + n_pts
    if n <= 1:
        return n, np.zeros(n, dtype=np.intp)
    step = max(0.5 * separation_m, 1_000.0)
    lon, lat, part = [np.empty(0)], [np.empty(0)], [np.empty(0, dtype=np.intp)]
    b = area.boundary
    if len(b):
        owner = vertex_polygon(area)
        # vertices thinned to about one per half spacing along each ring, plus stations
        # on edges longer than that: consecutive samples are at most a spacing apart
        # along the ring, so every boundary point is within half a spacing of one
        half = 0.5 * step
        length = np.where(b.real, b.length_m, 0.0)
        cum = np.cumsum(length) - length
        starts = np.flatnonzero(b.prv != np.arange(len(b)) - 1)
        ring_start = cum[starts][np.searchsorted(starts, np.arange(len(b)), side="right") - 1]
        bins = np.floor((cum - ring_start) / half)
        first = np.ones(len(b), dtype=bool)
        first[1:] = bins[1:] != bins[:-1]
        first[starts] = True
        keep = np.flatnonzero(first)
        lon.append(b.lon_deg[keep])
        lat.append(b.lat_deg[keep])
        part.append(owner[keep])
        long = np.flatnonzero(b.real & (b.length_m > half))
        if long.size:
            m = np.ceil(b.length_m[long] / half).astype(np.intp)
            rep = np.repeat(long, m - 1)
            k = np.arange(int((m - 1).sum())) - np.repeat(np.cumsum(m - 1) - (m - 1), m - 1) + 1
            s = b.length_m[rep] * k / np.repeat(m, m - 1)
            x, y, _ = GEOD.fwd(b.lon_deg[rep], b.lat_deg[rep], b.az_start_deg[rep], s)
            lon.append(np.asarray(x))
            lat.append(np.asarray(y))
            part.append(owner[rep])
    if n_pts:
        lon.append(area.points[:, 0])
        lat.append(area.points[:, 1])
        part.append(n_poly + np.arange(n_pts, dtype=np.intp))
    samples = np.concatenate(part)
    if samples.size > MAX_SAMPLES:
        return 1, np.zeros(n, dtype=np.intp)
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components
    from scipy.spatial import cKDTree

    u = conformal_unit(np.concatenate(lon), np.concatenate(lat))
    angle = 1.01 * STRETCH_MAX * (separation_m + step) / A_M
    pairs = cKDTree(u).query_pairs(2.0 * np.sin(0.5 * min(angle, np.pi)), output_type="ndarray")
    i, j = samples[pairs[:, 0]], samples[pairs[:, 1]]
    other = i != j
    graph = coo_matrix((np.ones(int(other.sum())), (i[other], j[other])), shape=(n, n))
    count, labels = connected_components(graph, directed=False)
    return int(count), labels.astype(np.intp)


def sub_area(area: Area, labels: NDArray[np.intp], cluster: int) -> Area:
    """The parts of ``area`` in one cluster (same provenance)."""
    n_poly = len(area.polygons)
    members = np.flatnonzero(labels == cluster)
    polys = tuple(area.polygons[k] for k in members if k < n_poly)
    pts = area.points[[k - n_poly for k in members if k >= n_poly]].reshape(-1, 2)
    return Area(polys, pts, area.parts)
