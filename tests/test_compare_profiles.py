"""Flight profiles in ``compare`` and ``reach`` (issue 10, part 6): the time column flies
the profiles ``flight`` flies (min-energy, lofted, depressed, lofted through an apogee),
with the same times; the lofted/depressed extremes are explained wherever they are used."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from test_flight import _integrate

from reachmap.data import catalog
from reachmap.flight.times import flight_time_s, profile_note

if TYPE_CHECKING:
    from conftest import Cli

COMPARE = ("compare", "--from", "Belarus", "--vs", "kapustin-yar", "--system", "oreshnik")


def _json(cli: Cli, *args: str) -> object:
    code, out, err = cli(*args, "--format", "json")
    assert code == 0, err
    return json.loads(out)


def _flight(cli: Cli, frm: str, row: dict[str, object], *extra: str) -> dict[str, object]:
    """``reachmap flight`` from ``frm`` to the row's place, by its exact coordinates."""
    to = f"{row['lat']!r},{row['lon']!r}"
    (flown,) = _json(cli, "flight", "--from", frm, "--to", to, "--system", "oreshnik", *extra)  # type: ignore[misc]
    return flown  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    "extra",
    [
        ("--profile", "min-energy"),
        ("--profile", "lofted"),
        ("--profile", "depressed"),
        ("--profile", "lofted", "--apogee", "1000"),
        ("--apogee", "1500km"),  # lofted is implied
    ],
)
def test_compare_times_equal_flight_times(cli: Cli, extra: tuple[str, ...]) -> None:
    rows = _json(cli, *COMPARE, *extra)["targets"]  # type: ignore[index]
    timed = [r for r in rows if r["flight_time_from_s"] is not None and r["distance_from_km"] > 0]
    assert len(timed) >= 20
    flight_args = extra if extra[0] == "--profile" else ("--profile", "lofted", *extra)
    for r in timed[:: max(1, len(timed) // 6)]:  # six places from near to far
        flown = _flight(cli, "Belarus", r, *flight_args)
        assert flown["valid"]
        # the same arc, computed once per path: equal to float rounding (1 us)
        assert r["flight_time_from_s"] == pytest.approx(flown["time_s"], abs=1e-6)
    # where compare has no time within range, flight has none either: the apogee is too
    # low for the distance (an error) or needs more speed than Oreshnik's (an invalid row)
    untimed = [
        r for r in rows if r["flight_time_from_s"] is None and 0 < r["distance_from_km"] <= 5_500
    ]
    if extra[-1] == "1000":  # far places need a higher apogee than 1,000 km
        assert any(r["distance_from_km"] > 4_000 for r in untimed)
    for r in untimed[:2] + untimed[-2:]:  # the nearest (inside the boost) and the farthest
        code, out, err = _flight_code(cli, r, *flight_args, "--format", "json")
        assert (code == 2 and "too low for a lofted path" in err) or (
            code == 0 and not json.loads(out)[0]["valid"]
        )


def _flight_code(cli: Cli, row: dict[str, object], *extra: str) -> tuple[int, str, str]:
    to = f"{row['lat']!r},{row['lon']!r}"
    return cli("flight", "--from", "Belarus", "--to", to, "--system", "oreshnik", *extra)


def test_compare_apogee_time_integrates_independently(cli: Cli) -> None:
    """The compare time of a lofted flight through 1,000 km, checked by integrating the
    two-body motion from the burnout state flight reports (test_flight._integrate)."""
    rows = _json(cli, *COMPARE, "--apogee", "1000")["targets"]  # type: ignore[index]
    r = next(r for r in rows if r["name"] == "Berlin")
    flown = _flight(cli, "Belarus", r, "--profile", "lofted", "--apogee", "1000")
    boost = flown["boost"]  # type: ignore[index]
    got = _integrate(
        flown["burnout_speed_mps"],  # type: ignore[arg-type]
        math.radians(flown["path_angle_deg"]),  # type: ignore[arg-type]
        boost["burnout_altitude_km"] * 1e3,  # type: ignore[index]
    )
    free_range_m = (r["distance_from_km"] - boost["burnout_downrange_km"]) * 1e3  # type: ignore[index]
    # 10 ms and 1 m: the integrator's own accuracy is ~1e-11 relative (test_flight.py)
    assert got["range_m"] == pytest.approx(free_range_m, abs=1.0)
    assert got["apogee_m"] == pytest.approx(1_000e3, abs=1.0)
    total = boost["burn_time_s"] + got["time_s"]  # type: ignore[index]
    assert r["flight_time_from_s"] == pytest.approx(total, abs=0.01)


def test_lofted_and_depressed_are_explained_everywhere(cli: Cli) -> None:
    oreshnik = catalog.system("oreshnik")
    lofted = profile_note("lofted", oreshnik)
    depressed = profile_note("depressed", oreshnik)
    assert lofted is not None and "extreme bound, not a normal flight" in lofted
    assert depressed is not None and "fastest" in depressed and "5,691 m/s" in depressed
    assert profile_note("min-energy", oreshnik) is None
    # flight (profile all), compare, reach and the JSON summary say it in one sentence
    code, out, _ = cli("flight", "--distance", "830", "--system", "oreshnik")
    assert code == 0 and "the steepest arc at Oreshnik's full energy" in " ".join(out.split())
    assert "the flattest arc at Oreshnik's full energy" in " ".join(out.split())
    code, out, _ = cli(*COMPARE, "--profile", "lofted")
    assert code == 0 and "an extreme bound, not a normal flight" in " ".join(out.split())
    args = ("reach", "--from", "Belarus", "--system", "oreshnik", "--targets", "capitals")
    code, out, _ = cli(*args, "--profile", "depressed")
    assert code == 0 and "the fastest flight at that energy" in " ".join(out.split())
    s = _json(cli, *args, "--apogee", "800")["summary"]  # type: ignore[index]
    assert s["flight_profile"] == "lofted" and s["flight_apogee_km"] == 800
    assert "800 km apogee" in s["flight_profile_note"]


def test_claim_checker_says_the_lofted_bound_is_extreme(cli: Cli, tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("An Oreshnik from Belarus would reach London in 15 minutes.")
    data = _json(cli, "check", str(article))
    (claim,) = [c for c in data["claims"] if c["kind"] == "flight_time"]  # type: ignore[index]
    assert "an extreme bound, not a normal flight" in claim["explanation"]


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        (("--profile", "depressed", "--apogee", "900"), "use it with --profile lofted"),
        (("--apogee", "-5"), "apogee"),
    ],
)
def test_bad_apogee_is_one_line(cli: Cli, extra: tuple[str, ...], says: str) -> None:
    code, out, err = cli(*COMPARE, *extra)
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert says in err


def test_apogee_needs_a_system(cli: Cli) -> None:
    code, _, err = cli(
        "compare", "--from", "BLR", "--vs", "RUS", "--range", "900", "--apogee", "900"
    )
    assert code == 2 and "--system" in err


def test_vectorised_apogee_times_match_the_scalar_rows() -> None:
    from reachmap.flight.report import flight_rows

    oreshnik = catalog.system("oreshnik")
    ranges = [600e3, 1_500e3, 2_500e3, 4_000e3, 5_400e3, 6_000e3]
    got = flight_time_s(ranges, oreshnik, "lofted", apogee_m=1_200e3)
    assert math.isnan(got[-1])  # beyond Oreshnik's 5,500 km
    for r, t in zip(ranges, got, strict=True):
        (row,) = flight_rows(r, oreshnik, ["lofted"], apogee_m=1_200e3)
        assert (math.isnan(t) and not row.valid) or t == pytest.approx(row.time_s, abs=1e-9)
