"""Envelopes and tables in a real browser (see test_web_page.py): Oreshnik from Belarus,
the North Pole inside the 5,000 km envelope around 53.71,31.70 and both sides of 180
inside the 3,000 km envelope around 64.73,177.5, read from the map's pixels; sorting,
locating and dragging a launch point."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from pathlib import Path

import numpy as np
from PIL import Image
from test_web_page import (
    LAND,
    Page,
    bare,
    browser,
    distance_km,
    page,
    patch,
    pytestmark,
    server,
    tinted,
)

__all__ = ["browser", "page", "pytestmark", "server"]  # fixtures and the skip mark


def check_envelope(
    page: Page, centre: tuple[float, float], range_km: float, points: list[tuple[float, float]]
) -> None:
    """Each (lat, lon) is drawn tinted if it is within range_km of centre, bare if not."""
    img = page.map_image()
    for lat, lon in points:
        d = distance_km(*centre, lat, lon)
        assert abs(d - range_km) > 150, f"test point {lat},{lon} too near the edge ({d:.0f} km)"
        c = patch(img, page.pixel(lon, lat))
        if d < range_km:
            assert tinted(c), f"{lat},{lon} ({d:.0f} km) should be inside, colour {c}"
        else:
            assert bare(c), f"{lat},{lon} ({d:.0f} km) should be outside, colour {c}"


def screenshot(page: Page, tmp_path: Path, name: str) -> None:
    """The whole page as PNG in the test's tmp dir (and in $REACHMAP_SCREENSHOT_DIR, if
    set, for review)."""
    shot = tmp_path / name
    page.page.screenshot(path=str(shot))
    keep = os.environ.get("REACHMAP_SCREENSHOT_DIR")
    if keep:
        shutil.copy(shot, Path(keep) / name)


def own_range(page: Page, spec: str, range_km: float) -> None:
    page.page.fill("#range", str(range_km))
    page.page.dispatch_event("#range", "change")
    page.add_area(spec)
    page.wait("window.reachmap.drawn")


def test_oreshnik_from_belarus(page: Page, tmp_path: Path) -> None:
    page.open()
    page.page.select_option("#system", "oreshnik")
    assert "5,000–5,500 km" in page.page.text_content("#system-info")
    assert "Reuters" in page.page.text_content("#system-info")  # its sources are listed
    page.add_area("Belarus")
    page.wait("window.reachmap.drawn")
    rows = page.page.locator("#reach-table tbody tr")
    assert rows.count() == 500  # 14,875 places within 5,500 km: the first 500 are drawn
    first = rows.nth(0).locator("td").all_text_contents()
    assert first[1] == "BLR" and first[3] == "0.0"  # sorted by distance: inside first
    assert "13,301 places" in page.page.text_content("#summary")
    screenshot(page, tmp_path, "oreshnik-belarus.png")
    # the 5,000 km band (darker) and the 5,500 km band are both drawn
    # (sea points: the places are drawn as dots): the Baltic, the Mediterranean south of
    # Sicily, the Caspian are well within 5,000 km of Belarus
    img = page.map_image()
    for lat, lon in [(55.5, 18.0), (35.0, 16.0), (42.0, 50.5)]:
        assert tinted(patch(img, page.pixel(lon, lat))), (lat, lon)
    # exports, read back with independent readers
    files = {}
    for name in ("geojson", "csv", "png"):
        with page.page.expect_download() as dl:
            page.page.click(f"#export-{name}")
        files[name] = Path(dl.value.path()).read_bytes()
    fc = json.loads(files["geojson"])
    layers = [f["properties"]["layer"] for f in fc["features"]]
    assert layers.count("envelope") == 2 and layers.count("place") == 14_875
    rows = list(csv.DictReader(io.StringIO(files["csv"].decode())))
    assert len(rows) == 14_875 and {r["country_code"] for r in rows} >= {"BLR", "POL", "GBR"}
    png = Image.open(io.BytesIO(files["png"]))
    box = page.page.locator("#map").bounding_box()
    assert png.size == (round(box["width"]), round(box["height"]))
    shot = np.asarray(png.convert("RGB")).astype(int)
    assert tinted(patch(shot, page.pixel(18.0, 55.5)))  # the envelope is in the PNG
    page.assert_clean()


def test_north_pole_inside_5000_km_from_eastern_belarus(page: Page, tmp_path: Path) -> None:
    page.open()
    own_range(page, "53.71,31.70", 5000)
    page.js("window.reachmap.map.fitRadius(6500e3)")
    page.page.wait_for_timeout(200)
    meridian = 31.70 - 180  # beyond the pole, on the far side
    points = [
        (90.0, 0.0),  # the pole: about 4,050 km
        (88.0, 31.70),
        (86.0, meridian),  # about 4,500 km across the pole
        (84.0, meridian + 40),
        (77.0, meridian),  # about 5,330 km: outside
        (70.0, -120.0),  # about 6,090 km (Canadian Arctic): outside
        (20.0, 38.0),  # about 3,780 km (Red Sea): inside
        (5.0, 52.0),  # about 5,710 km (Indian Ocean): outside
    ]
    check_envelope(page, (53.71, 31.70), 5000, points)
    screenshot(page, tmp_path, "pole-5000km.png")
    page.assert_clean()


def test_both_sides_of_180_inside_3000_km_from_anadyr(page: Page, tmp_path: Path) -> None:
    page.open()
    own_range(page, "64.73,177.5", 3000)
    page.js("window.reachmap.map.fitRadius(4000e3)")
    page.page.wait_for_timeout(200)
    points = [
        (64.0, 179.6),
        (64.0, -179.6),
        (45.0, 179.9),  # about 2,200 km
        (45.0, -179.9),
        (35.0, 179.9),  # about 3,330 km: outside, on both sides
        (35.0, -179.9),
        (66.0, -160.0),  # Alaska, about 780 km: inside
    ]
    check_envelope(page, (64.73, 177.5), 3000, points)
    screenshot(page, tmp_path, "antimeridian-3000km.png")
    page.assert_clean()


def test_sort_locate_and_drag(page: Page) -> None:
    page.open()
    page.page.select_option("#targets", "capitals")
    own_range(page, "52.0,20.0", 1500)
    rows = page.page.locator("#reach-table tbody tr")
    n = rows.count()
    assert n > 10
    page.page.click("th[data-key=population]")  # largest first
    pops = [
        int(rows.nth(k).locator("td").nth(2).text_content().replace(",", ""))
        for k in range(min(n, 8))
    ]
    assert pops == sorted(pops, reverse=True)
    rows.nth(0).click()  # locate the place: a marker at its position
    assert page.js("window.reachmap.map.markerSource.getFeatures().length") == 1
    page.page.wait_for_timeout(600)  # the view pans to it (300 ms)
    # drag the launch point 150 px east: the area, envelope and table follow
    x, y = page.pixel(20.0, 52.0)
    box = page.page.locator("#map").bounding_box()
    before = page.js("window.reachmap.updates")
    dists = page.js("window.reachmap.results.reach.targets.map((t) => t.distance_km)")
    page.page.mouse.move(box["x"] + x, box["y"] + y)
    page.page.mouse.down()
    for k in range(1, 11):
        page.page.mouse.move(box["x"] + x + 15 * k, box["y"] + y)
    page.page.mouse.up()
    page.computed(before)
    lon, lat = page.js("window.reachmap.state.areas[0].point")
    assert lon > 21 and abs(lat - 52) < 1.5
    assert page.js("window.reachmap.results.reach.targets.map((t) => t.distance_km)") != dists
    page.assert_clean()


def test_forward_basing_isochrones_and_coverage(page: Page) -> None:
    page.open()
    page.page.select_option("#system", "oreshnik")
    page.page.select_option("#targets", "capitals")
    page.page.fill("#minutes", "10,15")
    page.page.dispatch_event("#minutes", "change")
    page.page.fill("#vs", "kapustin-yar")
    page.page.dispatch_event("#vs", "change")
    page.add_area("Belarus")
    page.wait("window.reachmap.results.compare !== null")
    text = page.page.text_content("#compare")
    assert "Kapustin Yar" in text and "Newly within" in text
    cmp = page.js("window.reachmap.results.compare.summary")
    assert cmp["places_within_from"] > 0 and cmp["places_within_vs"] > 0
    # the second area's envelope is drawn (outline) beside the first
    assert page.js("Object.keys(window.reachmap.map.paths)").count("vs") == 1
    # isochrones: one line per time, smaller for less time
    iso = page.js("window.reachmap.results.isochrones.features.map((f) => f.properties)")
    assert sorted(p["minutes"] for p in iso) == [10, 15]
    by_min = {p["minutes"]: p["range_km"] for p in iso}
    assert 0 < by_min[10] < by_min[15] < 5500
    assert "isochrones: " in page.page.text_content("#legend")
    # country coverage arrives after the rest
    page.wait("window.reachmap.results.coverage !== null", 180)
    cov = page.page.text_content("#coverage")
    assert "Poland" in cov and "full" in cov
    page.assert_clean()


def test_bad_range_message_beside_the_field(page: Page) -> None:
    page.open()
    page.page.fill("#range", "30000")  # beyond half the Earth's circumference
    page.page.dispatch_event("#range", "change")
    page.add_area("52.0,20.0")
    msg = page.page.text_content("#msg-range")
    assert "range" in msg.lower(), msg
    assert not page.js("window.reachmap.drawn")  # no envelope, but the map is drawn
    img = page.map_image()
    assert np.all(np.abs(img - LAND) <= 3, axis=2).mean() > 0.05  # land is drawn
    page.assert_clean()


def test_uploaded_geojson_area(page: Page, tmp_path: Path) -> None:
    page.open()
    page.page.fill("#range", "1000")
    page.page.dispatch_event("#range", "change")
    shape = {
        "type": "Feature",
        "properties": {"name": "<b>triangle</b>"},
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[27.0, 53.5], [28.5, 53.5], [27.7, 54.4], [27.0, 53.5]]],
        },
    }
    path = tmp_path / "triangle.geojson"
    path.write_text(json.dumps(shape))
    before = page.js("window.reachmap.updates")
    page.page.set_input_files("#upload", str(path))
    page.computed(before)
    page.wait("window.reachmap.drawn")
    assert page.page.text_content("#areas").startswith("triangle.geojson")
    assert page.js("window.reachmap.results.reach.summary.places_inside_area") >= 1  # Minsk
    img = page.map_image()
    # the Baltic off Lithuania, about 550 km from the triangle, inside 1,000 km
    assert tinted(patch(img, page.pixel(19.0, 55.0)))
    page.assert_clean()
