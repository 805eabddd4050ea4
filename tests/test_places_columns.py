"""Columns of a user's place CSV that reachmap does not read are reported (issue 10,
part 7): on stderr and in the JSON, with the column that may have been meant."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from reachmap.io.places_in import parse_places

if TYPE_CHECKING:
    from conftest import Cli

CSV = (
    "name,lat,lon,pop,notes\nVilnius,54.6872,25.2797,588412,capital\nRiga,56.9496,24.1052,605802,\n"
)


def test_unread_columns_are_warned_with_a_suggestion() -> None:
    places = parse_places(CSV, "mine.csv")
    assert places.warnings == (
        "mine.csv: ignored column 'pop' (did you mean 'population'?)",
        "mine.csv: ignored column 'notes'",
    )
    assert places.population.tolist() == [0, 0]  # 'pop' really was not read
    assert places.take([1]).warnings == places.warnings


def test_close_misspellings_and_duplicates() -> None:
    text = "Name;Latitude;Longitude;Lat;populaton;Country_Code\nMinsk;53.9;27.56;53.9;1;BY\n"
    warnings = parse_places(text, "x.csv").warnings
    assert warnings == (
        "x.csv: ignored column 'latitude' (another column already gives it)",  # 'lat' is read
        "x.csv: ignored column 'populaton' (did you mean 'population'?)",
    )
    assert parse_places("name,lat,lon,population\nA,1,2,3\n", "ok.csv").warnings == ()


def test_cli_says_it_on_stderr_and_in_json(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    path.write_text(CSV, encoding="utf-8")
    code, out, err = cli("reach", "--from", "Belarus", "--range", "500", "--targets",
                         str(path), "--format", "json")  # fmt: skip
    assert code == 0
    expected = f"{path}: ignored column 'pop' (did you mean 'population'?)"
    assert f"reachmap: warning: {expected}" in err.splitlines()
    assert expected in json.loads(out)["summary"]["warnings"]
    code, out, err = cli("compare", "--from", "Belarus", "--vs", "RUS", "--range", "500",
                         "--targets", str(path), "--format", "json")  # fmt: skip
    assert code == 0 and expected in json.loads(out)["summary"]["warnings"]
    assert "reachmap: warning:" in err
    code, out, err = cli("reach", "--from", "Belarus", "--range", "300,600", "--targets",
                         str(path), "--format", "json")  # fmt: skip
    assert code == 0 and expected in json.loads(out)["summary"]["warnings"]  # ring sets too
    assert f"reachmap: warning: {expected}" in err.splitlines()
