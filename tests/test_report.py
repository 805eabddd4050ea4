"""The report end to end on a small scenario (two sites), its numbers checked against
independent references (GeographicLib, brute force over GeoNames and Natural Earth),
and every bad-input path: one line, exit code 2, nothing written."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import numpy as np
import pytest
from geographiclib.geodesic import Geodesic
from pyproj import Geod

from reachmap.cli import main
from reachmap.data import catalog, countries, geonames
from reachmap.report import write
from reachmap.report.projection import densify

SCENARIO = """\
title = "Small test scenario"
notes = "Two sites, for the tests."
date = "2026-01-01"

[[area]]
id = "krychaw"
from = ["krychaw"]
role = "deployed"

[[area]]
id = "ky"
name = "Kapustin Yar"
from = ["kapustin-yar"]
role = "baseline"

[[system]]
id = "oreshnik"

[targets]
capitals_of = ["nato"]
groups = ["nato", "eu"]

[options]
isochrone_minutes = [5, 10]
flight_ranges_km = [1000, 2000]
"""
WGS84 = Geodesic.WGS84
GEOD = Geod(ellps="WGS84")


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    base = tmp_path_factory.mktemp("report")
    toml = base / "small.toml"
    toml.write_text(SCENARIO)
    out = base / "out"
    cap = io.StringIO()
    import contextlib

    with contextlib.redirect_stdout(cap):
        assert main(["report", str(toml), "-o", str(out)]) == 0
    return out, cap.getvalue()


def _csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text())))


def _site(name: str) -> tuple[float, float]:
    s = catalog.site(name)
    return s.lon_deg, s.lat_deg


def test_files_and_terminal(report: tuple[Path, str]) -> None:
    out, stdout = report
    names = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    for expected in (
        "index.html",
        "scenario.toml",
        "maps/reach-krychaw.png",
        "maps/reach-krychaw.svg",
        "maps/reach-ky.png",
        "maps/world.png",
        "maps/isochrones-krychaw.svg",
        "maps/added-krychaw-vs-ky.png",
        "data/capitals.csv",
        "data/headline.csv",
        "data/coverage-krychaw.csv",
        "data/flight-profiles.csv",
        "data/envelopes-ky.geojson",
        "data/isochrones-krychaw.geojson",
        "data/launch-areas.geojson",
        write.MARKER,
    ):
        assert expected in names
    assert not any(p.name.startswith(".reachmap-") for p in out.parent.iterdir())  # no temp
    assert "Small test scenario" in stdout and f"Report: {out / 'index.html'}" in stdout
    assert "Compared with Kapustin Yar" in stdout


def test_html_is_self_contained(report: tuple[Path, str]) -> None:
    html = (report[0] / "index.html").read_text()
    assert "<script" not in html.lower() and "<link" not in html.lower()
    assert "@import" not in html and "url(" not in html
    srcs = re.findall(r'\bsrc="([^"]*)"', html)
    assert srcs and all(s.startswith("data:image/png;base64,") for s in srcs)
    for head in (
        "Headline numbers",
        "Maps",
        "Capitals",
        "Country coverage",
        "Flight profiles",
        "Assumptions",
        "Sources",
        "Data versions",
        "How to reproduce",
    ):
        assert f">{head}</h2>" in html
    assert "reachmap report " in html and "@media print" in html
    assert (report[0] / "index.html").stat().st_size < 8e6
    for href in re.findall(r'href="([^"#][^"]*)"', html):
        if not href.startswith("http"):
            assert (report[0] / href).is_file(), href


def test_capital_distances_are_geodesic(report: tuple[Path, str]) -> None:
    """Every distance in capitals.csv agrees with GeographicLib to a millimetre."""
    rows = _csv(report[0] / "data" / "capitals.csv")
    assert len(rows) == len(catalog.group("nato").members_on("2026-01-01"))
    for area_id, site in (("krychaw", "krychaw"), ("ky", "kapustin-yar")):
        lon0, lat0 = _site(site)
        for r in rows:
            ref = WGS84.Inverse(lat0, lon0, float(r["lat"]), float(r["lon"]))["s12"] / 1e3
            assert float(r[f"{area_id}:distance_km"]) == pytest.approx(ref, abs=1e-6)
    for r in rows:
        change = float(r["krychaw:distance_km"]) - float(r["ky:distance_km"])
        assert float(r["krychaw-vs-ky:change_km"]) == pytest.approx(change, abs=1e-9)
        t1, t2 = r["krychaw:min-energy_s"], r["ky:min-energy_s"]
        if t1 and t2:
            saved = (float(t2) - float(t1)) / 60
            assert float(r["krychaw-vs-ky:minutes_saved"]) == pytest.approx(saved, abs=1e-9)


def test_headline_counts_by_brute_force(report: tuple[Path, str]) -> None:
    """Capitals, population and touched countries from Krychaw, recomputed independently:
    geodesics from the point to every GeoNames place and every Natural Earth vertex."""
    rows = {r["launch_area"]: r for r in _csv(report[0] / "data" / "headline.csv")}
    head = rows["Krychaw (Krichev)"]
    lon0, lat0 = _site("krychaw")
    system = catalog.system("oreshnik")
    caps = geonames.capitals()
    _, _, d = GEOD.inv(
        np.full(len(caps), lon0), np.full(len(caps), lat0), caps.lon_deg, caps.lat_deg
    )
    other = caps.country_code.astype(str) != "BLR"
    assert int(head["capitals_low"]) == int(np.sum(other & (d <= system.range_m.low)))
    assert int(head["capitals_high"]) == int(np.sum(other & (d <= system.range_m.high)))
    cities = geonames.cities(15000)
    _, _, d = GEOD.inv(
        np.full(len(cities), lon0), np.full(len(cities), lat0), cities.lon_deg, cities.lat_deg
    )
    known = np.isin(cities.country_code.astype(str), [c.iso3 for c in countries.countries()])
    keep = known & (cities.country_code.astype(str) != "BLR") & (d <= system.range_m.low)
    assert int(head["population_low"]) == int(cities.population[keep].sum())
    touched = {
        r["iso3"]
        for r in _csv(report[0] / "data" / "coverage-krychaw.csv")
        if r["status"] in ("full", "partial")
    }
    for c in countries.countries():
        # outlines are straight in lon/lat: points every 0.1 deg (<= 11 km) along them
        verts = np.concatenate([densify(r, 0.1) for p in c.polygons for r in p])
        _, _, dv = GEOD.inv(
            np.full(len(verts), lon0), np.full(len(verts), lat0), verts[:, 0], verts[:, 1]
        )
        if dv.min() <= system.range_m.low:
            assert c.iso3 in touched, c.iso3
        elif dv.min() > system.range_m.low + 10e3:  # 10 km: more than the point spacing
            assert c.iso3 not in touched, c.iso3
    assert int(head["countries_low"]) == len(touched - {"BLR"})


def test_report_replaces_its_own_folder_only(
    report: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me")
    assert main(["report", str(report[0].parent / "small.toml"), "-o", str(foreign)]) == 2
    err = capsys.readouterr().err
    assert "is not empty and holds no earlier reachmap report" in err and err.count("\n") == 1
    assert [p.name for p in foreign.iterdir()] == ["notes.txt"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "{tmp}/missing/dir/report"], "does not exist"),
        (["-o", "{tmp}/file.txt"], "it is a file"),
        (["{tmp}/bad.toml", "-o", "{tmp}/out"], "bad.toml, line 3: unknown key 'colour'"),
        (["{tmp}/nope.toml", "-o", "{tmp}/out"], "does not exist"),
    ],
)
def test_bad_input_one_line_nothing_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    (tmp_path / "file.txt").write_text("x")
    (tmp_path / "bad.toml").write_text('title = "x"\n\ncolour = "red"\n')
    before = sorted(p.name for p in tmp_path.iterdir())
    code = main(["report", *[a.format(tmp=tmp_path) for a in args]])
    err = capsys.readouterr().err
    assert code == 2 and message in err and err.count("\n") == 1, err
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_unwritable_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The check runs before any work (os.access is patched: tests may run as root)."""
    import os

    real = os.access
    monkeypatch.setattr(os, "access", lambda p, m: False if Path(p) == tmp_path else real(p, m))
    assert main(["report", "-o", str(tmp_path / "out")]) == 2
    assert "is not writable" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_pdf_without_renderer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("REACHMAP_CHROMIUM", str(tmp_path / "no-such-browser"))
    assert main(["report", "--pdf", "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "apt-get install chromium" in err and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_map_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    png, svg = tmp_path / "m.png", tmp_path / "m.svg"
    assert main(["map", "--from", "krychaw", "--range", "3000", "-o", str(png)]) == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    args = ["map", "--from", "krychaw", "--system", "oreshnik", "--vs", "kapustin-yar"]
    assert main([*args, "--projection", "polar", "-o", str(svg)]) == 0
    assert svg.read_text().lstrip().startswith("<?xml") and "<svg" in svg.read_text()
    capsys.readouterr()
    for bad, message in (
        (["-o", str(tmp_path / "m.jpg")], "name the file .png or .svg"),
        (["--projection", "mercator", "-o", str(png)], "use one of aeqd, polar, world"),
        (["--minutes", "5,x", "-o", str(png)], "give numbers separated by commas"),
    ):
        assert main(["map", "--from", "krychaw", "--system", "oreshnik", *bad]) == 2
        err = capsys.readouterr().err
        assert message in err and err.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.png", "m.svg"]


def test_rotating_earth_column() -> None:
    """rotating_earth = true adds min-energy times on the rotating Earth, from the
    launch point to each capital: within 5 % of the non-rotating time (the azimuth
    changes the range by about +-5 % at these latitudes, DESIGN.md), never equal."""
    from reachmap.report import build, facts, scenario

    text = SCENARIO.replace("[options]\n", "[options]\nrotating_earth = true\n")
    data = build.run(scenario.parse(text, "rot.toml"))
    rows = facts.capitals_rows(data.systems[0], data.targets)
    pairs = [
        (r["krychaw:min-energy_s"], r["krychaw:rotating_s"])
        for r in rows
        if r.get("krychaw:rotating_s") is not None
    ]
    assert len(pairs) >= 25
    for flat, rot in pairs:
        assert rot != flat and abs(rot / flat - 1) < 0.05
