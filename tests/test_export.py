"""Exports: RFC 7946 GeoJSON, GeoPackage (read back with GDAL when available), KML,
GeoPandas interop, atomic writes."""

from __future__ import annotations

import json
import sqlite3
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
import shapely

import reachmap
from reachmap.envelope.core import EnvelopeSet, bands, envelope
from reachmap.errors import InputError
from reachmap.io import export


@pytest.fixture(scope="module")
def pole_ring(krychaw: reachmap.Area) -> EnvelopeSet:
    """Krychaw at 5,000-5,500 km: contains the pole; a band with a hole."""
    return bands(krychaw, 5_000e3, 5_500e3)


@pytest.fixture(scope="module")
def chukotka() -> EnvelopeSet:
    return bands(reachmap.area("64.73,177.51"), 1_500e3, 1_500e3)


def _signed(ring: list[list[float]]) -> float:
    x, y = np.asarray(ring)[:, 0], np.asarray(ring)[:, 1]
    return 0.5 * float(np.sum(x[:-1] * y[1:] - x[1:] * y[:-1]))


@pytest.mark.parametrize("name", ["pole_ring", "chukotka"])
def test_geojson_follows_rfc_7946(name: str, request: pytest.FixtureRequest) -> None:
    items = request.getfixturevalue(name)
    fc = export.feature_collection(items)
    json.dumps(fc, allow_nan=False)
    assert fc["type"] == "FeatureCollection"
    for feat in fc["features"]:
        assert feat["geometry"]["type"] == "MultiPolygon"
        for poly in feat["geometry"]["coordinates"]:
            for k, ring in enumerate(poly):
                assert ring[0] == ring[-1]  # closed
                lon = np.asarray(ring)[:, 0]
                assert np.all(np.abs(lon) <= 180)  # split at the antimeridian
                assert (_signed(ring) > 0) == (k == 0)  # right-hand rule
        geom = shapely.geometry.shape(feat["geometry"])
        assert geom.is_valid
        for key in ("range_km", "tolerance_m", "max_vertex_error_m", "launch_area"):
            assert key in feat["properties"]


def test_bands_do_not_overlap(pole_ring: EnvelopeSet) -> None:
    within, possibly = pole_ring.features
    assert within.properties["band"] == "within"
    assert possibly.properties["band"] == "possibly within"
    a = shapely.MultiPolygon([shapely.Polygon(p[0], p[1:]) for p in within.polygons])
    b = shapely.MultiPolygon([shapely.Polygon(p[0], p[1:]) for p in possibly.polygons])
    assert shapely.intersection(a, b).area < 1e-9


def test_write_geojson_kml_gpkg(tmp_path: Path, pole_ring: EnvelopeSet) -> None:
    assert export.write(pole_ring, tmp_path / "a.geojson") == "geojson"
    data = json.loads((tmp_path / "a.geojson").read_text())
    assert len(data["features"]) == 2
    assert export.write(pole_ring, tmp_path / "a.kml") == "kml"
    root = ET.parse(tmp_path / "a.kml").getroot()
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    assert len(root.findall(".//k:Placemark", ns)) == 2
    coords = root.find(".//k:outerBoundaryIs//k:coordinates", ns)
    assert coords is not None and coords.text
    assert export.write(pole_ring, tmp_path / "a.gpkg") == "gpkg"
    con = sqlite3.connect(tmp_path / "a.gpkg")
    try:
        app_id = con.execute("PRAGMA application_id").fetchone()[0]
        assert app_id == 0x47504B47
        (blob,) = con.execute("SELECT geom FROM envelope WHERE fid = 1").fetchone()
        band = con.execute("SELECT band FROM envelope ORDER BY fid").fetchall()
    finally:
        con.close()
    assert blob[:2] == b"GP"
    # header: magic, version, flags (xy envelope, little endian), srs id, 4 doubles
    geom = shapely.from_wkb(blob[8 + 32 :])
    assert geom.geom_type == "MultiPolygon" and geom.is_valid
    assert [b[0] for b in band] == ["within", "possibly within"]


def test_gpkg_reads_with_gdal(tmp_path: Path, chukotka: EnvelopeSet) -> None:
    import pyogrio  # the test extra installs it: GDAL reads our GeoPackage independently

    export.write(chukotka, tmp_path / "c.gpkg")
    info = pyogrio.read_info(tmp_path / "c.gpkg")
    assert info["crs"] == "EPSG:4326" and info["geometry_type"] == "MultiPolygon"
    _, _, geoms, fields = pyogrio.raw.read(tmp_path / "c.gpkg")
    geom = shapely.from_wkb(geoms[0])
    lon = shapely.get_coordinates(geom)[:, 0]
    assert lon.min() == -180 and lon.max() == 180


def test_unknown_format_and_unwritable_path(tmp_path: Path, chukotka: EnvelopeSet) -> None:
    with pytest.raises(InputError, match="unknown export format '.shp'"):
        export.write(chukotka, tmp_path / "x.shp")
    with pytest.raises(InputError, match="does not exist"):
        export.write(chukotka, tmp_path / "missing" / "x.geojson")
    with pytest.raises(InputError, match="unknown export format"):
        export.export_format("x", "svg")


def test_failed_write_leaves_no_file(
    tmp_path: Path, chukotka: EnvelopeSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*args: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(export, "_write_gpkg", boom)
    with pytest.raises(RuntimeError):
        export.write(chukotka, tmp_path / "x.gpkg")
    assert list(tmp_path.iterdir()) == []


def test_to_geodataframe(chukotka: EnvelopeSet, belarus: reachmap.Area) -> None:
    import geopandas

    df = export.to_geodataframe(chukotka)
    assert isinstance(df, geopandas.GeoDataFrame)
    assert df.crs.to_epsg() == 4326 and len(df) == 1
    env = envelope(belarus, 100e3)
    assert len(export.to_geodataframe(env)) == 1


def test_to_geodataframe_without_geopandas(
    chukotka: EnvelopeSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "geopandas", None)
    with pytest.raises(InputError, match="pip install geopandas"):
        export.to_geodataframe(chukotka)
