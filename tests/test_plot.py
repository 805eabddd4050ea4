"""``reachmap.plot`` (issue 10, part 7): quick maps of areas, envelopes, places and reach
results drawn by the report's map code, checked on pixels."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from pyproj import Geod

import reachmap
from reachmap.places import Places
from reachmap.report import maps
from reachmap.report.plot import MAX_PLACES, plot_spec

GEOD = Geod(ellps="WGS84")
MINSK = (27.567, 53.9)


def _pixel(rendered: maps.Rendered, view: object, lon: float, lat: float) -> np.ndarray:
    x, y = view.project(np.array([lon]), np.array([lat]))  # type: ignore[attr-defined]
    col, row = rendered.pixel(float(x[0]), float(y[0]))
    return rendered.image[row - 1 : row + 2, col - 1 : col + 2, :3].astype(float)


def _at(azimuth_deg: float, distance_m: float) -> tuple[float, float]:
    lon, lat, _ = GEOD.fwd(MINSK[0], MINSK[1], azimuth_deg, distance_m)
    return float(lon), float(lat)


def test_envelope_fills_inside_and_leaves_outside_alone() -> None:
    """Drawn with and without the 500 km envelope in the same view: pixels 300 km from
    Minsk change, pixels 800 km away do not (well clear of the outline: 1 px is about
    6 km here)."""
    minsk = reachmap.area(f"{MINSK[1]},{MINSK[0]}")
    env = reachmap.envelope(minsk, 500e3)
    spec = plot_spec(minsk, env)
    assert spec.view.azimuthal and spec.view.radius_m > 500e3
    with_env = maps.render(dataclasses.replace(spec, graticule_deg=0))
    without = maps.render(dataclasses.replace(spec, fills=(), graticule_deg=0))
    for azimuth in (0.0, 90.0, 200.0, 300.0):
        inside = _at(azimuth, 300e3)
        outside = _at(azimuth, 800e3)
        a, b = _pixel(with_env, spec.view, *inside), _pixel(without, spec.view, *inside)
        assert np.abs(a - b).max() > 20, azimuth
        a, b = _pixel(with_env, spec.view, *outside), _pixel(without, spec.view, *outside)
        assert np.array_equal(a, b), azimuth


def test_envelope_around_the_pole_is_filled_at_the_pole() -> None:
    """A 5,000 km envelope from eastern Belarus contains the North Pole (~4,050 km away):
    the pole's pixel is filled, not left out as planar fills do."""
    krychaw = reachmap.area("53.71,31.70")
    env = reachmap.envelope(krychaw, 5_000e3, tolerance_m=500.0)
    spec = plot_spec(env)  # the envelope's launch area is drawn with it
    assert len(spec.areas) == 1 and len(spec.fills) == 1
    with_env = maps.render(dataclasses.replace(spec, graticule_deg=0))
    without = maps.render(dataclasses.replace(spec, fills=(), graticule_deg=0))
    a, b = _pixel(with_env, spec.view, 0.0, 90.0), _pixel(without, spec.view, 0.0, 90.0)
    assert np.abs(a - b).max() > 20


def test_places_and_reach_results() -> None:
    r = reachmap.reach("Belarus", range_m=300e3, targets="capitals")
    spec = plot_spec(r)
    names = {p.name for p in spec.places}
    assert {"Vilnius", "Kyiv", "Warsaw"} <= names and "Paris" not in names
    fig = reachmap.plot(r.targets.take(r.order), title="Capitals near Belarus")
    assert type(fig).__name__ == "Figure"
    assert reachmap.plot(reachmap.area("Belarus"), projection="world") is not None


@pytest.mark.parametrize(
    ("objects", "says"),
    [((), "nothing to plot"), (("Belarus",), "cannot plot a str")],
)
def test_bad_objects_say_what_to_give(objects: tuple[object, ...], says: str) -> None:
    with pytest.raises(reachmap.InputError, match=says):
        plot_spec(*objects)


def test_bad_projection_and_too_many_places() -> None:
    with pytest.raises(reachmap.InputError, match="aeqd, polar, world"):
        plot_spec(reachmap.area("Belarus"), projection="mercator")
    n = MAX_PLACES + 1
    many = Places.from_columns([f"p{i}" for i in range(n)], [""] * n, [27.0] * n, [53.0] * n)
    with pytest.raises(reachmap.InputError, match=f"at most {MAX_PLACES}"):
        plot_spec(many)
