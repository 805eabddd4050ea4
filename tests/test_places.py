"""Resolving what users type as a place."""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

import reachmap
from reachmap.errors import InputError
from reachmap.places import Place, parse_latlon, resolve_place

# --- coordinates ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("53.71,31.70", (53.71, 31.70)),
        (" 53.71 , 31.70 ", (53.71, 31.70)),
        ("53.71 31.70", (53.71, 31.70)),
        ("53.71;31.70", (53.71, 31.70)),
        ("-33.9,18.4", (-33.9, 18.4)),
        ("+90,-180", (90.0, -180.0)),
        ("33.9S, 18.4E", (-33.9, 18.4)),
        ("53.9N 27.56W", (53.9, -27.56)),
        ("27.56E 53.9N", (53.9, 27.56)),  # longitude first, but the letters say so
        (".5,1.", (0.5, 1.0)),
    ],
)
def test_parse_latlon(text: str, expected: tuple[float, float]) -> None:
    assert parse_latlon(text) == expected


@pytest.mark.parametrize("text", ["Minsk", "53.9", "53.9,27.56,3", "1,2km", "", "N,E", "1,2,"])
def test_parse_latlon_other_text_is_none(text: str) -> None:
    assert parse_latlon(text) is None


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
def test_parse_latlon_out_of_range(text: str, message: str) -> None:
    with pytest.raises(InputError) as info:
        parse_latlon(text)
    assert message in str(info.value)


@given(st.floats(-90, 90), st.floats(-180, 180))
def test_parse_latlon_round_trips_repr(lat: float, lon: float) -> None:
    assert parse_latlon(f"{lat!r},{lon!r}") == (lat, lon)


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
        ("Brest", "Brest", "BLR"),  # 347,138 people, more than Brest, France (144,899)
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
