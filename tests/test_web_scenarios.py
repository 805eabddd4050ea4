"""``/api/scenarios`` through the in-process ASGI client, on SQLite and on a real
PostgreSQL server (``store_url`` in conftest.py): save, share, change with the owner's
token, list; every refusal in the one error shape with its status."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from reachmap.web.app import create_app
from reachmap.web.settings import Settings

PAGE = {
    "title": "Oreshnik from Belarus",
    "system": "oreshnik",
    "range": None,
    "from": [{"spec": "BLR", "label": "Belarus"}, {"point": [31.7, 53.71]}],
    "targets": "capitals",
    "minutes": "5,10,15",
    "vs": None,
}


def app_client(db: str) -> TestClient:
    return TestClient(create_app(Settings(db_url=db)), raise_server_exceptions=True)


@pytest.fixture
def client(store_url: str) -> Iterator[TestClient]:
    with app_client(store_url) as c:
        yield c


def error_of(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "field"}
    assert body["error"]["code"] == code and "\n" not in body["error"]["message"]
    return body["error"]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_save_read_change_and_list(client: TestClient) -> None:
    made = client.post("/api/scenarios", json={"title": "first", "scenario": PAGE})
    assert made.status_code == 201, made.text
    body = made.json()
    sid, token = body["id"], body["owner_token"]
    assert made.headers["location"] == f"/api/scenarios/{sid}"
    assert body["share_url"] == f"http://testserver/?s={sid}"
    assert (body["title"], body["scenario"], body["version"]) == ("first", PAGE, 1)

    read = client.get(f"/api/scenarios/{sid}")
    assert read.status_code == 200
    assert "owner_token" not in read.json()
    assert read.json() == {k: v for k, v in body.items() if k != "owner_token"}

    changed = client.put(
        f"/api/scenarios/{sid}",
        json={"title": "second", "scenario": {**PAGE, "range": "5500km"}, "version": 1},
        headers=bearer(token),
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["title"], changed.json()["version"]) == ("second", 2)
    assert client.get(f"/api/scenarios/{sid}").json()["scenario"]["range"] == "5500km"

    more = client.post("/api/scenarios", json={"title": "another"}, headers=bearer(token))
    assert more.status_code == 201 and more.json()["owner_token"] == token
    listed = client.get("/api/scenarios", headers=bearer(token))
    assert listed.status_code == 200
    assert [s["title"] for s in listed.json()["scenarios"]] == ["another", "second"]
    stranger = client.post("/api/scenarios", json={}).json()["owner_token"]
    assert [s["title"] for s in client.get("/api/scenarios", headers=bearer(stranger)).json()[
        "scenarios"
    ]] == [""]  # fmt: skip


def test_only_the_owner_changes_it(client: TestClient) -> None:
    body = client.post("/api/scenarios", json={"title": "mine", "scenario": PAGE}).json()
    sid = body["id"]
    other = client.post("/api/scenarios", json={}).json()["owner_token"]
    put = {"title": "hijacked"}
    err = error_of(client.put(f"/api/scenarios/{sid}", json=put, headers=bearer(other)), 403,
                   "forbidden")  # fmt: skip
    assert err["field"] == "authorization"
    error_of(client.put(f"/api/scenarios/{sid}", json=put, headers=bearer("short")), 403,
             "forbidden")  # fmt: skip
    error_of(client.put(f"/api/scenarios/{sid}", json=put), 401, "unauthorized")
    basic = {"Authorization": f"Basic {body['owner_token']}"}
    error_of(client.put(f"/api/scenarios/{sid}", json=put, headers=basic), 401, "unauthorized")
    error_of(client.get("/api/scenarios"), 401, "unauthorized")
    assert client.get(f"/api/scenarios/{sid}").json()["title"] == "mine"


def test_only_the_owner_deletes_it(client: TestClient) -> None:
    body = client.post("/api/scenarios", json={"title": "mine", "scenario": PAGE}).json()
    sid, token = body["id"], body["owner_token"]
    other = client.post("/api/scenarios", json={}).json()["owner_token"]
    url = f"/api/scenarios/{sid}"
    error_of(client.delete(url), 401, "unauthorized")
    err = error_of(client.delete(url, headers=bearer(other)), 403, "forbidden")
    assert err["field"] == "authorization"
    error_of(client.delete(url, headers=bearer("short")), 403, "forbidden")
    assert client.get(url).status_code == 200
    gone = client.delete(url, headers=bearer(token))
    assert gone.status_code == 204 and gone.content == b""
    assert error_of(client.get(url), 404, "not_found")["field"] == "id"
    error_of(client.delete(url, headers=bearer(token)), 404, "not_found")
    error_of(client.put(url, json={"title": "x"}, headers=bearer(token)), 404, "not_found")
    assert client.get("/api/scenarios", headers=bearer(token)).json()["scenarios"] == []


def test_unknown_ids_are_404(client: TestClient) -> None:
    token = client.post("/api/scenarios", json={}).json()["owner_token"]
    for sid in ("A" * 22, "nope", "%3Cscript%3E"):
        err = error_of(client.get(f"/api/scenarios/{sid}"), 404, "not_found")
        assert err["field"] == "id"
        error_of(client.put(f"/api/scenarios/{sid}", json={"title": "x"}, headers=bearer(token)),
                 404, "not_found")  # fmt: skip


def test_a_stale_version_is_409(client: TestClient) -> None:
    body = client.post("/api/scenarios", json={"title": "t"}).json()
    sid, auth = body["id"], bearer(body["owner_token"])
    assert client.put(f"/api/scenarios/{sid}", json={"title": "a", "version": 1},
                      headers=auth).status_code == 200  # fmt: skip
    err = error_of(
        client.put(f"/api/scenarios/{sid}", json={"title": "b", "version": 1}, headers=auth),
        409,
        "conflict",
    )
    assert "now version 2" in err["message"] and err["field"] == "version"
    # without a version the last save wins (what the page does)
    last = client.put(f"/api/scenarios/{sid}", json={"title": "c"}, headers=auth)
    assert last.json()["version"] == 3


def test_a_script_title_comes_back_verbatim_as_json(client: TestClient) -> None:
    title = "<script>alert(document.cookie)</script>"
    made = client.post("/api/scenarios", json={"title": title, "scenario": {"title": title}})
    read = client.get(f"/api/scenarios/{made.json()['id']}")
    assert read.headers["content-type"] == "application/json"
    assert read.headers["x-content-type-options"] == "nosniff"
    assert read.json()["title"] == title and read.json()["scenario"]["title"] == title


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        ({"title": "x" * 201}, 413, "too_large", "title"),
        ({"title": "a\u0007b"}, 422, "invalid_input", "title"),
        ({"title": 5}, 422, "invalid_parameter", "title"),
        ({"scenario": {"form": "BLR"}}, 422, "invalid_input", "scenario"),
        ({"scenario": {"range": "-5"}}, 422, "invalid_input", "scenario.range"),
        ({"scenario": {"from": [{"point": [0, 95]}]}}, 422, "invalid_input", "scenario.from"),
        ({"scenario": {"from": "x" * 300_000}}, 413, "too_large", "scenario"),
        ({"scenario": []}, 422, "invalid_parameter", "scenario"),
        ({"owner": "me"}, 422, "invalid_parameter", "owner"),
    ],
)
def test_bad_titles_and_fields_are_4xx_naming_the_field(
    client: TestClient, body: dict[str, Any], status: int, code: str, field: str
) -> None:
    assert error_of(client.post("/api/scenarios", json=body), status, code)["field"] == field
    made = client.post("/api/scenarios", json={"title": "ok"}).json()
    put = client.put(f"/api/scenarios/{made['id']}", json=body, headers=bearer(made["owner_token"]))
    assert error_of(put, status, code)["field"] == field


def test_a_body_past_the_request_limit_is_413(tmp_path: Path) -> None:
    settings = Settings(db_url=str(tmp_path / "s.sqlite3"), max_body_bytes=10_000)
    with TestClient(create_app(settings)) as client:
        big = {"scenario": {"geojson": {"type": "Point", "pad": "x" * 20_000}}}
        error_of(client.post("/api/scenarios", json=big), 413, "too_large")


def test_a_new_app_on_the_same_database_keeps_the_scenarios(store_url: str) -> None:
    with app_client(store_url) as first:
        made = first.post("/api/scenarios", json={"title": "kept", "scenario": PAGE}).json()
    with app_client(store_url) as again:
        got = again.get(f"/api/scenarios/{made['id']}").json()
        assert (got["title"], got["scenario"]) == ("kept", PAGE)
        auth = bearer(made["owner_token"])
        assert again.put(f"/api/scenarios/{made['id']}", json={"version": 1, "title": "2"},
                         headers=auth).json()["version"] == 2  # fmt: skip


def test_an_unreachable_database_is_503() -> None:
    with app_client("postgresql://127.0.0.1:9/reachmap") as client:
        err = error_of(client.get("/api/scenarios/" + "A" * 22), 503, "store_unavailable")
        assert "cannot use the scenarios database" in err["message"]
        assert client.get("/api/systems").status_code == 200  # the rest of the app works


def test_the_scenario_endpoints_are_in_the_openapi_schema(tmp_path: Path) -> None:
    with app_client(str(tmp_path / "s.sqlite3")) as client:
        paths = client.get("/openapi.json").json()["paths"]
    assert set(paths["/api/scenarios"]) == {"get", "post"}
    assert set(paths["/api/scenarios/{scenario_id}"]) == {"get", "put", "delete"}


def test_serve_refuses_a_bad_db_in_one_line(cli: Any, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    for db in ("mysql://h/db", str(blocker / "s.sqlite3")):
        code, out, err = cli("serve", "--db", db, "--port", "1")
        assert code == 2, (out, err)
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
