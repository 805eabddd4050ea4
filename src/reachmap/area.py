"""Launch areas: unions of points and polygons on the WGS84 ellipsoid.

An :class:`Area` holds lon/lat polygons and points and where each part came from
(:class:`AreaPart`). Polygon edges are geodesics between consecutive vertices after
densification (see :mod:`reachmap.geodesy.boundary`); points are points. Build one
from what a user types with :func:`reachmap.area` (:func:`reachmap.io.resolve.area`),
or from parts with :func:`from_parts`.

>>> minsk = from_parts([], [[27.5667, 53.9]], [AreaPart("Minsk", "coordinates", "Minsk")])
>>> round(float(minsk.distance_m(30.5234, 50.4501)) / 1000, 3)  # Kyiv, km
433.809
>>> minsk.distance_m([30.5234, 27.5667], [50.4501, 53.9]).round(-3).tolist()  # arrays too
[434000.0, 0.0]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, overload

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray

from reachmap.errors import InputError
from reachmap.geodesy.areas import geodesic_polygons_area_m2
from reachmap.geodesy.boundary import Boundary, model_polygons
from reachmap.geodesy.distance import Nearest, left_of_boundary, nearest_on_boundary
from reachmap.geodesy.ellipsoid import A_M, STRETCH_MAX, Float, conformal_unit
from reachmap.geodesy.points import PointSet
from reachmap.geodesy.rings import (
    Polygon,
    clean_ring,
    closed_coords,
    n_vertices,
    orient_ring,
    polygon_rings,
    snap_ring,
    to_shapely,
    wrap_lon,
)
from reachmap.units import lonlat_arrays
from reachmap.words import plural

#: what the edges of an exported area are
EDGES_NOTE = (
    "WGS84 geodesics between consecutive vertices: the source's lon/lat edges densified "
    "until each geodesic is within 0.5 m of them (the boundary every distance uses)"
)

#: point sets of at least this many points have their distances remembered (smaller
#: ones are quick to compute again), the last MEMO_ENTRIES of them per Area
MEMO_MIN_POINTS = 1024
MEMO_ENTRIES = 4

#: lon/lat edges and their geodesics differ by at most 0.5 m (boundary.py); points
#: closer than this to the boundary get the exact geodesic side test.
SIDE_TEST_BAND_M = 5.0


@dataclass(frozen=True)
class AreaPart:
    """Where part of an area came from: the spec as typed, its kind, a label, and
    details for reports and JSON (the Natural Earth version, a site's sources)."""

    spec: str
    kind: str  # "country", "site", "coordinates", "geojson"
    label: str
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Area:
    """A launch area: polygons (lon/lat rings, geodesic edges) and points.

    Use :func:`area` to build one. Distances are exact WGS84 geodesic distances
    (GeographicLib through pyproj) from each query point to the nearest point of
    the area, 0 inside.
    """

    polygons: tuple[Polygon, ...]
    points: Float  # (k, 2) lon_deg, lat_deg
    parts: tuple[AreaPart, ...]

    @property
    def label(self) -> str:
        return " + ".join(s.label for s in self.parts)

    def __repr__(self) -> str:
        return f"Area({self.label!r}, {_size(self.polygons, len(self.points))})"

    @property
    def __geo_interface__(self) -> dict[str, Any]:
        """The area as a GeoJSON FeatureCollection (for shapely, GeoPandas, folium)."""
        return self.to_geojson()

    @cached_property
    def model_polygons(self) -> tuple[Polygon, ...]:
        """The polygons as distances read them: long lon/lat edges densified (to within
        0.5 m), antimeridian edges cut; geodesics between consecutive vertices
        (:func:`reachmap.geodesy.boundary.model_polygons`)."""
        return model_polygons(self.polygons)

    @cached_property
    def boundary(self) -> Boundary:
        return Boundary.from_model(self.model_polygons)

    @cached_property
    def point_set(self) -> PointSet:
        """The area's points, indexed for exact nearest-point queries
        (:mod:`reachmap.geodesy.points`)."""
        return PointSet(np.ascontiguousarray(self.points, dtype=np.float64).reshape(-1, 2))

    @cached_property
    def geometry(self) -> shapely.MultiPolygon:
        """Planar lon/lat geometry (for the inside test and for drawing)."""
        return to_shapely(self.polygons, prepare=True)

    @cached_property
    def area_m2(self) -> float:
        """Ellipsoidal area of the model polygons (geodesic edges), m^2."""
        return geodesic_polygons_area_m2(self.model_polygons)

    @property
    def n_vertices(self) -> int:
        return n_vertices(self.polygons) + len(self.points)

    @overload
    def distance_m(self, lon_deg: float, lat_deg: float) -> np.float64: ...
    @overload
    def distance_m(self, lon_deg: ArrayLike, lat_deg: ArrayLike) -> Float: ...
    def distance_m(self, lon_deg: ArrayLike, lat_deg: ArrayLike) -> Float | np.float64:
        """Exact minimum WGS84 distance (m) from each point to the area; 0 inside.

        Arrays broadcast, and the result has their shape (scalars in, a scalar out);
        invalid coordinates (|lat| > 90, non-finite) give NaN. Longitudes are taken
        modulo 360.
        """
        lon, lat = lonlat_arrays(lon_deg, lat_deg)
        shape = lon.shape
        lon = wrap_lon(lon.ravel(), keep_180=True)
        lat = lat.ravel().copy()
        key = _memo_key(lon, lat)
        memo = self._memo
        if key is not None and key in memo:
            return memo[key].reshape(shape).copy()[()]
        valid = np.isfinite(lon) & np.isfinite(lat) & (np.abs(lat) <= 90)
        out = np.full(lon.size, np.nan)
        idx = np.flatnonzero(valid)
        out[idx] = self._distance_valid(lon[idx], lat[idx])
        if key is not None:
            while len(memo) >= MEMO_ENTRIES:
                memo.pop(next(iter(memo)))
            memo[key] = out.copy()
        return out.reshape(shape)[()]

    @cached_property
    def _memo(self) -> dict[bytes, Float]:
        """The distances of the last :data:`MEMO_ENTRIES` large point sets (an Area never
        changes, so the same points have the same distances: a reach table, a comparison
        and a coverage over the same cities compute them once)."""
        return {}

    def _distance_valid(self, lon: Float, lat: Float) -> Float:
        d = np.full(lon.size, np.inf)
        if self.polygons and self.boundary.real.any():
            # "intersects" so that points on artificial edges (the pole, the antimeridian
            # seam) count as inside; points on real edges get the exact test below.
            inside = shapely.intersects_xy(self.geometry, lon, lat)
            need = ~inside | self._near_boundary(lon, lat, inside)
            idx = np.flatnonzero(need)
            near = nearest_on_boundary(self.boundary, lon[idx], lat[idx])
            # Far from the boundary the planar test is right (edges differ from
            # their geodesics by < 0.5 m); close to it, the exact side test decides.
            is_in = inside[idx].copy()
            close = near.distance_m < SIDE_TEST_BAND_M
            if close.any():
                is_in[close] = left_of_boundary(self.boundary, _take(near, close))
            d[inside & ~need] = 0.0
            d[idx] = np.where(is_in, 0.0, near.distance_m)
        elif self.polygons:
            d[shapely.intersects_xy(self.geometry, lon, lat)] = 0.0
        if len(self.points):
            d = np.minimum(d, self.point_set.nearest(lon, lat).distance_m)
        return d

    def _near_boundary(
        self, lon: Float, lat: Float, inside: NDArray[np.bool_]
    ) -> NDArray[np.bool_]:
        """Planar-inside points that may lie within the side-test band of an edge.

        A point farther than half the longest edge plus the band from every vertex
        is farther than the band from every edge. Distances on the conformal sphere
        are at most ``STRETCH_MAX`` times the geodesic ones; 1 % is added for round-off.
        """
        result = np.zeros(lon.size, dtype=bool)
        idx = np.flatnonzero(inside)
        if idx.size == 0:
            return result
        b = self.boundary
        reach_m = 0.5 * b.max_edge_m + SIDE_TEST_BAND_M
        angle = 1.01 * STRETCH_MAX * reach_m / A_M
        chord = 2 * np.sin(0.5 * angle)
        dist, _ = b.tree.query(conformal_unit(lon[idx], lat[idx]), k=1, distance_upper_bound=chord)
        result[idx] = np.isfinite(dist)
        return result

    def nearest(self, lon_deg: ArrayLike, lat_deg: ArrayLike) -> Nearest:
        """The nearest boundary point (polygon areas), with azimuths; see :class:`Nearest`."""
        lon, lat = lonlat_arrays(lon_deg, lat_deg)
        return nearest_on_boundary(self.boundary, wrap_lon(lon.ravel(), keep_180=True), lat.ravel())

    def to_geojson(self) -> dict[str, Any]:
        """The area as an RFC 7946 FeatureCollection (polygons right-hand wound): the
        model polygons, whose geodesic edges are the boundary every distance uses."""
        features: list[dict[str, Any]] = []
        if self.polygons:
            model = self.model_polygons
            coords = [
                [closed_coords(ring, exterior=(k == 0)) for k, ring in enumerate(poly)]
                for poly in model
            ]
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "MultiPolygon", "coordinates": coords},
                    "properties": {
                        "label": self.label,
                        "edges": EDGES_NOTE,
                        "area_km2": self.area_m2 / 1e6,
                        "vertices": n_vertices(model),
                        "source_vertices": n_vertices(self.polygons),
                        "sources": [s.spec for s in self.parts],
                    },
                }
            )
        for lon, lat in self.points:
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [float(lon), float(lat)]},
                    "properties": {"label": self.label},
                }
            )
        return {"type": "FeatureCollection", "features": features}

    def to_json(self) -> dict[str, Any]:
        """JSON-ready summary of the area and where it came from."""
        return {
            "label": self.label,
            "sources": [
                {"spec": s.spec, "kind": s.kind, "label": s.label, **s.detail} for s in self.parts
            ],
            "polygons": len(self.polygons),
            "points": len(self.points),
            "vertices": self.n_vertices,
            "area_km2": self.area_m2 / 1e6,
        }


