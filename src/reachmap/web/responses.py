"""Answers: pre-encoded JSON bytes, with an ETag (304 to a client that already has
them) and gzip once a compressed copy exists, and the error responses documented in
OpenAPI."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from reachmap.web.cache import GZIP_MIN_BYTES, Answer
from reachmap.web.errors import ErrorBody

__all__ = ["ERRORS", "answer_response", "json_bytes"]

#: the error answers every endpoint documents (all in the one shape)
ERRORS: dict[int | str, dict[str, Any]] = {
    413: {"model": ErrorBody, "description": "Input past a limit (docs/web.md)"},
    422: {"model": ErrorBody, "description": "Bad input: the message says which field and why"},
    503: {"model": ErrorBody, "description": "The computation took longer than the deadline"},
}

_compressing: set[asyncio.Future[bytes]] = set()  # kept until done (no task is lost)


def _media_type(geojson: bool) -> str:
    return "application/geo+json" if geojson else "application/json"


def json_bytes(data: bytes, *, geojson: bool = False) -> Response:
    """``data`` (JSON already encoded) as the answer."""
    return Response(content=data, media_type=_media_type(geojson))


def _matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
    return "*" in tags or etag in tags


def _accepts_gzip(accept_encoding: str | None) -> bool:
    for item in (accept_encoding or "").lower().split(","):
        name, _, q = item.strip().partition(";")
        if name.strip() == "gzip":
            return q.strip().replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def answer_response(request: Request, answer: Answer, *, geojson: bool = False) -> Response:
    """``answer`` for ``request``: 304 if its ``If-None-Match`` names the ETag; the gzip
    copy if the client accepts gzip and the copy exists (else the plain bytes now, and
    the copy is made in a thread for the next request: compressing is never on the way
    of an answer)."""
    headers = {"ETag": answer.etag, "Cache-Control": "no-cache", "Vary": "Accept-Encoding"}
    if _matches(request.headers.get("if-none-match"), answer.etag):
        return Response(status_code=304, headers=headers)
    kind = _media_type(geojson)
    if len(answer.data) >= GZIP_MIN_BYTES and _accepts_gzip(request.headers.get("accept-encoding")):
        packed = answer.gzip_ready()
        if packed is not None:
            headers["Content-Encoding"] = "gzip"
            return Response(packed, media_type=kind, headers=headers)
        job = asyncio.get_running_loop().run_in_executor(None, answer.gzipped)
        _compressing.add(job)
        job.add_done_callback(_compressing.discard)
    return Response(answer.data, media_type=kind, headers=headers)
