"""Distance and border claims on texts written for the tests.

References: GeographicLib's own Python implementation (``geographiclib``, Karney 2013)
between the GeoNames coordinates of the cities; for a country, the minimum over its
Natural Earth 1:10m vertices of the GeographicLib distance (an upper bound of the
exact distance to the outline, at most half an edge longer); border neighbours from
the CIA World Factbook ("Belarus: Geography": Latvia, Lithuania, Poland, Russia,
Ukraine); border lengths from an edge-by-edge GeographicLib sum over the shared
vertices of the two outlines.
"""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from geographiclib.geodesic import Geodesic

from reachmap.analysis.borders import shared_line
from reachmap.claims import check_text
from reachmap.data import countries, geonames

WGS84 = Geodesic.WGS84


def _city(name: str) -> tuple[float, float]:
    rows = geonames.lookup(name)
    return float(rows.lat_deg[0]), float(rows.lon_deg[0])


def _geodesic_m(a: str, b: str) -> float:
    (lat1, lon1), (lat2, lon2) = _city(a), _city(b)
    return WGS84.Inverse(lat1, lon1, lat2, lon2)["s12"]


def _kind(text: str, kind: str) -> list:
    return [c for c in check_text(text).claims if c.kind == kind]


@pytest.mark.parametrize(
    ("text", "a", "b", "verdict"),
    [
        ("Rome is some 1,700 km from Minsk.", "Rome", "Minsk", "consistent"),
        ("It is about 1,700 km from Minsk to Rome.", "Minsk", "Rome", "consistent"),
        ("The distance between Kyiv and Minsk is 433 km.", "Kyiv", "Minsk", "consistent"),
        ("Warsaw lies 470 km west of Minsk.", "Warsaw", "Minsk", "consistent"),
        ("Minsk lies 2,500 km from Paris.", "Minsk", "Paris", "inconsistent"),
        ("Berlin is more than 3,000 km from Warsaw.", "Berlin", "Warsaw", "inconsistent"),
        ("Berlin is less than 600 km from Warsaw.", "Berlin", "Warsaw", "consistent"),
    ],
)
def test_city_distances_against_geographiclib(text: str, a: str, b: str, verdict: str) -> None:
    (c,) = _kind(text, "distance")
    assert c.verdict == verdict, c.explanation
    # exact to a millimetre against GeographicLib between the same GeoNames points
    assert c.computed["distance_m"] == pytest.approx(_geodesic_m(a, b), abs=1e-3)


def test_country_means_its_nearest_point() -> None:
    (c,) = _kind("Vilnius is less than 50 km from Belarus.", "distance")
    assert c.verdict == "consistent"
    lat, lon = _city("Vilnius")
    rings = np.concatenate([p[0] for p in countries.country("BLR").polygons])
    vertex_min = min(WGS84.Inverse(lat, lon, y, x)["s12"] for x, y in rings[::1])
    # the outline between vertices can only be nearer; 1:10m edges are < 5 km here
    assert vertex_min - 2_500 <= c.computed["distance_m"] <= vertex_min + 1e-3
    # not the distance to the capital (Vilnius-Minsk is about 172 km)
    assert c.computed["distance_m"] < 0.3 * _geodesic_m("Vilnius", "Minsk")


def test_away_from_a_country_reads_the_capital_when_only_that_fits() -> None:
    text = "Belarus is next door. Riga lies roughly 400 kilometres away."
    (c,) = _kind(text, "distance")
    assert c.verdict == "imprecise" and "Minsk" in c.explanation


def test_unknown_place_lists_closest_names() -> None:
    (c,) = _kind("Brest is 1,000 km from Minskk.", "distance")
    assert c.verdict == "not_checkable"
    assert "Minsk" in c.computed["closest_names"]


def _line_length_m(a: str, b: str) -> float:
    line = shared_line(countries.country(a), countries.country(b))
    total = 0.0
    for part in shapely.get_parts(line):
        xy = shapely.get_coordinates(part)
        for (x1, y1), (x2, y2) in zip(xy[:-1], xy[1:], strict=True):
            total += WGS84.Inverse(y1, x1, y2, x2)["s12"]
    return total


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Belarus borders Ukraine, Russia, Poland, Lithuania and Latvia.",
            {"UKR": "consistent", "RUS": "consistent", "POL": "consistent",
             "LTU": "consistent", "LVA": "consistent"},
        ),
        (
            "Belarus borders Poland, Lithuania and Slovakia.",
            {"POL": "consistent", "LTU": "consistent", "SVK": "inconsistent"},
        ),
        (
            "Belarus shares borders with both Ukraine and Russia.",
            {"UKR": "consistent", "RUS": "consistent"},
        ),
        ("Ukraine, bordering Belarus and Germany, ...", {"BLR": "consistent",
                                                        "DEU": "inconsistent"}),
    ],
)  # fmt: skip
def test_adjacency_one_verdict_per_neighbour(text: str, expected: dict[str, str]) -> None:
    claims = [c for c in _kind(text, "borders") if "neighbour" in c.computed]
    assert {c.computed["neighbour"]: c.verdict for c in claims} == expected


def test_border_length_is_never_inconsistent_on_length() -> None:
    reference = _line_length_m("BLR", "UKR")
    assert 850e3 < reference < 875e3  # about 862 km (DESIGN.md)
    for text, verdict in [
        ("Belarus has a 1,084-kilometer (673-mile) border with Ukraine.", "consistent"),
        ("Belarus borders Ukraine (officially 1,084 km of border).", "consistent"),
        ("Belarus shares a 3,000 km border with Ukraine.", "imprecise"),
        ("Belarus shares a 500 km border with Ukraine.", "imprecise"),
    ]:
        (c,) = [c for c in _kind(text, "borders") if "stated_m" in c.computed]
        assert c.verdict == verdict, (text, c.explanation)
        assert c.computed["border_length_m"] == pytest.approx(reference, rel=1e-9)
        assert "1:10m" in c.explanation and any("scale" in a for a in c.assumptions)


def test_length_with_a_country_that_is_no_neighbour() -> None:
    (c,) = [c for c in _kind("Belarus has a 300 km border with Slovakia.", "borders")
            if "stated_m" in c.computed]  # fmt: skip
    assert c.verdict == "inconsistent" and "no border" in c.explanation
