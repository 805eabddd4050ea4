"""Flight-time and range-class claims on texts written for the tests.

Independent references: the textbook minimum-energy time (DESIGN.md: 1,000 km in
7.9 min free flight from the surface) recomputed here from Kepler's equation with
``math`` only; the flight-time verdicts use the distance checked against GeographicLib;
INF Treaty Article II bands (500-1,000 and 1,000-5,500 km).
"""

from __future__ import annotations

import math

import pytest
from geographiclib.geodesic import Geodesic

from reachmap.claims import check_text
from reachmap.claims.flight_time import fastest_s
from reachmap.data import catalog

R, MU = 6_371_000.0, 3.986004418e14


def _min_energy_s(range_m: float) -> float:
    """Textbook free flight from the surface (Kepler's equation), independent of reachmap."""
    psi = range_m / R
    s = math.sin(psi / 2)
    q = 2 * s / (1 + s)
    v, g = math.sqrt(q * MU / R), (math.pi - psi) / 4
    a = R / (2 - q)
    es0 = R * v * math.sin(g) / math.sqrt(MU * a)
    e0 = math.atan2(es0, q - 1)
    return math.sqrt(a**3 / MU) * (2 * (math.pi - e0) + 2 * es0)


def _flight(text: str) -> list:
    return [c for c in check_text(text).claims if c.kind == "flight_time"]


@pytest.mark.parametrize(
    ("text", "verdict", "fit"),
    [
        ("From Belarus, Oreshnik could hit Paris in two minutes.", "inconsistent", "faster"),
        ("Oreshnik, fired from Belarus, could reach London in 8 minutes.", "consistent",
         "depressed"),
        ("An Oreshnik from Belarus would need about 11 minutes to reach Paris.", "consistent",
         "minimum-energy"),
        ("It was fired at Dnipro from Kapustin Yar; the Oreshnik flight took about 15 minutes.",
         "consistent", "lofted"),
        ("An Oreshnik from Belarus would take three hours to reach Paris.", "inconsistent",
         "slower"),
    ],
)  # fmt: skip
def test_ballistic_times(text: str, verdict: str, fit: str) -> None:
    (c,) = _flight(text)
    assert c.verdict == verdict, c.explanation
    assert fit in c.explanation
    fast, me, slow = (c.computed[k] for k in ("fastest_s", "min_energy_s", "lofted_s"))
    assert fast < me < slow


def test_no_system_uses_the_textbook_bounds() -> None:
    (c,) = _flight("From Minsk, a missile could hit Paris in twenty minutes.")
    d = Geodesic.WGS84.Inverse(53.9, 27.56667, 48.85341, 2.3488)["s12"]
    assert c.computed["range_m"] == pytest.approx(d, rel=2e-3)  # GeoNames points, ~1 km
    assert c.computed["min_energy_s"] == pytest.approx(_min_energy_s(c.computed["range_m"]),
                                                       rel=1e-9)  # fmt: skip
    assert c.verdict == "consistent" and c.computed["lofted_s"] is None


def test_fastest_is_above_the_atmosphere_and_below_min_energy() -> None:
    o = catalog.system("oreshnik")
    for range_m in (800e3, 1_600e3, 4_000e3):
        fast, detail = fastest_s(range_m, o)
        assert detail["apogee_m"] >= 100e3 * (1 - 1e-9)
        assert fast < _min_energy_s(range_m) + detail["boost_s"]
    # no system: the free-flight arc through a 100 km apogee, faster than minimum energy
    fast, detail = fastest_s(1_000e3, None)
    assert detail["apogee_m"] == 100e3 and fast < _min_energy_s(1_000e3)
    assert _min_energy_s(1_000e3) / 60 == pytest.approx(7.9, abs=0.05)  # DESIGN.md reference


def test_cruise_missile_at_catalog_speed() -> None:
    (slow,) = _flight("A Kh-101 fired from Belarus would take two hours to reach Berlin.")
    assert slow.verdict == "consistent"  # the catalog speed is an upper bound
    (fast,) = _flight("A Kh-101 fired from Belarus could reach Berlin in ten minutes.")
    assert fast.verdict == "inconsistent"
    speed = catalog.system("kh-101").speed_mps.high  # 1,000 km/h
    assert fast.computed["fastest_s"] == pytest.approx(fast.computed["range_m"] / speed)


def test_time_without_route_is_not_checkable() -> None:
    (c,) = _flight("The flight took about 15 minutes.")
    assert c.verdict == "not_checkable"


def _classes(text: str) -> list:
    return [c for c in check_text(text).claims if c.kind == "range_class"]


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("Intermediate-range missiles can travel between 500 and 5,500 kilometers.", "imprecise"),
        ("Intermediate-range missiles have ranges of 1,000 to 5,500 km.", "consistent"),
        ("Shorter-range missiles fly from 500 to 1,000 kilometres.", "consistent"),
        ("Intermediate-range missiles fly 3,000 to 10,000 km.", "inconsistent"),
        ("Oreshnik, an intermediate-range ballistic missile, was used.", "consistent"),
        ("The Iskander is an intermediate-range missile.", "inconsistent"),
        ("Oreshnik has a range of up to 5,500 km.", "consistent"),
        ("Oreshnik has a range of 2,000 km.", "imprecise"),
        ("Medium-range missiles fly 1,000 to 3,000 km.", "not_checkable"),
    ],
)
def test_range_classes(text: str, verdict: str) -> None:
    (c,) = _classes(text)
    assert c.verdict == verdict, c.explanation


def test_inf_bands_are_the_treaty_figures() -> None:
    (c,) = _classes("Intermediate-range missiles have ranges of 1,000 to 5,500 km.")
    assert c.computed["inf_band_m"] == [1_000e3, 5_500e3]  # Article II, para. 5
