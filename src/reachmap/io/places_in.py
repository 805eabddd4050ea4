"""Reading the user's places from a CSV or GeoJSON file, with errors that say where.

CSV: a header naming ``name``, ``lat`` and ``lon`` (or ``latitude``, ``longitude``),
optionally ``population`` and ``country_code`` (ISO-2, ISO-3 or a country name);
comma, semicolon or tab separated. GeoJSON: a FeatureCollection (or one Feature) of
Point or MultiPoint features; the properties read are ``name``, ``population`` and
``country_code`` (or ``country``, ``iso3``), any case. Columns and properties reachmap
does not read are reported (``Places.warnings``: stderr and the JSON ``warnings``), once
each, with the name that may have been meant ("ignored column 'pop' (did you mean
'population'?)"); a value it reads but cannot use is an error naming it. Blank country
codes are filled in from the outlines (:func:`reachmap.data.countries.country_at`).
Every error names the file and the line or feature, and what is wrong.

Limits (docs/limits.md): a regular file of at most
:data:`reachmap.io.files.MAX_INPUT_BYTES`, at most :data:`MAX_PLACES` places (lines or
positions are counted before anything is parsed), CSV fields of at most
:data:`MAX_FIELD_CHARS` characters, populations of at most :data:`MAX_POPULATION`.

>>> parse_places("name,lat,lon\\nMinsk,53.9,27.5667\\n", "minsk.csv").lon_deg.tolist()
[27.5667]
>>> parse_places("name,lat,lon\\nX,91,0\\n", "bad.csv")
Traceback (most recent call last):
...
reachmap.errors.InputError: bad.csv: line 2: latitude 91 is outside -90..90
"""

from __future__ import annotations

import csv
import difflib
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from reachmap.errors import InputError, TooLarge, shown
from reachmap.io.files import read_input
from reachmap.io.geojson_in import load_json
from reachmap.places import MAX_POPULATION, Places
from reachmap.words import plural

#: Most places one file may hold: 7 times the GeoNames extract of places of 1,000+
#: people (about 150,000); distances to a million places take seconds.
MAX_PLACES = 1_000_000
#: Longest CSV field: Python's ``csv.field_size_limit()`` default, which reachmap leaves
#: alone; no name is this long.
MAX_FIELD_CHARS = 131_072

_LAT_COLUMNS = ("lat", "latitude", "lat_deg")
_LON_COLUMNS = ("lon", "lng", "long", "longitude", "lon_deg")
_POP_COLUMNS = ("population",)
_CC_COLUMNS = ("country_code", "country", "iso3")
#: Headers people use for a column reachmap reads under another name (the suggestion of
#: "ignored column 'pop' (did you mean 'population'?)").
_ALIASES = {
    "pop": "population", "pop_est": "population", "inhabitants": "population",
    "population_total": "population", "residents": "population",
    "cc": "country_code", "iso": "country_code", "iso2": "country_code",
    "iso_a3": "country_code", "iso_a2": "country_code", "countrycode": "country_code",
    "city": "name", "place": "name", "town": "name", "label": "name", "title": "name",
    "y": "lat", "x": "lon", "long_deg": "lon",
}  # fmt: skip

#: (name, lon_deg, lat_deg, population, ISO-3 code or "")
Row = tuple[str, float, float, int, str]


def _number(value: Any, what: str, where: str) -> float:
    if isinstance(value, bool) or value is None:
        raise InputError(f"{where}: {what} {shown(value)} is not a number")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{where}: {what} {shown(value)} is not a number") from None
    if not np.isfinite(number):
        raise InputError(f"{where}: {what} {shown(value)} is not a finite number")
    return number


def _point(lon: Any, lat: Any, where: str) -> tuple[float, float]:
    """(lon_deg, lat_deg), checked; the latitude is checked first."""
    lat_deg = _number(lat, "latitude", where)
    lon_deg = _number(lon, "longitude", where)
    if abs(lat_deg) > 90:
        raise InputError(f"{where}: latitude {lat_deg:g} is outside -90..90")
    if abs(lon_deg) > 180:
        raise InputError(f"{where}: longitude {lon_deg:g} is outside -180..180")
    return lon_deg, lat_deg


