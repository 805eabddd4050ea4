"""Envelopes: the region within geodesic distance R of a launch area, as lon/lat polygons.

>>> import reachmap
>>> from reachmap.envelope.core import envelope
>>> env = envelope(reachmap.area("53.71,31.70"), 5_000e3)
>>> env.contains(0.0, 90.0)  # the North Pole is ~4,050 km from Krychaw
np.True_
>>> env.contains([0.0, 0.0], [90.0, -90.0]).tolist()
[True, False]
>>> env.max_vertex_error_m < 0.01 and env.max_edge_error_m <= env.tolerance_m
True

How (see docs/envelope.md): the exact distance field ``d`` of the area is contoured
at ``R`` by adaptive marching squares in an azimuthal equidistant frame
(:mod:`reachmap.envelope.contour`), every contour vertex is put exactly on ``d = R``
and edges are split until their midpoints are within half the tolerance
(:mod:`reachmap.envelope.levelset`), and the loops become RFC 7946 polygons, cut at
the antimeridian and closed along a pole (:mod:`reachmap.envelope.lonlat`). Every
vertex and every edge midpoint of the result is then checked with the exact distance
and the largest errors are stored on the :class:`Envelope`.

Output edges are straight lines in lon/lat and lie within the tolerance of the
geodesics through their ends, so GIS clients (planar lon/lat) and globes (geodesic
edges) draw the same region to within the tolerance. Edges along the antimeridian or
a pole (latitude +-90) are artefacts of the lon/lat plane, not part of the boundary.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray

from reachmap.area import Area, _size
from reachmap.envelope import seed as seeding
from reachmap.envelope.circles import union_loops
from reachmap.envelope.contour import Frame, trace
from reachmap.envelope.levelset import (
    MAX_DISTANCE_M,
    SNAP_EPS_M,
    LevelSet,
    choose_frame,
)
from reachmap.envelope.lonlat import FRAME, assemble
from reachmap.envelope.offset import offset_envelope
from reachmap.envelope.seed import seed_loops
from reachmap.envelope.snap import densify, snap_contours
from reachmap.envelope.verify import verify
from reachmap.errors import InputError, InputTypeError, TooLarge, type_name
from reachmap.geodesy.areas import polygons_area_m2
from reachmap.geodesy.ellipsoid import GEOD, Float
from reachmap.geodesy.rings import Polygon, from_shapely, n_vertices, to_shapely
from reachmap.progress import Progress, report
from reachmap.units import length_label, lonlat_arrays, real_number

DEFAULT_TOLERANCE_M = 50.0
MIN_TOLERANCE_M = 1.0
MAX_TOLERANCE_M = 10_000.0
#: finest grid cell: R / 4 (so every component is seen), between these bounds (m)
MIN_CELL_M = 250.0
MAX_CELL_M = 25e3
#: envelopes of points up to this range start from geodesic circles: the grid's
#: finest cell (MIN_CELL_M) cannot see a disc much smaller than itself
CIRCLE_MAX_M = 4 * MIN_CELL_M
#: ranges up to this are traced as a union of exact offset pieces (archipelagos, fjords)
#: before the grid; beyond it the grid's cells (>= 25 km) are fast on any coast, and
#: the union of wide, overlapping pieces slower
OFFSET_FIRST_RANGE_M = 100e3
#: up to this range the offset union is also the fallback when the grid fails
OFFSET_MAX_RANGE_M = 1_000e3
#: the grid refuses up front when the area's boundary is this many finest cells long
#: (about 10 exact distance evaluations per cell; CAN at 10 km would be 58,000)
MAX_GRID_CELLS = 20_000

EDGES_NOTE = (
    "straight in lon/lat (RFC 7946) and within the tolerance of the WGS84 geodesic between "
    "their ends; edges along the antimeridian or latitude +-90 only close the polygon"
)


def check_tolerance(tolerance_m: float) -> float:
    """The tolerance (m) if allowed, else :class:`InputError` saying the allowed range."""
    tolerance_m = real_number(tolerance_m, "tolerance_m")
    if not (math.isfinite(tolerance_m) and MIN_TOLERANCE_M <= tolerance_m <= MAX_TOLERANCE_M):
        raise InputError(
            f"`tolerance_m` must be between {MIN_TOLERANCE_M:g} m and "
            f"{MAX_TOLERANCE_M / 1000:g} km, "
            f"got {tolerance_m:g} m"
        )
    return float(tolerance_m)


def check_range(range_m: float) -> float:
    """The range (m) if it is a finite number >= 0, else :class:`InputError`."""
    range_m = real_number(range_m, "range_m")
    if not (math.isfinite(range_m) and range_m >= 0):
        raise InputError(f"`range_m` must be a finite distance >= 0, got {range_m / 1000:g} km")
    return float(range_m)


@dataclass(frozen=True)
class Envelope:
    """The region within ``range_m`` of ``area`` (lon/lat polygons, see module doc)."""

    area: Area
    range_m: float
    tolerance_m: float
    polygons: tuple[Polygon, ...]  # exterior CCW then holes CW, no closing vertex
    max_vertex_error_m: float  # max |d - R| over the boundary vertices
    max_edge_error_m: float  # max |d - R| at edge quarter/mid points (lon/lat), geodesic mids
    cell_m: float = 0.0  # finest contouring cell (m); 0 when no contour was traced
    evaluations: int = 0  # exact distance evaluations spent on the grid
    kind: str = "region"  # "region", "globe" (everything within reach) or "area" (R = 0)
    dropped: int = 0  # far-region pockets smaller than a grid cell that were left out
    #: how the loops were found: "grid" (contour), "aeqd buffer", "circles" (small
    #: ranges), "circle union" (many points), "offset union" (coasts at small ranges)
    seed: str = "grid"
    _cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def geometry(self) -> shapely.MultiPolygon:
        """Planar lon/lat MultiPolygon (valid; prepared for fast point tests)."""
        return to_shapely(self.polygons, prepare=True)

    def __repr__(self) -> str:
        size = _size(self.polygons)
        return f"Envelope({self.area.label!r}, {self.range_m / 1000:,g} km, {size})"

    @property
    def __geo_interface__(self) -> dict[str, Any]:
        """The envelope as a GeoJSON Feature (RFC 7946: cut at 180°, closed along poles)."""
        return {
            "type": "Feature",
            "geometry": shapely.geometry.mapping(to_shapely(self.polygons)),
            "properties": {"launch_area": self.area.label, "range_km": self.range_m / 1000},
        }

    @cached_property
    def area_m2(self) -> float:
        """Ellipsoidal area (m^2) of the polygons with their lon/lat edges."""
        return polygons_area_m2(self.polygons)

    @property
    def n_vertices(self) -> int:
        return n_vertices(self.polygons)

    def contains(self, lon_deg: ArrayLike, lat_deg: ArrayLike) -> NDArray[np.bool_] | np.bool_:
        """Whether points lie in the envelope polygons (planar lon/lat test; points on
        the outline count as inside). Arrays broadcast and the result has their shape
        (scalars in, a scalar out); NaN coordinates are outside."""
        lon, lat = lonlat_arrays(lon_deg, lat_deg)
        inside = shapely.intersects_xy(self.geometry, lon, lat)
        return np.asarray(inside, dtype=bool).reshape(lon.shape)[()]

    def to_json(self) -> dict[str, Any]:
        """JSON-ready summary: range, tolerance, verification, size."""
        return {
            "launch_area": self.area.label,
            "range_km": self.range_m / 1000,
            "tolerance_m": self.tolerance_m,
            "kind": self.kind,
            "max_vertex_error_m": self.max_vertex_error_m,
            "max_edge_error_m": self.max_edge_error_m,
            "area_km2": self.area_m2 / 1e6,
            "polygons": len(self.polygons),
            "vertices": self.n_vertices,
            "seed": self.seed,
            "grid_cell_km": self.cell_m / 1000,
            "dropped_pockets": self.dropped,
            "edges": EDGES_NOTE,
        }


def envelope(area: Area, range_m: float, tolerance_m: float = DEFAULT_TOLERANCE_M) -> Envelope:
    """The region within geodesic distance ``range_m`` of ``area`` (see module doc).

    ``range_m = 0`` gives the area's polygons; a range at least the largest distance
    on the ellipsoid (20,003.9 km) gives the whole globe.
    """
    if not isinstance(area, Area):
        raise InputTypeError(
            f"`area` must be an Area, got {type_name(area)}; build one with reachmap.area('BLR')"
        )
    range_m = check_range(range_m)
    tolerance_m = check_tolerance(tolerance_m)
    if range_m == 0:
        polys = tuple(tuple(np.asarray(r) for r in p) for p in area.polygons)
        return Envelope(area, 0.0, tolerance_m, polys, 0.0, 0.0, kind="area")
    # Polygons bounded only by the antimeridian seam and the poles (no real edge) are
    # the whole globe: then so is every envelope of them.
    whole = bool(area.polygons) and not area.boundary.real.any() and area.area_m2 > 0
    if range_m >= MAX_DISTANCE_M or whole:
        return Envelope(area, range_m, tolerance_m, ((FRAME.copy(),),), 0.0, 0.0, kind="globe")
    ls = LevelSet(area, range_m)
    if not area.polygons and range_m <= CIRCLE_MAX_M:
        circles = _from_loops(ls, _circle_loops(ls, tolerance_m), tolerance_m, "circles")
        if circles is not None:
            return circles
    seeded = _seeded(ls, tolerance_m)
    if seeded is not None:
        return seeded
    if not area.polygons and len(area.points) > 1:
        # many points: the union of their circles, traced on the ellipsoid (any spread)
        union = _from_loops(ls, union_loops(ls, tolerance_m), tolerance_m, "circle union")
        if union is not None:
            return union
    if range_m <= OFFSET_FIRST_RANGE_M:
        offset = _offset(ls, tolerance_m)
        if offset is not None:
            return offset
        check_grid_work(ls)
        return _grid(ls, tolerance_m)
    try:
        return _grid(ls, tolerance_m)
    except InputError:
        # finer than the grid's cells (archipelagos): the offset union resolves it
        offset = _offset(ls, tolerance_m) if range_m <= OFFSET_MAX_RANGE_M else None
        if offset is None:
            raise
        return offset


def _offset(ls: LevelSet, tolerance_m: float) -> Envelope | None:
    """The union of exact offset pieces (:mod:`reachmap.envelope.offset`), or None."""
    found = offset_envelope(ls, tolerance_m)
    if found is None:
        return None
    polys, v_err, e_err, dropped = found
    a, r = ls.area, ls.range_m
    return Envelope(a, r, tolerance_m, polys, v_err, e_err, dropped=dropped, seed="offset union")


def check_grid_work(ls: LevelSet) -> None:
    """:class:`~reachmap.errors.TooLarge`, saying what to change, when the grid would
    need more than :data:`MAX_GRID_CELLS` finest cells along the area's boundary."""
    b = ls.area.boundary
    length_m = float(np.sum(b.length_m[b.real])) if len(b) else 0.0
    cell = min(MAX_CELL_M, max(MIN_CELL_M, 0.25 * ls.range_m))
    if length_m / cell > MAX_GRID_CELLS:
        raise TooLarge(
            f"the envelope at {ls.range_m / 1000:g} km of {ls.area.label} is too detailed to "
            f"trace ({length_m / 1000:,.0f} km of boundary in cells of {cell / 1000:g} km, "
            f"limit {MAX_GRID_CELLS:,} cells): use a `range_m` of at least "
            f"{4.0 * length_m / MAX_GRID_CELLS / 1000:,.0f} km, or a smaller launch area"
        )


