"""Results as JSON text: the one encoder of the command line's ``--format json`` and of
the web API's responses, so that both print the same numbers.

Floats keep full precision (rounding is for tables, not for JSON); numpy scalars and
arrays become plain numbers and lists; NaN and infinities are refused (a result that
holds one is a bug: the library reports a missing value as ``null``).

>>> import numpy as np

from reachmap.units import LENGTH_UNITS_M
>>> to_json({"range_km": np.float64(5500.0), "ids": np.arange(2)}, indent=None)
'{"range_km":5500.0,"ids":[0,1]}'
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from reachmap.units import LENGTH_UNITS_M

__all__ = ["csv_in_units", "json_in_units", "to_json"]


def to_json(data: Any, indent: int | None = 2) -> str:
    """``data`` as JSON text (UTF-8 characters kept, full float precision)."""
    separators = None if indent is not None else (",", ":")
    return json.dumps(
        data,
        indent=indent,
        ensure_ascii=False,
        allow_nan=False,
        default=_jsonable,
        separators=separators,
    )


def _jsonable(obj: Any) -> Any:
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, Path):
        return str(obj)
    raise TypeError(f"not JSON serialisable: {type(obj).__name__}")


# ------------------------------------------------------------ lengths in --units


def _scaled(value: Any, factor: float) -> Any:
    """A length (or the lengths in a ``<name>_km`` object or list, e.g. a system's
    ``range_km: {"low", "high", "note"}``) times ``factor``."""
    if isinstance(value, Mapping):
        return {k: _scaled(v, factor) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_scaled(v, factor) for v in value]
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value  # None (no value) and text stay as they are
    return value * factor


def json_in_units(data: Any, unit: str, *, metre_fields: bool = False) -> Any:
    """``data`` with, next to every ``<name>_km`` field, ``<name>_<unit>`` (the same
    length in ``unit``) and ``"units": unit`` at the top; nothing when ``unit`` is km.
    With ``metre_fields`` every ``<name>_m`` field gets its ``<name>_<unit>`` too (the
    claim checker's numbers are metres). Every existing field keeps its name and value
    (docs/units.md).

    >>> json_in_units({"length_km": 1.609344, "items": [{"d_km": None}]}, "mi")
    {'units': 'mi', 'length_km': 1.609344, 'length_mi': 1.0, 'items': [{'d_km': None, \
'd_mi': None}]}
    >>> json_in_units({"ranges_km": [1.852, 3.704], "d_m": 1852.0}, "nmi", metre_fields=True)
    {'units': 'nmi', 'ranges_km': [1.852, 3.704], 'ranges_nmi': [1.0, 2.0], 'd_m': 1852.0, \
'd_nmi': 1.0}
    """
    if unit == "km":
        return data
    per_unit = {"_km": 1000.0 / LENGTH_UNITS_M[unit], "_m": 1.0 / LENGTH_UNITS_M[unit]}
    if not metre_fields:
        del per_unit["_m"]

    def walk(obj: Any) -> Any:
        if isinstance(obj, Mapping):
            out: dict[str, Any] = {}
            for k, v in obj.items():
                out[k] = walk(v)
                suffix = next((x for x in per_unit if isinstance(k, str) and k.endswith(x)), None)
                if suffix is not None:
                    out[f"{k[: -len(suffix)]}_{unit}"] = _scaled(v, per_unit[suffix])
            return out
        if isinstance(obj, list | tuple):
            return [walk(v) for v in obj]
        return obj

    converted = walk(data)
    return {"units": unit, **converted} if isinstance(converted, dict) else converted


def csv_in_units(
    rows: Iterable[Mapping[str, Any]], columns: list[str], unit: str
) -> tuple[list[dict[str, Any]], list[str]]:
    """Rows and columns with every ``<name>_km`` column replaced by ``<name>_<unit>``
    in that unit (the header names the unit; other columns unchanged).

    >>> csv_in_units([{"name": "a", "distance_km": 1.852}], ["name", "distance_km"], "nmi")
    ([{'name': 'a', 'distance_nmi': 1.0}], ['name', 'distance_nmi'])
    """
    if unit == "km":
        return [dict(r) for r in rows], columns
    factor = 1000.0 / LENGTH_UNITS_M[unit]
    renamed = {c: f"{c[:-3]}_{unit}" for c in columns if c.endswith("_km")}
    out = [
        {renamed.get(k, k): (_scaled(v, factor) if k in renamed else v) for k, v in r.items()}
        for r in rows
    ]
    return out, [renamed.get(c, c) for c in columns]
