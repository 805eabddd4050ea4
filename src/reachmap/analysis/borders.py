"""Land borders between countries, measured on the bundled outlines.

A border is the linework two Natural Earth admin-0 outlines share: the intersection
of their boundaries (the data set is topologically consistent, so neighbours share
vertices exactly). Its length is the sum of WGS84 geodesics between consecutive
shared vertices (pyproj ``Geod.geometry_length``, GeographicLib underneath).

Border lengths depend on the map scale: the finer the outline, the longer the line
(the coastline paradox). Belarus-Ukraine is 1,084 km officially and about 862 km on
the 1:10m outline. Every length reachmap prints therefore names its data set and
scale; a length is a property of the outline, not of the border on the ground.

>>> result = borders("BLR")
>>> sorted(b.neighbour_iso3 for b in result.borders)
['LTU', 'LVA', 'POL', 'RUS', 'UKR']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import shapely

from reachmap.data import countries
from reachmap.errors import InputError
from reachmap.geodesy.ellipsoid import GEOD
from reachmap.units import fmt_length

#: Said with every length: why it differs from published figures.
SCALE_NOTE = (
    "Border lengths depend on the map scale (finer outlines give longer lines); "
    "these are measured on the Natural Earth 1:10m outline, geodesics between its "
    "vertices, and are shorter than official figures (e.g. Belarus-Ukraine: 1,084 km "
    "officially, about 862 km here)."
)
#: The published Belarus-Ukraine length quoted in :data:`SCALE_NOTE` (m).
OFFICIAL_BLR_UKR_M = 1_084_000.0
#: The same border measured here (m), quoted in :data:`SCALE_NOTE` as "about 862 km";
#: tests/test_borders.py measures it again and holds this to 1 m.
MEASURED_BLR_UKR_M = 861_521.29


def scale_note(unit: str = "km") -> str:
    """:data:`SCALE_NOTE`, with the quoted figures also in ``unit`` (km, mi, nmi).

    >>> scale_note("mi")[-77:]
    'Belarus-Ukraine: 1,084 km = 673.6 mi officially, about 862 km = 535 mi here).'
    """
    if unit == "km":
        return SCALE_NOTE
    official = f"1,084 km = {fmt_length(OFFICIAL_BLR_UKR_M, unit, 1)} {unit}"
    # the measured length (535.3 mi), not 862 km converted (535.6 mi): the table beside
    # the note prints the measured value, and the two must not disagree
    here = f"862 km = {fmt_length(MEASURED_BLR_UKR_M, unit)} {unit}"
    return SCALE_NOTE.replace("1,084 km", official).replace("862 km", here)


@dataclass(frozen=True)
class Border:
    """The land border of a country with one neighbour, on the bundled outline."""

    iso3: str
    neighbour_iso3: str
    neighbour_name: str
    length_m: float
    pieces: int  # separate stretches of shared line (e.g. around an enclave)

    def to_json(self) -> dict[str, Any]:
        return {
            "neighbour_iso3": self.neighbour_iso3,
            "neighbour": self.neighbour_name,
            "length_m": self.length_m,
            "length_km": self.length_m / 1000.0,
            "pieces": self.pieces,
        }


@dataclass(frozen=True)
class BordersResult:
    """A country's land borders, longest first, with the data set they were measured on."""

    iso3: str
    name: str
    borders: tuple[Border, ...]
    dataset: dict[str, str]

    @property
    def total_m(self) -> float:
        return sum(b.length_m for b in self.borders)

    def to_json(self) -> dict[str, Any]:
        return {
            "country_iso3": self.iso3,
            "country": self.name,
            "borders": [b.to_json() for b in self.borders],
            "total_length_m": self.total_m,
            "total_length_km": self.total_m / 1000.0,
            "dataset": dict(self.dataset),
            "note": SCALE_NOTE,
        }


def shared_line(a: countries.Country, b: countries.Country) -> shapely.Geometry:
    """The linework the outlines of ``a`` and ``b`` share (empty if they do not touch;
    points only where they meet at a point)."""
    inter = shapely.intersection(a.shapely().boundary, b.shapely().boundary)
    lines = shapely.get_parts(inter)
    # LineStrings; points where three countries meet are not border
    lines = lines[(shapely.get_type_id(lines) == 1) & ~shapely.is_empty(lines)]
    if lines.size == 0:
        return shapely.MultiLineString()
    return shapely.line_merge(shapely.MultiLineString(list(lines)))


def _border(a: countries.Country, b: countries.Country) -> Border | None:
    line = shared_line(a, b)
    if line.is_empty:
        return None
    length = float(GEOD.geometry_length(line))
    if length <= 0.0:
        return None
    return Border(a.iso3, b.iso3, b.name, length, int(shapely.get_num_geometries(line)))


def borders(country: str, with_: Sequence[str] = ()) -> BordersResult:
    """Land borders of ``country`` (ISO code or name): every neighbour, or only those
    named in ``with_``; a named country that shares no border gets length 0.

    Lengths in metres on the Natural Earth 1:10m outline (see :data:`SCALE_NOTE`).
    """
    home = countries.country(country)
    every = countries.countries()
    if with_:
        others = [countries.country(name) for name in with_]
        found = []
        for other in others:
            if other == home:
                raise InputError(f"{home.name} and {other.name} are the same country")
            found.append(_border(home, other) or Border(home.iso3, other.iso3, other.name, 0.0, 0))
    else:
        tree = shapely.STRtree([c.shapely() for c in every])
        near = tree.query(home.shapely(), "intersects")
        candidates = [every[i] for i in near if every[i] != home]
        found = [b for b in (_border(home, c) for c in candidates) if b is not None]
    found.sort(key=lambda b: (-b.length_m, b.neighbour_iso3))
    return BordersResult(home.iso3, home.name, tuple(found), dict(countries.NATURAL_EARTH))
