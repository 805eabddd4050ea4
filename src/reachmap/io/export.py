"""Writing envelope features: GeoJSON (RFC 7946), GeoPackage and KML; GeoPandas interop.

Polygons come from :mod:`reachmap.envelope.core` already in RFC 7946 shape: split at the
antimeridian, no longitude beyond +-180, exteriors counter-clockwise and holes
clockwise (right-hand rule), a region around a pole closed along latitude +-90.
The same rings go into every format.

* GeoJSON: one ``FeatureCollection`` of ``MultiPolygon`` features.
* GeoPackage (OGC 12-128r18, version 1.3): written with the standard library's
  sqlite3, one feature table, EPSG:4326, geometries as GeoPackage binary (header with
  envelope + ISO WKB). No GDAL needed; GDAL/QGIS/pyogrio read it.
* KML 2.2: one Placemark per feature with ``ExtendedData``; ``tessellate`` so that
  globes draw edges on the surface (edges are within the tolerance of geodesics).

Files are written to a temporary file in the target directory and renamed into place,
so a failed export never leaves a partial file.

>>> export_format("ring.kml")
'kml'
>>> export_format("ring.shp")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
reachmap.errors.InputError: unknown export format '.shp' ...
"""

from __future__ import annotations

import json
import sqlite3
import struct
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import numpy as np
import shapely

from reachmap.envelope.core import Envelope, EnvelopeSet, Feature
from reachmap.errors import InputError, InputTypeError, type_name
from reachmap.geodesy.rings import to_shapely
from reachmap.io.files import atomic_write, check_writable, user_path, writes_through
from reachmap.io.jsontext import json_in_units

#: file suffix -> format
FORMATS = {".geojson": "geojson", ".json": "geojson", ".gpkg": "gpkg", ".kml": "kml"}

Features = EnvelopeSet | Envelope | Sequence[Feature]


def export_format(path: str | Path, fmt: str | None = None) -> str:
    """The export format named by ``fmt`` or by the file suffix (GeoJSON for a device or
    FIFO without one); InputError otherwise."""
    if fmt is not None:
        key = fmt.lower().lstrip(".")
        if key in FORMATS.values():
            return key
        raise InputError(f"unknown export format {fmt!r}; use one of: geojson, gpkg, kml")
    suffix = Path(path).suffix.lower()
    if not suffix and writes_through(path):  # -o /dev/stdout, -o >(gzip > x.gz)
        return "geojson"
    if suffix not in FORMATS:
        raise InputError(
            f"unknown export format {suffix or '(no suffix)'!r} for {str(path)!r}; "
            "name the file .geojson, .json, .gpkg or .kml"
        )
    return FORMATS[suffix]


def _features(items: Features) -> list[Feature]:
    if isinstance(items, EnvelopeSet):
        return list(items.features)
    if isinstance(items, Envelope):
        return [Feature(items.polygons, items.to_json())]
    if isinstance(items, list | tuple) and all(isinstance(f, Feature) for f in items):
        return list(items)
    raise InputTypeError(
        f"`items` must be an Envelope, an EnvelopeSet or a list of Features, got {type_name(items)}"
    )


def _ring(ring: np.ndarray) -> list[list[float]]:
    pts = np.asarray(ring, dtype=np.float64).tolist()
    return [*pts, pts[0]]


def in_units(result: EnvelopeSet, unit: str) -> EnvelopeSet:
    """``result`` with each feature's lengths also in ``unit`` (``range_mi`` next to
    ``range_km``, and ``units``; docs/units.md), as ``--units`` exports them; the same
    set for km."""
    if unit == "km":
        return result
    feats = tuple(replace(f, properties=json_in_units(f.properties, unit)) for f in result.features)
    return replace(result, features=feats)


def feature_collection(items: Features, **metadata: Any) -> dict[str, Any]:
    """RFC 7946 FeatureCollection (``metadata`` becomes foreign members)."""
    feats = []
    for f in _features(items):
        coords = [[_ring(r) for r in poly] for poly in f.polygons]
        feats.append(
            {
                "type": "Feature",
                "geometry": {"type": "MultiPolygon", "coordinates": coords},
                "properties": f.properties,
            }
        )
    return {"type": "FeatureCollection", "features": feats, **metadata}


