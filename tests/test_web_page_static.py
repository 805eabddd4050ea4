"""The page's files and routes without a browser: the vendored libraries are exactly the
published npm tarballs' files, nothing loads from another origin, user text never goes
through innerHTML, and the background outlines keep to their stated tolerance."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import shapely
from fastapi import FastAPI
from fastapi.testclient import TestClient

from reachmap.web import page

ROOT = Path(__file__).resolve().parents[1]
STATIC = ROOT / "src" / "reachmap" / "web" / "static"
VENDOR = STATIC / "vendor"
OWN = [p for p in STATIC.rglob("*") if p.is_file() and VENDOR not in p.parents]


@pytest.fixture(scope="module")
def client() -> TestClient:
    app = FastAPI()
    app.include_router(page.router)
    return TestClient(app)


def test_vendored_files_match_the_record() -> None:
    record = json.loads((VENDOR / "VENDORED.json").read_text())
    assert {e["name"] for e in record} == {"ol", "proj4"}
    for entry in record:
        assert entry["license"] in ("BSD-2-Clause", "MIT")
        assert entry["integrity"].startswith("sha512-") and len(entry["shasum"]) == 40
        for name, digest in entry["files"].items():
            assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest, name
        # the licence text ships beside the code
        assert any(n.endswith("LICENSE.md") for n in entry["files"])
    # the vendoring script agrees (its --check reads the same record, fetches nothing)
    out = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "vendor_frontend.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr


def test_own_files_reference_no_other_origin() -> None:
    # absolute URLs, and protocol-relative ones in quotes or url(...)
    url = re.compile(r"https?://|[\"'(]//[a-z0-9]", re.I)
    for path in OWN:
        text = path.read_text()
        if path.suffix == ".svg":  # an XML namespace name, never fetched
            text = text.replace('xmlns="http://www.w3.org/2000/svg"', "")
        assert not url.search(text), f"{path.name}: {url.search(text)}"


def test_html_has_no_inline_script_or_style() -> None:
    html = (STATIC / "index.html").read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)  # every script has a src
    assert "<style" not in html and " style=" not in html
    assert not re.search(r"\son[a-z]+=", html)  # no inline event handlers


def test_scripts_never_use_innerhtml() -> None:
    for path in STATIC.joinpath("js").glob("*.js"):
        text = path.read_text()
        for bad in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
            assert bad not in text, f"{path.name} uses {bad}"


def test_routes_serve_the_page_and_refuse_the_rest(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert 'src="/static/js/app.js"' in r.text
    names = set(page.served_files())
    assert {"index.html", "js/app.js", "vendor/ol.js", "vendor/proj4.js"} <= names
    # every file the page names is served
    for ref in re.findall(r'(?:src|href)="/static/([^"]+)"', r.text):
        assert client.get(f"/static/{ref}").status_code == 200, ref
    for js in STATIC.joinpath("js").glob("*.js"):
        for ref in re.findall(r"from '\./([^']+)'", js.read_text()):
            assert client.get(f"/static/js/{ref}").status_code == 200, ref
    r = client.get("/static/js/app.js")
    assert r.headers["content-type"].startswith("text/javascript")
    assert (
        client.get("/static/js/app.js", headers={"If-None-Match": r.headers["etag"]}).status_code
        == 304
    )
    for bad in [
        "../page.py",
        "..%2Fpage.py",
        "js/../../page.py",
        ".hidden.js",
        "page.py",
        "nope.js",
    ]:
        assert client.get(f"/static/{bad}").status_code == 404, bad
    assert client.get("/static/nope.js").json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    ("path", "tolerance", "stated", "gz_max", "features_min"),
    [
        # the page's largest download after ol.js; micro-states (Vatican, Monaco, ...)
        # vanish at 0.05 deg
        ("/static/countries.json", page.SIMPLIFY_DEG, 0.05, 400_000, 225),
        # the first frame's outline: a quarter of the vertices
        ("/static/countries-coarse.json", page.COARSE_DEG, 0.2, 100_000, 175),
    ],
)
def test_outlines_keep_to_the_stated_tolerance(
    client: TestClient, path: str, tolerance: float, stated: float, gz_max: int, features_min: int
) -> None:
    from reachmap.data.countries import countries

    r = client.get(path, headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200
    data = r.json()
    assert data["simplified_deg"] == tolerance == stated
    assert data["source"]["version"] == "5.1.1"
    raw = page.outlines_asset(tolerance).body
    assert raw == r.content
    assert len(gzip.compress(raw)) < gz_max
    by_iso = {f["properties"]["iso3"]: f for f in data["features"]}
    assert len(by_iso) >= features_min
    # Douglas-Peucker keeps original vertices (moved only by the rounding), and every
    # published vertex of a ring too wide to collapse (its thinnest width above twice
    # the tolerance) stays within the tolerance of the kept outline
    rounding = 0.5 * 10.0**-page.ROUND_DIGITS * np.sqrt(2)
    for c in countries():
        if c.iso3 not in ("BLR", "RUS", "FJI", "ATA", "NOR", "ZAF", "GRC", "USA"):
            continue
        kept = shapely.MultiPolygon(
            [shapely.Polygon(p[0], p[1:]) for p in by_iso[c.iso3]["geometry"]["coordinates"]]
        )
        full = c.shapely()
        kept_xy = shapely.points(shapely.get_coordinates(kept))
        assert shapely.distance(kept_xy, full.boundary).max() <= rounding + 1e-9, c.iso3
        for poly in c.polygons:
            for ring in poly:
                box = shapely.minimum_rotated_rectangle(shapely.MultiPoint(ring))
                sides = np.hypot(*np.diff(shapely.get_coordinates(box)[:3], axis=0).T)
                if sides.min() <= 2 * tolerance:
                    continue
                d = shapely.distance(shapely.points(ring), kept.boundary)
                assert d.max() <= tolerance + rounding + 1e-9, (c.iso3, d.max())
    # cuts at 180 and the pole closure survive (the page drops them as artificial edges)
    rus = np.concatenate(
        [np.asarray(r) for p in by_iso["RUS"]["geometry"]["coordinates"] for r in p]
    )
    assert (rus[:, 0] == 180).any() and (rus[:, 0] == -180).any()
    ata = np.concatenate(
        [np.asarray(r) for p in by_iso["ATA"]["geometry"]["coordinates"] for r in p]
    )
    assert (ata[:, 1] == -90).any()


def test_outlines_are_gzipped_when_accepted(client: TestClient) -> None:
    plain = client.get("/static/countries.json", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    asset = page.outlines_asset()
    assert gzip.decompress(asset.gz) == asset.body == plain.content


def test_every_static_file_ships_in_the_wheel() -> None:
    import fnmatch
    import tomllib

    globs = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"
    ]["reachmap"]
    package = ROOT / "src" / "reachmap"
    for path in STATIC.rglob("*"):
        if path.is_file():
            rel = path.relative_to(package).as_posix()
            # setuptools' "*" does not cross "/", like fnmatch on each part
            assert any(fnmatch.fnmatch(rel, g) and rel.count("/") == g.count("/") for g in globs), (
                rel
            )
