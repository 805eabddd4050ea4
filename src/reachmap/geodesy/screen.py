"""Compiled screening kernel: which edges may hold each point's nearest point.

Same bounds as documented in :mod:`reachmap.geodesy.distance` and
:mod:`reachmap.geodesy.model`, evaluated per point in one pass with numba so
that no (points x edges) temporaries are built. The kernels are serial and release
the GIL; :mod:`reachmap.geodesy.threads` spreads large calls over threads.
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np
from numpy.typing import NDArray

from reachmap.geodesy import model
from reachmap.geodesy.ellipsoid import A_M, STRETCH_MAX, E
from reachmap.geodesy.threads import run_blocks

#: candidate slots per point; points that overflow are rerun with a larger buffer
_SLOTS = 4
#: acos near 0 loses up to ~1.5e-8 rad (0.1 m): slack for the chunk-level test
_ACOS_SLACK_RAD = 5e-8
#: from this distance to V0 on, the conformal bound (:func:`_conformal_lo`) screens too:
#: near the antipode the model's bound grows to 2 x (the triangle inequality) and lets
#: almost every edge through, while the conformal bound stays within 0.34 % of d.
#: Both bounds are rigorous: this choice only decides which costs less.
CONFORMAL_SCREEN_MIN_M = 10e6


@nb.njit(cache=True, inline="always")
def _err(x: float, d0: float, edges: NDArray, c2: NDArray, c1: NDArray, cr: NDArray) -> float:
    band = np.searchsorted(edges, d0)
    b1 = c2[band] * x * x / A_M
    b2 = c1[band] * x * (x + d0) / A_M
    b3 = cr[band] * x
    return model._ERR0_M + min(b1, b2, b3)


@nb.njit(cache=True, inline="always")
def _angle(ax: float, ay: float, az: float, bx: float, by: float, bz: float) -> float:
    cx = ay * bz - az * by
    cy = az * bx - ax * bz
    cz = ax * by - ay * bx
    return math.atan2(math.sqrt(cx * cx + cy * cy + cz * cz), ax * bx + ay * by + az * bz)


@nb.njit(cache=True)
def _arc(
    qx: float,
    qy: float,
    qz: float,
    ax: float,
    ay: float,
    az: float,
    bx: float,
    by: float,
    bz: float,
) -> tuple[float, float, float, float, float]:
    """(angle, t, foot_x, foot_y, foot_z) from q to the great-circle arc a-b."""
    nx = ay * bz - az * by
    ny = az * bx - ax * bz
    nz = ax * by - ay * bx
    nn = math.sqrt(nx * nx + ny * ny + nz * nz)
    ang_a = _angle(qx, qy, qz, ax, ay, az)
    ang_b = _angle(qx, qy, qz, bx, by, bz)
    if nn > 1e-15:
        nx /= nn
        ny /= nn
        nz /= nn
        qn = qx * nx + qy * ny + qz * nz
        px = qx - qn * nx
        py = qy - qn * ny
        pz = qz - qn * nz
        # after a: (a x p) . n >= 0 ; before b: (p x b) . n >= 0
        s1 = (ay * pz - az * py) * nx + (az * px - ax * pz) * ny + (ax * py - ay * px) * nz
        s2 = (py * bz - pz * by) * nx + (pz * bx - px * bz) * ny + (px * by - py * bx) * nz
        if s1 >= 0.0 and s2 >= 0.0:
            pn = math.sqrt(px * px + py * py + pz * pz)
            if pn > 0.0:
                px /= pn
                py /= pn
                pz /= pn
                ang_ab = _angle(ax, ay, az, bx, by, bz)
                t = _angle(ax, ay, az, px, py, pz) / ang_ab if ang_ab > 0 else 0.0
                t = min(max(t, 0.0), 1.0)
                return abs(math.asin(min(max(qn, -1.0), 1.0))), t, px, py, pz
    if ang_a <= ang_b:
        return ang_a, 0.0, ax, ay, az
    return ang_b, 1.0, bx, by, bz


@nb.njit(cache=True, inline="always")
def _conformal(lon_deg: float, lat_deg: float) -> tuple[float, float, float]:
    """Unit vector on the conformal sphere (see ellipsoid.conformal_lat_rad)."""
    phi = math.radians(lat_deg)
    chi = math.atan(math.sinh(math.asinh(math.tan(phi)) - E * math.atanh(E * math.sin(phi))))
    lam = math.radians(lon_deg)
    return math.cos(chi) * math.cos(lam), math.cos(chi) * math.sin(lam), math.sin(chi)


@nb.njit(cache=True, inline="always")
def _theta_c(upper_m: float) -> float:
    """Largest conformal angle (rad) at which a boundary point can be within
    ``upper_m`` of the query, with the round-off slack of the arc angles."""
    return STRETCH_MAX * (upper_m + model._ERR0_M) / A_M + _ACOS_SLACK_RAD


@nb.njit(cache=True, inline="always")
def _conformal_lo(angle_rad: float) -> float:
    """Lower bound (m) on the geodesic distance to an edge whose image is at conformal
    angle ``angle_rad`` from the query's (the inverse of :func:`_theta_c`): the edge
    differs from its image's great-circle arc by at most ``model._ERR0_M``."""
    return (angle_rad - _ACOS_SLACK_RAD) * A_M / STRETCH_MAX - model._ERR0_M


