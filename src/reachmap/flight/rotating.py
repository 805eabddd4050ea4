"""Tier 1 ballistic flight: the Kepler arc in inertial space over a rotating spherical Earth.

The free flight is the same two-body arc as in :mod:`reachmap.flight.kepler`, but it is
flown in an inertial frame while the Earth turns underneath at
``OMEGA_EARTH_RAD_S``. Two consequences the non-rotating model misses:

* a burnout speed measured relative to the ground gets the ground's own
  eastward speed ``omega R cos(lat)`` added (465 m/s at the equator, 273 m/s at
  54° N), so east-bound flights reach further than west-bound ones;
* the target moves during the flight (about 0.25° of longitude per minute).

The inertial frame coincides with the Earth-fixed frame at launch (t = 0),
z along the rotation axis; positions on the sphere come from geocentric
longitude/latitude in degrees (longitude first, as pyproj and shapely). The boost
phase, if any, is a :class:`~reachmap.flight.boost.BoostModel`: a fixed burn time,
burnout altitude and downrange along the launch azimuth, flown in the Earth-fixed
frame.

:func:`rotating_impact` (forward, vectorised) says where an Earth-relative
burnout state comes down; :func:`solve_rotating` (one route at a time) finds the
arc from a launch point that lands on a target.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from reachmap.errors import InputError
from reachmap.flight import kepler
from reachmap.flight.boost import NO_BOOST, BoostModel
from reachmap.flight.kepler import EARTH_RADIUS_M, MU_EARTH_M3_S2, FloatArray
from reachmap.numeric import JsonFields, golden_section

__all__ = [
    "OMEGA_EARTH_RAD_S",
    "RotatingArc",
    "RotatingSolution",
    "RotatingSpec",
    "rotating_impact",
    "rotating_max_range_m",
    "solve_rotating",
]

#: Earth's mean angular velocity (IERS Conventions 2010, Table 1.1), rad/s.
OMEGA_EARTH_RAD_S = 7.2921159e-5

_Z = np.array([0.0, 0.0, 1.0])
_TOO_FAST = 1e9  # m/s; stands for "no arc" inside the flight-time searches
_TOO_LONG_S = 1e9  # s; stands for "no arc" inside the path-angle search


@dataclass(frozen=True)
class RotatingSpec:
    """A launch point and a target, (longitude, latitude) in degrees, for the rotating Earth."""

    launch_lon_deg: float
    launch_lat_deg: float
    target_lon_deg: float
    target_lat_deg: float

    def __post_init__(self) -> None:
        for name in ("launch_lat_deg", "target_lat_deg"):
            value = getattr(self, name)
            if not (math.isfinite(value) and -90.0 <= value <= 90.0):
                raise InputError(f"{name[:-4]} {value} is outside -90..90 degrees")
        for name in ("launch_lon_deg", "target_lon_deg"):
            value = getattr(self, name)
            if not (math.isfinite(value) and -540.0 <= value <= 540.0):
                raise InputError(f"{name[:-4]} {value} is outside -180..180 degrees")

    def azimuth_deg(self) -> float:
        """Initial great-circle azimuth launch → target on the sphere, degrees from north.

        >>> round(RotatingSpec(45.7, 48.6, 35.05, 48.46).azimuth_deg(), 2)
        -87.14
        """
        lat1, lat2 = math.radians(self.launch_lat_deg), math.radians(self.target_lat_deg)
        dlon = math.radians(self.target_lon_deg - self.launch_lon_deg)
        return math.degrees(
            math.atan2(
                math.sin(dlon) * math.cos(lat2),
                math.cos(lat1) * math.sin(lat2) - math.sin(lat1) * math.cos(lat2) * math.cos(dlon),
            )
        )


def _unit(lon_deg: ArrayLike, lat_deg: ArrayLike) -> FloatArray:
    lon, lat = np.radians(lon_deg), np.radians(lat_deg)
    return np.stack(
        np.broadcast_arrays(np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)),
        axis=-1,
    )


def _east_north(u: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Local east and north unit vectors at unit position ``u`` (north pole: along x/y)."""
    east = np.cross(_Z, u)
    norm = np.linalg.norm(east, axis=-1, keepdims=True)
    east = np.where(norm > 1e-15, east / np.where(norm > 0, norm, 1.0), np.array([0.0, 1.0, 0.0]))
    return east, np.cross(u, east)


