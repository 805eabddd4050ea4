"""One map from command-line style arguments (``reachmap map``), over :mod:`figures`."""

from __future__ import annotations

from typing import Any

import numpy as np

import reachmap
from reachmap.analysis.isochrones import parse_minutes, range_for_time
from reachmap.analysis.reach import RangeSpec
from reachmap.data import catalog, geonames
from reachmap.errors import InputError
from reachmap.places import Places
from reachmap.report import figures, maps, store
from reachmap.report.build import Steps
from reachmap.report.maps import AREA_COLOURS
from reachmap.report.projection import PROJECTIONS
from reachmap.units import length_label, parse_length_m


def labelled_places(spec: str, date: str | None = None) -> Places | None:
    """``capitals``, ``none``, a group's capitals (``nato``), cities or a places file."""
    key = spec.strip().lower()
    if key == "none":
        return None
    try:
        group = catalog.group(key)
    except InputError:
        group = None
    if group is not None:
        import datetime as dt

        members = group.members_on(date or dt.date.today().isoformat())
        caps = geonames.capitals()
        return caps.take(np.isin(caps.country_code.astype(str), members))
    from reachmap.io.resolve import resolve_targets

    return resolve_targets(spec)


def draw(
    from_: list[str],
    system: str | None,
    range_: str | None,
    vs: list[str],
    minutes: str | None,
    projection: str,
    targets: str,
    fmt: str,
    steps: Steps | None = None,
    tolerance_m: float = 50.0,
    unit: str = "km",
) -> tuple[str | bytes, str]:
    """(PNG bytes or SVG text, a one-line summary) of the map the arguments ask for;
    ranges in the title, legend and caption in ``unit`` (km, mi, nmi)."""
    steps = steps or Steps()
    if projection not in PROJECTIONS:
        raise InputError(f"--projection {projection!r}: use one of {', '.join(PROJECTIONS)}")
    if minutes is not None and vs:
        raise InputError("give --minutes or --vs, not both")
    rng = RangeSpec.from_args(system, parse_length_m(range_) if range_ is not None else None)
    wanted = sorted(set(parse_minutes(minutes))) if minutes is not None else None
    if wanted is not None and rng.system is None:
        raise InputError("--minutes needs --system (its flight model gives the times)")
    places = labelled_places(targets)
    area = reachmap.area(*from_)
    name = area.label
    with steps.step("Envelopes"):
        low = store.cached_envelope(area, rng.low_m, tolerance_m)
        high = (
            store.cached_envelope(area, rng.high_m, tolerance_m) if rng.high_m > rng.low_m else low
        )
        main = figures.Reach(name, area, low, high, AREA_COLOURS[0])
        other = None
        if vs:
            b = reachmap.area(*vs)
            b_high = store.cached_envelope(b, rng.high_m, tolerance_m)
            other = figures.Reach(b.label, b, b_high, b_high, AREA_COLOURS[1])
        contours: list[tuple[float, Any]] = []
        if wanted is not None:
            assert rng.system is not None
            ranges = range_for_time(rng.system, np.array(wanted) * 60.0)
            contours = [
                (m, store.cached_envelope(area, float(r), tolerance_m))
                for m, r in zip(wanted, ranges.tolist(), strict=True)
                if np.isfinite(r)
            ]
            if not contours:
                raise InputError(
                    f"--minutes {minutes}: no time within the modelled flights of {rng.system.name}"
                )
    label = rng.system.name if rng.system is not None else length_label(rng.high_m, unit)
    shown = [c[1] for c in contours[-1:]] if contours else [high] + ([other.high] if other else [])
    view = figures.view_for(projection, figures.centre_of(area), shown)
    labels = figures.places_of(places) if places is not None else []
    with steps.step("Drawing"):
        if contours:
            spec = figures.isochrone_map(
                view,
                name,
                area,
                contours,
                title=f"{label} from {name}: flight time",
                system=rng.system,
                places=labels,
                tolerance_m=tolerance_m,
                unit=unit,
            )
            summary = (
                f"Flight-time contours ({', '.join(f'{m:g}' for m, _ in contours)} min) from {name}"
            )
        elif other is not None:
            spec = figures.difference_map(
                view,
                main,
                other,
                title=f"Reached from {name}, not from {other.name}",
                system=rng.system,
                places=labels,
                tolerance_m=tolerance_m,
                unit=unit,
            )
            at = length_label(rng.high_m, unit)
            summary = f"Reached from {name} but not from {other.name} at {at}"
        else:
            spec = figures.reach_map(
                view,
                [main],
                title=f"{label} from {name}: {rng.label_in(unit).split(': ')[-1]}",
                system=rng.system,
                places=labels,
                tolerance_m=tolerance_m,
                unit=unit,
            )
            summary = f"Reach of {label} from {name}"
        rendered = maps.render(spec)
        content: str | bytes = maps.to_png(rendered) if fmt == "png" else maps.to_svg(rendered)
    return content, f"{summary} ({projection} view)."
