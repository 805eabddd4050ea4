"""Topology of a level set by adaptive marching squares in an azimuthal equidistant frame.

The field ``g(P) = d(P) - R`` (``d`` the exact distance to an area) is 1-Lipschitz on
the ellipsoid. Its zero set is traced on a square grid in the plane of an azimuthal
equidistant (AEQD) projection: plane point ``(x, y)`` is the end of the geodesic of
length ``hypot(x, y)`` leaving the frame centre at azimuth ``atan2(x, y)``
(:meth:`Frame.to_lonlat`, one exact ``Geod.fwd``). Poles and the antimeridian are
ordinary points in this plane.

Why the grid is safe:

* The map plane -> ellipsoid shortens lengths (radial scale 1, tangential scale
  m12/s < 1 because the Gaussian curvature is positive), so ``g`` is 1-Lipschitz in
  plane distance too. A cell one of whose corners has ``|g| >`` the cell diagonal holds
  no zero: it is pruned. Others are split in four until the finest size ``cell_m``.
* The centre is the antipode of a point ``c*`` where ``|g|`` is large (chosen by the
  caller, see :func:`reachmap.envelope.levelset.choose_frame`): every zero lies at
  least ``|g(c*)|`` from ``c*``, i.e. at plane radius below ``RHO_FAR_M - |g(c*)|``,
  well inside the disc where the projection is one-to-one (geodesics from the centre
  are shortest up to at least pi*b = 19,970 km). Nodes beyond ``RHO_EVAL_M`` are never
  mapped; cells entirely beyond the zero-free radius are pruned.
* Every component of ``{g <= 0}`` holds a disc of radius R around an area point, hence
  a grid node once the cell half-diagonal is below R. A component of ``{g > 0}``
  (a hole) is found when it holds a point with ``g > cell_m / sqrt(2)``; thinner
  features and channels narrower than about one cell are below the grid's resolution.

Saddle cells are decided by the value at the cell centre. Crossing points are linear
interpolations on cell edges, computed once per edge, so neighbouring cells agree and
every loop closes. Loops are oriented with ``{g <= 0}`` on their left (the AEQD plane
keeps the orientation of east/north).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from reachmap.geodesy.ellipsoid import GEOD, Float

#: half-width of the square grid (m), just above the largest geodesic distance
HALF_WIDTH_M = 20_010e3
#: nodes farther than this from the centre are not mapped (shortest up to pi*b)
RHO_EVAL_M = 19_900e3
#: largest d(centre, X) + d(X, c*) over the ellipsoid: d(c, c*) <= 20,004 km plus the
#: most an equatorial detour adds (pi*a - 20,004 km = 34 km), rounded up generously
RHO_FAR_M = 20_100e3
#: cells per side at the coarsest level
N0 = 32

Field = Callable[[Float, Float], Float]  # (lon_deg, lat_deg) -> g (m), g <= 0 inside


@dataclass(frozen=True)
class Frame:
    """An azimuthal equidistant frame on the ellipsoid, centred at (lon0, lat0)."""

    lon0_deg: float
    lat0_deg: float

    def to_lonlat(self, x_m: Float, y_m: Float) -> tuple[Float, Float]:
        """lon/lat (deg) of plane points (exact geodesic, GeographicLib via pyproj)."""
        x = np.asarray(x_m, dtype=np.float64)
        y = np.asarray(y_m, dtype=np.float64)
        az = np.degrees(np.arctan2(x, y))
        s = np.hypot(x, y)
        lon, lat, _ = GEOD.fwd(
            np.full(s.shape, self.lon0_deg), np.full(s.shape, self.lat0_deg), az, s
        )
        return np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)


@dataclass(frozen=True)
class Contours:
    """Closed zero loops in the plane (``{g <= 0}`` on the left), and for each vertex
    the grid edge it was interpolated on: ``inside`` node (g <= 0), ``outside`` node."""

    loops: list[Float]  # (n, 2) plane x, y
    inside: list[Float]  # (n, 2) plane x, y of the edge end with g <= 0
    outside: list[Float]  # (n, 2) plane x, y of the edge end with g > 0
    cell_m: float
    evaluations: int
    any_inside: bool  # some evaluated node has g <= 0 (decides "all" vs "nothing")


class _Nodes:
    """Lazily evaluated grid nodes, keyed by finest-level index ``i * (n + 1) + j``."""

    def __init__(self, field: Field, frame: Frame, n: int, h: float) -> None:
        self.field, self.frame, self.n, self.h = field, frame, n, h
        self.keys = np.empty(0, dtype=np.int64)
        self.vals = np.empty(0)
        self.evaluations = 0

    def xy(self, i: NDArray[np.int64], j: NDArray[np.int64]) -> tuple[Float, Float]:
        x = np.asarray(-HALF_WIDTH_M + i * self.h, dtype=np.float64)
        return x, np.asarray(-HALF_WIDTH_M + j * self.h, dtype=np.float64)

    def values(self, i: NDArray[np.int64], j: NDArray[np.int64]) -> Float:
        key = i * (self.n + 1) + j
        new = np.setdiff1d(np.unique(key), self.keys, assume_unique=True)
        if new.size:
            ni, nj = np.divmod(new, self.n + 1)
            x, y = self.xy(ni, nj)
            vals = np.full(new.size, np.nan)
            ok = np.hypot(x, y) <= RHO_EVAL_M
            if ok.any():
                lon, lat = self.frame.to_lonlat(x[ok], y[ok])
                vals[ok] = self.field(lon, lat)
                self.evaluations += int(ok.sum())
            keys = np.concatenate([self.keys, new])
            order = np.argsort(keys, kind="stable")
            self.keys, self.vals = keys[order], np.concatenate([self.vals, vals])[order]
        return self.vals[np.searchsorted(self.keys, key)]


def _levels(cell_m: float) -> int:
    h0 = 2 * HALF_WIDTH_M / N0
    return max(0, int(np.ceil(np.log2(h0 / cell_m))))


def trace(field: Field, frame: Frame, cell_m: float, far_margin_m: float) -> Contours:
    """Zero loops of ``field`` (1-Lipschitz, m) with finest cells of at most ``cell_m``.

    ``far_margin_m`` is ``|g|`` at the antipode of the frame centre: no zero lies
    beyond plane radius ``RHO_FAR_M - far_margin_m``.
    """
    levels = _levels(cell_m)
    n = N0 * 2**levels
    h = 2 * HALF_WIDTH_M / n
    rho_zero_free = RHO_FAR_M - far_margin_m
    if rho_zero_free > RHO_EVAL_M - 4 * h:
        raise ValueError("frame centre too close to the level set; choose another centre")
    nodes = _Nodes(field, frame, n, h)
    ci, cj = (a.ravel().astype(np.int64) for a in np.meshgrid(np.arange(N0), np.arange(N0)))
    any_inside = False
    for level in range(levels + 1):
        step = 2 ** (levels - level)
        size = step * h
        i0, j0 = ci * step, cj * step
        x0, y0 = nodes.xy(i0, j0)
        # nearest point of the cell to the plane origin
        dx = np.maximum(0.0, np.maximum(x0, -(x0 + size)))
        dy = np.maximum(0.0, np.maximum(y0, -(y0 + size)))
        near = np.hypot(dx, dy) < rho_zero_free
        ci, cj, i0, j0 = ci[near], cj[near], i0[near], j0[near]
        g = np.stack(
            [
                nodes.values(i0, j0),
                nodes.values(i0 + step, j0),
                nodes.values(i0 + step, j0 + step),
                nodes.values(i0, j0 + step),
            ],
            axis=1,
        )
        any_inside = any_inside or bool(np.any(g <= 0))
        with np.errstate(invalid="ignore"):
            proven = np.any(np.abs(g) > size * np.sqrt(2.0), axis=1)
        keep = ~proven
        ci, cj = ci[keep], cj[keep]
        if level < levels:
            ci = np.concatenate([2 * ci, 2 * ci + 1, 2 * ci, 2 * ci + 1])
            cj = np.concatenate([2 * cj, 2 * cj, 2 * cj + 1, 2 * cj + 1])
        else:
            g = g[keep]
    if np.isnan(g).any():  # pragma: no cover - excluded by the zero-free radius check
        raise RuntimeError("contour reached unmapped nodes")
    loops, inside, outside = _march(nodes, ci, cj, g)
    return Contours(loops, inside, outside, h, nodes.evaluations, any_inside)


# ---------------------------------------------------------------- marching squares

# corners counter-clockwise: 0 (i, j), 1 (i+1, j), 2 (i+1, j+1), 3 (i, j+1); edge k runs
# from corner k to corner k+1. Edge k's global key: (orientation, lower node).
_EDGE_NODE = ((0, 0), (1, 0), (0, 1), (0, 0))  # offset of the edge's lower node
_EDGE_VERTICAL = (0, 1, 0, 1)


def _pairs(code: int, center_inside: bool) -> list[tuple[int, int]]:
    """(out edge, in edge) pairs of a cell whose inside corners are the bits of ``code``.

    Walking the cell boundary counter-clockwise, an "out" edge leaves {g <= 0} and an
    "in" edge enters it; with the inside on the left a segment runs from out to in.
    """
    s = [(code >> k) & 1 for k in range(4)]
    outs = [k for k in range(4) if s[k] and not s[(k + 1) % 4]]
    ins = [k for k in range(4) if not s[k] and s[(k + 1) % 4]]
    if len(outs) == 1:
        return [(outs[0], ins[0])]
    if len(outs) == 2:  # saddle: inside connected through the centre or not
        shift = 1 if center_inside else -1
        return [(k, (k + shift) % 4) for k in outs]
    return []


def _march(
    nodes: _Nodes, ci: NDArray[np.int64], cj: NDArray[np.int64], g: Float
) -> tuple[list[Float], list[Float], list[Float]]:
    inside = g <= 0
    code = (inside * (1 << np.arange(4))).sum(axis=1)
    mixed = (code != 0) & (code != 15)
    ci, cj, g, code = ci[mixed], cj[mixed], g[mixed], code[mixed]
    saddle = (code == 5) | (code == 10)
    center_in = np.zeros(code.size, dtype=bool)
    if saddle.any():
        x0, y0 = nodes.xy(ci[saddle], cj[saddle])
        lon, lat = nodes.frame.to_lonlat(x0 + 0.5 * nodes.h, y0 + 0.5 * nodes.h)
        center_in[saddle] = nodes.field(lon, lat) <= 0
    seg_from: list[NDArray[np.int64]] = []
    seg_to: list[NDArray[np.int64]] = []
    for c in np.unique(code):
        for flag in (False, True):
            sel = (code == c) & (center_in == flag)
            if not sel.any():
                continue
            for e_out, e_in in _pairs(int(c), flag):
                seg_from.append(_edge_key(nodes.n, ci[sel], cj[sel], e_out))
                seg_to.append(_edge_key(nodes.n, ci[sel], cj[sel], e_in))
    if not seg_from:
        return [], [], []
    frm, to = np.concatenate(seg_from), np.concatenate(seg_to)
    order = np.argsort(frm)
    frm, to = frm[order], to[order]
    if np.any(frm[1:] == frm[:-1]):  # pragma: no cover - a crossing edge is left once
        raise RuntimeError("inconsistent contour: an edge is left twice")
    nxt = np.searchsorted(frm, to)
    if np.any(nxt >= frm.size) or np.any(frm[np.minimum(nxt, frm.size - 1)] != to):
        raise RuntimeError("inconsistent contour: open chain")  # pragma: no cover
    pts, p_in, p_out = _crossings(nodes, frm)
    loops, ins, outs = [], [], []
    seen = np.zeros(frm.size, dtype=bool)
    for start in range(frm.size):
        if seen[start]:
            continue
        chain = [start]
        seen[start] = True
        k = int(nxt[start])
        while k != start:
            chain.append(k)
            seen[k] = True
            k = int(nxt[k])
        idx = np.asarray(chain)
        loops.append(pts[idx])
        ins.append(p_in[idx])
        outs.append(p_out[idx])
    return loops, ins, outs


def _edge_key(n: int, ci: NDArray[np.int64], cj: NDArray[np.int64], edge: int) -> NDArray[np.int64]:
    di, dj = _EDGE_NODE[edge]
    return 2 * ((ci + di) * (n + 1) + (cj + dj)) + _EDGE_VERTICAL[edge]


def _crossings(nodes: _Nodes, keys: NDArray[np.int64]) -> tuple[Float, Float, Float]:
    """Crossing point on each edge (linear interpolation), and its inside/outside ends."""
    vertical = keys % 2
    ia, ja = np.divmod(keys // 2, nodes.n + 1)
    ib, jb = ia + (1 - vertical), ja + vertical
    ga, gb = nodes.values(ia, ja), nodes.values(ib, jb)
    t = ga / (ga - gb)
    xa, ya = nodes.xy(ia, ja)
    xb, yb = nodes.xy(ib, jb)
    pts = np.column_stack([xa + t * (xb - xa), ya + t * (yb - ya)])
    a, b = np.column_stack([xa, ya]), np.column_stack([xb, yb])
    a_in = (ga <= 0)[:, None]
    return pts, np.where(a_in, a, b), np.where(a_in, b, a)
