"""The report in a real browser: a PDF and a screenshot with headless Chromium (Debian's
``chromium`` package), when it is installed; skipped, with the reason shown, otherwise."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from test_report import SCENARIO

from reachmap.cli import main
from reachmap.report import pdf

BROWSER = pdf.find_chromium()
pytestmark = pytest.mark.skipif(
    BROWSER is None, reason="headless Chromium not installed (apt-get install chromium)"
)


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("browser")
    toml = base / "small.toml"
    toml.write_text(SCENARIO)
    assert main(["report", str(toml), "-o", str(base / "out"), "--pdf"]) == 0
    return base / "out"


def test_pdf(out: Path) -> None:
    data = (out / "report.pdf").read_bytes()
    assert data[:5] == b"%PDF-"
    pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
    assert pages >= 4  # print CSS: each section from a new A4 page
    assert len(data) > 200_000  # the maps are in it


def test_screenshot_shows_headline_and_map(out: Path, tmp_path: Path) -> None:
    shot = tmp_path / "shot.png"
    pdf.screenshot(out / "index.html", shot, width=1200, height=2600)
    img = np.asarray(Image.open(shot).convert("RGB")).astype(int)
    assert img.shape == (2600, 1200, 3)
    ink = np.any(img < 200, axis=2).mean()
    assert ink > 0.02  # text and tables are drawn, not a blank page
    # the headline box's accent border (#d55e00) and the deployed area's envelope fill
    # (#d55e00 at 42 % over the map's land or sea) are on the first screen
    accent = np.all(np.abs(img - [0xD5, 0x5E, 0x00]) <= 6, axis=2)
    assert accent.sum() > 500
    land = np.array([0xF6, 0xF4, 0xEE])
    fill = 0.42 * np.array([0xD5, 0x5E, 0x00]) + 0.58 * land
    assert np.all(np.abs(img - fill) <= 8, axis=2).sum() > 5_000
