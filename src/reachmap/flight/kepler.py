"""Tier 0 ballistic flight: Keplerian free flight over a spherical, non-rotating Earth.

Every function takes numpy arrays (or scalars, through the same path), broadcasts
them, and returns a :class:`Trajectory` of arrays. An element that has no
solution (range <= 0 or beyond half the circumference, a speed too low for the
range, an apogee below the burnout altitude, ...) comes back as NaN with
``valid`` False; nothing inside the array code raises. Only a bad option (an
unknown branch name) raises :class:`reachmap.errors.InputError`.

The free flight runs from burnout at radius ``r0 = R + burnout_altitude_m`` to
impact on the surface ``r1 = R``. With ``burnout_altitude_m = 0`` this is the
textbook symmetric arc (burnout at the surface):

* range equation ``tan(psi/2) = Q sin(g) cos(g) / (1 - Q cos^2(g))``, ``Q = v^2 r / mu``;
* minimum energy ``g = (pi - psi)/4``, ``Q = 2 sin(psi/2) / (1 + sin(psi/2))``;
* time from Kepler's equation ``t = sqrt(a^3/mu) (E - e sin E)``.

For ``r0 != r1`` the same closed forms follow from the conic through both radii
(Regan & Anandakrishnan, *Dynamics of Atmospheric Re-Entry*, AIAA 1993, ch. 3;
Bate, Mueller & White, *Fundamentals of Astrodynamics*, Dover 1971, ch. 6):
no element needs an iterative solver.

Angles are radians, lengths metres, speeds m/s; ``psi`` is the free-flight
range angle (ground range over R) and ``gamma`` the flight-path angle above the
local horizontal at burnout.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from reachmap.errors import InputError
from reachmap.numeric import JsonFields, in_chunks

__all__ = [
    "ATMOSPHERE_TOP_M",
    "EARTH_RADIUS_M",
    "HALF_CIRCUMFERENCE_M",
    "MU_EARTH_M3_S2",
    "Trajectory",
    "coast",
    "fixed_speed",
    "max_range_m",
    "min_energy",
    "min_energy_burnout",
    "speed_for",
    "through_apogee",
]

#: Mean Earth radius of the spherical model (IUGG mean radius, rounded to 1 km).
EARTH_RADIUS_M = 6_371_000.0
#: Geocentric gravitational constant (IERS Conventions 2010, Table 1.1).
MU_EARTH_M3_S2 = 3.986004418e14
#: Nominal edge of space (Kármán line); apogees below it are flagged as outside the vacuum model.
ATMOSPHERE_TOP_M = 100_000.0
#: Longest ground range the model accepts: beyond it the other way round is shorter.
HALF_CIRCUMFERENCE_M = np.pi * EARTH_RADIUS_M

Branch = Literal["lofted", "depressed"]
FloatArray = NDArray[np.float64]

# Two ranges are "the same" below this angle (6 mm on the ground): the forward
# solution of every inverse solution is checked against the requested range.
_ROUND_TRIP_RAD = 1e-9


@dataclass(frozen=True)
class Trajectory(JsonFields):
    """A free-flight arc per element; NaN wherever ``valid`` is False.

    ``range_m`` is the free-flight ground range (range angle times R),
    ``time_s`` the free-flight time, ``apogee_m`` the highest altitude above the
    surface along the arc, ``speed_mps`` and ``gamma_rad`` the burnout speed and
    flight-path angle, ``burnout_altitude_m`` the altitude of the burnout point.
    """

    range_m: FloatArray
    time_s: FloatArray
    apogee_m: FloatArray
    speed_mps: FloatArray
    gamma_rad: FloatArray
    burnout_altitude_m: FloatArray
    valid: NDArray[np.bool_]


def _floats(*values: ArrayLike) -> list[FloatArray]:
    return [np.asarray(a, dtype=np.float64) for a in np.broadcast_arrays(*values)]


def _masked(valid: NDArray[np.bool_], **arrays: FloatArray) -> Trajectory:
    out = {k: np.where(valid, v, np.nan) for k, v in arrays.items()}
    return Trajectory(valid=valid, **out)


def coast(
    speed_mps: ArrayLike, gamma_rad: ArrayLike, burnout_altitude_m: ArrayLike = 0.0
) -> Trajectory:
    """Forward problem: where and when an arc from burnout comes down to the surface.

    The arc must be bound (below escape speed) and come down (perigee below the
    surface); the impact is the first descending crossing of ``r = R``.

    >>> t = coast(3000.0, np.radians(43.0))
    >>> round(float(t.range_m[()]) / 1e3), round(float(t.time_s[()]))
    (988, 473)
    >>> bool(coast(12_000.0, 0.3).valid[()])  # above escape speed: never comes down
    False
    """
    return in_chunks(_coast, *_floats(speed_mps, gamma_rad, burnout_altitude_m))


def _coast(v: FloatArray, g: FloatArray, h: FloatArray) -> Trajectory:
    r1 = EARTH_RADIUS_M
    two_pi = 2.0 * np.pi
    with np.errstate(all="ignore"):
        sin_g, cos_g = np.sin(g), np.cos(g)
        r0 = EARTH_RADIUS_M + h
        q = v * v * r0 / MU_EARTH_M3_S2
        ok = np.isfinite(v + g + h) & (v > 0) & (h >= 0) & (np.abs(g) < np.pi / 2) & (q < 2)
        a = r0 / (2.0 - q)  # semi-major axis (vis-viva)
        # e cos E and e sin E at burnout, from r = a (1 - e cos E) and r r' = sqrt(mu a) e sin E.
        ec0 = q - 1.0
        es0 = r0 * v * sin_g / np.sqrt(MU_EARTH_M3_S2 * a)
        ec1 = 1.0 - r1 / a
        # e^2 - ec1^2 without cancelling O(1) terms (short ranges have e close to 1).
        disc = es0 * es0 - (h / a) * (ec0 + ec1)
        ok &= disc > 0  # perigee below the surface: the arc comes down
        es1 = -np.sqrt(disc)  # descending
        # Eccentric anomalies in [0, 2 pi): E0 before apogee (< pi) when climbing, E1 in (pi, 2 pi).
        e0 = np.arctan2(es0, ec0)
        e0 = np.where(e0 < 0, e0 + two_pi, e0)
        e1 = np.arctan2(es1, ec1) + two_pi
        time_s = np.sqrt(a**3 / MU_EARTH_M3_S2) * ((e1 - e0) - (es1 - es0))
        # True anomalies from e cos(th) = p/r - 1 and e sin(th) = p r'/(h) (same sign as r').
        p_r0 = q * cos_g * cos_g  # p / r0
        p_r1 = p_r0 * (r0 / r1)
        es_th0 = q * sin_g * cos_g
        th0 = np.arctan2(es_th0, p_r0 - 1.0)
        th0 = np.where(th0 < 0, th0 + two_pi, th0)
        es_th1_sq = es_th0 * es_th0 + (p_r0 - p_r1) * (p_r0 + p_r1 - 2.0)
        th1 = np.arctan2(-np.sqrt(np.maximum(es_th1_sq, 0.0)), p_r1 - 1.0) + two_pi
        psi = th1 - th0
        ok &= (psi > 0) & (e1 > e0)
        apo_r = np.where(g > 0, a * (1.0 + np.sqrt(ec0 * ec0 + es0 * es0)), r0)
    return _masked(
        ok,
        range_m=psi * EARTH_RADIUS_M,
        time_s=time_s,
        apogee_m=apo_r - EARTH_RADIUS_M,
        speed_mps=v,
        gamma_rad=g,
        burnout_altitude_m=h,
    )


def _solved(range_m: FloatArray, ok: NDArray[np.bool_], forward: Trajectory) -> Trajectory:
    """Keep the forward arc where it really ends at the requested range."""
    with np.errstate(invalid="ignore"):
        same = np.abs(forward.range_m - range_m) <= _ROUND_TRIP_RAD * EARTH_RADIUS_M
    valid = ok & forward.valid & same
    return _masked(
        valid,
        range_m=range_m,
        time_s=forward.time_s,
        apogee_m=forward.apogee_m,
        speed_mps=forward.speed_mps,
        gamma_rad=forward.gamma_rad,
        burnout_altitude_m=forward.burnout_altitude_m,
    )


def _range_ok(range_m: FloatArray, h: FloatArray) -> NDArray[np.bool_]:
    # The antipode itself is excluded: every direction reaches it and the
    # minimum-energy "arc" degenerates into a grazing circular orbit.
    return np.isfinite(range_m + h) & (range_m > 0) & (range_m < HALF_CIRCUMFERENCE_M) & (h >= 0)


def _geometry(range_m: FloatArray, h: FloatArray) -> tuple[FloatArray, ...]:
    """Range angle, r0/r1 - 1, and the half-angle sine used by the closed forms."""
    psi = range_m / EARTH_RADIUS_M
    km1 = h / EARTH_RADIUS_M  # k - 1 with k = r0 / r1, exact for small altitudes
    s2 = np.sin(psi / 2.0)
    return psi, km1, s2


def min_energy(range_m: ArrayLike, burnout_altitude_m: ArrayLike = 0.0) -> Trajectory:
    """The minimum-energy (lowest burnout speed) arc for each free-flight range.

    Closed form: ``tan(2 g) = sin(psi) / (k - cos(psi))`` with ``k = r0/r1``, which
    is ``g = (pi - psi)/4`` for burnout at the surface.

    >>> t = min_energy([1_000e3, 10_000e3])
    >>> np.round(t.time_s / 60, 1).tolist(), np.round(t.apogee_m / 1e3).tolist()
    ([7.9, 32.2], [240.0, 1319.0])
    >>> bool(min_energy(-5.0).valid[()])
    False
    """
    return in_chunks(_min_energy, *_floats(range_m, burnout_altitude_m))


def _min_energy(rng: FloatArray, h: FloatArray) -> Trajectory:
    ok = _range_ok(rng, h)
    with np.errstate(all="ignore"):
        psi, km1, s2 = _geometry(rng, h)
        k_minus_cos = km1 + 2.0 * s2 * s2
        g = 0.5 * np.arctan2(np.sin(psi), k_minus_cos)
        speed = _speed_for(psi, km1, s2, g, h)
    return _solved(rng, ok, _coast(speed, g, h))


def min_energy_burnout(
    range_m: ArrayLike, burnout_altitude_m: ArrayLike = 0.0
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Burnout speed and path angle (cosine, sine) of the minimum-energy arc; closed form only.

    The closed forms of :func:`min_energy` without the Kepler time and the
    forward check: a cheap building block for fixed-point iterations over large
    arrays (the range-scaled boost of :mod:`reachmap.flight.boost`). The path
    angle comes as ``cos g, sin g`` from ``tan(2 g) = sin(psi) / (k - cos(psi))``
    through half-angle identities (no trigonometric inverse); agrees with
    :func:`min_energy` to float rounding (1e-15 relative, tested). NaN where
    :func:`min_energy` has no arc for the input (bad range or altitude).

    >>> v, c, s = min_energy_burnout(1_000e3)
    >>> round(float(v), 1), round(float(np.degrees(np.arctan2(s, c))), 4)
    (3016.1, 42.7517)
    """
    rng, h = _floats(range_m, burnout_altitude_m)
    ok = _range_ok(rng, h)
    with np.errstate(all="ignore"):
        # sin and cos of psi/2 from one tangent of psi/4 (several times faster than both).
        tq = np.tan(rng / (4.0 * EARTH_RADIUS_M))
        tq2 = tq * tq
        s2, c2 = 2.0 * tq / (1.0 + tq2), (1.0 - tq2) / (1.0 + tq2)
        km1 = h / EARTH_RADIUS_M
        sin_psi = 2.0 * s2 * c2
        k_minus_cos = km1 + 2.0 * s2 * s2
        m = np.sqrt(sin_psi * sin_psi + k_minus_cos * k_minus_cos)
        cos_g = np.sqrt(0.5 * (1.0 + k_minus_cos / m))  # 2 g in (0, pi): cos g > 0
        sin_g = sin_psi / (2.0 * m * cos_g)
        # _speed_for with sin(g + psi/2) expanded.
        denom = (EARTH_RADIUS_M + h) * cos_g * (km1 * cos_g + 2.0 * (sin_g * c2 + cos_g * s2) * s2)
        v2 = MU_EARTH_M3_S2 * 2.0 * s2 * s2 / denom
        speed = np.sqrt(np.where(v2 > 0, v2, np.nan))
    nan = np.nan
    return np.where(ok, speed, nan), np.where(ok, cos_g, nan), np.where(ok, sin_g, nan)


