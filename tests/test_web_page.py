"""The page in a real browser: Playwright for Python driving Debian's ``chromium``
(headless) against a real server on a loopback port. Skipped, with the reason shown,
only when that browser is not installed.

Pixels are read from screenshots of the map at the positions the page's own projection
gives (``window.reachmap.pixelOf``); whether a point is inside an envelope is decided
independently with GeographicLib, with a margin of at least 150 km (several pixels)
from the envelope's edge.
"""

from __future__ import annotations

import io
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from geographiclib.geodesic import Geodesic
from PIL import Image

CHROMIUM = "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(
    shutil.which(CHROMIUM) is None,
    reason="headless Chromium not installed (apt-get install chromium)",
)

WIDTH, HEIGHT = 1400, 900
SEA = np.array([0xDB, 0xE7, 0xF0])  # map.js COLOURS.sea
LAND = np.array([0xF6, 0xF4, 0xEE])  # map.js COLOURS.land
#: an envelope's fill is the accent #d55e00 at 22-42 % over land or sea: red exceeds
#: blue by 50 or more; bare land or sea differ by less than 25 (red - blue)
TINT = 45


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import uvicorn

    from reachmap.web.app import create_app
    from reachmap.web.settings import Settings

    os.environ["REACHMAP_THREADS"] = "1"
    port = _free_port()
    # saved scenarios go to a database of this test module, not the user's
    db = tmp_path_factory.mktemp("web-page") / "scenarios.sqlite3"
    app = create_app(Settings(port=port, db_url=str(db)))
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    # the app listens once its computation workers have loaded the data (seconds; more
    # on a busy machine)
    deadline = time.monotonic() + 300
    while not srv.started:
        assert thread.is_alive(), "the server stopped while starting"
        assert time.monotonic() < deadline, "the server did not start in 300 s"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield b
        b.close()


class Page:
    """One page with its console messages, page errors and requested URLs."""

    def __init__(self, browser: Any, base: str) -> None:
        self.base = base
        self.context = browser.new_context(
            viewport={"width": WIDTH, "height": HEIGHT}, device_scale_factor=1
        )
        self.page = self.context.new_page()
        self.console: list[str] = []
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))

    def open(self, path: str = "/") -> None:
        self.page.goto(self.base + path)
        self.wait("window.reachmap && window.reachmap.firstRenderMs !== null", 30)

    def js(self, expr: str, arg: Any = None) -> Any:
        return self.page.evaluate(expr, arg)

    def wait(self, expr: str, timeout_s: float = 120) -> None:
        # Polled from here: Playwright's in-page polling evaluates strings, which the
        # page's Content-Security-Policy (no 'unsafe-eval') rightly refuses.
        deadline = time.monotonic() + timeout_s
        while not self.js(expr):
            assert time.monotonic() < deadline, f"timed out waiting for {expr}"
            time.sleep(0.1)

    def computed(self, updates_before: int, timeout_s: float = 180) -> None:
        self.wait(f"window.reachmap.updates > {updates_before} && window.reachmap.idle", timeout_s)

    def add_area(self, spec: str) -> None:
        before = self.js("window.reachmap.updates")
        self.page.fill("#area", spec)
        self.page.press("#area", "Enter")
        self.computed(before)

    def map_image(self) -> np.ndarray:
        self.js("window.reachmap.map.map.renderSync()")
        png = self.page.locator("#map").screenshot()
        return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)

    def pixel(self, lon: float, lat: float) -> tuple[int, int]:
        x, y = self.js("([lon, lat]) => window.reachmap.pixelOf(lon, lat)", [lon, lat])
        return round(x), round(y)

    def close(self) -> None:
        self.context.close()

    def assert_clean(self) -> None:
        """No script error, no CSP violation, nothing fetched from another origin."""
        assert not self.errors, self.errors
        bad = [m for m in self.console if "Content Security Policy" in m or "Refused" in m]
        assert not bad, bad
        foreign = [u for u in self.requests if not u.startswith(self.base + "/")]
        assert not foreign, foreign


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Page]:
    p = Page(browser, server)
    yield p
    p.close()


def distance_km(lat0: float, lon0: float, lat: float, lon: float) -> float:
    return float(Geodesic.WGS84.Inverse(lat0, lon0, lat, lon)["s12"]) / 1e3


def patch(img: np.ndarray, xy: tuple[int, int]) -> np.ndarray:
    """The median colour of the 5x5 pixels around ``xy`` (lines and dots are thinner)."""
    x, y = xy
    assert 2 <= x < img.shape[1] - 2 and 2 <= y < img.shape[0] - 2, f"{xy} is off the map"
    return np.asarray(np.median(img[y - 2 : y + 3, x - 2 : x + 3].reshape(-1, 3), axis=0))


def tinted(c: np.ndarray) -> bool:
    return bool(c[0] - c[2] >= TINT)


def bare(c: np.ndarray) -> bool:
    return bool(np.abs(c - SEA).max() <= 12 or np.abs(c - LAND).max() <= 12)


def test_bad_country_message_beside_the_field(page: Page) -> None:
    page.open()
    page.page.select_option("#system", "oreshnik")
    page.page.fill("#area", "Belaru")
    page.page.press("#area", "Enter")
    page.wait("document.getElementById('msg-from').textContent.length > 0", 60)
    msg = page.page.text_content("#msg-from")
    assert "Belaru" in msg and "Belarus" in msg  # the API's suggestion
    # the map is still drawn (outlines), not blank
    img = page.map_image()
    assert np.all(np.abs(img - LAND) <= 3, axis=2).mean() > 0.05
    page.assert_clean()


def test_script_title_is_text(page: Page) -> None:
    page.open()
    title = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'
    page.page.fill("#title", title)
    page.page.wait_for_timeout(300)
    assert page.js("document.title").startswith("<script>")
    assert page.js("window.__pwned === undefined")
    assert page.js("document.querySelectorAll('script:not([src])').length") == 0
    assert page.js("document.querySelectorAll('img').length") == 0
    page.assert_clean()


def test_click_adds_a_launch_point_where_clicked(page: Page) -> None:
    page.open()
    page.page.check("#click-add")
    x, y = page.pixel(30.52, 50.45)  # Kyiv
    page.page.locator("#map").click(position={"x": x, "y": y})
    page.wait("window.reachmap.state.areas.length === 1", 30)
    lon, lat = page.js("window.reachmap.state.areas[0].point")
    # the view is about 8,000 km across 700 px: a pixel is about 12 km (0.11 deg)
    res_m = page.js("window.reachmap.map.map.getView().getResolution()")
    assert distance_km(50.45, 30.52, lat, lon) < 1.5 * res_m / 1e3
    assert "50.4" in page.page.text_content("#areas")
    assert "Pick a system" in page.page.text_content("#status")  # nothing to compute yet
    page.assert_clean()


def test_upload_that_is_not_geojson_says_so_beside_the_field(page: Page, tmp_path: Path) -> None:
    page.open()
    bad = tmp_path / "area.geojson"
    bad.write_text('{"type": "Polygon", "coordinates": [[[0, 0], [1, 0]')
    page.page.set_input_files("#upload", str(bad))
    page.wait("document.getElementById('msg-upload').textContent.length > 0", 30)
    assert "area.geojson is not JSON" in page.page.text_content("#msg-upload")
    bad.write_text('{"type": "Circle", "radius": 5}')
    page.page.set_input_files("#upload", [])
    page.page.set_input_files("#upload", str(bad))
    page.wait("document.getElementById('msg-upload').textContent.includes('not a GeoJSON')", 30)
    assert page.js("window.reachmap.state.areas.length") == 0
    page.assert_clean()
