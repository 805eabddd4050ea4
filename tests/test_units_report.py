"""Maps and reports in miles and nautical miles (issue 10, part 3): ``reachmap report``
with ``[options] units`` or ``--units``, ``reachmap map --units`` and
``reachmap.plot(units=...)``, on real output. Printed lengths are checked against
GeographicLib distances and catalog metres divided by the unit definitions written out
here (1 mi = 1,609.344 m, 1 nmi = 1,852 m), not against reachmap's conversion."""

from __future__ import annotations

import contextlib
import csv
import html as htmllib
import io
import re
from pathlib import Path

import pytest
from geographiclib.geodesic import Geodesic
from test_report import SCENARIO

import reachmap
from reachmap.cli import main
from reachmap.data import catalog
from reachmap.report.plot import plot_spec

MILE_M = 1609.344
NAUTICAL_MILE_M = 1852.0
LOW_M, HIGH_M = 5_000e3, 5_500e3  # Oreshnik's catalog estimates (checked below)


def _mi(metres: float) -> str:
    return f"{metres / MILE_M:,.0f}"


def _text(svg: str) -> str:
    """The SVG's text, entities decoded, whitespace joined."""
    return " ".join(htmllib.unescape(" ".join(re.findall(r">([^<>]+)<", svg))).split())


@pytest.fixture(scope="module")
def miles_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The small scenario of test_report.py with ``units = "mi"`` in its [options]."""
    base = tmp_path_factory.mktemp("report-mi")
    toml = base / "small-mi.toml"
    toml.write_text(SCENARIO.replace("[options]\n", '[options]\nunits = "mi"\n'))
    out, cap = base / "out", io.StringIO()
    with contextlib.redirect_stdout(cap):
        assert main(["report", str(toml), "-o", str(out)]) == 0
    return out, cap.getvalue()


def test_catalog_estimates() -> None:
    r = catalog.system("oreshnik").range_m
    assert (r.low, r.high) == (LOW_M, HIGH_M)


def test_report_text_tables_and_maps_in_miles(miles_report: tuple[Path, str]) -> None:
    out, stdout = miles_report
    flat = " ".join(stdout.split())
    assert f"range {_mi(LOW_M)}–{_mi(HIGH_M)} mi" in flat, flat
    assert re.search(rf"NATO capitals within {_mi(LOW_M)} mi, \d+ within {_mi(HIGH_M)} mi", flat)
    page = (out / "index.html").read_text()
    text = " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", page)).split())
    # the capitals table: distance in miles, from GeographicLib
    lon0, lat0 = catalog.site("krychaw").lon_deg, catalog.site("krychaw").lat_deg
    rows = list(csv.DictReader(io.StringIO((out / "data" / "capitals.csv").read_text())))
    assert "krychaw:distance_km" in rows[0]  # data files keep their km fields
    berlin = next(r for r in rows if r["name"] == "Berlin")
    d_m = Geodesic.WGS84.Inverse(lat0, lon0, float(berlin["lat"]), float(berlin["lon"]))["s12"]
    assert re.search(rf"Berlin DEU {_mi(d_m)} \d+:\d\d", text), text[:2000]
    assert "Δ mi" in text and "mi: exact distance to the nearest point" in text
    # the flight table: 1,000 km as miles, apogees from the flight data in miles
    flights = list(csv.DictReader(io.StringIO((out / "data" / "flight-profiles.csv").read_text())))
    row = next(r for r in flights if float(r["ground_range_km"]) == 1000)
    apogee_m = float(row["min-energy:apogee_km"]) * 1e3
    assert f"{_mi(1000e3)} mi" in text and f"{_mi(apogee_m)} mi" in text
    # the assumptions and the lofted column's one-line explanation
    assert f"low range estimate ({_mi(LOW_M)} mi)" in text
    assert f"as on its {_mi(HIGH_M)} mi maximum-range flight" in text
    # the maps: legend and caption
    svg = _text((out / "maps" / "reach-krychaw.svg").read_text())
    assert f"within {_mi(LOW_M)} mi (low estimate)" in svg
    assert f"only within the high estimate, {_mi(LOW_M)}–{_mi(HIGH_M)} mi" in svg
    assert f"Oreshnik range 5,000–5,500 km ({_mi(LOW_M)}–{_mi(HIGH_M)} mi)" in svg
    assert re.search(r"disc radius [\d,]+ mi\.", svg)


def test_report_units_flag_overrides_and_is_checked(tmp_path: Path, capsys) -> None:
    toml = tmp_path / "s.toml"
    toml.write_text(SCENARIO.replace("[options]\n", '[options]\nunits = "furlong"\n'))
    assert main(["report", str(toml), "-o", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "units 'furlong' must be one of: km, mi, nmi" in err and err.count("\n") == 1
    assert main(["report", "-o", str(tmp_path / "o2"), "--units", "parsec"]) == 2
    err = capsys.readouterr().err
    assert "unknown unit 'parsec'" in err and "--units" in err and err.count("\n") == 1
    assert not (tmp_path / "o").exists() and not (tmp_path / "o2").exists()


def test_map_command_in_miles(tmp_path: Path, capsys) -> None:
    km_svg, mi_svg = tmp_path / "km.svg", tmp_path / "mi.svg"
    args = ["map", "--from", "krychaw", "--system", "oreshnik", "--targets", "none"]
    assert main([*args, "-o", str(km_svg)]) == 0
    assert main([*args, "--units", "mi", "-o", str(mi_svg)]) == 0
    capsys.readouterr()
    km, mi = _text(km_svg.read_text()), _text(mi_svg.read_text())
    assert f"Oreshnik from Krychaw (Krichev): {_mi(LOW_M)}–{_mi(HIGH_M)} mi" in mi
    assert f"within {_mi(LOW_M)} mi (low estimate)" in mi and " mi" not in km
    # the same disc, rounded to a whole km and a whole mile
    r_km = float(re.search(r"disc radius ([\d,]+) km", km)[1].replace(",", ""))  # type: ignore[index]
    r_mi = float(re.search(r"disc radius ([\d,]+) mi", mi)[1].replace(",", ""))  # type: ignore[index]
    assert abs(r_mi * MILE_M - r_km * 1e3) <= 0.5 * MILE_M + 0.5e3


def test_plot_in_nautical_miles() -> None:
    minsk = reachmap.area("53.9,27.567")
    env = reachmap.envelope(minsk, range_m=500e3)
    spec = plot_spec(minsk, env, units="nmi")
    assert [f.label for f in spec.fills] == [
        f"within {500e3 / NAUTICAL_MILE_M:,.0f} nmi of {minsk.label}"
    ]
    assert re.search(r"disc radius [\d,]+ nmi\.", spec.caption)
    assert reachmap.plot(minsk, env, units="mi") is not None
    with pytest.raises(reachmap.InputError, match="unknown unit 'yd'"):
        reachmap.plot(minsk, env, units="yd")
