"""Resolving what users type (reachmap.io.resolve): coordinates, places, launch areas
and targets."""

from __future__ import annotations

import json
import sys
import types
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import reachmap
from reachmap.area import Area
from reachmap.errors import InputError
from reachmap.io.resolve import (
    area,
    area_part,
    parse_coordinates,
    resolve_place,
    resolve_targets,
)
from reachmap.places import Place

# --- coordinates ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),  # text is LAT,LON; the result (lon, lat)
    [
        ("53.71,31.70", (31.70, 53.71)),
        (" 53.71 , 31.70 ", (31.70, 53.71)),
        ("53.71 31.70", (31.70, 53.71)),
        ("53.71;31.70", (31.70, 53.71)),
        ("-33.9,18.4", (18.4, -33.9)),
        ("+90,-180", (-180.0, 90.0)),
        ("33.9S, 18.4E", (18.4, -33.9)),
        ("53.9N 27.56W", (-27.56, 53.9)),
        ("27.56E 53.9N", (27.56, 53.9)),  # longitude first, but the letters say so
        (".5,1.", (1.0, 0.5)),
    ],
)
def test_parse_coordinates(text: str, expected: tuple[float, float]) -> None:
    assert parse_coordinates(text) == expected


@pytest.mark.parametrize("text", ["Minsk", "53.9", "53.9,27.56,3", "1,2km", "", "N,E", "1,2,"])
def test_parse_coordinates_other_text_is_none(text: str) -> None:
    assert parse_coordinates(text) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("91,0", "latitude 91 is outside -90..90; give LAT,LON in degrees, e.g. 53.9,27.56"),
        ("-90.5,0", "latitude -90.5 is outside -90..90"),
        ("0,180.01", "longitude 180.01 is outside -180..180"),
        ("1e3,2", "latitude 1e3 is outside -90..90"),
        ("53.9E,27.5E", "mixes up hemispheres"),
    ],
)
def test_parse_coordinates_out_of_range(text: str, message: str) -> None:
    with pytest.raises(InputError) as info:
        parse_coordinates(text)
    assert message in str(info.value)


@given(st.floats(-90, 90), st.floats(-180, 180))
def test_parse_coordinates_round_trips_repr(lat: float, lon: float) -> None:
    assert parse_coordinates(f"{lat!r},{lon!r}") == (lon, lat)


def test_coordinates_resolve_with_their_country() -> None:
    place = resolve_place("53.9,27.56")
    assert place == Place("53.9,27.56", 27.56, 53.9, "BLR", None, "coordinates")
    assert resolve_place("-90,0").country_code == "ATA"  # the South Pole
    assert resolve_place("0,-30").country_code == ""  # mid-Atlantic


# --- cities ---------------------------------------------------------------------------------


def test_capital() -> None:
    minsk = resolve_place("Minsk")
    assert (minsk.name, minsk.country_code, minsk.kind) == ("Minsk", "BLR", "capital")
    assert minsk.population is not None and minsk.population > 1_700_000
    assert minsk.lat_deg == pytest.approx(53.9, abs=0.05)


@pytest.mark.parametrize(
    ("text", "name", "iso3"),
    [
        ("Brest, BY", "Brest", "BLR"),  # "Brest" alone is ambiguous: see below
        ("Brest, FR", "Brest", "FRA"),
        ("Brest, FRA", "Brest", "FRA"),
        ("brest , france", "Brest", "FRA"),
        ("Kiev", "Kyiv", "UKR"),
        ("Gomel", "Homyel'", "BLR"),
        ("hrodna", "Hrodna", "BLR"),
        ("Sao Paulo", "São Paulo", "BRA"),
        ("Moscow, United States", "Moscow", "USA"),
    ],
)
def test_cities(text: str, name: str, iso3: str) -> None:
    place = resolve_place(text)
    assert (place.name, place.country_code) == (name, iso3)
    assert place.kind in ("city", "capital")


def test_unknown_city_suggests() -> None:
    with pytest.raises(InputError, match=r"unknown place 'Minks'.*Did you mean: 'Minsk'"):
        resolve_place("Minks")


