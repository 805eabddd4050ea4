"""Scenario files: a report's launch areas, systems, targets and options, in TOML.

A mistake gives one :class:`~reachmap.errors.InputError` naming the file, the line
and the key, and saying what is allowed::

    my.toml, line 7: unknown key 'rol' in [[area]] #2; allowed: from, id, name, role.
    Did you mean: 'role'?

The schema (docs/report.md has it with examples)::

    title = "..."                       # required
    notes = "..."                       # optional, shown under the title
    date = "YYYY-MM-DD"                 # optional: group membership date (default today)

    [[area]]                            # one or more; at least one "deployed"
    id = "belarus"                      # letters, digits, '-'; unique
    name = "Belarus (whole territory)"  # optional (default: the area's own label)
    from = ["Belarus"]                  # like --from: country, site, LAT,LON, GeoJSON file
    role = "deployed"                   # "deployed" or "baseline"

    [[system]]                          # one or more
    id = "oreshnik"                     # a catalog system ...
    # name = "My system"                # ... or an explicit range:
    # range = ["5000km", "5500km"]      #     one figure or [low, high]

    [targets]
    capitals_of = ["nato"]              # groups or ISO-3 codes: their capitals are named
    groups = ["nato", "eu"]             # groups whose members touched are counted

    [options]
    profiles = ["min-energy", "lofted"] # flight-time columns
    rotating_earth = false              # also min-energy times on the rotating Earth
    isochrone_minutes = [5, 10, 15, 20]
    isochrones_from = "belarus"         # an area id (default: the first deployed)
    projection = "aeqd"                 # aeqd, polar or world: the main maps' frame
    units = "km"                        # km, mi or nmi: lengths in the report's text,
                                        # tables and maps (data files keep *_km)
    flight_ranges_km = [790, 1000, 2000]
    tolerance_m = 50
    min_population = 15000
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field, fields
from importlib import resources
from pathlib import Path
from typing import Any

from reachmap.errors import InputError, suggest
from reachmap.io.files import read_input, user_path
from reachmap.report.tomlkeys import key_lines

BUILTIN = "belarus-oreshnik.toml"
ROLES = ("deployed", "baseline")
PROJECTIONS = ("aeqd", "polar", "world")
PROFILES = ("min-energy", "lofted", "depressed")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_DAY = re.compile(r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")


@dataclass(frozen=True)
class AreaSpec:
    id: str
    specs: tuple[str, ...]
    role: str
    name: str | None = None


@dataclass(frozen=True)
class SystemSpec:
    """A catalog system (``id``) or an explicit range (``name`` and metres)."""

    id: str | None = None
    name: str | None = None
    range_m: tuple[float, float] | None = None


@dataclass(frozen=True)
class Options:
    profiles: tuple[str, ...] = ("min-energy", "lofted")
    rotating_earth: bool = False
    isochrone_minutes: tuple[float, ...] = (5.0, 10.0, 15.0, 20.0)
    isochrones_from: str | None = None
    projection: str = "aeqd"
    flight_ranges_km: tuple[float, ...] = (790.0, 1000.0, 2000.0, 3000.0, 4000.0, 5000.0)
    tolerance_m: float = 50.0
    min_population: int = 15000
    units: str = "km"


@dataclass(frozen=True)
class Scenario:
    """A validated scenario; ``source`` is the file it came from (or the built-in name)."""

    title: str
    areas: tuple[AreaSpec, ...]
    systems: tuple[SystemSpec, ...]
    capitals_of: tuple[str, ...] = ()
    groups: tuple[str, ...] = ("nato", "eu")
    options: Options = field(default_factory=Options)
    notes: str = ""
    date: str = ""
    source: str = BUILTIN
    text: str = ""
    lines: dict[tuple[Any, ...], int] = field(default_factory=dict, compare=False, repr=False)

    @property
    def deployed(self) -> tuple[AreaSpec, ...]:
        return tuple(a for a in self.areas if a.role == "deployed")

    @property
    def baselines(self) -> tuple[AreaSpec, ...]:
        return tuple(a for a in self.areas if a.role == "baseline")

    @property
    def isochrone_area(self) -> AreaSpec:
        want = self.options.isochrones_from
        return next(a for a in self.areas if a.id == want) if want else self.deployed[0]

    def membership_date(self) -> str:
        return self.date or dt.date.today().isoformat()

    def error(self, path: tuple[Any, ...], message: str) -> InputError:
        """An :class:`InputError` for a value found wrong later (e.g. an unknown country
        in an area's ``from``), with the file and line of ``path``."""
        while path and path not in self.lines:
            path = path[:-1]
        line = self.lines.get(path) if path else None
        where = f"{self.source}, line {line}" if line else self.source
        return InputError(f"{where}: {message}")


def builtin_text() -> str:
    """The built-in scenario's TOML (shipped in the package)."""
    return resources.files("reachmap.report").joinpath("scenarios", BUILTIN).read_text("utf-8")


def load(path: str | Path | None = None) -> Scenario:
    """The scenario in ``path``, or the built-in one when ``path`` is None."""
    if path is None:
        return parse(builtin_text(), f"built-in {BUILTIN}")
    p = user_path(path)
    data = read_input(p, "scenario file")  # a regular file within the size limit
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(f"{p}: not UTF-8 text (byte {err.start}); save it as UTF-8") from None
    return parse(text, p.name)


# ------------------------------------------------------------------------ parsing


class _Doc:
    """The parsed TOML and where each key is (for messages)."""

    def __init__(self, text: str, name: str) -> None:
        self.name = name
        try:
            self.data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as err:
            raise InputError(f"{name}: not valid TOML: {err}") from None
        except RecursionError:
            raise InputError(f"{name}: arrays or tables nested too deeply") from None
        except ValueError as err:  # int('9' * 5000): Python's integer-string limit
            raise InputError(f"{name}: a number is too long ({err})") from None
        self.lines = key_lines(text)

    def line(self, path: tuple[Any, ...]) -> int | None:
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return None

    def fail(self, path: tuple[Any, ...], message: str) -> InputError:
        line = self.line(path)
        where = f"{self.name}, line {line}" if line else self.name
        return InputError(f"{where}: {message}")


_TOP = {"title", "notes", "date", "area", "system", "targets", "options"}
_AREA = {"id", "name", "from", "role"}
_SYSTEM = {"id", "name", "range"}
_TARGETS = {"capitals_of", "groups"}
_OPTIONS = {f.name for f in fields(Options)}


def _keys(
    doc: _Doc, table: dict[str, Any], allowed: set[str], path: tuple[Any, ...], what: str
) -> None:
    for key in table:
        if key not in allowed:
            hint = suggest(key, allowed)
            raise doc.fail(
                (*path, key),
                f"unknown key {key!r} in {what}; allowed: {', '.join(sorted(allowed))}.{hint}",
            )


def _str(
    doc: _Doc,
    table: dict[str, Any],
    key: str,
    path: tuple[Any, ...],
    what: str,
    required: bool = False,
) -> str | None:
    if key not in table:
        if required:
            raise doc.fail(path, f'{what} needs {key} = "..."')
        return None
    value = table[key]
    if not isinstance(value, str) or not value.strip():
        raise doc.fail((*path, key), f"{key!r} in {what} must be a non-empty string, got {value!r}")
    return value.strip()


def _list(
    doc: _Doc,
    table: dict[str, Any],
    key: str,
    path: tuple[Any, ...],
    what: str,
    kind: type | tuple[type, ...],
    desc: str,
) -> list[Any] | None:
    if key not in table:
        return None
    value = table[key]
    if isinstance(value, kind) and not isinstance(value, bool):
        value = [value]
    if (
        not isinstance(value, list)
        or not value
        or any(isinstance(v, bool) or not isinstance(v, kind) for v in value)
    ):
        raise doc.fail((*path, key), f"{key!r} in {what} must be {desc}, got {value!r}")
    return value


def _tables(doc: _Doc, key: str) -> list[dict[str, Any]]:
    value = doc.data.get(key, [])
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise doc.fail((key,), f"{key!r} must be a table [[{key}]] (one per entry), got {value!r}")
    return value


def _areas(doc: _Doc) -> tuple[AreaSpec, ...]:
    tables = _tables(doc, "area")
    if not tables:
        raise doc.fail((), 'no launch area: add [[area]] with id, from and role = "deployed"')
    out: list[AreaSpec] = []
    for k, t in enumerate(tables):
        path, what = ("area", k), f"[[area]] #{k + 1}"
        _keys(doc, t, _AREA, path, what)
        ident = _str(doc, t, "id", path, what, required=True)
        assert ident is not None
        if not _ID.match(ident) or any(a.id == ident for a in out):
            raise doc.fail(
                (*path, "id"),
                f"area id {ident!r} must be unique, lower-case letters, digits and '-'",
            )
        role = _str(doc, t, "role", path, what, required=True)
        if role not in ROLES:
            raise doc.fail(
                (*path, "role"), f"role {role!r} in {what} must be one of: {', '.join(ROLES)}"
            )
        specs = _list(
            doc,
            t,
            "from",
            path,
            what,
            str,
            "a string or a list of strings (country, site, LAT,LON or GeoJSON file)",
        )
        if specs is None:
            raise doc.fail(
                path, f'{what} needs from = ["..."] (country, site, LAT,LON or GeoJSON file)'
            )
        out.append(
            AreaSpec(
                ident, tuple(s.strip() for s in specs), str(role), _str(doc, t, "name", path, what)
            )
        )
    if not any(a.role == "deployed" for a in out):
        raise doc.fail(
            ("area", 0, "role"),
            'no area has role = "deployed"; the report compares a deployed area with baselines',
        )
    return tuple(out)


def _systems(doc: _Doc) -> tuple[SystemSpec, ...]:
    from reachmap.units import parse_length_m

    tables = _tables(doc, "system")
    if not tables:
        raise doc.fail(
            (),
            'no system: add [[system]] with id = "oreshnik" (see `reachmap systems`) '
            "or name and range",
        )
    out = []
    for k, t in enumerate(tables):
        path, what = ("system", k), f"[[system]] #{k + 1}"
        _keys(doc, t, _SYSTEM, path, what)
        ident, name = _str(doc, t, "id", path, what), _str(doc, t, "name", path, what)
        ranges = _list(
            doc,
            t,
            "range",
            path,
            what,
            (str, int, float),
            'a range or [low, high], e.g. "5500km" or ["5000km", "5500km"]',
        )
        if (ident is None) == (ranges is None):
            raise doc.fail(
                path,
                f'{what} needs either id = "..." (a catalog system) or range = [...], not both',
            )
        if ranges is not None:
            if len(ranges) > 2:
                raise doc.fail((*path, "range"), "range must be one figure or [low, high]")
            try:
                metres = [parse_length_m(str(r)) for r in ranges]
            except InputError as err:
                raise doc.fail((*path, "range"), str(err)) from None
            low, high = min(metres), max(metres)
            out.append(SystemSpec(None, name or f"{high / 1e3:,.0f} km", (low, high)))
        else:
            from reachmap.data import catalog

            try:
                catalog.system(str(ident))
            except InputError as err:
                raise doc.fail((*path, "id"), str(err)) from None
            out.append(SystemSpec(ident, name))
    return tuple(out)


def _numbers(
    doc: _Doc, t: dict[str, Any], key: str, what: str, positive: bool = True
) -> tuple[float, ...] | None:
    values = _list(doc, t, key, ("options",), what, (int, float), "a list of positive numbers")
    if values is None:
        return None
    if positive and any(not (v > 0) for v in values):
        raise doc.fail(
            ("options", key),
            f"{key!r} in {what} must be a list of positive numbers, got {values!r}",
        )
    return tuple(float(v) for v in values)


def _options(doc: _Doc, areas: tuple[AreaSpec, ...]) -> Options:
    t = doc.data.get("options", {})
    what = "[options]"
    if not isinstance(t, dict):
        raise doc.fail(("options",), "options must be a table [options]")
    _keys(doc, t, _OPTIONS, ("options",), what)
    kw: dict[str, Any] = {}
    profiles = _list(
        doc, t, "profiles", ("options",), what, str, f"a list of profiles ({', '.join(PROFILES)})"
    )
    if profiles is not None:
        bad = [p for p in profiles if p not in PROFILES]
        if bad:
            raise doc.fail(
                ("options", "profiles"), f"unknown profile {bad[0]!r}; use: {', '.join(PROFILES)}"
            )
        kw["profiles"] = tuple(dict.fromkeys(profiles))
    if "rotating_earth" in t:
        if not isinstance(t["rotating_earth"], bool):
            raise doc.fail(
                ("options", "rotating_earth"),
                f"'rotating_earth' must be true or false, got {t['rotating_earth']!r}",
            )
        kw["rotating_earth"] = t["rotating_earth"]
    for key in ("isochrone_minutes", "flight_ranges_km"):
        values = _numbers(doc, t, key, what)
        if values is not None:
            kw[key] = tuple(sorted(set(values)))
    iso = _str(doc, t, "isochrones_from", ("options",), what)
    if iso is not None:
        if iso not in [a.id for a in areas]:
            raise doc.fail(
                ("options", "isochrones_from"),
                f"isochrones_from {iso!r} is not an area id; use one of: "
                + ", ".join(a.id for a in areas),
            )
        kw["isochrones_from"] = iso
    from reachmap.units import DISPLAY_UNITS

    for key, choices in (("projection", PROJECTIONS), ("units", DISPLAY_UNITS)):
        value = _str(doc, t, key, ("options",), what)
        if value is not None:
            if value not in choices:
                raise doc.fail(
                    ("options", key), f"{key} {value!r} must be one of: {', '.join(choices)}"
                )
            kw[key] = value
    if "tolerance_m" in t:
        tol = t["tolerance_m"]
        if isinstance(tol, bool) or not isinstance(tol, int | float) or not (1 <= tol <= 10_000):
            raise doc.fail(
                ("options", "tolerance_m"),
                f"'tolerance_m' must be a number of metres from 1 to 10000, got {tol!r}",
            )
        kw["tolerance_m"] = float(tol)
    if "min_population" in t:
        pop = t["min_population"]
        if isinstance(pop, bool) or not isinstance(pop, int) or pop < 1000:
            raise doc.fail(
                ("options", "min_population"),
                f"'min_population' must be a whole number >= 1000, got {pop!r}",
            )
        kw["min_population"] = pop
    return Options(**kw)


def _targets(doc: _Doc) -> tuple[tuple[str, ...], tuple[str, ...]]:
    from reachmap.data import catalog, countries

    t = doc.data.get("targets", {})
    if not isinstance(t, dict):
        raise doc.fail(("targets",), "targets must be a table [targets]")
    _keys(doc, t, _TARGETS, ("targets",), "[targets]")
    caps = (
        _list(
            doc, t, "capitals_of", ("targets",), "[targets]", str, "a list of groups or ISO-3 codes"
        )
        or []
    )
    groups = _list(
        doc, t, "groups", ("targets",), "[targets]", str, 'a list of groups (e.g. ["nato", "eu"])'
    )
    for name in caps:
        if _group(name) is None and countries.find_country(name) is None:
            groups_list = ", ".join(g.id for g in catalog.groups())
            raise doc.fail(
                ("targets", "capitals_of"),
                f"{name!r} is neither a group ({groups_list}) nor a country",
            )
    for name in groups or []:
        if _group(name) is None:
            raise doc.fail(
                ("targets", "groups"),
                f"unknown group {name!r}; use: {', '.join(g.id for g in catalog.groups())}",
            )
    return tuple(caps), tuple(groups) if groups is not None else ("nato", "eu")


def _group(name: str) -> Any:
    from reachmap.data import catalog

    try:
        return catalog.group(name)
    except InputError:
        return None


def parse(text: str, name: str = "scenario.toml") -> Scenario:
    """Validate scenario TOML ``text`` (``name`` is used in messages)."""
    doc = _Doc(text, name)
    _keys(doc, doc.data, _TOP, (), "the top level")
    title = _str(doc, doc.data, "title", (), "the scenario", required=True)
    notes = _str(doc, doc.data, "notes", (), "the scenario") or ""
    raw_date = doc.data.get("date")
    if isinstance(raw_date, dt.date) and not isinstance(raw_date, dt.datetime):
        date = raw_date.isoformat()  # an unquoted TOML date
    else:
        date = _str(doc, doc.data, "date", (), "the scenario") or ""
    if date and not _DAY.match(date):
        raise doc.fail(("date",), f"date {date!r} must be YYYY-MM-DD")
    areas = _areas(doc)
    systems = _systems(doc)
    caps, groups = _targets(doc)
    options = _options(doc, areas)
    return Scenario(
        str(title), areas, systems, caps, groups, options, notes, date, name, text, doc.lines
    )
