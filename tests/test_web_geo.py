"""``/api/reach``, ``/api/compare``, ``/api/envelope``, ``/api/isochrones`` and
``/api/flight`` through the in-process client: the same JSON as the command line's
``--format json`` (or GeoJSON) for the same options, GET and POST; bad input a 4xx in
the one shape naming the field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

#: (endpoint, query parameters, the same command line)
SAME = [
    (
        "reach",
        [("from", "BLR"), ("system", "oreshnik")],
        ["reach", "--from", "BLR", "--system", "oreshnik", "--format", "json"],
    ),
    (
        "reach",
        [("from", "Minsk"), ("from", "kapustin-yar"), ("range", "1000km"), ("targets", "capitals"),
         ("all", "true"), ("profile", "none")],
        ["reach", "--from", "Minsk", "--from", "kapustin-yar", "--range", "1000km", "--targets",
         "capitals", "--all", "--profile", "none", "--format", "json"],
    ),
    (
        "reach",
        [("from", "BLR"), ("system", "iskander-m"), ("targets", "capitals"), ("in", "nato")],
        ["reach", "--from", "BLR", "--system", "iskander-m", "--targets", "capitals", "--in",
         "nato", "--format", "json"],
    ),
    (
        "reach",
        [("from", "BLR"), ("range", "1500"), ("targets", "countries"), ("in", "POL,LTU")],
        ["reach", "--from", "BLR", "--range", "1500", "--targets", "countries", "--in", "POL,LTU",
         "--format", "json"],
    ),
    (
        "reach",
        [("from", "BLR"), ("range", "300,1000"), ("targets", "capitals")],
        ["reach", "--from", "BLR", "--range", "300,1000", "--targets", "capitals", "--format",
         "json"],
    ),
    (
        "reach",
        [("from", "BLR"), ("range", "1000"), ("targets", "countries"), ("vs", "kapustin-yar"),
         ("in", "nato")],
        ["reach", "--from", "BLR", "--range", "1000", "--targets", "countries", "--vs",
         "kapustin-yar", "--in", "nato", "--format", "json"],
    ),
    (
        "compare",
        [("from", "BLR"), ("vs", "kapustin-yar"), ("system", "oreshnik")],
        ["compare", "--from", "BLR", "--vs", "kapustin-yar", "--system", "oreshnik", "--format",
         "json"],
    ),
    (
        "envelope",
        [("from", "53.71,31.70"), ("range", "5000")],
        ["envelope", "--from", "53.71,31.70", "--range", "5000"],
    ),
    (
        "envelope",
        [("from", "Minsk"), ("system", "iskander-m"), ("format", "json")],
        ["envelope", "--from", "Minsk", "--system", "iskander-m", "--format", "json"],
    ),
    (
        "envelope",
        [("from", "Minsk"), ("range", "1000"), ("vs", "kapustin-yar"), ("tolerance", "200")],
        ["envelope", "--from", "Minsk", "--range", "1000", "--vs", "kapustin-yar", "--tolerance",
         "200"],
    ),
    (
        "envelope",
        [("from", "Minsk"), ("range", "300,600km")],
        ["envelope", "--from", "Minsk", "--range", "300,600km"],
    ),
    (
        "envelope",
        [("from", "Minsk"), ("system", "iskander-m"), ("rings", "true"), ("format", "json")],
        ["envelope", "--from", "Minsk", "--system", "iskander-m", "--rings", "--format", "json"],
    ),
    (
        "isochrones",
        [("from", "Minsk"), ("system", "oreshnik"), ("minutes", "5,10")],
        ["isochrones", "--from", "Minsk", "--system", "oreshnik", "--minutes", "5,10"],
    ),
    ("flight", [("distance", "1000")], ["flight", "--distance", "1000", "--format", "json"]),
    (
        "flight",
        [("from", "kapustin-yar"), ("to", "Dnipro"), ("system", "oreshnik"), ("time", "15min")],
        ["flight", "--from", "kapustin-yar", "--to", "Dnipro", "--system", "oreshnik", "--time",
         "15min", "--format", "json"],
    ),
    (
        "flight",
        [("from", "53.9,27.56"), ("to", "London"), ("to", "Kyiv"), ("system", "oreshnik"),
         ("rotating_earth", "true"), ("profile", "min-energy")],
        ["flight", "--from", "53.9,27.56", "--to", "London", "--to", "Kyiv", "--system",
         "oreshnik", "--rotating-earth", "--profile", "min-energy", "--format", "json"],
    ),
]  # fmt: skip


def _cli(cli: Any, argv: list[str]) -> Any:
    code, out, err = cli(*argv)
    assert code == 0, err
    return json.loads(out)


def _body(endpoint: str, params: list[tuple[str, str]]) -> dict[str, Any]:
    """Query parameters as a POST body: repeatable ones as lists, flags as booleans."""
    repeatable = {"to"} if endpoint == "flight" else {"from", "vs"}
    body: dict[str, Any] = {}
    for key, value in params:
        if key in repeatable:
            body.setdefault(key, []).append(value)
        elif value in ("true", "false"):
            body[key] = value == "true"
        else:
            body[key] = value
    return body


@pytest.mark.parametrize(("endpoint", "params", "argv"), SAME)
def test_answer_is_the_cli_json(
    web_client: TestClient, cli: Any, endpoint: str, params: list[tuple[str, str]], argv: list[str]
) -> None:
    want = _cli(cli, argv)
    got = web_client.get(f"/api/{endpoint}", params=params)
    assert got.status_code == 200, got.text
    assert got.json() == want
    posted = web_client.post(f"/api/{endpoint}", json=_body(endpoint, params))
    assert posted.status_code == 200, posted.text
    assert posted.json() == want


def test_envelope_again_comes_from_the_cache(web_client: TestClient) -> None:
    from reachmap.web.params import EnvelopeParams, job_args

    params = {"from": "Minsk", "range": "700", "tolerance": "500"}
    first = web_client.get("/api/envelope", params=params)
    assert first.status_code == 200
    key = job_args(EnvelopeParams.model_validate({**params, "from": ["Minsk"]}))
    cache = web_client.app.state.cache  # type: ignore[attr-defined]
    assert cache.get(("envelope", key)) == first.content
    assert web_client.get("/api/envelope", params=params).content == first.content


def test_uploaded_polygon_reach_is_the_cli_reach_of_the_same_file(
    web_client: TestClient, cli: Any, tmp_path: Path
) -> None:
    shape = {
        "type": "Feature",
        "properties": {"name": "<script>alert(1)</script>"},
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[27.0, 53.0], [28.5, 53.0], [28.5, 54.2], [27.0, 54.2], [27.0, 53.0]]],
        },
    }
    path = tmp_path / "shape.geojson"
    path.write_text(json.dumps(shape))
    want = _cli(cli, ["reach", "--from", str(path), "--range", "800", "--targets", "capitals",
                      "--format", "json"])  # fmt: skip
    got = web_client.post(
        "/api/reach", json={"geojson": shape, "range": 800, "targets": "capitals"}
    ).json()
    assert got["targets"] == want["targets"]
    assert got["summary"] == want["summary"]


# --- bad input -----------------------------------------------------------------------------------

BAD = [
    ("reach", [("from", "Belaru"), ("system", "oreshnik")], 422, "from", "Did you mean: 'Belarus'"),
    ("reach", [("from", "91,27"), ("range", "100")], 422, "from", "latitude 91 is outside -90..90"),
    ("reach", [("from", "BLR"), ("range", "0")], 422, "range", "positive"),
    ("reach", [("from", "BLR"), ("range", "-5")], 422, "range", ""),
    ("reach", [("from", "BLR"), ("range", "30000")], 422, "range", "half the Earth's"),
    ("reach", [("from", "BLR"), ("range", "20038km")], 422, "range", "20,037.5 km"),
    ("reach", [("from", "BLR"), ("range", "nan")], 422, "range", ""),
    ("reach", [("from", "BLR")], 422, "system", "no range given"),
    ("reach", [("from", "BLR"), ("system", "oreshnik"), ("range", "5")], 422, "system", "not both"),
    ("reach", [("from", "BLR"), ("system", "Oreshnick")], 422, "system", "oreshnik"),
    ("reach", [("range", "100")], 422, "from", "no launch area given"),
    ("reach", [("from", "BLR"), ("range", "100"), ("targets", "nowhere")], 422, "targets", "unkn"),
    ("reach", [("from", "BLR"), ("range", "100"), ("targets", "/etc/passwd")], 422, "targets",
     "reads no files"),
    ("reach", [("from", "/etc/hostname"), ("range", "100")], 422, "from", "reads no files"),
    ("reach", [("from", "x.geojson"), ("range", "100")], 422, "from", "geojson"),
    ("reach", [("from", "BLR"), ("range", "100"), ("in", "atlantis")], 422, "in", "atlantis"),
    ("reach", [("from", "BLR"), ("range", "100"), ("min_population", "10")], 422, "min_population",
     ""),
    ("reach", [("from", "BLR"), ("system", "iskander-m"), ("profile", "sideways")], 422, "profile",
     ""),
    ("reach", [("from", "BLR"), ("range", "100"), ("limit", "5")], 422, "limit", ""),
    ("reach", [("from", "BLR")] * 101 + [("range", "100")], 422, "from", "100"),
    ("compare", [("from", "BLR"), ("system", "oreshnik")], 422, "vs", "vs"),
    ("reach", [("from", "BLR"), ("range", "100"), ("vs", "RUS")], 422, "vs", "countries"),
    ("reach", [("from", "BLR"), ("range", "100,200"), ("vs", "RUS")], 422, "vs", "ring set"),
    ("envelope", [("from", "BLR"), ("range", "100"), ("tolerance", "0.1")], 422, "tolerance", ""),
    ("envelope", [("from", "BLR"), ("range", "100"), ("format", "kml")], 422, "format", ""),
    ("isochrones", [("from", "BLR"), ("minutes", "5")], 422, "system", "system"),
    ("isochrones", [("from", "BLR"), ("system", "oreshnik"), ("minutes", "soon")], 422, "minutes",
     ""),
    ("isochrones", [("from", "BLR"), ("system", "oreshnik"),
                    ("minutes", ",".join(str(m) for m in range(1, 26)))], 413, "minutes", "24"),
    ("flight", [], 422, "distance", "distance"),
    ("flight", [("distance", "0")], 422, "distance", ""),
    ("flight", [("distance", "100"), ("from", "BLR"), ("to", "Kyiv")], 422, "distance", "not both"),
    ("flight", [("from", "BLR"), ("to", "Qwxztville")], 422, "to", "unknown place"),
    ("flight", [("from", "BLR"), ("to", "Minsk")], 422, "to", "inside the launch area"),
    ("flight", [("from", "BLR")] + [("to", "Kyiv")] * 101, 422, "to", "100"),
    ("flight", [("distance", "9000"), ("system", "oreshnik")], 422, "distance", "beyond"),
]  # fmt: skip


@pytest.mark.parametrize(("endpoint", "params", "status", "field", "words"), BAD)
def test_bad_input_is_a_4xx_naming_the_field(
    web_client: TestClient,
    endpoint: str,
    params: list[tuple[str, str]],
    status: int,
    field: str | None,
    words: str,
) -> None:
    response = web_client.get(f"/api/{endpoint}", params=params)
    assert response.status_code == status, response.text[:300]
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "field"}
    assert body["error"]["field"] == field, body
    assert words in body["error"]["message"], body


def test_bad_uploaded_geojson_names_its_path(web_client: TestClient) -> None:
    ring = [[0, 0], [1, 0], [1, 1], [0, 0]]
    bad = {"type": "MultiPolygon", "coordinates": [[ring], [[[0, 0], [1, 95], [0, 1], [0, 0]]]]}
    response = web_client.post("/api/reach", json={"geojson": bad, "range": 100})
    assert response.status_code == 422
    err = response.json()["error"]
    assert err["field"] == "geojson"
    assert "$.coordinates[1]" in err["message"] and "95" in err["message"]


def test_unknown_post_field_is_named(web_client: TestClient) -> None:
    response = web_client.post("/api/reach", json={"from": ["BLR"], "rnage": 100})
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "rnage"


def test_script_in_user_text_comes_back_as_json_never_html(web_client: TestClient) -> None:
    """User text is echoed in messages only in JSON answers (nosniff: never read as HTML)."""
    script = "<script>alert(1)</script>"
    for response in (
        web_client.get("/api/reach", params={"from": script, "range": "100"}),
        web_client.get(f"/api/areas/{script}"),
        web_client.get("/api/systems/" + script),
    ):
        assert 400 <= response.status_code < 500
        assert response.headers["content-type"].startswith("application/json")
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "text/html" not in response.headers["content-type"]