@nb.njit(cache=True, nogil=True)
def _screen_kernel(
    v0: NDArray,
    az0_deg: NDArray,
    d0: NDArray,
    qlon_deg: NDArray,
    qlat_deg: NDArray,
    vsin_lon: NDArray,
    vcos_lon: NDArray,
    vang_all: NDArray,
    scale: NDArray,
    ch_start: NDArray,
    ch_stop: NDArray,
    ch_center: NDArray,
    ch_radius: NDArray,
    gr_first: NDArray,
    gr_stop: NDArray,
    gr_center: NDArray,
    gr_radius: NDArray,
    unit: NDArray,
    nxt: NDArray,
    real: NDArray,
    arc: NDArray,
    all_center: NDArray,
    all_radius: float,
    edges: NDArray,
    c2: NDArray,
    c1: NDArray,
    cr: NDArray,
    slots: int,
    out_edge: NDArray,
    out_t: NDArray,
    out_lo: NDArray,
    out_count: NDArray,
    lo: int,
    hi: int,
) -> None:
    ngr = gr_first.shape[0]
    cos_r = np.cos(ch_radius)
    sin_r = np.sin(ch_radius)
    cos_gr = np.cos(gr_radius)
    sin_gr = np.sin(gr_radius)
    cos_half = np.cos(0.5 * np.minimum(arc, math.pi - 1e-9))
    for i in range(lo, hi):
        v = v0[i]
        dd = d0[i]
        vx, vy, vz = unit[v, 0], unit[v, 1], unit[v, 2]
        # Model sphere: metres per radian at V0, except near the antipode, where
        # the model point must stay within pi of V0 for d0 to be kept.
        m = max(A_M / scale[v], dd / (math.pi - 1e-9))
        # The model point q': from V0 along the exact azimuth, by d0 / m radians.
        sl, cl = vsin_lon[v], vcos_lon[v]
        cos_chi = math.sqrt(vx * vx + vy * vy)
        az = math.radians(az0_deg[i])
        sa, ca = math.sin(az), math.cos(az)
        ux = -sa * sl - ca * vz * cl
        uy = sa * cl - ca * vz * sl
        uz = ca * cos_chi
        sig = dd / m
        cs, ss = math.cos(sig), math.sin(sig)
        qx, qy, qz = cs * vx + ss * ux, cs * vy + ss * uy, cs * vz + ss * uz
        upper = dd
        # The conformal image of q itself, for the second bound far from V0: a geodesic
        # of length d maps onto a curve of length <= STRETCH_MAX d on the conformal
        # sphere (ellipsoid.STRETCH_MAX), which no shorter than the great circle: so an
        # edge whose image lies at angle > theta_c from q's is farther than ``upper``.
        far = dd >= CONFORMAL_SCREEN_MIN_M
        cx = cy = cz = 0.0
        theta_c = 4.0
        if far:
            cx, cy, cz = _conformal(qlon_deg[i], qlat_deg[i])
            theta_c = _theta_c(upper)
        cand_lo = out_lo[i]
        cand_e = out_edge[i]
        cand_t = out_t[i]
        count = 0
        overflow = False
        # A loose, trig-free group test first: the error bound at the largest
        # separation any boundary point can have from V0.
        diam = (vang_all[v] + all_radius) * m
        theta_g = (upper + _err(diam, dd, edges, c2, c1, cr)) / m + _ACOS_SLACK_RAD
        cos_g, sin_g = math.cos(theta_g), math.sin(theta_g)
        for g in range(ngr):
            if overflow:
                break
            gx, gy, gz = gr_center[g, 0], gr_center[g, 1], gr_center[g, 2]
            dot_g = qx * gx + qy * gy + qz * gz
            if theta_g + gr_radius[g] < math.pi and dot_g < cos_g * cos_gr[g] - sin_g * sin_gr[g]:
                continue
            # The group's own error bound (separation at most x_c from V0).
            dot_v = min(max(vx * gx + vy * gy + vz * gz, -1.0), 1.0)
            x_c = (math.acos(dot_v) + gr_radius[g] + _ACOS_SLACK_RAD) * m
            theta = (upper + _err(x_c, dd, edges, c2, c1, cr)) / m + _ACOS_SLACK_RAD
            if theta + gr_radius[g] < math.pi and dot_g < math.cos(theta + gr_radius[g]):
                continue
            if far and theta_c + gr_radius[g] < math.pi:
                dot_c = cx * gx + cy * gy + cz * gz
                if dot_c < math.cos(theta_c + gr_radius[g]):
                    continue
            cos_t, sin_t = math.cos(theta), math.sin(theta)
            for c in range(gr_first[g], gr_stop[g]):
                if overflow:
                    break
                dot_q = qx * ch_center[c, 0] + qy * ch_center[c, 1] + qz * ch_center[c, 2]
                # cos(theta + r) without trig; a chunk's error bound is the group's
                if theta + ch_radius[c] < math.pi and dot_q < cos_t * cos_r[c] - sin_t * sin_r[c]:
                    continue
                if far and theta_c + ch_radius[c] < math.pi:
                    dot_c = cx * ch_center[c, 0] + cy * ch_center[c, 1] + cz * ch_center[c, 2]
                    if dot_c < math.cos(theta_c + ch_radius[c]):
                        continue
                for e in range(ch_start[c], ch_stop[c]):
                    if not real[e]:
                        continue
                    j = nxt[e]
                    ax, ay, az = unit[e, 0], unit[e, 1], unit[e, 2]
                    bx, by, bz = unit[j, 0], unit[j, 1], unit[j, 2]
                    best_dot = max(qx * ax + qy * ay + qz * az, qx * bx + qy * by + qz * bz)
                    # Spherical right triangle: the arc comes no closer than
                    # acos(cos(nearest end) / cos(half arc)); compare in cosine space.
                    if theta < 0.5 * math.pi:
                        if best_dot < cos_t * cos_half[e]:
                            continue
                    elif theta < math.pi and best_dot < cos_t:
                        continue  # (beyond pi every edge passes: cos is not monotonic there)
                    ang, t, fx, fy, fz = _arc(qx, qy, qz, ax, ay, az, bx, by, bz)
                    dist = ang * m
                    err = _err(_angle(vx, vy, vz, fx, fy, fz) * m, dd, edges, c2, c1, cr)
                    if dist + err < upper:
                        upper = dist + err
                    low = dist - err
                    if far:
                        ang_c = _arc(cx, cy, cz, ax, ay, az, bx, by, bz)[0]
                        low = max(low, _conformal_lo(ang_c))
                    if low > upper:
                        continue
                    if far:
                        theta_c = _theta_c(upper)
                    if count == slots:
                        # compact: drop candidates the tightened upper bound excludes
                        k = 0
                        for s in range(count):
                            if cand_lo[s] <= upper:
                                cand_lo[k] = cand_lo[s]
                                cand_e[k] = cand_e[s]
                                cand_t[k] = cand_t[s]
                                k += 1
                        count = k
                        if count == slots:
                            overflow = True
                            break
                    cand_lo[count] = low
                    cand_e[count] = e
                    cand_t[count] = t
                    count += 1
        if overflow:
            out_count[i] = -1
            continue
        k = 0
        for s in range(count):
            if cand_lo[s] <= upper:
                cand_e[k] = cand_e[s]
                cand_t[k] = cand_t[s]
                k += 1
        out_count[i] = k


