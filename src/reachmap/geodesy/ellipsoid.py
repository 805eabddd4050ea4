"""WGS84 constants, the exact geodesic solver, and the conformal sphere.

All exact geodesic computations go through :data:`GEOD`, pyproj's binding of
GeographicLib's C library (Karney 2013, "Algorithms for geodesics",
doi:10.1007/s00190-012-0578-z; errors below 15 nm).

The *conformal sphere* (radius ``A_M``, conformal latitude chi) is used only to
*choose* candidates cheaply: it preserves angles, so near any point the
ellipsoid's metric is the sphere's up to one scale factor ``k``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pyproj import Geod

A_M = 6378137.0  #: WGS84 semi-major axis
F = 1 / 298.257223563  #: WGS84 flattening
E2 = F * (2 - F)  #: first eccentricity squared
E = float(np.sqrt(E2))
B_M = A_M * (1 - F)
#: mean radius R1 = (2a + b) / 3 (IUGG), used for spherical step estimates only
R_MEAN_M = (2 * A_M + B_M) / 3
#: The one bound between spheres of radius ``A_M`` and the ellipsoid, a / b = 1.0033640:
#: (1) on the conformal sphere a length is k >= 1 times the ellipsoid's, with k largest at
#: the poles, k(90) = sqrt(1 - e^2) exp(e atanh e) = 1.0033566 < a / b, so a great-circle
#: distance there is at most ``STRETCH_MAX`` times the geodesic one; (2) with geodetic
#: latitudes on the sphere, the ellipsoid's radii of curvature M, N never exceed a^2 / b,
#: so a geodesic is at most ``STRETCH_MAX`` times the great-circle distance.
#: Both are checked in tests/test_rings.py.
STRETCH_MAX = A_M / B_M

GEOD = Geod(ellps="WGS84")

Float = NDArray[np.float64]


def inverse(lon1: Float, lat1: Float, lon2: Float, lat2: Float) -> tuple[Float, Float]:
    """Forward azimuth (deg) and distance (m) of each geodesic, as ``GEOD.inv``.

    Large calls are cut into blocks solved on several threads (pyproj releases the
    GIL); each element is the same GeographicLib solution whatever the block.

    >>> az, s = inverse(np.array([0.0]), np.array([0.0]), np.array([1.0]), np.array([0.0]))
    >>> round(float(s[0]), 3), float(az[0])
    (111319.491, 90.0)
    """
    from reachmap.geodesy.threads import run_blocks

    x1, y1, x2, y2 = (np.ascontiguousarray(a, dtype=np.float64) for a in (lon1, lat1, lon2, lat2))
    n = x1.size
    az, dist = np.empty(n), np.empty(n)

    def block(lo: int, hi: int) -> None:
        a, _, d = GEOD.inv(x1[lo:hi], y1[lo:hi], x2[lo:hi], y2[lo:hi])
        az[lo:hi], dist[lo:hi] = a, d

    run_blocks(block, n)
    return az, dist


def conformal_lat_rad(lat_deg: ArrayLike) -> Float:
    """Conformal latitude chi (radians) of geodetic latitude ``lat_deg``.

    tan(chi) = sinh(asinh(tan(phi)) - e * atanh(e * sin(phi))); exact at the poles.

    >>> round(float(np.degrees(conformal_lat_rad(45.0))), 6)
    44.807684
    """
    phi = np.radians(np.asarray(lat_deg, dtype=np.float64))
    psi = np.arcsinh(np.tan(phi)) - E * np.arctanh(E * np.sin(phi))
    return np.asarray(np.arctan(np.sinh(psi)), np.float64)


def conformal_scale(lat_deg: ArrayLike) -> Float:
    """Scale factor k of the ellipsoid -> conformal-sphere map (sphere radius ``A_M``).

    A short length ds on the ellipsoid becomes k * ds on the sphere:
    k = a cos(chi) / (N cos(phi)) = (a / N) / (cosh(d) - sin(phi) sinh(d)) with
    d = e atanh(e sin(phi)); the second form stays exact at the poles.

    >>> round(float(conformal_scale(0.0)), 12)
    1.0
    """
    sinphi = np.sin(np.radians(np.asarray(lat_deg, dtype=np.float64)))
    d = E * np.arctanh(E * sinphi)
    a_over_n = np.sqrt(1 - E2 * sinphi**2)
    return np.asarray(a_over_n / (np.cosh(d) - sinphi * np.sinh(d)), np.float64)


def conformal_unit(lon_deg: ArrayLike, lat_deg: ArrayLike) -> Float:
    """Unit vectors (..., 3) on the conformal sphere."""
    lam = np.radians(np.asarray(lon_deg, dtype=np.float64))
    chi = conformal_lat_rad(lat_deg)
    c = np.cos(chi)
    return np.stack([c * np.cos(lam), c * np.sin(lam), np.sin(chi)], axis=-1)


def tangent_point(
    lon_deg: ArrayLike, lat_deg: ArrayLike, azimuth_deg: ArrayLike, angle_rad: ArrayLike
) -> Float:
    """Unit vector reached from (lon, lat) on the conformal sphere along a great circle.

    The start point is mapped with its conformal latitude; ``azimuth_deg`` is
    clockwise from north (conformal maps keep azimuths), ``angle_rad`` the arc.
    """
    lam = np.radians(np.asarray(lon_deg, dtype=np.float64))
    chi = conformal_lat_rad(lat_deg)
    az = np.radians(np.asarray(azimuth_deg, dtype=np.float64))
    sig = np.asarray(angle_rad, dtype=np.float64)
    cl, sl, cc, sc = np.cos(lam), np.sin(lam), np.cos(chi), np.sin(chi)
    p = np.stack([cc * cl, cc * sl, sc], axis=-1)
    east = np.stack([-sl, cl, np.zeros_like(cl)], axis=-1)
    north = np.stack([-sc * cl, -sc * sl, cc], axis=-1)
    u = np.sin(az)[..., None] * east + np.cos(az)[..., None] * north
    return np.cos(sig)[..., None] * p + np.sin(sig)[..., None] * u
