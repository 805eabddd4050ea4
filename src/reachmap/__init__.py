"""reachmap: exact reach of publicly reported systems on the WGS84 ellipsoid."""

from __future__ import annotations

__version__ = "0.1.0"
