"""``reachmap.plot``: a quick map of launch areas, envelopes and places, for notebooks.

Drawn by the report's own map code (:mod:`reachmap.report.maps` over
:mod:`reachmap.report.projection`): an azimuthal equidistant view centred on the first
launch area by default, where envelopes around a pole or across the antimeridian are
ordinary closed shapes, with the Natural Earth land and borders underneath. Needs
matplotlib (``pip install 'reachmap[plot]'``; the report already depends on it).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from reachmap.analysis.reach import ReachResult
from reachmap.area import Area
from reachmap.envelope.core import Envelope, EnvelopeSet
from reachmap.errors import InputError
from reachmap.geodesy.ellipsoid import GEOD
from reachmap.places import Places
from reachmap.report import figures, maps
from reachmap.report import projection as proj
from reachmap.units import display_unit, length_label
from reachmap.words import plural

__all__ = ["MAX_PLACES", "PROJECTIONS", "plot", "plot_spec"]

PROJECTIONS = ("aeqd", "polar", "world")
#: Most places one map labels (more would only be dots under each other's labels).
MAX_PLACES = 500


def _split(objects: Sequence[Any]) -> tuple[list[Area], list[Envelope], list[Places]]:
    areas: list[Area] = []
    envelopes: list[Envelope] = []
    places: list[Places] = []
    for obj in objects:
        if isinstance(obj, Area):
            areas.append(obj)
        elif isinstance(obj, Envelope):
            envelopes.append(obj)
        elif isinstance(obj, EnvelopeSet):
            envelopes.extend(obj.envelopes)
        elif isinstance(obj, Places):
            places.append(obj)
        elif isinstance(obj, ReachResult):  # its launch area and the places within reach
            areas.append(obj.area)
            places.append(obj.targets.take(obj.order))
        else:
            raise InputError(
                f"cannot plot a {type(obj).__name__}; give Area, Envelope, EnvelopeSet, "
                "Places or a reach result"
            )
    for env in envelopes:  # each envelope's launch area, once
        if not any(env.area is a for a in areas):
            areas.append(env.area)
    return areas, envelopes, places


def _points(areas: Sequence[Area], places: Sequence[Places]) -> np.ndarray:
    """(lon, lat) of every vertex, point and place, shape (n, 2)."""
    parts = [np.asarray(r) for a in areas for p in a.polygons for r in p]
    parts += [np.asarray(a.points).reshape(-1, 2) for a in areas]
    parts += [np.column_stack([p.lon_deg, p.lat_deg]) for p in places]
    return np.concatenate(parts) if parts else np.empty((0, 2))


def _centre(areas: Sequence[Area], pts: np.ndarray) -> tuple[float, float]:
    if areas:
        return figures.centre_of(areas[0])
    lon, lat = np.radians(pts[:, 0]), np.radians(pts[:, 1])
    v = np.array([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)]).mean(1)
    return math.degrees(math.atan2(v[1], v[0])), math.degrees(math.atan2(v[2], math.hypot(*v[:2])))


def _view(
    projection: str, centre: tuple[float, float], envs: list[Envelope], pts: np.ndarray
) -> proj.View:
    """The report's view showing every envelope, area vertex and place (an azimuthal
    disc at least 300 km across, padded as the report pads envelopes)."""
    view = figures.view_for(projection, centre, envs)
    if projection == "world" or not len(pts):
        return view
    c = centre if projection == "aeqd" else (0.0, 90.0 if centre[1] >= 0 else -90.0)
    n = len(pts)
    _, _, d = GEOD.inv(np.full(n, c[0]), np.full(n, c[1]), pts[:, 0], pts[:, 1])
    shown = view.radius_m if math.isfinite(view.radius_m) else 0.0
    radius = max(shown, 1.06 * float(np.max(d)) + 150e3, 300e3)
    return proj.make_view(projection, centre, min(radius, proj.MAX_RADIUS_M))


def plot_spec(
    *objects: Any, projection: str = "aeqd", title: str | None = None, units: str = "km"
) -> maps.MapSpec:
    """What :func:`plot` draws, as the report's :class:`~reachmap.report.maps.MapSpec`."""
    unit = display_unit(units)
    if projection not in PROJECTIONS:
        raise InputError(f"unknown projection {projection!r}; use one of: {', '.join(PROJECTIONS)}")
    if not objects:
        raise InputError("nothing to plot: give an Area, Envelope, Places or reach result")
    areas, envs, places = _split(objects)
    n_places = sum(len(p) for p in places)
    if n_places > MAX_PLACES:
        raise InputError(
            f"{plural(n_places, 'place')} to label; a map labels at most {MAX_PLACES}: "
            "plot a subset (places.take(...))"
        )
    pts = _points(areas, places)
    view = _view(projection, _centre(areas, pts), envs, pts)
    fills = [
        maps.Fill.of_envelope(
            view,
            env,
            maps.AREA_COLOURS[k % len(maps.AREA_COLOURS)],
            f"within {length_label(env.range_m, unit)} of {env.area.label}",
        )
        for k, env in sorted(enumerate(envs), key=lambda ke: -ke[1].range_m)
    ]
    marks = [maps.AreaMark.of_area(view, a) for a in areas]
    labels = [q for p in places for q in figures.places_of(p)]
    if title is None:
        title = ", ".join(dict.fromkeys(a.label for a in areas)) or "Places"
    tol = max((e.tolerance_m for e in envs), default=50.0)
    caption = figures.caption(view, None, tolerance_m=tol, unit=unit)
    return maps.MapSpec(view, title, fills, (), marks, labels, caption)


def plot(
    *objects: Any, projection: str = "aeqd", title: str | None = None, units: str = "km"
) -> Figure:
    """A map of launch areas, envelopes and places, as a matplotlib ``Figure``.

    ``objects`` are :class:`~reachmap.area.Area`, :class:`~reachmap.envelope.core.Envelope`
    (its launch area is drawn too), :class:`~reachmap.envelope.core.EnvelopeSet`,
    :class:`~reachmap.places.Places` (at most :data:`MAX_PLACES`) or a reach result (its
    area and the places within reach). ``projection``: ``aeqd`` (centred on the first
    launch area, the default), ``polar`` or ``world`` (Equal Earth); ``units`` (km, mi,
    nmi) the unit of the legend's ranges and the caption's disc radius. Save with
    ``fig.savefig("map.png")``; in a notebook the figure shows itself.

    >>> import io, reachmap
    >>> minsk = reachmap.area("53.9,27.567")
    >>> fig = reachmap.plot(minsk, reachmap.envelope(minsk, range_m=500e3))
    >>> type(fig).__name__
    'Figure'
    >>> fig.savefig(io.BytesIO(), format="png")
    """
    spec = plot_spec(*objects, projection=projection, title=title, units=units)
    return maps.render(spec).figure
