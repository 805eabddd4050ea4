"""Regions against geography as published: which side of the Ural line and the
Turkish Straits named towns lie on, which overseas parts are not Europe, and the size
of European Russia."""

from __future__ import annotations

import pytest

from reachmap.data.regions import EUROPE_DEFINITION, region
from reachmap.errors import InputError
from reachmap.geodesy.ellipsoid import GEOD

#: (lon, lat, ISO-3 of the territory, in Europe?) — conventional geography: the Ural
#: watershed and the Ural River divide Russia and Kazakhstan, the Bosporus and the
#: Dardanelles divide Türkiye; overseas departments and Macaronesia outside the Azores
#: are not Europe (see reachmap.data.regions).
PLACES = {
    "Moscow": (37.62, 55.75, "RUS", True),
    "Kaliningrad": (20.50, 54.70, "RUS", True),
    "Murmansk": (33.08, 68.97, "RUS", True),
    "Perm (west of the Urals)": (56.25, 58.00, "RUS", True),
    "Ufa (west of the Urals)": (55.96, 54.74, "RUS", True),
    "Vorkuta (west of the Polar Urals)": (64.00, 67.50, "RUS", True),
    "Yekaterinburg (east slope of the Urals)": (60.60, 56.84, "RUS", False),
    "Chelyabinsk": (61.40, 55.16, "RUS", False),
    "Norilsk": (88.20, 69.35, "RUS", False),
    "Vladivostok": (131.90, 43.10, "RUS", False),
    "Oral (west bank of the Ural River)": (51.37, 51.23, "KAZ", True),
    "Almaty": (76.90, 43.25, "KAZ", False),
    "Istanbul, Fatih (European side)": (28.95, 41.02, "TUR", True),
    "Istanbul, Kadikoy (Asian side)": (29.03, 40.99, "TUR", False),
    "Edirne": (26.56, 41.68, "TUR", True),
    "Ankara": (32.85, 39.93, "TUR", False),
    "Nicosia": (33.36, 35.17, "CYP", False),
    "Tbilisi": (44.80, 41.70, "GEO", False),
    "Paris": (2.35, 48.86, "FRA", True),
    "Cayenne, French Guiana": (-52.33, 4.94, "FRA", False),
    "Saint-Denis, Reunion": (55.45, -20.88, "FRA", False),
    "Las Palmas, Canary Islands": (-15.41, 28.10, "ESP", False),
    "Ceuta": (-5.31, 35.89, "ESP", False),
    "Funchal, Madeira": (-16.92, 32.65, "PRT", False),
    "Ponta Delgada, Azores (offshore at 1:10m)": (-25.67, 37.74, "PRT", True),
    "Valletta": (14.51, 35.90, "MLT", True),
    "Reykjavik": (-21.90, 64.14, "ISL", True),
    "Nuuk, Greenland": (-51.72, 64.18, "GRL", False),
}


@pytest.mark.parametrize("name", PLACES)
def test_named_places_are_on_the_conventional_side(name: str) -> None:
    lon, lat, code, europe = PLACES[name]
    assert bool(region("europe").contains(lon, lat, code)) is europe


def test_without_country_codes_the_outline_decides() -> None:
    names = [n for n in PLACES if "offshore" not in n]
    lon = [PLACES[n][0] for n in names]
    lat = [PLACES[n][1] for n in names]
    assert region("europe").contains(lon, lat).tolist() == [PLACES[n][3] for n in names]


def test_european_russia_is_about_3_96_million_km2() -> None:
    # Published: "roughly 3,960,000 square kilometres" (Wikipedia, European Russia).
    # 2 % covers the coarse Ural polyline (tens of km) and the 1:10m outline.
    area_m2 = abs(GEOD.geometry_area_perimeter(region("europe").parts["RUS"])[0])
    assert area_m2 / 1e6 == pytest.approx(3.96e6, rel=0.02)


def test_partial_members_are_named() -> None:
    europe = region("europe")
    assert {"RUS", "TUR", "KAZ", "FRA"} <= europe.partial
    assert europe.whole("DEU") and not europe.whole("RUS")
    assert "CYP" not in europe.parts and "GRL" not in europe.parts
    assert "Ural" in EUROPE_DEFINITION and "French Guiana" in EUROPE_DEFINITION


def test_groups_and_continents() -> None:
    nato = region("NATO", on="2024-03-07")
    assert len(nato.members) == 32 and "SWE" in nato.members
    assert "FIN" not in region("nato", on="2023-04-03").members  # joined 2023-04-04
    assert "USA" in region("north america").members
    assert "27 members" in region("eu", on="2025-01-01").definition


def test_unknown_region_says_which_exist() -> None:
    with pytest.raises(InputError, match="unknown region 'Eurasia'.*europe"):
        region("Eurasia")
