"""User-supplied numbers: lengths (``5500``, ``5500km``, ``3400mi``, ``800 nmi``),
plain numbers and coordinate arrays, checked at the library's edge.

Lengths are kilometres unless a unit is given; internally everything is metres. A
length is finite and at most :data:`MAX_LENGTH_M`, half the Earth's circumference:
nothing on the ellipsoid is farther away, so a larger number is a typo (docs/limits.md).
"""

from __future__ import annotations

import math
import numbers
import re
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from reachmap.errors import InputError, InputTypeError, shown, type_name

#: Half the equatorial circumference of WGS84, pi * a (m). No two points are farther
#: apart along the surface (the longest shortest path, pole to pole, is 20,003.9 km):
#: a longer range reaches every place already, a longer distance does not exist.
MAX_LENGTH_M = math.pi * 6_378_137.0

#: metres per unit; the international mile and nautical mile are exact by definition.
LENGTH_UNITS_M: dict[str, float] = {
    "m": 1.0,
    "km": 1000.0,
    "mi": 1609.344,
    "nmi": 1852.0,
}

_LENGTH = re.compile(r"^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*([A-Za-z]*)\s*$")


def parse_length_m(
    text: str | float, *, what: str = "range", allow_zero: bool = False, max_m: float = MAX_LENGTH_M
) -> float:
    """Parse a length with an optional unit (default km) and return metres (at most
    ``max_m``; a number is kilometres too).

    >>> parse_length_m("5500")
    5500000.0
    >>> parse_length_m("1200mi")
    1931212.8
    >>> parse_length_m("-5")
    Traceback (most recent call last):
    ...
    reachmap.errors.InputError: range must be positive, got '-5'
    """
    if isinstance(text, numbers.Real) and not isinstance(text, bool):
        value, unit = float(text), "km"
    elif isinstance(text, str):
        match = _LENGTH.match(text)
        if not match:
            raise InputError(
                f"{what} {shown(text)} is not a number; give e.g. 5500, 5500km or 3400mi"
            )
        value, unit = float(match.group(1)), (match.group(2).lower() or "km")
    else:
        raise InputTypeError(
            f"{what} must be text such as '5500km' or a number of km, got {type_name(text)}"
        )
    if unit not in LENGTH_UNITS_M:
        units = ", ".join(LENGTH_UNITS_M)
        raise InputError(f"unknown unit {unit!r} in {what} {shown(text)}; use one of: {units}")
    if not math.isfinite(value):
        raise InputError(f"{what} must be a finite number, got {shown(text)}")
    if value < 0 or (value == 0 and not allow_zero):
        raise InputError(f"{what} must be positive, got {shown(text)}")
    metres = value * LENGTH_UNITS_M[unit]  # 1e308 km overflows to inf: caught below
    if metres > max_m:
        raise InputError(
            f"{what} {shown(text)} is more than half the Earth's circumference "
            f"({max_m / 1000:,.1f} km), farther than any place on Earth; give at most "
            f"{math.floor(max_m / 100) / 10:g} km"
        )
    return metres


def without_unit(text: str | float) -> bool:
    """Whether a length is a number with no unit, which :func:`parse_length_m` reads in
    km (``300``, ``"300"``; not ``"300mi"`` or text that is no length at all).

    >>> without_unit("300"), without_unit(" 2.5e3 "), without_unit("300mi"), without_unit("x")
    (True, True, False, False)
    """
    if isinstance(text, numbers.Real):
        return not isinstance(text, bool)
    match = _LENGTH.match(text) if isinstance(text, str) else None
    return match is not None and not match.group(2)


#: seconds per unit of a flight time
DURATION_UNITS_S: dict[str, float] = {
    "s": 1.0, "sec": 1.0, "min": 60.0, "m": 60.0, "h": 3600.0, "hr": 3600.0,
}  # fmt: skip
_CLOCK = re.compile(r"^\s*(\d+):([0-5]\d)\s*$")
#: A flight time beyond a day is no ballistic or cruise flight the model describes.
MAX_DURATION_S = 86_400.0


def parse_duration_s(text: str, *, what: str = "time") -> float:
    """Parse a flight time: minutes unless a unit is given (``15``, ``15min``, ``900s``,
    ``1.5h``) or ``M:SS`` (``14:58``); returns seconds.

    >>> parse_duration_s("15min"), parse_duration_s("14:58"), parse_duration_s("900 s")
    (900.0, 898.0, 900.0)
    """
    if not isinstance(text, str):
        raise InputTypeError(f"{what} must be text such as '15min', got {type_name(text)}")
    clock = _CLOCK.match(text)
    if clock:
        value_s = int(clock.group(1)) * 60.0 + int(clock.group(2))
    else:
        match = _LENGTH.match(text)
        if not match:
            raise InputError(
                f"{what} {shown(text)} is not a duration; give e.g. 15min, 900s or 14:58"
            )
        unit = match.group(2).lower() or "min"
        if unit not in DURATION_UNITS_S:
            units = ", ".join(DURATION_UNITS_S)
            raise InputError(f"unknown unit {unit!r} in {what} {shown(text)}; use one of: {units}")
        value_s = float(match.group(1)) * DURATION_UNITS_S[unit]
    if not math.isfinite(value_s) or value_s <= 0 or value_s > MAX_DURATION_S:
        raise InputError(f"{what} must be positive and at most 24 h, got {shown(text)}")
    return value_s


