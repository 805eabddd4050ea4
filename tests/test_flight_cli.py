"""The flight rows (reachmap.flight_report) and the ``reachmap flight`` command."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import numpy as np
import pytest

from reachmap import catalog, flight
from reachmap.catalog import Boost, Source, System
from reachmap.cli import main
from reachmap.errors import InputError
from reachmap.flight_report import (
    ATMOSPHERE_NOTE,
    BOOST_REFERENCES,
    DEFAULT_BOOST,
    DEFAULT_BOOST_SOURCE_IDS,
    STANDARD_GRAVITY_MPS2,
    RotatingSpec,
    flight_rows,
    flight_time_s,
    gravity_turn_burnout_m,
)

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


def _by_profile(rows: list[dict]) -> dict[str, dict]:
    return {r["profile"]: r for r in rows}


# --- rows --------------------------------------------------------------------------------


def test_rows_have_the_design_shape_and_reference_numbers() -> None:
    (row,) = flight_rows(1_000 * KM, None, ["min-energy"])
    assert DESIGN_KEYS <= set(row)
    assert row["valid"] and row["notes"] == []
    # REFERENCE.md: 7.9 min, apogee 240 km (rounded; half a unit of the last digit).
    assert row["time_s"] == pytest.approx(7.9 * 60, abs=3)
    assert row["apogee_km"] == pytest.approx(240, abs=0.5)
    assert row["boost_time_s"] == 0.0 and row["time_s"] == row["free_flight_time_s"]
    json.dumps(row, allow_nan=False)


def test_hwasong12_lofted_through_apogee_without_a_system() -> None:
    (row,) = flight_rows(787 * KM, None, ["lofted"], apogee_m=2_111 * KM)
    assert row["free_flight_time_s"] == pytest.approx(27.9 * 60, abs=3)  # REFERENCE.md


def test_oreshnik_profiles_with_its_class_default_boost() -> None:
    rows = _by_profile(flight_rows(790 * KM, catalog.system("oreshnik"), ["all"]))
    assert list(rows) == ["min-energy", "lofted", "depressed"]
    boost = DEFAULT_BOOST["IRBM"]
    for row in rows.values():
        assert row["valid"]
        assert row["boost_time_s"] == boost.burn_time_s
        assert row["time_s"] == pytest.approx(row["boost_time_s"] + row["free_flight_time_s"])
        assert row["assumptions"]["boost"]["default"] is True
    assert rows["lofted"]["time_s"] > rows["min-energy"]["time_s"] > rows["depressed"]["time_s"]
    # Lofted and depressed fly at the min-energy speed of the 5,500 km maximum range,
    # from the IRBM default's burnout point.
    speed = float(
        flight.min_energy(
            5_500 * KM - boost.burnout_downrange_m, boost.burnout_altitude_m
        ).speed_mps
    )
    assert rows["lofted"]["burnout_speed_mps"] == pytest.approx(speed, rel=1e-12)
    assert rows["depressed"]["burnout_speed_mps"] == pytest.approx(speed, rel=1e-12)
    assert "5,500 km" in rows["lofted"]["assumptions"]["energy"]


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
        arc = flight.min_energy(ref.range_m - b.burnout_downrange_m, b.burnout_altitude_m)
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
    arc = flight.min_energy(322 * KM - srbm.burnout_downrange_m, srbm.burnout_altitude_m)
    assert float(arc.speed_mps) == pytest.approx(5_761 / 3.6, rel=0.03)
    # Hwasong-12, 14 May 2017: 787 km, apogee 2,111 km (csis-hwasong12-2017-05), a flight
    # of about half an hour (Yonhap, 2017-05-15, quoting D. Wright, UCS). IRBM default:
    irbm = DEFAULT_BOOST["IRBM"]
    arc = flight.through_apogee(
        787 * KM - irbm.burnout_downrange_m, 2_111 * KM, irbm.burnout_altitude_m
    )
    assert (irbm.burn_time_s + float(arc.time_s)) / 60 == pytest.approx(30, abs=1)


def test_catalog_boost_overrides_the_class_default() -> None:
    boost = Boost(100.0, 60 * KM, 50 * KM, (TEST_SOURCE,))
    rows = flight_rows(1_000 * KM, _system(boost=boost), ["min-energy"])
    assumed = rows[0]["assumptions"]["boost"]
    assert assumed["default"] is False and "Test publisher" in assumed["source"]
    expected = flight.min_energy(950 * KM, 60 * KM)
    assert rows[0]["time_s"] == pytest.approx(100.0 + float(expected.time_s), abs=1e-9)


def test_beyond_the_energy_and_inside_the_boost_are_invalid_rows() -> None:
    oreshnik = catalog.system("oreshnik")
    for row in flight_rows(6_000 * KM, oreshnik, ["all"]):
        assert not row["valid"] and row["time_s"] is None
        assert "beyond the energy of Oreshnik" in row["notes"][0]
    for row in flight_rows(150 * KM, oreshnik, ["all"]):
        assert not row["valid"] and "boost phase" in row["notes"][0]


def test_depressed_paths_in_the_atmosphere_are_flagged_not_invalid() -> None:
    rows = _by_profile(flight_rows(300 * KM, catalog.system("iskander-m"), ["all"]))
    assert rows["depressed"]["valid"]
    assert ATMOSPHERE_NOTE in rows["depressed"]["notes"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"profiles": ["sideways"]}, "min-energy, lofted, depressed, all"),
        ({"profiles": ["min-energy"], "apogee_m": 2_000 * KM}, "--profile lofted"),
        ({"profiles": ["lofted"]}, "needs a burnout speed"),
        ({"profiles": ["lofted"], "apogee_m": 100 * KM}, "too low"),
        ({"profiles": ["all"], "range_m": 0.0}, "positive"),
        ({"profiles": ["all"], "range_m": 20_100 * KM}, "half the Earth's circumference"),
    ],
)
def test_configuration_errors(kwargs: dict, message: str) -> None:
    args = {"range_m": 787 * KM, "system": None, **kwargs}
    with pytest.raises(InputError, match=message):
        flight_rows(**args)


def test_cruise_and_glide_rows() -> None:
    (row,) = flight_rows(2_000 * KM, catalog.system("kh-101"), ["all"])
    assert row["profile"] == "cruise" and row["valid"]
    assert row["time_s"] == pytest.approx(2_000 * KM / (1_000 / 3.6))  # "up to 1,000 km/h"
    (row,) = flight_rows(2_000 * KM, catalog.system("kalibr"), ["all"])
    assert not row["valid"] and "no speed" in row["notes"][0]
    lrhw = catalog.system("lrhw")
    (row,) = flight_rows(2_000 * KM, lrhw, ["glide"])
    boost = DEFAULT_BOOST["HGV"]
    glide_m = 2_000 * KM - boost.burnout_downrange_m
    assert row["time_s"] == pytest.approx(boost.burn_time_s + glide_m / lrhw.speed_mps.high)
    with pytest.raises(InputError, match="use one of: glide, all"):
        flight_rows(2_000 * KM, lrhw, ["lofted"])


def test_vectorised_times_match_rows_and_mask_what_is_out_of_reach() -> None:
    oreshnik = catalog.system("oreshnik")
    ranges = np.array([100.0, 790.0, 3_000.0, 5_500.0, 6_000.0]) * KM
    for profile in ("min-energy", "lofted", "depressed"):
        times = flight_time_s(ranges, oreshnik, profile)
        for r, t in zip(ranges, times, strict=True):
            (row,) = flight_rows(float(r), oreshnik, [profile])
            if row["valid"]:
                assert t == pytest.approx(row["time_s"], rel=1e-12)
            else:
                assert math.isnan(t)
    assert np.isnan(flight_time_s(ranges, catalog.system("kalibr"))).all()  # no catalog speed
    cruise = flight_time_s(ranges, catalog.system("kh-101"))
    assert cruise[1] == pytest.approx(790 * KM / (1_000 / 3.6))
    assert flight_time_s(ranges, None).shape == ranges.shape


def test_rotating_rows_keep_the_nonrotating_numbers() -> None:
    spec = RotatingSpec(48.6, 45.7, 48.46, 35.05)
    rows = flight_rows(790 * KM, catalog.system("oreshnik"), ["all"], rotating=spec)
    for row in rows:
        assert row["valid"]
        extra = row["rotating_earth"]
        assert extra["nonrotating"]["time_s"] > 0
        # West-bound over ~790 km: the Earth's rotation changes times by seconds.
        assert abs(row["time_s"] - extra["nonrotating"]["time_s"]) < 30
    assert "range_change_pct" in rows[0]["rotating_earth"]
    assert rows[0]["assumptions"]["max_range_this_azimuth_km"] < 5_500
    json.dumps(rows, allow_nan=False)


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


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--distance", "0"], "positive"),
        (["--distance", "-5"], "positive"),
        (["--distance", "25000"], "half the Earth's circumference"),
        (["--distance", "787", "--apogee", "100"], "too low"),
        (["--distance", "787", "--apogee", "2111", "--profile", "depressed"], "--profile lofted"),
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