def _rot_z(v: FloatArray, angle: ArrayLike) -> FloatArray:
    c, s = np.cos(angle), np.sin(angle)
    x, y, z = v[..., 0], v[..., 1], v[..., 2]
    return np.stack(np.broadcast_arrays(c * x - s * y, s * x + c * y, z), axis=-1)


def _dot(a: FloatArray, b: FloatArray) -> FloatArray:
    return np.einsum("...i,...i->...", a, b)


def _angle(a: FloatArray, b: FloatArray) -> FloatArray:
    return np.arctan2(np.linalg.norm(np.cross(a, b), axis=-1), _dot(a, b))


def _lon_lat_deg(u: FloatArray) -> tuple[FloatArray, FloatArray]:
    return (
        np.degrees(np.arctan2(u[..., 1], u[..., 0])),
        np.degrees(np.arctan2(u[..., 2], np.hypot(u[..., 0], u[..., 1]))),
    )


@dataclass(frozen=True)
class RotatingArc(JsonFields):
    """Forward result per element: impact point, Earth-fixed ground range and times."""

    range_m: FloatArray
    impact_lon_deg: FloatArray
    impact_lat_deg: FloatArray
    time_s: FloatArray
    free_flight_time_s: FloatArray
    valid: NDArray[np.bool_]


