"""Coverage in a region is on the part of each country the region holds (issue 10,
part 1): "Russia (European part)" with its area, share, extremes and places, checked
against independent computations — pyproj's geodesic area of the clipped part, and the
share of random points of the part that GeographicLib puts within range."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import numpy as np
import pytest
import shapely
from pyproj import Geod

from reachmap.data.regions import region

if TYPE_CHECKING:
    from conftest import Cli

WGS84 = Geod(ellps="WGS84")
MINSK = (27.5667, 53.9)  # lon, lat: a point launch area, so GeographicLib is the reference


def _geodesic_area_km2(geom: Any) -> float:
    """pyproj's area of ``geom`` with its lon/lat edges cut to 0.01 degrees: pyproj's
    edges are geodesics, reachmap's straight lon/lat lines; the difference falls as the
    square of the edge (European Russia: 1.04 km^2 at 0.1 degrees, 0.056 km^2 at 0.02),
    so at 0.01 degrees it is below 2e-8 of the area."""
    return abs(WGS84.geometry_area_perimeter(shapely.segmentize(geom, 0.01))[0]) / 1e6


def _share_within(geom: Any, range_m: float, n: int = 200_000) -> tuple[float, float]:
    """Share of ``geom``'s ellipsoidal area within ``range_m`` of Minsk by GeographicLib,
    from random points (uniform in longitude and sin(latitude), weighted by the
    ellipsoid's area element relative to the sphere's), and its standard error."""
    rng = np.random.default_rng(10)
    x0, y0, x1, y1 = geom.bounds
    lon = rng.uniform(x0, x1, n)
    lat = np.degrees(np.arcsin(rng.uniform(np.sin(np.radians(y0)), np.sin(np.radians(y1)), n)))
    inside = shapely.contains_xy(geom, lon, lat)
    lon, lat = lon[inside], lat[inside]
    e2 = WGS84.es
    w = (1 - e2 * np.sin(np.radians(lat)) ** 2) ** -2
    _, _, d = WGS84.inv(np.full(lon.size, MINSK[0]), np.full(lon.size, MINSK[1]), lon, lat)
    hit = np.asarray(d) <= range_m
    share = float(np.sum(w * hit) / np.sum(w))
    return share, float(np.sqrt(share * (1 - share) / lon.size))


@pytest.fixture(scope="module")
def europe() -> Any:
    return region("europe")


def test_partly_european_countries_are_measured_on_their_european_part(
    cli: Cli, europe: Any
) -> None:
    code, out, err = cli("reach", "--from", "53.9,27.5667", "--range", "1500", "--targets",
                         "countries", "--in", "europe", "--all", "--format", "json")  # fmt: skip
    assert code == 0, err
    doc = json.loads(out)
    rows = {r["iso3"]: r for r in doc["countries"]}
    assert {iso for iso, r in rows.items() if r["part"]} == set(europe.partial)
    rus, pol = rows["RUS"], rows["POL"]
    assert rus["name"] == "Russia (European part)" and rus["part"] == "European part"
    assert pol["name"] == "Poland" and pol["part"] is None and pol["pop_est"] > 0
    assert rus["pop_est"] is None  # Natural Earth's estimate is for all of Russia
    for iso in ("RUS", "TUR", "KAZ", "FRA", "NOR"):
        part, row = europe.parts[iso], rows[iso]
        assert row["area_km2"] == pytest.approx(_geodesic_area_km2(part), rel=1e-7), iso
        share, sigma = _share_within(part, 1_500e3)
        # 4.5 standard errors: a false failure once in 150,000 runs
        assert abs(row["area_share"] - share) < 4.5 * sigma + 1e-4, (iso, row, share)
    # the envelope's part, independently measured: pyproj on the clipped polygon
    env = shapely.geometry.shape(_envelope_geojson(cli, "1500"))
    within = _geodesic_area_km2(shapely.intersection(europe.parts["RUS"], env))
    assert rus["area_within_km2"] == pytest.approx(within, rel=1e-4)  # envelope tolerance
    assert rus["status"] == "partial" and 0.5 < rus["area_share"] < 0.65
    # East Thrace: 23,764 km^2 published (Turkstat); 1:10m outlines are coarser
    assert rows["TUR"]["area_km2"] == pytest.approx(23_764, rel=0.03)
    # extremes of the part from a point lie on its boundary: against GeographicLib at the
    # vertices of the boundary cut to 0.01 degrees (<= 1.12 km apart: the extreme is
    # within 0.56 km of one of them along the boundary)
    for iso in ("RUS", "TUR", "KAZ"):
        xy = shapely.get_coordinates(shapely.segmentize(europe.parts[iso].boundary, 0.01))
        _, _, d = WGS84.inv(np.full(len(xy), MINSK[0]), np.full(len(xy), MINSK[1]), *xy.T)
        d_km = np.asarray(d) / 1000
        assert d_km.min() - 0.56 <= rows[iso]["nearest_km"] <= d_km.min() + 1e-6, iso
        assert d_km.max() - 1e-6 <= rows[iso]["farthest_km"] <= d_km.max() + 0.56, iso
    # population: the European places of Russia within range, as `--targets cities
    # --in europe` lists them (the region's place filter)
    code, out, _ = cli("reach", "--from", "53.9,27.5667", "--range", "1500", "--targets",
                       "cities", "--in", "europe", "--format", "json")  # fmt: skip
    cities = json.loads(out)["targets"]
    russian = sum(t["population"] for t in cities if t["country_code"] == "RUS" and t["within"])
    assert rus["population_within"] == russian
    # group rows count the members in Europe, the others named
    nato = next(g for g in doc["summary"]["groups"] if g["group"] == "nato")
    assert nato["name"] == "NATO members in Europe" and nato["outside"] == ["CAN", "USA"]
    assert nato["members"] == nato["full"] + nato["partial"] + nato["none"] == 30
    assert "TUR" in nato["members_partial"] and "European part" in doc["summary"]["notes"][-1]


def _envelope_geojson(cli: Cli, range_km: str) -> dict[str, Any]:
    code, out, err = cli("envelope", "--from", "53.9,27.5667", "--range", range_km,
                         "--format", "geojson")  # fmt: skip
    assert code == 0, err
    (feature,) = json.loads(out)["features"]
    return dict(feature["geometry"])


def test_oreshnik_from_belarus_covers_all_of_european_russia_and_east_thrace(cli: Cli) -> None:
    """The news claim "can reach all of Europe": at the low estimate (5,000 km) all of
    Russia is not covered (its Far East is beyond), all of European Russia is."""
    args = ("reach", "--from", "Belarus", "--system", "oreshnik", "--targets", "countries")
    code, out, err = cli(*args, "--format", "json")
    assert code == 0, err
    whole = {r["iso3"]: r for r in json.loads(out)["countries"]}["RUS"]
    assert whole["name"] == "Russia" and whole["status"] == "partial"
    assert 0.6 < whole["area_share"] < 0.8 and whole["farthest_km"] > 7_000
    code, out, err = cli(*args, "--in", "europe", "--format", "json")
    assert code == 0, err
    rows = {r["iso3"]: r for r in json.loads(out)["countries"]}
    for iso in ("RUS", "TUR", "KAZ", "FRA", "NOR", "ESP", "PRT", "NLD"):
        assert rows[iso]["status"] == "full" and rows[iso]["area_share"] == 1.0, rows[iso]
        assert rows[iso]["farthest_km"] < 5_000 and rows[iso]["part"] == "European part"
    assert rows["RUS"]["area_km2"] == pytest.approx(3.93e6, rel=0.01)  # docs/regions.md
    code, out, err = cli(*args, "--in", "europe")
    assert code == 0, err  # the table (its groups named every member: a KeyError for CAN)
    assert "Russia (European" in out and "NATO members in Europe" in out  # wrapped at 80
