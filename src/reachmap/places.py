"""Places: one named point (:class:`Place`) and columns of many (:class:`Places`).

Coordinates are longitude first, as everywhere in reachmap (pyproj, shapely, GeoJSON).
GeoNames cities and capitals (:mod:`reachmap.data.geonames`) and the user's files
(:mod:`reachmap.io.places_in`) load into :class:`Places`; what a user types resolves to
a :class:`Place` with :func:`reachmap.io.resolve.resolve_place`.

>>> p = Places.from_columns(["Minsk", "Hrodna"], ["BLR", "BLR"], [27.567, 23.815], [53.9, 53.677])
>>> p.take(p.lon_deg < 25).name.tolist()
['Hrodna']
>>> p.place(0)
Place(name='Minsk', lon_deg=27.567, lat_deg=53.9, country_code='BLR', population=0, kind='places')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from numpy.typing import ArrayLike

from reachmap.words import plural

#: the largest population one place may have: above the world's (8.1 billion in
#: 2024, UN World Population Prospects), so any real figure passes and an absurd one
#: (9e18 overflows the 64-bit sums) is refused at input
MAX_POPULATION = 10_000_000_000


def population_total(population: ArrayLike) -> int:
    """Exact sum of populations, as a Python int.

    Each value is at most :data:`MAX_POPULATION` (checked at input), so 64-bit
    integer sums are exact for fewer than 9.2e8 places (2**63 / 1e10); past that, or
    with larger values, the sum is taken in Python integers.

    >>> population_total(np.array([9_000_000_000, 9_000_000_000]))
    18000000000
    >>> population_total(np.array([9 * 10**18, 9 * 10**18], dtype=np.int64))
    18000000000000000000
    """
    pop = np.asarray(population)
    if pop.size == 0:
        return 0
    if pop.size < 2**63 // MAX_POPULATION and int(np.max(np.abs(pop))) <= MAX_POPULATION:
        return int(np.sum(pop, dtype=np.int64))
    return int(sum(int(x) for x in pop.ravel()))


@dataclass(frozen=True)
class Place:
    """One named point; ``kind`` is 'city', 'capital', 'site' or 'coordinates'."""

    name: str
    lon_deg: float
    lat_deg: float
    country_code: str
    population: int | None
    kind: str


@dataclass(frozen=True, eq=False)
class Places:
    """Columns of named points; row ``i`` of every array describes place ``i``.

    ``population`` is 0 where unknown (as in GeoNames); ``geonameid`` is -1 for
    places not from GeoNames.
    """

    name: np.ndarray
    country_code: np.ndarray
    lon_deg: np.ndarray
    lat_deg: np.ndarray
    population: np.ndarray
    geonameid: np.ndarray
    kind: str
    note: str = ""  # e.g. the definition of the region the places were chosen from
    warnings: tuple[str, ...] = ()  # e.g. columns of the user's file that were not read
    COLUMNS: ClassVar[tuple[str, ...]] = (
        "name", "country_code", "lon_deg", "lat_deg", "population", "geonameid",
    )  # fmt: skip

    @classmethod
    def from_columns(
        cls,
        name: Sequence[str],
        country_code: Sequence[str],
        lon_deg: Sequence[float],
        lat_deg: Sequence[float],
        population: Sequence[int] | None = None,
        kind: str = "places",
    ) -> Places:
        """Places from plain sequences (population 0 and geonameid -1 when not given)."""
        n = len(name)
        return cls(
            name=np.array(name, dtype=object),
            country_code=np.array(country_code, dtype="<U3"),
            lon_deg=np.array(lon_deg, dtype=np.float64),
            lat_deg=np.array(lat_deg, dtype=np.float64),
            population=np.array(population if population is not None else [0] * n, np.int64),
            geonameid=np.full(n, -1, dtype=np.int64),
            kind=kind,
        )

    def __len__(self) -> int:
        return len(self.name)

    def take(self, idx: Any) -> Places:
        """The rows selected by ``idx`` (integer indices or a boolean mask)."""
        rows = np.asarray(idx)
        rows = rows.reshape(1) if rows.ndim == 0 else rows  # one row stays a Places
        rows = rows.astype(np.intp) if rows.size == 0 else rows  # [] is float to numpy
        columns = {c: getattr(self, c)[rows] for c in self.COLUMNS}
        return Places(**columns, kind=self.kind, note=self.note, warnings=self.warnings)

    def place(self, i: int, kind: str | None = None) -> Place:
        """Row ``i`` as a :class:`Place` (``kind`` defaults to the collection's)."""
        return Place(
            name=str(self.name[i]),
            lon_deg=float(self.lon_deg[i]),
            lat_deg=float(self.lat_deg[i]),
            country_code=str(self.country_code[i]),
            population=int(self.population[i]),
            kind=self.kind if kind is None else kind,
        )

    def __repr__(self) -> str:
        return f"Places({self.kind!r}, {plural(len(self), 'row')})"

    @property
    def __geo_interface__(self) -> dict[str, Any]:
        """The places as a GeoJSON FeatureCollection of points."""
        return {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [float(x), float(y)]},
                    "properties": {"name": str(n), "country_code": str(c), "population": int(p)},
                }
                for n, c, x, y, p in zip(
                    self.name,
                    self.country_code,
                    self.lon_deg,
                    self.lat_deg,
                    self.population,
                    strict=True,
                )
            ],
        }
