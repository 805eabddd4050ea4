"""The page's unit selector in a real browser (see test_web_page.py): km, mi or nmi
change the reach table, its header, the labels and the unit a bare typed range is read
in; the choice is kept in saved scenarios (old ones without it open in km)."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

from test_web_page import Page, browser, pytestmark, server

__all__ = ["browser", "pytestmark", "server"]  # fixtures and the skip mark

MILE_KM = 1.609344  # the international mile, exact by definition


def printed(km: float) -> str:
    """dom.js fmtKm: one decimal below 10, else a whole number with thousands commas."""
    return f"{km:.1f}" if km < 10 else f"{round(km):,}"


def table(page: Page) -> dict[str, str]:
    """Place name -> its printed distance, for every row of the reach table."""
    rows = page.js(
        "[...document.querySelectorAll('#reach-table tbody tr')]"
        ".map((tr) => [...tr.children].map((c) => c.textContent))"
    )
    return {r[0]: r[3] for r in rows}


def value(text: str) -> float:
    return float(text.replace(",", ""))


def stored(base: str, scenario_id: str) -> dict[str, Any]:
    with urllib.request.urlopen(f"{base}/api/scenarios/{scenario_id}") as r:
        return dict(json.load(r))


def test_miles_change_table_labels_range_and_stay_in_the_scenario(
    browser: Any, server: str
) -> None:
    page = Page(browser, server)
    other = Page(browser, server)
    try:
        page.open()
        page.page.select_option("#system", "iskander-m")
        page.page.select_option("#targets", "capitals")
        page.add_area("BLR")
        assert page.page.text_content("#distance-head") == "km"
        km_table = table(page)
        rows = page.js("window.reachmap.results.reach.targets")
        # a capital more than 100 km away (Minsk is inside: 0)
        far = next(r for r in rows if r["distance_km"] > 100 and r["name"] in km_table)
        name, km = far["name"], far["distance_km"]
        assert km_table[name] == printed(km)
        km_shown = value(km_table[name])

        before = page.js("window.reachmap.updates")
        page.page.select_option("#units", "mi")
        page.computed(before)
        assert page.page.text_content("#distance-head") == "mi"
        assert "(mi," in page.page.text_content("#range-label")
        assert " mi" in page.page.text_content("#legend")
        assert " mi." in page.page.text_content("#system-info")
        mi_table = table(page)
        assert mi_table.keys() == km_table.keys()
        mi_shown = value(mi_table[name])
        # the km figure / 1.609344, to the printed precision (both rounded to a whole
        # number: they may differ by half a unit of each)
        assert abs(mi_shown - km_shown / MILE_KM) <= 0.5 + 0.5 / MILE_KM
        assert mi_table[name] == printed(km / MILE_KM)  # and exactly from the km value
        assert page.js("window.reachmap.results.reach.units") == "mi"

        # a bare typed range is read in the chosen unit: 300 mi = 482.8032 km
        before = page.js("window.reachmap.updates")
        page.page.fill("#range", "300")
        page.page.press("#range", "Tab")
        page.computed(before)
        assert page.js("window.reachmap.results.envelope"), page.js("window.reachmap.errors")
        props = page.js("window.reachmap.results.envelope.features[0].properties")
        assert abs(props["range_km"] - 300 * MILE_KM) < 1e-9  # km; 1e-9 km is 1 um
        assert "300 mi" in page.page.text_content("#legend")

        # saved with the scenario; the link opens in miles
        page.page.click("#save")
        page.wait("document.getElementById('msg-save').textContent.startsWith('Saved')", 60)
        sid = page.page.input_value("#share").rsplit("=", 1)[1]
        assert stored(server, sid)["scenario"]["units"] == "mi"
        other.open(f"/?s={sid}")
        other.wait("document.getElementById('units').value === 'mi'", 60)
        other.wait("document.getElementById('distance-head').textContent === 'mi'", 60)
        page.assert_clean()
        other.assert_clean()
    finally:
        page.close()
        other.close()


def test_a_scenario_saved_without_units_opens_in_km(browser: Any, server: str) -> None:
    body = json.dumps(
        {
            "title": "old",
            "scenario": {
                "from": [{"spec": "BLR", "label": "Belarus"}],
                "range": "1000",
                "targets": "capitals",
            },
        }
    ).encode()
    request = urllib.request.Request(
        f"{server}/api/scenarios", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request) as r:
        sid = json.load(r)["id"]
    page = Page(browser, server)
    try:
        page.open(f"/?s={sid}")
        page.wait("window.reachmap.results.envelope !== null", 120)
        assert page.page.input_value("#units") == "km"
        assert page.page.text_content("#distance-head") == "km"
        props = page.js("window.reachmap.results.envelope.features[0].properties")
        assert props["range_km"] == 1000.0  # the bare range stays km
        page.assert_clean()
    finally:
        page.close()