def _speed_for(
    psi: FloatArray, km1: FloatArray, s2: FloatArray, g: FloatArray, h: FloatArray
) -> FloatArray:
    """Burnout speed that reaches range angle ``psi`` at path angle ``g``.

    ``v^2 = mu (1 - cos psi) / (r0 cos g (k cos g - cos(g + psi)))``, written with
    half-angle sines so that short ranges keep their precision.
    """
    r0 = EARTH_RADIUS_M + h
    denom = r0 * np.cos(g) * (km1 * np.cos(g) + 2.0 * np.sin(g + psi / 2.0) * s2)
    v2 = MU_EARTH_M3_S2 * 2.0 * s2 * s2 / denom
    return np.sqrt(np.where(v2 > 0, v2, np.nan))


def speed_for(
    range_m: ArrayLike, gamma_rad: ArrayLike, burnout_altitude_m: ArrayLike = 0.0
) -> FloatArray:
    """Burnout speed that puts an arc at path angle ``gamma_rad`` down at ``range_m``.

    NaN where no speed does (too shallow a path angle for the range).

    >>> round(float(speed_for(1_000e3, (np.pi - 1_000e3 / EARTH_RADIUS_M) / 4)), 1)
    3016.1
    """
    rng, g, h = _floats(range_m, gamma_rad, burnout_altitude_m)
    ok = _range_ok(rng, h) & np.isfinite(g) & (np.abs(g) < np.pi / 2)
    with np.errstate(all="ignore"):
        psi, km1, s2 = _geometry(rng, h)
        speed = _speed_for(psi, km1, s2, g, h)
    return np.where(ok, speed, np.nan)