def _json_number(value: Any, what: str, where: str) -> Any:
    """A JSON number (not a boolean, string or null), as GeoJSON positions must be."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(f"{where}: {what} {shown(value)} is not a JSON number")
    return value


def _population(value: Any, where: str) -> int:
    if value is None or (isinstance(value, str) and not value.strip()):
        return 0
    number = _number(value, "population", where)
    if number < 0:
        raise InputError(f"{where}: population {shown(value)} is negative")
    if number > MAX_POPULATION:
        raise InputError(
            f"{where}: population {number:.4g} is more than {MAX_POPULATION:,}, more "
            "than the world's; check the column"
        )
    return round(number)


def _country_code(value: Any, where: str) -> str:
    """ISO-3 code for a user-given ISO-2/ISO-3 code or country name ('' if blank)."""
    text = "" if value is None else str(value).strip()
    if not text:
        return ""
    from reachmap.data.countries import find_country
    from reachmap.data.geonames import iso2_to_iso3

    found = find_country(text)
    if found is not None:
        return found.iso3
    if len(text) == 3 and text.isalpha():
        return text.upper()
    iso3 = iso2_to_iso3().get(text.upper())
    if iso3 is None:
        raise InputError(f"{where}: unknown country {shown(text)}; give an ISO-2 or ISO-3 code")
    return iso3


def read_csv_rows(text: str, where: str) -> list[Row]:
    """Rows of CSV text (see the module doc); ``where`` names the file in errors."""
    return read_csv(text, where)[0]


def ignored_columns(header: list[str], used: set[int], where: str) -> list[str]:
    """One warning per header column reachmap does not read, with the column it may
    have meant.

    >>> ignored_columns(["name", "lat", "lon", "pop", "notes"], {0, 1, 2}, "my.csv")
    ["my.csv: ignored column 'pop' (did you mean 'population'?)", "my.csv: ignored column 'notes'"]
    """
    unread = [c for k, c in enumerate(header) if k not in used and c]
    known = ["name", *_LAT_COLUMNS, *_LON_COLUMNS, *_POP_COLUMNS, *_CC_COLUMNS]
    return [f"{where}: ignored column {c!r}{_hint(c, known, 'column')}" for c in unread]


def ignored_properties(counts: dict[str, int], where: str) -> list[str]:
    """One warning per GeoJSON property name reachmap does not read (``counts``: in how
    many features it appears), with the property it may have meant.

    >>> ignored_properties({"pop": 2, "iso3": 1}, "my.geojson")
    ["my.geojson: ignored property 'pop' in 2 features (did you mean 'population'?)", \
"my.geojson: ignored property 'iso3' in 1 feature (another property already gives it)"]
    """
    known = ["name", *_POP_COLUMNS, *_CC_COLUMNS]
    return [
        f"{where}: ignored property {p!r} in {plural(n, 'feature')}{_hint(p, known, 'property')}"
        for p, n in counts.items()
    ]


def _hint(name: str, known: list[str], word: str) -> str:
    """`` (did you mean 'population'?)`` for a header or property reachmap does not read."""
    if name in known:
        return f" (another {word} already gives it)"
    meant = _ALIASES.get(name) or next(
        iter(difflib.get_close_matches(name, known, n=1, cutoff=0.75)), None
    )
    return f" (did you mean {meant!r}?)" if meant else ""


def read_csv(text: str, where: str) -> tuple[list[Row], list[str]]:
    """Rows of CSV text and the warnings about its header (columns not read)."""
    # the header, and a last line without an end: more lines than places + 1 is too many
    if max(text.count("\n"), text.count("\r")) > MAX_PLACES + 1:
        raise TooLarge(f"{where}: more than {MAX_PLACES:,} lines (docs/limits.md); split the file")
    lines = text.splitlines(keepends=True)
    try:
        # the header's start is enough (the sniffer's regexes are slow on huge lines)
        dialect: Any = csv.Sniffer().sniff(lines[0][:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(lines, dialect)
    header = [h.strip().lower() for h in next(_records(reader, where))]

    def column(*names: str) -> int | None:
        return next((header.index(n) for n in names if n in header), None)

    i_name, i_lat, i_lon = column("name"), column(*_LAT_COLUMNS), column(*_LON_COLUMNS)
    i_pop, i_cc = column(*_POP_COLUMNS), column(*_CC_COLUMNS)
    missing = [n for n, i in (("name", i_name), ("lat", i_lat), ("lon", i_lon)) if i is None]
    if missing or i_name is None or i_lat is None or i_lon is None:
        raise InputError(
            f"{where}: line 1: missing column(s) {', '.join(missing)}; the header must name "
            f"name, lat and lon (optional: population, country_code), got {','.join(header)}"
        )
    used = {i for i in (i_name, i_lat, i_lon, i_pop, i_cc) if i is not None}
    warnings = ignored_columns(header, used, where)
    rows = []
    for record in _records(reader, where):
        at = f"{where}: line {reader.line_num}"
        if not any(cell.strip() for cell in record):
            continue
        if len(record) < len(header):
            raise InputError(f"{at}: {plural(len(record), 'field')}, the header has {len(header)}")
        name = record[i_name].strip()
        if not name:
            raise InputError(f"{at}: the name is empty")
        lon, lat = _point(record[i_lon], record[i_lat], at)
        pop = _population(record[i_pop], at) if i_pop is not None else 0
        code = _country_code(record[i_cc], at) if i_cc is not None else ""
        rows.append((name, lon, lat, pop, code))
    return rows, warnings


def _records(reader: Any, where: str) -> Any:
    """The reader's records, with its errors (a field over the limit, a stray quote at
    the end) as one line naming the line."""
    while True:
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            raise InputError(
                f"{where}: line {reader.line_num}: {err}; fields are at most "
                f"{MAX_FIELD_CHARS:,} characters, quotes must be closed"
            ) from None


def read_geojson_rows(text: str, where: str) -> list[Row]:
    """Rows of GeoJSON point features (see the module doc)."""
    return read_geojson(text, where)[0]


def read_geojson(text: str, where: str) -> tuple[list[Row], list[str]]:
    """Rows of GeoJSON point features and the warnings about their properties (names
    not read, once per name)."""
    data = load_json(text, where, max_positions=MAX_PLACES, what="places")
    kind = data.get("type") if isinstance(data, dict) else None
    if kind == "Feature":
        features = [data]
    elif kind == "FeatureCollection" and isinstance(data.get("features"), list):
        features = data["features"]
    else:
        got = kind if kind is None else shown(kind)
        raise InputError(f"{where}: expected a GeoJSON FeatureCollection or Feature, got {got}")
    rows: list[Row] = []
    unread: dict[str, int] = {}
    for i, feature in enumerate(features):
        at = f"{where}: features[{i}]"
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        if not isinstance(geometry, dict):
            raise InputError(f"{at}: no geometry; give a Point or MultiPoint")
        if not isinstance(feature.get("properties") or {}, dict):
            raise InputError(f"{at}: properties must be an object")
        props = {str(k).strip().lower(): v for k, v in (feature.get("properties") or {}).items()}
        name = _feature_name(props.get("name"), i, f"{at}.properties.name")
        pop = _population(props.get("population"), at)
        cc = next((k for k in _CC_COLUMNS if props.get(k) not in (None, "")), None)
        code = _country_code(props[cc], at) if cc else ""
        for key in props:
            if key not in ("name", "population", cc):
                unread[key] = unread.get(key, 0) + 1
        for lon, lat in _feature_points(geometry, at):
            rows.append((name, lon, lat, pop, code))
    return rows, ignored_properties(unread, where)


def _feature_name(value: Any, i: int, where: str) -> str:
    """A feature's name: a string or number; a feature without one is called "feature i"."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return f"feature {i}"
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        kind = {dict: "an object", list: "an array", bool: "a boolean"}.get(type(value), "")
        raise InputError(f"{where}: {kind or shown(value)} is not a name; give a string")
    return str(value).strip()


