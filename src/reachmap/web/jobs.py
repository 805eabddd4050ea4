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
from typing import TYPE_CHECKING, Any

from reachmap.analysis import queries
from reachmap.errors import InputError, about
from reachmap.io.jsontext import to_json

if TYPE_CHECKING:
    from reachmap.area import Area

__all__ = ["area", "warm"]

_FILE_SUFFIXES = (".geojson", ".json", ".csv", ".txt", ".gpkg", ".kml")


def encode(data: Any) -> bytes:
    """Compact JSON bytes of a result (the CLI's encoder without the indentation)."""
    return to_json(data, indent=None).encode("utf-8")


def no_file(text: str, param: str) -> str:
    """``text`` unless it names a file: the server's files are not the user's input."""
    from reachmap.io.resolve import is_file_spec

    plain = text.strip()
    if plain.lower().endswith(_FILE_SUFFIXES) or "/" in plain or "\\" in plain:
        hint = " (upload a launch area as `geojson` in a POST body)" if param != "targets" else ""
        raise InputError(f"`{param}`: the web API reads no files, got {plain[:80]!r}{hint}")
    if is_file_spec(plain):
        raise InputError(f"`{param}`: the web API reads no files, got {plain[:80]!r}")
    return text


def launch_area(
    specs: list[str],
    param: str = "from",
    geojson: dict[str, Any] | None = None,
    max_vertices: int = 100_000,
) -> Area:
    """The union of ``specs`` and an uploaded GeoJSON launch area."""
    with about(param):
        named: list[Any] = [no_file(s, param) for s in specs]
    if geojson is not None:
        from reachmap.io.resolve import geojson_area

        with about("geojson"):
            text = json.dumps(geojson, ensure_ascii=False, allow_nan=False)
            named.append(geojson_area(text, "geojson", max_vertices=max_vertices))
    return queries.launch_area(named, param)


def area(specs: list[str], fmt: str, geojson: dict[str, Any] | None, max_vertices: int) -> bytes:
    """``reachmap area SPEC``: the launch-area geometry (``geojson``) or its summary."""
    a = launch_area(specs, "spec", geojson, max_vertices)
    return encode(a.to_geojson() if fmt == "geojson" else a.to_json())


def warm() -> None:
    """Load what every request needs (catalog, countries, cities), before the first one."""
    from reachmap.data import catalog, countries, geonames

    catalog.systems()
    countries.countries()
    geonames.cities(15000)
    geonames.capitals()
