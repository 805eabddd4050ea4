"""What a saved scenario may hold: a title and the parameters the API takes.

The parameters are the fields of the web API and the command line's options, with the
same names: ``from`` and ``vs`` (launch areas: one or a list of them), ``system``,
``range`` (km, or text with a unit; one or a list, or ``"2000,5500"``), ``targets`` (a
name such as ``"capitals"``, or a GeoJSON object), ``minutes`` (isochrones: numbers, or
``"5,10,15"``), ``profile``, ``units`` (``km``, ``mi`` or ``nmi``: the unit the page
shows lengths in and reads a bare ``range`` in; none means km), ``geojson`` (an uploaded
launch area, as the API's POST field) and ``title`` (the page keeps its title among its
fields). A launch area is text (``"BLR"``, ``"53.71,31.70"``, ``"kapustin-yar"``), a
GeoJSON object, or one of the page's objects: ``{"spec": TEXT, "label": TEXT}``,
``{"point": [lon, lat]}`` (in degrees) or ``{"geojson": GEOJSON, "name": TEXT}``. Every
field is optional, and ``null`` is the same as leaving it out. Messages name them as the
web API's ``scenario`` field does (``scenario.range``). The store checks their shape and
the numbers (a range is a length reachmap accepts, minutes are positive, a point is on
the Earth); whether ``"Belaru"`` is a country is answered when the scenario is computed,
not when it is saved, so a scenario saved today still opens when the gazetteer changes.

Values are kept as given (``"5500km"`` stays text), so what the page saved is what it
reads back. Titles are user text kept verbatim (``<script>`` included): escaping is
the job of whoever puts it into HTML.
"""

from __future__ import annotations

import json
import math
import unicodedata
from collections.abc import Mapping
from typing import Any

from reachmap.errors import InputError, InputTypeError, TooLarge, about, shown, type_name
from reachmap.io.resolve import MAX_SPECS
from reachmap.units import DISPLAY_UNITS, MAX_DURATION_S, parse_length_m

#: longest title (characters)
MAX_TITLE_CHARS = 200
#: longest parameters, as compact JSON text (characters): room for an uploaded launch
#: area of a few thousand vertices; larger shapes belong in a file and the CLI
MAX_PARAMS_CHARS = 262_144
#: longest text spec (an area name, ``LAT,LON``, a system id)
MAX_SPEC_CHARS = 1_000
#: deepest nesting of lists and objects (a GeoJSON FeatureCollection of MultiPolygons
#: is 7 deep)
MAX_DEPTH = 32
FIELDS = (
    "from", "vs", "system", "range", "targets", "minutes", "profile", "units", "geojson", "title",
)  # fmt: skip
PROFILES = ("min-energy", "lofted", "depressed", "all")


def check_title(title: object, where: str = "title") -> str:
    """``title`` if it is a title reachmap keeps (text of at most
    :data:`MAX_TITLE_CHARS` characters without control characters).

    >>> check_title("<script>alert(1)</script> Oreshnik from Belarus")
    '<script>alert(1)</script> Oreshnik from Belarus'
    """
    if not isinstance(title, str):
        raise InputTypeError(f"`{where}` must be text, got {type_name(title)}")
    if len(title) > MAX_TITLE_CHARS:
        raise TooLarge(
            f"`{where}` has {len(title):,} characters, at most {MAX_TITLE_CHARS} are kept; "
            "shorten it"
        )
    bad = next((c for c in title if unicodedata.category(c) in ("Cc", "Cs")), None)
    if bad is not None:
        raise InputError(
            f"`{where}` contains the control character U+{ord(bad):04X}; use one line of text"
        )
    return title


