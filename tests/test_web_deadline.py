"""Every computation runs under a deadline in a worker process: a heavy envelope is
answered 503 in the error shape, the worker computing it is replaced, and other
requests are served meanwhile (no timing assertions: the order of events is checked)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from reachmap.web.app import create_app
from reachmap.web.params import EnvelopeParams, job_args
from reachmap.web.settings import Settings

#: Canada at 10 km: 15-30 s of tracing (docs/limits.md), far past the deadline below
HEAVY = {"from": "CAN", "range": "10", "tolerance": "50"}


@pytest.fixture
def short_deadline(web_client: TestClient) -> Iterator[TestClient]:
    """The session's app with a deadline of 3 s (Settings.deadline_s) for one test: a new
    app would start its own workers, which takes seconds."""
    compute = web_client.app.state.compute  # type: ignore[attr-defined]
    saved, compute.deadline_s = compute.deadline_s, 3.0
    yield web_client
    compute.deadline_s = saved


def test_heavy_envelope_is_503_while_others_are_served(short_deadline: TestClient) -> None:
    client = short_deadline
    app: Any = client.app
    answers: dict[str, Any] = {}
    heavy = threading.Thread(
        target=lambda: answers.update(heavy=client.get("/api/envelope", params=HEAVY))
    )
    heavy.start()
    light = client.get("/api/flight", params={"distance": "1000"})
    served_during_heavy = heavy.is_alive()
    heavy.join()
    assert light.status_code == 200
    assert served_during_heavy  # the light answer came while the heavy one still ran
    response = answers["heavy"]
    assert response.status_code == 503
    err = response.json()["error"]
    assert err["code"] == "deadline_exceeded"
    assert "3 s" in err["message"]
    # the killed worker is replaced: the pool is whole again and answers
    assert app.state.compute.wait_ready()
    again = client.get("/api/areas/BLR", params={"format": "json"})
    assert again.status_code == 200
    # the 503 is not cached as the answer to the heavy request
    key = job_args(EnvelopeParams.model_validate({**HEAVY, "from": [HEAVY["from"]]}))
    assert app.state.cache.get(("envelope", key)) is None


def test_work_refused_up_front_is_413_not_503(web_client: TestClient) -> None:
    response = web_client.get("/api/envelope", params={"from": "CAN", "range": "1"})
    assert response.status_code == 413
    err = response.json()["error"]
    assert err["code"] == "too_large" and err["field"] == "range"
    assert "too detailed" in err["message"]


def test_deadline_and_pool_come_from_the_settings() -> None:
    app = create_app(Settings(deadline_s=2.5, compute_workers=3))
    assert (app.state.compute.deadline_s, app.state.compute.size) == (2.5, 3)
