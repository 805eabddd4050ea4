"""Coverage statuses and area shares against independent computations."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

import reachmap
from reachmap.analysis.coverage import COLUMNS, CoverageResult, coverage_table
from reachmap.analysis.reach import RangeSpec
from reachmap.cli.coverage_table import render_coverage
from reachmap.data import countries
from reachmap.geodesy.ellipsoid import GEOD


@pytest.fixture(scope="module")
def luxembourg_30km() -> CoverageResult:
    return coverage_table(reachmap.area("49.61,6.13"), RangeSpec(30e3, 30e3))


def _row(result: CoverageResult, iso3: str) -> dict:
    return next(r for r in result.rows(include_none=True) if r["iso3"] == iso3)


def test_statuses(luxembourg_30km: CoverageResult) -> None:
    res = luxembourg_30km
    assert _row(res, "LUX")["status"] == "partial"
    assert _row(res, "FRA")["status"] == "partial"
    assert _row(res, "ESP")["status"] == "none"
    assert _row(res, "ESP")["area_share"] == 0.0
    assert _row(res, "LUX")["nearest_km"] == 0.0
    for r in res.rows(include_none=True):
        assert (r["status"] == "none") == (r["nearest_km"] * 1000 > 30e3)
        assert set(COLUMNS) <= set(r)


def test_area_share_against_a_fine_grid(luxembourg_30km: CoverageResult) -> None:
    # Independent estimate: a 0.002 deg grid over Luxembourg, each cell weighted by its
    # ellipsoidal area (GeographicLib polygon area of the cell), exact distances.
    lux = countries.country("LUX").shapely()
    x0, y0, x1, y1 = lux.bounds
    step = 0.002
    lon, lat = np.meshgrid(np.arange(x0, x1, step) + step / 2, np.arange(y0, y1, step) + step / 2)
    lon, lat = lon.ravel(), lat.ravel()
    keep = shapely.contains_xy(lux, lon, lat)
    lon, lat = lon[keep], lat[keep]
    cell = np.array(
        [
            abs(
                GEOD.polygon_area_perimeter(
                    [0, step, step, 0], [y - step / 2, y - step / 2, y + step / 2, y + step / 2]
                )[0]
            )
            for y in np.unique(lat)
        ]
    )
    weight = cell[np.searchsorted(np.unique(lat), lat)]
    d = reachmap.area("49.61,6.13").distance_m(lon, lat)
    ref = weight[d <= 30e3].sum() / weight.sum()
    row = _row(luxembourg_30km, "LUX")
    # grid of ~160 m cells on a ~300 km border: ~0.5 % discretisation
    assert row["area_share"] == pytest.approx(ref, abs=0.005)
    assert row["area_km2"] == pytest.approx(weight.sum() / 1e6, rel=0.01)


def test_disc_area_within_a_big_country() -> None:
    # A 300 km disc in the middle of Russia: area within = the geodesic disc's area
    # (GeographicLib, finely sampled circle); Russia is partial.
    res = coverage_table(reachmap.area("60,90"), RangeSpec(300e3, 300e3))
    az = np.linspace(0, 360, 20000, endpoint=False)
    lon, lat, _ = GEOD.fwd(
        np.full(az.size, 90.0), np.full(az.size, 60.0), az, np.full(az.size, 300e3)
    )
    ref, _ = GEOD.polygon_area_perimeter(lon[::-1], lat[::-1])
    row = _row(res, "RUS")
    assert row["status"] == "partial"
    # chords of a convex outline lie inside it: up to ~2/3 x 25 m x 1,885 km = 3e7 m^2 less
    assert row["area_within_km2"] * 1e6 == pytest.approx(abs(ref), rel=2e-4)
    assert row["area_within_km2"] * 1e6 <= abs(ref)
    assert sum(r["status"] != "none" for r in res.rows()) == 1


def test_full_status_groups_and_population(belarus: reachmap.Area) -> None:
    res = coverage_table(belarus, RangeSpec(700e3, 1_000e3), date="2024-03-06")
    blr, ltu, fra = _row(res, "BLR"), _row(res, "LTU"), _row(res, "FRA")
    assert blr["status"] == "full" and blr["area_share"] == 1.0
    assert ltu["status"] == "full" and ltu["farthest_km"] <= 700
    assert fra["status_high"] == "none"
    assert blr["population_within"] > 1_000_000
    nato = next(g for g in res.groups if g["group"] == "nato")
    assert nato["members"] == 31  # Sweden joined the next day
    assert nato["full"] >= 3  # Lithuania, Latvia, Poland at least
    s = res.summary()
    assert s["countries_full"] >= 5 and s["population_within"] > 0
    from rich.console import Console

    console = Console(record=True, width=160)
    render_coverage(console, res)
    text = console.export_text()
    assert "Lithuania" in text and "NATO" in text
