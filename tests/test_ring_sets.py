"""Ring sets (``--range 500,1000,2000``, ``--system S --rings``) on ``reach`` and
``envelope``: bands agree with single-range runs and with GeographicLib distances, and
the exported files read back with GDAL (pyogrio) hold one labelled envelope per range
whose vertices lie on their ring (GeographicLib, within the stated tolerance)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pyogrio
import pytest
import shapely
from geographiclib.geodesic import Geodesic

MINSK = (53.9, 27.5667)  # lat, lon: a point launch area
RANGES_KM = (500, 1000, 2000)


def _json(cli, *args: str) -> dict:
    code, out, err = cli(*args, "-f", "json")
    assert code == 0, err
    return json.loads(out)


def test_bands_agree_with_single_range_runs(cli) -> None:
    """A place in band (a, b] is beyond a and within b in the single runs at a and b."""
    spec = ",".join(map(str, RANGES_KM))
    doc = _json(cli, "reach", "--from", "Belarus", "--range", spec, "--targets", "capitals",
                "--all")  # fmt: skip
    assert [b["label"] for b in doc["bands"]] == ["0–500 km", "500–1,000 km", "1,000–2,000 km"]
    assert [b["high_km"] for b in doc["bands"]] == list(RANGES_KM)
    single = {}
    for r in RANGES_KM:
        one = _json(cli, "reach", "--from", "Belarus", "--range", str(r), "--targets",
                    "capitals", "--all")  # fmt: skip
        single[r] = {(t["name"], t["country_code"]): t["within"] for t in one["targets"]}
    counts = dict.fromkeys(range(1, len(RANGES_KM) + 1), 0)
    for t in doc["targets"]:
        key = (t["name"], t["country_code"])
        k = t["band"]
        if k is None:
            assert not single[RANGES_KM[-1]][key]
            continue
        counts[k] += 1
        assert single[RANGES_KM[k - 1]][key], t  # within its band's outer range
        if k > 1:
            assert not single[RANGES_KM[k - 2]][key], t  # beyond the inner one
    assert [b["places"] for b in doc["bands"]] == list(counts.values())
    assert all(n > 0 for n in counts.values())


def test_bands_from_a_point_match_geographiclib(cli) -> None:
    doc = _json(cli, "reach", "--from", f"{MINSK[0]},{MINSK[1]}", "--range", "300mi,600mi",
                "--targets", "capitals", "--units", "mi")  # fmt: skip
    edges_m = [300 * 1609.344, 600 * 1609.344]  # the mile by definition
    assert doc["units"] == "mi" and [b["label"] for b in doc["bands"]] == ["0–300 mi", "300–600 mi"]
    g = Geodesic.WGS84
    for t in doc["targets"]:
        d = g.Inverse(*MINSK, t["lat"], t["lon"])["s12"]
        assert abs(d - t["distance_km"] * 1000) < 1e-3  # GeographicLib to a millimetre
        assert t["band"] == 1 + int(np.searchsorted(edges_m, d, side="left"))
    assert len(doc["targets"]) >= 5


def test_reach_rings_of_a_system_match_its_statuses(cli) -> None:
    rings = _json(cli, "reach", "--from", "Belarus", "--system", "oreshnik", "--rings",
                  "--targets", "capitals")  # fmt: skip
    plain = _json(cli, "reach", "--from", "Belarus", "--system", "oreshnik", "--targets",
                  "capitals")  # fmt: skip
    assert [b["label"] for b in rings["bands"]] == ["0–5,000 km", "5,000–5,500 km"]
    status = {(t["name"], t["country_code"]): t["status"] for t in plain["targets"]}
    banded = {(t["name"], t["country_code"]): t["band"] for t in rings["targets"]}
    assert set(status) == set(banded)
    for key, band in banded.items():
        assert status[key] == ("within" if band == 1 else "possibly within")


def test_band_csv_has_the_band_column(cli) -> None:
    code, out, err = cli("reach", "--from", "Belarus", "--range", "500,1000", "--targets",
                         "capitals", "-f", "csv", "--units", "nmi")  # fmt: skip
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {"distance_nmi", "band", "band_label"} <= set(rows[0])
    assert {r["band_label"] for r in rows} == {"0–270 nmi", "270–540 nmi"}


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg", ".kml"])
def test_envelope_ring_set_reads_back_with_gdal(cli, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"rings{suffix}"
    code, text, err = cli("envelope", "--from", f"{MINSK[0]},{MINSK[1]}", "--range",
                          "2000,500,1000", "-o", str(out))  # fmt: skip
    assert code == 0, err
    assert "500 km" in text and "2,000 km" in text
    df = pyogrio.read_dataframe(out)
    assert len(df) == 3
    if suffix == ".kml":  # KML keeps the label as the placemark name
        assert list(df["Name"]) == ["500 km", "1,000 km", "2,000 km"]
        ranges_m = [500e3, 1000e3, 2000e3]
    else:
        assert list(df["label"]) == ["500 km", "1,000 km", "2,000 km"]
        assert list(df["ring"]) == [1, 2, 3]
        ranges_m = list(df["range_m"])
        assert ranges_m == [500e3, 1000e3, 2000e3]
    g = Geodesic.WGS84
    geoms = list(df.geometry)
    for geom, r in zip(geoms, ranges_m, strict=True):
        pts = shapely.get_coordinates(geom)
        d = np.array([g.Inverse(*MINSK, lat, lon)["s12"] for lon, lat in pts[::7]])
        # the default tolerance: every outline vertex within 50 m of its ring
        assert np.abs(d - r).max() < 50.0
    for inner, outer in zip(geoms, geoms[1:], strict=False):
        assert outer.contains(inner)  # each ring contains the smaller ones


def test_envelope_rings_of_a_system(cli, tmp_path: Path) -> None:
    out = tmp_path / "oreshnik.gpkg"
    code, text, err = cli("envelope", "--from", "Belarus", "--system", "oreshnik", "--rings",
                          "--units", "mi", "-o", str(out))  # fmt: skip
    assert code == 0, err
    df = pyogrio.read_dataframe(out)
    assert list(df["name"]) == ["low estimate", "high estimate"]
    assert list(df["range_m"]) == [5_000e3, 5_500e3]
    assert list(df["label"]) == ["low estimate: 3,107 mi", "high estimate: 3,418 mi"]
    assert df["range_mi"].tolist() == pytest.approx([5e6 / 1609.344, 5.5e6 / 1609.344])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("reach", "--from", "BLR", "--range", "500,500"), "gives the same range twice"),
        (("reach", "--from", "BLR", "--rings", "--range", "500"), "--rings takes a catalog"),
        (("reach", "--from", "BLR", "--range", "500,1000", "--targets", "countries"),
         "a ring set lists places by band"),
        (("reach", "--from", "BLR", "--system", "nosuch", "--range", "500,1000"),
         "unknown system 'nosuch'"),
        (("reach", "--from", "BLR", "--range", "500,1000", "--apogee", "1000"),
         "--apogee sets the flight-time column, which needs a --system"),
        (("envelope", "--from", "BLR", "--range", "500,1000", "--vs", "RUS"),
         "--vs takes one range"),
        (("envelope", "--from", "BLR", "--range", "500,,1000"), "has an empty item"),
    ],
)  # fmt: skip
def test_bad_ring_sets_are_one_line(cli, args: tuple[str, ...], message: str) -> None:
    code, out, err = cli(*args)
    assert code == 2 and out == ""
    assert message in err and len(err.strip().splitlines()) == 1, err