def test_unknown_city_in_country_suggests_from_that_country() -> None:
    with pytest.raises(InputError, match=r"unknown place 'Hrodno' in Belarus.*'Hrodna'"):
        resolve_place("Hrodno, BY")


def test_country_name_is_not_a_place() -> None:
    with pytest.raises(
        InputError, match=r"Belarus is a country; name one of its cities, e.g. 'Minsk'"
    ):
        resolve_place("Belarus")


def test_empty_name() -> None:
    with pytest.raises(InputError, match="empty place name"):
        resolve_place("  ")


# --- catalog sites ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FakeSite:
    name: str
    lon_deg: float
    lat_deg: float
    country: str


@pytest.fixture
def fake_catalog(monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    module = types.ModuleType("reachmap.data.catalog")
    sites = {"asipovichy": FakeSite("Asipovichy", 28.6, 53.3, "BLR")}
    module.find_site = lambda name: sites.get(name.strip().lower())  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "reachmap.data.catalog", module)
    monkeypatch.setattr(reachmap.data, "catalog", module, raising=False)
    return module


def test_catalog_site(fake_catalog: types.ModuleType) -> None:
    assert resolve_place("Asipovichy") == Place("Asipovichy", 28.6, 53.3, "BLR", None, "site")
    assert resolve_place("Minsk").kind == "capital"  # not a site: falls through to cities


def test_catalog_without_find_site_is_skipped(fake_catalog: types.ModuleType) -> None:
    del fake_catalog.find_site
    assert resolve_place("Minsk").name == "Minsk"


# --- launch areas ---------------------------------------------------------------------------


def test_area_parts_of_each_kind() -> None:
    point = area_part(" 53.9, 27.5667 ")
    assert point.points.tolist() == [[27.5667, 53.9]] and not point.polygons
    assert (point.parts[0].kind, point.label) == ("coordinates", "53.9,27.5667")
    site = area_part("kapustin-yar")
    assert site.parts[0].kind == "site" and site.parts[0].detail["id"] == "kapustin-yar"
    assert site.points[0].tolist() == [site.parts[0].detail["lon"], site.parts[0].detail["lat"]]
    blr = area_part("Republic of Belarus")
    assert blr.label == "Belarus (BLR)" and blr.parts[0].detail["iso3"] == "BLR"
    assert blr.parts[0].detail["data"]["scale"] == "1:10m" and len(blr.points) == 0
    assert area_part(blr) is blr


def test_area_from_a_geojson_file(tmp_path: Path) -> None:
    ring = [[23.0, 51.0], [32.0, 51.0], [32.0, 56.0], [23.0, 56.0], [23.0, 51.0]]
    path = tmp_path / "box.geojson"
    path.write_text(json.dumps({"type": "Polygon", "coordinates": [ring]}), encoding="utf-8")
    box = area(str(path))
    assert box.label == "box.geojson" and box.parts[0].kind == "geojson"
    assert box.parts[0].detail == {"polygons": 1, "points": 0}
    assert len(box.polygons) == 1 and len(box.polygons[0][0]) == 4  # no closing vertex
    with pytest.raises(InputError, match="does not exist"):
        area(str(tmp_path / "absent.geojson"))


