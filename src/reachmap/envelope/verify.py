"""Verification of envelope polygons with the exact distance: every vertex and every
edge (lon/lat quarter points and midpoint, geodesic midpoint), leaving out the lon/lat
rectangle's border (poles, antimeridian edges), which only closes polygons."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from reachmap.envelope.levelset import LevelSet, edge_error_m
from reachmap.geodesy.ellipsoid import Float
from reachmap.geodesy.rings import Polygon


def on_border(pts: Float) -> NDArray[np.bool_]:
    """Vertices on the lon/lat rectangle's artificial border (poles; frame corners)."""
    return np.abs(pts[:, 1]) >= 90.0 - 1e-12


def verify(ls: LevelSet, polygons: tuple[Polygon, ...]) -> tuple[float, float]:
    """Largest ``|d - R|`` over the vertices and over the edge midpoints (lon/lat and
    geodesic) of the boundary, leaving out the border (poles, antimeridian edges)."""
    rings = [r for p in polygons for r in p]
    if not rings:
        return 0.0, 0.0
    pts = np.concatenate(rings)
    nxt = np.concatenate([np.roll(np.arange(len(r)), -1) + off for r, off in _offsets(rings)])
    real = ~on_border(pts)
    v_err = float(np.max(np.abs(ls.g(pts[real, 0], pts[real, 1])))) if real.any() else 0.0
    a, b = pts, pts[nxt]
    border_edge = _border_point(a) & _border_point(b)
    a, b = a[~border_edge], b[~border_edge]
    if len(a) == 0:
        return v_err, 0.0
    e_err = float(np.max(edge_error_m(ls, a, b)))
    return v_err, e_err


def _border_point(p: Float) -> NDArray[np.bool_]:
    return (np.abs(p[:, 0]) >= 180.0) | (np.abs(p[:, 1]) >= 90.0)


def _offsets(rings: list[Float]) -> list[tuple[Float, int]]:
    out, off = [], 0
    for r in rings:
        out.append((r, off))
        off += len(r)
    return out
