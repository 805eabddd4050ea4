"""``/api/reports``: the HTML report of the page's scenario (or of a saved one), built as
a job (:mod:`reachmap.web.reports`).

* ``POST /api/reports`` ``{"scenario": {...}}`` (the page's fields, as saved scenarios
  hold them) or ``{"scenario_id": ID}`` (a saved scenario), optional ``"title"``: 202
  with the job's status (``id``, ``status``, ``status_url``), or 200 when the same
  scenario's report is already kept;
* ``GET /api/reports/{id}``: ``queued``, ``running`` (with ``step`` and
  ``steps_done``), ``done`` (with ``report_url``) or ``failed`` (with ``error``);
* ``GET /api/reports/{id}/`` and the files beside it: the report folder.

A bad scenario is 422 before anything is queued, naming the field
(``scenario.from[0]``, ``scenario.range``): its shape by the store's checks, the
scenario file by the report's own parser, the launch areas resolved in a computation
worker (an unknown country, with suggestions).

The report is one HTML file with its CSS in a ``<style>`` element, maps as ``data:``
PNGs, and no script. It is served with a policy of its own: no script at all, no
connections, images from itself, and the one stylesheet whose SHA-256 the policy
names (:data:`REPORT_CSP`): user text cannot add a style, and nothing runs.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import re
import threading
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Path, Request
from fastapi.responses import FileResponse, JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from reachmap.report.style import CSS
from reachmap.web.errors import ApiError, ErrorBody
from reachmap.web.responses import ERRORS

__all__ = ["REPORT_CSP", "router"]

_STYLE = base64.b64encode(hashlib.sha256(CSS.encode("utf-8")).digest()).decode()
#: the Content-Security-Policy of the served report (module docstring)
REPORT_CSP = (
    f"default-src 'none'; style-src 'sha256-{_STYLE}'; img-src 'self' data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".csv": "text/csv; charset=utf-8",
    ".geojson": "application/geo+json",
    ".toml": "text/plain; charset=utf-8",
    ".pdf": "application/pdf",
    ".txt": "text/plain; charset=utf-8",
}
_PART = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]*")
_LOCK = threading.Lock()


@contextlib.asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    yield
    jobs = getattr(app.state, "report_jobs", None)
    if jobs is not None:
        jobs.close()


_ERRORS: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    404: {"model": ErrorBody, "description": "No report has this id (or it is not finished)"},
    503: {"model": ErrorBody, "description": "Too many reports being built; try again later"},
}
router = APIRouter(prefix="/api", tags=["reports"], responses=_ERRORS, lifespan=_lifespan)
ReportId = Annotated[str, Path(max_length=64, description="The report job's id.")]


class NewReport(BaseModel):
    model_config = ConfigDict(extra="forbid")

    scenario: dict[str, Any] | None = Field(
        None,
        description="The scenario's fields, as the page and saved scenarios have them: from, "
        "vs, system or range, minutes, profile, title (docs/web.md).",
    )
    scenario_id: str | None = Field(
        None, max_length=64, description="Or the share id of a saved scenario."
    )
    title: str | None = Field(None, description="The report's title (default: the scenario's).")


class ReportStatus(BaseModel):
    id: str
    status: str = Field(description="queued, running, done or failed")
    title: str
    created_at: str
    started_at: str | None = None
    finished_at: str | None = None
    step: str | None = Field(None, description="What a running build is doing")
    steps_done: int = 0
    error: str | None = Field(None, description="Why a failed build failed (one line)")
    status_url: str
    report_url: str | None = Field(None, description="The report, once done")


def _jobs(request: Request) -> Any:
    from reachmap.web.reports import ReportJobs

    state = request.app.state
    jobs = getattr(state, "report_jobs", None)
    if jobs is None:
        with _LOCK:
            jobs = getattr(state, "report_jobs", None)
            if jobs is None:
                jobs = state.report_jobs = ReportJobs(state.settings)
    return jobs


def _answer(status: dict[str, Any], code: int = 200) -> JSONResponse:
    rid = status["id"]
    body = {k: status.get(k) for k in ReportStatus.model_fields if k not in ("status_url",)}
    body["steps_done"] = int(status.get("steps_done") or 0)
    body["status_url"] = f"/api/reports/{rid}"
    body["report_url"] = f"/api/reports/{rid}/" if status["status"] == "done" else None
    headers = {"Location": str(body["status_url"])} if code == 202 else None
    return JSONResponse(body, status_code=code, headers=headers)


def _not_found(report_id: str) -> ApiError:
    from reachmap.errors import shown

    return ApiError(404, "not_found", f"no report has the id {shown(report_id)}", "id")


@router.post(
    "/reports",
    status_code=202,
    summary="Build the HTML report of a scenario (a job)",
    responses={200: {"model": ReportStatus}, 202: {"model": ReportStatus}},
)
async def create(request: Request, body: NewReport) -> JSONResponse:
    """Queue the report of the page's scenario (or of a saved one, ``scenario_id``): 202
    with its status URL; 200 if the same scenario's report is kept already."""
    from reachmap.web import jobs
    from reachmap.web.report_scenario import areas_of, report_scenario_of

    if (body.scenario is None) == (body.scenario_id is None):
        raise ApiError(
            422, "invalid_parameter", "give either `scenario` or `scenario_id`", "scenario"
        )
    params, title = body.scenario, body.title
    if body.scenario_id is not None:
        from reachmap.web.api_scenarios import _answers, _store

        with _answers():
            saved = _store(request).get(body.scenario_id)
        params = saved.params
        title = title if title is not None else (saved.title or None)
    today = dt.datetime.now(dt.UTC).date().isoformat()
    sc = report_scenario_of(title, params, today)
    assert params is not None
    areas = {f"scenario.{k}": areas_of(params, k) for k in ("from", "vs")}
    await request.app.state.compute.run(jobs.report_areas, areas=areas)
    status = _jobs(request).submit(sc.text, sc.title)
    return _answer(status, 200 if status["status"] == "done" else 202)


