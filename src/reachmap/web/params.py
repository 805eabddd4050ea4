"""The request parameters, named as the command line's options (``from``, ``vs``,
``system``, ``range``, ``targets``, ``minutes``, ``profile``...): query parameters on GET,
the same names as JSON fields on POST (which also takes a ``geojson`` launch area).

Multi-word options are written with an underscore (``--min-population`` is
``min_population``). Unknown parameters are refused (422, naming them).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["AreaFormat", "AreaParams"]

#: as reachmap.cli.options.MAX_REPEATS: launch areas joined in one request
MAX_REPEATS = 100

AreaFormat = Literal["geojson", "json"]
FromField: Any = Field(
    default_factory=list,
    alias="from",
    max_length=MAX_REPEATS,
    description="Launch area: ISO-3 code or country name, catalog site or LAT,LON "
    "(repeat for a union).",
)
GeoJSONField: Any = Field(
    default=None,
    description="A launch area of one's own: a GeoJSON Point, MultiPoint, Polygon, "
    "MultiPolygon, Feature or FeatureCollection ([lon, lat] in degrees), joined to `from`.",
)


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class AreaParams(Params):
    format: AreaFormat = Field("geojson", description="geojson (the geometry) or json.")


class AreaBody(AreaParams):
    from_: list[str] = FromField
    geojson: dict[str, Any] | None = GeoJSONField
