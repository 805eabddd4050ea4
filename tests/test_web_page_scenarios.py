"""Saved and shared scenarios in a real browser (see test_web_page.py): the owner saves,
anyone with the link sees the same scenario, only the owner's save changes it (others
save a copy), and a ``<script>`` title stays text all the way round."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

from test_web_page import Page, browser, pytestmark, server

__all__ = ["browser", "pytestmark", "server"]  # fixtures and the skip mark

TITLE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2"> BLR'


def stored(base: str, scenario_id: str) -> dict[str, Any]:
    with urllib.request.urlopen(f"{base}/api/scenarios/{scenario_id}") as r:
        return dict(json.load(r))


def save(page: Page) -> str:
    page.page.click("#save")
    page.wait("document.getElementById('msg-save').textContent.startsWith('Saved')", 60)
    link = page.page.input_value("#share")
    assert link.startswith(page.base + "/?s=")
    return link.rsplit("=", 1)[1]


def test_save_share_and_only_the_owner_changes_it(browser: Any, server: str) -> None:
    owner = Page(browser, server)
    other = Page(browser, server)
    try:
        owner.open()
        owner.page.fill("#title", TITLE)
        owner.page.fill("#area", "53.71,31.70")
        owner.page.press("#area", "Enter")
        owner.wait("window.reachmap.state.areas.length === 1", 30)
        owner.page.select_option("#targets", "capitals")
        sid = save(owner)
        assert len(sid) >= 22  # >= 128 bits in URL-safe base64
        assert owner.js("JSON.parse(localStorage.getItem('reachmap.tokens'))")[sid]
        assert stored(server, sid)["title"] == TITLE  # kept verbatim

        # anyone with the link: the same scenario, as text
        other.open(f"/?s={sid}")
        other.wait(f"document.getElementById('title').value === {json.dumps(TITLE)}", 60)
        assert other.js("document.title").startswith("<script>")
        assert other.js("window.__pwned === undefined")
        assert other.js("document.querySelectorAll('img').length") == 0
        assert "53.710, 31.700" in other.page.text_content("#areas")
        assert other.page.input_value("#targets") == "capitals"
        assert "shared with you" in other.page.text_content("#owner-note")
        # their save is a copy; the original is unchanged
        other.page.fill("#title", "a copy")
        copy = save(other)
        assert copy != sid
        assert stored(server, sid)["title"] == TITLE
        assert stored(server, copy)["title"] == "a copy"

        # the owner's save changes the original, under the same link
        owner.page.fill("#title", "Oreshnik from eastern Belarus")
        assert save(owner) == sid
        assert stored(server, sid)["title"] == "Oreshnik from eastern Belarus"
        owner.assert_clean()
        other.assert_clean()
    finally:
        owner.close()
        other.close()
