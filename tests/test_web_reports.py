"""``/api/reports`` through the in-process client: a report job from queued to done, the
report served with its own Content-Security-Policy and user text escaped, the same
numbers as ``reachmap report`` on the equivalent scenario file (written here by hand),
bad scenarios as 422 naming the field, and the bounds (builds at once, queue, deadline,
reports kept) on :class:`~reachmap.web.reports.ReportJobs` directly.

The scenario is small on purpose (Iskander-M, 500 km, from Luxembourg against the
Netherlands): a build takes seconds."""

from __future__ import annotations

import base64
import hashlib
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from reachmap.report.style import CSS
from reachmap.web.report_worker import write_status
from reachmap.web.reports import ReportJobs
from reachmap.web.settings import Settings

TITLE = "<script>alert(1)</script> Iskander-M from Luxembourg"
SCENARIO = {
    "title": TITLE,
    "system": "iskander-m",
    "range": None,
    "from": [{"spec": "LUX", "label": "Luxembourg"}],
    "vs": "NLD",
    "targets": "capitals",
    "minutes": "2,4",
    "profile": "min-energy",
}
#: the same scenario as a file, the way a user would write it for ``reachmap report``
EQUIVALENT_TOML = """\
title = "<script>alert(1)</script> Iskander-M from Luxembourg"
date = "{date}"

[[area]]
id = "from"
from = ["LUX"]
role = "deployed"

[[area]]
id = "vs"
from = ["NLD"]
role = "baseline"

[[system]]
id = "iskander-m"

[targets]
capitals_of = ["nato"]
groups = ["nato", "eu"]

[options]
isochrone_minutes = [2, 4]
profiles = ["min-energy"]
"""
#: seconds a small report may take on a busy 2-core machine (a build is ~10 s quiet)
BUILD_WAIT_S = 240.0


def error_of(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "field"}
    assert body["error"]["code"] == code and "\n" not in body["error"]["message"]
    return dict(body["error"])


def finished(client: Any, status_url: str) -> dict[str, Any]:
    end = time.monotonic() + BUILD_WAIT_S
    while True:
        status = client.get(status_url).json()
        if status["status"] in ("done", "failed") or time.monotonic() > end:
            return dict(status)
        time.sleep(0.25)


@pytest.fixture(scope="module")
def built(web_client: Any) -> dict[str, Any]:
    made = web_client.post("/api/reports", json={"scenario": SCENARIO})
    assert made.status_code == 202, made.text
    assert made.headers["location"] == made.json()["status_url"]
    status = finished(web_client, made.json()["status_url"])
    assert status["status"] == "done", status
    return {"made": made.json(), "status": status}


def test_a_report_job_goes_from_queued_to_done(web_client: Any, built: dict[str, Any]) -> None:
    made, status = built["made"], built["status"]
    assert made["status"] in ("queued", "running") and made["report_url"] is None
    assert len(base64.urlsafe_b64decode(made["id"] + "==")) == 16  # 128 random bits
    assert status["id"] == made["id"] and status["title"] == TITLE and status["error"] is None
    assert status["steps_done"] >= 4  # data, two areas' envelopes, isochrones, maps
    assert status["report_url"] == f"/api/reports/{made['id']}/"
    assert status["created_at"] <= status["started_at"] <= status["finished_at"]


def test_the_report_is_served_with_its_own_policy_and_escaped_text(
    web_client: Any, built: dict[str, Any]
) -> None:
    page = web_client.get(built["status"]["report_url"])
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Iskander-M from Luxembourg" in html
    assert "Iskander-M" in html and "Luxembourg" in html and "Netherlands" in html
    csp = page.headers["content-security-policy"]
    digest = base64.b64encode(hashlib.sha256(CSS.encode()).digest()).decode()
    assert f"style-src 'sha256-{digest}'" in csp and "default-src 'none'" in csp
    assert "script-src" not in csp  # default-src 'none': no script at all
    assert f"<style>{CSS}</style>" in html  # the one stylesheet the policy allows
    assert page.headers["x-content-type-options"] == "nosniff"
    # its files, linked from it, beside it
    links = set(re.findall(r'href="((?:maps|data)/[^"]+)"', html))
    assert any(f.endswith(".png") for f in links) and any(f.endswith(".csv") for f in links)
    base = built["status"]["report_url"]
    png = web_client.get(base + sorted(f for f in links if f.endswith(".png"))[0])
    assert png.headers["content-type"] == "image/png" and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.headers["content-security-policy"] == csp
    toml = web_client.get(base + "scenario.toml")
    assert toml.headers["content-type"].startswith("text/plain")
    for bad in ("../status.json", "..%2Fstatus.json", "maps/../../build.log", ".marker", "nope"):
        error_of(web_client.get(base + bad), 404, "not_found")


