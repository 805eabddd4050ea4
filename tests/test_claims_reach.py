"""Reach and forward-basing claims on texts written for the tests.

References: GeographicLib (``geographiclib``) distances from the Natural Earth
vertices of the launch area (an upper bound on the exact distance to the outline,
at most half an edge longer), the catalog's sourced low/high ranges, and for the
farthest part of a region the maximum over every vertex of the region (a lower
bound: the exact farthest point may lie inside an edge or the country) and, where the
vertex maximum is wrong, GeographicLib at the known farthest point (the antipode).
"""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from geographiclib.geodesic import Geodesic

import reachmap
from reachmap.analysis.farthest import Part
from reachmap.claims import Context, check_text
from reachmap.claims.reach import _parts_vertices, farthest
from reachmap.claims.resolve import country_area
from reachmap.data import catalog, countries, geonames

WGS84 = Geodesic.WGS84
ORESHNIK = catalog.system("oreshnik").range_m


def _vertex_min_m(iso3: str, lat: float, lon: float) -> float:
    rings = np.concatenate([p[0] for p in countries.country(iso3).polygons])
    return min(WGS84.Inverse(lat, lon, y, x)["s12"] for x, y in rings)


def _reach(text: str, **context: object) -> list:
    ctx = Context(**context) if context else None  # type: ignore[arg-type]
    return [c for c in check_text(text, ctx).claims if c.kind == "reach"]


def test_all_of_europe_from_belarus() -> None:
    (c,) = _reach("Oreshnik missiles are being deployed to Belarus. They can reach all of Europe.")
    assert c.verdict == "consistent"
    assert c.computed["farthest_country"] == "PRT"  # the Azores
    far = c.computed["farthest_m"]
    assert ORESHNIK.low > far  # within the low estimate
    # the exact farthest point is at least the farthest vertex of Europe, and within
    # half an edge of 1:10m outline (< 10 km) of it
    xy, _ = _parts_vertices("europe", None)
    brute = np.nanmax(country_area("BLR").distance_m(xy[:, 0], xy[:, 1]))
    assert brute - 1e-6 <= far <= brute + 10e3
    at = country_area("BLR").distance_m(c.computed["farthest_lon"], c.computed["farthest_lat"])
    assert float(at) == pytest.approx(far, abs=1e-6)  # the reported point is that far
    ref = _vertex_min_m("BLR", c.computed["farthest_lat"], c.computed["farthest_lon"])
    assert ref - 2_500 <= far <= ref + 1e-3
    assert "European part of each country" in c.assumptions[0]


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("Oreshnik could strike Washington from Belarus.", "inconsistent"),
        ("Oreshnik could reach London from Belarus.", "consistent"),
        ("From Belarus, Oreshnik cannot reach Washington.", "consistent"),
        ("From Belarus, Oreshnik can't reach Berlin.", "inconsistent"),
        ("From Belarus the Iskander could strike Berlin.", "inconsistent"),
    ],
)
def test_places(text: str, verdict: str) -> None:
    (c,) = _reach(text)
    assert c.verdict == verdict, c.explanation


def test_washington_distance_against_geographiclib() -> None:
    (c,) = _reach("Oreshnik could strike Washington from Belarus.")
    rows = geonames.lookup("Washington")
    ref = _vertex_min_m("BLR", float(rows.lat_deg[0]), float(rows.lon_deg[0]))
    assert ref - 2_500 <= c.computed["distance_m"] <= ref + 1e-3
    assert c.computed["distance_m"] > ORESHNIK.high


def test_every_nato_capital_and_the_launch_area_from_context() -> None:
    (c,) = _reach("The Oreshnik puts every NATO capital within range.", from_area=["Belarus"],
                  on="2025-01-01")  # fmt: skip
    assert c.verdict == "inconsistent"  # Washington and Ottawa are beyond 5,500 km
    assert c.computed["capitals"] == 32 and c.computed["farthest_capital"] in (
        "Washington",
        "Ottawa",
    )
    assert "--from" in " ".join(c.assumptions)