def fixed_speed(
    range_m: ArrayLike,
    speed_mps: ArrayLike,
    branch: Branch,
    burnout_altitude_m: ArrayLike = 0.0,
) -> Trajectory:
    """The lofted or depressed arc that reaches ``range_m`` at a given burnout speed.

    Both path angles solve ``cos(2g - phi) = x`` in closed form, ``phi`` being
    twice the minimum-energy angle: lofted is ``phi + arccos x``, depressed
    ``phi - arccos x``. They meet at the maximum range for that speed; beyond
    it (``x > 1``) there is no solution and the element is NaN.

    >>> v = min_energy(5_500e3).speed_mps
    >>> lo, de = fixed_speed(1_000e3, v, "lofted"), fixed_speed(1_000e3, v, "depressed")
    >>> round(float(lo.time_s[()]) / 60, 1), round(float(de.time_s[()]) / 60, 1)
    (32.9, 2.8)
    >>> bool(fixed_speed(6_000e3, v, "lofted").valid[()])  # beyond the energy
    False
    """
    if branch not in ("lofted", "depressed"):
        raise InputError(f"unknown branch {branch!r}; use 'lofted' or 'depressed'")
    lofted = branch == "lofted"
    return in_chunks(
        lambda r, v, h: _fixed_speed(r, v, h, lofted),
        *_floats(range_m, speed_mps, burnout_altitude_m),
    )


