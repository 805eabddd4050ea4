"""The ``envelope`` and ``isochrones`` commands: outputs and bad input (exit code 2,
one line, no partial file)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reachmap.cli import main


def test_envelope_system_geojson(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "oreshnik.geojson"
    assert main(["envelope", "--from", "Belarus", "--system", "oreshnik", "-o", str(out)]) == 0
    data = json.loads(out.read_text())
    bands = [f["properties"]["band"] for f in data["features"]]
    assert bands == ["within", "possibly within"]
    props = data["features"][0]["properties"]
    assert props["system"] == "oreshnik" and props["range_km"] == 5000
    assert props["source"] and props["tolerance_m"] == 50
    assert "Wrote" in capsys.readouterr().out


def test_envelope_range_kml_and_vs_gpkg(tmp_path: Path) -> None:
    kml = tmp_path / "ring.kml"
    assert main(["envelope", "--from", "53.71,31.70", "--range", "5000", "-o", str(kml)]) == 0
    assert "<kml" in kml.read_text()
    gpkg = tmp_path / "added.gpkg"
    args = ["envelope", "--from", "Belarus", "--range", "500", "--vs", "RUS", "-o", str(gpkg)]
    assert main(args) == 0
    assert gpkg.read_bytes()[:16] == b"SQLite format 3\x00"


def test_envelope_stdout_formats(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["envelope", "--from", "53.71,31.70", "--range", "800"]) == 0
    fc = json.loads(capsys.readouterr().out)
    assert fc["type"] == "FeatureCollection"
    assert main(["envelope", "--from", "53.71,31.70", "--range", "800", "-f", "json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["envelopes"][0]["max_edge_error_m"] <= 25


def test_isochrones(tmp_path: Path) -> None:
    out = tmp_path / "iso.geojson"
    args = ["isochrones", "--from", "Belarus", "--system", "oreshnik", "--minutes", "5,10,15,20"]
    assert main([*args, "-o", str(out)]) == 0
    feats = json.loads(out.read_text())["features"]
    minutes = [f["properties"]["minutes"] for f in feats]
    assert minutes == [20, 15, 10, 5]
    ranges = [f["properties"]["range_km"] for f in feats]
    assert ranges == sorted(ranges, reverse=True)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--range", "-500"], "range must be positive"),
        (["--range", "500", "--tolerance", "0.5"], "--tolerance must be between 1 m and 10 km"),
        (["--range", "500", "--tolerance", "20km"], "tolerance must be between 1 m and 10 km"),
        (["--range", "500", "-o", "out.shp"], "unknown export format '.shp'"),
        (["--range", "500", "-o", "missing/out.geojson"], "does not exist"),
    ],
)
def test_bad_input(
    args: list[str],
    message: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["envelope", "--from", "BLR", *args]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1
    assert list(tmp_path.iterdir()) == []
