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
from reachmap.geodesy.calibrate import conformal
from reachmap.geodesy.ellipsoid import A_M, STRETCH_MAX
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
#: products of unit vectors are exact to ~4e-16: an arc test or a comparison of two
#: ends decided by a margin this wide is decided as _arc's exact-angle tests would be
_SPAN_SLACK = 1e-12
_TIE_SLACK = 1e-13


@nb.njit(cache=True, inline="always")
def _err(x: float, d0: float, c2: float, c1: float, cr: float) -> float:
    """model.model_error_m at separation x, with the coefficients of d0's band."""
    b1 = c2 * x * x / A_M
    b2 = c1 * x * (x + d0) / A_M
    b3 = cr * x
    return model._ERR0_M + min(b1, b2, b3)


@nb.njit(cache=True, inline="always")
def _cos_sin_plus(theta0: float, c0: float, s0: float, delta: float) -> tuple[float, float]:
    """cos and sin of theta0 + delta from c0 = cos(theta0), s0 = sin(theta0): for
    0 <= delta < 0.01 by the addition theorem with Taylor polynomials of cos(delta) and
    sin(delta) (truncated after delta^6 and delta^7: < 1e-20 off), else directly."""
    if delta < 0.01:
        d2 = delta * delta
        cd = 1.0 - d2 * (0.5 - d2 * (1.0 / 24.0 - d2 / 720.0))
        sd = delta * (1.0 - d2 * (1.0 / 6.0 - d2 * (1.0 / 120.0 - d2 / 5040.0)))
        return c0 * cd - s0 * sd, s0 * cd + c0 * sd
    return math.cos(theta0 + delta), math.sin(theta0 + delta)


@nb.njit(cache=True, inline="always")
def _angle_bound(ex: float, ey: float, ez: float) -> float:
    """An upper bound (rad) on the angle between two unit vectors whose difference is
    (ex, ey, ez). With the chord c, the angle is 2 asin(c / 2) <= c / sqrt(1 - c^2 / 4)
    (asin y <= tan(asin y)): two square roots instead of an acos, and at most 0.04 %
    above the angle while c < 0.1; beyond, the angle itself (+ the asin's round-off,
    below _ACOS_SLACK_RAD)."""
    c = math.sqrt(ex * ex + ey * ey + ez * ez)
    if c < 0.1:
        return c / math.sqrt(1.0 - 0.25 * c * c)
    return 2.0 * math.asin(min(0.5 * c, 1.0)) + _ACOS_SLACK_RAD


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
    tan_a: NDArray,
    tan_b: NDArray,
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
    gr_x = np.ascontiguousarray(gr_center[:, 0])
    gr_y = np.ascontiguousarray(gr_center[:, 1])
    gr_z = np.ascontiguousarray(gr_center[:, 2])
    dots = np.empty(ngr)
    keep = np.empty(ngr, dtype=np.bool_)
    for i in range(lo, hi):
        v = v0[i]
        dd = d0[i]
        band = np.searchsorted(edges, dd)  # the model's d0 band: one per point
        c2b, c1b, crb = c2[band], c1[band], cr[band]
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
            cx, cy, cz = conformal(qlon_deg[i], qlat_deg[i])
            theta_c = _theta_c(upper)
        cand_lo = out_lo[i]
        cand_e = out_edge[i]
        cand_t = out_t[i]
        count = 0
        overflow = False
        # A loose, trig-free group test first: the error bound at the largest
        # separation any boundary point can have from V0.
        diam = (vang_all[v] + all_radius) * m
        # Every angle below is theta0 + err / m: the sines and cosines of theta0 once
        # (again only when ``upper`` tightens), each sum's by the addition theorem.
        theta0 = upper / m + _ACOS_SLACK_RAD
        c0, s0 = math.cos(theta0), math.sin(theta0)
        upper0 = upper
        delta = _err(diam, dd, c2b, c1b, crb) / m
        theta_g = theta0 + delta
        cos_g, sin_g = _cos_sin_plus(theta0, c0, s0, delta)
        # (a branch-free pass over all groups, which the compiler vectorises)
        for g in range(ngr):
            dots[g] = qx * gr_x[g] + qy * gr_y[g] + qz * gr_z[g]
            keep[g] = (theta_g + gr_radius[g] >= math.pi) | (
                dots[g] >= cos_g * cos_gr[g] - sin_g * sin_gr[g]
            )
        for g in range(ngr):
            if overflow:
                break
            if not keep[g]:
                continue
            gx, gy, gz = gr_x[g], gr_y[g], gr_z[g]
            dot_g = dots[g]
            # The group's own error bound (separation at most x_c from V0).
            x_c = (_angle_bound(vx - gx, vy - gy, vz - gz) + gr_radius[g] + _ACOS_SLACK_RAD) * m
            if upper != upper0:
                theta0 = upper / m + _ACOS_SLACK_RAD
                c0, s0 = math.cos(theta0), math.sin(theta0)
                upper0 = upper
            delta = _err(x_c, dd, c2b, c1b, crb) / m
            theta = theta0 + delta
            cos_t, sin_t = _cos_sin_plus(theta0, c0, s0, delta)
            if theta + gr_radius[g] < math.pi and dot_g < cos_t * cos_gr[g] - sin_t * sin_gr[g]:
                continue
            if far and theta_c + gr_radius[g] < math.pi:
                dot_c = cx * gx + cy * gy + cz * gz
                if dot_c < math.cos(theta_c + gr_radius[g]):
                    continue
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
                    dot_a = qx * ax + qy * ay + qz * az
                    dot_b = qx * bx + qy * by + qz * bz
                    best_dot = max(dot_a, dot_b)
                    # Spherical right triangle: the arc comes no closer than
                    # acos(cos(nearest end) / cos(half arc)); compare in cosine space.
                    if theta < 0.5 * math.pi:
                        if best_dot < cos_t * cos_half[e]:
                            continue
                    elif theta < math.pi and best_dot < cos_t:
                        continue  # (beyond pi every edge passes: cos is not monotonic there)
                    # Clearly outside the arc's span (q' before a or after b, by more
                    # than the round-off of these unit-vector products): its nearest
                    # point is the nearer end, as _arc would find, without the foot.
                    if (
                        qx * tan_a[e, 0] + qy * tan_a[e, 1] + qz * tan_a[e, 2] < -_SPAN_SLACK
                        or qx * tan_b[e, 0] + qy * tan_b[e, 1] + qz * tan_b[e, 2] < -_SPAN_SLACK
                    ) and abs(dot_a - dot_b) > _TIE_SLACK:
                        w, t = (e, 0.0) if dot_a > dot_b else (j, 1.0)
                        if w == v:
                            # V0 itself: its exact distance dd is the start of the
                            # search (distance.py) and bounds nothing new here.
                            continue
                        fx, fy, fz = unit[w, 0], unit[w, 1], unit[w, 2]
                        ang = _angle(qx, qy, qz, fx, fy, fz)
                    else:
                        ang, t, fx, fy, fz = _arc(qx, qy, qz, ax, ay, az, bx, by, bz)
                    dist = ang * m
                    err = _err(_angle(vx, vy, vz, fx, fy, fz) * m, dd, c2b, c1b, crb)
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


