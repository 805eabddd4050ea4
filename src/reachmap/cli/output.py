"""Writing command results: table (rich), json, csv or geojson, to stdout or ``-o FILE``.

Files are written atomically (:mod:`reachmap.io.files`), so a failed command never
leaves a partial file behind.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any

from rich.console import Console

from reachmap.errors import InputError
from reachmap.io.files import check_writable, write_text_atomic
from reachmap.io.jsontext import to_json
from reachmap.units import LENGTH_UNITS_M

__all__ = [
    "Format",
    "check_writable",
    "csv_in_units",
    "emit",
    "json_in_units",
    "points_geojson",
    "to_csv",
    "to_json",
    "warn",
    "write_text_atomic",
]


class Format(StrEnum):
    """Output formats accepted by ``--format``."""

    table = "table"
    json = "json"
    csv = "csv"
    geojson = "geojson"


def warn(messages: Iterable[str]) -> None:
    """Each message as a ``reachmap: warning:`` line on stderr (JSON carries them too)."""
    import sys

    for message in messages:
        print(f"reachmap: warning: {message}", file=sys.stderr)


def to_csv(rows: Iterable[Mapping[str, Any]], columns: list[str]) -> str:
    """CSV of ``rows`` with the given columns, floats at full precision."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if row.get(k) is None else row.get(k)) for k in columns})
    return buf.getvalue()


def _scaled(value: Any, factor: float) -> Any:
    if isinstance(value, list | tuple):  # "ranges_km": [500, 1000]
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


def emit(
    fmt: Format,
    out: Path | None,
    *,
    json_data: Callable[[], Any] | None = None,
    csv_rows: Callable[[], tuple[Iterable[Mapping[str, Any]], list[str]]] | None = None,
    geojson: Callable[[], Any] | None = None,
    table: Callable[[Console], None] | None = None,
    units: str = "km",
) -> None:
    """Render a result in ``fmt`` and write it to ``out`` (or stdout).

    Each renderer is a callable so that only the requested one runs; a format the
    command does not offer raises :class:`InputError` listing those it does. ``units``
    (``--units``) adds lengths in that unit to JSON and GeoJSON and converts the
    ``*_km`` columns of CSV (:func:`json_in_units`, :func:`csv_in_units`); the table
    renderer prints its own lengths in it.
    """
    offered = {
        Format.json: json_data,
        Format.csv: csv_rows,
        Format.geojson: geojson,
        Format.table: table,
    }
    if offered.get(fmt) is None:
        valid = ", ".join(f.value for f, r in offered.items() if r is not None)
        raise InputError(f"--format {fmt.value} is not available here; use one of: {valid}")
    if fmt is Format.table:
        assert table is not None
        if out is None:
            table(Console(soft_wrap=False))
        else:
            buf = io.StringIO()
            table(Console(file=buf, width=160, force_terminal=False, color_system=None))
            write_text_atomic(out, buf.getvalue())
        return
    if fmt is Format.json:
        assert json_data is not None
        text = to_json(json_in_units(json_data(), units)) + "\n"
    elif fmt is Format.geojson:
        assert geojson is not None
        text = to_json(json_in_units(geojson(), units)) + "\n"
    else:
        assert csv_rows is not None
        rows, columns = csv_in_units(*csv_rows(), units)
        text = to_csv(rows, columns)
    if out is None:
        print(text, end="")
    else:
        write_text_atomic(out, text)


def points_geojson(rows: list[dict[str, Any]], summary: dict[str, Any]) -> dict[str, Any]:
    """Place rows (with ``lon``, ``lat``) as a GeoJSON FeatureCollection of points; the
    other columns become properties, ``summary`` a foreign member."""
    feats = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [r["lon"], r["lat"]]},
            "properties": {k: v for k, v in r.items() if k not in ("lat", "lon")},
        }
        for r in rows
    ]
    return {"type": "FeatureCollection", "features": feats, "summary": summary}
