"""``flight --time``: the profile that fits a reported time, checked by integrating the
found trajectory independently (two-body motion with scipy, as in test_flight.py)."""

from __future__ import annotations

import json
import math

import pytest
from test_flight import _integrate

from reachmap.data import catalog
from reachmap.flight.fit import fit_time
from reachmap.units import parse_duration_s


def test_reported_15_minutes_kapustin_yar_dnipro_is_a_lofted_flight(cli) -> None:
    code, out, err = cli("flight", "--from", "kapustin-yar", "--to", "Dnipro", "--system",
                         "oreshnik", "--time", "15min", "--format", "json")  # fmt: skip
    assert code == 0, err
    (row,) = json.loads(out)
    assert row["profile"] == "lofted" and row["time_fit"]["fits"] == "lofted"
    assert row["time_s"] == pytest.approx(900.0, abs=1e-3)
    free_range_m = (row["ground_range_km"] - row["boost"]["burnout_downrange_km"]) * 1e3
    got = _integrate(
        row["burnout_speed_mps"],
        math.radians(row["path_angle_deg"]),
        row["boost"]["burnout_altitude_km"] * 1e3,
    )
    # 10 ms and 1 m: the integrator's own accuracy is ~1e-11 relative (test_flight.py)
    assert got["time_s"] == pytest.approx(row["free_flight_time_s"], abs=0.01)
    assert got["range_m"] == pytest.approx(free_range_m, abs=1.0)
    assert got["apogee_m"] == pytest.approx(row["apogee_km"] * 1e3, abs=1.0)
    assert row["boost"]["burn_time_s"] + got["time_s"] == pytest.approx(900.0, abs=0.01)


@pytest.mark.parametrize(
    ("minutes", "fits"),
    [(3, "faster than possible"), (6, "depressed"), (7.9, "min-energy"), (20, "lofted"),
     (40, "slower than possible")],
)  # fmt: skip
def test_each_kind_of_fit(minutes: float, fits: str) -> None:
    fit = fit_time(790e3, catalog.system("oreshnik"), minutes * 60)
    assert fit.fits == fits
    assert fit.fastest_s < (fit.min_energy_s or 0) < (fit.most_lofted_s or 0)
    assert (fit.apogee_m is not None) is (fits == "lofted")


def test_table_says_which_profile(cli) -> None:
    code, out, _ = cli("flight", "--distance", "790", "--system", "oreshnik", "--time", "3:00")
    assert code == 0 and "is faster than any flight the model allows" in out


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--system", "kalibr", "--time", "40"], "needs a ballistic --system"),
        (["--time", "15"], "needs a ballistic --system"),
        (["--system", "oreshnik", "--time", "15", "--apogee", "700"], "drop --profile"),
        (["--system", "oreshnik", "--time", "-3"], "must be positive"),
        (["--system", "oreshnik", "--time", "soon"], "is not a duration"),
        (["--system", "oreshnik", "--time", "3 fortnights"], "unknown unit"),
    ],
)
def test_bad_time_is_one_line_exit_2(cli, args: list[str], says: str) -> None:
    code, _, err = cli("flight", "--distance", "790", *args)
    assert code == 2 and says in err and len(err.strip().splitlines()) == 1


def test_duration_parser() -> None:
    assert parse_duration_s("14:58") == 898.0
    assert parse_duration_s("0.25h") == 900.0
    assert parse_duration_s("15") == 900.0  # minutes by default
