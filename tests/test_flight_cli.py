"""The flight rows (reachmap.flight.report) and the ``reachmap flight`` command."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reachmap.cli import main
from reachmap.data import catalog
from reachmap.data.catalog import Boost, Source, System
from reachmap.errors import InputError
from reachmap.flight import kepler
from reachmap.flight.boost import (
    BOOST_REFERENCES,
    DEFAULT_BOOST,
    DEFAULT_BOOST_SOURCE_IDS,
    STANDARD_GRAVITY_MPS2,
    BoostModel,
    gravity_turn_burnout_m,
)
from reachmap.flight.report import ATMOSPHERE_NOTE, FlightRow, flight_rows
from reachmap.flight.rotating import RotatingSpec
from reachmap.flight.scaled_boost import MIN_SCALED_RANGE_M, min_energy_boost
from reachmap.flight.times import flight_time_s

KM = 1e3
DESIGN_KEYS = {
    "profile",
    "ground_range_km",
    "time_s",
    "free_flight_time_s",
    "apogee_km",
    "burnout_speed_mps",
    "path_angle_deg",
    "valid",
    "notes",
}
TEST_SOURCE = Source("test", "Test publisher", "Test title", "2024", "https://example.org", True)


def _system(**changes: object) -> System:
    base = catalog.system("oreshnik")
    fields = {f: getattr(base, f) for f in base.__dataclass_fields__}
    fields.update(changes)
    return System(**fields)  # type: ignore[arg-type]


def _by_profile(rows: list[FlightRow]) -> dict[str, FlightRow]:
    return {r.profile: r for r in rows}


# --- rows --------------------------------------------------------------------------------


def test_rows_have_the_design_shape_and_reference_numbers() -> None:
    (row,) = flight_rows(1_000 * KM, None, ["min-energy"])
    assert DESIGN_KEYS <= set(row.to_json())
    assert row.valid and row.notes == ()
    # REFERENCE.md: 7.9 min, apogee 240 km (rounded; half a unit of the last digit).
    assert row.time_s == pytest.approx(7.9 * 60, abs=3)
    assert row.apogee_m / KM == pytest.approx(240, abs=0.5)
    assert row.boost_time_s == 0.0 and row.time_s == row.free_flight_time_s
    json.dumps(row.to_json(), allow_nan=False)


def test_row_json_has_the_cli_key_order() -> None:
    base = [
        "profile", "ground_range_km", "time_s", "boost_time_s", "boost", "free_flight_time_s",
        "apogee_km", "burnout_speed_mps", "path_angle_deg", "valid", "notes", "assumptions",
    ]  # fmt: skip
    (row,) = flight_rows(1_000 * KM, catalog.system("oreshnik"), ["min-energy"])
    assert list(row.to_json()) == base
    assert list(row.to_json()["assumptions"]) == ["earth", "boost", "energy"]
    (row,) = flight_rows(2_000 * KM, catalog.system("lrhw"), ["glide"])
    assert list(row.to_json()) == [*base, "speed_mps", "time_slow_s"]
    assert list(row.to_json()["assumptions"]) == ["earth", "speed", "boost", "glide"]
    spec = RotatingSpec(45.7, 48.6, 35.05, 48.46)
    (row,) = flight_rows(790 * KM, catalog.system("oreshnik"), ["min-energy"], rotating=spec)
    data = row.to_json()
    assert list(data) == [*base, "rotating_earth"]
    assert list(data["assumptions"]) == ["earth", "boost", "energy", "max_range_this_azimuth_km"]
    assert list(data["rotating_earth"]) == [
        "sphere_distance_km", "azimuth_deg", "inertial_speed_mps", "nonrotating",
        "launch_lon_deg", "launch_lat_deg", "target_lon_deg", "target_lat_deg",
        "equivalent_nonrotating_range_km", "range_change_pct",
    ]  # fmt: skip


def test_hwasong12_lofted_through_apogee_without_a_system() -> None:
    (row,) = flight_rows(787 * KM, None, ["lofted"], apogee_m=2_111 * KM)
    assert row.free_flight_time_s == pytest.approx(27.9 * 60, abs=3)  # REFERENCE.md


def test_oreshnik_profiles_with_its_class_default_boost() -> None:
    rows = _by_profile(flight_rows(790 * KM, catalog.system("oreshnik"), ["all"]))
    assert list(rows) == ["min-energy", "lofted", "depressed"]
    boost = DEFAULT_BOOST["IRBM"]
    for row in rows.values():
        assert row.valid
        assert row.boost_time_s == row.boost.burn_time_s
        assert row.time_s == pytest.approx(row.boost_time_s + row.free_flight_time_s)
        assert row.assumptions.boost.is_default is True
    # Lofted and depressed keep the full class-default burn (the energy of the maximum
    # range); min-energy flies the boost scaled to the 790 km (docs/flight.md).
    for name in ("lofted", "depressed"):
        assert rows[name].boost == boost and not rows[name].scaled_to_range
        assert rows[name].to_json()["boost"] == {
            "burn_time_s": boost.burn_time_s,
            "burnout_altitude_km": boost.burnout_altitude_m / KM,
            "burnout_downrange_km": boost.burnout_downrange_m / KM,
            "scaled_to_range": False,
        }
    scaled = min_energy_boost(790 * KM, boost)
    used = rows["min-energy"].boost
    assert rows["min-energy"].scaled_to_range is True
    assert used.burn_time_s == float(scaled.burn_time_s) < boost.burn_time_s
    assert used.burnout_altitude_m == float(scaled.burnout_altitude_m)
    assert used.burnout_downrange_m == float(scaled.burnout_downrange_m)
    arc = kepler.min_energy(
        790 * KM - float(scaled.burnout_downrange_m), float(scaled.burnout_altitude_m)
    )
    assert rows["min-energy"].free_flight_time_s == pytest.approx(float(arc.time_s), abs=1e-9)
    energy = rows["min-energy"].assumptions.energy
    assert "scaled to the range (model assumption, not catalog fact)" in energy
    assert f"{used.burn_time_s:,.0f} s burn" in energy
    assert rows["lofted"].time_s > rows["min-energy"].time_s > rows["depressed"].time_s
    # Lofted and depressed fly at the min-energy speed of the 5,500 km maximum range,
    # from the IRBM default's burnout point.
    speed = float(
        kepler.min_energy(
            5_500 * KM - boost.burnout_downrange_m, boost.burnout_altitude_m
        ).speed_mps
    )
    assert rows["lofted"].burnout_speed_mps == pytest.approx(speed, rel=1e-12)
    assert rows["depressed"].burnout_speed_mps == pytest.approx(speed, rel=1e-12)
    assert "5,500 km" in rows["lofted"].assumptions.energy


# --- boost class defaults ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "theta0", "burn_s"),
    [(3.2, 1e-4, 65.0), (4.0, 3e-4, 111.0), (4.4, 1e-3, 180.0), (6.0, 1e-2, 60.0)],
)
def test_gravity_turn_closed_form_matches_integration(
    n: float, theta0: float, burn_s: float
) -> None:
    """Fly a gravity turn numerically, then recover its burnout point from (t, v, angle)."""
    from scipy.integrate import solve_ivp

    g0 = STANDARD_GRAVITY_MPS2

    def rhs(t: float, y: list[float]) -> list[float]:
        v, th, _, _ = y  # speed, angle from the vertical, altitude, downrange
        return [g0 * (n - math.cos(th)), g0 * math.sin(th) / v, v * math.cos(th), v * math.sin(th)]

    # Start just off the vertical launch: there v = g (n - 1) t exactly.
    t0 = 1e-6
    v0 = g0 * (n - 1) * t0
    sol = solve_ivp(rhs, (t0, burn_s), [v0, theta0, v0 * t0 / 2, 0.0], rtol=1e-12, atol=1e-9)
    v, th, h_num, x_num = sol.y[:, -1]
    h, x = gravity_turn_burnout_m(burn_s, float(v), math.pi / 2 - float(th))
    assert h == pytest.approx(h_num, rel=1e-6, abs=1.0)
    assert x == pytest.approx(x_num, rel=1e-6, abs=1.0)


def test_gravity_turn_limits_and_bad_input() -> None:
    h, x = gravity_turn_burnout_m(100.0, 3_000.0, math.pi / 2)  # vertical: constant acceleration
    assert h == pytest.approx(150_000.0, rel=1e-12) and x == pytest.approx(0.0, abs=1e-6)
    for bad in ((0.0, 1_000.0, 0.5), (60.0, -1.0, 0.5), (60.0, 1_000.0, 0.0)):
        with pytest.raises(ValueError):
            gravity_turn_burnout_m(*bad)


def test_class_defaults_follow_their_documented_construction() -> None:
    expected = {  # docs/flight.md, "Boost phase": (burn s, altitude km, downrange km)
        "SRBM": (65.0, 37.0, 33.0),
        "MRBM": (111.0, 138.0, 137.0),
        "IRBM": (153.0, 259.0, 319.0),
        "ICBM": (180.0, 298.0, 514.0),
    }
    for name, (burn, alt, down) in expected.items():
        b = DEFAULT_BOOST[name]
        assert b.is_default
        assert (b.burn_time_s, b.burnout_altitude_m / KM, b.burnout_downrange_m / KM) == (
            burn,
            alt,
            down,
        )
        assert "model assumption" in b.source and "http" in b.source
        # The burnout point leads into the minimum-energy arc to the reference range.
        ref = BOOST_REFERENCES[name]
        arc = kepler.min_energy(ref.range_m - b.burnout_downrange_m, b.burnout_altitude_m)
        h, x = gravity_turn_burnout_m(b.burn_time_s, float(arc.speed_mps), float(arc.gamma_rad))
        assert h == pytest.approx(b.burnout_altitude_m, abs=0.6 * KM)
        assert x == pytest.approx(b.burnout_downrange_m, abs=0.6 * KM)
    assert DEFAULT_BOOST["HGV"] == DEFAULT_BOOST["MRBM"]
    assert DEFAULT_BOOST["ALBM"] == DEFAULT_BOOST["SRBM"]


def test_class_default_references_match_the_catalog_and_sources() -> None:
    sources = catalog.sources()
    assert DEFAULT_BOOST_SOURCE_IDS <= set(sources)
    for name, system_id in (("MRBM", "pershing-2"), ("IRBM", "rsd-10"), ("ICBM", "minuteman-3")):
        entry = catalog.system(system_id)
        ref = BOOST_REFERENCES[name]
        assert entry.system_class == name
        assert ref.range_m in (entry.range_m.low, entry.range_m.high)
        assert set(ref.range_source_ids) <= {s.id for s in entry.range_m.sources}
    # Public burn times: the cited text says so.
    assert "burned for 65 seconds" in (sources["tdia-v2-1950"].quote or "")
    assert "322 kilometers" in (sources["tdia-v2-1950"].quote or "")
    nrc = sources["wired-nrc-boost-2012"].quote or ""
    assert "four minutes of boost time" in nrc and "shave off another minute" in nrc
    assert BOOST_REFERENCES["SRBM"].burn_time_s == 65.0
    assert BOOST_REFERENCES["ICBM"].burn_time_s == 3 * 60.0
    assert BOOST_REFERENCES["MRBM"].burn_time_s is None  # interpolated: no public figure
    assert BOOST_REFERENCES["IRBM"].burn_time_s is None


def test_class_defaults_against_independent_public_figures() -> None:
    # V-2: "accelerating the rocket to ... 5,761 kilometers per hour" (tdia-v2-1950); the
    # model's burnout speed for the V-2's 322 km is within 3 % of it.
    srbm = DEFAULT_BOOST["SRBM"]
    arc = kepler.min_energy(322 * KM - srbm.burnout_downrange_m, srbm.burnout_altitude_m)
    assert float(arc.speed_mps) == pytest.approx(5_761 / 3.6, rel=0.03)
    # Hwasong-12, 14 May 2017: 787 km, apogee 2,111 km (csis-hwasong12-2017-05), a flight
    # of about half an hour (Yonhap, 2017-05-15, quoting D. Wright, UCS). IRBM default:
    irbm = DEFAULT_BOOST["IRBM"]
    arc = kepler.through_apogee(
        787 * KM - irbm.burnout_downrange_m, 2_111 * KM, irbm.burnout_altitude_m
    )
    assert (irbm.burn_time_s + float(arc.time_s)) / 60 == pytest.approx(30, abs=1)


# --- range-scaled minimum-energy boost (docs/flight.md, "Range-scaled boost") ---------------

#: A catalog system of each class whose maximum range reaches the class reference range.
REFERENCE_SYSTEMS = {
    "SRBM": "iskander-m",
    "MRBM": "pershing-2",
    "IRBM": "rsd-10",
    "ICBM": "minuteman-3",
}


def _reference_arc(name: str) -> tuple[float, float, float]:
    """Burnout speed and angle of the class default's arc, and the gravity-turn calibration.

    The default's burnout point is rounded to 1 km; the scaled model keeps that rounding
    as constant factors (c_h, c_d) on the gravity-turn closed form.
    """
    boost, ref = DEFAULT_BOOST[name], BOOST_REFERENCES[name].range_m
    arc = kepler.min_energy(ref - boost.burnout_downrange_m, boost.burnout_altitude_m)
    h, d = gravity_turn_burnout_m(boost.burn_time_s, float(arc.speed_mps), float(arc.gamma_rad))
    return float(arc.speed_mps), boost.burnout_altitude_m / h, boost.burnout_downrange_m / d


@pytest.mark.parametrize("name", list(REFERENCE_SYSTEMS))
def test_scaled_boost_is_the_class_default_at_its_reference_range(name: str) -> None:
    boost, ref = DEFAULT_BOOST[name], BOOST_REFERENCES[name].range_m
    system = catalog.system(REFERENCE_SYSTEMS[name])
    assert system.system_class == name and ref <= system.range_m.high
    # Alone and inside an array of other ranges: the default itself, not an approximation.
    for ranges in (ref, np.array([30 * KM, ref, 3_000 * KM])):
        scaled = min_energy_boost(ranges, boost)
        at_ref = np.asarray(ranges) == ref
        assert (scaled.burnout_altitude_m[at_ref] == boost.burnout_altitude_m).all()
        assert (scaled.burnout_downrange_m[at_ref] == boost.burnout_downrange_m).all()
        np.testing.assert_allclose(scaled.burn_time_s[at_ref], boost.burn_time_s, rtol=1e-14)
    fixed = kepler.min_energy(ref - boost.burnout_downrange_m, boost.burnout_altitude_m)
    # 1 ns: float rounding of the burn time (153 s to 1e-14 relative).
    assert float(flight_time_s(ref, system)) == pytest.approx(
        boost.burn_time_s + float(fixed.time_s), abs=1e-9
    )
    (row,) = flight_rows(ref, system, ["min-energy"])
    assert row.boost.burn_time_s == pytest.approx(boost.burn_time_s, rel=1e-14)
    assert row.boost.burnout_altitude_m == boost.burnout_altitude_m


@pytest.mark.parametrize("name", list(REFERENCE_SYSTEMS))
def test_scaled_boost_follows_its_documented_construction(name: str) -> None:
    boost = DEFAULT_BOOST[name]
    v_ref, c_h, c_d = _reference_arc(name)
    # The calibration is the default's 1 km rounding and nothing more (SRBM: 1.2 %): half a
    # km, plus the small change of the arc the rounding itself causes (as in the test of
    # the defaults above, 0.6 km).
    assert abs(c_h - 1) * boost.burnout_altitude_m <= 0.6 * KM
    assert abs(c_d - 1) * boost.burnout_downrange_m <= 0.6 * KM
    ranges = np.array([10, 28, 147, 830, 2_000, 5_000, 12_000, 19_000]) * KM
    scaled = min_energy_boost(ranges, boost)
    assert scaled.valid.all()
    arc = kepler.min_energy(ranges - scaled.burnout_downrange_m, scaled.burnout_altitude_m)
    assert arc.valid.all()
    # Burn time in proportion to the burnout speed (the default's mean speed gain per second).
    np.testing.assert_allclose(
        scaled.burn_time_s / arc.speed_mps, boost.burn_time_s / v_ref, rtol=1e-12
    )
    # The burnout point is the gravity turn of that burn into that arc: self-consistent to
    # the iteration's 10 µm (0.1 mm allowed).
    for i in range(ranges.size):
        h, d = gravity_turn_burnout_m(
            float(scaled.burn_time_s[i]), float(arc.speed_mps[i]), float(arc.gamma_rad[i])
        )
        assert c_h * h == pytest.approx(float(scaled.burnout_altitude_m[i]), abs=1e-4)
        assert c_d * d == pytest.approx(float(scaled.burnout_downrange_m[i]), abs=1e-4)
    # Shorter flight, shorter burn, lower and nearer burnout.
    assert (np.diff(scaled.burn_time_s) > 0).all()
    assert (np.diff(scaled.burnout_downrange_m) > 0).all()


def _shoot_gravity_turn(burn_s: float, speed: float, gamma: float) -> tuple[float, ...]:
    """Numerically fly the flat-Earth gravity turn that ends at (speed, gamma) after burn_s.

    Shooting on the thrust-to-weight ratio n and the initial tilt (scipy root on
    solve_ivp runs): shares no code with the closed form. Returns the end state
    (speed, angle from the vertical, altitude, downrange).
    """
    from scipy.integrate import solve_ivp
    from scipy.optimize import root

    g0 = STANDARD_GRAVITY_MPS2

    def fly(n: float, theta0: float) -> np.ndarray:
        def rhs(_t: float, y: list[float]) -> list[float]:
            v, th, _, _ = y
            return [
                g0 * (n - math.cos(th)),
                g0 * math.sin(th) / v,
                v * math.cos(th),
                v * math.sin(th),
            ]

        t0 = 1e-6  # just off the vertical launch from rest: v = g (n - 1) t there
        v0 = g0 * (n - 1) * t0
        y0 = [v0, theta0, v0 * t0 / 2, 0.0]
        return solve_ivp(rhs, (t0, burn_s), y0, rtol=1e-12, atol=1e-9).y[:, -1]

    def miss(p: np.ndarray) -> list[float]:
        v, th, _, _ = fly(p[0], math.exp(p[1]))
        return [v / speed - 1, (math.pi / 2 - th) - gamma]

    guess = [speed / (g0 * burn_s) + 0.8, math.log(1e-3)]
    sol = root(miss, guess, method="hybr", options={"xtol": 1e-13})
    assert sol.success, sol.message
    return tuple(float(x) for x in fly(sol.x[0], math.exp(sol.x[1])))


def _coast_numerically(altitude: float, speed: float, gamma: float) -> tuple[float, float]:
    """Two-body free flight (DOP853) from burnout to the surface: (time, ground range)."""
    from scipy.integrate import solve_ivp

    mu, radius = kepler.MU_EARTH_M3_S2, kepler.EARTH_RADIUS_M
    y0 = [0.0, radius + altitude, speed * math.cos(gamma), speed * math.sin(gamma)]

    def rhs(_t: float, y: np.ndarray) -> list[float]:
        r3 = math.hypot(y[0], y[1]) ** 3
        return [y[2], y[3], -mu * y[0] / r3, -mu * y[1] / r3]

    def ground(_t: float, y: np.ndarray) -> float:
        return math.hypot(y[0], y[1]) - radius

    ground.terminal, ground.direction = True, -1  # type: ignore[attr-defined]
    sol = solve_ivp(rhs, (0, 1e5), y0, method="DOP853", rtol=1e-12, atol=1e-6, events=ground)
    impact = sol.y_events[0][0]
    return float(sol.t_events[0][0]), math.atan2(impact[0], impact[1]) * radius


@pytest.mark.parametrize(
    ("system_id", "range_km"),
    [
        ("iskander-m", 10),
        ("iskander-m", 300),
        ("oreshnik", 28),
        ("oreshnik", 830),
        ("oreshnik", 5_500),
        ("yars", 2_000),
        ("yars", 12_000),
    ],
)
def test_scaled_boost_and_composite_time_against_numerical_integration(
    system_id: str, range_km: float
) -> None:
    """Boost flown numerically (flat-Earth gravity turn), then Kepler flight integrated."""
    system = catalog.system(system_id)
    name, r = system.system_class, range_km * KM
    scaled = min_energy_boost(r, DEFAULT_BOOST[name])
    burn, h, d = (float(x) for x in (scaled.burn_time_s, scaled.burnout_altitude_m,
                                     scaled.burnout_downrange_m))  # fmt: skip
    arc = kepler.min_energy(r - d, h)
    speed, gamma = float(arc.speed_mps), float(arc.gamma_rad)
    v_num, theta_num, h_num, d_num = _shoot_gravity_turn(burn, speed, gamma)
    assert v_num == pytest.approx(speed, rel=1e-9)  # the shooting hit the target state
    assert math.pi / 2 - theta_num == pytest.approx(gamma, abs=1e-9)
    # Closed form = numerical gravity turn (times the documented rounding factors): 1 m,
    # far above the integrator's error (mm), far below anything reported (km).
    _, c_h, c_d = _reference_arc(name)
    assert c_h * h_num == pytest.approx(h, abs=1.0)
    assert c_d * d_num == pytest.approx(d, abs=1.0)
    # Composite: burn, then the free flight integrated from that burnout state, lands at the
    # requested range (1 m) at the reported total time (10 ms, as the Kepler checks).
    coast_s, coast_m = _coast_numerically(c_h * h_num, v_num, math.pi / 2 - theta_num)
    assert c_d * d_num + coast_m == pytest.approx(r, abs=1.0)
    assert burn + coast_s == pytest.approx(float(flight_time_s(r, system)), abs=0.01)


@pytest.mark.parametrize("name", list(REFERENCE_SYSTEMS))
def test_min_energy_time_grows_on_a_dense_grid(name: str) -> None:
    # Every 1 km from the 10 km lower limit to half the circumference: valid everywhere
    # (the iteration converges), strictly increasing total time, burn time and downrange.
    boost = DEFAULT_BOOST[name]
    ranges = np.arange(MIN_SCALED_RANGE_M, kepler.HALF_CIRCUMFERENCE_M, 1 * KM)
    scaled = min_energy_boost(ranges, boost)
    arc = kepler.min_energy(ranges - scaled.burnout_downrange_m, scaled.burnout_altitude_m)
    assert scaled.valid.all() and arc.valid.all()
    total = scaled.burn_time_s + arc.time_s
    assert (np.diff(total) > 0).all()
    assert (np.diff(scaled.burn_time_s) > 0).all()


@settings(max_examples=300, deadline=None)
@given(
    a=st.floats(min_value=10.0, max_value=12_000.0),
    b=st.floats(min_value=10.0, max_value=12_000.0),
    system_id=st.sampled_from(["iskander-m", "pershing-2", "oreshnik", "yars"]),
)
def test_min_energy_time_increases_with_range(a: float, b: float, system_id: str) -> None:
    system = catalog.system(system_id)
    top = system.range_m.high / KM
    lo, hi = sorted((min(a, top), min(b, top)))
    t = flight_time_s(np.array([lo, hi]) * KM, system)
    assert np.isfinite(t).all()
    # 1 µs slack: the burnout point is converged to 10 µm, a time noise below 0.01 µs.
    assert t[0] <= t[1] + 1e-6
    one = flight_time_s(hi * KM, system)  # alone or in an array: the same element result
    assert float(one) == pytest.approx(t[1], abs=1e-6)


def test_scaled_boost_arrays_lower_limit_and_bad_elements() -> None:
    boost = DEFAULT_BOOST["IRBM"]
    rng = np.random.default_rng(5)
    ranges = rng.uniform(10 * KM, 19_000 * KM, (2, 9_001))  # more than one chunk
    bad = [-1.0, math.nan, math.inf, 0.0, 9.999 * KM, kepler.HALF_CIRCUMFERENCE_M]
    ranges[0, : len(bad)] = bad
    big = min_energy_boost(ranges, boost)
    assert big.burn_time_s.shape == ranges.shape
    assert not big.valid[0, : len(bad)].any() and np.isnan(big.burn_time_s[0, : len(bad)]).all()
    assert big.valid[:, len(bad) :].all()
    for i in (len(bad), 4_097, 9_000):
        one = min_energy_boost(ranges[1, i], boost)
        # Per element, whatever its neighbours: only float rounding differs (1e-12).
        assert float(one.burn_time_s) == pytest.approx(big.burn_time_s[1, i], rel=1e-12)
        assert float(one.burnout_downrange_m) == pytest.approx(
            big.burnout_downrange_m[1, i], rel=1e-12
        )
    assert bool(min_energy_boost(MIN_SCALED_RANGE_M, boost).valid)
    assert min_energy_boost(np.zeros(0), boost).burn_time_s.shape == (0,)
    times = flight_time_s(np.array([5.0, 10.0, 28.0]) * KM, catalog.system("oreshnik"))
    assert math.isnan(times[0]) and np.isfinite(times[1:]).all()
    # A boost without a reference range (catalog data) is returned as it is.
    fixed = min_energy_boost([100 * KM, 2_000 * KM], BoostModel(100.0, 60 * KM, 50 * KM, "test"))
    assert (fixed.burn_time_s == 100.0).all() and (fixed.burnout_downrange_m == 50 * KM).all()


def test_catalog_boost_overrides_the_class_default() -> None:
    # Catalog boost data is used as given for every profile: never scaled to the range.
    boost = Boost(100.0, 60 * KM, 50 * KM, (TEST_SOURCE,))
    system = _system(boost=boost)
    rows = flight_rows(1_000 * KM, system, ["min-energy"])
    assumed = rows[0].assumptions.boost
    assert assumed is not None
    assert assumed.is_default is False and "Test publisher" in assumed.source
    assert rows[0].scaled_to_range is False and rows[0].boost.burn_time_s == 100
    assert "scaled" not in rows[0].assumptions.energy
    expected = kepler.min_energy(950 * KM, 60 * KM)
    assert rows[0].time_s == pytest.approx(100.0 + float(expected.time_s), abs=1e-9)
    assert float(flight_time_s(1_000 * KM, system)) == pytest.approx(rows[0].time_s, abs=1e-9)
    assert math.isnan(float(flight_time_s(40 * KM, system)))  # inside its 50 km boost


def test_beyond_the_energy_and_inside_the_boost_are_invalid_rows() -> None:
    oreshnik = catalog.system("oreshnik")
    for row in flight_rows(6_000 * KM, oreshnik, ["all"]):
        assert not row.valid and math.isnan(row.time_s)
        assert "beyond the energy of Oreshnik" in row.notes[0]
    # 150 km is inside the full boost (319 km downrange) of lofted and depressed, not
    # inside the range-scaled boost of min-energy.
    rows = _by_profile(flight_rows(150 * KM, oreshnik, ["all"]))
    assert rows["min-energy"].valid and ATMOSPHERE_NOTE in rows["min-energy"].notes
    for name in ("lofted", "depressed"):
        assert not rows[name].valid and "boost phase" in rows[name].notes[0]
    # Below the lower limit of the range-scaled boost: invalid, with the reason.
    (row,) = flight_rows(5 * KM, oreshnik, ["min-energy"])
    assert not row.valid and math.isnan(row.time_s) and math.isnan(row.boost.burn_time_s)
    assert "10 km lower limit" in row.notes[0]
    assert row.to_json()["boost"]["burn_time_s"] is None
    json.dumps(row.to_json(), allow_nan=False)


def test_depressed_paths_in_the_atmosphere_are_flagged_not_invalid() -> None:
    rows = _by_profile(flight_rows(300 * KM, catalog.system("iskander-m"), ["all"]))
    assert rows["depressed"].valid
    assert ATMOSPHERE_NOTE in rows["depressed"].notes


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"profiles": ["sideways"]}, "min-energy, lofted, depressed, all"),
        (
            {"profiles": ["min-energy"], "apogee_m": 2_000 * KM},
            "`apogee_m` defines a lofted path; use it with `profile` lofted",
        ),
        ({"profiles": ["lofted"]}, "needs a burnout speed: give `system`"),
        ({"profiles": ["lofted"], "apogee_m": 100 * KM}, "too low.*give `apogee_m` of 191 km"),
        ({"profiles": ["all"], "range_m": 0.0}, "positive"),
        ({"profiles": ["all"], "range_m": 20_100 * KM}, "half the Earth's circumference"),
    ],
)
def test_configuration_errors_name_parameters_not_flags(kwargs: dict, message: str) -> None:
    args = {"range_m": 787 * KM, "system": None, **kwargs}
    with pytest.raises(InputError, match=message) as caught:
        flight_rows(**args)
    assert "--" not in str(caught.value)  # the library speaks parameters; the CLI adds flags


def test_cruise_and_glide_rows() -> None:
    (row,) = flight_rows(2_000 * KM, catalog.system("kh-101"), ["all"])
    assert row.profile == "cruise" and row.valid
    assert row.time_s == pytest.approx(2_000 * KM / (1_000 / 3.6))  # "up to 1,000 km/h"
    (row,) = flight_rows(2_000 * KM, catalog.system("kalibr"), ["all"])
    assert not row.valid and "no speed" in row.notes[0]
    lrhw = catalog.system("lrhw")
    (row,) = flight_rows(2_000 * KM, lrhw, ["glide"])
    boost = DEFAULT_BOOST["HGV"]
    glide_m = 2_000 * KM - boost.burnout_downrange_m
    assert row.time_s == pytest.approx(boost.burn_time_s + glide_m / lrhw.speed_mps.high)
    with pytest.raises(InputError, match="use one of: glide, all"):
        flight_rows(2_000 * KM, lrhw, ["lofted"])


def test_vectorised_times_match_rows_and_mask_what_is_out_of_reach() -> None:
    oreshnik = catalog.system("oreshnik")
    ranges = np.array([100.0, 790.0, 3_000.0, 5_500.0, 6_000.0]) * KM
    for profile in ("min-energy", "lofted", "depressed"):
        times = flight_time_s(ranges, oreshnik, profile)
        for r, t in zip(ranges, times, strict=True):
            (row,) = flight_rows(float(r), oreshnik, [profile])
            if row.valid:
                assert t == pytest.approx(row.time_s, rel=1e-12)
            else:
                assert math.isnan(t)
    assert np.isnan(flight_time_s(ranges, catalog.system("kalibr"))).all()  # no catalog speed
    cruise = flight_time_s(ranges, catalog.system("kh-101"))
    assert cruise[1] == pytest.approx(790 * KM / (1_000 / 3.6))
    assert flight_time_s(ranges, None).shape == ranges.shape


def test_rotating_rows_keep_the_nonrotating_numbers() -> None:
    spec = RotatingSpec(45.7, 48.6, 35.05, 48.46)
    rows = flight_rows(790 * KM, catalog.system("oreshnik"), ["all"], rotating=spec)
    for row in rows:
        assert row.valid
        extra = row.rotating_earth
        assert extra is not None and extra.nonrotating.time_s > 0
        # West-bound over ~790 km: the Earth's rotation changes times by seconds.
        assert abs(row.time_s - extra.nonrotating.time_s) < 30
    extra = rows[0].rotating_earth
    assert extra is not None and extra.range_change_pct is not None
    assert "range_change_pct" in rows[0].to_json()["rotating_earth"]
    longest = rows[0].assumptions.max_range_this_azimuth_m
    assert longest is not None and longest < 5_500 * KM
    json.dumps([r.to_json() for r in rows], allow_nan=False)


# --- command line --------------------------------------------------------------------------


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["flight", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_json_reference_check(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--distance", "1000", "--profile", "min-energy", "--format", "json")
    assert code == 0
    (row,) = json.loads(out)
    assert DESIGN_KEYS <= set(row)
    assert row["time_s"] == pytest.approx(7.9 * 60, abs=3)


def test_cli_table_shows_profiles_and_assumptions(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--distance", "790", "--system", "oreshnik")
    assert code == 0
    for text in ("min-energy", "lofted", "depressed", "Boost (class default)", "Earth:"):
        assert text in out
    flat = " ".join(out.split())
    assert "153 s burn" in flat and "This Day in Aviation" in flat and "model assumption" in flat
    # The boost column shows the boost each row flies: scaled for min-energy, full otherwise.
    lines = {line.split()[0]: line.split() for line in out.splitlines() if line.strip()}
    assert lines["min-energy"][3] == "1:09" and lines["lofted"][3] == "2:33"
    assert "scaled to the range (model assumption, not catalog fact): 69 s burn" in flat
    code, out, _ = _run(capsys, "--distance", "1000km", "--profile", "min-energy")
    assert "7:54" in out  # 7.9 min


def test_cli_apogee_defaults_to_lofted(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--distance", "787", "--apogee", "2111", "-f", "json")
    assert code == 0
    (row,) = json.loads(out)
    assert row["profile"] == "lofted"
    assert row["time_s"] == pytest.approx(27.9 * 60, abs=3)


def test_cli_csv_and_output_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "flight.csv"
    code, out, _ = _run(
        capsys, "--distance", "790", "--system", "oreshnik", "--format", "csv", "-o", str(target)
    )
    assert code == 0 and out == ""
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert [r["profile"] for r in rows] == ["min-energy", "lofted", "depressed"]


def test_cli_from_to(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(
        capsys,
        "--from",
        "48.6,45.7",
        "--to",
        "Dnipro",
        "--system",
        "oreshnik",
        "--rotating-earth",
        "--format",
        "json",
    )
    assert code == 0
    rows = json.loads(out)
    assert all(r["valid"] and "rotating_earth" in r for r in rows)


def test_compare_from_belarus_times_every_capital_in_reach(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Before the range-scaled boost, capitals nearer than the IRBM default's 319 km burnout
    # downrange (Vilnius 28 km, Kyiv 87 km, Warsaw 147 km, Riga 209 km) had no time.
    code = main(
        ["compare", "--from", "Belarus", "--vs", "kapustin-yar", "--system", "oreshnik",
         "--targets", "capitals", "--format", "json"]
    )  # fmt: skip
    out, _ = capsys.readouterr()
    assert code == 0
    targets = {t["name"]: t for t in json.loads(out)["targets"]}
    near = [targets[n] for n in ("Vilnius", "Kyiv", "Warsaw", "Riga", "Berlin", "London")]
    times = [t["flight_time_from_s"] for t in near]
    assert all(t is not None for t in times)
    assert [t["distance_from_km"] for t in near] == sorted(t["distance_from_km"] for t in near)
    assert times == sorted(times)
    oreshnik = catalog.system("oreshnik")
    for t in near:
        expected = float(flight_time_s(t["distance_from_km"] * KM, oreshnik))
        assert t["flight_time_from_s"] == pytest.approx(expected, rel=1e-9)
    assert targets["Minsk"]["flight_time_from_s"] is None  # distance 0: no flight


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--distance", "0"], "positive"),
        (["--distance", "-5"], "positive"),
        (["--distance", "25000"], "half the Earth's circumference"),
        (["--distance", "787", "--apogee", "100"], "too low"),
        (["--distance", "787", "--apogee", "2111", "--profile", "depressed"], "--profile lofted"),
        (["--distance", "787", "--apogee", "100"], "give --apogee of 191 km or more"),
        (["--distance", "800", "--profile", "lofted"], "give --system (its maximum range"),
        (["--distance", "800", "--system", "iskander-m"], "beyond the energy"),
        (["--distance", "800", "--profile", "sideways"], "use one of: min-energy"),
        (["--distance", "800", "--rotating-earth"], "--from LAT,LON"),
        (["--distance", "800", "--from", "Minsk", "--to", "Kyiv"], "not both"),
        ([], "--distance"),
        (["--distance", "800", "--system", "nosuch"], "nosuch"),
    ],
)
def test_cli_bad_input_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, out, err = _run(capsys, *args)
    assert code == 2
    assert err.count("\n") == 1 and message in err
    assert "Traceback" not in err
