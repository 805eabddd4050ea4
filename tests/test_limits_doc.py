"""docs/limits.md states every limit with its constant: the printed value is the code's."""

from __future__ import annotations

import importlib
import math
import re
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[1] / "docs" / "limits.md"
#: a table row: | what | value | `module.CONSTANT` | ...
ROW = re.compile(r"^\|[^|]+\|\s*([^|]+?)\s*\|\s*`(reachmap\.[\w.]+)\.([A-Z_]+)`\s*\|", re.M)
#: how a value is printed -> the factor to the constant's unit
UNITS = {"MiB": 2**20, "km": 1000.0, "m": 1.0, "characters": 1, "": 1}


def _value(text: str) -> float:
    match = re.fullmatch(r"([\d,.]+)\s*(MiB|km|m|characters)?", text.strip())
    assert match, f"cannot read the value {text!r}"
    return float(match[1].replace(",", "")) * UNITS[match[2] or ""]


ROWS = ROW.findall(DOC.read_text(encoding="utf-8"))


def test_the_doc_has_its_tables() -> None:
    assert len(ROWS) >= 18


@pytest.mark.parametrize(("value", "module", "name"), ROWS, ids=[r[2] for r in ROWS])
def test_each_printed_limit_is_the_code_constant(value: str, module: str, name: str) -> None:
    actual = getattr(importlib.import_module(module), name)
    # values are printed rounded to what is shown (20,037.5 km for pi * a)
    shown = _value(value)
    digits = len(re.sub(r"\D", "", value.split()[0]))
    assert math.isclose(actual, shown, rel_tol=10.0 ** -(digits - 1)), (actual, value)
    if actual >= 1000 and float(actual).is_integer():
        assert actual == shown  # whole numbers are printed exactly


def test_every_limit_constant_is_documented() -> None:
    documented = {f"{m}.{n}" for _, m, n in ROWS}
    expected = {
        "reachmap.io.files.MAX_INPUT_BYTES",
        "reachmap.cli.check_cmds.MAX_ARTICLE_BYTES",
        "reachmap.data.cache.MAX_CACHE_BYTES",
        "reachmap.io.geojson_in.MAX_VERTICES",
        "reachmap.io.geojson_in.MAX_NESTING",
        "reachmap.io.places_in.MAX_PLACES",
        "reachmap.io.places_in.MAX_FIELD_CHARS",
        "reachmap.io.places_in.MAX_POPULATION",
        "reachmap.io.resolve.MAX_SPECS",
        "reachmap.cli.options.MAX_REPEATS",
        "reachmap.units.MAX_LENGTH_M",
        "reachmap.envelope.core.MIN_TOLERANCE_M",
        "reachmap.envelope.core.MAX_TOLERANCE_M",
        "reachmap.envelope.levelset.MAX_DISTANCE_M",
        "reachmap.envelope.core.MIN_CELL_M",
        "reachmap.envelope.core.MAX_CELL_M",
        "reachmap.analysis.isochrones.MAX_CONTOURS",
        "reachmap.claims.quantities.MAX_FIGURE_CHARS",
    }
    assert expected <= documented, expected - documented
