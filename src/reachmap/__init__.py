"""reachmap: exact reach of publicly reported systems on the WGS84 ellipsoid.

The public API::

    import reachmap
    blr = reachmap.area("Belarus")             # launch area (country, site, LAT,LON, GeoJSON)
    d_m = blr.distance_m(lon_deg, lat_deg)     # exact WGS84 distance, 0 inside
    reachmap.catalog.system("oreshnik")             # sourced catalog entry
    env = reachmap.envelope(blr, 5_500e3)      # region within 5,500 km, verified vertices
"""

from __future__ import annotations

from reachmap.area import Area
from reachmap.data import catalog
from reachmap.envelope.core import Envelope, envelope
from reachmap.errors import InputError
from reachmap.io.export import to_geodataframe
from reachmap.units import parse_length_m

# last: the function ``area`` takes the name that the module reachmap.area had
from reachmap.io.resolve import area  # isort: skip

__version__ = "0.1.0"

__all__ = [
    "Area",
    "Envelope",
    "InputError",
    "__version__",
    "area",
    "catalog",
    "envelope",
    "parse_length_m",
    "to_geodataframe",
]
