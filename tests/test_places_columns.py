"""Columns of a user's place CSV and properties of a places GeoJSON that reachmap does
not read are reported (issue 10, part 7): on stderr and in the JSON, once per name, with
the name that may have been meant; values it reads but cannot use are one-line errors."""

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


def _geojson(*features: tuple[dict[str, object], list[float]]) -> str:
    # fmt: off
    return json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {"type": "Feature", "properties": p,
                 "geometry": {"type": "Point", "coordinates": c}}
                for p, c in features
            ],
        }
    )
    # fmt: on


GEOJSON = _geojson(
    ({"name": "Vilnius", "pop": 588412, "Notes": "capital"}, [25.2797, 54.6872]),
    ({"name": "Riga", "pop": 605802, "country_code": "LV", "iso3": "LVA"}, [24.1052, 56.9496]),
    ({"name": "Tartu", "populaton": 91407}, [26.7290, 58.3780]),
)


def test_unread_geojson_properties_are_warned_once_per_name(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "mine.geojson"
    path.write_text(GEOJSON, encoding="utf-8")
    code, out, err = cli("reach", "--from", "Belarus", "--range", "500", "--targets",
                         str(path), "--format", "json")  # fmt: skip
    assert code == 0, err
    expected = [
        f"{path}: ignored property 'pop' in 2 features (did you mean 'population'?)",
        f"{path}: ignored property 'notes' in 1 feature",
        f"{path}: ignored property 'iso3' in 1 feature (another property already gives it)",
        f"{path}: ignored property 'populaton' in 1 feature (did you mean 'population'?)",
    ]
    doc = json.loads(out)
    assert doc["summary"]["warnings"] == expected
    assert [line for line in err.splitlines() if "warning" in line] == [
        f"reachmap: warning: {w}" for w in expected
    ]
    rows = {t["name"]: t for t in doc["targets"]}
    assert rows["Vilnius"]["population"] == 0  # 'pop' really was not read
    assert rows["Riga"]["country_code"] == "LVA" and rows["Tartu"]["country_code"] == "EST"


def test_geojson_properties_read_are_clean_and_bad_values_are_one_line(
    cli: Cli, tmp_path: Path
) -> None:
    good = tmp_path / "good.geojson"
    good.write_text(
        _geojson(({"Name": "Vilnius", "Population": "588412", "country": "LT"}, [25.28, 54.69])),
        encoding="utf-8",
    )
    code, out, err = cli("reach", "--from", "Belarus", "--range", "500", "--targets",
                         str(good), "--format", "json")  # fmt: skip
    assert code == 0 and "warning" not in err
    (row,) = json.loads(out)["targets"]
    assert (row["population"], row["country_code"]) == (588412, "LTU")
    for props, message in (
        ({"name": "X", "population": "many"}, "features[0]: population 'many' is not a number"),
        ({"name": "X", "population": True}, "features[0]: population 'True' is not a number"),
        ({"name": "X", "population": -5}, "features[0]: population '-5' is negative"),
        ({"name": {"en": "X"}}, "features[0].properties.name: an object is not a name"),
        ({"name": "X", "iso3": "Narnia"}, "features[0]: unknown country 'Narnia'"),
    ):
        bad = tmp_path / "bad.geojson"
        bad.write_text(_geojson((props, [25.0, 54.0])), encoding="utf-8")
        code, out, err = cli("reach", "--from", "Belarus", "--range", "500", "--targets",
                             str(bad), "--format", "json")  # fmt: skip
        assert code == 2 and out == ""
        assert err.strip().splitlines() == [err.strip()] and message in err, err