def _grid(ls: LevelSet, tolerance_m: float) -> Envelope:
    """The envelope traced on the adaptive grid (steps 2-7 of docs/envelope.md)."""
    area, range_m = ls.area, ls.range_m
    lon0, lat0, margin = choose_frame(ls)
    frame = Frame(lon0, lat0)
    cell = min(MAX_CELL_M, max(MIN_CELL_M, 0.25 * range_m))
    evaluations = 0
    for attempt in range(_ATTEMPTS):
        # A grid cell wider than a narrow channel of the far region can join what the
        # level set keeps apart; densifying then cannot converge or the rings cross.
        # Both are detected, and the grid is refined.
        con = trace(ls.g, frame, cell, margin)
        evaluations += con.evaluations
        loops, kept = snap_contours(ls, frame, con.loops, con.inside, con.outside)
        loops, errors = densify(ls, loops, tolerance_m)
        # A pocket of the far region smaller than a grid cell (where several discs
        # nearly meet) can defeat snapping; it lies within a cell of the level set,
        # the grid's stated resolution, and is left out (counted in ``dropped``).
        tiny = np.array([len(con.loops[k]) <= 8 for k in kept], dtype=bool)
        drop = tiny & (errors > 0.5 * tolerance_m)
        loops = [lp for lp, d in zip(loops, drop, strict=True) if not d]
        dropped = int(drop.sum())
        worst = float(errors[~drop].max()) if (~drop).any() else 0.0
        border_inside = con.any_inside if not loops else _border_inside(ls)
        last = attempt == _ATTEMPTS - 1 or con.cell_m / 4 < MIN_CELL_M
        try:
            polys = tuple(assemble(loops, border_inside, ls))
            valid = to_shapely(polys).is_valid
        except RuntimeError:
            if last:
                raise InputError(
                    f"the envelope at {range_m / 1000:g} km of {area.label} has features finer "
                    f"than the finest grid cell ({MIN_CELL_M:g} m), as archipelagos do at small "
                    "ranges; use a larger range (50 km or more usually works)"
                ) from None
            valid = False
        if (valid and worst <= 0.5 * tolerance_m) or last:
            break
        cell = con.cell_m / 4
    if not valid:  # last resort, reported: vertices stay, crossings are resolved
        polys = from_shapely(shapely.make_valid(to_shapely(polys)))
    kind = "globe" if not loops and border_inside else "region"
    v_err, e_err = verify(ls, polys)
    return Envelope(
        area, range_m, tolerance_m, polys, v_err, e_err, con.cell_m, evaluations, kind, dropped
    )


