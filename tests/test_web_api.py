"""The JSON API through an in-process ASGI client: each endpoint answers what the command
line prints with ``--format json`` for the same options, and every bad input is a 4xx
in the one error shape, naming the field to fix."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from reachmap.web.settings import Settings


@pytest.fixture
def client(web_client: TestClient) -> TestClient:
    return web_client


def cli_json(cli: Any, *args: str) -> Any:
    code, out, err = cli(*args, "--format", "json")
    assert code == 0, err
    return json.loads(out)


def error_of(response: Any, status: int) -> dict[str, Any]:
    """The error of an answer, checked to be in the one shape."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "field"}
    assert body["error"]["message"]
    return body["error"]


# --- same JSON as the command line -------------------------------------------------------------


def test_systems_is_the_cli_json(client: TestClient, cli: Any) -> None:
    assert client.get("/api/systems").json() == cli_json(cli, "systems")


def test_one_system_is_the_cli_json(client: TestClient, cli: Any) -> None:
    got = client.get("/api/systems/SS-20").json()
    assert got == cli_json(cli, "systems", "SS-20")
    assert got["id"] == "rsd-10"


@pytest.mark.parametrize("fmt", ["json", "geojson"])
def test_sites_is_the_cli_json(client: TestClient, cli: Any, fmt: str) -> None:
    code, out, err = cli("sites", "--format", fmt)
    assert code == 0, err
    assert client.get("/api/sites", params={"format": fmt}).json() == json.loads(out)


@pytest.mark.parametrize("spec", ["BLR", "kapustin-yar", "53.71,31.70", "Minsk"])
def test_area_is_the_cli_json_and_geojson(client: TestClient, cli: Any, spec: str) -> None:
    assert client.get(f"/api/areas/{spec}", params={"format": "json"}).json() == cli_json(
        cli, "area", spec
    )
    got = client.get(f"/api/areas/{spec}")
    assert got.headers["content-type"] == "application/geo+json"
    assert got.json() == json.loads(cli("area", spec)[1])


def test_uploaded_geojson_area_is_the_cli_area_of_the_same_file(
    client: TestClient, cli: Any, tmp_path: Any
) -> None:
    shape = {
        "type": "Polygon",
        "coordinates": [[[27.0, 53.0], [28.5, 53.0], [28.5, 54.2], [27.0, 54.2], [27.0, 53.0]]],
    }
    path = tmp_path / "geojson.geojson"
    path.write_text(json.dumps(shape))
    got = client.post("/api/areas", json={"geojson": shape}).json()
    want = json.loads(cli("area", str(path))[1])
    # the same vertices and edges; only the label differs (a file name vs "geojson")
    assert got["features"][0]["geometry"] == want["features"][0]["geometry"]
    summary = client.post("/api/areas", json={"geojson": shape, "format": "json"}).json()
    assert summary["area_km2"] == pytest.approx(cli_json(cli, "area", str(path))["area_km2"])


# --- one error shape ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "field", "words"),
    [
        ("/api/areas/Belaru", "spec", "Did you mean: 'Belarus'"),
        ("/api/areas/91,27", "spec", "latitude 91 is outside -90..90"),
        ("/api/areas/53,181", "spec", "longitude 181 is outside"),
        ("/api/areas/BLR?format=xml", "format", "format"),
        ("/api/areas/BLR?bogus=1", "bogus", "bogus"),
        ("/api/systems/no-such-missile", "name", "unknown system"),
        ("/api/areas/..%2F..%2Fetc%2Fpasswd.json", None, ""),
        ("/api/areas/secrets.geojson", "spec", "reads no files"),
        ("/api/areas/~", "spec", ""),
    ],
)
def test_bad_input_is_a_4xx_naming_the_field(
    client: TestClient, path: str, field: str | None, words: str
) -> None:
    response = client.get(path)
    assert 400 <= response.status_code < 500, response.text
    err = error_of(response, response.status_code)
    assert err["field"] == field
    assert words in err["message"]


def test_invalid_uploaded_geojson_names_its_json_path(client: TestClient) -> None:
    bad = {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": None}]}
    bad["features"].append(
        {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0]]]}}
    )
    err = error_of(client.post("/api/areas", json={"geojson": bad}), 422)
    assert err["field"] == "geojson"
    assert "$.features[1]" in err["message"]


