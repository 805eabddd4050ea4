"""Parsing and validation of the catalog TOML files (see :mod:`reachmap.data.catalog`).

Every entry is checked for known keys, types, units and source ids; a mistake raises
:class:`~reachmap.data.catalog.CatalogError` naming the file, the entry and the key.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Mapping
from typing import Any

from reachmap.data.catalog import (
    _DAY,
    CLASS_PROPULSION,
    PROPULSIONS,
    SITE_KINDS,
    SYSTEM_CLASSES,
    Boost,
    Catalog,
    CatalogError,
    Estimate,
    Group,
    Site,
    Source,
    System,
    _key,
)

_KMH_TO_MPS = 1000.0 / 3600.0
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_ISO3 = re.compile(r"^[A-Z]{3}$")
_DATE = re.compile(r"^\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?$")


def parse_catalog(texts: Mapping[str, str]) -> Catalog:
    """Parse and validate catalog TOML texts keyed by file name.

    ``texts`` holds ``sources.toml`` and any of ``systems.toml``, ``sites.toml``,
    ``groups.toml`` (missing ones count as empty). Raises :class:`CatalogError`.
    """
    known = ("sources.toml", "systems.toml", "sites.toml", "groups.toml")
    for name in texts:
        if name not in known:
            raise CatalogError(f"{name}: unknown catalog file; expected one of {list(known)}")
    docs = {name: _parse_toml(name, text) for name, text in texts.items()}
    if "sources.toml" not in docs:
        raise CatalogError("sources.toml is missing")
    srcs = _load_sources(docs["sources.toml"])
    systems_ = tuple(
        _load_system(e, srcs) for e in _entries(docs.get("systems.toml", {}), "system")
    )
    sites_ = tuple(_load_site(e, srcs) for e in _entries(docs.get("sites.toml", {}), "site"))
    groups_ = tuple(_load_group(e, srcs) for e in _entries(docs.get("groups.toml", {}), "group"))
    index = {
        "system": _build_index("systems.toml", systems_),
        "site": _build_index("sites.toml", sites_),
        "group": _build_index("groups.toml", groups_),
    }
    return Catalog(srcs, systems_, sites_, groups_, index)


# --- parsing and validation ---------------------------------------------------------------


class _Ctx:
    """Where we are in the data, for error messages."""

    def __init__(self, file: str, what: str, entry: Mapping[str, Any]) -> None:
        self.file, self.what = file, what
        self.label = repr(entry.get("id", "<no id>"))

    def fail(self, msg: str) -> CatalogError:
        return CatalogError(f"{self.file}: {self.what} {self.label}: {msg}")


def _parse_toml(name: str, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise CatalogError(f"{name}: invalid TOML: {err}") from None


def _entries(doc: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    value = doc.get(key, [])
    if not isinstance(value, list) or not all(isinstance(e, dict) for e in value):
        raise CatalogError(f"{key}s must be an array of [[{key}]] tables")
    return value


def _check_keys(ctx: _Ctx, table: Mapping[str, Any], allowed: set[str], where: str = "") -> None:
    extra = sorted(set(table) - allowed)
    if extra:
        raise ctx.fail(f"unknown field(s) {extra}{where}; allowed: {sorted(allowed)}")


def _str(ctx: _Ctx, table: Mapping[str, Any], key: str, *, required: bool = True) -> str:
    value = table.get(key, "" if not required else None)
    if not isinstance(value, str) or (required and not value.strip()):
        raise ctx.fail(f"{key!r} must be a non-empty string")
    return value


def _number(ctx: _Ctx, value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ctx.fail(f"{what} must be a number, got {value!r}")
    number = float(value)
    if not math.isfinite(number) or number <= 0.0:
        raise ctx.fail(f"{what} must be a positive finite number, got {value!r}")
    return number


def _aliases(ctx: _Ctx, table: Mapping[str, Any]) -> tuple[str, ...]:
    value = table.get("aliases", [])
    if not isinstance(value, list) or not all(isinstance(a, str) and a.strip() for a in value):
        raise ctx.fail("'aliases' must be a list of non-empty strings")
    return tuple(value)


def _cite(
    ctx: _Ctx, table: Mapping[str, Any], srcs: Mapping[str, Source], what: str
) -> tuple[Source, ...]:
    ids = table.get("sources")
    if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
        raise ctx.fail(f"{what} needs a non-empty 'sources' list of source ids")
    missing = [i for i in ids if i not in srcs]
    if missing:
        raise ctx.fail(f"{what} cites unknown source id(s) {missing} (not in sources.toml)")
    return tuple(srcs[i] for i in ids)


def _load_sources(doc: Mapping[str, Any]) -> dict[str, Source]:
    allowed = {"id", "publisher", "title", "date", "url", "verified", "quote", "accessed", "note"}
    out: dict[str, Source] = {}
    for entry in _entries(doc, "source"):
        ctx = _Ctx("sources.toml", "source", entry)
        _check_keys(ctx, entry, allowed)
        sid = _str(ctx, entry, "id")
        if not _ID.match(sid):
            raise ctx.fail("id must be a lowercase slug like 'csis-df26-2018-04'")
        if sid in out:
            raise ctx.fail("duplicate id")
        date = _str(ctx, entry, "date")
        if date != "n.d." and not _DATE.match(date):
            raise ctx.fail(f"date {date!r} must be YYYY-MM-DD, YYYY-MM, YYYY or 'n.d.'")
        url = _str(ctx, entry, "url")
        if not url.startswith(("https://", "http://")):
            raise ctx.fail(f"url {url!r} must start with http:// or https://")
        verified = entry.get("verified")
        if not isinstance(verified, bool):
            raise ctx.fail("'verified' must be true or false")
        quote = entry.get("quote")
        if verified and not (isinstance(quote, str) and quote.strip()):
            raise ctx.fail("a verified source needs the supporting 'quote'")
        if not verified and quote is not None:
            raise ctx.fail("an unverified source must not carry a quote")
        accessed = entry.get("accessed")
        if accessed is not None and not (isinstance(accessed, str) and _DAY.match(accessed)):
            raise ctx.fail("'accessed' must be YYYY-MM-DD")
        out[sid] = Source(
            id=sid,
            publisher=_str(ctx, entry, "publisher"),
            title=_str(ctx, entry, "title"),
            date=date,
            url=url,
            verified=verified,
            quote=quote,
            accessed=accessed,
            note=_str(ctx, entry, "note", required=False),
        )
    return out


def _estimate(
    ctx: _Ctx, table: Any, srcs: Mapping[str, Source], what: str, scale: float
) -> Estimate:
    """An Estimate from a ``{low?, high, sources, note}`` table, times ``scale``."""
    if not isinstance(table, dict):
        raise ctx.fail(f"{what} must be a table")
    _check_keys(ctx, table, {"low", "high", "sources", "note"}, f" in {what}")
    if "high" not in table:
        raise ctx.fail(f"{what} needs 'high' (and 'low' when sources disagree)")
    high = _number(ctx, table["high"], f"{what}.high")
    low = _number(ctx, table.get("low", table["high"]), f"{what}.low")
    if low > high:
        raise ctx.fail(f"{what}: low {low} is greater than high {high}")
    cited = _cite(ctx, table, srcs, what)
    return Estimate(low * scale, high * scale, cited, _str(ctx, table, "note", required=False))


def _speed(ctx: _Ctx, table: Any, srcs: Mapping[str, Source]) -> Estimate:
    """Speed in m/s; each bound given in m/s, km/h or Mach (with the speed of sound)."""
    if not isinstance(table, dict):
        raise ctx.fail("speed_mps must be a table")
    units = {"": 1.0, "_kmh": _KMH_TO_MPS, "_mach": None}
    bounds = {f"{b}{u}" for b in ("low", "high", "value") for u in units}
    _check_keys(ctx, table, bounds | {"speed_of_sound_mps", "sources", "note"}, " in speed_mps")
    sound = table.get("speed_of_sound_mps")
    values: dict[str, float] = {}
    for bound in ("low", "high"):
        given = [(f"{b}{u}", u) for b in (bound, "value") for u in units if f"{b}{u}" in table]
        if len(given) != 1:
            raise ctx.fail(f"speed_mps needs exactly one of {bound}/value (m/s, _kmh or _mach)")
        key, unit = given[0]
        number = _number(ctx, table[key], f"speed_mps.{key}")
        if unit == "_mach":
            if sound is None:
                raise ctx.fail("Mach speeds need 'speed_of_sound_mps' (say which one)")
            number *= _number(ctx, sound, "speed_mps.speed_of_sound_mps")
        else:
            number *= units[unit] or 1.0
        values[bound] = number
    if sound is not None and not any(k.endswith("_mach") for k in table):
        raise ctx.fail("'speed_of_sound_mps' given without a Mach figure")
    if values["low"] > values["high"]:
        raise ctx.fail(f"speed_mps: low {values['low']} is greater than high {values['high']}")
    cited = _cite(ctx, table, srcs, "speed_mps")
    note = _str(ctx, table, "note", required=False)
    return Estimate(values["low"], values["high"], cited, note)


def _boost(ctx: _Ctx, table: Any, srcs: Mapping[str, Source]) -> Boost:
    if not isinstance(table, dict):
        raise ctx.fail("boost must be a table")
    keys = {"burn_time_s", "burnout_altitude_km", "burnout_downrange_km"}
    _check_keys(ctx, table, keys | {"sources", "note"}, " in boost")
    missing = sorted(keys - set(table))
    if missing:
        raise ctx.fail(f"boost needs {missing}")
    return Boost(
        burn_time_s=_number(ctx, table["burn_time_s"], "boost.burn_time_s"),
        burnout_altitude_m=_number(ctx, table["burnout_altitude_km"], "boost.altitude") * 1e3,
        burnout_downrange_m=_number(ctx, table["burnout_downrange_km"], "boost.downrange") * 1e3,
        sources=_cite(ctx, table, srcs, "boost"),
        note=_str(ctx, table, "note", required=False),
    )


def _common(ctx: _Ctx, entry: Mapping[str, Any]) -> tuple[str, str, tuple[str, ...], str]:
    sid = _str(ctx, entry, "id")
    if not _ID.match(sid):
        raise ctx.fail("id must be a lowercase slug like 'kapustin-yar'")
    country = _str(ctx, entry, "country")
    if not _ISO3.match(country):
        raise ctx.fail(f"country {country!r} must be an ISO 3166 alpha-3 code like 'RUS'")
    return sid, _str(ctx, entry, "name"), _aliases(ctx, entry), country


def _load_system(entry: Mapping[str, Any], srcs: Mapping[str, Source]) -> System:
    ctx = _Ctx("systems.toml", "system", entry)
    allowed = {"id", "name", "aliases", "country", "class", "propulsion", "status", "summary"}
    allowed |= {"range_km", "payload_kg", "speed_mps", "boost", "sources"}
    _check_keys(ctx, entry, allowed)
    sid, name, aliases, country = _common(ctx, entry)
    cls, prop = _str(ctx, entry, "class"), _str(ctx, entry, "propulsion")
    if cls not in CLASS_PROPULSION:
        raise ctx.fail(f"class {cls!r} is not one of {list(SYSTEM_CLASSES)}")
    if prop not in PROPULSIONS:
        raise ctx.fail(f"propulsion {prop!r} is not one of {list(PROPULSIONS)}")
    if CLASS_PROPULSION[cls] != prop:
        raise ctx.fail(f"class {cls} implies propulsion {CLASS_PROPULSION[cls]!r}, not {prop!r}")
    if "range_km" not in entry:
        raise ctx.fail("range_km is required")
    if "boost" in entry and prop != "ballistic":
        raise ctx.fail("boost figures apply to ballistic systems only")
    return System(
        id=sid,
        name=name,
        aliases=aliases,
        country=country,
        system_class=cls,
        propulsion=prop,
        status=_str(ctx, entry, "status"),
        summary=_str(ctx, entry, "summary"),
        range_m=_estimate(ctx, entry["range_km"], srcs, "range_km", 1000.0),
        payload_kg=(
            _estimate(ctx, entry["payload_kg"], srcs, "payload_kg", 1.0)
            if "payload_kg" in entry
            else None
        ),
        speed_mps=_speed(ctx, entry["speed_mps"], srcs) if "speed_mps" in entry else None,
        boost=_boost(ctx, entry["boost"], srcs) if "boost" in entry else None,
        sources=_cite(ctx, entry, srcs, "system") if "sources" in entry else (),
    )


def _load_site(entry: Mapping[str, Any], srcs: Mapping[str, Source]) -> Site:
    ctx = _Ctx("sites.toml", "site", entry)
    allowed = {"id", "name", "aliases", "country", "lat", "lon", "kind", "note", "sources"}
    _check_keys(ctx, entry, allowed)
    sid, name, aliases, country = _common(ctx, entry)
    coords = []
    for key, limit in (("lat", 90.0), ("lon", 180.0)):
        value = entry.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ctx.fail(f"{key!r} must be a number of degrees")
        if not -limit <= float(value) <= limit:
            raise ctx.fail(f"{key} {value} is outside [-{limit:g}, {limit:g}] degrees")
        coords.append(float(value))
    kind = _str(ctx, entry, "kind")
    if kind not in SITE_KINDS:
        raise ctx.fail(f"kind {kind!r} is not one of {list(SITE_KINDS)}")
    return Site(
        id=sid,
        name=name,
        aliases=aliases,
        country=country,
        lat_deg=coords[0],
        lon_deg=coords[1],
        kind=kind,
        note=_str(ctx, entry, "note"),
        sources=_cite(ctx, entry, srcs, "site"),
    )


def _load_group(entry: Mapping[str, Any], srcs: Mapping[str, Source]) -> Group:
    ctx = _Ctx("groups.toml", "group", entry)
    _check_keys(ctx, entry, {"id", "name", "aliases", "note", "sources", "members"})
    sid = _str(ctx, entry, "id")
    if not _ID.match(sid):
        raise ctx.fail("id must be a lowercase slug like 'nato'")
    members = entry.get("members")
    if not isinstance(members, dict) or not members:
        raise ctx.fail("'members' must be a table of ISO-3 code = \"YYYY-MM-DD\"")
    for code, since in members.items():
        if not _ISO3.match(code):
            raise ctx.fail(f"member {code!r} is not an ISO 3166 alpha-3 code")
        if not isinstance(since, str) or not _DAY.match(since):
            raise ctx.fail(f"member {code}: date {since!r} must be YYYY-MM-DD")
    return Group(
        id=sid,
        name=_str(ctx, entry, "name"),
        members=dict(members),
        sources=_cite(ctx, entry, srcs, "group"),
        aliases=_aliases(ctx, entry),
        note=_str(ctx, entry, "note", required=False),
    )


def _build_index(file: str, entries: tuple[System | Site | Group, ...]) -> dict[str, Any]:
    """Map every id, name and alias key to its entry; a key may name one entry only."""
    index: dict[str, System | Site | Group] = {}
    ids: set[str] = set()
    for entry in entries:
        if entry.id in ids:
            raise CatalogError(f"{file}: duplicate id {entry.id!r}")
        ids.add(entry.id)
        for label in (entry.id, entry.name, *entry.aliases):
            other = index.setdefault(_key(label), entry)
            if other is not entry:
                raise CatalogError(
                    f"{file}: {label!r} of {entry.id!r} is also an id, name or alias "
                    f"of {other.id!r}; names must be unique"
                )
    return index