def real_number(value: Any, param: str) -> float:
    """``value`` as a float, for a parameter that takes a number; text, None, bools and
    containers raise :class:`InputTypeError` naming ``param`` (in backticks).

    >>> real_number(5.5e6, "range_m")
    5500000.0
    >>> real_number("5", "range_m")
    Traceback (most recent call last):
    ...
    reachmap.errors.InputTypeError: `range_m` must be a number, got str '5'
    """
    if isinstance(value, bool) or not (
        isinstance(value, numbers.Real)
        or (isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf")
    ):
        got = f"str {shown(value)}" if isinstance(value, str) else type_name(value)
        raise InputTypeError(f"`{param}` must be a number, got {got}")
    return float(value)


def lonlat_arrays(
    lon_deg: ArrayLike, lat_deg: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Longitudes and latitudes as float arrays broadcast to one shape; anything that is
    not numbers raises :class:`InputTypeError`, shapes that do not broadcast
    :class:`InputError`.

    >>> [a.shape for a in lonlat_arrays([27.5, 30.5], 53.9)]
    [(2,), (2,)]
    """
    arrays = []
    for name, value in (("lon_deg", lon_deg), ("lat_deg", lat_deg)):
        try:
            raw = np.asarray(value)
            if raw.dtype.kind not in "iufO":  # text, booleans, dates are not degrees
                raise TypeError(raw.dtype)
            arr = raw.astype(np.float64)
        except (TypeError, ValueError):
            got = f"str {shown(value)}" if isinstance(value, str) else type_name(value)
            raise InputTypeError(
                f"`{name}` must be a number or an array of numbers (degrees), got {got}"
            ) from None
        arrays.append(arr)
    try:
        lon, lat = np.broadcast_arrays(*arrays)
    except ValueError:
        raise InputError(
            f"`lon_deg` of shape {arrays[0].shape} and `lat_deg` of shape {arrays[1].shape} "
            "do not broadcast; give arrays of the same length"
        ) from None
    return lon, lat


# ------------------------------------------------------------------ display units

#: Units a command can print lengths in (``--units``); JSON keeps its own fields.
DISPLAY_UNITS: tuple[str, ...] = ("km", "mi", "nmi")
#: What each display unit is, for notes and docs.
UNIT_DEFINITIONS: dict[str, str] = {
    "km": "kilometres",
    "mi": "international miles (1 mi = 1,609.344 m exactly)",
    "nmi": "nautical miles (1 nmi = 1,852 m exactly)",
}


def display_unit(name: str) -> str:
    """``name`` as one of :data:`DISPLAY_UNITS` (case-insensitive), or InputError.

    >>> display_unit("MI")
    'mi'
    """
    key = name.strip().lower() if isinstance(name, str) else name
    if key not in DISPLAY_UNITS:
        raise InputError(
            f"unknown unit {shown(name)} for `units`; use one of: {', '.join(DISPLAY_UNITS)}"
        )
    return str(key)


def m_to(metres: float, unit: str) -> float:
    """A length in metres expressed in ``unit`` (exact factors, :data:`LENGTH_UNITS_M`).

    >>> round(m_to(861_500.0, "mi"), 3), round(m_to(861_500.0, "nmi"), 3)
    (535.311, 465.173)
    """
    return metres / LENGTH_UNITS_M[unit]


def fmt_length(metres: float | None, unit: str, digits: int = 0) -> str:
    """``metres`` in ``unit`` with thousands separators and ``digits`` decimals (no unit
    name; "–" for a missing value).

    >>> fmt_length(1_084_000.0, "mi", 1)
    '673.6'
    """
    if metres is None or not math.isfinite(metres):
        return "–"
    return f"{m_to(metres, unit):,.{digits}f}"


def length_label(metres: float, unit: str) -> str:
    """A range as a short label with its unit: whole numbers from 100 up, one decimal
    below (a trailing ".0" dropped): "500 km", "311 mi", "49.7 mi".

    >>> length_label(500_000.0, "km"), length_label(500_000.0, "mi"), length_label(5e4, "nmi")
    ('500 km', '311 mi', '27 nmi')
    >>> length_label(80_000.0, "mi")
    '49.7 mi'
    """
    value = m_to(metres, unit)
    text = f"{value:,.0f}" if value >= 99.95 else f"{value:,.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return f"{text} {unit}"


#: Most ranges in one ring set (``--range 500,1000,...``): more rings than this are
#: unreadable on a map and each costs an envelope.
MAX_RINGS = 12


def parse_lengths_m(text: str, *, what: str = "range", allow_zero: bool = False) -> list[float]:
    """A comma-separated list of lengths (each as :func:`parse_length_m`), in metres,
    ascending; a repeated value or more than :data:`MAX_RINGS` raises InputError.

    >>> parse_lengths_m("1000, 500, 300mi")
    [482803.2, 500000.0, 1000000.0]
    """
    if not isinstance(text, str):
        raise InputTypeError(f"{what} must be text such as '500,1000', got {type_name(text)}")
    items = text.split(",")
    if any(not t.strip() for t in items):
        raise InputError(f"{what} {shown(text)} has an empty item; give e.g. 500,1000,2000")
    if len(items) > MAX_RINGS:
        raise InputError(f"{what} gives {len(items)} ranges; at most {MAX_RINGS} in one set")
    values = [parse_length_m(t, what=what, allow_zero=allow_zero) for t in items]
    if len(set(values)) != len(values):
        raise InputError(f"{what} {shown(text)} gives the same range twice; give each once")
    return sorted(values)
