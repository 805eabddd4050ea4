"""The request parameters, named as the command line's options (``from``, ``vs``,
``system``, ``range``, ``targets``, ``minutes``, ``profile``...): query parameters on GET,
the same names as JSON fields on POST (which also takes a ``geojson`` launch area).

Multi-word options are written with an underscore (``--min-population`` is
``min_population``). Unknown parameters are refused (422, naming them).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "UNITS_DESCRIPTION",
    "AreaBody",
    "AreaParams",
    "FlightParams",
    "Params",
    "ReachParams",
    "job_args",
]

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


RangeText = str | float
TargetsField: Any = Field(
    "cities",
    max_length=1000,
    description="cities (GeoNames), capitals, countries (coverage), a region's cities "
    "(europe, nato, eu, a continent) or countries' cities (POL,LTU).",
)
ProfileField: Any = Field(
    "default",
    max_length=40,
    description="Flight-time profile: default (the system's own), min-energy, lofted, "
    "depressed, cruise, glide, or none.",
)
SystemField: Any = Field(None, max_length=200, description="Catalog system (/api/systems).")
RangeField: Any = Field(
    None, alias="range", description="Range, km unless a unit is given: 5500, 5500km, 3400mi."
)
InField: Any = Field(
    None,
    alias="in",
    max_length=1000,
    description="Keep only targets in a region (europe, nato, ...) or countries (POL,LTU).",
)
MinPopulationField: Any = Field(
    15000, ge=1000, le=10**10, description="Smallest city population for targets=cities."
)
ToleranceField: Any = Field(
    "50",
    max_length=40,
    description="Largest distance error of the outline, metres unless a unit is given (1 m "
    "to 10 km).",
)
EnvelopeFormat = Literal["geojson", "json"]
RingRangeField: Any = Field(
    None,
    alias="range",
    description="Range, km unless a unit is given (5500, 5500km, 3400mi), or a ring set: "
    "500,1000,2000.",
)
RingsField: Any = Field(
    False, description="With `system`: its low and high estimate as two labelled rings."
)
UNITS_DESCRIPTION = (
    "Lengths also in km (the default: nothing added), mi or nmi: the answer gains `units` "
    "and a `<name>_<unit>` field beside each `<name>_km`, as the command line's `--units` "
    "(docs/units.md)."
)
UnitsField: Any = Field("km", max_length=20, description=UNITS_DESCRIPTION)
VsField: Any = Field(
    default_factory=list,
    max_length=MAX_REPEATS,
    description="Reference launch area (same forms as `from`, repeatable).",
)


class ReachParams(Params):
    """``reachmap reach`` (``all`` is ``--all``)."""

    from_: list[str] = FromField
    system: str | None = SystemField
    range_: RangeText | None = RingRangeField
    rings: bool = RingsField
    targets: str = TargetsField
    min_population: int = MinPopulationField
    in_: str | None = InField
    vs: list[str] = Field(
        default_factory=list,
        max_length=MAX_REPEATS,
        description="With targets=countries: also from this launch area, and what changes.",
    )
    profile: str = ProfileField
    all_: bool = Field(False, alias="all", description="Include places beyond range.")
    units: str = UnitsField


class ReachBody(ReachParams):
    geojson: dict[str, Any] | None = GeoJSONField


class CompareParams(Params):
    """``reachmap compare``."""

    from_: list[str] = FromField
    vs: list[str] = VsField
    system: str | None = SystemField
    range_: RangeText | None = RangeField
    targets: str = Field("capitals", max_length=1000, description=TargetsField.description)
    min_population: int = MinPopulationField
    in_: str | None = InField
    profile: str = ProfileField
    units: str = UnitsField


class CompareBody(CompareParams):
    geojson: dict[str, Any] | None = GeoJSONField


class EnvelopeParams(Params):
    """``reachmap envelope``."""

    from_: list[str] = FromField
    system: str | None = SystemField
    range_: RangeText | None = RingRangeField
    vs: list[str] = Field(
        default_factory=list,
        max_length=MAX_REPEATS,
        description="Keep only what `from` adds to this launch area (repeatable).",
    )
    rings: bool = RingsField
    tolerance: str = ToleranceField
    format: EnvelopeFormat = Field("geojson", description="geojson or json (a summary).")
    units: str = UnitsField


class EnvelopeBody(EnvelopeParams):
    geojson: dict[str, Any] | None = GeoJSONField


class IsochronesParams(Params):
    """``reachmap isochrones``."""

    from_: list[str] = FromField
    system: str = Field("", max_length=200, description="Catalog system (/api/systems).")
    minutes: str = Field(
        "5,10,15,20", max_length=1000, description="Flight times in minutes: 5,10,15,20."
    )
    profile: str | None = Field(
        None, max_length=40, description="Flight profile (default: the system's own)."
    )
    tolerance: str = ToleranceField
    format: EnvelopeFormat = Field("geojson", description="geojson or json (a summary).")
    units: str = UnitsField


class IsochronesBody(IsochronesParams):
    geojson: dict[str, Any] | None = GeoJSONField


class FlightParams(Params):
    """``reachmap flight``."""

    distance: RangeText | None = Field(
        None, description="Ground range, km unless a unit is given: 790, 790km, 490mi."
    )
    from_: str | None = Field(
        None, alias="from", max_length=1000, description="Launch area: site, country, LAT,LON."
    )
    to: list[str] = Field(
        default_factory=list,
        max_length=100,
        description="Target place: name or LAT,LON (repeat for several, at most 100).",
    )
    system: str | None = SystemField
    profile: str | None = Field(
        None, max_length=40, description="min-energy, lofted, depressed or all (default: all)."
    )
    apogee: RangeText | None = Field(
        None, description="Apogee of a lofted path, km unless a unit is given."
    )
    time: str | None = Field(
        None, max_length=40, description="A reported flight time (15min, 900s, 14:58)."
    )
    rotating_earth: bool = Field(False, description="Fly over the turning Earth.")
    units: str = UnitsField


class FlightBody(FlightParams):
    geojson: dict[str, Any] | None = GeoJSONField


def job_args(params: Params) -> dict[str, Any]:
    """The parameters as a job takes them: the request's names, ranges as text, ``units``
    checked and in lower case (InputError naming ``units``)."""
    from reachmap.errors import about
    from reachmap.units import display_unit

    data = params.model_dump(by_alias=True)
    if "units" in data:
        with about("units"):
            data["units"] = display_unit(data["units"])
    for key in ("range", "distance", "apogee"):
        value = data.get(key)
        if isinstance(value, float):
            data[key] = repr(value)
    return data
