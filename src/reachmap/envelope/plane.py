"""The plane where offset pieces are merged (:mod:`reachmap.envelope.offset`): lon/lat
cut in the widest gap of longitudes, or a polar azimuthal equidistant plane."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from reachmap.envelope.contour import Frame
from reachmap.envelope.outline import M_PER_DEG_LAT
from reachmap.geodesy.ellipsoid import A_M, Float, inverse
from reachmap.geodesy.rings import wrap_lon

#: the envelope must stay this far (deg) from the poles in the lon/lat plane
_POLE_MARGIN_DEG = 1.0
#: envelopes that may reach a pole are merged in the pole's azimuthal equidistant plane
#: when everything lies within this distance of it (m)
_POLAR_RADIUS_M = 9_000e3
#: gap (deg) kept between the pieces and the longitude where the plane is cut
_CUT_MARGIN_DEG = 1.0


@dataclass(frozen=True)
class Plane:
    """Where the pieces are merged: lon/lat with longitudes from ``cut`` on (``pole``
    0), or the azimuthal equidistant plane of the north (1) or south (-1) pole, for
    envelopes that may reach a pole. Straight lines in either are within the pieces'
    sagitta of the geodesics between their ends at the spacings used (the station
    step allows for the curvature of lon/lat lines up to 89 deg)."""

    cut: float = 0.0
    pole: int = 0

    def xy(self, lon: Float, lat: Float) -> Float:
        if self.pole == 0:
            return np.column_stack([_unwrap(lon, self.cut), lat])
        n = lon.size
        az, s = inverse(np.zeros(n), np.full(n, 90.0 * self.pole), lon, lat)
        a = np.radians(az)
        return np.column_stack([s * np.sin(a), s * np.cos(a)])

    def lonlat(self, xy: Float) -> Float:
        if self.pole == 0:
            return xy
        lon, lat = Frame(0.0, 90.0 * self.pole).to_lonlat(xy[:, 0], xy[:, 1])
        return np.column_stack([lon, lat])


def choose_plane(area_lon: Float, area_lat: Float, r: float) -> Plane | None:
    """The lon/lat plane cut in the widest gap of longitudes, or a polar plane when the
    envelope may reach a pole (all of the area within 9,000 km of it); None if neither
    fits."""
    max_lat = float(np.max(np.abs(area_lat)))
    if max_lat + r / M_PER_DEG_LAT + _POLE_MARGIN_DEG < 90.0:
        reach_deg = math.degrees(r / (A_M * math.cos(math.radians(max_lat + r / M_PER_DEG_LAT))))
        cut = _cut_longitude(area_lon, 2.0 * reach_deg + 2.0 * _CUT_MARGIN_DEG)
        return None if cut is None else Plane(cut)
    pole = 1 if area_lat[np.argmax(np.abs(area_lat))] > 0 else -1
    colat_m = (90.0 - pole * area_lat) * M_PER_DEG_LAT * 1.01
    if np.all(pole * area_lat > 0) and float(np.max(colat_m)) + r <= _POLAR_RADIUS_M:
        return Plane(pole=pole)
    return None


def _cut_longitude(lons: Float, gap_deg: float) -> float | None:
    """A longitude in the middle of the widest gap between the area's longitudes (or
    that minus 360), if that gap is wider than ``gap_deg``."""
    s = np.sort(np.mod(lons, 360.0))
    gaps = np.diff(np.append(s, s[0] + 360.0))
    k = int(np.argmax(gaps))
    if gaps[k] <= gap_deg:
        return None
    cut = float(wrap_lon(s[k] + 0.5 * gaps[k]))
    lon = wrap_lon(lons)
    # [cut, cut + 360) or [cut - 360, cut): the one that moves fewer longitudes
    return cut if np.sum(lon >= cut) >= np.sum(lon < cut) else cut - 360.0


def _unwrap(lon: Float, cut: float) -> Float:
    """Longitudes in [cut, cut + 360): the area is contiguous there (``cut`` is chosen
    so that most longitudes stay as they are, see :func:`_cut_longitude`)."""
    return np.asarray(cut + np.mod(lon - cut, 360.0), dtype=np.float64)
