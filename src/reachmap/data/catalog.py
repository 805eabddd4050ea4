"""The sourced catalog: publicly reported systems, named places and country groups.

Four TOML files ship in ``reachmap/data``: ``systems.toml``, ``sites.toml``,
``groups.toml`` and ``sources.toml``. Every number in the first three cites entries
of the fourth (publisher, title, date, URL, whether the text was verified). The
files are parsed and validated once, on first use; a broken file raises
:class:`CatalogError` naming the file and the entry.

Numbers are converted to SI units on load (``range_m``, ``speed_mps``,
``burnout_altitude_m``). Where public sources disagree, an :class:`Estimate` keeps
the low and the high figure instead of picking one.

The INF class is derived, not stored: :func:`inf_class` applies Article II of the
1987 INF Treaty to a range (shorter-range 500-1,000 km, intermediate-range
1,000-5,500 km). The treaty covered ground-launched missiles only; for air- and
sea-launched systems the class is a range band, not a treaty status.

>>> system("SS-20").id
'rsd-10'
>>> inf_class(system("oreshnik").range_m.high)
'intermediate-range (INF)'
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from reachmap.errors import InputError, require_text, shown, suggest

__all__ = [
    "INF_TREATY_SOURCE_ID",
    "PROPULSIONS",
    "SITE_KINDS",
    "SPEED_OF_SOUND_SEA_LEVEL_MPS",
    "SPEED_OF_SOUND_STRATOSPHERE_MPS",
    "SYSTEM_CLASSES",
    "Boost",
    "Catalog",
    "CatalogError",
    "Estimate",
    "Group",
    "Site",
    "Source",
    "System",
    "find_site",
    "group",
    "groups",
    "inf_class",
    "load_catalog",
    "site",
    "sites",
    "sources",
    "system",
    "systems",
]

#: Allowed ``class`` values and the propulsion each implies.
CLASS_PROPULSION: dict[str, str] = {
    "SRBM": "ballistic",
    "MRBM": "ballistic",
    "IRBM": "ballistic",
    "ICBM": "ballistic",
    "ALBM": "ballistic",
    "GLCM": "cruise",
    "SLCM": "cruise",
    "ALCM": "cruise",
    "HGV": "glide",
}
SYSTEM_CLASSES: tuple[str, ...] = tuple(CLASS_PROPULSION)
PROPULSIONS: tuple[str, ...] = ("ballistic", "cruise", "glide")
SITE_KINDS: tuple[str, ...] = ("test range", "reported base", "reference place", "launch site")

#: INF Treaty (1987) Article II, paragraphs 5 and 6, in metres.
INF_SHORTER_RANGE_MIN_M = 500_000.0  # "equal to or in excess of 500 kilometers"
INF_INTERMEDIATE_RANGE_MIN_M = 1_000_000.0  # "in excess of 1000 kilometers"
INF_INTERMEDIATE_RANGE_MAX_M = 5_500_000.0  # "not in excess of 5500 kilometers"

#: sources.toml entry that :func:`inf_class` implements.
INF_TREATY_SOURCE_ID = "inf-treaty-1987"

#: ISA speed of sound at sea level (15 °C) and in the 11-20 km layer (-56.5 °C), m/s.
SPEED_OF_SOUND_SEA_LEVEL_MPS = 340.29
SPEED_OF_SOUND_STRATOSPHERE_MPS = 295.07

_DAY = re.compile(r"^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$")


class CatalogError(ValueError):
    """A bundled catalog file is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class Source:
    """A public source: who published what, when, where, and whether we saw the text."""

    id: str
    publisher: str
    title: str
    date: str  # YYYY-MM-DD, YYYY-MM, YYYY or "n.d."
    url: str
    verified: bool
    quote: str | None = None
    accessed: str | None = None
    note: str = ""

    def cite(self, *, url: bool = True) -> str:
        """One line: publisher, “title”, date, URL, and "[unverified]" when reachmap has
        not seen the text (the one citation format of every output).

        >>> Source("x", "Publisher", "A title", "2020-05", "https://example.org", False).cite()
        'Publisher, “A title”, 2020-05, https://example.org [unverified]'
        """
        text = f"{self.publisher}, “{self.title}”, {self.date}"
        if url:
            text += f", {self.url}"
        return text if self.verified else text + " [unverified]"

    def as_json(self) -> dict[str, Any]:
        """Every field, JSON-ready (the one JSON shape of a source)."""
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class Estimate:
    """A number with its sources, in SI units; ``low == high`` when one figure exists."""

    low: float
    high: float
    sources: tuple[Source, ...]
    note: str = ""


