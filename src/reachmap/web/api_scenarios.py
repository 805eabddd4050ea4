"""``/api/scenarios``: save a scenario, share it by link, change it with the owner's token.

* ``POST /api/scenarios`` ``{"title", "scenario"}`` -> 201 with the scenario, its
  ``owner_token`` (given out this once) and ``share_url`` (``/?s=ID``, the page's link);
  with ``Authorization: Bearer TOKEN`` the new scenario joins that owner's;
* ``GET /api/scenarios/{id}``: anyone with the id reads it;
* ``PUT /api/scenarios/{id}`` ``{"title"?, "scenario"?, "version"?}`` with
  ``Authorization: Bearer TOKEN``: only the owner changes it; ``version`` (the one read)
  makes a concurrent save a 409 instead of a lost update;
* ``DELETE /api/scenarios/{id}`` with the token: only the owner deletes it (204);
* ``GET /api/scenarios`` with the token: the owner's scenarios, newest first.

The store (:mod:`reachmap.store`) is opened from ``Settings.db_url`` on first use and
closed when the app stops. Its refusals map to 404 ``not_found``, 401
``unauthorized`` (no token), 403 ``forbidden``, 409 ``conflict`` and 503
``store_unavailable``, in the one error shape; bad titles and fields are 422/413
naming the field (``title``, ``scenario.range``).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import AsyncIterator, Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Path, Request
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field

from reachmap.store import (
    NotOwner,
    Scenario,
    ScenarioNotFound,
    ScenarioStore,
    StoreUnavailable,
    VersionConflict,
)
from reachmap.web.errors import ApiError, ErrorBody
from reachmap.web.responses import ERRORS

__all__ = ["router"]

_LOCK = threading.Lock()


@contextlib.asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    yield
    store = getattr(app.state, "scenario_store", None)
    if store is not None:
        store.close()


_ERRORS: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    401: {"model": ErrorBody, "description": "No owner token (Authorization: Bearer TOKEN)"},
    403: {"model": ErrorBody, "description": "The token is not this scenario's owner's"},
    404: {"model": ErrorBody, "description": "No scenario has this id"},
    409: {"model": ErrorBody, "description": "The scenario changed since this version"},
    503: {"model": ErrorBody, "description": "The scenarios database cannot be reached"},
}
router = APIRouter(prefix="/api", tags=["scenarios"], responses=_ERRORS, lifespan=_lifespan)
_bearer = HTTPBearer(auto_error=False, description="The owner token of the scenario.")
Token = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
ScenarioId = Annotated[str, Path(max_length=64, description="The scenario's share id.")]


class NewScenario(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field("", description="Free text, at most 200 characters (kept verbatim).")
    scenario: dict[str, Any] = Field(
        default_factory=dict,
        description="The scenario's fields, named as the API's parameters: from, vs, "
        "system, range, targets, minutes, profile, geojson, title (docs/web.md).",
    )


class ScenarioChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(None, description="A new title (left as it is if omitted).")
    scenario: dict[str, Any] | None = Field(None, description="New fields (replace the old).")
    version: int | None = Field(
        None, description="The version read; if another save came first: 409 (omitted: no check)."
    )


def _store(request: Request) -> ScenarioStore:
    state = request.app.state
    store: ScenarioStore | None = getattr(state, "scenario_store", None)
    if store is None:
        with _LOCK:
            store = getattr(state, "scenario_store", None)
            if store is None:
                with _answers():
                    store = ScenarioStore.open(state.settings.db_url)
                state.scenario_store = store
    return store


@contextlib.contextmanager
def _answers() -> Iterator[None]:
    """The store's refusals as the API's answers."""
    try:
        yield
    except ScenarioNotFound as err:
        raise ApiError(404, "not_found", str(err), "id") from None
    except NotOwner as err:
        raise ApiError(403, "forbidden", str(err), "authorization") from None
    except VersionConflict as err:
        raise ApiError(409, "conflict", str(err), "version") from None
    except StoreUnavailable as err:
        raise ApiError(503, "store_unavailable", str(err)) from None


def _token(credentials: HTTPAuthorizationCredentials | None) -> str:
    if credentials is None:
        raise ApiError(
            401,
            "unauthorized",
            "no owner token: send the header 'Authorization: Bearer TOKEN' with the token "
            "you received when the scenario was saved",
            "authorization",
        )
    return credentials.credentials


def _json(request: Request, scenario: Scenario, status: int = 200, **extra: Any) -> JSONResponse:
    body = {**scenario.to_json(), "share_url": f"{request.base_url}?s={scenario.id}", **extra}
    headers = {"Location": f"/api/scenarios/{scenario.id}"} if status == 201 else None
    return JSONResponse(body, status_code=status, headers=headers)


@router.post("/scenarios", status_code=201, summary="Save a scenario (returns its owner token)")
def create(request: Request, body: NewScenario, credentials: Token) -> JSONResponse:
    """Save a new scenario. The answer holds its share id and link and the owner token,
    which only this answer gives: keep it to change the scenario later. With an
    ``Authorization: Bearer`` token the scenario joins that owner's list."""
    store = _store(request)
    with _answers():
        made = store.create(
            body.title, body.scenario, None if credentials is None else credentials.credentials
        )
    return _json(request, made.scenario, 201, owner_token=made.owner_token)


@router.get("/scenarios/{scenario_id}", summary="A saved scenario, by its share id")
def read(request: Request, scenario_id: ScenarioId) -> JSONResponse:
    """The scenario (anyone with its id may read it; no token is given out)."""
    with _answers():
        return _json(request, _store(request).get(scenario_id))


@router.put("/scenarios/{scenario_id}", summary="Change a scenario (owner token)")
def update(
    request: Request, scenario_id: ScenarioId, body: ScenarioChange, credentials: Token
) -> JSONResponse:
    """Change the title and/or fields; only the owner's token may."""
    token = _token(credentials)
    with _answers():
        changed = _store(request).update(
            scenario_id,
            token,
            version=body.version,
            title=body.title,
            scenario_params=body.scenario,
        )
    return _json(request, changed)


@router.delete(
    "/scenarios/{scenario_id}", status_code=204, summary="Delete a scenario (owner token)"
)
def delete(request: Request, scenario_id: ScenarioId, credentials: Token) -> Response:
    """Delete the scenario for good: its link stops working. Only the owner's token may."""
    token = _token(credentials)
    with _answers():
        _store(request).delete(scenario_id, token)
    return Response(status_code=204)


@router.get("/scenarios", summary="The owner's scenarios (owner token)")
def owned(request: Request, credentials: Token) -> JSONResponse:
    """The scenarios of the owner whose token is sent, most recently changed first."""
    token = _token(credentials)
    with _answers():
        found = _store(request).list_owned(token)
    return JSONResponse(
        {"scenarios": [{**s.to_json(), "share_url": f"{request.base_url}?s={s.id}"} for s in found]}
    )
