"""Parsing a launch area's GeoJSON into polygons and points, with errors that say where.

Accepted: Point, MultiPoint, Polygon, MultiPolygon, GeometryCollection,
Feature and FeatureCollection of those (RFC 7946). Lines are not areas.
Positions must be [lon, lat] in degrees within +-180 / +-90. Polygon rings must
be closed (first position = last) with at least 4 positions. A ring edge that
jumps more than 180 degrees of longitude is an unsplit antimeridian crossing
(RFC 7946 section 3.1.9) and is refused with the place to fix.

Limits (docs/limits.md): the file is read only if it is a regular file of at most
:data:`reachmap.io.files.MAX_INPUT_BYTES`; positions are counted in the text before it is
parsed, so a shape of more than :data:`MAX_VERTICES` vertices is refused before its
arrays are built; collections nest at most :data:`MAX_NESTING` deep.

The parser returns plain parts (rings as ``(n, 2)`` lon/lat arrays without the closing
repeat, points as ``[lon, lat]``); :func:`reachmap.io.resolve.area` builds the
:class:`reachmap.area.Area` from them.

>>> polygons, points = parse_geojson_area('{"type": "Point", "coordinates": [27.56, 53.9]}')
>>> polygons, points
([], [[27.56, 53.9]])
>>> parse_geojson_area('{"type": "LineString"}', where="x.geojson")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
reachmap.errors.InputError: x.geojson: $: LineString is not an area; use Point, Polygon or ...
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray

from reachmap.errors import InputError, TooLarge, shown
from reachmap.io.files import read_input
from reachmap.words import plural

#: Refuse shapes with more vertices than this (the web API uses a lower limit). The work
#: and memory of a distance grow with the vertices: a 1 M-vertex polygon took minutes and
#: gigabytes in ``reach`` (issue 8), so the limit is that: 15 times Canada's outline
#: (67,781 vertices) in Natural Earth 1:10m.
MAX_VERTICES = 1_000_000
#: Feature/GeometryCollections nest at most this deep (RFC 7946 advises against nesting).
MAX_NESTING = 32

#: the start of an array of numbers: every position starts so (bounding boxes too)
_POSITION_START = re.compile(rb"\[\s*[-+0-9.]")

Ring = NDArray[np.float64]  # (n, 2) lon_deg, lat_deg, without the closing position
Parts = tuple[list[list[Ring]], list[list[float]]]


def read_geojson_area(path: Path, max_vertices: int | None = None) -> Parts:
    """Polygons and points of the GeoJSON file ``path`` (see :func:`parse_geojson_area`)."""
    data = read_input(path, "launch area file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(f"{path}: not UTF-8 text (byte {err.start}); save it as UTF-8") from None
    return parse_geojson_area(text, where=str(path), max_vertices=max_vertices)


def count_positions(text: str | bytes) -> int:
    """An upper bound on the positions in GeoJSON text, counted without parsing it (each
    position is an array that starts with a number).

    >>> count_positions('{"type": "MultiPoint", "coordinates": [[1, 2], [ 3,4]]}')
    2
    """
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    return _POSITION_START.subn(b"", data)[1]


def _too_many_positions(text: str | bytes, limit: int) -> bool:
    # counting brackets is cheap and bounds the positions from above
    brackets = text.count("[") if isinstance(text, str) else text.count(b"[")
    return brackets > limit and count_positions(text) > limit


def load_json(text: str | bytes, where: str, *, max_positions: int, what: str) -> Any:
    """``json.loads`` with one-line errors for every way the text can be bad: invalid,
    nested past Python's recursion limit, integers past its 4,300-digit conversion
    limit, or more than ``max_positions`` positions (counted first, :class:`TooLarge`;
    ``what`` names them in the message: "vertices", "places")."""
    if _too_many_positions(text, max_positions):
        raise TooLarge(
            f"{where}: more than {max_positions:,} {what} (docs/limits.md); "
            "simplify or split the file"
        )
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(
            f"{where}: invalid JSON at line {err.lineno}, column {err.colno}: {err.msg}"
        ) from None
    except RecursionError:
        raise InputError(f"{where}: JSON nested too deeply to be GeoJSON") from None
    except ValueError as err:  # int('9' * 5000): Python's integer-string limit
        raise InputError(f"{where}: a number in the JSON is too long ({err})") from None


def parse_geojson_area(
    text: str | bytes, *, where: str = "GeoJSON", max_vertices: int | None = None
) -> Parts:
    """Polygons (lists of rings) and points from GeoJSON text; InputError on any defect,
    :class:`TooLarge` past ``max_vertices`` (default :data:`MAX_VERTICES`; counted in the
    text first)."""
    max_vertices = MAX_VERTICES if max_vertices is None else max_vertices
    doc = load_json(text, where, max_positions=max_vertices, what="vertices")
    polygons: list[list[Ring]] = []
    points: list[list[float]] = []
    counter = [0, max_vertices]  # vertices so far, limit
    _collect(doc, "$", polygons, points, where, counter)
    if not polygons and not points:
        raise InputError(
            f"{where}: no Point or Polygon geometry found; nothing to use as a launch area"
        )
    return polygons, points


_COLLECTIONS = {"FeatureCollection": "features", "GeometryCollection": "geometries"}


def _fail(where: str, path: str, msg: str) -> InputError:
    return InputError(f"{where}: {path}: {msg}")


def _collect(
    obj: Any,
    path: str,
    polygons: list[list[Ring]],
    points: list[list[float]],
    where: str,
    counter: list[int],
) -> None:
    if not isinstance(obj, dict):
        raise _fail(where, path, "expected a GeoJSON object")
    kind = obj.get("type")
    if not isinstance(kind, str):
        raise _fail(where, path, f'"type" must be a string such as "Polygon", got {shown(kind)}')
    if path.count("[") > MAX_NESTING:  # each collection level adds one "[i]" to the path
        raise _fail(where, path, f"collections nest more than {MAX_NESTING} deep; flatten them")
    if kind in _COLLECTIONS:
        key = _COLLECTIONS[kind]
        members = obj.get(key)
        if not isinstance(members, list):
            raise _fail(where, path, f"{kind} needs a {key!r} list")
        for i, member in enumerate(members):
            _collect(member, f"{path}.{key}[{i}]", polygons, points, where, counter)
    elif kind == "Feature":
        geom = obj.get("geometry")
        if geom is None:
            return  # RFC 7946: an unlocated feature
        _collect(geom, f"{path}.geometry", polygons, points, where, counter)
    elif kind == "Point":
        points.append(_position(obj.get("coordinates"), f"{path}.coordinates", where))
        counter[0] += 1
    elif kind == "MultiPoint":
        coords = _list(obj.get("coordinates"), f"{path}.coordinates", where)
        for i, c in enumerate(coords):
            points.append(_position(c, f"{path}.coordinates[{i}]", where))
        counter[0] += len(coords)
    elif kind == "Polygon":
        polygons.append(_polygon(obj.get("coordinates"), f"{path}.coordinates", where, counter))
    elif kind == "MultiPolygon":
        coords = _list(obj.get("coordinates"), f"{path}.coordinates", where)
        for i, c in enumerate(coords):
            polygons.append(_polygon(c, f"{path}.coordinates[{i}]", where, counter))
    elif kind in ("LineString", "MultiLineString"):
        raise _fail(where, path, f"{kind} is not an area; use Point, Polygon or their Multi forms")
    else:
        raise _fail(where, path, f"unknown GeoJSON type {shown(kind)}")
    if counter[0] > counter[1]:
        raise TooLarge(
            f"{where}: more than {plural(counter[1], 'vertex', 'vertices')} (docs/limits.md); "
            "simplify or "
            "split the file"
        )


def _list(value: Any, path: str, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise _fail(where, path, "expected an array")
    return value


def _position(value: Any, path: str, where: str) -> list[float]:
    if not isinstance(value, list) or len(value) < 2:
        raise _fail(where, path, "a position must be [lon, lat]")
    for i, (what, v) in enumerate((("longitude", value[0]), ("latitude", value[1]))):
        # JSON numbers only: Python would read true as 1 and "27.5" as 27.5
        if isinstance(v, bool) or not isinstance(v, int | float):
            raise _fail(where, f"{path}[{i}]", f"{what} {json.dumps(v)[:40]} is not a JSON number")
    try:
        lon, lat = float(value[0]), float(value[1])
    except (TypeError, ValueError, OverflowError):
        raise _fail(where, path, f"non-numeric position {value!r}") from None
    if not (np.isfinite(lon) and np.isfinite(lat)):
        raise _fail(where, path, f"non-finite position {value!r}")
    if abs(lat) > 90:
        raise _fail(where, path, f"latitude {lat:g} is outside -90..90 (positions are [lon, lat])")
    if abs(lon) > 180:
        raise _fail(where, path, f"longitude {lon:g} is outside -180..180")
    return [lon, lat]


_NUMBER_TYPES = (int, float)


def _positions(pos: list[Any]) -> NDArray[np.float64] | None:
    """The (n, 2) array of a ring's positions when every one is valid (JSON numbers,
    finite, within +-180 / +-90), else None: the fast path of :func:`_position` for
    the million positions a large file may have (0.3 s instead of 3 s)."""
    num = _NUMBER_TYPES
    if not all(
        type(p) is list and len(p) >= 2 and type(p[0]) in num and type(p[1]) in num for p in pos
    ):
        return None
    try:
        arr = np.array([p[:2] for p in pos], dtype=np.float64).reshape(-1, 2)
    except OverflowError:  # an integer too large for a float
        return None
    ok = np.isfinite(arr).all() and (np.abs(arr[:, 0]) <= 180).all()
    return arr if ok and (np.abs(arr[:, 1]) <= 90).all() else None


def _polygon(value: Any, path: str, where: str, counter: list[int]) -> list[Ring]:
    rings = _list(value, path, where)
    if not rings:
        raise _fail(where, path, "a Polygon needs at least an exterior ring")
    out = []
    for r, ring in enumerate(rings):
        rpath = f"{path}[{r}]"
        pos = _list(ring, rpath, where)
        arr = _positions(pos)
        if arr is None:  # a defect somewhere: find it, with its JSON path
            arr = np.array([_position(p, f"{rpath}[{i}]", where) for i, p in enumerate(pos)])
        counter[0] += len(arr)
        if len(arr) < 4:
            raise _fail(where, rpath, f"a ring needs at least 4 positions, got {len(arr)}")
        if not np.array_equal(arr[0], arr[-1]):
            raise _fail(
                where, rpath, "ring is not closed (the last position must repeat the first)"
            )
        # edges along a pole (both ends at lat +-90) have zero length: any lon jump is fine
        polar = (np.abs(arr[:-1, 1]) == 90) & (arr[:-1, 1] == arr[1:, 1])
        jumps = np.flatnonzero((np.abs(np.diff(arr[:, 0])) > 180) & ~polar)
        if jumps.size:
            i = int(jumps[0])
            raise _fail(
                where,
                f"{rpath}[{i}]",
                f"edge from lon {arr[i, 0]:g} to {arr[i + 1, 0]:g} crosses the antimeridian; "
                "split the polygon at 180 degrees (RFC 7946 section 3.1.9)",
            )
        out.append(arr[:-1])
    # closed explicitly: a ring such as [A, B, A, A] must reach the validity check
    closed = [np.vstack([r, r[:1]]) for r in out]
    poly = shapely.Polygon(closed[0], closed[1:])
    if not poly.is_valid:
        reason = shapely.is_valid_reason(poly)
        raise _fail(where, path, f"invalid polygon ({reason}); fix the ring geometry")
    return out