def _fixed_speed(rng: FloatArray, v: FloatArray, h: FloatArray, lofted: bool) -> Trajectory:
    ok = _range_ok(rng, h) & np.isfinite(v) & (v > 0)
    with np.errstate(all="ignore"):
        psi, km1, s2 = _geometry(rng, h)
        r0 = EARTH_RADIUS_M + h
        c = MU_EARTH_M3_S2 * 2.0 * s2 * s2 / (r0 * v * v)
        k_minus_cos = km1 + 2.0 * s2 * s2
        m = np.hypot(k_minus_cos, np.sin(psi))
        phi = np.arctan2(np.sin(psi), k_minus_cos)
        x = (2.0 * c - k_minus_cos) / m
        # x = 1 is the maximum range itself; allow its rounding error (the
        # round-trip check below still rejects anything really out of reach).
        ok &= x <= 1.0 + 1e-12
        spread = np.arccos(np.clip(x, -1.0, 1.0))
        g = 0.5 * (phi + spread) if lofted else 0.5 * (phi - spread)
        # From the surface the missile must climb; from altitude it may start downwards.
        ok &= (g < np.pi / 2) & ((g > 0) | (h > 0))
    return _solved(rng, ok, _coast(v, g, h))


def through_apogee(
    range_m: ArrayLike, apogee_m: ArrayLike, burnout_altitude_m: ArrayLike = 0.0
) -> Trajectory:
    """The arc of a given free-flight range whose highest point is ``apogee_m``.

    With ``b0``/``b1`` the angles burnout→apogee and apogee→impact and ``w = 1/e``,
    ``cos b_i = u_i - (u_i - 1) w`` (``u_i = r_apogee / r_i``) and ``b0 + b1 = psi``
    give a quadratic in ``w``; the root whose angles really add up to ``psi`` is
    kept. Any apogee above the burnout point has a solution: low apogees give
    depressed arcs, high ones lofted arcs.

    >>> t = through_apogee(787e3, 2_111e3)  # Hwasong-12, 14 May 2017
    >>> round(float(t.time_s[()]) / 60, 1)
    27.9
    """
    return in_chunks(_through_apogee, *_floats(range_m, apogee_m, burnout_altitude_m))