def test_stated_range_and_missing_system() -> None:
    (c,) = _reach("From Belarus, a missile that flies 800 miles would not reach Lisbon.")
    assert c.verdict == "consistent" and "800 miles" in c.explanation
    (c,) = _reach("From Belarus it could reach Rome.")
    assert c.verdict == "not_checkable" and "no system" in c.explanation


def test_farthest_of_small_parts_is_their_far_corner() -> None:
    blr = country_area("BLR")
    boxes = [("PRT", -9.14, 38.72), ("FRA", 2.35, 48.86), ("RUS", 37.62, 55.75)]
    parts = [Part(code, shapely.box(x, y, x + 0.01, y + 0.01)) for code, x, y in boxes]
    far = farthest(blr, parts)
    # the farthest of Lisbon's box from Belarus is its south-west corner (GeographicLib
    # from Belarus's vertices bounds it from above, at most half an edge too long)
    assert far.iso3 == "PRT" and (far.lon_deg, far.lat_deg) == (-9.14, 38.72)
    ref = _vertex_min_m("BLR", 38.72, -9.14)
    assert ref - 2_500 <= far.distance_m <= ref + 1e-3


def test_farthest_is_not_the_vertex_maximum() -> None:
    """Regression (issue 8, section 3): the claim checker took the largest vertex
    distance. From -27,-155 the farthest point of Egypt is the launch point's antipode
    (27 N, 25 E), inside the country, half a meridian away; every vertex is nearer."""
    launch = country_area("EGY")  # only for its outline
    area = reachmap.area("-27,-155")
    far = farthest(area, [Part("EGY", launch.geometry)])
    half_meridian = WGS84.Inverse(-27.0, -155.0, 27.0, 25.0)["s12"]
    assert half_meridian - 1.0 <= far.distance_m <= half_meridian + 1e-6  # INTERIOR_TOL_M
    b = launch.boundary
    vertex_max = float(np.max(area.distance_m(b.lon_deg, b.lat_deg)))
    assert far.distance_m > vertex_max + 1_000
    assert far.complete
    (c,) = _reach("Oreshnik could reach all of Egypt.", from_area=["-27,-155"])
    assert c.computed["farthest_m"] == pytest.approx(far.distance_m, abs=1e-6)


def _basing(text: str) -> list:
    return [c for c in check_text(text).claims if c.kind == "basing"]


def test_basing_quotes_minutes_and_newly_within_reach() -> None:
    (c,) = _basing(
        "Iskander missiles are stationed in Belarus. This expands the ability to target NATO "
        "allies."
    )
    runs = c.computed["baselines"]
    territory, sites = (
        runs["Russia's territory"],
        next(v for k, v in runs.items() if k.startswith("Russia's catalog sites")),
    )
    assert territory["newly_within"] == []
    assert "Tallinn" in sites["newly_within"]
    assert c.verdict == "imprecise" and "Tallinn" in c.explanation
    # Tallinn: within 500 km of Belarus, beyond 500 km of every Russian catalog site
    lat, lon = 59.43696, 24.75353
    assert _vertex_min_m("BLR", lat, lon) < 500e3
    for s in catalog.sites():
        if s.country == "RUS" and s.kind != "reference place":
            assert WGS84.Inverse(lat, lon, s.lat_deg, s.lon_deg)["s12"] > 500e3


def test_basing_needs_a_system() -> None:
    (c,) = _basing("Basing in Belarus lets them reach targets more quickly.")
    assert c.verdict == "not_checkable"


def test_basing_more_quickly_gives_median_minutes() -> None:
    (c,) = _basing("Oreshnik is deployed in Belarus, so it can reach targets more quickly.")
    assert "median" in c.explanation and "min over" in c.explanation
    for r in c.computed["baselines"].values():
        assert isinstance(r["median_minutes_saved"], float)