def test_too_many_uploaded_vertices_is_413_naming_geojson(client: TestClient) -> None:
    points = [[i * 1e-4, 0.0] for i in range(100_001)]
    body = {"geojson": {"type": "MultiPoint", "coordinates": points}}
    err = error_of(client.post("/api/areas", json=body), 413)
    assert err["field"] == "geojson"
    assert "100,000 vertices" in err["message"]


def test_too_many_launch_areas_names_from(client: TestClient) -> None:
    err = error_of(client.post("/api/areas", json={"from": ["BLR"] * 101}), 422)
    assert err["field"] == "from"


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("GET", "/api/nothing-here", 404, "not_found"),
        ("GET", "/no-such-page", 404, "not_found"),
        ("DELETE", "/api/systems", 405, "method_not_allowed"),
        ("POST", "/api/sites", 405, "method_not_allowed"),
    ],
)
def test_framework_errors_have_the_shape(
    client: TestClient, method: str, path: str, status: int, code: str
) -> None:
    assert error_of(client.request(method, path), status)["code"] == code


def test_malformed_json_body_is_422(client: TestClient) -> None:
    response = client.post(
        "/api/areas", content=b'{"from": [', headers={"content-type": "application/json"}
    )
    assert error_of(response, 422)["code"] == "invalid_parameter"


# --- hardening ---------------------------------------------------------------------------------


def test_body_over_the_limit_is_413_from_its_length_and_while_streaming(
    client: TestClient,
) -> None:
    limit = Settings().max_body_bytes
    big = json.dumps({"from": ["BLR"], "pad": "y" * limit}).encode()
    assert error_of(client.post("/api/areas", content=big), 413)["code"] == "too_large"

    def chunks() -> Iterator[bytes]:  # no Content-Length: chunked transfer
        yield b'{"from": ["BLR"], "pad": "'
        for _ in range(limit // 65536 + 1):
            yield b"y" * 65536
        yield b'"}'

    err = error_of(client.post("/api/areas", content=chunks()), 413)
    assert f"{limit:,} bytes" in err["message"]
    small = client.post("/api/areas", json={"from": ["BLR"], "format": "json"})
    assert small.status_code == 200


def test_security_headers_on_answers_and_errors(client: TestClient) -> None:
    for response in (client.get("/api/systems"), client.get("/api/nothing")):
        csp = response.headers["content-security-policy"]
        assert "default-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"


def test_no_cors_by_default(client: TestClient) -> None:
    origin = {"origin": "https://evil.example"}
    response = client.get("/api/systems", headers=origin)
    assert response.status_code == 200
    assert not any(h.lower().startswith("access-control-") for h in response.headers)
    pre = client.options("/api/systems", headers={**origin, "access-control-request-method": "GET"})
    assert not any(h.lower().startswith("access-control-") for h in pre.headers)


def test_docs_is_a_plain_page_of_the_schema_without_scripts_or_cdn(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    for path in ("/api/systems", "/api/sites", "/api/areas/{spec}", "/api/reach", "/api/flight"):
        assert path in schema["paths"]
    page = client.get("/docs")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    html = page.text
    assert "<script" not in html and "<style" not in html
    assert "https://" not in html and "http://" not in html  # nothing from elsewhere
    assert "GET /api/reach" in html and "min_population" in html


def test_docs_escapes_every_text() -> None:
    from reachmap.web.api_docs import render

    spec = {
        "info": {"title": "<script>x</script>", "description": "a & b"},
        "paths": {"/p": {"get": {"summary": "<b>", "parameters": [
            {"name": "<i>", "in": "query", "schema": {"type": "string"}}]}}},
    }  # fmt: skip
    html = render(spec)
    assert "<script>x" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
    assert "&lt;i&gt;" in html and "a &amp; b" in html


def test_the_command_line_does_not_load_the_web_framework() -> None:
    web = "{'fastapi', 'uvicorn', 'starlette', 'pydantic'}"
    code = f"import sys, reachmap.cli; print(sorted({web} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
