"""The launch area's model geometry: what `reachmap area --format geojson` exports, its
area, and the whole globe as a polygon (issue 8, part 3).

References: GeographicLib's own Python implementation (``geographiclib``) for reading
the exported edges as geodesics, the closed form of the ellipsoid's surface and its
published value (510,065,621.7 km^2, WGS84).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from geographiclib.geodesic import Geodesic

import reachmap
from reachmap.envelope.core import envelope
from reachmap.geodesy.ellipsoid import A_M, B_M, E

WGS84 = Geodesic.WGS84


def _geodesic_midpoints(ring: list[list[float]]) -> np.ndarray:
    """Midpoints of the geodesics between consecutive positions (GeographicLib)."""
    out = []
    for (lon1, lat1), (lon2, lat2) in zip(ring[:-1], ring[1:], strict=True):
        line = WGS84.InverseLine(lat1, lon1, lat2, lon2)
        p = line.Position(0.5 * line.s13)
        out.append([p["lon2"], p["lat2"]])
    return np.array(out)


def _boundary_offset_m(area: reachmap.Area, coords: list) -> float:
    """Largest distance from the midpoints of the exported edges, read as geodesics, to
    the boundary the distances use (the exact engine, inside or outside)."""
    worst = 0.0
    for poly in coords:
        for ring in poly:
            mid = _geodesic_midpoints(ring)
            # pole and seam edges only close the lon/lat polygon: not part of the boundary
            keep = (np.abs(mid[:, 1]) < 90 - 1e-9) & (np.abs(np.abs(mid[:, 0]) - 180) > 1e-9)
            near = area.nearest(mid[keep, 0], mid[keep, 1])
            worst = max(worst, float(near.distance_m.max()))
    return worst


@pytest.mark.parametrize("spec", ["BLR", "EGY", "RUS", "FJI"])
def test_area_geojson_read_as_geodesics_is_the_boundary_distances_use(spec: str, cli) -> None:
    # Regression: the export claimed geodesic edges between the raw Natural Earth
    # vertices, while distances use the lon/lat edges densified; read as labelled, the
    # boundary moved (at edge midpoints: BLR 9.7 m, EGY 18.9 m, RUS 44.5 m). Now the
    # densified vertices are exported: read as geodesics they are the boundary to float
    # precision (1 m is the test's limit). FJI: across the antimeridian.
    code, out, _ = cli("area", spec, "--format", "geojson")
    assert code == 0
    feature = json.loads(out)["features"][0]
    area = reachmap.area(spec)
    assert "geodesics between consecutive vertices" in feature["properties"]["edges"]
    assert "densified" in feature["properties"]["edges"]
    coords = feature["geometry"]["coordinates"]
    assert _boundary_offset_m(area, coords) < 1.0
    assert feature["properties"]["vertices"] == sum(len(r) - 1 for p in coords for r in p)
    # the raw vertices read the same way are off (what the old export gave)
    raw = [[[*map(list, r), list(r[0])] for r in p] for p in area.polygons]
    if spec != "FJI":
        assert _boundary_offset_m(area, raw) > 5.0


def test_area_of_the_model_polygons_matches_geographiclib() -> None:
    # The area printed with the export is GeographicLib's area of the exported rings.
    area = reachmap.area("EGY")
    ref = 0.0
    for poly in area.model_polygons:
        for k, ring in enumerate(poly):
            p = WGS84.Polygon()
            for lon, lat in ring:
                p.AddPoint(lat, lon)
            _, _, a = p.Compute(False, True)
            ref += abs(a) if k == 0 else -abs(a)
    assert area.area_m2 == pytest.approx(ref, rel=1e-12)


@pytest.fixture
def globe_file(tmp_path: Path) -> Path:
    path = tmp_path / "globe.geojson"
    ring = [[-180, -90], [180, -90], [180, 90], [-180, 90], [-180, -90]]
    path.write_text(json.dumps({"type": "Polygon", "coordinates": [ring]}))
    return path


def test_whole_globe_polygon_has_the_ellipsoids_area_and_a_globe_envelope(
    globe_file: Path, cli
) -> None:
    # Regression: a whole-globe polygon had area 0 km^2 (GeographicLib's polygon area is
    # modulo the surface) and its envelope failed with an internal error.
    closed_form = 2 * math.pi * A_M**2 + math.pi * B_M**2 / E * math.log((1 + E) / (1 - E))
    area = reachmap.area(str(globe_file))
    assert area.area_m2 == pytest.approx(closed_form, rel=1e-12)
    assert area.area_m2 / 1e6 == pytest.approx(510_065_621.7, abs=0.05)  # published
    for r in (1.0, 100e3, 5_500e3):
        env = envelope(area, r)
        assert env.kind == "globe"
        assert env.area_m2 == pytest.approx(closed_form, rel=1e-9)
    assert area.distance_m([0.0, 179.0, -180.0], [0.0, 89.5, -90.0]).tolist() == [0, 0, 0]
    code, out, err = cli(
        "envelope", "--from", str(globe_file), "--range", "100", "--format", "json"
    )
    assert code == 0, err
    assert json.loads(out)["envelopes"][0]["kind"] == "globe"
    code, out, _ = cli("area", str(globe_file), "--format", "json")
    assert json.loads(out)["area_km2"] == pytest.approx(510_065_621.7, abs=0.05)
