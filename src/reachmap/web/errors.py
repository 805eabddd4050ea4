"""One error shape for every answer that is not a success:
``{"error": {"code": ..., "message": ..., "field": ...}}``.

* bad input (:class:`reachmap.errors.InputError`) -> 422 ``invalid_input``; input past a
  documented limit (:class:`reachmap.errors.TooLarge`) -> 413 ``too_large``;
* a parameter of the wrong type or shape (FastAPI's own validation) -> 422
  ``invalid_parameter``;
* an unknown path -> 404 ``not_found``, a wrong method -> 405 ``method_not_allowed``;
* a computation past its deadline -> 503 ``deadline_exceeded`` (:mod:`reachmap.web.compute`);
* anything else is a bug -> 500 ``internal_error``, with the same shape and no details.

``field`` is the request's name for what to fix (``from``, ``range``, ``geojson``...):
the parameter an error was marked with (:func:`reachmap.errors.about`) or the first one
its message names in backticks; messages name fields, not the library's parameters.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from reachmap.errors import InputError, TooLarge

__all__ = ["ApiError", "ErrorBody", "error_response", "field_message", "install"]

log = logging.getLogger("reachmap.web")

#: The request field that sets each library parameter named in a message.
PARAM_FIELDS = {
    "range_m": "range",
    "apogee_m": "apogee",
    "tolerance_m": "tolerance",
    "distance_m": "distance",
    "time_s": "time",
    "flight_profile": "profile",
}

_PARAM = re.compile(r"`(\w+)`")

_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid_input",
    503: "deadline_exceeded",
}


class ErrorDetail(BaseModel):
    code: str
    message: str
    field: str | None = None


class ErrorBody(BaseModel):
    """The body of every 4xx and 5xx answer."""

    error: ErrorDetail


class ApiError(Exception):
    """An error answer: HTTP status, code, message and the field to fix."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field


def error_response(
    status: int, code: str, message: str, field: str | None = None, headers: Any = None
) -> JSONResponse:
    body = {"error": {"code": code, "message": message, "field": field}}
    return JSONResponse(body, status_code=status, headers=headers)


def field_message(err: InputError) -> tuple[str, str | None]:
    """The message with parameters renamed to request fields, and the field to fix.

    >>> field_message(InputError("`range_m` must be positive"))
    ('range must be positive', 'range')
    """
    names = [PARAM_FIELDS.get(m, m) for m in _PARAM.findall(str(err))]
    message = _PARAM.sub(lambda m: PARAM_FIELDS.get(m[1], m[1]), str(err))
    field = err.param or (names[0] if names else None)
    return message, PARAM_FIELDS.get(field, field) if field else None


def from_input_error(err: InputError) -> ApiError:
    message, field = field_message(err)
    if isinstance(err, TooLarge):
        return ApiError(413, "too_large", message, field)
    return ApiError(422, "invalid_input", message, field)


def _validation_field(loc: tuple[Any, ...]) -> str | None:
    """``("query", "from", 3)`` -> ``from``; ``("body", "geojson", "features")`` ->
    ``geojson.features``."""
    parts = [str(p) for p in loc[1:] if not isinstance(p, int)] if loc else []
    return ".".join(parts) or None


def install(app: FastAPI) -> None:
    """Register the handlers that give every error the one shape."""

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.field)

    @app.exception_handler(InputError)
    async def input_error(request: Request, exc: InputError) -> JSONResponse:
        api = from_input_error(exc)
        return error_response(api.status, api.code, api.message, api.field)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        first = errors[0] if errors else {}
        field = _validation_field(tuple(first.get("loc", ())))
        msg = str(first.get("msg", "invalid request"))
        message = f"{field}: {msg}" if field else msg
        if len(errors) > 1:
            message += f" (and {len(errors) - 1} more)"
        return error_response(422, "invalid_parameter", message, field)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        code = _CODES.get(exc.status_code, "error")
        message = str(exc.detail) if exc.detail else code.replace("_", " ")
        if exc.status_code == 404 and exc.detail == "Not Found":
            message = f"no such page or endpoint: {request.url.path[:200]} (see /openapi.json)"
        return error_response(exc.status_code, code, message, None, getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> JSONResponse:
        log.exception("internal error on %s", request.url.path)
        return error_response(
            500, "internal_error", "internal error: this is a bug in reachmap; please report it"
        )
