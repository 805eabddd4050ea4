"""Maps drawn right where map libraries fail: an envelope containing the North Pole and
one crossing the antimeridian, in every projection offered, checked on pixels.

Each map is rendered twice, with and without the envelope fill; everything else is
identical. Inside the envelope a pixel must be the fill composited over the pixel
without it (alpha blending, +-3 of 255 for rounding); outside it must be unchanged.
Which points are inside is decided by exact geodesics (GeographicLib's direct
problem from the launch point), independently of the drawing.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely

import reachmap
from reachmap.geodesy.areas import polygons_area_m2
from reachmap.geodesy.ellipsoid import GEOD
from reachmap.report import maps
from reachmap.report import projection as proj

CASES = {
    # 53.71 N 31.70 E (Krychaw): the North Pole is ~4,050 km away
    "pole": ((31.70, 53.71), 5_000e3),
    # 64.73 N 177.5 E (Chukotka): crosses 180 deg (and holds the pole, ~2,810 km away)
    "antimeridian": ((177.5, 64.73), 3_000e3),
}
FILL = "#d55e00"
#: rendering rounds each channel to 1/255, and anti-aliasing never reaches a block
#: 3 px from any line; 3 levels of 255 is the allowed difference
TOL = 3
#: how far inside / outside the envelope the probe points lie (m); at most ~12 km a
#: pixel in these maps, so >= 20 px from the envelope's outline
MARGIN_M = 250e3


@pytest.fixture(scope="module")
def envelopes() -> dict[str, reachmap.Envelope]:
    return {k: reachmap.envelope(reachmap.area(f"{c[1]},{c[0]}"), r) for k, (c, r) in CASES.items()}


def _view(name: str, projection: str) -> proj.View:
    centre, r = CASES[name]
    # polar radius: farthest envelope point from the pole is its distance + R
    radius = r + 3 * MARGIN_M if projection == "aeqd" else 10_000e3
    return proj.make_view(projection, centre, radius)


def _render(view: proj.View, env: reachmap.Envelope | None) -> maps.Rendered:
    fills = [maps.Fill.of_envelope(view, env, FILL, "within")] if env is not None else []
    # no graticule: it lies under the fill (so it blends like the sea), but its lines
    # would make probe blocks look non-uniform
    return maps.render(maps.MapSpec(view, "test", fills, caption="test", graticule_deg=0))


def _rgb(hex_colour: str) -> np.ndarray:
    return np.array([int(hex_colour[k : k + 2], 16) for k in (1, 3, 5)], dtype=float)


def _block(img: np.ndarray, col: int, row: int, half: int = 1) -> np.ndarray:
    return img[row - half : row + half + 1, col - half : col + half + 1, :3].astype(float)


def _off_frame(
    rendered: maps.Rendered, view: proj.View, lon: float, lat: float, px: float = 3.0
) -> tuple[float, float]:
    """The probe moved towards the equator until its pixel is ``px`` pixels clear of
    the frame's outline (the world view's edges are the antimeridian and the poles;
    the outline is 1.7 px wide)."""
    ring = np.asarray(view.frame.exterior.coords)
    edge = rendered.axes.transData.transform(ring)
    while True:
        x, y = view.project(np.array([lon]), np.array([lat]))
        p = rendered.axes.transData.transform((float(x[0]), float(y[0])))
        if np.min(np.hypot(*(edge - p).T)) >= px:
            return lon, lat
        lat -= 0.25 * np.sign(lat)


def _wrap(lon: float) -> float:
    return (lon + 180.0) % 360.0 - 180.0


def _probe(env: reachmap.Envelope, inside: bool, n: int = 24) -> list[tuple[float, float]]:
    """Points MARGIN_M inside or outside the envelope boundary, by exact geodesics."""
    (lon0, lat0) = env.area.points[0]
    s = env.range_m + (-MARGIN_M if inside else MARGIN_M)
    az = np.arange(n) * 360.0 / n + 7.5
    lon, lat, _ = GEOD.fwd(np.full(n, lon0), np.full(n, lat0), az, np.full(n, s))
    return list(zip(np.asarray(lon).tolist(), np.asarray(lat).tolist(), strict=True))


def _visible(view: proj.View, lon: float, lat: float) -> bool:
    x, y = view.project(np.array([lon]), np.array([lat]))
    minx, _, maxx, _ = view.frame.bounds
    frame = view.frame.buffer(-0.03 * (maxx - minx))  # probes >= ~30 px off the outline
    return bool(shapely.contains_xy(frame, float(x[0]), float(y[0])))


def _check(
    with_env: maps.Rendered,
    without: maps.Rendered,
    view: proj.View,
    lon: float,
    lat: float,
    half: int = 1,
) -> tuple[bool, bool, bool]:
    """At a lon/lat point: (the block is the fill over the base, the block is the base,
    the base block is uniform, i.e. no line such as a coastline passes through it)."""
    x, y = view.project(np.array([lon]), np.array([lat]))
    col, row = with_env.pixel(float(x[0]), float(y[0]))
    a, b = _block(with_env.image, col, row, half), _block(without.image, col, row, half)
    blend = maps.FILL_ALPHA * _rgb(FILL) + (1 - maps.FILL_ALPHA) * b
    uniform = bool(np.all(b.max(axis=(0, 1)) - b.min(axis=(0, 1)) <= 2))
    return bool(np.all(np.abs(a - blend) <= TOL)), bool(np.all(np.abs(a - b) <= TOL)), uniform


@pytest.mark.parametrize("projection", proj.PROJECTIONS)
@pytest.mark.parametrize("name", list(CASES))
def test_envelope_pixels(
    envelopes: dict[str, reachmap.Envelope], name: str, projection: str
) -> None:
    env = envelopes[name]
    view = _view(name, projection)
    with_env, without = _render(view, env), _render(view, None)
    # the projected pole: in the world view the pole is the map's top line (drawn over
    # by the frame), so probe single pixels just below it (3 px, about 83 N), over sea
    lons = (-10.0, 10.0, 130.0) if name == "pole" else (140.0, 160.0, -150.0)
    pole = [(0.0, 90.0)] if view.azimuthal else [(lon, 89.0) for lon in lons]
    # both sides of the antimeridian, well inside both envelopes, over open sea
    lat_am = 85.0 if name == "pole" else 59.0
    edge = 179.0 if view.azimuthal else 175.0  # the world view's edge is the antimeridian
    side = [(edge, lat_am), (-edge, lat_am)]
    pole, side = ([_off_frame(with_env, view, *p) for p in ps] for ps in (pole, side))
    assert all(bool(env.contains(lon, lat)) for lon, lat in pole + side)  # premise
    for lon, lat in pole + side:
        half = 1 if view.azimuthal else 0  # world view: single pixels beside the frame
        filled, _, uniform = _check(with_env, without, view, lon, lat, half)
        assert uniform, f"probe {lon}, {lat} lies on a line; move it"
        assert filled, f"{name}/{projection}: not filled at {lon}, {lat}"
    seen = {True: 0, False: 0}
    for inside in (True, False):
        for lon, lat in _probe(env, inside):
            if not _visible(view, lon, lat):
                continue
            filled, same, uniform = _check(with_env, without, view, lon, lat)
            if not uniform:  # a coastline or border passes through: not informative
                continue
            seen[inside] += 1
            where = f"{name}/{projection} at {lon:.2f}, {lat:.2f}"
            assert filled if inside else same, f"{'not ' if inside else ''}filled: {where}"
    assert seen[True] >= 8 and seen[False] >= 6, seen


@pytest.mark.parametrize("name", list(CASES))
def test_loops_rebuilt_on_the_level_set(envelopes: dict[str, reachmap.Envelope], name: str) -> None:
    """The rebuilt loops drop every artificial edge: each vertex lies on d = R."""
    env = envelopes[name]
    loops = proj.sphere_loops(env.polygons)
    assert len(loops) == 1  # one simple closed curve, though cut at 180 deg in lon/lat
    pts = loops[0]
    assert not np.any(np.abs(pts[:, 1]) == 90.0)
    d = env.area.distance_m(pts[:, 0], pts[:, 1])
    assert np.max(np.abs(d - env.range_m)) <= env.tolerance_m
    # in the launch-centred view it is a simple closed curve around the centre,
    # counter-clockwise (the region on its left)
    view = _view(name, "aeqd")
    ring = shapely.LinearRing(view.project_line(pts))
    assert ring.is_simple and ring.is_ccw
    assert shapely.Polygon(ring).contains(shapely.Point(0, 0))


@pytest.mark.parametrize("name", list(CASES))
def test_world_view_area_is_the_ellipsoidal_area(
    envelopes: dict[str, reachmap.Envelope], name: str
) -> None:
    """Equal Earth is equal-area on the ellipsoid: the projected fill has the envelope's
    ellipsoidal area (computed from its lon/lat polygons by exact zone integrals).
    0.1 % covers the 0.5 deg densification of the straight lon/lat edges."""
    env = envelopes[name]
    view = proj.make_view("world", (0.0, 0.0))
    rings = proj.envelope_rings(view, env.polygons)
    area = sum(shapely.Polygon(r).area for r in rings)
    assert area == pytest.approx(polygons_area_m2(env.polygons), rel=1e-3)


def test_aeqd_distances_from_the_centre_are_geodesic() -> None:
    """Radius in the launch-centred view = GeographicLib distance (exact to 1 mm)."""
    view = proj.make_view("aeqd", (31.70, 53.71), 6_000e3)
    lon = np.array([-0.1276, 2.3522, 37.6173, 180.0])
    lat = np.array([51.5072, 48.8566, 55.7558, 90.0])
    x, y = view.project(lon, lat)
    _, _, d = GEOD.inv(np.full(4, 31.70), np.full(4, 53.71), lon, lat)
    assert np.hypot(x, y) == pytest.approx(d, abs=1e-3)
    # the pole is due north of the centre
    assert abs(x[3]) < 1e-6 and y[3] > 0


def test_clamped_points_follow_the_rim() -> None:
    """Points towards the antipode are pulled onto the clamp circle, and a run of them
    follows the circle instead of cutting across the map."""
    view = proj.make_view("aeqd", (31.70, 53.71), 3_000e3)
    lat = np.full(50, -53.0)
    line = np.column_stack([np.linspace(-170.0, -130.0, 50), lat])
    xy = view.project_line(line)
    r = np.hypot(xy[:, 0], xy[:, 1])
    assert np.allclose(r, view.clamp_m)
    step = np.hypot(*np.diff(xy, axis=0).T)
    assert step.max() <= view.clamp_m * math.radians(1.01)
