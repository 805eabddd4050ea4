"""reachmap: exact reach of publicly reported systems on the WGS84 ellipsoid.

The public API::

    import reachmap
    blr = reachmap.area("Belarus")             # launch area (country, site, LAT,LON, GeoJSON)
    d_m = blr.distance_m(lon_deg, lat_deg)     # exact WGS84 distance, 0 inside
    reachmap.catalog.system("oreshnik")             # sourced catalog entry
    env = reachmap.envelope(blr, 5_500e3)      # region within 5,500 km, verified vertices
"""

from __future__ import annotations

import sys
import types
from importlib import import_module
from typing import TYPE_CHECKING, Any

from reachmap.errors import InputError
from reachmap.units import parse_length_m

if TYPE_CHECKING:
    from reachmap.area import Area
    from reachmap.data import catalog
    from reachmap.envelope.core import Envelope, envelope
    from reachmap.io.resolve import area

#: names loaded on first use, so that ``import reachmap`` (and the commands that need
#: neither pyproj nor the envelope code, such as ``reachmap systems``) stays light:
#: name -> (module, attribute); docs/performance.md has the start-up figures
_LAZY: dict[str, tuple[str, str | None]] = {
    "Area": ("reachmap.area", "Area"),
    "Envelope": ("reachmap.envelope.core", "Envelope"),
    "envelope": ("reachmap.envelope.core", "envelope"),
    "area": ("reachmap.io.resolve", "area"),
    "catalog": ("reachmap.data.catalog", None),
}

__version__ = "0.1.0"


def to_geodataframe(items: Any) -> Any:
    """A ``geopandas.GeoDataFrame`` (EPSG:4326) of an Area, Envelope, Places, reach
    result, envelopes or features; see
    :func:`reachmap.io.export.to_geodataframe` (loaded on first use)."""
    from reachmap.io.export import to_geodataframe as convert

    return convert(items)


def plot(
    *objects: Any, projection: str = "aeqd", title: str | None = None, units: str = "km"
) -> Any:
    """A map (matplotlib ``Figure``) of Areas, Envelopes, Places and reach results, drawn
    by the report's map code, ranges labelled in ``units`` (km, mi, nmi); see
    :func:`reachmap.report.plot.plot` (loaded on first use; needs matplotlib:
    ``pip install 'reachmap[plot]'``)."""
    from reachmap.report.plot import plot as draw

    return draw(*objects, projection=projection, title=title, units=units)


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
    from reachmap.area import Area
    from reachmap.io.resolve import area as resolve_area
    from reachmap.io.resolve import resolve_targets

    where = area if isinstance(area, Area) else resolve_area(area)
    places = resolve_targets(targets, min_population, within)
    profile = flight_profile if system is not None else None
    return run(where, RangeSpec.from_args(system, range_m), places, flight_profile=profile)


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'reachmap' has no attribute {name!r}")
    module, attribute = _LAZY[name]
    value = import_module(module)
    if attribute is not None:
        value = getattr(value, attribute)
    globals()[name] = value
    return value


class _Package(types.ModuleType):
    """The package module: the functions ``area`` and ``envelope`` keep their names when
    the submodules ``reachmap.area`` and ``reachmap.envelope`` are first imported
    (importing a submodule sets it as an attribute of its package; the submodules stay
    importable by their full names)."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in ("area", "envelope") and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

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
