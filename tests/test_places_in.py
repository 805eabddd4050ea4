"""The user's place files (reachmap.io.places_in): the parser on text, the reader on files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from reachmap.errors import InputError
from reachmap.io.places_in import load_places, parse_places


def test_csv() -> None:
    places = parse_places(
        "Name,Latitude,Longitude,population,country_code\n"
        "Minsk,53.9,27.56,2000000,BY\n"
        "\n"
        '"Brest, city",52.1,23.7,,\n'
        "Sea,0,-30,,\n",
        "sites.csv",
    )
    assert places.name.tolist() == ["Minsk", "Brest, city", "Sea"]
    assert places.country_code.tolist() == ["BLR", "BLR", ""]  # blanks from the outlines
    assert places.population.tolist() == [2_000_000, 0, 0]
    assert places.lon_deg.tolist() == [27.56, 23.7, -30.0]
    assert places.lat_deg.tolist() == [53.9, 52.1, 0.0]
    assert places.geonameid.tolist() == [-1, -1, -1]
    assert places.kind == "user file sites.csv"


def test_csv_semicolons_and_short_column_names() -> None:
    places = parse_places("name;lat;lon\nA;1.5;2\n", "s.txt")
    assert places.lon_deg.tolist() == [2.0] and places.lat_deg.tolist() == [1.5]


def test_geojson() -> None:
    data = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"Name": "Minsk", "population": 1742124},
                "geometry": {"type": "Point", "coordinates": [27.56, 53.9]},
            },
            {
                "type": "Feature",
                "properties": {"name": "pair", "country_code": "UKR"},
                "geometry": {"type": "MultiPoint", "coordinates": [[30.5, 50.45], [36.2, 50.0]]},
            },
        ],
    }
    places = parse_places(json.dumps(data), "p.geojson")
    assert places.name.tolist() == ["Minsk", "pair", "pair"]
    assert places.lon_deg.tolist() == [27.56, 30.5, 36.2]  # GeoJSON order is lon, lat
    assert places.lat_deg.tolist() == [53.9, 50.45, 50.0]
    assert places.country_code.tolist() == ["BLR", "UKR", "UKR"]
    assert places.population.tolist() == [1742124, 0, 0]
    # a single Feature, recognised by its text whatever the file is called
    one = parse_places(json.dumps(data["features"][0]), "one.txt")
    assert one.name.tolist() == ["Minsk"]


def feature(geometry: object, properties: object = None) -> str:
    return json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {"type": "Feature", "properties": properties or {"name": "a"}, "geometry": geometry}
            ],
        }  # fmt: skip
    )


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("e.csv", "", r"e\.csv: the file is empty"),
        ("e.csv", "  \n\n", r"e\.csv: the file is empty"),
        ("m.csv", "name,lat\nA,1\n", r"m\.csv: line 1: missing column\(s\) lon"),
        ("m.csv", "city,x,y\nA,1,2\n", r"missing column\(s\) name, lat, lon"),
        ("n.csv", "name,lat,lon\nA,1,2\nB,north,2\n", r"n\.csv: line 3: latitude 'north' is not a"),
        ("n.csv", "name,lat,lon\nA,nan,2\n", r"line 2: latitude 'nan' is not a finite number"),
        ("r.csv", "name,lat,lon\nA,91,2\n", r"r\.csv: line 2: latitude 91 is outside -90\.\.90"),
        ("r.csv", "name,lat,lon\nA,1,-181\n", r"line 2: longitude -181 is outside -180\.\.180"),
        ("h.csv", "name,lat,lon\n", r"h\.csv: no places"),
        ("s.csv", "name,lat,lon\nA,1\n", r"line 2: 2 fields, the header has 3"),
        ("b.csv", "name,lat,lon\n,1,2\n", r"line 2: the name is empty"),
        ("p.csv", "name,lat,lon,population\nA,1,2,-4\n", r"line 2: population '-4' is negative"),
        ("c.csv", "name,lat,lon,country_code\nA,1,2,Q1\n", r"line 2: unknown country 'Q1'"),
        ("j.geojson", '{"type": "FeatureCollection",\n "features": [}', r"line 2, column 15"),
        ("j.json", "[1, 2]", r"expected a GeoJSON FeatureCollection or Feature, got None"),
        (
            "g.geojson",
            feature({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 1], [0, 0]]]}),
            r"g\.geojson: features\[0\]: geometry type 'Polygon' is not supported",
        ),
        ("g.geojson", feature(None), r"features\[0\]: no geometry"),
        (
            "g.geojson",
            feature({"type": "Point", "coordinates": [0, 95]}),
            r"features\[0\]\.geometry\.coordinates: latitude 95 is outside",
        ),
        (
            "g.geojson",
            feature({"type": "MultiPoint", "coordinates": [[0, 0], [1]]}),
            r"features\[0\]\.geometry\.coordinates\[1\]: coordinates must be \[lon, lat\]",
        ),
        (
            "g.geojson",
            feature({"type": "Point", "coordinates": ["a", 1]}),
            r"features\[0\]\.geometry\.coordinates\[0\]: longitude 'a' is not a JSON number",
        ),
    ],
)
def test_bad_text_says_where(name: str, text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_places(text, name)


def test_files_bom_missing_and_binary(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_text("\ufeffname,lat,lon\nMinsk,53.9,27.56\n", encoding="utf-8")
    assert load_places(path).name.tolist() == ["Minsk"]  # the byte-order mark is not a name
    with pytest.raises(InputError, match="does not exist"):
        load_places(tmp_path / "absent.csv")
    binary = tmp_path / "x.csv"
    binary.write_bytes(b"name,lat,lon\n\xff\xfe,1,2\n")
    with pytest.raises(InputError, match="not UTF-8 text"):
        load_places(binary)


def test_population_sums_are_exact_and_absurd_populations_refused(tmp_path: Path, cli) -> None:
    # Regression (issue 8): two rows of 9e18 printed a negative total (int64 overflow).
    # Such a population is refused at input, naming the limit; sums are exact Python
    # integers (reference: Python's own integer arithmetic).
    import numpy as np

    from reachmap.analysis.reach import RangeSpec, reach
    from reachmap.area import from_parts
    from reachmap.places import MAX_POPULATION, Places, population_total

    bad = tmp_path / "big.csv"
    bad.write_text("name,lat,lon,population\nA,53.9,27.5,9e18\nB,53.8,27.4,9e18\n")
    code, out, err = cli("reach", "--from", "53.9,27.5", "--range", "100", "--targets", str(bad))
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "10,000,000,000" in err and "line 2" in err
    # at the limit the total is exact
    ok = tmp_path / "ok.csv"
    ok.write_text(
        f"name,lat,lon,population\nA,53.9,27.5,{MAX_POPULATION}\nB,53.8,27.4,{MAX_POPULATION}\n"
    )
    places = load_places(ok)
    res = reach(from_parts([], [[27.5, 53.9]], []), RangeSpec(100e3, 100e3), places)
    assert res.to_json()["summary"]["population_within"] == 2 * 10**10
    # the library sums any int64 populations exactly (beyond the input limit too)
    big = np.array([9 * 10**18, 9 * 10**18], dtype=np.int64)
    assert population_total(big) == 18 * 10**18 > 0
    assert population_total(Places.from_columns(["a"], ["X"], [0.0], [0.0], [5]).population) == 5


@pytest.mark.parametrize(
    ("coords", "where"),
    [
        ("[true, 53.9]", "features[0].geometry.coordinates[0]"),
        ('[27.5, "53.9"]', "features[0].geometry.coordinates[1]"),
        ("[27.5, null]", "features[0].geometry.coordinates[1]"),
    ],
)
def test_geojson_coordinates_must_be_json_numbers(coords: str, where: str) -> None:
    # Regression (issue 8): booleans and strings were read as numbers (true -> 1.0).
    text = (
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
        '{"name": "x"}, "geometry": {"type": "Point", "coordinates": ' + coords + "}}]}"
    )
    with pytest.raises(InputError, match=re.escape(where) + ".*not a JSON number"):
        parse_places(text, "x.geojson")
    multi = text.replace('"Point"', '"MultiPoint"').replace(coords, f"[[1, 2], {coords}]")
    with pytest.raises(InputError, match="not a JSON number"):
        parse_places(multi, "x.geojson")
