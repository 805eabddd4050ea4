"""``/api/reach``, ``/api/compare``, ``/api/envelope``, ``/api/isochrones`` and
``/api/flight``: GET with query parameters, POST with the same names as JSON fields
(and ``geojson``, a launch area of one's own). Each answer is the command line's
``--format json`` (envelopes and isochrones: its GeoJSON by default).

No ``from __future__ import annotations`` here: FastAPI reads the parameter models
from the annotations of the functions :func:`_endpoint` makes.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from reachmap.web import jobs
from reachmap.web import params as P
from reachmap.web.responses import ERRORS, json_bytes

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["reach"], responses=ERRORS)


async def _answer(request: Request, job: Any, q: P.Params, cached: bool) -> Response:
    state = request.app.state
    args = P.job_args(q)
    geojson_out = args.get("format") == "geojson"
    key = (job.__name__, args)
    if cached and (hit := state.cache.get(key)) is not None:
        return json_bytes(hit, geojson=geojson_out)
    data = await state.compute.run(job, p=args, max_vertices=state.settings.max_vertices)
    if cached:
        state.cache.put(key, data)
    return json_bytes(data, geojson=geojson_out)


def _endpoint(
    name: str, job: Any, get_model: Any, post_model: Any, summary: str, cached: bool = False
) -> None:
    doc = (job.__doc__ or "").strip()

    async def get(request: Request, q: Annotated[get_model, Query()]) -> Response:
        return await _answer(request, job, q, cached)

    async def post(request: Request, body: post_model) -> Response:
        return await _answer(request, job, body, cached)

    router.add_api_route(
        f"/{name}",
        get,
        methods=["GET"],
        summary=summary,
        description=doc,
        operation_id=f"{name}_get",
    )
    router.add_api_route(
        f"/{name}",
        post,
        methods=["POST"],
        summary=summary + " (launch area as GeoJSON)",
        description=doc,
        operation_id=f"{name}_post",
    )


_endpoint("reach", jobs.reach, P.ReachParams, P.ReachBody, "Places within range of a launch area")
_endpoint(
    "compare",
    jobs.compare,
    P.CompareParams,
    P.CompareBody,
    "The same places from two launch areas (forward basing)",
)
_endpoint(
    "envelope",
    jobs.envelope,
    P.EnvelopeParams,
    P.EnvelopeBody,
    "The region within range, exact on WGS84",
    cached=True,
)
_endpoint(
    "isochrones",
    jobs.isochrones,
    P.IsochronesParams,
    P.IsochronesBody,
    "Flight-time contours",
    cached=True,
)
_endpoint(
    "flight",
    jobs.flight,
    P.FlightParams,
    P.FlightBody,
    "Flight time, apogee and burnout speed per trajectory profile",
)