@nb.njit(cache=True, inline="always")
def _beyond(d: float, best: float, sin_best: float, cos_r: float, sin_r: float) -> bool:
    """Whether a cap (radius r) whose centre is at dot ``d`` from the query cannot hold
    a point with a dot product above ``best`` (= cos(theta_best), sin_best its sine):
    its angle exceeds theta_best + r, i.e. d < cos(theta_best + r), when that sum is
    below pi (cos r > -best). No square root per cap, one per improvement of best."""
    return best >= -1.0 and cos_r > -best and d < best * cos_r - sin_best * sin_r


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
    unit: NDArray,
    real: NDArray,
    out: NDArray,
    lo: int,
    hi: int,
) -> None:
    """Index of the nearest start vertex of a real edge (largest dot product) per point.

    The group whose centre is nearest is scanned first; other groups and chunks are
    skipped when their cap cannot hold a nearer vertex. (A k-d tree degrades here:
    seen from far away, all boundary vertices are nearly equidistant.)
    """
    ngr = gr_first.shape[0]
    cos_r, sin_r = np.cos(ch_radius), np.sin(ch_radius)
    cos_gr, sin_gr = np.cos(gr_radius), np.sin(gr_radius)
    ecc = E
    for i in range(lo, hi):
        # conformal latitude (see ellipsoid.conformal_lat_rad)
        phi = math.radians(lat_deg[i])
        chi = math.atan(
            math.sinh(math.asinh(math.tan(phi)) - ecc * math.atanh(ecc * math.sin(phi)))
        )
        lam = math.radians(lon_deg[i])
        qx = math.cos(chi) * math.cos(lam)
        qy = math.cos(chi) * math.sin(lam)
        qz = math.sin(chi)
        first = 0
        top = -2.0
        for g in range(ngr):
            d = qx * gr_center[g, 0] + qy * gr_center[g, 1] + qz * gr_center[g, 2]
            if d > top:
                top = d
                first = g
        best = -2.0
        best_v = -1
        sin_best = 0.0
        for k in range(ngr + 1):
            g = first if k == 0 else k - 1
            if k > 0:
                if g == first:
                    continue
                d = qx * gr_center[g, 0] + qy * gr_center[g, 1] + qz * gr_center[g, 2]
                if _beyond(d, best, sin_best, cos_gr[g], sin_gr[g]):
                    continue
            for c in range(gr_first[g], gr_stop[g]):
                d = qx * ch_center[c, 0] + qy * ch_center[c, 1] + qz * ch_center[c, 2]
                if _beyond(d, best, sin_best, cos_r[c], sin_r[c]):
                    continue
                improved = False
                for e in range(ch_start[c], ch_stop[c]):
                    if real[e]:
                        dv = qx * unit[e, 0] + qy * unit[e, 1] + qz * unit[e, 2]
                        if dv > best:
                            best = dv
                            best_v = e
                            improved = True
                if improved:
                    sin_best = math.sqrt(max(0.0, 1.0 - best * best))
        out[i] = best_v


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
        b.unit,
        b.real,
        out,
    )
    return out.astype(np.intp)


