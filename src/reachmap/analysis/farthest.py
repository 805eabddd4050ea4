"""The farthest point of a set of outlines (a region's parts, a country) from a launch
area, exactly: the branch-and-bound on the boundary and the interior search of
:mod:`reachmap.analysis.extremes` (the proofs are there), for any polygons, with the
point where the maximum is reached.

>>> import reachmap, shapely
>>> cell = shapely.box(20.0, 50.0, 21.0, 51.0)  # lon 20..21, lat 50..51
>>> far = farthest_point(reachmap.area("53.9,27.5667"), [Part("X", cell)])  # from Minsk
>>> round(far.distance_m / 1000, 1), far.lon_deg, far.lat_deg  # the box's far corner
(676.8, 20.0, 50.0)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely

from reachmap.analysis.extremes import (
    FARTHEST_TOL_M,
    _farthest_on_boundary,
    build_outlines,
    covers,
    raise_best,
)
from reachmap.analysis.interiors import clear_interiors
from reachmap.area import Area
from reachmap.geodesy.rings import polygon_rings


@dataclass(frozen=True)
class Part:
    """One outline: a code (ISO-3 for countries and their parts) and a shapely
    (Multi)Polygon with straight lon/lat edges, read as reachmap reads polygons."""

    iso3: str
    geom: Any

    @property
    def polygons(self) -> list[tuple[np.ndarray, ...]]:
        return [polygon_rings(g) for g in shapely.get_parts(self.geom) if not g.is_empty]

    def shapely(self) -> Any:
        return self.geom


@dataclass(frozen=True)
class Farthest:
    """The farthest point: exact distance (m, within ``FARTHEST_TOL_M`` of the maximum,
    or a lower bound when ``complete`` is false), where it is, and its part's code."""

    distance_m: float
    lon_deg: float
    lat_deg: float
    part: str
    complete: bool


def farthest_point(area: Area, parts: Sequence[Part]) -> Farthest:
    """The point of ``parts`` farthest from ``area`` (see module doc)."""
    data = build_outlines(parts)
    n = len(parts)
    d = np.asarray(area.distance_m(data.lon, data.lat), dtype=np.float64)
    best = np.full(n, -np.inf)
    where = np.full((n, 2), np.nan)
    raise_best(best, where, data.owner, d, data.lon, data.lat)
    covered = np.zeros(n, dtype=bool)
    if area.polygons:
        for k in np.flatnonzero(best == 0):
            covered[k] = covers(area.geometry, parts[int(k)].geom)
    edges = np.arange(data.lon.size)
    f0, f1, ub, own = d, d[data.nxt], data.edge_ub_m, data.owner
    far = edges[(0.5 * (f0 + f1 + ub) > best[own] + FARTHEST_TOL_M) & ~covered[own]]
    # edges inside the area (d = 0 at both ends) wait for the interior's best value
    zero = (d[far] == 0) & (d[data.nxt[far]] == 0)
    best, unfinished = _farthest_on_boundary(area, data, far[~zero], best, where)
    _, partial = clear_interiors(area, parts, best, covered, where)
    best, late = _farthest_on_boundary(area, data, far[zero], best, where)
    top = int(np.argmax(best))
    lower = {parts[int(i)].iso3 for i in (*unfinished, *late)} | set(partial)
    lon, lat = where[top]
    return Farthest(float(best[top]), float(lon), float(lat), parts[top].iso3, not lower)
