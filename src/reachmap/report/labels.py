"""Places on a map: dots and labels that do not overlap (greedy, most populous first)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib import patheffects
from matplotlib.axes import Axes

from reachmap.geodesy.ellipsoid import Float
from reachmap.report.projection import View

PLACE = "#111111"


@dataclass(frozen=True)
class Place:
    """A labelled place; more populous places are labelled first."""

    name: str
    lon_deg: float
    lat_deg: float
    population: int = 0


def _visible(view: View, x: Float, y: Float) -> np.ndarray:
    if view.azimuthal:
        return np.asarray(np.hypot(x, y) <= view.radius_m)
    import shapely

    return np.asarray(shapely.contains_xy(view.frame, x, y))


def draw_places(
    ax: Axes, view: View, places: Sequence[Place], metres_per_px: float, dpi: float
) -> tuple[list[str], list[str]]:
    """Dots and labels, the most populous places first; a label goes beside its dot
    where it overlaps no label placed before (estimated boxes), or is left out.
    Returns (places off the map, places not labelled)."""
    if not places:
        return [], []
    lon = np.array([p.lon_deg for p in places])
    lat = np.array([p.lat_deg for p in places])
    x, y = view.project(lon, lat)
    seen = _visible(view, x, y)
    ax.scatter(x[seen], y[seen], s=9, c=PLACE, edgecolors="white", linewidths=0.5, zorder=8)
    size_pt = 6.0
    char_m = 0.52 * size_pt / 72 * dpi * metres_per_px
    height_m = 1.25 * size_pt / 72 * dpi * metres_per_px
    gap = 4 * metres_per_px
    boxes: list[tuple[float, ...]] = []
    unlabelled: list[str] = []
    halo = [patheffects.withStroke(linewidth=2.2, foreground="white")]
    pop = np.array([p.population for p in places])
    for k in np.flatnonzero(seen)[np.argsort(-pop[seen], kind="stable")].tolist():
        w = char_m * len(places[k].name)
        mid, up, down = y[k] - height_m / 2, y[k] + 0.3 * gap, y[k] - 0.3 * gap - height_m
        options = [
            (x[k] + gap, mid, "left", "center"),
            (x[k] - gap - w, mid, "right", "center"),
            (x[k] - w / 2, y[k] + gap, "center", "bottom"),
            (x[k] - w / 2, y[k] - gap - height_m, "center", "top"),
            (x[k] + gap, up, "left", "bottom"),
            (x[k] + gap, down, "left", "top"),
            (x[k] - gap - w, up, "right", "bottom"),
            (x[k] - gap - w, down, "right", "top"),
        ]
        free = [o for o in options if not any(_overlap(_box(o, w, height_m), b) for b in boxes)]
        if not free:  # crowded: the dot stays, the label goes (listed in the report)
            unlabelled.append(places[k].name)
            continue
        bx, by, ha, va = free[0]
        boxes.append(_box(free[0], w, height_m))
        tx = {"left": bx, "right": bx + w, "center": bx + w / 2}[ha]
        ty = {"center": by + height_m / 2, "bottom": by, "top": by + height_m}[va]
        ax.text(
            tx,
            ty,
            places[k].name,
            fontsize=size_pt,
            ha=ha,
            va=va,
            color=PLACE,
            zorder=8,
            path_effects=halo,
        )
    return [places[k].name for k in np.flatnonzero(~seen).tolist()], unlabelled


def _box(option: tuple[float, float, str, str], w: float, h: float) -> tuple[float, ...]:
    return (option[0], option[1], option[0] + w, option[1] + h)


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