@router.get(
    "/reports/{report_id}",
    summary="The state of a report job",
    responses={200: {"model": ReportStatus}},
)
def read(request: Request, report_id: ReportId) -> JSONResponse:
    """queued, running (with the step), done (with ``report_url``) or failed (with
    ``error``)."""
    status = _jobs(request).status(report_id)
    if status is None:
        raise _not_found(report_id)
    return _answer(status)


def _file(request: Request, report_id: str, path: str) -> FileResponse:
    jobs = _jobs(request)
    folder = jobs.report_dir(report_id)
    if folder is None:
        status = jobs.status(report_id)
        if status is None:
            raise _not_found(report_id)
        raise ApiError(404, "not_found", f"the report is not ready: it is {status['status']}", "id")
    parts = path.split("/")
    target = folder.joinpath(*parts)
    if not all(_PART.fullmatch(p) for p in parts) or not target.is_file():
        raise ApiError(404, "not_found", "the report has no such file", "path")
    kind = _TYPES.get(target.suffix.lower(), "application/octet-stream")
    headers = {"Content-Security-Policy": REPORT_CSP, "Cache-Control": "private, max-age=3600"}
    return FileResponse(target, media_type=kind, headers=headers)


@router.get("/reports/{report_id}/", summary="The finished report (HTML)")
def report_page(request: Request, report_id: ReportId) -> FileResponse:
    """The report's ``index.html`` (maps inside it; its files beside it)."""
    return _file(request, report_id, "index.html")


@router.get("/reports/{report_id}/{path:path}", summary="A file of the finished report")
def report_file(request: Request, report_id: ReportId, path: str) -> FileResponse:
    """A file of the report folder: its maps (PNG, SVG), tables (CSV), geometry
    (GeoJSON) and ``scenario.toml``."""
    return _file(request, report_id, path)
