"""Country outlines in a map view: Natural Earth 1:10m land (fill rings) and borders
(polylines without the artificial cut and pole edges), projected like everything else
in :mod:`reachmap.report.projection`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import shapely

from reachmap.geodesy.ellipsoid import Float
from reachmap.report.projection import (
    Polygon,
    Rings,
    View,
    border_edges,
    boundary_lines,
    densify,
    holds_antipode,
    oriented,
    rim_ring,
)


@dataclass(frozen=True)
class ProjectedCountries:
    """Land (fill rings) and borders (polylines) of Natural Earth in a view."""

    land: Rings
    borders: list[Float]


def _spherical_distance_m(lon0: float, lat0: float, pts: Float) -> Float:
    la0, ph0 = math.radians(lon0), math.radians(lat0)
    la, ph = np.radians(pts[:, 0]), np.radians(pts[:, 1])
    c = math.sin(ph0) * np.sin(ph) + math.cos(ph0) * np.cos(ph) * np.cos(la - la0)
    return np.asarray(np.arccos(np.clip(c, -1, 1)) * 6371.0e3, dtype=np.float64)


#: outlines are simplified in lon/lat first (degrees; ~1 km, below a map pixel)
SIMPLIFY_DEG = 0.01


@lru_cache(maxsize=1)
def _outline_polygons() -> list[Polygon]:
    """Natural Earth polygons simplified by :data:`SIMPLIFY_DEG`, oriented."""
    from reachmap.data import countries

    polys = [p for c in countries.countries() for p in c.polygons]
    rings = [np.asarray(r, dtype=np.float64) for p in polys for r in p]
    # Douglas-Peucker per ring (vertices kept are original ones, so cuts at +-180 and
    # pole closures stay exact); a ring that collapses below 3 vertices is dropped.
    simple = shapely.simplify(
        np.array([shapely.LineString(np.vstack([r, r[:1]])) for r in rings], dtype=object),
        SIMPLIFY_DEG,
        preserve_topology=False,
    )
    out: list[Polygon] = []
    k = 0
    for p in polys:
        kept = []
        for j in range(len(p)):
            coords = shapely.get_coordinates(simple[k + j])[:-1]
            if len(coords) >= 3:
                kept.append(coords)
            elif j == 0:
                kept = []
                break
        k += len(p)
        if kept:
            out.append(tuple(kept))
    return oriented(out)


def project_rings(view: View, rings: Sequence[Float]) -> list[Float]:
    """Project closed lon/lat rings (densified) in one call; returns open arrays whose
    last vertex is the first repeated."""
    dense = [densify(r) for r in rings]
    closed = [np.concatenate([r, r[:1]]) for r in dense]
    if not closed:
        return []
    pts = np.concatenate(closed)
    x, y = view.project(pts[:, 0], pts[:, 1])
    xy = np.column_stack([x, y])
    out = np.split(xy, np.cumsum([len(r) for r in closed])[:-1])
    if view.azimuthal:
        rim = np.hypot(x, y) >= view.clamp_m * (1 - 1e-9)
        parts = np.split(rim, np.cumsum([len(r) for r in closed])[:-1])
        out = [
            view.project_line(c) if m.sum() > 1 else o
            for c, m, o in zip(closed, parts, out, strict=True)
        ]
    return out


@lru_cache(maxsize=4)
def projected_countries(view: View, simplify_m: float) -> ProjectedCountries:
    """Natural Earth 1:10m outlines in ``view`` (see :data:`SIMPLIFY_DEG`), simplified
    again to ``simplify_m`` map metres.

    In azimuthal views a polygon is skipped when all its vertices (edges densified to
    2 degrees) lie beyond the disc by a 1 % spherical margin, unless it holds the centre.
    """
    polys = _outline_polygons()
    if view.azimuthal:
        keep = _near(view)
        polys = [p for p, k in zip(polys, keep, strict=True) if k]
    rings = [r for p in polys for r in p]
    projected = project_rings(view, rings)
    land = list(projected)
    for p in polys:
        if holds_antipode(view, [p]):
            land.append(rim_ring(view))
    borders: list[Float] = []
    for ring, xy in zip(rings, projected, strict=True):
        dense = densify(ring)
        fake = border_edges(dense, np.roll(dense, -1, axis=0))
        if not fake.any():
            borders.append(xy)
            continue
        if len(xy) != len(dense) + 1:  # clamped runs were expanded: rare, far away
            borders.extend(boundary_lines(view, [(ring,)]))
            continue
        cut = np.flatnonzero(fake)
        for a, b in zip(cut, np.r_[cut[1:], cut[0] + len(dense)], strict=True):
            idx = np.arange(a + 1, b + 1) % len(dense)
            if len(idx) >= 2:
                borders.append(xy[idx])
    return ProjectedCountries(_simplified(land, simplify_m), _simplified(borders, simplify_m))


def _simplified(lines: list[Float], tolerance_m: float) -> list[Float]:
    if tolerance_m <= 0 or not lines:
        return lines
    geoms = shapely.simplify(
        np.array([shapely.LineString(ln) for ln in lines if len(ln) >= 2], dtype=object),
        tolerance_m,
        preserve_topology=False,
    )
    return [np.asarray(shapely.get_coordinates(g)) for g in geoms if not g.is_empty]


@lru_cache(maxsize=1)
def _exteriors() -> tuple[Float, np.ndarray, np.ndarray]:
    """Exterior vertices of the outline polygons (edges densified to 2 deg), where each
    polygon's run starts, and the polygons as shapely objects."""
    rings = [densify(p[0], 2.0) for p in _outline_polygons()]
    starts = np.cumsum([0] + [len(r) for r in rings[:-1]])
    shells = np.array([shapely.Polygon(r) for r in rings], dtype=object)
    return np.concatenate(rings), starts, shells


def _near(view: View) -> np.ndarray:
    """Which outline polygons can show in an azimuthal view: a vertex within the disc
    (1 % spherical margin plus 100 km), or the polygon holds the centre."""
    pts, starts, shells = _exteriors()
    d = _spherical_distance_m(view.lon0_deg, view.lat0_deg, pts)
    near = np.minimum.reduceat(d, starts) <= 1.01 * view.radius_m + 100e3
    if abs(view.lat0_deg) == 90.0:  # a polygon closed along this pole holds it
        on_pole = np.maximum.reduceat((pts[:, 1] == view.lat0_deg).astype(np.int8), starts)
        return np.asarray(near | (on_pole > 0))
    holds = shapely.contains_xy(shells, view.lon0_deg, view.lat0_deg)
    return np.asarray(near | holds)
