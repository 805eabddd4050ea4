"""Ellipsoidal areas of lon/lat polygons, for either meaning of their edges.

* :func:`ring_area_m2` / :func:`polygons_area_m2`: edges *straight in lon/lat*
  (Natural Earth outlines, RFC 7946 envelopes). On the ellipsoid the area between
  the equator and latitude phi per radian of longitude is
  F(phi) = b^2/2 (sin phi / (1 - e^2 sin^2 phi) + atanh(e sin phi) / e)
  (the authalic-latitude integral), and a ring's area is -sum over edges of
  dlambda * mean F along the edge (Green's theorem; 4-point Gauss-Legendre per edge).
* :func:`geodesic_polygons_area_m2`: edges that are *WGS84 geodesics* (launch areas),
  by GeographicLib (Karney 2013, doi:10.1007/s00190-012-0578-z) through pyproj.

Never a spherical area.

>>> square = np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]])
>>> round(ring_area_m2(square) / 1e6, 1)  # km^2, counter-clockwise: positive
12308.5
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np

from reachmap.geodesy.ellipsoid import B_M, GEOD, E, Float

_GL_X = (np.polynomial.legendre.leggauss(4)[0] + 1) / 2
_GL_W = np.polynomial.legendre.leggauss(4)[1] / 2


def _zone(phi: Float) -> Float:
    """Ellipsoidal area (m^2) between the equator and latitude ``phi`` per radian."""
    s = np.sin(phi)
    return 0.5 * B_M**2 * (s / (1 - E**2 * s * s) + np.arctanh(E * s) / E)


#: surface of the WGS84 ellipsoid, 2 pi a^2 + pi b^2 / e ln((1 + e) / (1 - e)) (m^2)
ELLIPSOID_AREA_M2 = float(4 * np.pi * _zone(np.array(np.pi / 2)))


def ring_area_m2(ring: Float) -> float:
    """Signed ellipsoidal area of a ring with straight lon/lat edges (CCW positive)."""
    ring = np.asarray(ring, dtype=np.float64)
    nxt = np.roll(ring, -1, axis=0)
    dlam = np.radians(nxt[:, 0] - ring[:, 0])
    phi0, phi1 = np.radians(ring[:, 1]), np.radians(nxt[:, 1])
    phi = phi0[:, None] + _GL_X[None, :] * (phi1 - phi0)[:, None]
    mean = _zone(phi) @ _GL_W
    return float(-np.sum(dlam * mean))


def geodesic_ring_area_m2(ring: Float) -> float:
    """Signed ellipsoidal area of a ring with geodesic edges (CCW positive).

    GeographicLib's polygon area is defined modulo the ellipsoid's surface (a ring
    around the whole globe has area 0 there, and edges along a pole carry no
    longitude); the branch is chosen closest to the ring's lon/lat area, which a ring
    densified to within 0.5 m of its lon/lat edges (:func:`model_polygons
    <reachmap.geodesy.boundary.model_polygons>`) matches to metres times its perimeter.

    >>> globe = np.array([[-180.0, -90.0], [180.0, -90.0], [180.0, 90.0], [-180.0, 90.0]])
    >>> round(geodesic_ring_area_m2(globe) / 1e6, 1)  # km^2: WGS84's surface
    510065621.7
    """
    ring = np.asarray(ring, dtype=np.float64)
    area_m2, _ = GEOD.polygon_area_perimeter(ring[:, 0], ring[:, 1])
    planar = ring_area_m2(ring)
    total = ELLIPSOID_AREA_M2
    return float(planar + ((area_m2 - planar + total / 2) % total - total / 2))


def _net(polygons: Iterable[Sequence[Float]], ring_area: Callable[[Float], float]) -> float:
    """Sum over polygons of the exterior's area minus the holes' (orientation ignored)."""
    total = 0.0
    for poly in polygons:
        for k, ring in enumerate(poly):
            a = abs(ring_area(ring))
            total += a if k == 0 else -a
    return total


def polygons_area_m2(polygons: Iterable[Sequence[Float]]) -> float:
    """Ellipsoidal area of lon/lat polygons with straight lon/lat edges, m^2."""
    return _net(polygons, ring_area_m2)


def geodesic_polygons_area_m2(polygons: Iterable[Sequence[Float]]) -> float:
    """Ellipsoidal area of polygons whose edges are geodesics, m^2."""
    return _net(polygons, geodesic_ring_area_m2)