def _through_apogee(rng: FloatArray, apo: FloatArray, h: FloatArray) -> Trajectory:
    ok = _range_ok(rng, h) & np.isfinite(apo) & (apo > h)
    with np.errstate(all="ignore"):
        psi = rng / EARTH_RADIUS_M
        ra = EARTH_RADIUS_M + apo
        r0 = EARTH_RADIUS_M + h
        u0, u1 = ra / r0, ra / EARTH_RADIUS_M
        d0, d1 = (apo - h) / r0, apo / EARTH_RADIUS_M
        cp, sp = np.cos(psi), np.sin(psi)
        qa = d0 * d0 + d1 * d1 - 2.0 * cp * d0 * d1
        qb = -2.0 * (u0 * d0 + u1 * d1 - cp * (u0 * d1 + u1 * d0))
        qc = u0 * u0 + u1 * u1 - 2.0 * cp * u0 * u1 - sp * sp
        root = np.sqrt(np.maximum(qb * qb - 4.0 * qa * qc, 0.0))
        qq = -0.5 * (qb + np.copysign(root, qb))  # numerically stable roots
        best_w = np.full_like(psi, np.nan)
        best_err = np.full_like(psi, np.inf)
        for w in (qq / qa, qc / qq):
            b0 = np.arccos(np.clip(u0 - d0 * w, -1.0, 1.0))
            b1 = np.arccos(np.clip(u1 - d1 * w, -1.0, 1.0))
            err = np.abs(b0 + b1 - psi)
            err = np.where((w > 1.0) & np.isfinite(err), err, np.inf)
            take = err < best_err
            best_w, best_err = np.where(take, w, best_w), np.where(take, err, best_err)
        ok &= best_err < 1e-6
        e = 1.0 / best_w
        th0 = np.pi - np.arccos(np.clip(u0 - d0 * best_w, -1.0, 1.0))
        g = np.arctan2(e * np.sin(th0), 1.0 + e * np.cos(th0))
        speed = np.sqrt(MU_EARTH_M3_S2 * (2.0 / r0 - (1.0 + e) / ra))
    return _solved(rng, ok, _coast(speed, g, h))


def max_range_m(speed_mps: ArrayLike, burnout_altitude_m: ArrayLike = 0.0) -> FloatArray:
    """Longest free-flight ground range for a burnout speed (the best path angle).

    Closed form from the double root of :func:`fixed_speed`; with burnout at the
    surface it is ``sin(psi/2) = Q / (2 - Q)``. A speed that could go further
    than half way round returns half the circumference; NaN for no speed.

    >>> round(float(max_range_m(min_energy(5_500e3).speed_mps)) / 1e3, 6)
    5500.0
    """
    v, h = _floats(speed_mps, burnout_altitude_m)
    ok = np.isfinite(v + h) & (v > 0) & (h >= 0)
    with np.errstate(all="ignore"):
        r0 = EARTH_RADIUS_M + h
        k = r0 / EARTH_RADIUS_M
        c = MU_EARTH_M3_S2 / (r0 * v * v)
        ok &= c > 0.5  # below escape speed
        # 2c(1 - y) - k + y = sqrt(k^2 + 1 - 2ky) with y = cos(psi), squared:
        m, n = 1.0 - 2.0 * c, 2.0 * c - k
        qa, qb, qc = m * m, 2.0 * (n * m + k), n * n - k * k - 1.0
        root = np.sqrt(np.maximum(qb * qb - 4.0 * qa * qc, 0.0))
        qq = -0.5 * (qb + np.copysign(root, qb))
        y = np.full_like(v, np.inf)
        for cand in (qq / qa, qc / qq):
            real = (np.abs(cand) <= 1.0) & (n + m * cand >= 0)
            # The trivial root y = 1 (zero range) of the surface case is not the maximum.
            real &= (cand < 1.0) | (h > 0)
            y = np.where(real & (cand < y), cand, y)
        psi = np.where(np.isfinite(y), np.arccos(np.clip(y, -1.0, 1.0)), np.pi)
    return np.where(ok, psi * EARTH_RADIUS_M, np.nan)
