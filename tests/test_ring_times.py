"""Ring sets with a system's flight times (issue 10, part 4): ``reach --system S --range
1000,3000`` times each place and each band's outer ring, ``envelope`` each ring. The
times are checked by integrating the two-body motion from the burnout state that
``reachmap flight`` reports (test_flight._integrate, DOP853), not by reachmap's Kepler
solution."""

from __future__ import annotations

import json
import math
import re
from typing import TYPE_CHECKING

import pytest
from rich.cells import cell_len
from test_flight import EARTH_RADIUS_M, MU_EARTH_M3_S2, _integrate

if TYPE_CHECKING:
    from conftest import Cli

RINGS = ("--from", "Belarus", "--system", "oreshnik", "--range", "1000,3000,6000")


def _json(cli: Cli, *args: str) -> object:
    code, out, err = cli(*args, "--format", "json")
    assert code == 0, err
    return json.loads(out)


def _independent_time_s(cli: Cli, range_km: float) -> float:
    """Oreshnik's min-energy time to ``range_km``: boost as `flight` reports it, free
    flight integrated from its burnout state; the integrated range must land on the
    ring (1 m) for the time to count."""
    (row,) = _json(cli, "flight", "--distance", f"{range_km!r}", "--system", "oreshnik",
                   "--profile", "min-energy")  # type: ignore[misc]  # fmt: skip
    boost = row["boost"]
    got = _integrate(
        row["burnout_speed_mps"],
        math.radians(row["path_angle_deg"]),
        boost["burnout_altitude_km"] * 1e3,
    )
    # 1 m and 10 ms: the integrator's own accuracy is ~1e-11 relative (test_flight.py)
    assert got["range_m"] == pytest.approx((range_km - boost["burnout_downrange_km"]) * 1e3,
                                           abs=1.0)  # fmt: skip
    return float(boost["burn_time_s"] + got["time_s"])


def _clock(seconds: float) -> str:
    m, s = divmod(round(seconds), 60)
    return f"{m}:{s:02d}"


