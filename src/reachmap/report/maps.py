"""Drawing maps with matplotlib from geometry projected by :mod:`reachmap.report.projection`.

Why this stack: matplotlib (Agg for PNG, its own SVG writer) draws exactly the paths
it is given, offline, with the non-zero fill rule; every projection decision is made
in :mod:`~reachmap.report.projection`, where pole-containing and antimeridian-crossing
envelopes become simple closed rings. Map libraries that reproject lon/lat polygons
themselves (cartopy, GL globes, planar hexagon fills) fill the outside or cut holes
for exactly those shapes (see docs/report.md).

Layers, bottom to top: ocean (the frame), land, graticule, region fills, country
borders, region outlines, launch areas, places, frame outline. Legend and caption sit
below the map so no map pixel is hidden by them.

>>> import reachmap
>>> from reachmap.report.projection import make_view
>>> env = reachmap.envelope(reachmap.area("53.71,31.70"), 5_000e3)
>>> view = make_view("aeqd", (31.70, 53.71), 5_600e3)
>>> spec = MapSpec(view, "5,000 km", [Fill.of_envelope(view, env, "#c0392b", "within")])
>>> fig = render(spec)
>>> len(to_png(fig)) > 10_000
True
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path

from reachmap.geodesy.ellipsoid import Float
from reachmap.report import outlines
from reachmap.report import projection as proj
from reachmap.report.labels import Place, draw_places
from reachmap.report.projection import View

__all__ = [
    "AreaMark",
    "Fill",
    "MapSpec",
    "Outline",
    "Place",
    "Rendered",
    "render",
    "to_png",
    "to_svg",
]

OCEAN = "#e4eef5"
LAND = "#f6f4ee"
BORDER = "#8f979e"
GRATICULE = "#c3d0db"
FRAME_EDGE = "#4a4a4a"
AREA = "#222222"
#: deployed, baseline, further areas (colour-blind safe, Okabe & Ito 2008)
AREA_COLOURS = ("#d55e00", "#0072b2", "#009e73", "#cc79a7", "#e69f00", "#56b4e9")
ISOCHRONE_COLOURS = ("#7f0000", "#c0392b", "#ef6548", "#fdae6b", "#fee8c8")

DPI = 150
WIDTH_IN = 9.0
_MAP_W_IN = 8.5
_TITLE_IN = 0.45
_LEGEND_ROW_IN = 0.2
_CAPTION_LINE_IN = 0.105
_CAPTION_CHARS = 175  # characters per caption line (6.3 pt across the map's width)
FILL_ALPHA = 0.42
BAND_ALPHA = 0.18


@dataclass(frozen=True)
class Fill:
    """A filled region (projected rings, non-zero rule) with an optional outline."""

    rings: Sequence[Float]
    colour: str
    label: str | None = None
    alpha: float = FILL_ALPHA
    lines: Sequence[Float] = ()
    linewidth: float = 0.9
    linestyle: str = "-"

    @classmethod
    def of_envelope(
        cls,
        view: View,
        env: Any,
        colour: str,
        label: str | None = None,
        *,
        alpha: float = FILL_ALPHA,
        inner: Any = None,
        outline: bool = True,
    ) -> Fill:
        """Fill of an envelope (anything with ``polygons``); with ``inner`` (a smaller
        envelope inside it) only the band between the two."""
        rings = list(proj.envelope_rings(view, env.polygons))
        if inner is not None:
            rings += [r[::-1] for r in proj.envelope_rings(view, inner.polygons)]
        lines = proj.boundary_lines(view, env.polygons) if outline else []
        return cls(rings, colour, label, alpha, lines)


@dataclass(frozen=True)
class Outline:
    """A region drawn as a line only (e.g. a baseline envelope for comparison)."""

    lines: Sequence[Float]
    colour: str
    label: str | None = None
    linewidth: float = 1.3
    linestyle: str = "--"


@dataclass(frozen=True)
class AreaMark:
    """A launch area: its polygons filled dark, its points as triangles."""

    rings: Sequence[Float]
    lines: Sequence[Float]
    points_xy: Float
    label: str
    colour: str = AREA
    alpha: float = 0.85

    @classmethod
    def of_area(
        cls,
        view: View,
        area: Any,
        label: str | None = None,
        colour: str = AREA,
        alpha: float = 0.85,
    ) -> AreaMark:
        rings = proj.polygon_rings(view, area.polygons) if area.polygons else []
        lines = proj.boundary_lines(view, area.polygons) if area.polygons else []
        pts = np.asarray(area.points, dtype=np.float64).reshape(-1, 2)
        x, y = view.project(pts[:, 0], pts[:, 1])
        return cls(rings, lines, np.column_stack([x, y]), label or area.label, colour, alpha)


@dataclass(frozen=True)
class MapSpec:
    """Everything one map shows."""

    view: View
    title: str
    fills: Sequence[Fill] = ()
    outlines: Sequence[Outline] = ()
    areas: Sequence[AreaMark] = ()
    places: Sequence[Place] = ()
    caption: str = ""
    countries: bool = True
    graticule_deg: float = 10.0
    notes: list[str] = field(default_factory=list)


@dataclass
class Rendered:
    """A drawn map: the figure and the axes holding the map (for pixel look-ups)."""

    figure: Figure
    axes: Axes
    hidden_places: tuple[str, ...]  # beyond the map's edge
    unlabelled: tuple[str, ...] = ()  # on the map, label left out for space

    def pixel(self, x_m: float, y_m: float) -> tuple[int, int]:
        """(column, row) in :attr:`image` of map point ``(x_m, y_m)`` (row 0 at the top)."""
        px, py = self.axes.transData.transform((x_m, y_m))
        height = self.figure.bbox.height
        return int(math.floor(px)), int(math.floor(height - py))

    @cached_property
    def image(self) -> np.ndarray:
        """The rendered image as in the PNG, (rows, columns, 4) uint8."""
        canvas = self.figure.canvas
        canvas.draw()
        return np.asarray(canvas.buffer_rgba()).copy()  # type: ignore[attr-defined]


def _path(rings: Sequence[Float]) -> Path | None:
    rings = [r for r in rings if len(r) >= 3]
    if not rings:
        return None
    verts, codes = [], []
    for r in rings:
        verts.append(r)
        verts.append(r[:1])
        c = np.full(len(r) + 1, Path.LINETO, dtype=np.uint8)
        c[0], c[-1] = Path.MOVETO, Path.CLOSEPOLY
        codes.append(c)
    return Path(np.concatenate(verts), np.concatenate(codes))


def _lines(
    ax: Axes,
    lines: Sequence[Float],
    clip: PathPatch,
    *,
    colors: str,
    linewidths: float,
    zorder: float,
    linestyles: str = "-",
) -> None:
    """Polylines as one unfilled compound path (one SVG element, not one per line)."""
    segs = [ln for ln in lines if len(ln) >= 2]
    if not segs:
        return
    codes = [np.full(len(s), Path.LINETO, dtype=np.uint8) for s in segs]
    for c in codes:
        c[0] = Path.MOVETO
    path = Path(np.concatenate(segs), np.concatenate(codes))
    patch = PathPatch(
        path,
        facecolor="none",
        edgecolor=colors,
        linewidth=linewidths,
        linestyle=linestyles,
        zorder=zorder,
        capstyle="round",
        joinstyle="round",
    )
    ax.add_artist(patch)


def _mask(view: View, box: tuple[float, float, float, float]) -> PathPatch:
    """White outside the frame, inside the axes box (non-zero rule: opposite windings)."""
    x0, y0, x1, y1 = box
    rect = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]])
    ring = np.asarray(view.frame.exterior.coords)[:-1]
    area = 0.5 * np.sum(ring[:, 0] * np.roll(ring[:, 1], -1) - np.roll(ring[:, 0], -1) * ring[:, 1])
    path = _path([rect, ring if area < 0 else ring[::-1]])
    assert path is not None
    return PathPatch(path, facecolor="white", edgecolor="none", zorder=7.5)


def _frame_patch(view: View, **style: Any) -> PathPatch:
    ring = np.asarray(view.frame.exterior.coords)[:-1]
    path = _path([ring])
    assert path is not None
    return PathPatch(path, **style)


def country_outlines(view: View) -> outlines.ProjectedCountries:
    """The view's country outlines, simplified to under a pixel (0.75 px) of its maps;
    computed once per view (call it ahead to prepare a frame)."""
    minx, _, maxx, _ = view.frame.bounds
    metres_per_px = 1.02 * (maxx - minx) / (_MAP_W_IN * DPI)  # the 1 % pad each side
    return outlines.projected_countries(view, round(0.75 * metres_per_px, -2))


def render(spec: MapSpec) -> Rendered:
    """Draw ``spec`` on a new figure (Agg canvas; save as PNG or SVG)."""
    view = spec.view
    minx, miny, maxx, maxy = view.frame.bounds
    pad = 0.01 * max(maxx - minx, maxy - miny)
    minx, miny, maxx, maxy = minx - pad, miny - pad, maxx + pad, maxy + pad
    map_h_in = _MAP_W_IN * (maxy - miny) / (maxx - minx)
    below_in = _below_in(spec)
    height_in = _TITLE_IN + map_h_in + below_in
    fig = Figure(figsize=(WIDTH_IN, height_in), dpi=DPI, facecolor="white")
    FigureCanvasAgg(fig)
    left = (WIDTH_IN - _MAP_W_IN) / 2 / WIDTH_IN
    ax = fig.add_axes((left, below_in / height_in, _MAP_W_IN / WIDTH_IN, map_h_in / height_in))
    ax.set_axis_off()
    ax.set_xlim(minx, maxx)
    ax.set_ylim(miny, maxy)
    ax.add_artist(_frame_patch(view, facecolor=OCEAN, edgecolor="none", zorder=0))
    # Everything is cut to the frame by an opaque mask drawn over the map layers (the
    # axes box minus the frame): far cheaper than a clip path on every layer in Agg.
    clip = _mask(view, (minx, miny, maxx, maxy))
    metres_per_px = (maxx - minx) / (_MAP_W_IN * DPI)
    if spec.countries:
        pc = country_outlines(view)
        _patch(ax, pc.land, clip, facecolor=LAND, edgecolor="none", zorder=1)
    if spec.graticule_deg:
        _lines(
            ax,
            proj.graticule(view, spec.graticule_deg),
            clip,
            colors=GRATICULE,
            linewidths=0.35,
            zorder=2,
        )
    for f in spec.fills:
        _patch(ax, f.rings, clip, facecolor=f.colour, alpha=f.alpha, edgecolor="none", zorder=3)
    if spec.countries:
        _lines(ax, pc.borders, clip, colors=BORDER, linewidths=0.3, zorder=4)
    for f in spec.fills:
        _lines(
            ax,
            f.lines,
            clip,
            colors=f.colour,
            linewidths=f.linewidth,
            linestyles=f.linestyle,
            zorder=5,
        )
    for o in spec.outlines:
        _lines(
            ax,
            o.lines,
            clip,
            colors=o.colour,
            linewidths=o.linewidth,
            linestyles=o.linestyle,
            zorder=5,
        )
    for a in spec.areas:
        _patch(ax, a.rings, clip, facecolor=a.colour, alpha=a.alpha, edgecolor="none", zorder=6)
        _lines(
            ax,
            a.lines,
            clip,
            colors="white" if a.colour == AREA else a.colour,
            linewidths=0.5,
            zorder=6,
        )
        if len(a.points_xy):
            ax.scatter(
                a.points_xy[:, 0],
                a.points_xy[:, 1],
                marker="^",
                s=40,
                c=a.colour,
                edgecolors="white",
                linewidths=0.7,
                zorder=7,
            )
    ax.add_artist(clip)
    hidden, unlabelled = draw_places(ax, view, spec.places, metres_per_px, DPI)
    ax.add_artist(_frame_patch(view, facecolor="none", edgecolor=FRAME_EDGE, lw=0.8, zorder=9))
    fig.text(
        left,
        1 - 0.12 / height_in,
        spec.title,
        fontsize=11.5,
        fontweight="bold",
        va="top",
        ha="left",
    )
    notes = list(spec.notes)
    if hidden:
        notes.append("Beyond the map's edge: " + ", ".join(hidden) + ".")
    if unlabelled:
        notes.append("Not labelled for space: " + ", ".join(unlabelled) + ".")
    text = " ".join([spec.caption, *notes]).strip()
    _legend(fig, spec, text, left, (below_in - 0.1) / height_in, 0.08 / height_in)
    return Rendered(fig, ax, tuple(hidden), tuple(unlabelled))


def _entries(spec: MapSpec) -> int:
    labelled = [f for f in spec.fills if f.label] + [o for o in spec.outlines if o.label]
    return len(labelled) + len(spec.areas)


def _below_in(spec: MapSpec) -> float:
    """Height (in) under the map for the legend and the caption (plus two lines for the
    notes on unlabelled places)."""
    n = _entries(spec)
    rows = n if n <= 4 else math.ceil(n / 2)
    lines = math.ceil(len(spec.caption) / _CAPTION_CHARS) + (2 if spec.places else 0)
    return 0.3 + rows * _LEGEND_ROW_IN + lines * _CAPTION_LINE_IN


def _patch(ax: Axes, rings: Sequence[Float], clip: PathPatch, **style: Any) -> None:
    path = _path(rings)
    if path is not None:
        patch = PathPatch(path, **style)
        ax.add_artist(patch)  # not add_patch: limits are fixed, and its bounds scan is slow


def _legend(
    fig: Figure, spec: MapSpec, caption: str, left: float, top: float, bottom: float
) -> None:
    handles: list[Any] = []
    for f in spec.fills:
        if f.label:
            handles.append(Patch(facecolor=f.colour, alpha=max(f.alpha, 0.3), label=f.label))
    for o in spec.outlines:
        if o.label:
            from matplotlib.lines import Line2D

            handles.append(
                Line2D([], [], color=o.colour, lw=o.linewidth, ls=o.linestyle, label=o.label)
            )
    for a in spec.areas:
        if len(a.points_xy) and not a.rings:
            from matplotlib.lines import Line2D

            handles.append(
                Line2D(
                    [],
                    [],
                    marker="^",
                    ls="none",
                    color=a.colour,
                    markersize=6,
                    markeredgecolor="white",
                    label=f"launch site: {a.label}",
                )
            )
        else:
            handles.append(
                Patch(facecolor=a.colour, alpha=a.alpha, label=f"launch area: {a.label}")
            )
    if handles:
        fig.legend(
            handles=handles,
            loc="upper left",
            bbox_to_anchor=(left - 0.01, top),
            ncol=1 if len(handles) <= 4 else 2,
            borderaxespad=0.0,
            fontsize=7.5,
            frameon=False,
            handlelength=1.6,
        )
    if caption:
        fig.text(
            left,
            bottom,
            textwrap.fill(caption, _CAPTION_CHARS),
            fontsize=6.3,
            va="bottom",
            ha="left",
            color="#333333",
            linespacing=1.25,
        )


def to_png(rendered: Rendered, *, palette: bool = False) -> bytes:
    """PNG bytes: lossless (exactly :attr:`Rendered.image`), or with ``palette`` 256
    colours (about a third of the size, for embedding; anti-aliased edges shift by a
    few levels of 255)."""
    from PIL import Image

    img = Image.fromarray(rendered.image, "RGBA").convert("RGB")
    if palette:
        img = img.quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    buf = io.BytesIO()
    img.save(buf, format="PNG", compress_level=6 if palette else 2, dpi=(DPI, DPI))
    return buf.getvalue()


def to_svg(rendered: Rendered) -> str:
    """SVG text (text kept as text; fixed ids and no date, so the same inputs give the
    same file)."""
    from matplotlib import rc_context

    buf = io.StringIO()
    with rc_context({"svg.fonttype": "none", "svg.hashsalt": "reachmap"}):
        rendered.figure.savefig(buf, format="svg", metadata={"Date": None}, dpi=DPI)
    return buf.getvalue()
