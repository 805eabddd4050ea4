"""The launch-area GeoJSON parser (reachmap.io.geojson_in), on text: parts out, and
errors that say where (JSON path) and how to fix."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from reachmap.errors import InputError
from reachmap.io.geojson_in import parse_geojson_area, read_geojson_area

SQUARE = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]
HOLE = [[0.2, 0.2], [0.2, 0.4], [0.4, 0.4], [0.4, 0.2], [0.2, 0.2]]


def _text(obj: object) -> str:
    return json.dumps(obj)


def test_polygons_and_points_from_every_container() -> None:
    doc = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [SQUARE, HOLE]}},
            {"type": "Feature", "geometry": None},  # unlocated: skipped (RFC 7946)
            {
                "type": "Feature",
                "geometry": {
                    "type": "GeometryCollection",
                    "geometries": [
                        {"type": "MultiPoint", "coordinates": [[27.5, 53.9], [30.5, 50.4]]},
                        {"type": "MultiPolygon", "coordinates": [[SQUARE]]},
                    ],
                },
            },
        ],
    }
    polygons, points = parse_geojson_area(_text(doc))
    assert len(polygons) == 2 and [len(p) for p in polygons] == [2, 1]
    # rings come without the closing position
    assert polygons[0][0].tolist() == SQUARE[:-1] and polygons[0][1].tolist() == HOLE[:-1]
    assert points == [[27.5, 53.9], [30.5, 50.4]]


def test_pole_edges_may_jump_in_longitude() -> None:
    cap = [[-180, 80], [0, 80], [180, 80], [180, 90], [-180, 90], [-180, 80]]
    polygons, _ = parse_geojson_area(_text({"type": "Polygon", "coordinates": [cap]}))
    assert np.array_equal(polygons[0][0], np.array(cap[:-1], dtype=float))


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('{"type": "Polygon", ', "invalid JSON at line 1, column 21"),
        ('{"type": "Polygon", "coordinates": [[[0,0],[1,0],[1,1]]]}', "at least 4 positions"),
        ('{"type": "Polygon", "coordinates": [[[0,0],[1,0],[1,1],[0,1]]]}', "not closed"),
        ('{"type": "Polygon", "coordinates": []}', "at least an exterior ring"),
        ('{"type": "Point", "coordinates": [10, 95]}', "$.coordinates: latitude 95"),
        ('{"type": "Point", "coordinates": [190, 5]}', "longitude 190 is outside"),
        ('{"type": "Point", "coordinates": [10]}', "a position must be [lon, lat]"),
        ('{"type": "Point", "coordinates": [NaN, 1]}', "non-finite position"),
        ('{"type": "LineString", "coordinates": [[0,0],[1,1]]}', "not an area"),
        ('{"type": "Circle"}', "unknown GeoJSON type 'Circle'"),
        ("[1, 2]", "$: expected a GeoJSON object"),
        ('{"type": "FeatureCollection"}', "FeatureCollection needs a 'features' list"),
        ('{"type": "GeometryCollection"}', "GeometryCollection needs a 'geometries' list"),
        ('{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": '
         '{"type": "Point", "coordinates": ["a", 1]}}]}', "$.features[0].geometry.coordinates"),
        ('{"type": "Polygon", "coordinates": [[[179,0],[-179,0],[-179,1],[179,0]]]}',
         "$.coordinates[0][0]: edge from lon 179 to -179 crosses the antimeridian"),
        ('{"type": "Polygon", "coordinates": [[[0,0],[2,2],[2,0],[0,2],[0,0]]]}',
         "invalid polygon (Self-intersection"),
        ('{"type": "Polygon", "coordinates": [[[0,0],[1,1],[0,0],[0,0]]]}', "invalid polygon"),
        ('{"type": "FeatureCollection", "features": []}', "no Point or Polygon"),
    ],
)  # fmt: skip
def test_defects_say_where(text: str, where: str) -> None:
    with pytest.raises(InputError) as info:
        parse_geojson_area(text, where="area.geojson")
    message = str(info.value)
    assert message.startswith("area.geojson: ") and where in message


def test_too_many_vertices(monkeypatch: pytest.MonkeyPatch) -> None:
    from reachmap.io import geojson_in

    monkeypatch.setattr(geojson_in, "MAX_VERTICES", 3)
    with pytest.raises(InputError, match="more than 3 vertices"):
        parse_geojson_area(_text({"type": "Polygon", "coordinates": [SQUARE]}))


def test_reading_a_file(tmp_path: Path) -> None:
    path = tmp_path / "a.geojson"
    path.write_text(_text({"type": "Point", "coordinates": [27.5, 53.9]}), encoding="utf-8")
    assert read_geojson_area(path) == ([], [[27.5, 53.9]])
    with pytest.raises(InputError, match="does not exist"):
        read_geojson_area(tmp_path / "absent.geojson")
    binary = tmp_path / "b.geojson"
    binary.write_bytes(b"\xff\xfe{")
    with pytest.raises(InputError, match="not UTF-8 text"):
        read_geojson_area(binary)


def test_too_many_vertices_are_refused_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    """The positions are counted in the text: no JSON tree, no array is built."""
    from reachmap.errors import TooLarge
    from reachmap.io import geojson_in

    monkeypatch.setattr(geojson_in, "MAX_VERTICES", 3)

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed before counting")

    monkeypatch.setattr(geojson_in.json, "loads", never)
    text = '{"type": "MultiPoint", "coordinates": [[1, 2], [3, 4], [ 5,6], [-7.5, 8]]}'
    assert geojson_in.count_positions(text) == 4
    with pytest.raises(TooLarge, match="more than 3 vertices"):
        parse_geojson_area(text)
    # brackets in strings do not count: they start no number
    assert geojson_in.count_positions('{"name": "[a] [b] [c] [d]", "x": [[1, 2]]}') == 1


@pytest.mark.parametrize(
    ("position", "path"),
    [("[true, 53.9]", "[0]"), ('["27.5", 53.9]', "[0]"), ("[27.5, false]", "[1]")],
)
def test_boolean_and_string_coordinates_are_refused_with_their_path(
    position: str, path: str
) -> None:
    # Regression (issue 8): True and "27.5" were accepted as numbers.
    import re

    text = '{"type": "Polygon", "coordinates": [[[0, 0], [1, 0], ' + position + ", [0, 0]]]}"
    where = re.escape("$.coordinates[0][2]" + path)
    with pytest.raises(InputError, match=where + ".*not a JSON number"):
        parse_geojson_area(text, where="x.geojson")
    point = '{"type": "Point", "coordinates": ' + position + "}"
    with pytest.raises(InputError, match=re.escape("$.coordinates" + path)):
        parse_geojson_area(point, where="x.geojson")
