"""Tier 1: Kepler arcs over the rotating Earth (reachmap.flight.rotating).

The independent reference is a numerical integration of the two-body problem in
the inertial frame (scipy DOP853) from the computed burnout state, with the
Earth turning underneath: the integrated impact, turned back into the
Earth-fixed frame at the integrated impact time, must be the target (or the
computed impact point).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from reachmap.errors import InputError
from reachmap.flight import kepler
from reachmap.flight.boost import NO_BOOST, BoostModel
from reachmap.flight.kepler import EARTH_RADIUS_M, MU_EARTH_M3_S2
from reachmap.flight.rotating import (
    OMEGA_EARTH_RAD_S,
    RotatingSpec,
    rotating_impact,
    rotating_max_range_m,
    solve_rotating,
)

KM = 1e3
V_5500 = float(kepler.min_energy(5_500 * KM).speed_mps)  # min-energy speed of 5,500 km
V_5500_BOOST = float(kepler.min_energy(5_300 * KM, 150 * KM).speed_mps)
BOOST = BoostModel(140.0, 150 * KM, 200 * KM, "test: 140 s burn, burnout at 150 km, 200 km")


def _unit(lon_deg: float, lat_deg: float) -> np.ndarray:
    lat, lon = math.radians(lat_deg), math.radians(lon_deg)
    return np.array([math.cos(lat) * math.cos(lon), math.cos(lat) * math.sin(lon), math.sin(lat)])


def _fixed_from_inertial(r: np.ndarray, t: float) -> np.ndarray:
    a = -OMEGA_EARTH_RAD_S * t
    return np.array(
        [math.cos(a) * r[0] - math.sin(a) * r[1], math.sin(a) * r[0] + math.cos(a) * r[1], r[2]]
    )


def _integrate(r0: np.ndarray, v0: np.ndarray, t0: float) -> tuple[float, np.ndarray]:
    """Inertial two-body flight from (r0, v0) at t0 to r = R; Earth-fixed impact unit vector."""

    def rhs(_t: float, y: np.ndarray) -> np.ndarray:
        r = y[:3]
        return np.concatenate([y[3:], -MU_EARTH_M3_S2 * r / np.linalg.norm(r) ** 3])

    def ground(_t: float, y: np.ndarray) -> float:
        return float(np.linalg.norm(y[:3])) - EARTH_RADIUS_M

    ground.terminal, ground.direction = True, -1  # type: ignore[attr-defined]
    sol = solve_ivp(
        rhs,
        (t0, t0 + 1e5),
        np.concatenate([r0, v0]),
        method="DOP853",
        rtol=1e-12,
        atol=1e-6,
        events=ground,
    )
    t = float(sol.t_events[0][0])
    impact = _fixed_from_inertial(sol.y_events[0][0][:3], t)
    return t, impact / np.linalg.norm(impact)


ROUTES = {
    "Kapustin Yar -> Dnipro (west)": RotatingSpec(45.7, 48.6, 35.05, 48.46),
    "Krychaw -> London (west)": RotatingSpec(31.7, 53.7, -0.13, 51.5),
    "Krychaw -> Novosibirsk (east)": RotatingSpec(31.7, 53.7, 82.92, 55.03),
    "equator -> south-east": RotatingSpec(20.0, 0.0, 60.0, -30.0),
    "over the pole": RotatingSpec(30.0, 70.0, -150.0, 65.0),
}
CASES = [
    ("min-energy", None, "lofted", NO_BOOST),
    ("lofted", V_5500, "lofted", NO_BOOST),
    ("depressed", V_5500, "depressed", NO_BOOST),
    ("min-energy, boost", None, "lofted", BOOST),
    ("lofted, boost", V_5500_BOOST, "lofted", BOOST),
    ("depressed, boost", V_5500_BOOST, "depressed", BOOST),
]


@pytest.mark.parametrize(
    ("route", "label", "speed", "branch", "boost"),
    [(route, *case) for route in ROUTES for case in CASES],
)
def test_solution_lands_on_the_target_by_integration(
    route: str, label: str, speed: float | None, branch: str, boost: BoostModel
) -> None:
    spec = ROUTES[route]
    sol = solve_rotating(spec, speed_mps=speed, branch=branch, boost=boost)  # type: ignore[arg-type]
    assert sol.valid, (route, label)
    t, impact = _integrate(sol.burnout_position_m, sol.burnout_velocity_mps, sol.boost_time_s)
    target = _unit(spec.target_lon_deg, spec.target_lat_deg)
    # 1 m on the ground and 10 ms: far below reporting precision (km, s), far above
    # the integrator's error (~mm at rtol 1e-12).
    assert np.linalg.norm(impact - target) * EARTH_RADIUS_M < 1.0
    assert t == pytest.approx(sol.time_s, abs=0.01)
    if speed is not None:  # the arc flies at the requested Earth-relative burnout speed
        assert sol.speed_mps == pytest.approx(speed, rel=1e-9)


def test_forward_impact_matches_integration() -> None:
    lon, lat, az, gamma = 30.0, 54.0, 60.0, 0.6
    arc = rotating_impact(lon, lat, az, V_5500, gamma, boost=BOOST)
    # Rebuild the burnout state independently: boost along the great circle at azimuth az.
    p = _unit(lon, lat)
    east = np.cross([0.0, 0.0, 1.0], p)
    east /= np.linalg.norm(east)
    north = np.cross(p, east)
    d = math.cos(math.radians(az)) * north + math.sin(math.radians(az)) * east
    delta = BOOST.burnout_downrange_m / EARTH_RADIUS_M
    b = math.cos(delta) * p + math.sin(delta) * d
    heading = -math.sin(delta) * p + math.cos(delta) * d
    v_rel = V_5500 * (math.cos(gamma) * heading + math.sin(gamma) * b)
    turn = OMEGA_EARTH_RAD_S * BOOST.burn_time_s
    rot = np.array(
        [[math.cos(turn), -math.sin(turn), 0], [math.sin(turn), math.cos(turn), 0], [0, 0, 1]]
    )
    r0 = (EARTH_RADIUS_M + BOOST.burnout_altitude_m) * rot @ b
    v0 = rot @ v_rel + np.cross([0.0, 0.0, OMEGA_EARTH_RAD_S], r0)
    t, impact = _integrate(r0, v0, BOOST.burn_time_s)
    expected = _unit(float(arc.impact_lon_deg), float(arc.impact_lat_deg))
    assert np.linalg.norm(impact - expected) * EARTH_RADIUS_M < 1.0  # 1 m, as above
    assert t == pytest.approx(float(arc.time_s), abs=0.01)
    ground = math.acos(float(np.clip(impact @ p, -1, 1))) * EARTH_RADIUS_M
    assert ground == pytest.approx(float(arc.range_m), abs=1.0)


def test_east_and_west_ranges_differ_by_about_five_per_cent_at_54n() -> None:
    # DESIGN.md: launch azimuth changes range by about ±5 % at 54° N for a 5,500 km system.
    east, west = rotating_max_range_m(54.0, [90.0, 270.0], V_5500) / (5_500 * KM) - 1
    assert 0.03 < east < 0.07
    assert -0.07 < west < -0.03


def test_rotation_helps_less_at_high_latitude_and_north_is_in_between() -> None:
    ranges = rotating_max_range_m([0.0, 54.0, 80.0], 90.0, V_5500)
    assert ranges[0] > ranges[1] > ranges[2] > 5_500 * KM
    north = float(rotating_max_range_m(54.0, 0.0, V_5500))
    east, west = rotating_max_range_m(54.0, [90.0, 270.0], V_5500)
    assert west < north < east


def test_north_and_south_from_the_equator_are_mirror_images() -> None:
    north, south = rotating_max_range_m(0.0, [0.0, 180.0], V_5500)
    assert north == pytest.approx(south, abs=1e-3)  # 1 mm: float rounding only


def test_min_energy_is_the_slowest_burnout_speed() -> None:
    spec = ROUTES["Krychaw -> London (west)"]
    mine = solve_rotating(spec)
    assert mine.valid
    lower = solve_rotating(spec, speed_mps=mine.speed_mps * 0.999, branch="lofted")
    assert not lower.valid
    for branch in ("lofted", "depressed"):
        other = solve_rotating(spec, speed_mps=mine.speed_mps * 1.01, branch=branch)
        assert other.valid
    lofted = solve_rotating(spec, speed_mps=mine.speed_mps * 1.01, branch="lofted")
    depressed = solve_rotating(spec, speed_mps=mine.speed_mps * 1.01, branch="depressed")
    assert lofted.time_s > mine.time_s > depressed.time_s


def test_rotation_changes_times_only_slightly_on_short_routes() -> None:
    # 784 km west-bound: a few seconds, not minutes, against the non-rotating arc.
    spec = ROUTES["Kapustin Yar -> Dnipro (west)"]
    sol = solve_rotating(spec)
    still = kepler.min_energy(sol.distance_m)
    assert abs(sol.time_s - float(still.time_s)) < 10.0


def test_degenerate_routes_are_invalid() -> None:
    assert not solve_rotating(RotatingSpec(20.0, 10.0, 20.0, 10.0)).valid  # same point
    assert not solve_rotating(RotatingSpec(20.0, 10.0, -160.0, -10.0)).valid  # antipode
    short = RotatingSpec(45.7, 48.6, 46.7, 48.6)  # 74 km, inside a 200 km boost
    assert not solve_rotating(short, boost=BOOST).valid


def test_bad_spec_is_a_configuration_error() -> None:
    with pytest.raises(InputError, match="launch_lat 91.0 is outside -90..90"):
        RotatingSpec(0.0, 91.0, 0.0, 0.0)
    with pytest.raises(InputError, match="target_lon 541.0 is outside"):
        RotatingSpec(0.0, 0.0, 541.0, 0.0)
    with pytest.raises(InputError, match="'lofted' or 'depressed'"):
        solve_rotating(ROUTES["equator -> south-east"], branch="up")  # type: ignore[arg-type]


def test_launch_azimuth_matches_pyproj_on_the_same_sphere() -> None:
    from pyproj import Geod

    sphere = Geod(a=EARTH_RADIUS_M, b=EARTH_RADIUS_M)
    for spec in ROUTES.values():  # (lon, lat) first, as pyproj's Geod.inv
        azimuth, _, _ = sphere.inv(
            spec.launch_lon_deg, spec.launch_lat_deg, spec.target_lon_deg, spec.target_lat_deg
        )
        assert spec.azimuth_deg() == pytest.approx(azimuth, abs=1e-9)  # float rounding only