@nb.njit(cache=True)
def _vertex_table_kernel(
    lon_deg: NDArray, unit: NDArray, all_center: NDArray, sl: NDArray, cl: NDArray, ang: NDArray
) -> None:
    # the same operations the screening kernel used to do per point (same bits)
    for v in range(lon_deg.shape[0]):
        lam = math.radians(lon_deg[v])
        sl[v], cl[v] = math.sin(lam), math.cos(lam)
        ang[v] = _angle(
            unit[v, 0], unit[v, 1], unit[v, 2], all_center[0], all_center[1], all_center[2]
        )


def _vertex_tables(b: object) -> tuple[NDArray, NDArray, NDArray]:
    """Per vertex: sin and cos of the longitude, angle to the cap around every chunk."""
    from reachmap.geodesy.boundary import Boundary

    assert isinstance(b, Boundary)
    got = b._cache.get("screen_vertex_tables")
    if got is None:
        n = len(b)
        sl, cl, ang = np.empty(n), np.empty(n), np.empty(n)
        _vertex_table_kernel(b.lon_deg, b.unit, b.chunks.all_center, sl, cl, ang)
        got = b._cache["screen_vertex_tables"] = (sl, cl, ang)
    return got  # type: ignore[return-value]


def screen(
    b: object,
    v0: NDArray,
    az0_deg: NDArray,
    d0: NDArray,
    lon_deg: NDArray,
    lat_deg: NDArray,
) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.float64]]:
    """Candidate (point, edge, model foot fraction t) triples for every point (lon, lat),
    given the calibration vertex ``v0`` and the exact azimuth (at V0) and distance to it."""
    from reachmap.geodesy.boundary import Boundary

    assert isinstance(b, Boundary)
    ch, gr = b.chunks, b.groups
    n = len(d0)
    idx = np.arange(n)
    ps: list[NDArray[np.intp]] = []
    es: list[NDArray[np.intp]] = []
    ts: list[NDArray[np.float64]] = []
    slots = _SLOTS
    vsin_lon, vcos_lon, vang_all = _vertex_tables(b)
    while idx.size:
        out_edge = np.empty((idx.size, slots), dtype=np.int64)
        out_t = np.empty((idx.size, slots))
        out_lo = np.empty((idx.size, slots))
        out_count = np.empty(idx.size, dtype=np.int64)
        run_blocks(
            _screen_kernel,
            idx.size,
            np.ascontiguousarray(v0[idx], dtype=np.int64),
            np.ascontiguousarray(az0_deg[idx]),
            np.ascontiguousarray(d0[idx]),
            np.ascontiguousarray(lon_deg[idx], dtype=np.float64),
            np.ascontiguousarray(lat_deg[idx], dtype=np.float64),
            vsin_lon,
            vcos_lon,
            vang_all,
            b.scale,
            ch.start,
            ch.stop,
            ch.center,
            ch.radius_rad,
            gr.first,
            gr.stop,
            gr.center,
            gr.radius_rad,
            b.unit,
            b.nxt,
            b.real,
            b.arc_rad,
            ch.all_center,
            ch.all_radius,
            model._D_EDGES_M,
            model._C2,
            model._C1,
            model._CR,
            slots,
            out_edge,
            out_t,
            out_lo,
            out_count,
        )
        ok = out_count >= 0
        cnt = np.where(ok, out_count, 0)
        mask = np.arange(slots)[None, :] < cnt[:, None]
        rows, cols = np.nonzero(mask)
        ps.append(idx[rows])
        es.append(out_edge[rows, cols].astype(np.intp))
        ts.append(out_t[rows, cols])
        idx = idx[~ok]
        slots *= 8
    return np.concatenate(ps), np.concatenate(es), np.concatenate(ts)
