"""The report and the owner's controls in a real browser (see test_web_page.py): select
Oreshnik and Belarus, click Report, follow the build and open the report in a new tab,
which shows the scenario's title (a ``<script>`` title as text), system and area under
the report's own Content-Security-Policy; a stale save offers to load theirs or to
overwrite; the owner deletes a scenario."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from test_web_page import Page, browser, pytestmark, server
from test_web_page_scenarios import save

__all__ = ["browser", "pytestmark", "server"]  # fixtures and the skip mark

TITLE = "<script>window.__pwned = 1</script> Oreshnik from Belarus"
#: seconds the report of Oreshnik from Belarus may take on a busy 2-core machine
#: (about 40 s of CPU with nothing cached; one isochrone keeps it smaller)
REPORT_WAIT_S = 400


def status_of(base: str, scenario_id: str) -> int:
    try:
        with urllib.request.urlopen(f"{base}/api/scenarios/{scenario_id}") as r:
            return int(r.status)
    except urllib.error.HTTPError as err:
        return int(err.code)


def stored_title(base: str, scenario_id: str) -> str:
    with urllib.request.urlopen(f"{base}/api/scenarios/{scenario_id}") as r:
        return str(json.load(r)["title"])


def test_report_of_oreshnik_from_belarus_opens_in_a_new_tab(
    browser: Any, server: str, tmp_path: Path
) -> None:
    page = Page(browser, server)
    try:
        page.open()
        page.page.fill("#title", TITLE)
        page.page.select_option("#system", "oreshnik")
        page.page.fill("#minutes", "10")
        page.add_area("Belarus")
        assert page.js("!document.getElementById('open-report').disabled")
        page.page.click("#open-report")
        page.wait("document.getElementById('msg-report').textContent.length > 0", 30)
        page.wait("!!document.getElementById('report-open')"
                  " || document.getElementById('msg-report').className.includes('error')",
                  REPORT_WAIT_S)  # fmt: skip
        assert page.page.text_content("#msg-report").startswith("Report ready"), (
            page.page.text_content("#msg-report")
        )
        with page.context.expect_page() as opened:
            page.page.click("#report-open")
        report = opened.value
        console: list[str] = []
        report.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
        report.wait_for_load_state()
        assert report.url.startswith(f"{server}/api/reports/") and report.url.endswith("/")
        assert report.title() == TITLE  # the <title>, as text
        h1 = report.text_content("h1")
        assert h1 == TITLE
        body = report.text_content("body")
        assert "Oreshnik" in body and "Belarus" in body and "5,500 km" in body
        assert report.evaluate("window.__pwned === undefined")
        assert report.evaluate("document.scripts.length") == 0
        # the report's stylesheet applies under its policy (h1 is 28px in report/html.py)
        assert report.evaluate("getComputedStyle(document.querySelector('h1')).fontSize") == "28px"
        maps = report.evaluate("[...document.images].filter(i => i.naturalWidth > 0).length")
        assert maps >= 2  # the maps, as data: PNGs
        report.screenshot(path=str(tmp_path / "report.png"))
        assert not [m for m in console if "Content Security Policy" in m or "Refused" in m]
        page.assert_clean()
    finally:
        page.close()


def second_tab(first: Page) -> Page:
    """Another tab of the same browser (same localStorage: the same owner)."""
    tab = Page.__new__(Page)
    tab.base, tab.context, tab.page = first.base, first.context, first.context.new_page()
    tab.console, tab.errors, tab.requests = [], [], []
    tab.page.on("console", lambda m: tab.console.append(f"{m.type}: {m.text}"))
    tab.page.on("pageerror", lambda e: tab.errors.append(str(e)))
    tab.page.on("request", lambda r: tab.requests.append(r.url))
    return tab


def test_a_stale_save_asks_and_the_owner_deletes(browser: Any, server: str) -> None:
    one = Page(browser, server)
    try:
        one.open()
        one.page.fill("#title", "first")
        one.page.fill("#area", "53.71,31.70")
        one.page.press("#area", "Enter")
        one.wait("window.reachmap.state.areas.length === 1", 30)
        sid = save(one)
        assert one.page.is_visible("#delete")

        # the same owner in a second tab (same browser, same token) saves first
        two = second_tab(one)
        two.open(f"/?s={sid}")
        two.wait("document.getElementById('title').value === 'first'", 60)
        two.page.fill("#title", "from the second tab")
        assert save(two) == sid

        # the first tab's save is stale: it is asked, not overwritten
        one.page.fill("#title", "from the first tab")
        one.page.click("#save")
        one.wait("!document.getElementById('choice').classList.contains('hidden')", 30)
        assert "saved elsewhere" in one.page.text_content("#choice-text")
        assert stored_title(server, sid) == "from the second tab"
        one.page.click("#choice-buttons >> text=Load theirs")
        one.wait("document.getElementById('title').value === 'from the second tab'", 30)
        assert one.page.is_hidden("#choice")

        # stale again, and this time the first tab overwrites
        two.page.fill("#title", "second again")
        save(two)
        one.page.fill("#title", "mine wins")
        one.page.click("#save")
        one.wait("!document.getElementById('choice').classList.contains('hidden')", 30)
        one.page.click("#choice-buttons >> text=Overwrite with mine")
        one.wait("document.getElementById('msg-save').textContent.startsWith('Saved')", 30)
        assert stored_title(server, sid) == "mine wins"

        # the owner deletes it: asked first, then the link stops working
        one.page.click("#delete")
        one.wait("!document.getElementById('choice').classList.contains('hidden')", 30)
        assert status_of(server, sid) == 200
        one.page.click("#choice-buttons >> text=Delete")
        one.wait("document.getElementById('msg-save').textContent.startsWith('Deleted')", 30)
        assert status_of(server, sid) == 404
        assert one.page.is_hidden("#delete") and one.page.is_hidden("#share")
        assert one.js("window.location.search") == ""
        one.assert_clean()
        two.assert_clean()
    finally:
        one.close()