_ATTEMPTS = 3


def _circle_loops(ls: LevelSet, tolerance_m: float) -> list[Float] | None:
    """Geodesic circles of radius R around the area's points (direct problem), for
    ranges the grid's cells cannot resolve; where circles overlap, the outline of
    their union with the vertices inside another circle left out (densifying puts
    the corners in exactly). None if the union cannot be formed in lon/lat here.

    Vertices are spaced so that a circle's chords sag by at most a quarter of the
    tolerance and a thousandth of R (a 1 m circle keeps its shape); each is at distance
    R from its own point exactly, and from no other point nearer (checked)."""
    r = ls.range_m
    sag = min(0.25 * tolerance_m, 1e-3 * r)
    n = max(16, math.ceil(math.pi / math.acos(1.0 - sag / r)))
    az = np.linspace(360.0, 0.0, n, endpoint=False)  # counter-clockwise seen from above
    pts = ls.area.points
    lon, lat, _ = GEOD.fwd(
        np.repeat(pts[:, 0], n),
        np.repeat(pts[:, 1], n),
        np.tile(az, len(pts)),
        np.full(n * len(pts), r),
    )
    circles = np.column_stack([lon, lat]).reshape(len(pts), n, 2)
    g = ls.g(circles[:, :, 0].ravel(), circles[:, :, 1].ravel()).reshape(len(pts), n)
    if np.all(np.abs(g) <= SNAP_EPS_M):  # no circle reaches into another
        return [c for c in circles]
    if np.any(np.abs(circles[:, :, 0]) > 179.0) or np.any(np.abs(circles[:, :, 1]) > 89.0):
        return None  # a planar union across the antimeridian or a pole is not this one
    union = shapely.union_all([shapely.Polygon(c) for c in circles])
    loops = []
    for poly in from_shapely(union):
        for ring in poly:
            keep = np.abs(ls.g(ring[:, 0], ring[:, 1])) <= SNAP_EPS_M
            if keep.sum() >= 3:
                loops.append(ring[keep])
    return loops or None


