"""The page's scenario as a report scenario: the fields the API takes (``from``, ``vs``,
``system`` or ``range``, ``minutes``, ``profile``, ``units``, ``title``; the same shape a saved
scenario holds, :mod:`reachmap.store.params`) written as the TOML of a scenario file
and validated by the report's own parser (:func:`reachmap.report.scenario.parse`), so
that the report the API builds is the one ``reachmap report scenario.toml`` builds
from the same file (the report keeps that file as ``scenario.toml``).

A refusal names the request's field: the shape and numbers are checked first by the
store's checks (``scenario.range``, ``scenario.from[1]``); what the report's parser
refuses is traced back through the line of the TOML it was written on.

>>> text, fields = scenario_toml({"from": ["BLR"], "system": "oreshnik"}, "2026-12-01")
>>> print(text)  # doctest: +NORMALIZE_WHITESPACE
title = "oreshnik from BLR"
date = "2026-12-01"
[[area]]
id = "from"
role = "deployed"
from = ["BLR"]
[[system]]
id = "oreshnik"
[targets]
capitals_of = ["nato"]
groups = ["nato", "eu"]
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import Any

from reachmap.errors import InputError
from reachmap.report import scenario as report_scenario
from reachmap.store.params import check_params, check_title
from reachmap.units import without_unit

__all__ = ["NAME", "areas_of", "report_scenario_of", "scenario_toml"]

#: the file name the report's messages and folder give the scenario
NAME = "scenario.toml"
_WHERE = re.compile(rf"^{re.escape(NAME)}(?:, line (\d+))?: ")


def _toml(value: Any) -> str:
    """A TOML value: text (JSON's string escapes are TOML's, DEL escaped too), a
    number, a bool or a list of these."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        assert math.isfinite(value)
        return repr(value)
    return "[" + ", ".join(_toml(v) for v in value) + "]"


def _spec(item: Any, where: str) -> str:
    """One launch area of the page as the text of a scenario file's ``from``."""
    from reachmap.web.jobs import no_file

    if isinstance(item, str):
        text = item.strip()
    elif isinstance(item, Mapping) and "spec" in item:
        text = str(item["spec"]).strip()
    elif isinstance(item, Mapping) and "point" in item:
        lon, lat = item["point"]
        text = f"{float(lat)!r},{float(lon)!r}"
    else:
        err = InputError(
            f"`{where}`: the web report takes countries, catalog sites and points; an "
            "uploaded GeoJSON area is not in it yet (run `reachmap report` with the file)"
        )
        err.param = where
        raise err
    try:
        return no_file(text, where)
    except InputError:
        raise _fail(
            where,
            f"names a file ({text[:80]!r}); the web API reads no files: give a country, "
            "a catalog site or LAT,LON",
            ": ",
        ) from None


def areas_of(params: Mapping[str, Any], key: str) -> list[str]:
    """The launch-area texts of ``params[key]`` (``from`` or ``vs``)."""
    value = params.get(key)
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    many = isinstance(value, list)
    return [_spec(v, f"scenario.{key}[{i}]" if many else f"scenario.{key}")
            for i, v in enumerate(items)]  # fmt: skip


def _numbers(value: Any) -> list[Any]:
    items = value if isinstance(value, list) else [value]
    out: list[Any] = []
    for item in items:
        out += [s.strip() for s in item.split(",")] if isinstance(item, str) else [item]
    return [v for v in out if v != ""]


def _fail(field: str, message: str, sep: str = " ") -> InputError:
    err = InputError(f"`{field}`{sep}{message}")
    err.param = field
    return err


def scenario_toml(params: Mapping[str, Any], date: str) -> tuple[str, dict[int, str]]:
    """The scenario file of ``params`` (already checked by
    :func:`~reachmap.store.params.check_params`) and, per line, the field it came from."""
    lines: list[tuple[str, str | None]] = []
    froms, vss = areas_of(params, "from"), areas_of(params, "vs")
    if not froms:
        raise _fail("scenario.from", "is empty: add a launch area (a country, site or LAT,LON)")
    system, ranges = params.get("system"), _numbers(params.get("range") or [])
    if not system and not ranges:
        raise _fail("scenario.system", "is empty: pick a system or give a range of your own")
    title = (params.get("title") or "").strip()
    if not title:
        what = system or ", ".join(str(r) for r in ranges) + " km"
        title = f"{what} from {', '.join(froms)}"
    lines += [(f"title = {_toml(title)}", "scenario.title"), (f"date = {_toml(date)}", None)]
    lines += [("[[area]]", "scenario.from"), ('id = "from"', "scenario.from")]
    lines += [('role = "deployed"', "scenario.from"), (f"from = {_toml(froms)}", "scenario.from")]
    if vss:
        lines += [("[[area]]", "scenario.vs"), ('id = "vs"', "scenario.vs")]
        lines += [('role = "baseline"', "scenario.vs"), (f"from = {_toml(vss)}", "scenario.vs")]
    lines.append(("[[system]]", "scenario.system" if system else "scenario.range"))
    if system:
        lines.append((f"id = {_toml(str(system).strip())}", "scenario.system"))
    else:
        unit = str(params.get("units") or "km")  # the page reads a bare number in its unit
        shown = [f"{r}{unit}" if without_unit(r) else str(r) for r in ranges]
        lines.append((f"range = {_toml(shown)}", "scenario.range"))
    lines += [("[targets]", None), ('capitals_of = ["nato"]', None)]
    lines.append(('groups = ["nato", "eu"]', None))
    options: list[tuple[str, str | None]] = []
    minutes = [float(m) for m in _numbers(params.get("minutes") or [])]
    if minutes:
        options.append((f"isochrone_minutes = {_toml(minutes)}", "scenario.minutes"))
    profile = params.get("profile")
    if profile:
        chosen = list(report_scenario.PROFILES) if profile == "all" else [profile]
        options.append((f"profiles = {_toml(chosen)}", "scenario.profile"))
    units = params.get("units")
    if units and units != "km":  # the page's unit: the report's text, tables and maps
        options.append((f"units = {_toml(str(units))}", "scenario.units"))
    if options:
        lines += [("[options]", None), *options]
    text = "\n".join(line for line, _ in lines) + "\n"
    return text, {k + 1: f for k, (_, f) in enumerate(lines) if f is not None}


def report_scenario_of(title: str | None, params: object, date: str) -> report_scenario.Scenario:
    """The report scenario of the page's ``params`` (and an optional ``title`` that
    overrides theirs), validated by the report's parser; an :class:`InputError` names
    the field to fix (``param``)."""
    checked = check_params(params)
    if title is not None:
        checked["title"] = check_title(title)
    text, fields = scenario_toml(checked, date)
    try:
        return report_scenario.parse(text, NAME)
    except InputError as err:
        found = _WHERE.match(str(err))
        line = int(found[1]) if found and found[1] else None
        field = fields.get(line) if line else None
        message = str(err)[found.end() :] if found else str(err)
        raise _fail(field or "scenario", message, ": ") from None