@dataclass(frozen=True)
class Boost:
    """Public boost-phase figures of a ballistic system (SI units)."""

    burn_time_s: float
    burnout_altitude_m: float
    burnout_downrange_m: float
    sources: tuple[Source, ...]
    note: str = ""


@dataclass(frozen=True)
class System:
    """A publicly reported missile system with sourced range, payload and speed."""

    id: str
    name: str
    aliases: tuple[str, ...]
    country: str
    system_class: str
    propulsion: str
    status: str
    summary: str
    range_m: Estimate
    payload_kg: Estimate | None
    speed_mps: Estimate | None
    boost: Boost | None
    sources: tuple[Source, ...] = ()  # for the summary and status

    @property
    def inf_class(self) -> str:
        """INF Treaty range class of the high range estimate (see :func:`inf_class`)."""
        return inf_class(self.range_m.high)

    @property
    def all_sources(self) -> tuple[Source, ...]:
        """Every source cited by this entry, each once, in order of first citation."""
        parts: list[Iterable[Source]] = [self.range_m.sources]
        for extra in (self.payload_kg, self.speed_mps, self.boost):
            if extra is not None:
                parts.append(extra.sources)
        parts.append(self.sources)
        return _unique(src for part in parts for src in part)


@dataclass(frozen=True)
class Site:
    """A named public place: test range, reported base, launch site or reference place."""

    id: str
    name: str
    aliases: tuple[str, ...]
    country: str
    lat_deg: float
    lon_deg: float
    kind: str
    note: str
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Group:
    """A group of countries: ISO-3 code -> date (YYYY-MM-DD) of membership."""

    id: str
    name: str
    members: dict[str, str]
    sources: tuple[Source, ...]
    aliases: tuple[str, ...] = ()
    note: str = ""

    def members_on(self, date: str) -> list[str]:
        """ISO-3 codes of the members on ``date`` (YYYY-MM-DD), sorted.

        >>> "SWE" in group("nato").members_on("2024-03-06")
        False
        """
        if not _DAY.match(date):
            raise InputError(f"date {date!r} is not YYYY-MM-DD")
        return sorted(code for code, since in self.members.items() if since <= date)


def inf_class(range_m: float) -> str:
    """INF Treaty (1987) Article II class of a range in metres.

    "shorter-range" is 500-1,000 km inclusive, "intermediate-range" above 1,000 and
    up to 5,500 km inclusive; above 5,500 km is intercontinental, below 500 km the
    treaty does not apply.

    >>> [inf_class(km * 1000.0) for km in (499.9, 500, 1000, 5500, 5500.1)]
    ['below INF range', 'shorter-range (INF)', 'shorter-range (INF)', \
'intermediate-range (INF)', 'intercontinental']
    """
    value = float(range_m)
    if not math.isfinite(value) or value < 0.0:
        raise InputError(
            f"`range_m` must be a finite, non-negative number of metres, got {range_m!r}"
        )
    if value < INF_SHORTER_RANGE_MIN_M:
        return "below INF range"
    if value <= INF_INTERMEDIATE_RANGE_MIN_M:
        return "shorter-range (INF)"
    if value <= INF_INTERMEDIATE_RANGE_MAX_M:
        return "intermediate-range (INF)"
    return "intercontinental"


# --- the catalog -------------------------------------------------------------------------


