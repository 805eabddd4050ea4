"""The web page: ``/`` (the map), ``/static/...`` (its scripts, styles and the vendored
OpenLayers and proj4), and ``/static/countries.json`` and
``/static/countries-coarse.json`` (the background outlines).

The outlines are Natural Earth 1:10m admin-0 (the same data as every answer, see
docs/data.md) simplified for the screen: Douglas-Peucker with a tolerance of
:data:`SIMPLIFY_DEG` per ring (the coarse file, which the page draws first and replaces
by the other as soon as it is projected: :data:`COARSE_DEG`), coordinates rounded to
:data:`ROUND_DIGITS` decimals. The
kept vertices are original ones, so the cuts at +-180 and Antarctica's closure along
the pole stay exact and the page can drop them as artificial edges. Built once per
process (started in the background when the app starts), served gzip-compressed when
the browser accepts it.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import threading
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import PurePosixPath
from typing import Any

import numpy as np
from fastapi import APIRouter, FastAPI, Request, Response

#: simplification tolerance of the background outlines (degrees; ~5.5 km, below a
#: pixel of a continent-wide view: 5,000 km across 1,000 px is 5 km a pixel)
SIMPLIFY_DEG = 0.05
#: the outline drawn first (degrees; ~22 km, a few pixels of the first, continent-wide
#: view): 12,700 vertices instead of 55,000, a quarter of the projecting and parsing
#: on the way to the first frame; the 0.05 deg outline replaces it right after
COARSE_DEG = 0.2
#: decimals kept (0.001 deg ~ 110 m, far below the simplification tolerance)
ROUND_DIGITS = 3

_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".md": "text/plain; charset=utf-8",
    ".png": "image/png",
    ".svg": "image/svg+xml",
}


@dataclass(frozen=True)
class Asset:
    """One served file: its bytes, gzip-compressed bytes and an ETag."""

    body: bytes
    gz: bytes
    media_type: str
    etag: str

    @classmethod
    def of(cls, body: bytes, media_type: str) -> Asset:
        tag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        return cls(body, gzip.compress(body, 6, mtime=0), media_type, tag)


def _static_root() -> Any:
    return resources.files("reachmap.web") / "static"


@lru_cache(maxsize=64)
def static_asset(name: str) -> Asset | None:
    """The packaged file ``static/<name>`` (None for anything else: no directory
    walking, no hidden files, only the known types)."""
    path = PurePosixPath(name)
    if (
        path.is_absolute()
        or any(part in ("", ".", "..") or part.startswith(".") for part in path.parts)
        or path.suffix not in _TYPES
    ):
        return None
    node = _static_root()
    for part in path.parts:
        node = node / part
    if not node.is_file():
        return None
    return Asset.of(node.read_bytes(), _TYPES[path.suffix])


def outlines_geojson(tolerance_deg: float = SIMPLIFY_DEG) -> dict[str, Any]:
    """Natural Earth countries simplified for the page (a GeoJSON FeatureCollection of
    MultiPolygons, properties ``iso3`` and ``name``) with ``tolerance_deg``; rings
    collapsing below three vertices are dropped (micro-states vanish)."""
    import shapely

    from reachmap.data import countries

    features = []
    for c in countries.countries():
        polygons: list[list[list[list[float]]]] = []
        for poly in c.polygons:
            rings: list[list[list[float]]] = []
            for k, ring in enumerate(poly):
                line = shapely.LineString(np.vstack([ring, ring[:1]]))
                simple = shapely.simplify(line, tolerance_deg, preserve_topology=False)
                xy = np.round(shapely.get_coordinates(simple), ROUND_DIGITS)
                xy = xy[np.r_[True, np.any(xy[1:] != xy[:-1], axis=1)]]
                if len(xy) < 4:  # closed: three distinct vertices and the repeat
                    if k == 0:
                        rings = []
                        break
                    continue
                rings.append(xy.tolist())
            if rings:
                polygons.append(rings)
        if polygons:
            features.append(
                {
                    "type": "Feature",
                    "properties": {"iso3": c.iso3, "name": c.name},
                    "geometry": {"type": "MultiPolygon", "coordinates": polygons},
                }
            )
    return {
        "type": "FeatureCollection",
        "name": "countries",
        "source": dict(countries.NATURAL_EARTH),
        "simplified_deg": tolerance_deg,
        "features": features,
    }


_OUTLINES_LOCK = threading.Lock()


@lru_cache(maxsize=2)
def _outlines_asset(tolerance_deg: float) -> Asset:
    body = json.dumps(outlines_geojson(tolerance_deg), separators=(",", ":")).encode()
    return Asset.of(body, _TYPES[".json"])


def outlines_asset(tolerance_deg: float = SIMPLIFY_DEG) -> Asset:
    """The served outlines of ``tolerance_deg`` (:data:`SIMPLIFY_DEG` or
    :data:`COARSE_DEG`), built once."""
    with _OUTLINES_LOCK:  # one build, however many requests arrive while it runs
        return _outlines_asset(tolerance_deg)


def _build_outlines() -> None:
    outlines_asset(COARSE_DEG)  # the first frame needs this one
    outlines_asset(SIMPLIFY_DEG)


@contextlib.asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    # Build the outlines while the first page loads its scripts (about 1 s cold).
    threading.Thread(target=_build_outlines, name="reachmap-outlines", daemon=True).start()
    yield


router = APIRouter(lifespan=_lifespan, include_in_schema=False)


def _respond(request: Request, asset: Asset, cache: str) -> Response:
    headers = {"ETag": asset.etag, "Cache-Control": cache, "Vary": "Accept-Encoding"}
    if request.headers.get("if-none-match") == asset.etag:
        return Response(status_code=304, headers=headers)
    if "gzip" in request.headers.get("accept-encoding", "") and len(asset.body) > 1024:
        headers["Content-Encoding"] = "gzip"
        return Response(asset.gz, media_type=asset.media_type, headers=headers)
    return Response(asset.body, media_type=asset.media_type, headers=headers)


def _not_found(name: str) -> Response:
    body = {"error": {"code": "not_found", "message": f"no such file: {name}", "field": None}}
    return Response(json.dumps(body), status_code=404, media_type="application/json")


@router.get("/")
def index(request: Request) -> Response:
    asset = static_asset("index.html")
    assert asset is not None, "the package is missing web/static/index.html"
    return _respond(request, asset, "no-cache")


@router.get("/static/countries.json")
def countries_outlines(request: Request) -> Response:
    return _respond(request, outlines_asset(), "public, max-age=86400")


@router.get("/static/countries-coarse.json")
def countries_outlines_coarse(request: Request) -> Response:
    return _respond(request, outlines_asset(COARSE_DEG), "public, max-age=86400")


@router.get("/static/{name:path}")
def static_file(name: str, request: Request) -> Response:
    asset = static_asset(name)
    if asset is None:
        return _not_found(name)
    # revalidated by ETag: a new package version changes the files under the same name
    return _respond(request, asset, "no-cache")


def served_files() -> Iterator[str]:
    """Names of the packaged static files (for tests and the docs)."""

    def walk(node: Any, prefix: str) -> Iterator[str]:
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            name = prefix + child.name
            if child.is_dir():
                yield from walk(child, name + "/")
            elif PurePosixPath(name).suffix in _TYPES:
                yield name

    yield from walk(_static_root(), "")
