"""Regions: Europe, the continents, NATO and the EU, as sets of country parts.

A region is a set of Natural Earth admin-0 features, each whole or in part. The
definitions are written down here and printed with every answer that uses them,
because "Europe" means different things to different people:

* **Europe** is the European part of each country. Natural Earth's continent field
  names 51 features (Russia among them); to them Türkiye and Kazakhstan are added for
  their European parts, and from all of them overseas parts are removed.
  Russia and Kazakhstan are cut along the conventional Ural line: the Ural watershed
  from the Kara Sea, then the Ural River to the Caspian Sea (:data:`URAL_LINE`).
  Türkiye's European part is East Thrace, the mainland west of the Bosporus and north
  of the Dardanelles (the part containing Edirne). Overseas parts are those outside
  -32..70° E, 34..85° N (French Guiana, Réunion, the Caribbean parts of France and
  the Netherlands, Bouvet Island, the Canary Islands, Madeira) and, south of 36° N
  between 18° W and 12° E, Spain's North African places (Ceuta, Melilla). Cyprus,
  Georgia, Armenia and Azerbaijan are in Asia in Natural Earth and stay there; so is
  Greenland (North America).
* **A continent** (africa, asia, north-america, south-america, oceania, antarctica)
  is Natural Earth's continent field, whole features; for Europe see above.
* **NATO** and **EU** are their members on a date (the catalog's groups, with
  accession dates), whole territory as mapped.

>>> sorted(region("europe").parts)[:3]
['ALA', 'ALB', 'AND']
>>> "CYP" in region("europe").parts, "TUR" in region("europe").parts
(False, True)
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date

import numpy as np
import shapely

from reachmap.data import countries
from reachmap.errors import InputError, suggest
from reachmap.words import plural

#: The Ural line (lon, lat in degrees) from the Arctic Ocean east of Novaya Zemlya,
#: along the Ural watershed (Konstantinov Kamen 68.5 N, Payer 66.7 N, Narodnaya
#: 65.0 N, Telposiz 63.9 N, Konzhakovsky Kamen 59.6 N, west of Yekaterinburg, the Ural
#: River's source 54.6 N), down the Ural River (Magnitogorsk, Orsk, Orenburg, Oral,
#: Atyrau) to its mouth, and south through the Caspian Sea. A coarse polyline: it
#: follows the features to within tens of kilometres, which decides which side whole
#: towns lie on but not metres of territory.
URAL_LINE: tuple[tuple[float, float], ...] = (
    (70.0, 85.0),
    (70.0, 77.5),
    (66.5, 72.0),
    (66.0, 68.8),
    (66.2, 68.5),
    (64.4, 66.7),
    (60.1, 65.0),
    (59.2, 63.9),
    (59.1, 59.6),
    (59.8, 56.8),
    (59.4, 54.6),
    (59.0, 53.4),
    (58.6, 51.2),
    (55.1, 51.8),
    (51.4, 51.2),
    (51.9, 47.1),
    (51.8, 46.9),
    (51.0, 36.0),
)
#: Where a country's European part is the one feature part containing a place.
PART_CONTAINING: dict[str, tuple[str, tuple[float, float]]] = {
    "TUR": ("East Thrace", (26.556, 41.677)),  # Edirne
}
#: Countries added to Natural Earth's Europe for their European part.
TRANSCONTINENTAL = ("TUR", "KAZ")
#: Cut along the Ural line (the part west of it is Europe).
CUT_AT_URALS = ("RUS", "KAZ")
EUROPE_FRAME_DEG = (-32.0, 34.0, 70.0, 85.0)  # lon min, lat min, lon max, lat max
NORTH_AFRICA_BOX_DEG = (-18.0, 0.0, 12.0, 36.0)  # Ceuta, Melilla and the plazas

CONTINENTS = {
    "africa": "Africa",
    "asia": "Asia",
    "europe": "Europe",
    "north-america": "North America",
    "south-america": "South America",
    "oceania": "Oceania",
    "antarctica": "Antarctica",
}
EUROPE_DEFINITION = (
    "Europe = the European part of each country: Natural Earth's Europe plus Türkiye "
    "and Kazakhstan; Russia and Kazakhstan cut at the Ural watershed and the Ural River; "
    "Türkiye's part is East Thrace; overseas parts (French Guiana, Réunion, the "
    "Caribbean, Canary Islands, Madeira, Ceuta, Melilla, Bouvet) are not Europe; Cyprus, "
    "Georgia, Armenia, Azerbaijan and Greenland are not in it."
)


@dataclass(frozen=True, eq=False)
class Region:
    """A named set of country parts: ISO-3 code -> the part (planar lon/lat geometry)."""

    id: str
    name: str
    parts: dict[str, shapely.MultiPolygon]
    definition: str

    @property
    def members(self) -> list[str]:
        return sorted(self.parts)

    def whole(self, iso3: str) -> bool:
        """True if the region holds all of the country ``iso3``."""
        return iso3 in self.parts and iso3 not in self.partial

    @functools.cached_property
    def partial(self) -> frozenset[str]:
        """Members of which the region holds only a part (e.g. Russia in Europe)."""
        return frozenset(
            iso3
            for iso3, part in self.parts.items()
            if len(part.geoms) != len(countries.country(iso3).polygons)
            or not part.equals(countries.country(iso3).shapely())
        )

    def contains(self, lon_deg: object, lat_deg: object, country_code: object = None) -> np.ndarray:
        """True for each point in one of the region's parts.

        ``country_code`` (ISO-3 per point, e.g. the GeoNames country of a city) says
        whose territory a point is; without it the outline containing the point
        decides. A point of a partly included country (Russia, Türkiye) is in the region
        when it lies in, or nearer to, the included part than the rest (a coastal town
        whose coordinates fall just offshore at 1:10m still counts where it belongs).

        >>> region("europe").contains([37.62, 60.6, 32.85], [55.75, 56.84, 39.93]).tolist()
        [True, False, False]
        """
        lon, lat = np.broadcast_arrays(
            np.asarray(lon_deg, dtype=np.float64), np.asarray(lat_deg, dtype=np.float64)
        )
        if country_code is None:
            codes = countries.country_at(lon, lat)
        else:
            codes = np.broadcast_to(np.asarray(country_code, dtype=str), lon.shape)
        out = np.zeros(lon.shape, dtype=bool)
        for iso3, part in self.parts.items():
            sel = codes == iso3
            if not sel.any():
                continue
            if self.whole(iso3):
                out[sel] = True
                continue
            rest = shapely.difference(countries.country(iso3).shapely(), part)
            pts = shapely.points(lon[sel], lat[sel])
            near_part = shapely.distance(part, pts)
            out[sel] = (near_part == 0) | (near_part < shapely.distance(rest, pts))
        return out

    def to_json(self) -> dict[str, object]:
        return {key: getattr(self, key) for key in ("id", "name", "members", "definition")}


def _multi(geom: shapely.Geometry) -> shapely.MultiPolygon:
    polys = [g for g in shapely.get_parts(geom) if g.geom_type == "Polygon" and not g.is_empty]
    return shapely.MultiPolygon(polys)


def _west_of_urals() -> shapely.Polygon:
    west = [(-40.0, URAL_LINE[-1][1]), (-40.0, URAL_LINE[0][1])]
    return shapely.Polygon(list(URAL_LINE) + west)


def _not_overseas(part: shapely.Polygon) -> bool:
    p = part.representative_point()
    x0, y0, x1, y1 = EUROPE_FRAME_DEG
    a0, b0, a1, b1 = NORTH_AFRICA_BOX_DEG
    in_frame = x0 <= p.x <= x1 and y0 <= p.y <= y1
    in_africa = a0 <= p.x <= a1 and b0 <= p.y < b1
    return in_frame and not in_africa


def _european_part(c: countries.Country) -> shapely.MultiPolygon:
    geom = c.shapely()
    if c.iso3 in PART_CONTAINING:
        _, (lon, lat) = PART_CONTAINING[c.iso3]
        here = shapely.Point(lon, lat)
        return _multi(shapely.MultiPolygon([g for g in geom.geoms if g.intersects(here)]))
    if c.iso3 in CUT_AT_URALS:
        geom = _multi(shapely.intersection(geom, _west_of_urals()))
    return _multi(shapely.MultiPolygon([g for g in geom.geoms if _not_overseas(g)]))


@functools.cache
def _europe() -> Region:
    parts = {}
    for c in countries.countries():
        if c.continent == "Europe" or c.iso3 in TRANSCONTINENTAL:
            part = _european_part(c)
            if not part.is_empty:
                parts[c.iso3] = part
    return Region("europe", "Europe", parts, EUROPE_DEFINITION)


@functools.cache
def _continent(key: str) -> Region:
    name = CONTINENTS[key]
    parts = {c.iso3: c.shapely() for c in countries.countries() if c.continent == name}
    return Region(key, name, parts, f"{name} = Natural Earth's continent field, whole countries.")


def _group(name: str, on: str) -> Region:
    from reachmap.data import catalog

    g = catalog.group(name)
    members = g.members_on(on)
    parts = {iso: countries.country(iso).shapely() for iso in members}
    text = f"{g.name} = its {plural(len(members), 'member')} on {on}, whole territory as mapped."
    return Region(g.id, g.name, parts, text)


def region_names() -> list[str]:
    return sorted({*CONTINENTS, "nato", "eu"})


def region(name: str, on: str | None = None) -> Region:
    """The region called ``name`` (europe, a continent, nato, eu); groups on date ``on``
    (YYYY-MM-DD, default today)."""
    key = name.strip().lower().replace(" ", "-").replace("_", "-")
    if key == "europe":
        return _europe()
    if key in CONTINENTS:
        return _continent(key)
    if key in ("nato", "eu"):
        return _group(key, on or date.today().isoformat())
    raise InputError(
        f"unknown region {name!r};{suggest(key, region_names())} known: "
        + ", ".join(region_names())
    )