def _seeded(ls: LevelSet, tolerance_m: float) -> Envelope | None:
    """The envelope from planar-buffer seeds (:mod:`reachmap.envelope.seed`), or None
    when that path does not apply or any check fails (the grid is traced instead)."""
    return _from_loops(ls, seed_loops(ls, tolerance_m), tolerance_m, "aeqd buffer")


def _from_loops(
    ls: LevelSet, loops: list[Float] | None, tolerance_m: float, how: str
) -> Envelope | None:
    """Loops on the level set, densified, assembled and checked; None if any check
    fails."""
    if loops is None:
        return None
    unchecked: list[int] = []
    loops, errors = densify(ls, loops, tolerance_m, unchecked)
    if errors.size == 0 or float(errors.max()) > 0.5 * tolerance_m:
        return seeding.declined("densifying did not converge")
    try:
        polys = tuple(assemble(loops, _border_inside(ls), ls))
    except RuntimeError:
        return seeding.declined("the loops could not be assembled")
    if not polys or not to_shapely(polys).is_valid:
        return seeding.declined("the rings cross")
    rings = [r for p in polys for r in p]
    if unchecked == [0] and sum(len(r) for r in rings) == sum(len(lp) for lp in loops):
        # The polygons are the densified loops (no antimeridian cut, no pole closure):
        # densifying measured every final edge at these points with the exact distance
        # in its last round; the vertices are checked again.
        pts = np.concatenate(rings)
        v_err = float(np.max(np.abs(ls.g(pts[:, 0], pts[:, 1]))))
        e_err = float(errors.max())
    else:
        v_err, e_err = verify(ls, polys)
    return Envelope(ls.area, ls.range_m, tolerance_m, polys, v_err, e_err, seed=how)


