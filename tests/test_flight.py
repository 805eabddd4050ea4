"""Tier 0 Kepler free flight (reachmap.flight.kepler) against outside references.

References: the published flight-time checks (REFERENCE.md / DESIGN.md "Flight
physics"), the textbook closed forms written out independently here, and a
numerical integration of the two-body problem (scipy's DOP853), which shares no
code with the Kepler-equation solution.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import solve_ivp

from reachmap.errors import InputError
from reachmap.flight import kepler
from reachmap.flight.kepler import EARTH_RADIUS_M, HALF_CIRCUMFERENCE_M, MU_EARTH_M3_S2

KM = 1e3
MINUTE = 60.0

# REFERENCE.md "Flight-time checks" (free flight, burnout at the surface, R = 6,371 km):
# ground range km, minutes (printed to 0.1 min), apogee km (printed to 1 km).
MIN_ENERGY_REFERENCE = [
    (1_000, 7.9, 240),
    (2_000, 11.7, 459),
    (5_500, 21.9, 1_041),
    (10_000, 32.2, 1_319),
]


@pytest.mark.parametrize(("range_km", "minutes", "apogee_km"), MIN_ENERGY_REFERENCE)
def test_min_energy_reference_points(range_km: float, minutes: float, apogee_km: float) -> None:
    t = kepler.min_energy(range_km * KM)
    assert bool(t.valid)
    # The references are rounded to 0.1 min and 1 km: half a unit of the last digit.
    assert float(t.time_s) == pytest.approx(minutes * MINUTE, abs=0.05 * MINUTE)
    assert float(t.apogee_m) == pytest.approx(apogee_km * KM, abs=0.5 * KM)


def test_hwasong12_lofted_reference() -> None:
    # 14 May 2017: 787 km ground range, 2,111 km apogee -> 27.9 min of free flight.
    t = kepler.through_apogee(787 * KM, 2_111 * KM)
    assert float(t.time_s) == pytest.approx(27.9 * MINUTE, abs=0.05 * MINUTE)
    assert float(t.apogee_m) == pytest.approx(2_111 * KM, abs=1e-3)  # the apogee we asked for


def test_kapustin_yar_dnipro_min_energy_is_about_seven_minutes() -> None:
    # REFERENCE.md: ~790 km, minimum energy "≈ 7 min" of free flight (one significant digit).
    t = kepler.min_energy(790 * KM)
    assert float(t.time_s) == pytest.approx(7 * MINUTE, abs=0.5 * MINUTE)


# --- textbook closed forms, written out independently ------------------------------


@pytest.mark.parametrize("range_km", [10, 300, 1_000, 5_500, 12_000, 19_000])
def test_min_energy_matches_textbook_closed_form(range_km: float) -> None:
    psi = range_km * KM / EARTH_RADIUS_M
    q = 2 * math.sin(psi / 2) / (1 + math.sin(psi / 2))
    t = kepler.min_energy(range_km * KM)
    assert float(t.gamma_rad) == pytest.approx((math.pi - psi) / 4, abs=1e-12)
    # Speeds agree to float rounding (1e-12 relative is ~6 nm/s).
    assert float(t.speed_mps) == pytest.approx(
        math.sqrt(q * MU_EARTH_M3_S2 / EARTH_RADIUS_M), rel=1e-12
    )


def test_min_energy_burnout_matches_min_energy() -> None:
    # The closed form without the forward check (used by the range-scaled boost) gives the
    # same speed and angle as min_energy, from the surface and from altitude: float rounding.
    ranges = np.geomspace(1.0, 19_900 * KM, 2_001)
    heights = np.linspace(0.0, 800 * KM, ranges.size)
    speed, cos_g, sin_g = kepler.min_energy_burnout(ranges, heights)
    arc = kepler.min_energy(ranges, heights)
    assert arc.valid.all()
    np.testing.assert_allclose(speed, arc.speed_mps, rtol=1e-13)
    np.testing.assert_allclose(np.arctan2(sin_g, cos_g), arc.gamma_rad, rtol=0, atol=1e-13)
    np.testing.assert_allclose(cos_g**2 + sin_g**2, 1.0, rtol=1e-14)
    bad = kepler.min_energy_burnout(
        [-1.0, math.nan, HALF_CIRCUMFERENCE_M, 1_000 * KM], [0, 0, 0, -1]
    )
    assert all(np.isnan(x).all() for x in bad)


@pytest.mark.parametrize(
    "make",
    [
        lambda: kepler.min_energy([800 * KM, 5_500 * KM]),
        lambda: kepler.fixed_speed([800 * KM, 3_000 * KM], 6_000.0, "lofted"),
        lambda: kepler.fixed_speed([800 * KM, 3_000 * KM], 6_000.0, "depressed"),
        lambda: kepler.through_apogee([787 * KM, 3_000 * KM], 2_111 * KM),
    ],
)
def test_range_equation_round_trip(make: object) -> None:
    t = make()  # type: ignore[operator]
    q = t.speed_mps**2 * EARTH_RADIUS_M / MU_EARTH_M3_S2
    s, c = np.sin(t.gamma_rad), np.cos(t.gamma_rad)
    psi = 2 * np.arctan2(q * s * c, 1 - q * c * c)  # tan(psi/2) = Q s c / (1 - Q c^2)
    # 1e-9 rad is 6 mm on the ground: float rounding, not model error.
    np.testing.assert_allclose(psi, t.range_m / EARTH_RADIUS_M, rtol=0, atol=1e-9)


# --- independent numerical integration -----------------------------------------------


def _integrate(speed: float, gamma: float, h: float) -> dict[str, float]:
    """Two-body flight in the orbit plane from burnout (0, R + h) until r = R on the way down."""
    r0 = EARTH_RADIUS_M + h
    y0 = [0.0, r0, speed * math.cos(gamma), speed * math.sin(gamma)]

    def rhs(_t: float, y: np.ndarray) -> list[float]:
        r3 = math.hypot(y[0], y[1]) ** 3
        return [y[2], y[3], -MU_EARTH_M3_S2 * y[0] / r3, -MU_EARTH_M3_S2 * y[1] / r3]

    def ground(_t: float, y: np.ndarray) -> float:
        return math.hypot(y[0], y[1]) - EARTH_RADIUS_M

    def apex(_t: float, y: np.ndarray) -> float:
        return y[0] * y[2] + y[1] * y[3]  # r . v = 0 at apogee

    ground.terminal, ground.direction = True, -1  # type: ignore[attr-defined]
    apex.direction = -1  # type: ignore[attr-defined]
    sol = solve_ivp(
        rhs, (0, 1e5), y0, method="DOP853", rtol=1e-12, atol=1e-6, events=(ground, apex)
    )
    yy = sol.y.T

    def energy(y: np.ndarray) -> float:
        return 0.5 * (y[2] ** 2 + y[3] ** 2) - MU_EARTH_M3_S2 / math.hypot(y[0], y[1])

    def momentum(y: np.ndarray) -> float:
        return y[0] * y[3] - y[1] * y[2]

    impact = sol.y_events[0][0]
    apogee_r = math.hypot(*sol.y_events[1][0][:2]) if len(sol.t_events[1]) else r0
    return {
        "time_s": float(sol.t_events[0][0]),
        "range_m": math.atan2(impact[0], impact[1]) * EARTH_RADIUS_M,
        "apogee_m": apogee_r - EARTH_RADIUS_M,
        "energy_drift": max(abs(energy(y) / energy(y0) - 1) for y in yy),
        "momentum_drift": max(abs(momentum(y) / momentum(y0) - 1) for y in yy),
    }


@pytest.mark.parametrize(
    ("label", "make"),
    [
        ("min-energy 1,000 km", lambda: kepler.min_energy(1_000 * KM)),
        ("min-energy 10,000 km", lambda: kepler.min_energy(10_000 * KM)),
        ("min-energy from 150 km", lambda: kepler.min_energy(600 * KM, 150 * KM)),
        ("lofted", lambda: kepler.fixed_speed(790 * KM, 6_075.0, "lofted")),
        ("depressed", lambda: kepler.fixed_speed(2_000 * KM, 6_075.0, "depressed")),
        (
            "depressed from 150 km",
            lambda: kepler.fixed_speed(590 * KM, 5_846.0, "depressed", 150 * KM),
        ),
        ("Hwasong-12", lambda: kepler.through_apogee(787 * KM, 2_111 * KM)),
        ("apogee from 90 km", lambda: kepler.through_apogee(1_500 * KM, 900 * KM, 90 * KM)),
    ],
)
def test_kepler_solution_lands_where_integration_lands(label: str, make: object) -> None:
    t = make()  # type: ignore[operator]
    assert bool(t.valid), label
    got = _integrate(float(t.speed_mps), float(t.gamma_rad), float(t.burnout_altitude_m))
    # The integrator conserves energy and angular momentum to ~1e-11 at rtol 1e-12:
    # a check that the reference itself is good enough for the tolerances below.
    assert got["energy_drift"] < 1e-9 and got["momentum_drift"] < 1e-9
    # 10 ms and 1 m: far below anything reported (minutes, km), far above integrator error.
    assert got["time_s"] == pytest.approx(float(t.time_s), abs=0.01)
    assert got["range_m"] == pytest.approx(float(t.range_m), abs=1.0)
    assert got["apogee_m"] == pytest.approx(float(t.apogee_m), abs=1.0)


# --- lofted / depressed ---------------------------------------------------------------


@pytest.mark.parametrize("h", [0.0, 150 * KM])
def test_lofted_and_depressed_meet_at_the_maximum_range(h: float) -> None:
    speed = float(kepler.min_energy(5_500 * KM, h).speed_mps)
    top = float(kepler.max_range_m(speed, h))
    assert top == pytest.approx(5_500 * KM, abs=1e-3)  # 1 mm: float rounding
    lofted = kepler.fixed_speed(top, speed, "lofted", h)
    depressed = kepler.fixed_speed(top, speed, "depressed", h)
    mine = kepler.min_energy(top, h)
    # At the fold both branches are the minimum-energy arc; the path angle there is
    # only defined to ~sqrt(float eps), 1e-6 rad, so the times agree to ~0.1 s.
    for t in (lofted, depressed):
        assert bool(t.valid)
        assert float(t.gamma_rad) == pytest.approx(float(mine.gamma_rad), abs=1e-6)
        assert float(t.time_s) == pytest.approx(float(mine.time_s), abs=0.1)
    beyond = kepler.fixed_speed(top + 1.0, speed, "lofted", h)
    assert not bool(beyond.valid) and math.isnan(float(beyond.time_s))


def test_max_range_matches_brute_force_over_path_angle() -> None:
    gammas = np.linspace(-0.5, 1.5, 400_001)
    for h in (0.0, 150 * KM):
        for speed in (1_500.0, 4_000.0, 7_000.0):
            brute = np.nanmax(kepler.coast(speed, gammas, h).range_m)
            # The grid step 5e-6 rad costs < 1e-9 relative near the flat maximum.
            assert float(kepler.max_range_m(speed, h)) == pytest.approx(brute, rel=1e-8)


def test_through_apogee_reproduces_a_fixed_speed_arc() -> None:
    for branch in ("lofted", "depressed"):
        arc = kepler.fixed_speed(1_200 * KM, 5_000.0, branch, 80 * KM)
        back = kepler.through_apogee(1_200 * KM, arc.apogee_m, 80 * KM)
        assert float(back.speed_mps) == pytest.approx(5_000.0, abs=1e-6)
        assert float(back.gamma_rad) == pytest.approx(float(arc.gamma_rad), abs=1e-9)


def test_depressed_paths_can_stay_in_the_atmosphere() -> None:
    t = kepler.fixed_speed(300 * KM, 6_075.0, "depressed")
    assert bool(t.valid) and float(t.apogee_m) < kepler.ATMOSPHERE_TOP_M


# --- arrays, scalars and bad elements ------------------------------------------------


def test_vectorised_equals_scalar_path() -> None:
    ranges = np.array([50, 790, 2_000, 5_499, 12_000]) * KM
    arrays = [
        kepler.min_energy(ranges),
        kepler.fixed_speed(ranges, 6_075.0, "lofted"),
        kepler.fixed_speed(ranges, 6_075.0, "depressed"),
        kepler.through_apogee(ranges, 1_500 * KM),
    ]
    singles = [
        [kepler.min_energy(r) for r in ranges],
        [kepler.fixed_speed(r, 6_075.0, "lofted") for r in ranges],
        [kepler.fixed_speed(r, 6_075.0, "depressed") for r in ranges],
        [kepler.through_apogee(r, 1_500 * KM) for r in ranges],
    ]
    for arr, ones in zip(arrays, singles, strict=True):
        assert arr.time_s.shape == ranges.shape
        for i, one in enumerate(ones):
            assert one.time_s.shape == ()
            assert bool(arr.valid[i]) == bool(one.valid)
            np.testing.assert_array_equal(arr.time_s[i], one.time_s)
            np.testing.assert_array_equal(arr.speed_mps[i], one.speed_mps)


def test_broadcasting() -> None:
    ranges = np.array([[500.0], [1_000.0], [3_000.0]]) * KM
    heights = np.array([0.0, 50 * KM, 150 * KM])
    t = kepler.min_energy(ranges, heights)
    assert t.time_s.shape == (3, 3)
    assert float(t.time_s[1, 2]) == float(kepler.min_energy(1_000 * KM, 150 * KM).time_s)


def test_large_arrays_are_chunked_without_changing_results() -> None:
    # Large inputs run in chunks (kepler._CHUNK); the answer must be bit-identical,
    # whatever the shape, including a bad element in the middle.
    rng = np.random.default_rng(7)
    ranges = rng.uniform(10 * KM, 19_000 * KM, (3, 9_001))
    ranges[1, 4_000] = -1.0
    big = kepler.fixed_speed(ranges, 7_000.0, "depressed", 35 * KM)
    assert big.time_s.shape == (3, 9_001)
    for row in range(3):
        one = kepler.fixed_speed(ranges[row, :4_096], 7_000.0, "depressed", 35 * KM)
        np.testing.assert_array_equal(big.time_s[row, :4_096], one.time_s)
        np.testing.assert_array_equal(big.valid[row, :4_096], one.valid)
    assert not big.valid[1, 4_000] and np.isnan(big.time_s[1, 4_000])


@pytest.mark.parametrize(
    "bad", [0.0, -1.0, math.nan, math.inf, HALF_CIRCUMFERENCE_M, HALF_CIRCUMFERENCE_M + 1]
)
def test_bad_ranges_give_nan_not_errors(bad: float) -> None:
    for t in (
        kepler.min_energy(bad),
        kepler.fixed_speed(bad, 6_000.0, "lofted"),
        kepler.through_apogee(bad, 500 * KM),
    ):
        assert not bool(t.valid)
        assert math.isnan(float(t.time_s)) and math.isnan(float(t.speed_mps))


def test_other_bad_elements_give_nan() -> None:
    assert not kepler.fixed_speed(3_000 * KM, 2_000.0, "lofted").valid  # too slow
    assert not kepler.through_apogee(1_000 * KM, 100 * KM, 150 * KM).valid  # apogee below burnout
    assert not kepler.min_energy(1_000 * KM, -5.0).valid  # burnout underground
    assert not kepler.coast(12_000.0, 0.5).valid  # above escape speed
    assert np.isnan(kepler.max_range_m(-1.0))


def test_bad_branch_is_a_configuration_error() -> None:
    with pytest.raises(InputError, match="'lofted' or 'depressed'"):
        kepler.fixed_speed(1_000 * KM, 5_000.0, "sideways")  # type: ignore[arg-type]


def test_tiny_ranges_stay_accurate() -> None:
    # 1 m: a hop at ~3 m/s; the closed forms keep full precision (half-angle sines).
    t = kepler.min_energy(1.0)
    assert bool(t.valid)
    g0 = MU_EARTH_M3_S2 / EARTH_RADIUS_M**2
    # Flat-Earth projectile at 45°: t = sqrt(2 d / g); the sphere adds ~1e-7 relative.
    assert float(t.time_s) == pytest.approx(math.sqrt(2.0 / g0), rel=1e-6)


# --- properties ------------------------------------------------------------------------

ranges_km = st.floats(min_value=1.0, max_value=19_900.0)
heights_km = st.sampled_from([0.0, 35.0, 150.0])


@settings(max_examples=200, deadline=None)
@given(a=ranges_km, b=ranges_km, h=heights_km)
def test_min_energy_time_increases_with_range(a: float, b: float, h: float) -> None:
    lo, hi = sorted((a, b))
    t = kepler.min_energy(np.array([lo, hi]) * KM, h * KM)
    assert t.valid.all()
    assert t.time_s[0] <= t.time_s[1] + 1e-9


@settings(max_examples=200, deadline=None)
@given(
    reach_km=st.floats(min_value=300.0, max_value=15_000.0),
    share=st.floats(min_value=0.01, max_value=1.0),
    h=heights_km,
)
def test_lofted_slower_than_min_energy_slower_than_depressed(
    reach_km: float, share: float, h: float
) -> None:
    rng = max(share * reach_km, h + 1.0) * KM
    speed = kepler.min_energy(reach_km * KM, h * KM).speed_mps
    lofted = kepler.fixed_speed(rng, speed, "lofted", h * KM)
    mine = kepler.min_energy(rng, h * KM)
    depressed = kepler.fixed_speed(rng, speed, "depressed", h * KM)
    assert lofted.valid and mine.valid and depressed.valid
    # 1 ms slack: all three coincide at the maximum range.
    assert float(lofted.time_s) >= float(mine.time_s) - 1e-3
    assert float(mine.time_s) >= float(depressed.time_s) - 1e-3
    assert float(mine.speed_mps) <= float(speed) * (1 + 1e-12)
