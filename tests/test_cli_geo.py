"""The area, reach and compare commands: output shapes and bad input."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pytest
from geographiclib.geodesic import Geodesic

if TYPE_CHECKING:
    from conftest import Cli


G = Geodesic.WGS84


def test_reach_json_shape_and_precision(cli: Cli) -> None:
    code, out, _ = cli(
        "reach", "--from", "53.9,27.5667", "--range", "800km", "--targets", "capitals",
        "--format", "json",
    )  # fmt: skip
    assert code == 0
    doc = json.loads(out)
    assert doc["range_km"] == 800.0
    names = [t["name"] for t in doc["targets"]]
    assert names[0] == "Minsk" and "Vilnius" in names and "Kyiv" in names
    for t in doc["targets"]:
        assert set(t) >= {
            "name",
            "country_code",
            "lat",
            "lon",
            "population",
            "distance_km",
            "within",
        }
        assert t["within"] is True and t["distance_km"] <= 800
    kyiv = next(t for t in doc["targets"] if t["name"] == "Kyiv")
    ref_km = G.Inverse(53.9, 27.5667, kyiv["lat"], kyiv["lon"])["s12"] / 1000
    # JSON carries full precision: agreement with GeographicLib to 1 mm
    assert abs(kyiv["distance_km"] - ref_km) < 1e-6
    assert doc["summary"]["places_within"] == len(doc["targets"])
    d = [t["distance_km"] for t in doc["targets"]]
    assert d == sorted(d)


def test_reach_with_system_has_two_bands_and_sources(cli: Cli) -> None:
    code, out, _ = cli(
        "reach", "--from", "Belarus", "--system", "oreshnik", "--targets", "capitals",
        "--format", "json",
    )  # fmt: skip
    assert code == 0
    doc = json.loads(out)
    rng = doc["summary"]["range"]
    assert rng["system"] == "oreshnik" and rng["low_km"] < rng["high_km"]
    assert rng["sources"] and all(s["url"].startswith("http") for s in rng["sources"])
    status = {t["status"] for t in doc["targets"]}
    assert status == {"within", "possibly within"}
    for t in doc["targets"]:
        assert (t["distance_km"] <= rng["low_km"]) == t["within"]
        assert "flight_time_s" in t
    minsk = next(t for t in doc["targets"] if t["name"] == "Minsk")
    assert minsk["distance_km"] == 0.0  # inside the launch area


def test_reach_table_has_summary_and_source(cli: Cli) -> None:
    code, out, _ = cli("reach", "--from", "BLR", "--system", "oreshnik", "--limit", "5")
    assert code == 0
    assert "Within 5,000 km (low estimate)" in out
    assert "Possibly within" in out
    assert "Range sources:" in out
    assert "Countries with places within" in out


def test_reach_table_leads_with_the_summary(cli: Cli) -> None:
    """Summary before the list; places inside the launch area (distance 0) are counted,
    listed only with --include-inside; the table fits 80 columns."""
    code, out, _ = cli("reach", "--from", "BLR", "--system", "oreshnik", "--limit", "8")
    assert code == 0
    assert out.index("Within 5,000 km") < out.index("Nearest places")
    inside = re.search(r"Inside the launch area \(distance 0\): ([\d,]+)", out)
    assert inside and int(inside.group(1).replace(",", "")) > 30  # Minsk, Homyel, ...
    table = out[out.index("Nearest places") :]
    assert "Minsk" not in table and " 0.0 " not in table
    assert max(len(line) for line in table.splitlines()) <= 80
    code, out, _ = cli(
        "reach", "--from", "BLR", "--system", "oreshnik", "--limit", "8",
        "--include-inside",
    )  # fmt: skip
    assert code == 0 and " 0.0 " in out[out.index("Nearest places") :]


def test_reach_csv_to_file_and_union(tmp_path: Path, cli: Cli) -> None:
    path = tmp_path / "out.csv"
    code, _, _ = cli(
        "reach", "--from", "kapustin-yar", "--from", "53.71,31.70", "--range", "3000km",
        "--targets", "capitals", "--format", "csv", "-o", str(path),
    )  # fmt: skip
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(path.read_text())))
    assert rows and float(rows[-1]["distance_km"]) <= 3000
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]  # no temporary left


def test_reach_user_files_geojson_out(tmp_path: Path, cli: Cli) -> None:
    area = tmp_path / "area.geojson"
    area.write_text(
        json.dumps({"type": "Polygon", "coordinates": [[[20, 50], [24, 50], [24, 53], [20, 50]]]})
    )
    places = tmp_path / "places.csv"
    places.write_text("name,lat,lon\nLondon,51.5072,-0.1276\nKyiv,50.4501,30.5234\nFar,-30,150\n")
    code, out, _ = cli(
        "reach", "--from", str(area), "--range", "1200mi", "--targets", str(places),
        "--format", "geojson",
    )  # fmt: skip
    assert code == 0
    doc = json.loads(out)
    names = {f["properties"]["name"] for f in doc["features"]}
    assert names == {"Kyiv", "London"}  # 1,200 mi = 1,931 km; Kyiv ~480 km, London ~1,500 km


def test_area_geojson_is_rfc7946(cli: Cli) -> None:
    code, out, _ = cli("area", "BLR", "--format", "geojson")
    assert code == 0
    doc = json.loads(out)
    geom = doc["features"][0]["geometry"]
    ring = np.array(geom["coordinates"][0][0])
    assert np.array_equal(ring[0], ring[-1])
    x, y = ring[:, 0], ring[:, 1]
    assert 0.5 * np.sum(x[:-1] * y[1:] - x[1:] * y[:-1]) > 0  # exterior counter-clockwise
    assert abs(doc["features"][0]["properties"]["area_km2"] - 207_600) / 207_600 < 0.01


def test_compare_json(cli: Cli) -> None:
    code, out, _ = cli(
        "compare", "--from", "Belarus", "--vs", "kapustin-yar", "--system", "oreshnik",
        "--targets", "capitals", "--format", "json",
    )  # fmt: skip
    assert code == 0
    doc = json.loads(out)
    berlin = next(t for t in doc["targets"] if t["name"] == "Berlin")
    assert berlin["distance_from_km"] < berlin["distance_vs_km"]
    assert berlin["minutes_saved"] > 0
    assert berlin["minutes_saved"] == pytest.approx(
        (berlin["flight_time_vs_s"] - berlin["flight_time_from_s"]) / 60
    )
    s = doc["summary"]
    assert s["places_newly_within"] >= 1 and s["minutes_saved_median"] > 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["reach", "--from", "Belaru", "--range", "5"], "Did you mean: 'Belarus'"),
        (["reach", "--from", "nosuchsite-xyz", "--range", "5"], "unknown launch area"),
        (["reach", "--from", "91,30", "--range", "5"], "latitude 91 is outside -90..90"),
        (["reach", "--from", "50,190", "--range", "5"], "longitude 190 is outside -180..180"),
        (["reach", "--from", "BLR", "--range", "-5"], "range must be positive"),
        (["reach", "--from", "BLR", "--range", "abc"], "is not a number"),
        (["reach", "--from", "BLR", "--range", "5parsec"], "unknown unit 'parsec'"),
        (["reach", "--range", "5"], "no launch area given"),
        (["reach", "--from", "BLR", "--system", "nosuch"], "unknown system 'nosuch'"),
        (["reach", "--from", "BLR"], "no range given: give --system (a catalog entry) or --range"),
        (
            ["reach", "--from", "BLR", "--range", "5", "--system", "oreshnik"],
            "give either --system or --range, not both",
        ),
        (["reach", "--from", "BLR", "--range", "5", "--targets", "x"], "unknown --targets 'x'"),
        (["reach", "--from", "/no/such.geojson", "--range", "5"], "does not exist"),
        (["reach", "--from", "BLR", "--range", "5", "-o", "/no/such/dir/x.json"], "does not exist"),
        (
            ["reach", "--from", "BLR", "--range", "5", "--min-population", "10"],
            "--min-population must be at least 1000",
        ),
        (["compare", "--from", "BLR", "--range", "5"], "give both --from AREA and --vs AREA"),
        (["reach", "--from", "BLR", "--range", "5", "--format", "xml"], "xml"),
    ],
)
def test_bad_input_is_one_line_exit_2(args: list[str], message: str, cli: Cli) -> None:
    code, out, err = cli(*args)
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_bad_geojson_file_is_one_line_naming_the_file(tmp_path: Path, cli: Cli) -> None:
    # the parser's messages are tested on text in test_geojson_in.py
    path = tmp_path / "area.geojson"
    path.write_text('{"type": "Point", "coordinates": [10, 95]}')
    code, _, err = cli("area", str(path))
    assert code == 2 and err.count("\n") == 1
    assert f"{path}: $.coordinates: latitude 95" in err


def test_unexpected_error_is_one_line_exit_1(monkeypatch: pytest.MonkeyPatch, cli: Cli) -> None:
    """A bug still gives one line (and exit 1), never a traceback, unless debugging."""
    import reachmap.analysis.reach

    def boom(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("simulated bug")

    monkeypatch.setattr(reachmap.analysis.reach, "reach", boom)
    monkeypatch.delenv("REACHMAP_DEBUG", raising=False)
    code, _, err = cli("reach", "--from", "BLR", "--range", "5", "--targets", "capitals")
    assert code == 1
    assert "internal error (ZeroDivisionError: simulated bug)" in err
    assert err.count("\n") == 1 and "Traceback" not in err