@dataclass(frozen=True)
class Catalog:
    """Parsed, validated catalog with case-insensitive lookup by id, name or alias."""

    sources: dict[str, Source]
    systems: tuple[System, ...]
    sites: tuple[Site, ...]
    groups: tuple[Group, ...]
    _index: dict[str, dict[str, Any]] = field(repr=False, compare=False)

    def lookup(self, kind: str, name: str) -> Any | None:
        """The entry of ``kind`` ("system", "site", "group") called ``name``, or None."""
        return self._index[kind].get(_key(name))

    def _entries(self, kind: str) -> tuple[System | Site | Group, ...]:
        if kind == "system":
            return self.systems
        if kind == "site":
            return self.sites
        return self.groups

    def closest_labels(self, kind: str, word: str) -> list[str]:
        """For each entry of ``kind``, its id, name or alias closest to ``word``.

        One label per entry, so a suggestion never lists three spellings of one system.
        """
        entries = self._entries(kind)
        target = word.casefold()
        return [
            max(
                (e.id, e.name, *e.aliases),
                key=lambda label: difflib.SequenceMatcher(None, target, label.casefold()).ratio(),
            )
            for e in entries
        ]


def load_catalog(texts: Mapping[str, str]) -> Catalog:
    """Parse and validate catalog TOML texts keyed by file name.

    ``texts`` holds ``sources.toml`` and any of ``systems.toml``, ``sites.toml``,
    ``groups.toml`` (missing ones count as empty). Raises :class:`CatalogError`.
    The parser lives in :mod:`reachmap.data.catalog_toml`.
    """
    from reachmap.data.catalog_toml import parse_catalog

    return parse_catalog(texts)


@functools.cache
def _bundled() -> Catalog:
    data = resources.files("reachmap") / "data"
    names = ("sources.toml", "systems.toml", "sites.toml", "groups.toml")
    return load_catalog({n: (data / n).read_text(encoding="utf-8") for n in names})


def sources() -> dict[str, Source]:
    """All bundled sources by id."""
    return dict(_bundled().sources)


def systems() -> list[System]:
    """All bundled systems, in catalog order."""
    return list(_bundled().systems)


def system(name: str) -> System:
    """The system with this id, name or alias (case-insensitive).

    >>> system("dark eagle").id
    'lrhw'
    """
    found: System = _get("system", name)
    return found


def sites() -> list[Site]:
    """All bundled sites, in catalog order."""
    return list(_bundled().sites)


def site(name: str) -> Site:
    """The site with this id, name or alias (case-insensitive)."""
    found: Site = _get("site", name)
    return found


def find_site(name: str) -> Site | None:
    """Like :func:`site`, but None for an unknown name."""
    found: Site | None = _bundled().lookup("site", name)
    return found


def groups() -> list[Group]:
    """All bundled country groups."""
    return list(_bundled().groups)


def group(name: str) -> Group:
    """The group with this id, name or alias (case-insensitive), e.g. "nato", "EU"."""
    found: Group = _get("group", name)
    return found


def _get(kind: str, name: str) -> Any:
    cat = _bundled()
    found = cat.lookup(kind, require_text(name, f"a {kind} name"))
    if found is None:
        hint = suggest(str(name), cat.closest_labels(kind, str(name)))
        known = {
            "system": "Run `reachmap systems` for the list.",
            "site": "Run `reachmap sites` for the list.",
            "group": "Known groups: " + ", ".join(g.id for g in cat.groups) + ".",
        }[kind]
        raise InputError(f"unknown {kind} {shown(name)}.{hint} {known}")
    return found


def _key(name: str) -> str:
    """Lookup key: case-folded, with runs of spaces, '_' and '-' made one '-'."""
    require_text(name)
    return re.sub(r"[\s_\-]+", "-", name.strip()).casefold()


def _unique(items: Iterable[Source]) -> tuple[Source, ...]:
    seen: dict[str, Source] = {}
    for item in items:
        seen.setdefault(item.id, item)
    return tuple(seen.values())
