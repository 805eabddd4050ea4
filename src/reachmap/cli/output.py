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
from reachmap.io.jsontext import csv_in_units, json_in_units, to_json

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
