"""Where the farthest point of a country (or any outline) from an area can lie inside
it, and the search there (the proof is in :mod:`reachmap.analysis.extremes`).

A local maximum of the distance ``d_A`` to the area inside an outline needs two nearest
area points at least 120 degrees apart as seen from it; below :data:`CAT_RADIUS_M`
(pi b / 2, where balls of WGS84 are convex and CAT(1 / b^2)) the comparison with the
sphere of radius b puts them farther apart than the area's diameter unless the value
is at most ``v_near``. Outlines that may hold values outside [v_near, pi b / 2) get a
branch-and-bound on lon/lat cells with the Lipschitz bound, to :data:`INTERIOR_TOL_M`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np
import shapely
from numpy.typing import NDArray

from reachmap.area import Area
from reachmap.geodesy.ellipsoid import A_M, B_M, STRETCH_MAX, Float

#: an interior search (outlines not cleared by the curvature argument) stops at this (m)
INTERIOR_TOL_M = 1.0
#: evaluations allowed to one interior search; past it the result is a lower bound
INTERIOR_BUDGET = 200_000
#: radius of the sphere of the smallest curvature (K >= b^2 / a^4), and the largest
#: radius of curvature of WGS84 (m)
RC_M = A_M * A_M / B_M
#: below this distance the curvature argument is proven: pi b / 2 (m), half of the
#: injectivity radius bound pi b and pi / (2 sqrt(K_max)), K_max = 1 / b^2
CAT_RADIUS_M = 0.5 * np.pi * B_M


class Outline(Protocol):
    """What the search needs of an outline (a :class:`~reachmap.data.countries.Country`
    or a part of a region): its polygons (lists of lon/lat rings), a code, the shape."""

    @property
    def iso3(self) -> str: ...
    @property
    def polygons(self) -> Any: ...
    def shapely(self) -> Any: ...


def area_vertices(area: Area) -> Float:
    """The area's model vertices on real edges, and its points: where a closest pair
    can sit on the area's side."""
    parts = [area.points.reshape(-1, 2)]
    if area.polygons:
        b = area.boundary
        v = b.active_vertices
        parts.append(np.column_stack([b.lon_deg[v], b.lat_deg[v]]))
    return np.concatenate(parts)


def area_diameter_m(area: Area) -> float:
    """Upper bound on the largest distance between two points of the area's boundary
    and points (geodesics are at most ``STRETCH_MAX`` times great-circle arcs on the
    sphere of radius a with geodetic latitudes; edge points lie within half an edge
    of a vertex)."""
    pts = area_vertices(area)
    if len(pts) < 2:
        return 0.0
    lam, phi = np.radians(pts[:, 0]), np.radians(pts[:, 1])
    u = np.column_stack([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)])
    edge = area.boundary.max_edge_m if area.polygons else 0.0
    if len(u) <= 3000:
        cos_min = min(float(np.min(u[i : i + 500] @ u.T)) for i in range(0, len(u), 500))
        angle = float(np.arccos(np.clip(cos_min, -1, 1)))
    else:
        c = u.sum(axis=0)
        c /= max(float(np.linalg.norm(c)), 1e-300)
        angle = min(np.pi, 2 * float(np.arccos(np.clip(np.min(u @ c), -1, 1))))
    return STRETCH_MAX * A_M * angle * (1 + 1e-9) + edge


def clear_interiors(
    area: Area,
    items: Sequence[Outline],
    best: Float,
    covered: NDArray[np.bool_],
    where: Float | None = None,
) -> tuple[list[str], list[str]]:
    """Search the interiors that the curvature argument does not clear (``best`` and
    ``where``, the lon/lat of each best point, in place): (searched, lower bounds)."""
    diam = area_diameter_m(area)
    s2 = min(1.0, (1 - np.cos(min(diam / B_M, np.pi))) / 1.5)
    v_near = B_M * float(np.arcsin(np.sqrt(s2)))
    searched, partial = [], []
    for k, c in enumerate(items):
        lat_extent = max(
            (float(np.ptp(p[0][:, 1])) for p in c.polygons), default=0.0
        )  # a meridian from any inner point meets the outline within its part's extent
        reach = best[k] + RC_M * np.radians(lat_extent)
        if covered[k] or (best[k] >= v_near and reach < CAT_RADIUS_M):
            continue
        searched.append(c.iso3)
        value, complete, at = interior_max(area, c, float(best[k]))
        if value > best[k]:
            best[k] = value
            if where is not None:
                where[k] = at
        if not complete:
            partial.append(c.iso3)
    return searched, partial


def interior_max(area: Area, c: Outline, best: float) -> tuple[float, bool, tuple[float, float]]:
    """Branch-and-bound on lon/lat cells covering the outline: a cell of centre x and
    radius r holds no point farther than d_A(x) + r. Returns the best value found
    (``best`` if none is larger), whether the search finished, and where it is."""
    geom = c.shapely()
    shapely.prepare(geom)
    boxes = shapely.bounds(shapely.get_parts(geom))
    x0, y0, x1, y1 = (boxes[:, i].copy() for i in range(4))
    used = 0
    at = (float("nan"), float("nan"))
    while x0.size:
        cx, cy = 0.5 * (x0 + x1), 0.5 * (y0 + y1)
        hit = shapely.intersects(geom, shapely.box(x0, y0, x1, y1))
        x0, y0, x1, y1, cx, cy = (v[hit] for v in (x0, y0, x1, y1, cx, cy))
        if used + cx.size > INTERIOR_BUDGET:
            return best, False, at
        used += cx.size
        d = np.asarray(area.distance_m(cx, cy), dtype=np.float64)
        inside = np.flatnonzero(shapely.contains_xy(geom, cx, cy))
        if inside.size and float(d[inside].max()) > best:
            i = inside[int(np.argmax(d[inside]))]
            best, at = float(d[i]), (float(cx[i]), float(cy[i]))
        # any point is reached from the centre along its parallel, then a meridian
        r = RC_M * (np.cos(np.radians(cy)) * np.radians(x1 - x0) + np.radians(y1 - y0)) / 2
        keep = (d + r * (1 + 1e-9) > best + INTERIOR_TOL_M) & (r > 1e-3)
        x0, y0, x1, y1, cx, cy = (v[keep] for v in (x0, y0, x1, y1, cx, cy))
        x0, x1 = np.concatenate([x0, cx, x0, cx]), np.concatenate([cx, x1, cx, x1])
        y0, y1 = np.concatenate([y0, y0, cy, cy]), np.concatenate([cy, cy, y1, y1])
    return best, True, at