def _burnout_state(
    launch: FloatArray,
    direction: FloatArray,
    speed_mps: ArrayLike,
    gamma_rad: ArrayLike,
    boost: BoostModel,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Inertial position and velocity at burnout, and the Earth-fixed burnout unit vector.

    ``direction`` is the unit tangent of the boost's great circle at the launch point.
    """
    delta = boost.burnout_downrange_m / EARTH_RADIUS_M
    b_fixed = math.cos(delta) * launch + math.sin(delta) * direction
    heading = -math.sin(delta) * launch + math.cos(delta) * direction
    g = np.asarray(gamma_rad)[..., None]
    v_rel = np.asarray(speed_mps)[..., None] * (np.cos(g) * heading + np.sin(g) * b_fixed)
    turn = OMEGA_EARTH_RAD_S * boost.burn_time_s
    r_i = (EARTH_RADIUS_M + boost.burnout_altitude_m) * _rot_z(b_fixed, turn)
    v_i = _rot_z(v_rel, turn) + OMEGA_EARTH_RAD_S * np.cross(_Z, r_i)
    return r_i, v_i, b_fixed


def rotating_impact(
    lon_deg: ArrayLike,
    lat_deg: ArrayLike,
    azimuth_deg: ArrayLike,
    speed_mps: ArrayLike,
    gamma_rad: ArrayLike,
    *,
    boost: BoostModel = NO_BOOST,
) -> RotatingArc:
    """Where an arc with an Earth-relative burnout speed and path angle comes down.

    The launch point is (``lon_deg``, ``lat_deg``); ``speed_mps`` and
    ``gamma_rad`` are relative to the ground at burnout, after ``boost``;
    ``azimuth_deg`` is the launch (boost) direction, clockwise from north.
    ``range_m`` is the great-circle distance on the sphere from the launch point
    to the impact point, both Earth-fixed.

    >>> east = rotating_impact(30.0, 54.0, 90.0, 6075.24, 0.5696)
    >>> west = rotating_impact(30.0, 54.0, 270.0, 6075.24, 0.5696)
    >>> round(float(east.range_m[()]) / 1e3), round(float(west.range_m[()]) / 1e3)
    (5789, 5245)
    """
    lon, lat, az, v, g = np.broadcast_arrays(
        *(
            np.asarray(x, dtype=np.float64)
            for x in (lon_deg, lat_deg, azimuth_deg, speed_mps, gamma_rad)
        )
    )
    launch = _unit(lon, lat)
    east, north = _east_north(launch)
    a = np.radians(az)[..., None]
    direction = np.cos(a) * north + np.sin(a) * east
    with np.errstate(all="ignore"):
        r_i, v_i, _ = _burnout_state(launch, direction, v, g, boost)
        r_hat = r_i / np.linalg.norm(r_i, axis=-1, keepdims=True)
        speed_i = np.linalg.norm(v_i, axis=-1)
        radial = _dot(v_i, r_hat)
        gamma_i = np.arcsin(np.clip(radial / speed_i, -1.0, 1.0))
        arc = kepler.coast(speed_i, gamma_i, boost.burnout_altitude_m)
        horiz = v_i - radial[..., None] * r_hat
        horiz = horiz / np.linalg.norm(horiz, axis=-1, keepdims=True)
        psi = (arc.range_m / EARTH_RADIUS_M)[..., None]
        impact_i = np.cos(psi) * r_hat + np.sin(psi) * horiz
        total = boost.burn_time_s + arc.time_s
        impact = _rot_z(impact_i, -OMEGA_EARTH_RAD_S * total)
        ilon, ilat = _lon_lat_deg(impact)
        ground = EARTH_RADIUS_M * _angle(launch, impact)
    ok = arc.valid & np.isfinite(ground)
    nan = np.nan
    return RotatingArc(
        range_m=np.where(ok, ground, nan),
        impact_lon_deg=np.where(ok, ilon, nan),
        impact_lat_deg=np.where(ok, ilat, nan),
        time_s=np.where(ok, total, nan),
        free_flight_time_s=np.where(ok, arc.time_s, nan),
        valid=ok,
    )


def rotating_max_range_m(
    lat_deg: ArrayLike,
    azimuth_deg: ArrayLike,
    speed_mps: ArrayLike,
    *,
    boost: BoostModel = NO_BOOST,
) -> FloatArray:
    """Longest Earth-fixed ground range for an Earth-relative burnout speed and azimuth.

    Maximises :func:`rotating_impact` over the path angle by a vectorised
    golden-section search (:func:`reachmap.numeric.golden_section`, 81 steps: the
    bracket shrinks below 1e-16 rad). Longitude does not matter.

    >>> v = float(kepler.min_energy(5_500e3).speed_mps)
    >>> e, w = rotating_max_range_m(54.0, [90.0, 270.0], v) / 5_500e3 - 1
    >>> round(float(e) * 100, 1), round(float(w) * 100, 1)
    (5.6, -4.4)
    """
    lat, az, v = np.broadcast_arrays(
        *(np.asarray(x, dtype=np.float64) for x in (lat_deg, azimuth_deg, speed_mps))
    )

    def shortfall(g: FloatArray) -> FloatArray:  # minus the range; +inf where no arc
        r = rotating_impact(0.0, lat, az, v, g, boost=boost).range_m
        return -np.where(np.isfinite(r), r, -np.inf)

    lo = np.full(lat.shape, 1e-6 if boost.burnout_altitude_m == 0 else -0.5)
    hi = np.full(lat.shape, np.pi / 2 - 1e-6)
    best = -golden_section(shortfall, lo, hi, 81).fx
    return np.where(np.isfinite(best), best, np.nan)


@dataclass(frozen=True)
class RotatingSolution(JsonFields):
    """One arc from a launch point onto a target over the rotating Earth.

    ``speed_mps``, ``gamma_rad`` and ``azimuth_deg`` are Earth-relative at
    burnout; ``inertial_*`` in the inertial frame. ``burnout_position_m`` and
    ``burnout_velocity_mps`` are the inertial state at ``boost_time_s`` (for
    checks by numerical integration); ``distance_m`` is the great-circle
    distance launch–target on the sphere.
    """

    valid: bool
    time_s: float
    free_flight_time_s: float
    boost_time_s: float
    distance_m: float
    speed_mps: float
    gamma_rad: float
    azimuth_deg: float
    inertial_speed_mps: float
    inertial_gamma_rad: float
    apogee_m: float
    burnout_position_m: FloatArray = field(repr=False)
    burnout_velocity_mps: FloatArray = field(repr=False)


def _invalid(distance_m: float, burn_time_s: float) -> RotatingSolution:
    nan = math.nan
    vec = np.full(3, np.nan)
    return RotatingSolution(
        False, nan, nan, burn_time_s, distance_m, nan, nan, nan, nan, nan, nan, vec, vec
    )


class _Aim:
    """Arcs from one burnout point onto one target that turns with the Earth.

    An arc is labelled by its free-flight time ``tau``: the target's inertial
    position at impact then fixes the inertial range angle and plane, and the
    path angle follows from Lambert's problem (for a fixed range angle the
    flight time grows monotonically with the path angle, so Brent's method on
    the path angle is safe).
    """

    def __init__(self, spec: RotatingSpec, boost: BoostModel):
        launch = _unit(spec.launch_lon_deg, spec.launch_lat_deg)
        self.target = _unit(spec.target_lon_deg, spec.target_lat_deg)
        self.angle = float(_angle(launch, self.target))
        toward = self.target - math.cos(self.angle) * launch
        with np.errstate(invalid="ignore", divide="ignore"):  # same point or antipode: NaN
            toward /= np.linalg.norm(toward)
        self.burn_time_s, self.h = boost.burn_time_s, boost.burnout_altitude_m
        self.r_i, _, self.b_fixed = _burnout_state(launch, toward, 0.0, 0.0, boost)
        self.b_hat = self.r_i / np.linalg.norm(self.r_i)
        self.ground_velocity = OMEGA_EARTH_RAD_S * np.cross(_Z, self.r_i)

    def _time(self, psi: float, g: float) -> float:
        """Flight time over range angle psi at path angle g; +inf where no arc exists."""
        v = kepler.speed_for(psi * EARTH_RADIUS_M, g, self.h)
        arc = kepler.coast(v, g, self.h)
        # The arc must end at the target on its first descent, not after a perigee.
        # (0.6 m: only wrong-branch arcs, which miss by far more, are to be rejected here).
        if not abs(float(arc.range_m) / EARTH_RADIUS_M - psi) <= 1e-7:
            return math.inf
        return float(arc.time_s)

    def arc(self, tau: float) -> tuple[float, FloatArray]:
        """Inertial path angle and burnout velocity of the arc of free-flight time tau."""
        fail = (math.nan, np.full(3, np.nan))
        t_i = _rot_z(self.target, OMEGA_EARTH_RAD_S * (self.burn_time_s + tau))
        psi = float(_angle(self.b_hat, t_i))
        horiz = t_i - float(_dot(t_i, self.b_hat)) * self.b_hat
        horiz /= np.linalg.norm(horiz)
        g_lo, g_hi = self._bounds(psi)
        f_lo, f_hi = self._time(psi, g_lo) - tau, self._time(psi, g_hi) - tau
        if not (f_lo < 0 < f_hi) or not 0 < psi < math.pi or math.isnan(g_hi):
            return fail
        from scipy.optimize import brentq  # scipy loads in ~0.3 s: only rotating runs pay

        g = float(
            brentq(
                lambda x: min(self._time(psi, x), _TOO_LONG_S) - tau,
                g_lo,
                g_hi,
                xtol=1e-15,
                rtol=1e-15,
            )
        )
        v = float(kepler.speed_for(psi * EARTH_RADIUS_M, g, self.h))
        return g, v * (math.cos(g) * horiz + math.sin(g) * self.b_hat)

    def relative_speed(self, tau: float) -> float:
        """Earth-relative burnout speed of the arc of free-flight time tau.

        Times no arc can take count as "too fast", so the searches stay finite.
        """
        g, vel = self.arc(tau)
        if math.isnan(g):
            return _TOO_FAST
        return float(np.linalg.norm(vel - self.ground_velocity))

    def _bounds(self, psi: float) -> tuple[float, float]:
        """Path angles of the arcs over psi at 99 % of the escape speed (depressed, lofted).

        Between them the flight time grows monotonically with the path angle,
        from a fast near-straight shot to an arc lasting days; from the surface
        the depressed bound is kept above 1e-4 rad, where grazing arcs become
        ill-conditioned (and need orbital speed anyway).
        """
        fast = 0.99 * math.sqrt(2.0 * MU_EARTH_M3_S2 / (EARTH_RADIUS_M + self.h))
        rng = psi * EARTH_RADIUS_M
        lo = float(kepler.fixed_speed(rng, fast, "depressed", self.h).gamma_rad)
        hi = float(kepler.fixed_speed(rng, fast, "lofted", self.h).gamma_rad)
        if self.h == 0 or math.isnan(lo):
            lo = max(1e-4, lo) if not math.isnan(lo) else 1e-4
        return lo, hi


def solve_rotating(
    spec: RotatingSpec,
    *,
    speed_mps: float | None = None,
    branch: kepler.Branch = "lofted",
    boost: BoostModel = NO_BOOST,
) -> RotatingSolution:
    """The arc from ``spec``'s launch point that lands on its (moving) target.

    With ``speed_mps=None`` it is the minimum-energy arc: the least
    Earth-relative burnout speed that reaches the target. With a speed it is
    the ``branch`` ("lofted" or "depressed") arc flown at that Earth-relative
    burnout speed; ``valid`` is False if the speed cannot reach the target.

    The ``boost`` runs along the great circle from launch to target. Arcs are
    searched by free-flight time (see ``_Aim``): the minimum-energy time by a
    bounded scalar minimisation around the non-rotating one, the lofted and
    depressed times by Brent's method on a bracket grown from it.

    >>> sol = solve_rotating(RotatingSpec(45.7, 48.6, 35.05, 48.46))
    >>> round(sol.time_s / 60, 2), round(sol.distance_m / 1e3)
    (6.91, 784)
    """
    if branch not in ("lofted", "depressed"):
        raise InputError(f"unknown branch {branch!r}; use 'lofted' or 'depressed'")
    aim = _Aim(spec, boost)
    distance_m = aim.angle * EARTH_RADIUS_M
    invalid = _invalid(distance_m, boost.burn_time_s)
    if not 0.0 < aim.angle < math.pi - 1e-9 or boost.burnout_downrange_m >= distance_m:
        return invalid
    still = kepler.min_energy(distance_m - boost.burnout_downrange_m, boost.burnout_altitude_m)
    if not bool(still.valid):
        return invalid
    t_me = float(still.time_s)
    from scipy.optimize import minimize_scalar  # ~0.3 s to load: only rotating runs pay

    best = minimize_scalar(
        aim.relative_speed,
        bounds=(0.5 * t_me, 2.0 * t_me),
        method="bounded",
        options={"xatol": 1e-9},
    )
    if not best.fun < _TOO_FAST:
        return invalid
    tau = float(best.x)
    if speed_mps is not None:
        tau = _branch_time(aim, speed_mps, tau, longer=branch == "lofted")
        if math.isnan(tau):
            return invalid
    g, vel = aim.arc(tau)
    if math.isnan(g):
        return invalid
    turn_back = -OMEGA_EARTH_RAD_S * boost.burn_time_s
    v_rel = _rot_z(vel - aim.ground_velocity, turn_back)  # Earth-fixed
    speed_rel = float(np.linalg.norm(v_rel))
    east, north = _east_north(aim.b_fixed)
    azimuth = math.degrees(math.atan2(float(_dot(v_rel, east)), float(_dot(v_rel, north))))
    speed_i = float(np.linalg.norm(vel))
    return RotatingSolution(
        valid=True,
        time_s=boost.burn_time_s + tau,
        free_flight_time_s=tau,
        boost_time_s=boost.burn_time_s,
        distance_m=distance_m,
        speed_mps=speed_rel,
        gamma_rad=math.asin(float(_dot(v_rel, aim.b_fixed)) / speed_rel),
        azimuth_deg=azimuth % 360.0,
        inertial_speed_mps=speed_i,
        inertial_gamma_rad=g,
        apogee_m=float(kepler.coast(speed_i, g, boost.burnout_altitude_m).apogee_m),
        burnout_position_m=aim.r_i,
        burnout_velocity_mps=vel,
    )


def _branch_time(aim: _Aim, speed_mps: float, tau_star: float, *, longer: bool) -> float:
    """Free-flight time on one side of the minimum-energy time whose arc flies at ``speed_mps``.

    The bracket grows geometrically from ``tau_star`` (longer: lofted; shorter:
    depressed) until the arc needs more than ``speed_mps``; NaN if it never does.
    """
    if aim.relative_speed(tau_star) > speed_mps:
        return math.nan
    inner, outer = tau_star, tau_star
    for _ in range(60):
        outer = outer * 1.5 if longer else outer / 1.5
        if aim.relative_speed(outer) > speed_mps:
            from scipy.optimize import brentq

            lo, hi = sorted((inner, outer))
            return float(
                brentq(lambda t: aim.relative_speed(t) - speed_mps, lo, hi, xtol=1e-9, rtol=1e-15)
            )
        inner = outer
    return math.nan
