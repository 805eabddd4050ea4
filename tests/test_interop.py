"""Python interop (issue 10, part 7): short reprs, ``__geo_interface__``,
``to_geodataframe`` for every result, and the ``reachmap.reach`` facade."""

from __future__ import annotations

import numpy as np
import pytest
import shapely.geometry

import reachmap
from reachmap.data.geonames import capitals


@pytest.fixture(scope="module")
def belarus_500() -> reachmap.Envelope:
    return reachmap.envelope(reachmap.area("Belarus"), 500e3)


def test_reprs_are_short_and_say_what_matters(belarus_500) -> None:
    a = belarus_500.area
    text = repr(a)
    assert len(text) < 120 and "Belarus (BLR)" in text and f"{a.n_vertices:,} vertices" in text
    assert "lon 23.17..32.72" in text  # Belarus's bounds on the outline (°)
    e = repr(belarus_500)
    assert len(e) < 140 and "500 km" in e and f"{belarus_500.n_vertices:,} vertices" in e
    assert repr(capitals()) == "Places('capitals', 244 rows)"


def test_geo_interface_round_trips_through_shapely(belarus_500) -> None:
    a = belarus_500.area
    (feat,) = a.__geo_interface__["features"]
    assert shapely.geometry.shape(feat["geometry"]).equals(a.geometry)
    env = shapely.geometry.shape(belarus_500.__geo_interface__["geometry"])
    assert env.equals(belarus_500.geometry)
    pts = capitals().__geo_interface__["features"]
    assert len(pts) == 244 and pts[0]["geometry"]["type"] == "Point"


def test_to_geodataframe_takes_every_result(belarus_500) -> None:
    for obj, n, kind in [
        (belarus_500.area, 1, "MultiPolygon"),
        (belarus_500, 1, "MultiPolygon"),
        (capitals(), 244, "Point"),
    ]:
        gdf = reachmap.to_geodataframe(obj)
        assert len(gdf) == n and gdf.crs.to_epsg() == 4326
        assert set(gdf.geometry.geom_type) == {kind}
    result = reachmap.reach(belarus_500.area, 500e3, targets="capitals")
    gdf = reachmap.to_geodataframe(result)
    assert len(gdf) == 244 and {"distance_km", "status"} <= set(gdf.columns)


def test_reach_facade_matches_the_area_model() -> None:
    r = reachmap.reach("Belarus", system="oreshnik", targets="capitals", within="nato")
    blr = reachmap.area("Belarus")
    expect = blr.distance_m(r.targets.lon_deg, r.targets.lat_deg)
    assert np.array_equal(r.distance_m, expect)
    assert r.summary()["flight_profile"] == "min-energy"
    with pytest.raises(reachmap.InputError, match="no range given"):
        reachmap.reach("Belarus")