def test_area_union_merges_and_keeps_the_parts() -> None:
    both = area("BLR", "53.9,27.5667", "50,30")
    assert [p.kind for p in both.parts] == ["country", "coordinates", "coordinates"]
    assert both.points.tolist() == [[30.0, 50.0]]  # the point inside Belarus is dropped
    assert isinstance(reachmap.area("BLR"), Area)  # the public facade


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "empty launch area"),
        ("Belaru", r"unknown launch area 'Belaru'.*Did you mean: 'Belarus'"),
        ("91,0", "latitude 91 is outside"),
    ],
)
def test_bad_area_specs(spec: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        area(spec)


def test_no_area_spec() -> None:
    with pytest.raises(InputError, match="no launch area given"):
        area()


# --- targets -----------------------------------------------------------------------------------


def test_targets_by_name_and_file(tmp_path: Path) -> None:
    assert resolve_targets("Capitals").kind == "capitals"
    assert resolve_targets(" cities ", 100_000).kind == "cities >= 100000"
    path = tmp_path / "t.csv"
    path.write_text("name,lat,lon\nA,1,2\n", encoding="utf-8")
    own = resolve_targets(str(path))
    assert own.kind == "user file t.csv" and np.array_equal(own.lon_deg, [2.0])
    with pytest.raises(InputError, match="unknown `targets` 'nowhere'"):
        resolve_targets("nowhere")


# --- cities as launch areas and targets (issue 10, part 5) --------------------------------


def test_city_is_a_launch_area_at_its_geonames_point() -> None:
    from reachmap.data.geonames import lookup

    a = reachmap.area("Astrakhan")
    row = lookup("Astrakhan")
    assert a.label == "Astrakhan (RUS)" and not a.polygons
    assert np.asarray(a.points).reshape(-1, 2).tolist() == [[row.lon_deg[0], row.lat_deg[0]]]


def test_city_with_country_picks_that_country() -> None:
    assert reachmap.area("Cordoba, Spain").label == "Córdoba (ESP)"
    assert reachmap.area("Córdoba, ARG").label == "Córdoba (ARG)"


@pytest.mark.parametrize(
    ("name", "countries"), [("Cordoba", ["ARG", "ESP"]), ("Hamilton", ["CAN", "NZL"])]
)
def test_name_shared_across_countries_lists_the_candidates(name: str, countries: list[str]) -> None:
    with pytest.raises(InputError, match="names places in several countries") as info:
        reachmap.area(name)
    for code in countries:
        assert f", {code}'" in str(info.value)


def test_unknown_launch_area_mentions_cities() -> None:
    with pytest.raises(InputError, match="site, country or city"):
        reachmap.area("Qwxztville")


def test_flight_to_several_places_keeps_all(cli) -> None:
    code, out, err = cli(
        "flight",
        "--from",
        "kapustin-yar",
        "--to",
        "London",
        "--to",
        "Paris",
        "--system",
        "oreshnik",
        "--profile",
        "min-energy",
        "--format",
        "json",
    )
    assert code == 0, err
    rows = json.loads(out)
    assert [r["to"] for r in rows] == ["London", "Paris"]
    from geographiclib.geodesic import Geodesic

    from reachmap.data.geonames import lookup

    site = reachmap.catalog.site("kapustin-yar")
    for row in rows:
        place = lookup(row["to"])
        lat, lon = float(place.lat_deg[0]), float(place.lon_deg[0])
        ref = Geodesic.WGS84.Inverse(site.lat_deg, site.lon_deg, lat, lon)["s12"]
        assert row["ground_range_km"] * 1e3 == pytest.approx(ref, abs=1e-3)


def test_vertices_of_all_launch_areas_together_are_limited(tmp_path, monkeypatch) -> None:
    """Issue 8, section 2: 100 files of just under the vertex limit each were joined (100
    times the limit); the limit is on all of them together, and a file past what is left
    is refused from its count, before it is parsed."""
    import json

    from reachmap.errors import TooLarge
    from reachmap.io import geojson_in, resolve

    monkeypatch.setattr(geojson_in, "MAX_VERTICES", 1000)
    files = []
    for k in range(3):
        pts = [[10.0 + k + i * 1e-3, 50.0] for i in range(400)]
        path = tmp_path / f"p{k}.geojson"
        path.write_text(json.dumps({"type": "MultiPoint", "coordinates": pts}))
        files.append(str(path))
    assert len(resolve.area(*files[:2]).points) == 800
    parsed = []
    real_loads = json.loads
    monkeypatch.setattr(geojson_in.json, "loads", lambda t: parsed.append(1) or real_loads(t))
    with pytest.raises(TooLarge, match=r"more than 1,000 vertices together \(800 before"):
        resolve.area(*files)
    assert len(parsed) == 2  # the third file was counted, never parsed