# ------------------------------------------------------------------------------ KML


def to_kml(items: Features, name: str = "reachmap") -> str:
    """KML 2.2 document text."""
    colors = ["ff1f1fd6", "ff1f8ff0", "ff2ca02c", "ffb4771f", "ffbd6794"]
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<kml xmlns="http://www.opengis.net/kml/2.2">',
        f"<Document><name>{escape(name)}</name>",
    ]
    feats = _features(items)
    for k in range(len(feats)):
        line = colors[k % len(colors)]
        out.append(
            f'<Style id="s{k}"><LineStyle><color>{line}</color><width>2</width></LineStyle>'
            f"<PolyStyle><color>40{line[2:]}</color></PolyStyle></Style>"
        )
    for k, f in enumerate(feats):
        props = f.properties
        label = (
            props.get("label") or props.get("band") or props.get("minutes") or f"feature {k + 1}"
        )
        out.append(f"<Placemark><name>{escape(str(label))}</name><styleUrl>#s{k}</styleUrl>")
        out.append("<ExtendedData>")
        for key, value in f.properties.items():
            text = value if isinstance(value, str) else json.dumps(value)
            out.append(f'<Data name="{escape(key)}"><value>{escape(text)}</value></Data>')
        out.append("</ExtendedData><MultiGeometry>")
        for poly in f.polygons:
            out.append("<Polygon><tessellate>1</tessellate>")
            for j, ring in enumerate(poly):
                tag = "outerBoundaryIs" if j == 0 else "innerBoundaryIs"
                coords = " ".join(f"{x!r},{y!r}" for x, y in _ring(ring))
                out.append(f"<{tag}><LinearRing><coordinates>{coords}</coordinates>")
                out.append(f"</LinearRing></{tag}>")
            out.append("</Polygon>")
        out.append("</MultiGeometry></Placemark>")
    out.append("</Document></kml>")
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------------ GeoPackage

_WGS84_WKT = (
    'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,'
    'AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,'
    'AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],'
    'AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]'
)
_GPKG_SCHEMA = """
CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY,
  organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL,
  definition TEXT NOT NULL, description TEXT);
CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL,
  identifier TEXT UNIQUE, description TEXT DEFAULT '', last_change DATETIME NOT NULL,
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL,
  geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL,
  m TINYINT NOT NULL, CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
"""


def _gpkg_blob(geom: shapely.Geometry) -> bytes:
    """GeoPackage binary: 'GP', version 0, flags (little endian, xy envelope), srs id,
    envelope (minx, maxx, miny, maxy), then ISO WKB."""
    wkb = shapely.to_wkb(geom, byte_order=1, output_dimension=2, flavor="iso")
    if geom.is_empty:
        return b"GP" + bytes([0, 0b00010001]) + struct.pack("<i", 4326) + wkb
    minx, miny, maxx, maxy = geom.bounds
    head = b"GP" + bytes([0, 0b00000011]) + struct.pack("<i", 4326)
    return head + struct.pack("<4d", minx, maxx, miny, maxy) + wkb


def _sql_type(values: Iterable[Any]) -> str:
    vals = [v for v in values if v is not None]
    if vals and all(isinstance(v, bool) for v in vals):
        return "BOOLEAN"
    if vals and all(isinstance(v, int) and not isinstance(v, bool) for v in vals):
        return "INTEGER"
    if vals and all(isinstance(v, int | float) and not isinstance(v, bool) for v in vals):
        return "DOUBLE"
    return "TEXT"