def _feature_points(geometry: dict[str, Any], at: str) -> list[tuple[float, float]]:
    """(lon_deg, lat_deg) of a Point or MultiPoint geometry, checked."""
    points: Any
    if geometry.get("type") == "Point":
        points = [geometry.get("coordinates")]
    elif geometry.get("type") == "MultiPoint":
        points = geometry.get("coordinates")
    else:
        raise InputError(
            f"{at}: geometry type {shown(geometry.get('type'))} is not supported; "
            "use Point or MultiPoint"
        )
    out = []
    for j, xy in enumerate(points if isinstance(points, list) else [None]):
        at_j = f"{at}.geometry.coordinates"
        at_j += "" if geometry["type"] == "Point" else f"[{j}]"
        if not isinstance(xy, list) or len(xy) < 2:
            raise InputError(f"{at_j}: coordinates must be [lon, lat], got {shown(xy)}")
        lon = _json_number(xy[0], "longitude", f"{at_j}[0]")
        lat = _json_number(xy[1], "latitude", f"{at_j}[1]")
        out.append(_point(lon, lat, at_j))
    return out


def parse_places(text: str, where: str, *, geojson: bool | None = None) -> Places:
    """Places from file text; ``geojson`` None: GeoJSON if ``where`` ends in .json or
    .geojson or the text starts with ``{``, else CSV. ``where`` names the source in errors
    and in the ``kind`` of the result."""
    if not text.strip():
        raise InputError(f"{where}: the file is empty; expected CSV with name,lat,lon or GeoJSON")
    if geojson is None:
        suffix = Path(where).suffix.lower()
        geojson = suffix in (".json", ".geojson") or text.lstrip().startswith("{")
    rows, warnings = read_geojson(text, where) if geojson else read_csv(text, where)
    if not rows:
        raise InputError(f"{where}: no places in the file")
    names, lon, lat, pop, codes = zip(*rows, strict=True)
    places = Places.from_columns(names, codes, lon, lat, pop, kind=f"user file {Path(where).name}")
    places = replace(places, warnings=tuple(warnings))
    blank = places.country_code == ""
    if blank.any():
        from reachmap.data.countries import country_at

        places.country_code[blank] = country_at(places.lon_deg[blank], places.lat_deg[blank])
    return places


def load_places(path: str | Path) -> Places:
    """Read named points from a CSV or GeoJSON file (see the module doc)."""
    path = Path(path)
    data = read_input(path, "places file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(f"{path}: not UTF-8 text (byte {e.start})") from None
    return parse_places(text, str(path))