def check_params(params: object) -> dict[str, Any]:
    """``params`` as a dict, if it is parameters a scenario may hold (module docstring).

    >>> check_params({"from": "BLR", "system": "oreshnik", "targets": "capitals"})
    {'from': 'BLR', 'system': 'oreshnik', 'targets': 'capitals'}
    >>> check_params({"range": "-5"})
    Traceback (most recent call last):
    ...
    reachmap.errors.InputError: `scenario.range` must be positive, got '-5'
    """
    if not isinstance(params, Mapping):
        raise InputTypeError(f"`scenario` must be an object, got {type_name(params)}")
    text = dumps(params)  # first: bounds the size and depth the checks below walk
    for key in params:
        if key not in FIELDS:
            raise InputError(
                f"`scenario` has an unknown field {shown(key)}; the fields are: {', '.join(FIELDS)}"
            )
    for key, value in params.items():
        if value is not None:
            with about(f"scenario.{key}"):
                _CHECKS[key](value, f"scenario.{key}")
    return dict(json.loads(text))


def dumps(params: Mapping[str, Any]) -> str:
    """Compact JSON text of ``params``, checked for size, depth and valid text."""
    _walk(params, "scenario", 0)
    try:
        text = json.dumps(params, allow_nan=False, separators=(",", ":"), ensure_ascii=False)
    except (TypeError, ValueError) as exc:  # a key that is no text, NaN, a set...
        raise InputError(f"`scenario` is not JSON data ({exc})") from None
    if len(text) > MAX_PARAMS_CHARS:
        raise TooLarge(
            f"`scenario` is {len(text):,} characters of JSON, at most {MAX_PARAMS_CHARS:,} are "
            "kept; give a large launch area as a file to the command line"
        )
    return text


def _walk(value: object, where: str, depth: int) -> None:
    """Depth and text checks over the whole value, before it is serialised."""
    if depth > MAX_DEPTH:
        raise InputError(f"`{where}` is nested more than {MAX_DEPTH} levels deep")
    if isinstance(value, str):
        _text(value, where)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if isinstance(key, str):
                _text(key, where)
            _walk(item, where, depth + 1)
    elif isinstance(value, list | tuple):
        for item in value:
            _walk(item, where, depth + 1)
    elif isinstance(value, float) and not math.isfinite(value):
        raise InputError(f"`{where}` holds {value}, which JSON cannot hold; give a number")


def _text(value: str, where: str) -> None:
    # a lone surrogate cannot be written as UTF-8 (by the database or the JSON answer)
    if any("\ud800" <= c <= "\udfff" for c in value):
        raise InputError(f"`{where}` holds text that is not valid Unicode (a lone surrogate)")
    if "\x00" in value:  # PostgreSQL text cannot hold it
        raise InputError(f"`{where}` holds a NUL character (U+0000); remove it")


def _items(value: object, where: str, empty: bool = False) -> list[object]:
    items = list(value) if isinstance(value, list | tuple) else [value]
    if not items and not empty:
        raise InputError(f"`{where}` is an empty list; give at least one value or leave it out")
    if len(items) > MAX_SPECS:
        raise TooLarge(f"`{where}` has {len(items):,} values, at most {MAX_SPECS} are kept")
    return items


def _spec(value: object, where: str) -> None:
    if isinstance(value, str):
        if not value.strip():
            raise InputError(f"`{where}` is empty; give e.g. 'BLR' or '53.71,31.70'")
        if len(value) > MAX_SPEC_CHARS:
            raise TooLarge(f"`{where}` {shown(value)} is longer than {MAX_SPEC_CHARS} characters")
    elif isinstance(value, Mapping):
        if not isinstance(value.get("type"), str):
            raise InputError(f"`{where}` is an object without a GeoJSON 'type'")
    else:
        raise InputTypeError(
            f"`{where}` must be text (a country, site or LAT,LON) or a GeoJSON object, "
            f"got {type_name(value)}"
        )


def _areas(value: object, where: str) -> None:
    for i, item in enumerate(_items(value, where, empty=True)):
        _area(item, f"{where}[{i}]" if isinstance(value, list | tuple) else where)


#: the page's launch-area objects: their key -> the keys each may have
_PAGE_AREAS = {"spec": {"spec", "label"}, "point": {"point"}, "geojson": {"geojson", "name"}}


