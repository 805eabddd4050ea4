"""Benchmark: the page's first render in headless Chromium (Debian's ``chromium``,
driven by Playwright), against a floor measured in the same run.

A real server (``uvicorn --factory reachmap.web.app:factory`` on a free loopback port,
``REACHMAP_THREADS=1``) is started and warmed (outlines built, one page load). Each
repeat opens a fresh browser context (empty cache) and measures, from navigation start:

* ``first_render_ms``: the map drawn with its country outlines (the page's own
  ``window.reachmap.firstRenderMs``: the first frame of the map canvas with land, the
  0.2 deg outline ``/static/countries-coarse.json``);
* ``detail_render_ms``: the 0.05 deg outline (``/static/countries.json``, fetched
  meanwhile) projected and drawn in its place (``window.reachmap.detailRenderMs``);
* ``first_render_full_outline_ms`` (the page as it was before the coarse outline, in
  the same run): the same page with the 0.05 deg outline served as the first frame's
  (the browser's request router answers ``/static/countries-coarse.json`` with
  ``/static/countries.json``; both variants get their outlines from the router, so
  neither waits for the server) -> ``ratio_first_render_over_full_outline``;
* ``floor_ms`` (baseline): a page that only loads the same ``ol.js``, ``proj4.js`` and
  ``ol.css`` and downloads and parses the outline the first frame draws (what any page
  drawing these outlines with these libraries must do), served by the browser's
  request router at the same origin -> ``ratio_first_render_over_floor``.

Goal (issue 12): first render <= 2 s. Quiet and with a competing busy process
(bench/contention.py). Prints one JSON object.
Usage: python bench/page.py [--repeat 5] [--modes quiet,busy]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from typing import Any

from contention import in_mode, machine, modes

CHROMIUM = "/usr/bin/chromium"

FLOOR_HTML = """<!doctype html><html><head>
<link rel="stylesheet" href="/static/vendor/ol.css">
<script src="/static/vendor/proj4.js"></script>
<script src="/static/vendor/ol.js"></script>
</head><body><script>
fetch('/static/countries-coarse.json').then((r) => r.json()).then((c) => {
  window.floorFeatures = c.features.length;
  window.floorMs = performance.now();
});
</script></body></html>"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "REACHMAP_THREADS": "1"}
    cmd = [sys.executable, "-m", "uvicorn", "--factory", "reachmap.web.app:factory"]
    proc = subprocess.Popen(
        [*cmd, "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 300  # the workers load the data first
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/countries.json") as r:
                r.read()
            return proc
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise SystemExit("the server did not start") from None
            time.sleep(0.2)


def wait(page: Any, expr: str, timeout_s: float = 30) -> Any:
    # polled from Python: the page's CSP refuses Playwright's evaluated predicates
    deadline = time.monotonic() + timeout_s
    while True:
        value = page.evaluate(expr)
        if value is not None:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(expr)
        time.sleep(0.02)


OUTLINES: dict[str, bytes] = {}


def outlines(base: str) -> dict[str, bytes]:
    """The two outline files as the server sends them (fetched once)."""
    if not OUTLINES:
        for name in ("countries.json", "countries-coarse.json"):
            with urllib.request.urlopen(f"{base}/static/{name}") as r:
                OUTLINES[name] = r.read()
    return OUTLINES


def one(
    browser: Any, base: str, floor: bool, full_outline: bool = False
) -> tuple[float, float | None]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    files = outlines(base)
    first = files["countries.json" if full_outline else "countries-coarse.json"]
    page.route(
        base + "/static/countries-coarse.json",
        lambda route: route.fulfill(body=first, content_type="application/json"),
    )
    page.route(
        base + "/static/countries.json",
        lambda route: route.fulfill(body=files["countries.json"], content_type="application/json"),
    )
    try:
        if floor:
            page.route(
                base + "/__floor",
                lambda route: route.fulfill(body=FLOOR_HTML, content_type="text/html"),
            )
            page.goto(base + "/__floor")
            return float(wait(page, "window.floorMs ?? null")), None
        page.goto(base + "/")
        first = float(wait(page, "window.reachmap ? window.reachmap.firstRenderMs : null"))
        return first, float(wait(page, "window.reachmap.detailRenderMs"))
    finally:
        context.close()


def stats(values: list[float]) -> dict[str, Any]:
    return {
        "median_ms": statistics.median(values),
        "min_ms": min(values),
        "max_ms": max(values),
        "repeat": len(values),
    }


def measure(browser: Any, base: str, repeat: int) -> dict[str, Any]:
    first, detail, full, floor = [], [], [], []
    for _ in range(repeat):  # interleaved, so load changes hit all alike
        ms, detail_ms = one(browser, base, floor=False)
        first.append(ms)
        detail.append(detail_ms or 0.0)
        full.append(one(browser, base, floor=False, full_outline=True)[0])
        floor.append(one(browser, base, floor=True)[0])
    f, b, before = stats(first), stats(floor), stats(full)
    return {
        "first_render": f,
        "detail_render": stats(detail),
        "first_render_full_outline": before,
        "ratio_first_render_over_full_outline": f["median_ms"] / before["median_ms"],
        "floor": b,
        "ratio_first_render_over_floor": f["median_ms"] / b["median_ms"],
        "goals": {"first_render_under_2_s": f["median_ms"] <= 2000.0},
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--modes", default="quiet,busy")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    port = free_port()
    server = start_server(port)
    base = f"http://127.0.0.1:{port}"
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=["--no-sandbox"]
            )
            one(browser, base, floor=False)  # warm the server's caches, untimed
            out: dict[str, Any] = {"benchmark": "page", "machine": machine()}
            for mode in modes(args.modes):
                out[mode] = in_mode(mode, lambda: measure(browser, base, args.repeat))
            browser.close()
    finally:
        server.kill()
        server.wait(10)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