def test_the_numbers_are_those_of_reachmap_report_on_the_equivalent_file(
    web_client: Any, built: dict[str, Any], cli: Any, tmp_path: Path
) -> None:
    base = built["status"]["report_url"]
    served = web_client.get(base + "scenario.toml").text
    date = re.search(r'date = "([\d-]+)"', served)
    assert date is not None
    scenario = tmp_path / "lux.toml"
    scenario.write_text(EQUIVALENT_TOML.format(date=date[1]), "utf-8")
    code, _, err = cli("report", str(scenario), "-o", str(tmp_path / "cli"))
    assert code == 0, err
    compared = 0
    for name in sorted((tmp_path / "cli" / "data").iterdir()):
        if name.suffix == ".csv":
            api = web_client.get(f"{base}data/{name.name}")
            assert api.status_code == 200, name.name
            assert api.text == name.read_text("utf-8"), name.name
            compared += 1
    # headline, capitals, basing changes, groups, flight profiles, coverage of both areas
    assert compared >= 7
    headline = (tmp_path / "cli" / "data" / "headline.csv").read_text("utf-8")
    assert "Luxembourg" in headline and "Netherlands" in headline


def test_the_same_scenario_gets_the_same_report_also_when_saved(
    web_client: Any, built: dict[str, Any]
) -> None:
    again = web_client.post("/api/reports", json={"scenario": SCENARIO})
    assert again.status_code == 200 and again.json()["id"] == built["made"]["id"]
    saved = web_client.post("/api/scenarios", json={"title": TITLE, "scenario": SCENARIO})
    by_id = web_client.post("/api/reports", json={"scenario_id": saved.json()["id"]})
    assert by_id.status_code == 200 and by_id.json()["id"] == built["made"]["id"]
    assert by_id.json()["report_url"] == built["status"]["report_url"]


BAD = [
    ({"scenario": {**SCENARIO, "from": ["Belaru"]}}, "scenario.from", "Did you mean"),
    ({"scenario": {**SCENARIO, "vs": "Xyzzyland"}}, "scenario.vs", "unknown launch area"),
    ({"scenario": {**SCENARIO, "system": "oreshnikk"}}, "scenario.system", "Did you mean"),
    ({"scenario": {**SCENARIO, "system": None}}, "scenario.system", "pick a system"),
    ({"scenario": {**SCENARIO, "system": None, "range": "-5"}}, "scenario.range", "positive"),
    ({"scenario": {**SCENARIO, "from": []}}, "scenario.from", "add a launch area"),
    ({"scenario": {**SCENARIO, "from": ["/etc/passwd"]}}, "scenario.from[0]", "no files"),
    (
        {
            "scenario": {
                **SCENARIO,
                "from": [{"geojson": {"type": "Point", "coordinates": [6, 49]}}],
            }
        },
        "scenario.from[0]",
        "GeoJSON",
    ),  # fmt: skip
    ({"scenario": {**SCENARIO, "minutes": "0"}}, "scenario.minutes", "between 0 and"),
    ({"scenario": {**SCENARIO, "profile": "zigzag"}}, "scenario.profile", "use one of"),
    ({"scenario": {**SCENARIO, "title": "x" * 201}}, "scenario.title", "at most 200"),
    ({"scenario": {**SCENARIO, "colour": "red"}}, None, "unknown field"),
    ({}, "scenario", "either"),
    ({"scenario": SCENARIO, "scenario_id": "A" * 22}, "scenario", "either"),
    ({"scenario_id": "A" * 22}, "id", "no scenario has the id"),
]


@pytest.mark.parametrize(("body", "field", "words"), BAD, ids=[w for _, _, w in BAD])
def test_a_bad_scenario_is_refused_naming_the_field(
    web_client: Any, body: dict[str, Any], field: str | None, words: str
) -> None:
    response = web_client.post("/api/reports", json=body)
    assert response.status_code in (404, 413, 422), response.text
    err = response.json()["error"]
    assert words in err["message"] and "\n" not in err["message"]
    if field is not None:
        assert err["field"] == field