def _edge_tangents(b: object) -> tuple[NDArray, NDArray]:
    """Per edge a -> b on the conformal sphere, with n the unit normal a x b / |a x b|:
    n x a and b x n, the unit tangents at a (towards b) and at b (back past b). A point
    q is within the arc's span when q . (n x a) >= 0 and q . (b x n) >= 0 (_arc's two
    tests: (a x p) . n = q . (n x a) for p, q's projection on the arc's plane). Zero
    for edges too short for a normal (_arc decides those)."""
    from reachmap.geodesy.boundary import Boundary

    assert isinstance(b, Boundary)
    got = b._cache.get("screen_edge_tangents")
    if got is None:
        a, z = b.unit, b.unit[b.nxt]
        n = np.cross(a, z)
        nn = np.linalg.norm(n, axis=1)
        ok = nn > 1e-15
        n = np.where(ok[:, None], n / np.where(ok, nn, 1.0)[:, None], 0.0)
        got = b._cache["screen_edge_tangents"] = (
            np.ascontiguousarray(np.cross(n, a)),
            np.ascontiguousarray(np.cross(z, n)),
        )
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
    tan_a, tan_b = _edge_tangents(b)

    def take(a: NDArray, dtype: type = np.float64) -> NDArray:  # no copy on the first pass
        return np.ascontiguousarray(a if idx.size == n else a[idx], dtype=dtype)

    while idx.size:
        out_edge = np.empty((idx.size, slots), dtype=np.int64)
        out_t = np.empty((idx.size, slots))
        out_lo = np.empty((idx.size, slots))
        out_count = np.empty(idx.size, dtype=np.int64)
        run_blocks(
            _screen_kernel,
            idx.size,
            take(v0, np.int64),
            take(az0_deg),
            take(d0),
            take(lon_deg),
            take(lat_deg),
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
            tan_a,
            tan_b,
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
        some = np.flatnonzero(out_count > 0)  # most points have no candidate but V0
        mask = np.arange(slots)[None, :] < out_count[some, None]
        rows, cols = np.nonzero(mask)
        rows = some[rows]
        ps.append(idx[rows])
        es.append(out_edge[rows, cols].astype(np.intp))
        ts.append(out_t[rows, cols])
        idx = idx[~ok]
        slots *= 8
    return np.concatenate(ps), np.concatenate(es), np.concatenate(ts)
