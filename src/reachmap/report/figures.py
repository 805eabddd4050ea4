"""The report's maps: reach (low/high band per launch area), flight-time contours and the
basing difference, as :class:`~reachmap.report.maps.MapSpec` built over envelopes.

Colours carry meaning across maps: the first launch area is orange, the next blue,
green, ...; the darker fill is "within the low estimate", the lighter band "only within
the high estimate"; other launch areas appear as dashed outlines of their high estimate.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely

from reachmap import __version__
from reachmap.area import Area
from reachmap.envelope.core import Envelope, from_shapely
from reachmap.geodesy.ellipsoid import GEOD, Float
from reachmap.report import maps
from reachmap.report import projection as proj
from reachmap.report.maps import AREA_COLOURS, ISOCHRONE_COLOURS, AreaMark, Fill, MapSpec, Outline
from reachmap.report.projection import View
from reachmap.units import length_label


@dataclass(frozen=True)
class Reach:
    """One launch area's envelopes at the low and the high estimate (``high`` is the
    same object as ``low`` when there is one figure)."""

    name: str
    area: Area
    low: Envelope
    high: Envelope
    colour: str = AREA_COLOURS[0]


def centre_of(area: Area) -> tuple[float, float]:
    """(lon, lat) of the mean direction of the area's vertices and points (works across
    the antimeridian; for one point, the point)."""
    parts = [np.asarray(r) for p in area.polygons for r in p[:1]]
    if len(area.points):
        parts.append(np.asarray(area.points))
    pts = np.concatenate(parts)
    lon, lat = np.radians(pts[:, 0]), np.radians(pts[:, 1])
    v = np.array([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)]).mean(1)
    return math.degrees(math.atan2(v[1], v[0])), math.degrees(math.atan2(v[2], math.hypot(*v[:2])))


def radius_for(
    centre: tuple[float, float], envelopes: Sequence[Envelope], pad: float = 1.06
) -> float:
    """Disc radius (m) showing every vertex of ``envelopes`` from ``centre``, padded."""
    far = 0.0
    for env in envelopes:
        pts = (
            np.concatenate([np.asarray(r) for p in env.polygons for r in p])
            if env.polygons
            else None
        )
        if env.kind == "globe" or pts is None:
            return proj.MAX_RADIUS_M
        _, _, d = GEOD.inv(
            np.full(len(pts), centre[0]), np.full(len(pts), centre[1]), pts[:, 0], pts[:, 1]
        )
        far = max(far, float(np.max(d)))
    return min(proj.MAX_RADIUS_M, pad * far + 150e3)


def view_for(projection: str, centre: tuple[float, float], envelopes: Sequence[Envelope]) -> View:
    """The view of ``projection`` that shows ``envelopes`` (azimuthal: a disc around the
    centre, or around the pole of the centre's hemisphere)."""
    if projection == "world":
        return proj.make_view("world", centre)
    c = centre if projection == "aeqd" else (0.0, 90.0 if centre[1] >= 0 else -90.0)
    return proj.make_view(projection, centre, radius_for(c, envelopes))


def places_of(targets: Any) -> list[maps.Place]:
    """Map places from a :class:`reachmap.places.Places`."""
    cols = (targets.name, targets.lon_deg, targets.lat_deg, targets.population)
    return [
        maps.Place(str(n), float(lon), float(lat), int(pop))
        for n, lon, lat, pop in zip(*cols, strict=True)
    ]


def span_label(low_m: float, high_m: float, unit: str = "km") -> str:
    """'5,000–5,500 km', or one figure when they agree (in ``unit``).

    >>> span_label(5_000e3, 5_500e3, "mi"), span_label(790e3, 790e3)
    ('3,107–3,418 mi', '790 km')
    """
    if low_m == high_m:
        return length_label(high_m, unit)
    return f"{length_label(low_m, unit).rsplit(' ', 1)[0]}–{length_label(high_m, unit)}"


def sources_text(system: Any, unit: str = "km") -> str:
    """'Oreshnik range 5,000–5,500 km. Sources: publisher, date; ...' of a system (the
    titles and links are in the report and in `reachmap systems ID`); the published km
    first, the range in ``unit`` beside it."""
    if system is None:
        return ""
    r = system.range_m
    span = span_label(r.low, r.high)
    if unit != "km":
        span += f" ({span_label(r.low, r.high, unit)})"
    cites = "; ".join(f"{s.publisher}, {s.date}" for s in r.sources)
    return (
        f"{system.name} range {span}. Sources: {cites} (titles and links: "
        f"`reachmap systems {system.id}`)."
    )


def caption(
    view: View, system: Any, extra: str = "", tolerance_m: float = 50.0, unit: str = "km"
) -> str:
    """The fixed print under a map: projection, sources, method, data, version (lengths
    in ``unit``)."""
    if view.azimuthal:
        where = (
            "the North Pole"
            if view.lat0_deg == 90
            else "the South Pole"
            if view.lat0_deg == -90
            else f"{view.lat0_deg:.2f}°, {view.lon0_deg:.2f}°"
        )
        frame = (
            f"Azimuthal equidistant projection centred on {where} (distances from the centre "
            f"are true); disc radius {length_label(view.radius_m, unit)}."
        )
    else:
        frame = "Equal Earth projection (areas true)."
    parts = [
        frame,
        sources_text(system, unit),
        extra,
        "Envelopes: exact WGS84 geodesic distance to the nearest point of the launch area, "
        f"outline within {tolerance_m:g} m. "
        "Geography only: no effects, accuracy or defences are modelled.",
        f"Outlines: Natural Earth 1:10m (public domain). reachmap {__version__}.",
    ]
    return " ".join(p for p in parts if p)


def _band_label(
    system: Any, env: Envelope, inner: Envelope | None, name: str, unit: str = "km"
) -> str:
    if inner is None:
        return f"{name}: within {length_label(env.range_m, unit)}" + (
            " (low estimate)" if system is not None else ""
        )
    span = span_label(inner.range_m, env.range_m, unit)
    return f"{name}: only within the high estimate, {span}"


def reach_map(
    view: View,
    reaches: Sequence[Reach],
    *,
    title: str,
    system: Any = None,
    outlines: Sequence[Reach] = (),
    places: Sequence[maps.Place] = (),
    tolerance_m: float = 50.0,
    unit: str = "km",
) -> MapSpec:
    """Low and high band of each launch area in ``reaches``; the high estimate of each of
    ``outlines`` as a dashed line (a basing to compare with); legend and caption lengths
    in ``unit`` (km, mi, nmi)."""
    fills, marks, lines = [], [], []
    for r in reaches:
        fills.append(
            Fill.of_envelope(view, r.low, r.colour, _band_label(system, r.low, None, r.name, unit))
        )
        if r.high is not r.low:
            fills.append(
                Fill.of_envelope(
                    view,
                    r.high,
                    r.colour,
                    _band_label(system, r.high, r.low, r.name, unit),
                    alpha=maps.BAND_ALPHA,
                    inner=r.low,
                )
            )
        marks.append(AreaMark.of_area(view, r.area, r.name))
    for o in outlines:
        lines.append(
            Outline(
                proj.boundary_lines(view, o.high.polygons),
                o.colour,
                f"{o.name}: edge of reach at {length_label(o.high.range_m, unit)}",
            )
        )
        marks.append(AreaMark.of_area(view, o.area, o.name, o.colour, 0.45))
    # the areas under study on top (Belarus is drawn over Russia, not hidden by it)
    marks = marks[len(reaches) :] + marks[: len(reaches)]
    notes = caption(view, system, tolerance_m=tolerance_m, unit=unit)
    return MapSpec(view, title, fills, lines, marks, places, notes)


def isochrone_map(
    view: View,
    name: str,
    area: Area,
    contours: Sequence[tuple[float, Envelope]],
    *,
    title: str,
    system: Any = None,
    profile: str = "min-energy",
    places: Sequence[maps.Place] = (),
    tolerance_m: float = 50.0,
    unit: str = "km",
) -> MapSpec:
    """Nested flight-time contours ``(minutes, envelope)``, drawn as bands."""
    ordered = sorted(contours, key=lambda c: c[0])
    fills = []
    for k, (minutes, env) in enumerate(ordered):
        inner = ordered[k - 1][1] if k else None
        colour = ISOCHRONE_COLOURS[min(k, len(ISOCHRONE_COLOURS) - 1)]
        label = f"within {minutes:g} min ({length_label(env.range_m, unit)})"
        fills.append(Fill.of_envelope(view, env, colour, label, alpha=0.5, inner=inner))
    extra = (
        f"Flight times: {profile} trajectory, boost phase included (textbook model, "
        "assumptions in the report)."
    )
    mark = AreaMark.of_area(view, area, name)
    return MapSpec(
        view, title, fills, (), [mark], places, caption(view, system, extra, tolerance_m, unit)
    )


def difference_polygons(first: Envelope, second: Envelope) -> tuple[tuple[Float, ...], ...]:
    """Lon/lat polygons of ``first`` minus ``second`` (planar in lon/lat, exact for the
    envelopes' straight lon/lat edges)."""
    return from_shapely(shapely.difference(first.geometry, second.geometry))


@dataclass(frozen=True)
class _Polys:
    polygons: tuple[tuple[Float, ...], ...]
    kind: str = "region"


def difference_map(
    view: View,
    deployed: Reach,
    baseline: Reach,
    *,
    title: str,
    system: Any = None,
    places: Sequence[maps.Place] = (),
    tolerance_m: float = 50.0,
    unit: str = "km",
) -> MapSpec:
    """What ``deployed`` reaches (high estimate) that ``baseline`` does not."""
    diff = _Polys(difference_polygons(deployed.high, baseline.high))
    fill = Fill.of_envelope(
        view,
        diff,
        deployed.colour,
        f"reached from {deployed.name} but not from {baseline.name} "
        f"({length_label(deployed.high.range_m, unit)})",
    )
    lines = [
        Outline(
            proj.boundary_lines(view, deployed.high.polygons),
            deployed.colour,
            f"{deployed.name}: edge of reach",
            linestyle="-",
            linewidth=0.9,
        ),
        Outline(
            proj.boundary_lines(view, baseline.high.polygons),
            baseline.colour,
            f"{baseline.name}: edge of reach",
        ),
    ]
    marks = [
        AreaMark.of_area(view, baseline.area, baseline.name, baseline.colour, 0.45),
        AreaMark.of_area(view, deployed.area, deployed.name),
    ]
    notes = caption(view, system, tolerance_m=tolerance_m, unit=unit)
    return MapSpec(view, title, [fill], lines, marks, places, notes)
