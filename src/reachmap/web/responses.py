"""Answers: pre-encoded JSON bytes, and the error responses documented in OpenAPI."""

from __future__ import annotations

from typing import Any

from fastapi.responses import Response

from reachmap.web.errors import ErrorBody

__all__ = ["ERRORS", "json_bytes"]

#: the error answers every endpoint documents (all in the one shape)
ERRORS: dict[int | str, dict[str, Any]] = {
    413: {"model": ErrorBody, "description": "Input past a limit (docs/web.md)"},
    422: {"model": ErrorBody, "description": "Bad input: the message says which field and why"},
    503: {"model": ErrorBody, "description": "The computation took longer than the deadline"},
}


def json_bytes(data: bytes, *, geojson: bool = False) -> Response:
    """``data`` (JSON already encoded) as the answer."""
    kind = "application/geo+json" if geojson else "application/json"
    return Response(content=data, media_type=kind)
