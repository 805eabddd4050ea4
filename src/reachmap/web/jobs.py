"""The computations behind the endpoints: plain module-level functions of plain
arguments that return the answer as JSON bytes, so that they run in a worker process
(:mod:`reachmap.web.compute`) and their result is cached and sent as is.

Each is a few lines over :mod:`reachmap.analysis.queries` and the results' own
``to_json``: the same calls, and so the same JSON, as the command line's
``--format json``. File names are refused here: the web API reads no file of the
server's; a launch area of one's own comes as GeoJSON in the request body.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import orjson

from reachmap.analysis import queries
from reachmap.errors import InputError, about

if TYPE_CHECKING:
    from reachmap.area import Area
    from reachmap.envelope.core import EnvelopeSet

__all__ = [
    "area",
    "compare",
    "envelope",
    "flight",
    "isochrones",
    "reach",
    "report_areas",
    "warm",
]

#: launch areas kept per worker (an Area keeps its boundary and recent distances)
AREA_CACHE_ENTRIES = 32

_FILE_SUFFIXES = (".geojson", ".json", ".csv", ".txt", ".gpkg", ".kml", ".toml")
_areas: OrderedDict[tuple[Any, ...], Area] = OrderedDict()


def encode(data: Any, unit: str = "km") -> bytes:
    """Compact JSON bytes of a result: the same values as the command line's
    ``--format json`` (:func:`reachmap.io.jsontext.to_json`), encoded by orjson, which
    is about ten times faster on the 15,000-row tables of ``reach``. With ``unit`` mi or
    nmi, every ``<name>_km`` field gains ``<name>_<unit>`` and the top ``"units"``, as
    ``--units`` (:func:`reachmap.io.jsontext.json_in_units`)."""
    if unit != "km":
        from reachmap.io.jsontext import json_in_units

        data = json_in_units(data, unit)
    return orjson.dumps(data, option=orjson.OPT_SERIALIZE_NUMPY, default=_jsonable)


def _jsonable(obj: Any) -> Any:
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, Path):
        return str(obj)
    raise TypeError(f"not JSON serialisable: {type(obj).__name__}")


def no_file(text: str, param: str) -> str:
    """``text`` unless it names a file: the server's files are not the user's input."""
    from reachmap.io.resolve import is_file_spec

    plain = text.strip()
    if (
        plain.lower().endswith(_FILE_SUFFIXES)
        or "/" in plain
        or "\\" in plain
        or is_file_spec(plain)
    ):
        hint = " (send a launch area as `geojson` in a POST body)" if param != "targets" else ""
        raise InputError(f"`{param}`: the web API reads no files, got {plain[:80]!r}{hint}")
    return text


def launch_area(
    specs: list[str],
    param: str = "from",
    geojson: dict[str, Any] | None = None,
    max_vertices: int = 100_000,
) -> Area:
    """The union of ``specs`` and an uploaded GeoJSON launch area (kept for the next
    request with the same specs, as the boundary and distances are costly to rebuild)."""
    with about(param):
        plain = [no_file(s, param) for s in specs]
    text = None
    if geojson is not None:
        text = json.dumps(geojson, ensure_ascii=False, allow_nan=False, sort_keys=True)
    key = (param, tuple(s.strip() for s in plain), text)
    if key in _areas:
        _areas.move_to_end(key)
        return _areas[key]
    named: list[Any] = list(plain)
    if text is not None:
        from reachmap.io.resolve import geojson_area

        with about("geojson"):
            named.append(geojson_area(text, "geojson", max_vertices=max_vertices))
    found = queries.launch_area(named, param)
    _areas[key] = found
    while len(_areas) > AREA_CACHE_ENTRIES:
        _areas.popitem(last=False)
    return found


def area(specs: list[str], fmt: str, geojson: dict[str, Any] | None, max_vertices: int) -> bytes:
    """``reachmap area SPEC``: the launch-area geometry (``geojson``) or its summary."""
    a = launch_area(specs, "spec", geojson, max_vertices)
    return encode(a.to_geojson() if fmt == "geojson" else a.to_json())


def report_areas(areas: dict[str, list[str]]) -> bytes:
    """Resolve the launch areas of a report before it is queued (an unknown country is
    a 422 naming the field, not a failed build); ``areas``: field -> specs."""
    for param, specs in areas.items():
        if specs:
            launch_area(specs, param)
    return b"{}"


def _targets(targets: str) -> str:
    with about("targets"):
        return no_file(targets, "targets")


def reach(p: dict[str, Any], max_vertices: int) -> bytes:
    """``reachmap reach --format json`` (``--all`` is ``all``): places within range, by
    band for a ring set (``range=500,1000,2000`` or ``rings``), or country coverage
    (``targets=countries``, with ``vs``: what changes from there)."""
    from reachmap.analysis.coverage import CoverageResult

    targets = _targets(p["targets"])
    unit = p.get("units", "km")
    ring = queries.ring_spec(p["system"], p["range"], p["rings"])
    if ring is not None:
        if p["vs"]:
            raise _about("vs", "`vs` takes one range, not a ring set; give one `range` or `system`")
        a = launch_area(p["from"], "from", p.get("geojson"), max_vertices)
        bands = queries.bands_query(a, ring, targets, p["min_population"], p.get("in"), unit)
        return encode(bands.to_json(include_beyond=p["all"]), unit)
    rng = queries.range_spec(p["system"], p["range"])
    if p["vs"] and targets.strip().lower() != "countries":
        raise _about("vs", "`vs` on reach needs `targets` countries; for places use /api/compare")
    a = launch_area(p["from"], "from", p.get("geojson"), max_vertices)
    result = queries.reach_query(a, rng, targets, p["min_population"], p.get("in"), p["profile"])
    if isinstance(result, CoverageResult):
        if p["vs"]:
            vs = launch_area(p["vs"], "vs")
            change = queries.coverage_change_query(result, vs, p.get("in"))
            return encode(change.to_json(), unit)
        return encode(result.to_json(include_none=p["all"]), unit)
    return encode(result.to_json(include_beyond=p["all"]), unit)


def _about(param: str, message: str) -> InputError:
    err = InputError(message)
    err.param = param
    return err


def compare(p: dict[str, Any], max_vertices: int) -> bytes:
    """``reachmap compare --format json``."""
    if not p["from"] and p.get("geojson") is None or not p["vs"]:
        err = InputError("give both `from` AREA and `vs` AREA")
        err.param = "vs" if p["from"] or p.get("geojson") is not None else "from"
        raise err
    rng = queries.range_spec(p["system"], p["range"])
    first = launch_area(p["from"], "from", p.get("geojson"), max_vertices)
    second = launch_area(p["vs"], "vs")
    result = queries.compare_query(
        first, second, rng, _targets(p["targets"]), p["min_population"], p.get("in"), p["profile"]
    )
    return encode(result.to_json(), p.get("units", "km"))


def _tolerance_m(text: str) -> float:
    from reachmap.envelope.core import check_tolerance
    from reachmap.units import parse_length_m

    with about("tolerance"):
        plain = text.strip()
        value = parse_length_m(
            plain + "m" if plain.replace(".", "", 1).isdigit() else plain,
            what="tolerance",
            max_m=float("inf"),  # check_tolerance says the allowed span
        )
        return check_tolerance(value)


def _envelope_out(result: EnvelopeSet, fmt: str, unit: str) -> bytes:
    """JSON or GeoJSON as ``reachmap envelope``/``isochrones`` print it with ``--units``
    (the features' properties gain ``range_<unit>`` as the exported files do)."""
    from reachmap.io import export

    if fmt == "json":
        return encode(result.to_json(), unit)
    shown = export.in_units(result, unit)
    return encode(export.feature_collection(shown, name=result.title), unit)


def envelope(p: dict[str, Any], max_vertices: int) -> bytes:
    """``reachmap envelope`` (GeoJSON, or ``--format json``)."""
    tol = _tolerance_m(p["tolerance"])
    unit = p.get("units", "km")
    ring = queries.ring_spec(p["system"], p["range"], p["rings"])
    if ring is not None:
        if p["vs"]:
            err = InputError("`vs` takes one range, not a ring set; give one `range` or `system`")
            err.param = "vs"
            raise err
        a = launch_area(p["from"], "from", p.get("geojson"), max_vertices)
        return _envelope_out(queries.ring_set_query(a, ring, tol, unit), p["format"], unit)
    rng = queries.range_spec(p["system"], p["range"], allow_zero=True)
    a = launch_area(p["from"], "from", p.get("geojson"), max_vertices)
    vs = launch_area(p["vs"], "vs") if p["vs"] else None
    return _envelope_out(queries.envelope_query(a, rng, tol, vs, unit), p["format"], unit)


def isochrones(p: dict[str, Any], max_vertices: int) -> bytes:
    """``reachmap isochrones`` (GeoJSON, or ``--format json``)."""
    from reachmap.analysis.isochrones import parse_minutes

    tol = _tolerance_m(p["tolerance"])
    if not p["system"]:
        raise InputError("give `system` NAME (see /api/systems)")
    with about("minutes"):
        parse_minutes(p["minutes"])
    a = launch_area(p["from"], "from", p.get("geojson"), max_vertices)
    result = queries.isochrones_query(a, p["system"], p["minutes"], p["profile"], tol)
    return _envelope_out(result, p["format"], p.get("units", "km"))


def flight(p: dict[str, Any], max_vertices: int) -> bytes:
    """``reachmap flight --format json``."""
    from reachmap.analysis.flights import plan_flights

    origin: str | Area | None = None
    if p.get("from") is not None or p.get("geojson") is not None:
        specs = [p["from"]] if p.get("from") is not None else []
        origin = launch_area(specs, "from", p.get("geojson"), max_vertices)
    plan = plan_flights(
        p["distance"],
        origin,
        [_place(t) for t in p["to"]],
        p["system"],
        p["profile"],
        p["apogee"],
        p["time"],
        p["rotating_earth"],
    )
    return encode(plan.to_json(), p.get("units", "km"))


def _place(text: str) -> str:
    with about("to"):
        return no_file(text, "to")


def warm() -> None:
    """Load what every request needs (catalog, countries, cities, the compiled distance
    kernels) before the first one."""
    from reachmap.data import catalog, countries, geonames

    catalog.systems()
    countries.countries()
    geonames.cities(15000)
    geonames.capitals()
    belarus = queries.launch_area(["BLR"])
    queries.reach_query(belarus, queries.range_spec("oreshnik", None), "capitals")
