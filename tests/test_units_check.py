"""``reachmap check --units mi|nmi`` on a real article: measured lengths in the chosen
unit with km beside, the article's figures as written, JSON with ``*_mi`` beside the
metres. Converted figures are checked against the unit definitions written out here
(1 mi = 1,609.344 m, 1 nmi = 1,852 m) applied to the JSON's metres and to GeographicLib's
border sum, not against reachmap's conversion code."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from rich.cells import cell_len
from test_units_cli import MILE_M, NAUTICAL_MILE_M, _shared_length_m

if TYPE_CHECKING:
    from conftest import Cli

ARTICLE = (
    "Kyiv is about 1,600 km from Moscow. Belarus shares a 1,084-kilometer border with "
    "Ukraine. Oreshnik has a range of up to 5,500 km, an intermediate-range missile."
)
PER_UNIT_M = {"mi": MILE_M, "nmi": NAUTICAL_MILE_M}


def _fig(metres: float, per_unit_m: float) -> str:
    """A figure as explanations round it: one decimal below 10, none from 10 up."""
    value = metres / per_unit_m
    return f"{value:,.1f}" if abs(value) < 10 else f"{value:,.0f}"


def _check(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> str:
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    monkeypatch.setenv("COLUMNS", "80")
    code, out, err = cli("check", str(article), *args)
    assert code == 0, err
    return out


@pytest.mark.parametrize("unit", ["mi", "nmi"])
def test_measured_lengths_in_the_unit_with_km_beside(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, unit: str
) -> None:
    per = PER_UNIT_M[unit]
    base = json.loads(_check(cli, tmp_path, monkeypatch, "--format", "json"))
    table = _check(cli, tmp_path, monkeypatch, "--units", unit)
    assert all(cell_len(line.rstrip()) <= 80 for line in table.splitlines()), table
    flat = " ".join(table.split())
    distance = next(c for c in base["claims"] if c["kind"] == "distance")
    d_m = distance["computed"]["distance_m"]
    assert f"Moscow (RUS): {_fig(d_m, per)} {unit} ({_fig(d_m, 1000)} km)" in flat, flat
    # the article's figure stays as written; the range it allows is ours, in the unit
    lo_m, hi_m = distance["computed"]["allowed_m"]
    assert f"'about 1,600 km' allows {_fig(lo_m, per)} {unit} ({_fig(lo_m, 1000)} km)" in flat
    assert f"to {_fig(hi_m, per)} {unit} ({_fig(hi_m, 1000)} km)" in flat
    # the border measured on the outline: GeographicLib summed edge by edge
    border_m = _shared_length_m("BLR", "UKR")
    assert f"Belarus-Ukraine: {_fig(border_m, per)} {unit} ({_fig(border_m, 1000)} km)" in flat
    assert "'1,084-kilometer' is 1.26 times" in flat  # the article's own words
    # published figures (the catalog's sourced range) keep km first, the unit beside
    span = f"{_fig(5_000e3, per)}-{_fig(5_500e3, per)} {unit}"
    assert f"5,000-5,500 km ({span})" in flat, flat
    assert "'up to 5,500 km'" in flat


def test_km_output_is_unchanged_and_json_adds_the_unit(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = _check(cli, tmp_path, monkeypatch)
    assert plain == _check(cli, tmp_path, monkeypatch, "--units", "km")
    assert " mi" not in plain and re.search(r"Moscow \(RUS\): \d+ km, the exact", plain)
    base = json.loads(_check(cli, tmp_path, monkeypatch, "--format", "json"))
    doc = json.loads(_check(cli, tmp_path, monkeypatch, "--format", "json", "--units", "mi"))
    assert doc["units"] == "mi" and "units" not in base
    for b, c in zip(base["claims"], doc["claims"], strict=True):
        extra = {k for k in c["computed"] if k.endswith("_mi")}
        assert {k: v for k, v in c["computed"].items() if k not in extra} == b["computed"]
        for k in extra:
            name = k[:-3]
            metres = b["computed"].get(f"{name}_m")
            if metres is None:  # only a *_km field
                metres = b["computed"][f"{name}_km"] * 1000
            want = [w / MILE_M for w in metres] if isinstance(metres, list) else metres / MILE_M
            assert c["computed"][k] == pytest.approx(want, rel=1e-12)  # one float division
    border = next(c for c in doc["claims"] if "border_length_mi" in c["computed"])
    # GeographicLib's sum and reachmap's measure agree to a millimetre (docs/accuracy.md)
    assert border["computed"]["border_length_mi"] == pytest.approx(
        _shared_length_m("BLR", "UKR") / MILE_M, abs=1e-3 / MILE_M
    )
