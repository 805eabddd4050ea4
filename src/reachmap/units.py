"""Parsing of user-supplied lengths: ``5500``, ``5500km``, ``3400mi``, ``800 nmi``.

Lengths are kilometres unless a unit is given; internally everything is metres.
"""

from __future__ import annotations

import math
import re

from reachmap.errors import InputError

#: metres per unit; the international mile and nautical mile are exact by definition.
LENGTH_UNITS_M: dict[str, float] = {
    "m": 1.0,
    "km": 1000.0,
    "mi": 1609.344,
    "nmi": 1852.0,
}

_LENGTH = re.compile(r"^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*([A-Za-z]*)\s*$")


def parse_length_m(text: str | float, *, what: str = "range", allow_zero: bool = False) -> float:
    """Parse a length with an optional unit (default km) and return metres.

    >>> parse_length_m("5500")
    5500000.0
    >>> parse_length_m("1200mi")
    1931212.8
    >>> parse_length_m("-5")
    Traceback (most recent call last):
    ...
    reachmap.errors.InputError: range must be positive, got '-5'
    """
    if isinstance(text, int | float):
        value, unit = float(text), "km"
    else:
        match = _LENGTH.match(text)
        if not match:
            raise InputError(f"{what} {text!r} is not a number; give e.g. 5500, 5500km or 3400mi")
        value, unit = float(match.group(1)), (match.group(2).lower() or "km")
    if unit not in LENGTH_UNITS_M:
        units = ", ".join(LENGTH_UNITS_M)
        raise InputError(f"unknown unit {unit!r} in {what} {text!r}; use one of: {units}")
    if not math.isfinite(value):
        raise InputError(f"{what} must be a finite number, got {text!r}")
    if value < 0 or (value == 0 and not allow_zero):
        raise InputError(f"{what} must be positive, got {text!r}")
    return value * LENGTH_UNITS_M[unit]


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
    clock = _CLOCK.match(text)
    if clock:
        value_s = int(clock.group(1)) * 60.0 + int(clock.group(2))
    else:
        match = _LENGTH.match(text)
        if not match:
            raise InputError(f"{what} {text!r} is not a duration; give e.g. 15min, 900s or 14:58")
        unit = match.group(2).lower() or "min"
        if unit not in DURATION_UNITS_S:
            units = ", ".join(DURATION_UNITS_S)
            raise InputError(f"unknown unit {unit!r} in {what} {text!r}; use one of: {units}")
        value_s = float(match.group(1)) * DURATION_UNITS_S[unit]
    if not math.isfinite(value_s) or value_s <= 0 or value_s > MAX_DURATION_S:
        raise InputError(f"{what} must be positive and at most 24 h, got {text!r}")
    return value_s
