"""The OpenAPI schema fuzzed in-process with schemathesis: whatever the generated
parameters and bodies, the API answers without a server error (no 5xx), within a
bounded number of examples per operation.

(Operations are parametrized by hand: schemathesis's ``from_fixture`` does not run
under pytest 9.)
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from reachmap.web.app import create_app
from reachmap.web.settings import Settings

#: examples per operation: 15 operations x this stays within about half a minute
MAX_EXAMPLES = 25

#: (method, path) of every operation, from the schema of an app that starts no worker
OPERATIONS = sorted(
    (method.upper(), path)
    for path, item in create_app(Settings()).openapi()["paths"].items()
    for method in item
)


def without_lifespan(app: Any) -> Any:
    """The app without its lifespan (the session's client keeps its workers running):
    schemathesis's transport stops the lifespan after every test, which would restart
    the workers each time."""

    async def wrapped(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "lifespan":
            await app(scope, receive, send)
            return
        while True:
            kind = (await receive())["type"].split(".")[-1]
            await send({"type": f"lifespan.{kind}.complete"})
            if kind == "shutdown":
                return

    return wrapped


@pytest.fixture(scope="module")
def schema(web_client: Any) -> Any:
    return schemathesis.openapi.from_asgi("/openapi.json", without_lifespan(web_client.app))


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_no_input_gives_a_server_error(schema: Any, method: str, path: str) -> None:
    operation = schema[path][method]

    @given(case=operation.as_strategy())
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def check(case: Any) -> None:
        response = case.call()
        assert response.status_code < 500, (case.path_parameters, case.query, response.text[:300])
        case.validate_response(response, checks=[not_a_server_error])

    check()


def test_every_endpoint_is_fuzzed() -> None:
    paths = {path for _, path in OPERATIONS}
    for name in ("systems", "sites", "areas/{spec}", "reach", "envelope", "isochrones",
                 "flight", "compare", "scenarios/{scenario_id}", "reports",
                 "reports/{report_id}", "reports/{report_id}/"):  # fmt: skip
        assert f"/api/{name}" in paths
