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
    todo = []
    for k, c in enumerate(items):
        lat_extent = max(
            (float(np.ptp(p[0][:, 1])) for p in c.polygons), default=0.0
        )  # a meridian from any inner point meets the outline within its part's extent
        reach = best[k] + RC_M * np.radians(lat_extent)
        if not (covered[k] or (best[k] >= v_near and reach < CAT_RADIUS_M)):
            todo.append(k)
    found = interiors_max(area, [items[k] for k in todo], best[todo])
    partial = []
    for k, (value, complete, at) in zip(todo, found, strict=True):
        if value > best[k]:
            best[k] = value
            if where is not None:
                where[k] = at
        if not complete:
            partial.append(items[k].iso3)
    return [items[k].iso3 for k in todo], partial


def interior_max(area: Area, c: Outline, best: float) -> tuple[float, bool, tuple[float, float]]:
    """Branch-and-bound on lon/lat cells covering the outline: a cell of centre x and
    radius r holds no point farther than d_A(x) + r. Returns the best value found
    (``best`` if none is larger), whether the search finished, and where it is."""
    return interiors_max(area, [c], np.array([best], dtype=np.float64))[0]


def interiors_max(
    area: Area, items: Sequence[Outline], best: Float
) -> list[tuple[float, bool, tuple[float, float]]]:
    """:func:`interior_max` of several outlines at once: the searches run level by
    level together, one exact distance call per level for all of them (each is the
    same search as alone: its cells, its best value, its own budget)."""
    n = len(items)
    if n == 0:
        return []
    geoms = [c.shapely() for c in items]
    cells = []
    for j, geom in enumerate(geoms):
        shapely.prepare(geom)
        boxes = shapely.bounds(shapely.get_parts(geom))
        cells.append(np.column_stack([boxes, np.full(len(boxes), j)]))
    # x0, y0, x1, y1, owner; kept sorted by owner (masks keep the order, and a cell's
    # four children follow it), so each search's cells are one run of rows
    cell = np.concatenate(cells)
    top = np.array(best, dtype=np.float64)
    used = np.zeros(n, dtype=np.int64)
    complete = np.ones(n, dtype=bool)
    at = np.full((n, 2), np.nan)
    while cell.size:
        owner = cell[:, 4].astype(np.intp)
        hit = np.zeros(len(cell), dtype=bool)
        for j, run in _runs(owner):
            c = cell[run]
            hit[run] = shapely.intersects(geoms[j], shapely.box(c[:, 0], c[:, 1], c[:, 2], c[:, 3]))
        count = np.bincount(owner[hit], minlength=n)
        over = used + count > INTERIOR_BUDGET  # past its budget a search stops as it is
        complete &= ~over
        hit &= ~over[owner]
        used += np.where(over, 0, count)
        cell, owner = cell[hit], owner[hit]
        if not cell.size:
            break
        cx, cy = 0.5 * (cell[:, 0] + cell[:, 2]), 0.5 * (cell[:, 1] + cell[:, 3])
        d = np.asarray(area.distance_m(cx, cy), dtype=np.float64)
        for j, run in _runs(owner):
            inside = np.flatnonzero(shapely.contains_xy(geoms[j], cx[run], cy[run])) + run.start
            if inside.size:
                i = inside[int(np.argmax(d[inside]))]
                if d[i] > top[j]:
                    top[j], at[j] = d[i], (cx[i], cy[i])
        r = cell_radius_m(cell[:, 0], cell[:, 1], cell[:, 2], cell[:, 3])
        keep = (d + r * (1 + 1e-9) > top[owner] + INTERIOR_TOL_M) & (r > 1e-3)
        cell, cx, cy = cell[keep], cx[keep], cy[keep]
        x0, y0, x1, y1, w = cell.T
        quarters = [
            (x0, y0, cx, cy, w), (cx, y0, x1, cy, w), (x0, cy, cx, y1, w), (cx, cy, x1, y1, w)
        ]  # fmt: skip
        cell = np.stack([np.column_stack(q) for q in quarters], axis=1).reshape(-1, 5)
    return [
        (float(top[j]), bool(complete[j]), (float(at[j, 0]), float(at[j, 1]))) for j in range(n)
    ]


def _runs(owner: NDArray[np.intp]) -> list[tuple[int, slice]]:
    """The runs of equal values of a sorted array: (value, rows)."""
    if not owner.size:
        return []
    starts = np.concatenate([[0], np.flatnonzero(np.diff(owner)) + 1])
    stops = np.append(starts[1:], owner.size)
    return [(int(owner[a]), slice(int(a), int(b))) for a, b in zip(starts, stops, strict=True)]


def cell_radius_m(x0: Float, y0: Float, x1: Float, y1: Float) -> Float:
    """Upper bound on the geodesic distance from a lon/lat cell's centre to any of its
    points (m): the smaller of two bounds, both with the largest radius of curvature
    ``a^2 / b`` for both the meridian and the parallel radii (M, N <= a^2 / b):

    * along the centre's parallel, then a meridian: (cos(lat_c) dlon + dlat) / 2;
    * along the straight lon/lat line, on which ds <= a^2 / b (dlat^2 + cos^2 dlon^2)^(1/2)
      and cos is at most its value at the cell's lowest |lat|: the hypot of the half
      sides (up to 1.41x smaller for square cells)."""
    lam, phi = np.radians(x1 - x0), np.radians(y1 - y0)
    cos_mid = np.cos(np.radians(0.5 * (y0 + y1)))
    low = np.where((y0 <= 0) & (y1 >= 0), 0.0, np.minimum(np.abs(y0), np.abs(y1)))
    path = RC_M * (cos_mid * lam + phi) / 2
    line = RC_M * np.hypot(np.cos(np.radians(low)) * lam, phi) / 2
    return np.minimum(path, line)