def _area(value: object, where: str) -> None:
    if not isinstance(value, Mapping) or "type" in value:
        _spec(value, where)
        return
    kind = next((k for k in _PAGE_AREAS if k in value), None)
    if kind is None:
        raise InputError(
            f"`{where}` is an object without a GeoJSON 'type', 'spec', 'point' or 'geojson'"
        )
    extra = sorted(set(value) - _PAGE_AREAS[kind])
    if extra:
        raise InputError(f"`{where}` has an unknown field {shown(extra[0])}")
    for label in ("label", "name"):
        if value.get(label) is not None:
            if not isinstance(value[label], str):
                raise InputTypeError(
                    f"`{where}.{label}` must be text, got {type_name(value[label])}"
                )
            if len(value[label]) > MAX_SPEC_CHARS:
                raise TooLarge(f"`{where}.{label}` is longer than {MAX_SPEC_CHARS} characters")
    if kind == "spec":
        if not isinstance(value["spec"], str):
            raise InputTypeError(f"`{where}.spec` must be text, got {type_name(value['spec'])}")
        _spec(value["spec"], f"{where}.spec")
    elif kind == "point":
        _point(value["point"], f"{where}.point")
    else:
        _geojson(value["geojson"], f"{where}.geojson")


def _point(value: object, where: str) -> None:
    ok = (
        isinstance(value, list | tuple)
        and len(value) == 2
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
    )
    if not ok:
        raise InputError(f"`{where}` must be [lon, lat] in degrees, got {shown(value)}")
    lon, lat = float(value[0]), float(value[1])  # type: ignore[index]
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise InputError(
            f"`{where}` [{lon}, {lat}] is off the Earth: longitude -180..180, latitude -90..90"
        )


def _geojson(value: object, where: str) -> None:
    if not isinstance(value, Mapping) or not isinstance(value.get("type"), str):
        raise InputError(f"`{where}` must be a GeoJSON object (with a 'type')")


def _title(value: object, where: str) -> None:
    check_title(value, where)


def _system(value: object, where: str) -> None:
    if value is None:
        return
    if not isinstance(value, str):
        raise InputTypeError(f"`{where}` must be a system name, got {type_name(value)}")
    _spec(value, where)


def _numbers(value: object, where: str) -> list[object]:
    """The values of a number field: a number, text with commas, or a list of either."""
    out: list[object] = []
    for item in _items(value, where):
        out.extend(item.split(",") if isinstance(item, str) else [item])
    if len(out) > MAX_SPECS:
        raise TooLarge(f"`{where}` has {len(out):,} values, at most {MAX_SPECS} are kept")
    return out


def _range(value: object, where: str) -> None:
    for item in _numbers(value, where):
        if isinstance(item, bool) or not isinstance(item, str | int | float):
            raise InputTypeError(
                f"`{where}` must be a number of km or text such as '5500km', got {type_name(item)}"
            )
        parse_length_m(item, what=f"`{where}`")


def _minutes(value: object, where: str) -> None:
    for item in _numbers(value, where):
        try:
            minutes = float(item) if not isinstance(item, bool) else math.nan  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise InputError(f"`{where}` must be minutes (numbers), got {shown(item)}") from None
        if not 0 < minutes <= MAX_DURATION_S / 60:
            raise InputError(
                f"`{where}` must be between 0 and {MAX_DURATION_S / 60:,.0f} minutes, got "
                f"{shown(item)}"
            )


def _targets(value: object, where: str) -> None:
    _spec(value, where)


def _profile(value: object, where: str) -> None:
    if value not in PROFILES:
        raise InputError(f"`{where}` is {shown(value)}; use one of: {', '.join(PROFILES)}")


def _units(value: object, where: str) -> None:
    if not isinstance(value, str) or value not in DISPLAY_UNITS:
        raise InputError(f"`{where}` is {shown(value)}; use one of: {', '.join(DISPLAY_UNITS)}")


_CHECKS = {
    "from": _areas,
    "vs": _areas,
    "system": _system,
    "range": _range,
    "targets": _targets,
    "minutes": _minutes,
    "profile": _profile,
    "units": _units,
    "geojson": _geojson,
    "title": _title,
}