def test_reach_ring_set_times_bands_and_places(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = _json(cli, "reach", *RINGS, "--targets", "capitals")
    bands = doc["bands"]  # type: ignore[index]
    assert doc["summary"]["system"] == "oreshnik"  # type: ignore[index]
    assert doc["summary"]["flight_profile"] == "min-energy"  # type: ignore[index]
    for band, km in zip(bands[:2], (1000.0, 3000.0), strict=True):
        assert band["flight_time_s"] == pytest.approx(_independent_time_s(cli, km), abs=0.01)
    assert bands[2]["flight_time_s"] is None  # 6,000 km is beyond Oreshnik's 5,500 km
    places = {t["name"]: t for t in doc["targets"]}  # type: ignore[index]
    warsaw = places["Warsaw"]
    assert warsaw["flight_time_s"] == pytest.approx(
        _independent_time_s(cli, warsaw["distance_km"]), abs=0.01
    )
    assert all(t["flight_time_s"] is None for t in places.values() if t["distance_km"] > 5500)

    monkeypatch.setenv("COLUMNS", "80")
    code, out, err = cli("reach", *RINGS, "--targets", "capitals", "--limit", "5")
    assert code == 0, err
    assert all(cell_len(line.rstrip()) <= 80 for line in out.splitlines()), out
    assert "m:s to" in out and "outer ring" in out
    b1, b2 = (_clock(b["flight_time_s"]) for b in bands[:2])
    assert re.search(rf"0–1,000 km .*\s{b1}\s", out) and re.search(
        rf"1,000–3,000 km .*\s{b2}\s", out
    )
    assert re.search(r"3,000–6,000 km .*\s–\s", out)
    assert re.search(rf"Warsaw .*\s{_clock(warsaw['flight_time_s'])}\s", out), out
    assert "Oreshnik's min-energy flight time" in " ".join(out.split())


def test_reach_ring_set_csv_and_profile(cli: Cli) -> None:
    code, out, err = cli("reach", *RINGS, "--targets", "capitals", "--format", "csv")
    assert code == 0, err
    assert out.splitlines()[0].endswith(",band_label,flight_time_s")
    # without a system the columns stay as they were
    code, out, _ = cli("reach", "--from", "BLR", "--range", "500,1000", "--targets", "capitals",
                       "--format", "csv")  # fmt: skip
    assert out.splitlines()[0].endswith(",band,band_label")
    # --profile none: no time column; depressed: explained in one line
    doc = _json(cli, "reach", *RINGS, "--targets", "capitals", "--profile", "none")
    assert "flight_time_s" not in doc["bands"][0]  # type: ignore[index]
    code, out, _ = cli("reach", *RINGS, "--targets", "capitals", "--profile", "depressed",
                       "--units", "mi")  # fmt: skip
    flat = " ".join(out.split())
    # the one-line explanation in miles: 5,500 km / 1,609.344 m = 3,418 mi
    assert f"as on its {5_500e3 / 1609.344:,.0f} mi maximum-range flight" in flat, flat


def test_envelope_ring_set_of_a_system_has_times(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = _json(cli, "envelope", "--from", "Belarus", "--system", "oreshnik", "--range",
                "1000,6000")  # fmt: skip
    f1, f2 = doc["features"]  # type: ignore[index]
    assert f1["flight_time_s"] == pytest.approx(_independent_time_s(cli, 1000.0), abs=0.01)
    assert f1["flight_profile"] == "min-energy" and f2["flight_time_s"] is None
    assert any("beyond Oreshnik's maximum reported range (5,500 km)" in n for n in doc["notes"])  # type: ignore[index]
    monkeypatch.setenv("COLUMNS", "80")
    code, out, err = cli("envelope", "--from", "Belarus", "--system", "oreshnik", "--range",
                         "1000,6000", "--format", "table")  # fmt: skip
    assert code == 0, err
    assert all(cell_len(line.rstrip()) <= 80 for line in out.splitlines()), out
    assert re.search(rf"1,000 km .*\s{_clock(f1['flight_time_s'])}\s", out), out


def test_help_says_how_system_and_range_combine(cli: Cli) -> None:
    for command in ("reach", "envelope"):
        code, out, _ = cli(command, "--help")
        assert code == 0
        flat = " ".join(out.replace("│", " ").split())
        assert "with --system, the rings carry its flight times" in flat, flat


def test_ring_set_json_in_miles_converts_the_list_of_ranges(cli: Cli) -> None:
    doc = _json(cli, "reach", "--from", "BLR", "--range", "500,1000", "--targets", "capitals",
                "--units", "mi")  # fmt: skip
    # was [500.0, 1000.0]: a list under *_km was copied, not converted
    assert doc["ranges_mi"] == pytest.approx([500e3 / 1609.344, 1000e3 / 1609.344], rel=1e-12)  # type: ignore[index]
    assert doc["summary"]["ranges_mi"] == doc["ranges_mi"]  # type: ignore[index]


def _textbook_min_energy_s(range_m: float) -> float:
    """The minimum-energy arc from the surface (DESIGN.md: gamma = (pi - psi)/4,
    Q = 2 sin(psi/2) / (1 + sin(psi/2))), integrated (DOP853) rather than solved."""
    psi = range_m / EARTH_RADIUS_M
    q = 2 * math.sin(psi / 2) / (1 + math.sin(psi / 2))
    got = _integrate(math.sqrt(q * MU_EARTH_M3_S2 / EARTH_RADIUS_M), (math.pi - psi) / 4, 0.0)
    assert got["range_m"] == pytest.approx(range_m, abs=1.0)  # 1 m: it lands on the ring
    return float(got["time_s"])


def test_min_energy_without_a_system_is_the_textbook_arc(cli: Cli) -> None:
    args = ("--from", "53.9,27.567", "--targets", "capitals", "--profile", "min-energy")
    doc = _json(cli, "reach", *args, "--range", "1000,2000")
    b1 = doc["bands"][0]["flight_time_s"]  # type: ignore[index]
    assert b1 == pytest.approx(_textbook_min_energy_s(1000e3), abs=0.01)  # 10 ms
    assert round(b1 / 60, 1) == 7.9  # DESIGN.md's reference: 1,000 km in 7.9 min
    vilnius = next(t for t in doc["targets"] if t["name"] == "Vilnius")  # type: ignore[index]
    one = _json(cli, "reach", *args, "--range", "1000")
    same = next(t for t in one["targets"] if t["name"] == "Vilnius")  # type: ignore[index]
    assert (
        same["flight_time_s"]
        == vilnius["flight_time_s"]
        == pytest.approx(_textbook_min_energy_s(vilnius["distance_km"] * 1e3), abs=0.01)
    )
    code, out, _ = cli("reach", *args, "--range", "1000")
    assert code == 0 and "textbook min-energy flight time" in " ".join(out.split())
    code, out, err = cli("reach", *args[:-1], "lofted", "--range", "1000,2000")
    assert code == 2 and "--profile lofted needs a --system" in err, err
