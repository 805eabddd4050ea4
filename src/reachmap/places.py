"""Resolve what a user types as a place: coordinates, a catalog site or a city.

>>> resolve_place("53.9, 27.56").kind
'coordinates'
>>> resolve_place("Minsk").country_code
'BLR'
>>> resolve_place("Brest, France").lon_deg
-4.48628
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reachmap.data import geonames
from reachmap.data.countries import Country, country_at, find_country
from reachmap.errors import InputError

_COORDINATE_HINT = "give LAT,LON in degrees, e.g. 53.9,27.56"
_NUMBER = r"([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*([NSEWnsew]?)"
_LATLON = re.compile(rf"^\s*{_NUMBER}\s*(?:[,;]\s*|\s+){_NUMBER}\s*$")


@dataclass(frozen=True)
class Place:
    """One named point; ``kind`` is 'city', 'capital', 'site' or 'coordinates'."""

    name: str
    lon_deg: float
    lat_deg: float
    country_code: str
    population: int | None
    kind: str


def _signed(value: str, hemisphere: str, negative: str) -> float:
    number = float(value)
    return -number if hemisphere == negative else number


def parse_latlon(text: str) -> tuple[float, float] | None:
    """``(lat_deg, lon_deg)`` from "LAT,LON" text, or None if the text is not of that form.

    Separators: a comma, a semicolon or spaces. Hemisphere letters are allowed
    ("53.9N, 27.56E"; S and W negate). Out-of-range values raise InputError.

    >>> parse_latlon("53.71,31.70")
    (53.71, 31.7)
    >>> parse_latlon("33.9S 18.4E")
    (-33.9, 18.4)
    >>> parse_latlon("Minsk") is None
    True
    >>> parse_latlon("91,0")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    reachmap.errors.InputError: latitude 91 is outside -90..90; give LAT,LON in degrees, ...
    """
    match = _LATLON.match(text)
    if match is None:
        return None
    lat_text, lat_hemi, lon_text, lon_hemi = match.groups()
    lat_hemi, lon_hemi = lat_hemi.upper(), lon_hemi.upper()
    if lat_hemi in ("E", "W") and lon_hemi in ("N", "S"):  # "27.56E 53.9N"
        lat_text, lat_hemi, lon_text, lon_hemi = lon_text, lon_hemi, lat_text, lat_hemi
    if lat_hemi in ("E", "W") or lon_hemi in ("N", "S"):
        raise InputError(f"{text.strip()!r} mixes up hemispheres; {_COORDINATE_HINT}")
    lat, lon = _signed(lat_text, lat_hemi, "S"), _signed(lon_text, lon_hemi, "W")
    if abs(lat) > 90:
        raise InputError(f"latitude {lat_text.lstrip('+')} is outside -90..90; {_COORDINATE_HINT}")
    if abs(lon) > 180:
        raise InputError(
            f"longitude {lon_text.lstrip('+')} is outside -180..180; {_COORDINATE_HINT}"
        )
    return lat, lon


def _catalog_site(name: str) -> Place | None:
    try:
        from reachmap.data import catalog

        site = catalog.find_site(name)
    except (ImportError, AttributeError):  # the catalog module is optional here
        return None
    if site is None:
        return None
    found = find_country(str(site.country)) if site.country else None
    code = found.iso3 if found is not None else str(site.country or "")
    return Place(site.name, float(site.lon_deg), float(site.lat_deg), code, None, "site")


def _city(rows: geonames.Places) -> Place:
    caps = geonames.capitals()
    is_capital = bool((caps.geonameid == rows.geonameid[0]).any())
    return Place(
        name=str(rows.name[0]),
        lon_deg=float(rows.lon_deg[0]),
        lat_deg=float(rows.lat_deg[0]),
        country_code=str(rows.country_code[0]),
        population=int(rows.population[0]),
        kind="capital" if is_capital else "city",
    )


def _unknown(name: str, country: Country | None = None) -> InputError:
    where = f" in {country.name}" if country is not None else ""
    close = geonames.suggest_names(name, country.iso3 if country is not None else None)
    hint = " Did you mean: " + ", ".join(map(repr, close)) + "?" if close else ""
    if country is None and (as_country := find_country(name)) is not None:
        caps = geonames.capitals()
        capital = caps.name[caps.country_code == as_country.iso3]
        example = f", e.g. {capital[0]!r}" if len(capital) else ""
        hint = f" {as_country.name} is a country; name one of its cities{example}."
    return InputError(
        f"unknown place {name!r}{where}; give a city, a launch site from the catalog "
        f"or LAT,LON in degrees (e.g. 53.9,27.56).{hint}"
    )


def resolve_place(name: str) -> Place:
    """The place ``name`` denotes, tried in this order:

    1. "LAT,LON" coordinates (see :func:`parse_latlon`);
    2. a launch site of the catalog (:func:`reachmap.data.catalog.find_site`);
    3. "City, Country" with the country as ISO-2, ISO-3 code or name;
    4. a city of at least 1,000 people (GeoNames), the most populous of that name.

    Names ignore case and accents; former and foreign names of places with
    15,000+ people work too ('Kiev', 'Gomel'). A country name is not a place.

    >>> resolve_place("Kiev").name
    'Kyiv'
    >>> resolve_place("Minsk").kind
    'capital'
    """
    if not name or not name.strip():
        raise InputError(f"empty place name; {_COORDINATE_HINT}, or give a city name")
    latlon = parse_latlon(name)
    if latlon is not None:
        lat, lon = latlon
        code = str(country_at(lon, lat))
        return Place(name.strip(), lon, lat, code, None, "coordinates")
    site = _catalog_site(name)
    if site is not None:
        return site
    city, sep, country_text = name.rpartition(",")
    if sep and city.strip():
        country = find_country(country_text)
        if country is not None:
            rows = geonames.lookup(city, country.iso3)
            if len(rows) == 0:
                raise _unknown(city.strip(), country)
            return _city(rows)
    rows = geonames.lookup(name)
    if len(rows) == 0:
        raise _unknown(name.strip())
    return _city(rows)