@pytest.mark.parametrize("units", ["km", "mi", "nmi"])
def test_the_pages_unit_is_the_reports(units: str) -> None:
    # The page's km/mi/nmi choice (saved with the scenario) becomes the report's
    # [options] units, read by the report's own parser; km is the report's default.
    from reachmap.web.report_scenario import report_scenario_of

    params = {"from": ["LUX"], "system": "iskander-m", "units": units}
    assert report_scenario_of(None, params, "2026-12-01").options.units == units
    # a bare number in the range field is in the page's unit (as /api/reach reads it):
    # 300 mi = 482.8032 km, 300 nmi = 555.6 km, by definition
    own = {"from": ["LUX"], "range": "300", "units": units}
    (system,) = report_scenario_of(None, own, "2026-12-01").systems
    factor = {"km": 1000.0, "mi": 1609.344, "nmi": 1852.0}[units]
    assert system.range_m == pytest.approx((300 * factor,) * 2, abs=1e-6)


def test_unknown_and_malformed_ids_are_404(web_client: Any) -> None:
    for rid in ("A" * 22, "nope", "%2E%2E", "x" * 64):
        error_of(web_client.get(f"/api/reports/{rid}"), 404, "not_found")
        error_of(web_client.get(f"/api/reports/{rid}/"), 404, "not_found")


# --- the bounds, on the job runner itself -------------------------------------------

#: a valid scenario file (the report's parser checks it before any job is queued)
SMALL = 'title = "{title}"\n[[area]]\nid = "a"\nfrom = ["LUX"]\nrole = "deployed"\n' \
        '[[system]]\nrange = ["300"]\n'  # fmt: skip


def jobs(tmp_path: Path, **settings: Any) -> ReportJobs:
    return ReportJobs(Settings(report_dir=str(tmp_path / "reports"), **settings))


def test_past_the_builds_and_the_queue_the_answer_is_busy(tmp_path: Path) -> None:
    runner = jobs(tmp_path, report_builds=1, report_queue=1)
    try:
        first = runner.submit(SMALL.format(title="one"), "one")
        second = runner.submit(SMALL.format(title="two"), "two")
        assert (first["status"], second["status"]) == ("running", "queued")
        with pytest.raises(Exception, match="reports are being built or waiting") as caught:
            runner.submit(SMALL.format(title="three"), "three")
        assert (caught.value.status, caught.value.code) == (503, "busy")  # type: ignore[attr-defined]
        # the same scenario as a waiting one is that job, not a new one
        assert runner.submit(SMALL.format(title="two"), "two")["id"] == second["id"]
    finally:
        runner.close()


def test_a_build_past_its_deadline_fails_saying_so_and_old_jobs_go(tmp_path: Path) -> None:
    # a second is less than a fresh process needs to import reachmap and load the data
    runner = jobs(tmp_path, report_deadline_s=1.0, report_cache_entries=1)
    try:
        first = runner.submit(SMALL.format(title="one"), "one")
        assert runner.wait(first["id"], 60.0)
        failed = runner.status(first["id"])
        assert failed is not None and failed["status"] == "failed"
        assert "deadline of 1 s" in failed["error"]
        # a failed scenario is built again, as a new job
        again = runner.submit(SMALL.format(title="one"), "one")
        assert again["id"] != first["id"]
        assert runner.wait(again["id"], 60.0)
        # one finished job is kept: the older is gone, folder and all
        assert runner.status(first["id"]) is None
        assert not (tmp_path / "reports" / first["id"]).exists()
        assert runner.status(again["id"]) is not None
    finally:
        runner.close()


def test_closing_stops_the_builds_and_a_gone_servers_jobs_count_as_failed(
    tmp_path: Path,
) -> None:
    runner = jobs(tmp_path, report_queue=1)
    try:
        running = runner.submit(SMALL.format(title="x"), "x")
        queued = runner.submit(SMALL.format(title="y"), "y")
    finally:
        runner.close()
    for made in (running, queued):
        status = runner.status(made["id"])
        assert status is not None and status["status"] == "failed"
        assert status["error"] == "the server stopped before the report was built"
    # a job another server process left running, that process gone: failed
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    folder = tmp_path / "reports" / running["id"]
    write_status(folder, status="running", server_pid=int(gone.stdout))
    status = jobs(tmp_path).status(running["id"])
    assert status is not None and status["status"] == "failed"
    assert status["error"] == "the server building it stopped"
