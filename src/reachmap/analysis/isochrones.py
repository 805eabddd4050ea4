"""Flight-time contours (isochrones): envelopes at the range flown in a given time.

Analysis over :mod:`reachmap.envelope` and :mod:`reachmap.flight`: the range for a
time inverts a flight time that grows with range (min-energy, depressed, cruise).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from reachmap.area import Area
from reachmap.envelope.core import DEFAULT_TOLERANCE_M, EnvelopeSet, Feature, _common, envelope
from reachmap.errors import InputError, InputTypeError, TooLarge, shown, type_name
from reachmap.flight.times import flight_time_s
from reachmap.geodesy.ellipsoid import Float
from reachmap.progress import Progress, report
from reachmap.units import real_number

#: Most contours one call draws: each is an envelope of its own (seconds each), and a
#: map with more lines than this is unreadable anyway.
MAX_CONTOURS = 24


def range_for_time(system: Any, time_s: Float, profile: str | None = None) -> Float:
    """Ground range (m) whose flight time equals ``time_s`` (NaN outside the modelled
    span). Requires the time to grow with range (min-energy, depressed, cruise)."""
    grid = np.linspace(1e3, system.range_m.high, 4001)
    t = flight_time_s(grid, system, profile=profile)
    ok = np.isfinite(t)
    if ok.sum() < 2:
        raise InputError(f"no flight times are modelled for {system.name}")
    grid, t = grid[ok], t[ok]
    if np.any(np.diff(t) <= 0):
        raise InputError(
            f"profile {profile!r} of {system.name}: flight time does not grow with range, "
            "so its time contours are not envelopes; use min-energy or depressed"
        )
    want = np.atleast_1d(np.asarray(time_s, dtype=np.float64))
    lo = np.interp(want, t, grid, left=np.nan, right=np.nan)
    # refine by bisection between grid neighbours (times are smooth and increasing)
    idx = np.clip(np.searchsorted(t, want), 1, len(t) - 1)
    a, b = grid[idx - 1], grid[idx]
    for _ in range(40):
        mid = 0.5 * (a + b)
        tm = flight_time_s(mid, system, profile=profile)
        below = tm < want
        a, b = np.where(below, mid, a), np.where(below, b, mid)
    return np.where(np.isfinite(lo), 0.5 * (a + b), np.nan)


def parse_minutes(text: str) -> list[float]:
    """Flight times typed as ``5,10,15`` (minutes), checked by :func:`check_minutes`.

    >>> parse_minutes("5, 10,15")
    [5.0, 10.0, 15.0]
    """
    try:
        times = [float(m) for m in text.split(",") if m.strip()]
    except ValueError:
        raise InputError(f"`minutes` {shown(text)}: give numbers separated by commas") from None
    if not times or any(not (np.isfinite(t) and t > 0) for t in times):
        raise InputError(f"`minutes` {shown(text)}: give positive numbers, e.g. 5,10,15")
    return check_minutes(times)


def check_minutes(minutes: Any) -> list[float]:
    """The flight times (min) if they are at most :data:`MAX_CONTOURS` different finite
    positive numbers, else :class:`InputError` saying which rule is broken."""
    if isinstance(minutes, str) or not hasattr(minutes, "__iter__"):
        raise InputTypeError(f"`minutes` must be a list of numbers, got {type_name(minutes)}")
    values = [real_number(m, "minutes") for m in minutes]
    if not values or not all(np.isfinite(m) and m > 0 for m in values):
        raise InputError(
            f"`minutes` must be positive finite numbers, e.g. 5,10,15; got {values[:5]}"
        )
    if len(set(values)) > MAX_CONTOURS:
        raise TooLarge(
            f"{len(set(values)):,} different flight times given for `minutes`; at most "
            f"{MAX_CONTOURS} contours are drawn at once (docs/limits.md)"
        )
    return values


def isochrones(
    area: Area,
    system: Any,
    minutes: list[float],
    profile: str | None = None,
    tolerance_m: float = DEFAULT_TOLERANCE_M,
    progress: Progress | None = None,
) -> EnvelopeSet:
    """Flight-time contours: for each time, the envelope at the range flown in it.

    Features are whole envelopes ("reachable within t minutes"), largest first so that
    smaller ones draw on top. Times beyond the modelled span are left out with a note.
    At most :data:`MAX_CONTOURS` different times; each finite and positive.
    ``progress`` (:mod:`reachmap.progress`) hears of each contour done.
    """
    times = np.asarray(sorted(set(check_minutes(minutes))), dtype=np.float64) * 60.0
    ranges = range_for_time(system, times, profile)
    feats, envs, notes = [], [], []
    t_max = float(flight_time_s(system.range_m.high, system, profile=profile))
    todo = int(np.isfinite(ranges).sum())
    report(progress, "contours", 0, todo)
    for t, r in zip(times[::-1], ranges[::-1], strict=True):
        if not np.isfinite(r):
            where = "beyond" if t > t_max else "below"
            notes.append(
                f"{t / 60:g} min is {where} the modelled flight times of {system.name} "
                f"(up to {t_max / 60:.1f} min at {system.range_m.high / 1000:,.0f} km): left out"
            )
            continue
        env = envelope(area, float(r), tolerance_m)
        props = {"minutes": t / 60, "profile": profile or "default", **_common(env, system)}
        feats.append(Feature(env.polygons, props))
        envs.append(env)
        report(progress, "contours", len(envs), todo)
    title = f"Flight-time contours: {system.name} from {area.label}"
    return EnvelopeSet(title, tuple(feats), tuple(envs), tuple(notes))
