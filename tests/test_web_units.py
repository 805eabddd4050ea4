"""``units`` in the web API: every endpoint whose command has ``--units`` takes it (GET
query parameter, POST JSON field) and answers exactly the command line's ``--format json
--units U`` (or its GeoJSON); a bad unit is a 422 naming ``units``."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from test_web_geo import _body, _cli

#: (endpoint, query parameters, the same command line)
SAME_IN_UNITS = [
    (
        "reach",
        [("from", "BLR"), ("system", "oreshnik"), ("targets", "capitals"), ("units", "mi")],
        ["reach", "--from", "BLR", "--system", "oreshnik", "--targets", "capitals", "--units",
         "mi", "--format", "json"],
    ),
    (
        "reach",
        [("from", "BLR"), ("range", "300,1000"), ("targets", "capitals"), ("units", "nmi")],
        ["reach", "--from", "BLR", "--range", "300,1000", "--targets", "capitals", "--units",
         "nmi", "--format", "json"],
    ),
    (
        "reach",
        [("from", "BLR"), ("range", "1500"), ("targets", "countries"), ("in", "POL,LTU"),
         ("units", "mi")],
        ["reach", "--from", "BLR", "--range", "1500", "--targets", "countries", "--in", "POL,LTU",
         "--units", "mi", "--format", "json"],
    ),
    (
        "reach",
        [("from", "BLR"), ("range", "1000"), ("targets", "countries"), ("vs", "kapustin-yar"),
         ("in", "nato"), ("units", "nmi")],
        ["reach", "--from", "BLR", "--range", "1000", "--targets", "countries", "--vs",
         "kapustin-yar", "--in", "nato", "--units", "nmi", "--format", "json"],
    ),
    (
        "compare",
        [("from", "BLR"), ("vs", "kapustin-yar"), ("system", "oreshnik"), ("units", "MI")],
        ["compare", "--from", "BLR", "--vs", "kapustin-yar", "--system", "oreshnik", "--units",
         "MI", "--format", "json"],
    ),
    (
        "envelope",
        [("from", "Minsk"), ("system", "iskander-m"), ("units", "mi")],
        ["envelope", "--from", "Minsk", "--system", "iskander-m", "--units", "mi"],
    ),
    (
        "envelope",
        [("from", "Minsk"), ("range", "1000"), ("vs", "kapustin-yar"), ("tolerance", "200"),
         ("format", "json"), ("units", "nmi")],
        ["envelope", "--from", "Minsk", "--range", "1000", "--vs", "kapustin-yar", "--tolerance",
         "200", "--format", "json", "--units", "nmi"],
    ),
    (
        "envelope",
        [("from", "Minsk"), ("range", "300,600km"), ("units", "mi")],
        ["envelope", "--from", "Minsk", "--range", "300,600km", "--units", "mi"],
    ),
    (
        "isochrones",
        [("from", "Minsk"), ("system", "oreshnik"), ("minutes", "5,10"), ("units", "nmi")],
        ["isochrones", "--from", "Minsk", "--system", "oreshnik", "--minutes", "5,10", "--units",
         "nmi"],
    ),
    (
        "flight",
        [("from", "kapustin-yar"), ("to", "Dnipro"), ("system", "oreshnik"), ("time", "15min"),
         ("units", "mi")],
        ["flight", "--from", "kapustin-yar", "--to", "Dnipro", "--system", "oreshnik", "--time",
         "15min", "--units", "mi", "--format", "json"],
    ),
    ("flight", [("distance", "1000"), ("units", "nmi")],
     ["flight", "--distance", "1000", "--units", "nmi", "--format", "json"]),
]  # fmt: skip


@pytest.mark.parametrize(("endpoint", "params", "argv"), SAME_IN_UNITS)
def test_answer_in_units_is_the_cli_json_in_units(
    web_client: TestClient, cli: Any, endpoint: str, params: list[tuple[str, str]], argv: list[str]
) -> None:
    want = _cli(cli, argv)
    unit = argv[argv.index("--units") + 1].lower()
    # the command line did convert (a list, as flight's, has no top `units`): can fail
    assert f'_{unit}":' in json.dumps(want)
    got = web_client.get(f"/api/{endpoint}", params=params)
    assert got.status_code == 200, got.text
    assert got.json() == want
    posted = web_client.post(f"/api/{endpoint}", json=_body(endpoint, params))
    assert posted.status_code == 200, posted.text
    assert posted.json() == want


def test_reach_in_miles_adds_miles_beside_each_km_field(web_client: TestClient) -> None:
    params = {"from": "BLR", "system": "oreshnik", "targets": "capitals"}
    km = web_client.get("/api/reach", params=params).json()
    mi = web_client.get("/api/reach", params={**params, "units": "mi"}).json()
    assert "units" not in km and mi["units"] == "mi"
    assert len(mi["targets"]) == len(km["targets"]) > 10
    for a, b in zip(km["targets"], mi["targets"], strict=True):
        assert b["distance_km"] == a["distance_km"]  # existing fields unchanged
        # the international mile is 1,609.344 m exactly; 1e-9 km is a micrometre
        assert b["distance_mi"] * 1.609344 == pytest.approx(a["distance_km"], abs=1e-9)
    assert mi["range_mi"] * 1.609344 == pytest.approx(km["range_km"], abs=1e-9)


@pytest.mark.parametrize(("path", "argv"), [
    ("/api/systems", ["systems"]),
    ("/api/systems/oreshnik", ["systems", "oreshnik"]),
])  # fmt: skip
@pytest.mark.parametrize("unit", ["mi", "nmi"])
def test_systems_in_units_are_the_cli_json(
    web_client: TestClient, cli: Any, path: str, argv: list[str], unit: str
) -> None:
    want = _cli(cli, [*argv, "--units", unit, "--format", "json"])
    assert f'_{unit}":' in json.dumps(want)
    got = web_client.get(path, params={"units": unit})
    assert got.status_code == 200, got.text
    assert got.json() == want


@pytest.mark.parametrize(("method", "path", "params"), [
    ("get", "/api/reach", {"from": "BLR", "range": "100", "units": "furlong"}),
    ("post", "/api/reach", {"from": ["BLR"], "range": "100", "units": "leagues"}),
    ("get", "/api/envelope", {"from": "BLR", "range": "100", "units": "m"}),
    ("post", "/api/compare", {"from": ["BLR"], "vs": ["POL"], "range": "100", "units": ""}),
    ("get", "/api/isochrones", {"from": "BLR", "system": "oreshnik", "units": "ft"}),
    ("get", "/api/flight", {"distance": "1000", "units": "parsec"}),
    ("get", "/api/systems", {"units": "yd"}),
    ("get", "/api/systems/oreshnik", {"units": "cubit"}),
])  # fmt: skip
def test_bad_unit_is_422_naming_units(
    web_client: TestClient, method: str, path: str, params: dict[str, Any]
) -> None:
    if method == "get":
        response = web_client.get(path, params=params)
    else:
        response = web_client.post(path, json=params)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["field"] == "units"
    assert "km, mi, nmi" in error["message"]


def test_post_unit_must_be_text(web_client: TestClient) -> None:
    response = web_client.post("/api/reach", json={"from": ["BLR"], "range": "100", "units": 5})
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "units"


def test_lengths_inside_km_objects_and_lists_are_converted(cli: Any) -> None:
    """Regression: ``range_mi`` of a system and ``ranges_nmi`` of a ring set were copies
    of the km values (5000 "mi"); the lengths inside are converted, the text kept."""
    system = _cli(cli, ["systems", "oreshnik", "--units", "mi", "--format", "json"])
    km, mi = system["range_km"], system["range_mi"]
    # 1 mi = 1.609344 km exactly; 1e-9 km is a micrometre
    assert mi["low"] * 1.609344 == pytest.approx(km["low"], abs=1e-9)
    assert mi["high"] * 1.609344 == pytest.approx(km["high"], abs=1e-9)
    assert mi["low"] < km["low"] and mi["note"] == km["note"] and mi["sources"] == km["sources"]
    rings = _cli(cli, ["reach", "--from", "BLR", "--range", "300,1000", "--targets", "capitals",
                       "--units", "nmi", "--format", "json"])  # fmt: skip
    found: list[tuple[list[float], list[float]]] = []

    def walk(obj: Any) -> None:
        if isinstance(obj, dict):
            if "ranges_km" in obj:
                found.append((obj["ranges_km"], obj["ranges_nmi"]))
            for v in obj.values():
                walk(v)
        elif isinstance(obj, list):
            for v in obj:
                walk(v)

    walk(rings)
    assert found
    for ranges_km, ranges_nmi in found:
        assert ranges_km == [300.0, 1000.0]
        assert ranges_nmi == pytest.approx([300 / 1.852, 1000 / 1.852], abs=1e-9)
