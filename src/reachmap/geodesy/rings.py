"""Rings and polygons in the lon/lat plane: one representation, one set of helpers.

A :data:`Ring` is an ``(n, 2)`` float array of ``lon_deg, lat_deg`` without the
closing repeat of the first vertex; a :data:`Polygon` is a tuple of rings, the
exterior first, then its holes. Oriented polygons have the exterior
counter-clockwise and holes clockwise in the planar lon/lat plane, so the region
lies to the left of every edge (the RFC 7946 right-hand rule). Every module that
reads (Natural Earth, GeoJSON), builds (areas, envelopes) or draws polygons uses
these helpers; the geodesic meaning of the edges is decided elsewhere
(:mod:`reachmap.geodesy.boundary` for areas, :mod:`reachmap.envelope.lonlat` for
envelopes).

>>> square = np.array([[0, 0], [0, 1], [1, 1], [1, 1], [1, 0], [0, 0]])
>>> clean_ring(square).tolist()
[[0.0, 0.0], [0.0, 1.0], [1.0, 1.0], [1.0, 0.0]]
>>> signed_area(clean_ring(square))  # clockwise: negative
-1.0
>>> signed_area(orient_ring(clean_ring(square), exterior=True))
1.0
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray

Ring = NDArray[np.float64]  # (n, 2) lon_deg, lat_deg, first vertex not repeated
Polygon = tuple[Ring, ...]  # exterior, then holes

#: data vertices this close to a pole or the antimeridian are snapped onto it
#: (Natural Earth stores -89.99999999999994 and -179.99999999999991; 1e-9 deg < 0.2 mm)
SNAP_DEG = 1e-9


def clean_ring(ring: ArrayLike) -> Ring:
    """Drop consecutive duplicate vertices and the closing repeat of the first one."""
    ring = np.asarray(ring, dtype=np.float64).reshape(-1, 2)
    if len(ring) == 0:
        return ring
    keep = np.ones(len(ring), dtype=bool)
    keep[1:] = np.any(ring[1:] != ring[:-1], axis=1)
    ring = ring[keep]
    while len(ring) > 1 and np.all(ring[0] == ring[-1]):
        ring = ring[:-1]
    return ring


def signed_area(ring: Ring) -> float:
    """Planar lon/lat area of a ring (square degrees), positive counter-clockwise."""
    x, y = ring[:, 0], ring[:, 1]
    return 0.5 * float(np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y))


def orient_ring(ring: Ring, *, exterior: bool) -> Ring:
    """The ring counter-clockwise if ``exterior``, else clockwise (a hole)."""
    if (signed_area(ring) > 0) != exterior:
        return ring[::-1]
    return ring


def oriented_ring(points: ArrayLike, *, exterior: bool) -> Ring | None:
    """A cleaned, oriented, contiguous ring; None with fewer than three distinct
    vertices or zero area.

    >>> oriented_ring(np.array([[0, 0], [0, 1], [0, 1], [1, 0], [0, 0]]), exterior=True).tolist()
    [[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]]
    >>> oriented_ring([[0, 0], [1, 1], [2, 2]], exterior=True) is None
    True
    """
    ring = clean_ring(points)
    if len(ring) < 3 or signed_area(ring) == 0.0:
        return None
    return np.ascontiguousarray(orient_ring(ring, exterior=exterior))


def snap_ring(ring: ArrayLike) -> Ring:
    """A copy with vertices within :data:`SNAP_DEG` of a pole or the antimeridian
    moved exactly onto it."""
    ring = np.array(ring, dtype=np.float64).reshape(-1, 2)
    for col, edge in ((0, 180.0), (1, 90.0)):
        values = ring[:, col]
        near = np.abs(np.abs(values) - edge) < SNAP_DEG
        values[near] = np.sign(values[near]) * edge
    return ring


def wrap_lon(lon_deg: ArrayLike, *, keep_180: bool = False) -> NDArray[np.float64]:
    """Longitudes in [-180, 180); with ``keep_180``, +180 stays +180 (a valid RFC 7946
    longitude, and the eastern side of the antimeridian).

    >>> wrap_lon([180.0, 190.0, -180.0]).tolist()
    [-180.0, -170.0, -180.0]
    >>> wrap_lon(180.0, keep_180=True).tolist()
    180.0
    """
    lon = np.asarray(lon_deg, dtype=np.float64)
    shifted = lon + 180.0
    # (+180 itself is kept or wrapped below: it does not force the modulo)
    top = np.max(shifted, where=lon != 180.0, initial=0.0) if keep_180 else shifted.max(initial=0)
    if shifted.size and shifted.min() >= 0.0 and top < 360.0:
        # all in range (and no NaN): the modulo (~50 ns a value) would return
        # ``shifted`` itself, so skip it; the same bits
        wrapped = shifted - 180.0
    else:
        wrapped = np.mod(shifted, 360.0) - 180.0
    return np.where(lon == 180.0, 180.0, wrapped) if keep_180 else wrapped


def closed_coords(ring: Ring, *, exterior: bool) -> list[list[float]]:
    """GeoJSON positions of an oriented ring, the first vertex repeated at the end."""
    out: list[list[float]] = orient_ring(np.asarray(ring), exterior=exterior).tolist()
    out.append(out[0])
    return out


def to_shapely(
    polygons: Iterable[Sequence[Ring]], *, prepare: bool = False
) -> shapely.MultiPolygon:
    """Planar lon/lat MultiPolygon of rings given without closing vertex; ``prepare``
    readies it for many point tests."""
    geom = shapely.MultiPolygon([shapely.Polygon(p[0], list(p[1:])) for p in polygons])
    if prepare:
        shapely.prepare(geom)
    return geom


def n_vertices(polygons: Iterable[Sequence[Ring]]) -> int:
    """Number of vertices of all rings."""
    return int(sum(len(r) for p in polygons for r in p))


def polygon_rings(poly: shapely.Polygon) -> Polygon:
    """Exterior and holes of a shapely Polygon as given, without the closing vertex."""
    rings = [np.asarray(poly.exterior.coords)[:-1, :2]]
    rings += [np.asarray(r.coords)[:-1, :2] for r in poly.interiors]
    return tuple(rings)


def from_shapely(geom: shapely.Geometry) -> tuple[Polygon, ...]:
    """Oriented polygons (exterior CCW, holes CW, no closing vertex) of a shapely
    geometry; parts that are not polygons are left out."""
    geom = shapely.orient_polygons(geom, exterior_cw=False)
    # twice: a collection (from make_valid) can hold a MultiPolygon
    return tuple(
        polygon_rings(part)
        for part in shapely.get_parts(shapely.get_parts(geom))
        if part.geom_type == "Polygon" and not part.is_empty
    )
