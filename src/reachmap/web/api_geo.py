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
from reachmap.web.responses import ERRORS, answer_response

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["reach"], responses=ERRORS)


async def _answer(request: Request, job: Any, q: P.Params) -> Response:
    """The job's answer to the validated request ``q``: from the server's cache when the
    same request was answered before (every job is a function of its parameters and
    the bundled data), else from a worker, then kept."""
    state = request.app.state
    args = P.job_args(q)
    key = (job.__name__, args)
    answer = state.cache.answer(key)
    if answer is None:
        data = await state.compute.run(job, p=args, max_vertices=state.settings.max_vertices)
        answer = state.cache.put(key, data)
    return answer_response(request, answer, geojson=args.get("format") == "geojson")


def _endpoint(name: str, job: Any, get_model: Any, post_model: Any, summary: str) -> None:
    doc = (job.__doc__ or "").strip()

    async def get(request: Request, q: Annotated[get_model, Query()]) -> Response:
        return await _answer(request, job, q)

    async def post(request: Request, body: post_model) -> Response:
        return await _answer(request, job, body)

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
)
_endpoint(
    "isochrones", jobs.isochrones, P.IsochronesParams, P.IsochronesBody, "Flight-time contours"
)
_endpoint(
    "flight",
    jobs.flight,
    P.FlightParams,
    P.FlightBody,
    "Flight time, apogee and burnout speed per trajectory profile",
)
