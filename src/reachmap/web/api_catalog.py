"""``/api/systems``, ``/api/sites`` and ``/api/areas``: the catalog and launch areas.

The JSON is the command line's: ``reachmap systems [NAME] --format json``, ``reachmap
sites --format json|geojson``, ``reachmap area SPEC --format geojson|json``.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from reachmap.errors import about
from reachmap.web import jobs
from reachmap.web.params import UNITS_DESCRIPTION, AreaBody, AreaParams
from reachmap.web.responses import ERRORS, json_bytes

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["catalog"], responses=ERRORS)


UnitsQuery = Annotated[str, Query(max_length=20, description=UNITS_DESCRIPTION)]


def _unit(units: str) -> str:
    from reachmap.units import display_unit

    with about("units"):
        return display_unit(units)


@cache
def _systems(unit: str) -> bytes:
    from reachmap.data import catalog
    from reachmap.data.catalog_json import system_json

    return jobs.encode([system_json(s) for s in catalog.systems()], unit)


@cache
def _sites(fmt: str) -> bytes:
    from reachmap.data import catalog
    from reachmap.data.catalog_json import site_json, sites_geojson

    entries = catalog.sites()
    return jobs.encode(
        sites_geojson(entries) if fmt == "geojson" else [site_json(s) for s in entries]
    )


@router.get("/systems", summary="Publicly reported systems, with sources")
def systems(units: UnitsQuery = "km") -> Response:
    """Every catalog system with its ranges, speeds and their sources
    (as ``reachmap systems --format json [--units U]``)."""
    return json_bytes(_systems(_unit(units)))


@router.get("/systems/{name}", summary="One system, with sources")
def system(name: Annotated[str, Path(max_length=200)], units: UnitsQuery = "km") -> Response:
    """One system by id, name or alias (``reachmap systems NAME --format json``)."""
    unit = _unit(units)
    from reachmap.data import catalog
    from reachmap.data.catalog_json import system_json

    with about("name"):
        entry = catalog.system(name)
    return json_bytes(jobs.encode(system_json(entry), unit))


@router.get("/sites", summary="Named public launch sites, with sources")
def sites(
    format: Annotated[Literal["json", "geojson"], Query(description="json or geojson.")] = "json",
) -> Response:
    """Named public sites (``reachmap sites --format json|geojson``)."""
    return json_bytes(_sites(format), geojson=format == "geojson")


@router.get("/areas/{spec}", summary="The launch-area geometry actually used")
async def area(
    request: Request,
    spec: Annotated[str, Path(max_length=1000, description="Country, site or LAT,LON.")],
    q: Annotated[AreaParams, Query()],
) -> Response:
    """The launch area ``spec`` denotes (``reachmap area SPEC``): GeoJSON of the vertices
    every distance uses, or (``format=json``) its summary with sources."""
    data = await request.app.state.compute.run(
        jobs.area, specs=[spec], fmt=q.format, geojson=None, max_vertices=0
    )
    return json_bytes(data, geojson=q.format == "geojson")


@router.post("/areas", summary="A launch area from specs and uploaded GeoJSON")
async def area_post(request: Request, body: AreaBody) -> Response:
    """The union of ``from`` and the uploaded ``geojson`` (as ``reachmap area``)."""
    settings = request.app.state.settings
    data = await request.app.state.compute.run(
        jobs.area,
        specs=body.from_,
        fmt=body.format,
        geojson=body.geojson,
        max_vertices=settings.max_vertices,
    )
    return json_bytes(data, geojson=body.format == "geojson")