def _border_inside(ls: LevelSet) -> bool:
    """Whether the antimeridian/poles lie inside (only used when no loop crosses it)."""
    lat = np.array([-90.0, -45.0, 0.0, 45.0, 90.0])
    g = ls.g(np.full(lat.size, 180.0), lat)
    return bool(g[np.argmax(np.abs(g))] <= 0)


# ------------------------------------------------------------------ features and sets


@dataclass(frozen=True)
class Feature:
    """One exported shape: lon/lat polygons and JSON-ready properties."""

    polygons: tuple[Polygon, ...]
    properties: dict[str, Any]


@dataclass(frozen=True)
class EnvelopeSet:
    """The features of one command (bands, a difference, isochrones) and the envelopes
    they were cut from, with their verification numbers."""

    title: str
    features: tuple[Feature, ...]
    envelopes: tuple[Envelope, ...]
    notes: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """JSON-ready summary (no geometry)."""
        return {
            "title": self.title,
            "features": [
                {k: v for k, v in f.properties.items() if k != "sources"} for f in self.features
            ],
            "envelopes": [e.to_json() for e in self.envelopes],
            "notes": list(self.notes),
        }


def _common(env: Envelope, system: Any = None) -> dict[str, Any]:
    props: dict[str, Any] = {
        "launch_area": env.area.label,
        "range_km": env.range_m / 1000,
        "tolerance_m": env.tolerance_m,
        "max_vertex_error_m": env.max_vertex_error_m,
        "max_edge_error_m": env.max_edge_error_m,
        "distance_model": "exact WGS84 geodesic distance to the nearest point of the launch area",
        "edges": EDGES_NOTE,
    }
    if system is not None:
        props["system"] = system.id
        props["system_name"] = system.name
        props["source"] = "; ".join(s.cite() for s in system.range_m.sources)
        props["range_note"] = system.range_m.note
    return props


def bands(
    area: Area,
    low_m: float,
    high_m: float,
    tolerance_m: float = DEFAULT_TOLERANCE_M,
    system: Any = None,
    progress: Progress | None = None,
) -> EnvelopeSet:
    """ "within" (<= low estimate) and "possibly within" (only <= high) as two features.

    The second feature is the high envelope minus the low one, so the two never
    overlap (the same statuses as :mod:`reachmap.analysis.reach`). Equal estimates give one.
    """
    n = 2 if high_m > low_m else 1
    report(progress, "envelopes", 0, n)
    low = envelope(area, low_m, tolerance_m)
    report(progress, "envelopes", 1, n)
    feats = [Feature(low.polygons, {"band": "within", **_common(low, system)})]
    envs = [low]
    if high_m > low_m:
        high = envelope(area, high_m, tolerance_m)
        report(progress, "envelopes", 2, n)
        ring = from_shapely(shapely.difference(high.geometry, low.geometry))
        props = {"band": "possibly within", **_common(high, system), "range_low_km": low_m / 1000}
        feats.append(Feature(ring, props))
        envs.append(high)
    label = f"{system.name} from {area.label}" if system is not None else area.label
    return EnvelopeSet(f"Envelope: {label}", tuple(feats), tuple(envs))


def difference(
    area: Area,
    other: Area,
    range_m: float,
    tolerance_m: float = DEFAULT_TOLERANCE_M,
    system: Any = None,
    *,
    unit: str = "km",
    progress: Progress | None = None,
) -> EnvelopeSet:
    """Territory within ``range_m`` of ``area`` but not of ``other`` (what basing in
    ``area`` adds). The cut is planar in lon/lat, exact for the polygons' edges; each
    vertex of the result lies on one of the two envelopes (within the tolerance)."""
    report(progress, "envelopes", 0, 2)
    env_a = envelope(area, range_m, tolerance_m)
    report(progress, "envelopes", 1, 2)
    env_b = envelope(other, range_m, tolerance_m)
    report(progress, "envelopes", 2, 2)
    diff = from_shapely(shapely.difference(env_a.geometry, env_b.geometry))
    props = {
        "band": "added",
        **_common(env_a, system),
        "compared_with": other.label,
        "area_km2": polygons_area_m2(diff) / 1e6,
    }
    title = f"Added by {area.label} over {other.label} at {length_label(range_m, unit)}"
    return EnvelopeSet(title, (Feature(diff, props),), (env_a, env_b))