def _take(near: Nearest, mask: NDArray[np.bool_]) -> Nearest:
    return Nearest(*(getattr(near, f)[mask] for f in near.__dataclass_fields__))


# --------------------------------------------------------------------------- building


def _oriented(poly: Sequence[Float]) -> Polygon:
    """Exterior counter-clockwise, holes clockwise (planar lon/lat); vertices snapped."""
    out = []
    for k, ring in enumerate(poly):
        ring = clean_ring(snap_ring(ring))
        if len(ring) < 3:
            continue
        out.append(np.ascontiguousarray(orient_ring(ring, exterior=(k == 0))))
    return tuple(out)


def from_parts(
    polygons: Iterable[Sequence[Float]], points: ArrayLike, parts: Sequence[AreaPart]
) -> Area:
    """An area from polygons (rings of lon/lat) and points, oriented and cleaned."""
    polys = [p for p in (_oriented(poly) for poly in polygons) if p]
    pts = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    return Area(tuple(polys), pts, tuple(parts))


def _memo_key(lon: Float, lat: Float) -> bytes | None:
    """A digest of a large point set (the exact bytes of its coordinates), or None."""
    if lon.size < MEMO_MIN_POINTS:
        return None
    import hashlib

    digest = hashlib.blake2b(digest_size=16)
    digest.update(np.ascontiguousarray(lon, dtype=np.float64).tobytes())
    digest.update(np.ascontiguousarray(lat, dtype=np.float64).tobytes())
    return digest.digest()


