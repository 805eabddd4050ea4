"""reachmap: exact reach of publicly reported systems on the WGS84 ellipsoid.

The public API::

    import reachmap
    blr = reachmap.area("Belarus")             # launch area (country, site, LAT,LON, GeoJSON)
    d_m = blr.distance_m(lon_deg, lat_deg)     # exact WGS84 distance, 0 inside
    reachmap.catalog.system("oreshnik")             # sourced catalog entry
    env = reachmap.envelope(blr, 5_500e3)      # region within 5,500 km, verified vertices
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reachmap.area import Area
from reachmap.envelope.core import Envelope, envelope
from reachmap.errors import InputError
from reachmap.units import parse_length_m

if TYPE_CHECKING:
    from reachmap.data import catalog

# last: the function ``area`` takes the name that the module reachmap.area had
from reachmap.io.resolve import area  # isort: skip

__version__ = "0.1.0"


def to_geodataframe(items: Any) -> Any:
    """A ``geopandas.GeoDataFrame`` (EPSG:4326) of an Area, Envelope, Places, reach
    result, envelopes or features; see
    :func:`reachmap.io.export.to_geodataframe` (loaded on first use)."""
    from reachmap.io.export import to_geodataframe as convert

    return convert(items)


def plot(*objects: Any, projection: str = "aeqd", title: str | None = None) -> Any:
    """A map (matplotlib ``Figure``) of Areas, Envelopes, Places and reach results, drawn
    by the report's map code; see :func:`reachmap.report.plot.plot` (loaded on first use;
    needs matplotlib: ``pip install 'reachmap[plot]'``)."""
    from reachmap.report.plot import plot as draw

    return draw(*objects, projection=projection, title=title)


def reach(
    area: str | Area,
    range_m: float | None = None,
    *,
    system: str | None = None,
    targets: str = "cities",
    within: str | None = None,
    min_population: int = 15000,
    flight_profile: str | None = "",
) -> Any:
    """Places within reach of a launch area: a
    :class:`~reachmap.analysis.reach.ReachResult` (distances, status, flight times).

    ``area`` is an :class:`Area` or a spec for :func:`area`; give ``range_m`` (metres)
    or a catalog ``system`` (its low/high estimate); ``targets`` as on the command line
    (cities, capitals, a region, ISO-3 codes, a file), ``within`` a region filter;
    ``flight_profile`` "" is the system's own, None no times.

    >>> r = reach("Belarus", system="oreshnik", targets="capitals", within="nato")
    >>> r.summary()["places_within"], len(r.targets)
    (30, 32)
    """
    from reachmap.analysis.reach import RangeSpec
    from reachmap.analysis.reach import reach as run
    from reachmap.io.resolve import resolve_targets

    where = area if isinstance(area, Area) else globals()["area"](area)
    places = resolve_targets(targets, min_population, within)
    profile = flight_profile if system is not None else None
    return run(where, RangeSpec.from_args(system, range_m), places, flight_profile=profile)


def __getattr__(name: str) -> Any:
    # Loaded on first use, so that ``import reachmap`` stays light (docs/performance.md).
    if name == "catalog":
        from reachmap.data import catalog

        return catalog
    raise AttributeError(f"module 'reachmap' has no attribute {name!r}")


__all__ = [
    "Area",
    "Envelope",
    "InputError",
    "__version__",
    "area",
    "catalog",
    "envelope",
    "parse_length_m",
    "plot",
    "reach",
    "to_geodataframe",
]
