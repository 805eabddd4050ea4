"""Compiled calibration step: the boundary vertex nearest each query point on the
conformal sphere (the V0 of :mod:`reachmap.geodesy.distance`), and the conformal unit
vector of a point in few transcendental functions.

Serial numba kernels that release the GIL; :mod:`reachmap.geodesy.threads` spreads
large calls over threads.
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np
from numpy.typing import NDArray

from reachmap.geodesy.ellipsoid import E
from reachmap.geodesy.threads import run_blocks


@nb.njit(cache=True, inline="always")
def conformal(lon_deg: float, lat_deg: float) -> tuple[float, float, float]:
    """Unit vector on the conformal sphere (see ellipsoid.conformal_lat_rad).

    The conformal latitude chi has tan(chi) = sinh(psi), psi = atanh(s) - q with
    s = sin(phi) and q = e atanh(e s), so sin(chi) = tanh(psi) and cos(chi) =
    1 / cosh(psi); expanding tanh and cosh of the difference (atanh(s) has tanh s and
    cosh 1 / cos(phi)) gives

        sin(chi) = (s - tanh q) / (1 - s tanh q),   cos(chi) = cos(phi) / (cosh q - s sinh q)

    with one exp for q's hyperbolic functions: 6 transcendental functions instead of
    the 10 of tan, asinh, sinh, atan and the sines and cosines of chi (2.8x faster).
    No cancellation: |tanh q| <= e^2 < 0.007, so both denominators are near 1, and the
    formula stays exact at the poles (s = 1 gives sin(chi) = 1). It agrees with
    ellipsoid.conformal_unit to 4e-16 (tests/test_model_bound.py).
    """
    phi = math.radians(lat_deg)
    s, c = math.sin(phi), math.cos(phi)
    eq = math.exp(E * math.atanh(E * s))
    cosh_q, sinh_q = 0.5 * (eq + 1.0 / eq), 0.5 * (eq - 1.0 / eq)
    tanh_q = sinh_q / cosh_q
    sin_chi = (s - tanh_q) / (1.0 - s * tanh_q)
    cos_chi = c / (cosh_q - s * sinh_q)
    lam = math.radians(lon_deg)
    return cos_chi * math.cos(lam), cos_chi * math.sin(lam), sin_chi


@nb.njit(cache=True, nogil=True)
def _conformal_kernel(lon_deg: NDArray, lat_deg: NDArray, out: NDArray, lo: int, hi: int) -> None:
    for i in range(lo, hi):
        out[i, 0], out[i, 1], out[i, 2] = conformal(lon_deg[i], lat_deg[i])


def conformal_units(lon_deg: NDArray, lat_deg: NDArray) -> NDArray[np.float64]:
    """:func:`conformal` for arrays: (n, 3) unit vectors (for tests and callers that
    want the kernels' own bits)."""
    lon = np.ascontiguousarray(lon_deg, dtype=np.float64).ravel()
    lat = np.ascontiguousarray(lat_deg, dtype=np.float64).ravel()
    out = np.empty((lon.size, 3))
    run_blocks(_conformal_kernel, lon.size, lon, lat, out)
    return out


@nb.njit(cache=True, inline="always")
def _beyond(d: float, best: float, sin_best: float, cos_r: float, sin_r: float) -> bool:
    """Whether a cap (radius r) whose centre is at dot ``d`` from the query cannot hold
    a point with a dot product above ``best`` (= cos(theta_best), sin_best its sine):
    its angle exceeds theta_best + r, i.e. d < cos(theta_best + r), when that sum is
    below pi (cos r > -best). No square root per cap, one per improvement of best."""
    return best >= -1.0 and cos_r > -best and d < best * cos_r - sin_best * sin_r


@nb.njit(cache=True, inline="always")
def _scan_group(
    g: int,
    qx: float,
    qy: float,
    qz: float,
    best: float,
    best_v: int,
    sin_best: float,
    ch_start: NDArray,
    ch_stop: NDArray,
    ch_center: NDArray,
    cos_r: NDArray,
    sin_r: NDArray,
    gr_first: NDArray,
    gr_stop: NDArray,
    ux: NDArray,
    uy: NDArray,
    uz: NDArray,
) -> tuple[float, int, float]:
    """The best vertex after scanning group ``g``'s chunks (those that may hold a
    nearer vertex)."""
    for c in range(gr_first[g], gr_stop[g]):
        d = qx * ch_center[c, 0] + qy * ch_center[c, 1] + qz * ch_center[c, 2]
        if _beyond(d, best, sin_best, cos_r[c], sin_r[c]):
            continue
        improved = False
        for e in range(ch_start[c], ch_stop[c]):
            dv = qx * ux[e] + qy * uy[e] + qz * uz[e]  # NaN (never > best): not real
            if dv > best:
                best = dv
                best_v = e
                improved = True
        if improved:
            sin_best = math.sqrt(max(0.0, 1.0 - best * best))
    return best, best_v, sin_best


@nb.njit(cache=True, nogil=True)
def _nearest_vertex_kernel(
    lon_deg: NDArray,
    lat_deg: NDArray,
    ch_start: NDArray,
    ch_stop: NDArray,
    ch_center: NDArray,
    ch_radius: NDArray,
    gr_first: NDArray,
    gr_stop: NDArray,
    gr_center: NDArray,
    gr_radius: NDArray,
    ux: NDArray,
    uy: NDArray,
    uz: NDArray,
    out: NDArray,
    lo: int,
    hi: int,
) -> None:
    """Index of the nearest start vertex of a real edge (largest dot product) per point.

    The group whose centre is nearest is scanned first; other groups and chunks are
    skipped when their cap cannot hold a nearer vertex. (A k-d tree degrades here:
    seen from far away, all boundary vertices are nearly equidistant.) ``ux, uy, uz``:
    the vertices' unit vectors, NaN where no real edge starts.
    """
    ngr = gr_first.shape[0]
    cos_r, sin_r = np.cos(ch_radius), np.sin(ch_radius)
    cos_gr, sin_gr = np.cos(gr_radius), np.sin(gr_radius)
    gr_x = np.ascontiguousarray(gr_center[:, 0])
    gr_y = np.ascontiguousarray(gr_center[:, 1])
    gr_z = np.ascontiguousarray(gr_center[:, 2])
    dots = np.empty(ngr)
    keep = np.empty(ngr, dtype=np.bool_)
    for i in range(lo, hi):
        qx, qy, qz = conformal(lon_deg[i], lat_deg[i])
        for g in range(ngr):  # branch-free passes: the compiler vectorises them
            dots[g] = qx * gr_x[g] + qy * gr_y[g] + qz * gr_z[g]
        first = 0
        top = -2.0
        for g in range(ngr):
            if dots[g] > top:
                top = dots[g]
                first = g
        best, best_v, sin_best = _scan_group(
            first, qx, qy, qz, -2.0, -1, 0.0, ch_start, ch_stop, ch_center, cos_r, sin_r,
            gr_first, gr_stop, ux, uy, uz,
        )  # fmt: skip
        # The other groups that may hold a nearer vertex than the first group's best
        # (not _beyond); those kept are tested again with the best found so far.
        for g in range(ngr):
            keep[g] = (
                (best < -1.0)
                | (cos_gr[g] <= -best)
                | (dots[g] >= best * cos_gr[g] - sin_best * sin_gr[g])
            )
        for g in range(ngr):
            if not keep[g] or g == first:
                continue
            if _beyond(dots[g], best, sin_best, cos_gr[g], sin_gr[g]):
                continue
            best, best_v, sin_best = _scan_group(
                g, qx, qy, qz, best, best_v, sin_best, ch_start, ch_stop, ch_center, cos_r,
                sin_r, gr_first, gr_stop, ux, uy, uz,
            )  # fmt: skip
        out[i] = best_v


def _vertex_columns(b: object) -> tuple[NDArray, NDArray, NDArray]:
    """The vertices' conformal unit vectors as three columns, NaN where no real edge
    starts (a NaN dot product is never the largest)."""
    from reachmap.geodesy.boundary import Boundary

    assert isinstance(b, Boundary)
    got = b._cache.get("calibrate_vertex_columns")
    if got is None:
        u = np.where(b.real[:, None], b.unit, np.nan)
        got = b._cache["calibrate_vertex_columns"] = tuple(
            np.ascontiguousarray(u[:, k]) for k in range(3)
        )
    return got  # type: ignore[return-value]


def nearest_vertex(b: object, lon_deg: NDArray, lat_deg: NDArray) -> NDArray[np.intp]:
    """Nearest real-edge start vertex on the conformal sphere for each (lon, lat)."""
    from reachmap.geodesy.boundary import Boundary

    assert isinstance(b, Boundary)
    ch, gr = b.chunks, b.groups
    out = np.empty(len(lon_deg), dtype=np.int64)
    run_blocks(
        _nearest_vertex_kernel,
        out.size,
        np.ascontiguousarray(lon_deg, dtype=np.float64),
        np.ascontiguousarray(lat_deg, dtype=np.float64),
        ch.start,
        ch.stop,
        ch.center,
        ch.radius_rad,
        gr.first,
        gr.stop,
        gr.center,
        gr.radius_rad,
        *_vertex_columns(b),
        out,
    )
    return out.astype(np.intp)
