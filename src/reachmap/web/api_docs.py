"""``/docs``: the API reference as one plain HTML page, made on the server from the
OpenAPI schema (``/openapi.json``): every endpoint with its parameters and their
descriptions, and the error shape. No script and no file from elsewhere (Swagger UI
would load from a CDN); every text is HTML-escaped.
"""

from __future__ import annotations

from html import escape
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

__all__ = ["render", "router"]

router = APIRouter(include_in_schema=False)

_STYLE = (
    "body{font:15px/1.45 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
    "code{background:#f2f2f2;padding:0 .2em}table{border-collapse:collapse;margin:.4rem 0 1.2rem}"
    "td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left;vertical-align:top}"
)


def _schema_type(schema: dict[str, Any]) -> str:
    if "anyOf" in schema:
        return " | ".join(_schema_type(s) for s in schema["anyOf"])
    if "enum" in schema:
        return " | ".join(repr(v) for v in schema["enum"])
    if schema.get("type") == "array":
        return f"list of {_schema_type(schema.get('items', {}))}"
    return str(schema.get("type", "object"))


def _parameters(op: dict[str, Any], spec: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    rows = [
        (p["name"], p["in"], _schema_type(p.get("schema", {})), p.get("description", ""))
        for p in op.get("parameters", [])
    ]
    body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
    ref = body.get("schema", {}).get("$ref", "")
    if ref:
        model = spec["components"]["schemas"][ref.rsplit("/", 1)[-1]]
        for name, field in model.get("properties", {}).items():
            rows.append((name, "body", _schema_type(field), field.get("description", "")))
    return rows


def render(spec: dict[str, Any]) -> str:
    """The reference page of an OpenAPI ``spec`` (all text escaped)."""
    info = spec.get("info", {})
    out = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{escape(info.get('title', 'API'))} API</title>",
        "<link rel='stylesheet' href='/docs.css'></head><body>",
        f"<h1>{escape(info.get('title', 'API'))} {escape(str(info.get('version', '')))} API</h1>",
        f"<p>{escape(info.get('description', ''))}</p>",
        "<p>Machine-readable: <a href='/openapi.json'>/openapi.json</a>.</p>",
    ]
    for path, item in spec.get("paths", {}).items():
        for method, op in item.items():
            out.append(f"<h2><code>{escape(method.upper())} {escape(path)}</code></h2>")
            out.append(f"<p><b>{escape(op.get('summary', ''))}</b></p>")
            if op.get("description"):
                out.append(f"<p>{escape(op['description'])}</p>")
            rows = _parameters(op, spec)
            if rows:
                out.append("<table><tr><th>name</th><th>in</th><th>type</th><th>about</th></tr>")
                for row in rows:
                    out.append("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>")
                out.append("</table>")
    out.append("</body></html>")
    return "\n".join(out)


@router.get("/docs", response_class=HTMLResponse)
def docs(request: Request) -> HTMLResponse:
    return HTMLResponse(render(request.app.openapi()))


@router.get("/docs.css")
def docs_css() -> HTMLResponse:
    return HTMLResponse(_STYLE, media_type="text/css")