def union(areas: Sequence[Area]) -> Area:
    """Union of areas. Overlapping polygons are merged (in lon/lat) so that the
    boundary is the union's outline; points inside a polygon are dropped."""
    if not areas:
        raise InputError(
            "no launch area given; give at least one (a country, site, LAT,LON or GeoJSON file)"
        )
    if len(areas) == 1:
        return areas[0]
    parts = tuple(s for a in areas for s in a.parts)
    polys = [p for a in areas for p in a.polygons]
    pts = np.concatenate([a.points for a in areas]) if any(len(a.points) for a in areas) else None
    if len([a for a in areas if a.polygons]) > 1:
        merged = shapely.union_all([a.geometry for a in areas if a.polygons])
        polys = [polygon_rings(g) for g in shapely.get_parts(merged) if g.geom_type == "Polygon"]
    if pts is not None and polys:
        geom = to_shapely(polys)
        pts = pts[~shapely.contains_xy(geom, pts[:, 0], pts[:, 1])]
    if pts is not None:
        pts = np.unique(pts, axis=0)
    return from_parts(polys, pts if pts is not None else np.empty((0, 2)), parts)


def _size(polygons: tuple[Polygon, ...], points: int = 0) -> str:
    """ "1 polygon, 1,172 vertices, lon 23.18..32.78, lat 51.26..56.17" for a repr."""
    parts = [plural(len(polygons), "polygon")]
    if points:
        parts.append(plural(points, "point"))
    parts.append(plural(n_vertices(polygons) + points, "vertex", "vertices"))
    xy = [ring for poly in polygons for ring in poly]
    if xy:
        allxy = np.concatenate(xy)
        (x0, y0), (x1, y1) = allxy.min(axis=0), allxy.max(axis=0)
        parts.append(f"lon {x0:.2f}..{x1:.2f}, lat {y0:.2f}..{y1:.2f}")
    return ", ".join(parts)