def _sql_value(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind in ("BOOLEAN", "INTEGER"):
        return int(value)
    if kind == "DOUBLE":
        return float(value)
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _write_gpkg(path: Path, feats: list[Feature], layer: str) -> None:
    geoms = [to_shapely(f.polygons) for f in feats]
    keys: list[str] = []
    for f in feats:
        keys += [k for k in f.properties if k not in keys]
    kinds = {k: _sql_type(f.properties.get(k) for f in feats) for k in keys}
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    bounds = shapely.total_bounds(geoms) if geoms else [np.nan] * 4
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA application_id = 1196444487")  # 'GPKG'
        con.execute("PRAGMA user_version = 10300")
        con.executescript(_GPKG_SCHEMA)
        con.executemany(
            "INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)",
            [
                ("WGS 84 geodetic", 4326, "EPSG", 4326, _WGS84_WKT, "longitude/latitude WGS 84"),
                ("Undefined cartesian SRS", -1, "NONE", -1, "undefined", None),
                ("Undefined geographic SRS", 0, "NONE", 0, "undefined", None),
            ],
        )
        columns = "".join(f', "{k}" {kinds[k]}' for k in keys)
        con.execute(
            f'CREATE TABLE "{layer}" (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, '
            f"geom MULTIPOLYGON{columns})"
        )
        con.execute(
            "INSERT INTO gpkg_contents VALUES (?, 'features', ?, ?, ?, ?, ?, ?, ?, 4326)",
            (layer, layer, "reachmap envelope", now, *(float(b) for b in bounds)),
        )
        con.execute(
            "INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', 'MULTIPOLYGON', 4326, 0, 0)",
            (layer,),
        )
        marks = ", ".join("?" for _ in range(len(keys) + 1))
        names = "".join(f', "{k}"' for k in keys)
        rows = [
            (_gpkg_blob(g), *(_sql_value(f.properties.get(k), kinds[k]) for k in keys))
            for g, f in zip(geoms, feats, strict=True)
        ]
        con.executemany(f'INSERT INTO "{layer}" (geom{names}) VALUES ({marks})', rows)
        con.commit()
    finally:
        con.close()


# --------------------------------------------------------------------------- writing


def write(items: Features, path: str | Path, fmt: str | None = None, *, name: str = "") -> str:
    """Write features to ``path`` in ``fmt`` (default: from the suffix); returns the format.

    The file appears only when complete (temporary file + atomic rename)."""
    path = user_path(path)
    kind = export_format(path, fmt)
    check_writable(path)
    feats = _features(items)
    title = name or (items.title if isinstance(items, EnvelopeSet) else "reachmap envelope")
    if kind == "geojson":
        text = json.dumps(
            feature_collection(feats, name=title), ensure_ascii=False, allow_nan=False
        )
        atomic_write(path, lambda tmp: tmp.write_text(text + "\n", encoding="utf-8"))
    elif kind == "kml":
        kml = to_kml(feats, title)
        atomic_write(path, lambda tmp: tmp.write_text(kml, encoding="utf-8"))
    else:
        atomic_write(path, lambda tmp: _write_gpkg(tmp, feats, "envelope"))
    return kind


def to_geodataframe(items: Any) -> Any:
    """A ``geopandas.GeoDataFrame`` (EPSG:4326), one row per feature.

    ``items`` is an :class:`~reachmap.envelope.core.EnvelopeSet`, envelope features, or
    anything with ``__geo_interface__`` (an ``Area``, an ``Envelope``, ``Places``), or a
    reach result (its places with distance and status; all places, within or not).
    GeoPandas is optional: without it this raises :class:`InputError` saying how to
    install it."""
    try:
        import geopandas
    except ImportError as err:
        raise InputError(
            "to_geodataframe needs GeoPandas, which is not installed; run: pip install geopandas"
        ) from err
    if hasattr(items, "rows") and hasattr(items, "targets"):  # a ReachResult
        rows = items.rows(include_beyond=True)
        geoms = [shapely.Point(r["lon"], r["lat"]) for r in rows]
        return geopandas.GeoDataFrame(rows, geometry=geoms, crs="EPSG:4326")
    geo = getattr(items, "__geo_interface__", None)
    if geo is not None:
        features = geo["features"] if geo["type"] == "FeatureCollection" else [geo]
        return geopandas.GeoDataFrame.from_features(features, crs="EPSG:4326")
    feats = _features(items)
    rows = [dict(f.properties) for f in feats]
    geoms = [to_shapely(f.polygons) for f in feats]
    return geopandas.GeoDataFrame(rows, geometry=geoms, crs="EPSG:4326")
