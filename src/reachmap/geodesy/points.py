"""Exact distance from many query points to the nearest of many area points.

The distance from a set of points to a place is the minimum over the points of the
exact geodesic distance (GeographicLib via pyproj). Trying every pair costs
``points x queries`` inverse solutions (1,000 launch points and 170,000 places: 170 M,
minutes); this module tries only the pairs that can hold the minimum, and the result
is the brute-force one bit for bit (the same GeographicLib solution of the same pair,
ties to the lowest point index).

Why no point is missed. The points' unit vectors on the conformal sphere (radius
``A_M``) sit in a k-d tree. For a query q:

1. the tree's nearest point by chord, P0, gives one exact distance d0 >= d(q) (the
   minimum over the points);
2. any point P with d(P, q) <= d0 has, on the conformal sphere, a great-circle angle
   ``theta(P, q) <= STRETCH_MAX * d(P, q) / A_M <= STRETCH_MAX * d0 / A_M``: the
   geodesic from P to q maps onto a curve at most ``STRETCH_MAX`` times longer
   (:data:`reachmap.geodesy.ellipsoid.STRETCH_MAX`, the sphere's largest scale
   factor), and no curve between two points of the sphere is shorter than their great
   circle;
3. so every point the tree finds within that angle (plus ``_SLACK_RAD`` for the round
   off of unit vectors and chords) is solved exactly, and the smallest wins.

Step 2 loosens the bound by 0.34 % of d0: beside the nearest point only the points
within a few km (at 1,000 km) are tried. Near the antipode of a cluster of points most
of them pass (every direction is nearly as long); that is the brute force again,
never worse.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from reachmap.geodesy.ellipsoid import A_M, GEOD, STRETCH_MAX, Float, conformal_unit, inverse

if TYPE_CHECKING:
    from scipy.spatial import cKDTree

#: up to this many points every pair is solved (the tree costs more than it saves)
BRUTE_MAX_POINTS = 8
#: round-off of conformal unit vectors (~1e-16) and of the tree's chords, as an angle:
#: 1e-9 rad is 6 mm, far above either and far below any geodesic difference that matters
_SLACK_RAD = 1e-9
#: (query, point) pairs solved per block: bounds the candidate arrays to ~100 MB
_PAIRS_PER_BLOCK = 2_000_000


@dataclass(frozen=True)
class NearestPoint:
    """Per query: index of the nearest area point, exact distance (m) and the forward
    azimuth (deg) at that point of the geodesic towards the query."""

    index: NDArray[np.intp]
    distance_m: Float
    azimuth_deg: Float


@dataclass(frozen=True)
class PointSet:
    """Area points (lon, lat in degrees, shape (k, 2)) indexed for nearest queries."""

    lonlat: Float
    _cache: dict[str, object] = field(default_factory=dict, compare=False, repr=False)

    def __len__(self) -> int:
        return len(self.lonlat)

    @cached_property
    def tree(self) -> cKDTree:
        from scipy.spatial import cKDTree  # scipy loads in ~0.25 s: only when needed

        return cKDTree(conformal_unit(self.lonlat[:, 0], self.lonlat[:, 1]))

    def nearest(self, lon_deg: Float, lat_deg: Float) -> NearestPoint:
        """The nearest point of the set for every (lon, lat) (valid coordinates)."""
        lon = np.ascontiguousarray(lon_deg, dtype=np.float64).ravel()
        lat = np.ascontiguousarray(lat_deg, dtype=np.float64).ravel()
        if len(self) == 0:
            raise ValueError("no points")
        if len(self) <= BRUTE_MAX_POINTS:
            return brute_force(self.lonlat, lon, lat)
        return self._indexed(lon, lat)

    def _indexed(self, lon: Float, lat: Float) -> NearestPoint:
        pts = self.lonlat
        q = conformal_unit(lon, lat)
        # 1. the nearest point by chord: an exact upper bound d0; and the second nearest
        dist2, j2 = self.tree.query(q, k=2)
        j0 = np.asarray(j2[:, 0], dtype=np.intp)
        az0, d0 = inverse(pts[j0, 0], pts[j0, 1], lon, lat)
        # 2. the angle within which every point at most d0 away lies (module doc)
        theta = np.minimum(STRETCH_MAX * d0 / A_M + _SLACK_RAD, math.pi)
        chord = 2.0 * np.sin(0.5 * theta) + 1e-12
        # Where even the second nearest point is beyond the chord (with a margin far
        # above the tree's round-off), P0 is the only candidate; the ball is counted
        # only for the others (the costlier query: it visits every point in the ball).
        counts = np.ones(lon.size, dtype=np.intp)
        maybe = np.flatnonzero(np.asarray(dist2[:, 1]) <= chord * (1 + 1e-9) + 1e-12)
        if maybe.size:
            counts[maybe] = self.tree.query_ball_point(q[maybe], chord[maybe], return_length=True)
        best_d, best_j, best_az = d0.copy(), j0.copy(), az0.copy()
        # 3. every candidate solved exactly, in blocks of bounded size
        more = np.flatnonzero(counts > 1)
        lo = 0
        cum = np.cumsum(counts[more])
        while lo < more.size:
            base = cum[lo - 1] if lo else 0
            hi = max(lo + 1, int(np.searchsorted(cum, base + _PAIRS_PER_BLOCK, side="right")))
            block = more[lo:hi]
            lists = self.tree.query_ball_point(q[block], chord[block])
            sizes = np.fromiter((len(x) for x in lists), dtype=np.intp, count=block.size)
            cand = np.fromiter((j for x in lists for j in x), dtype=np.intp, count=int(sizes.sum()))
            who = np.repeat(block, sizes)
            keep = cand != j0[who]  # P0's exact distance is in hand
            cand, who = cand[keep], who[keep]
            if cand.size:
                az, d = inverse(pts[cand, 0], pts[cand, 1], lon[who], lat[who])
                _take_better(best_d, best_j, best_az, who, d, cand, az)
            lo = hi
        return NearestPoint(best_j, best_d, best_az)


def _take_better(
    best_d: Float,
    best_j: NDArray[np.intp],
    best_az: Float,
    who: NDArray[np.intp],
    d: Float,
    j: NDArray[np.intp],
    az: Float,
) -> None:
    """Per query the smallest distance, ties to the lowest point index (as the brute
    force, which keeps the first of equal distances)."""
    order = np.lexsort((j, d, who))
    who, d, j, az = who[order], d[order], j[order], az[order]
    first = np.ones(who.size, dtype=bool)
    first[1:] = who[1:] != who[:-1]
    w, dd, jj, aa = who[first], d[first], j[first], az[first]
    better = (dd < best_d[w]) | ((dd == best_d[w]) & (jj < best_j[w]))
    w = w[better]
    best_d[w], best_j[w], best_az[w] = dd[better], jj[better], aa[better]


def brute_force(points: Float, lon: Float, lat: Float) -> NearestPoint:
    """Every (point, query) pair solved; the first of equal distances kept.

    The reference the index is tested against, and the fast path for a few points."""
    n = lon.size
    best = np.full(n, np.inf)
    idx = np.zeros(n, dtype=np.intp)
    az_out = np.zeros(n)
    for k, (plon, plat) in enumerate(points):
        az, _, dist = GEOD.inv(np.full(n, plon), np.full(n, plat), lon, lat)
        dist = np.asarray(dist)
        better = dist < best
        best[better] = dist[better]
        idx[better] = k
        az_out[better] = np.asarray(az)[better]
    return NearestPoint(idx, best, az_out)
