"""Running a scenario: every number the report shows, computed over :mod:`reachmap.analysis`.

Nothing here is new physics or geography: envelopes (:mod:`reachmap.envelope`), country
coverage (:mod:`reachmap.analysis.coverage`), reach and flight times to places
(:mod:`reachmap.analysis.reach`, :mod:`~reachmap.analysis.compare`) and flight-time
contours (:mod:`~reachmap.analysis.isochrones`) are put together per launch area and
system. Slow results come from :mod:`reachmap.report.store` when already computed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely

import reachmap
from reachmap.analysis.compare import CompareResult
from reachmap.analysis.isochrones import range_for_time
from reachmap.analysis.reach import RangeSpec, ReachResult, reach
from reachmap.area import Area
from reachmap.data import catalog, countries, geonames
from reachmap.data.catalog import System
from reachmap.envelope.core import Envelope
from reachmap.errors import InputError
from reachmap.places import Places
from reachmap.report import store
from reachmap.report.maps import AREA_COLOURS
from reachmap.report.scenario import AreaSpec, Scenario, SystemSpec
from reachmap.units import length_label


class Steps:
    """Named, timed steps; ``on_start(label)`` / ``on_end(label, seconds)`` follow them
    (the CLI draws a progress display from these)."""

    def __init__(
        self,
        on_start: Callable[[str], None] | None = None,
        on_end: Callable[[str, float], None] | None = None,
    ) -> None:
        self.timings: list[tuple[str, float]] = []
        self._start, self._end = on_start, on_end

    @contextmanager
    def step(self, label: str) -> Iterator[None]:
        if self._start:
            self._start(label)
        t0 = time.perf_counter()
        yield
        dt = time.perf_counter() - t0
        self.timings.append((label, dt))
        if self._end:
            self._end(label, dt)


@dataclass
class AreaRun:
    """One launch area seen with one system."""

    spec: AreaSpec
    area: Area
    name: str
    colour: str
    host: tuple[str, ...]  # ISO-3 of the countries the area lies in
    low: Envelope
    high: Envelope
    coverage: Any  # reachmap.analysis.coverage.CoverageResult
    capitals: ReachResult  # every capital (GeoNames), distances only
    named: dict[str, ReachResult]  # the named targets, per flight profile
    rotating_s: np.ndarray | None = None  # min-energy on the rotating Earth, per target

    @property
    def role(self) -> str:
        return self.spec.role


@dataclass
class Pair:
    """A deployed area against a baseline: the basing question."""

    deployed: AreaRun
    baseline: AreaRun
    compare: CompareResult  # named targets, first flight profile


@dataclass
class SystemRun:
    label: str
    system: System | None
    range: RangeSpec
    areas: list[AreaRun]
    pairs: list[Pair]
    isochrone_area: AreaRun | None = None
    isochrones: list[tuple[float, Envelope]] = field(default_factory=list)
    isochrone_notes: list[str] = field(default_factory=list)
    flight_rows: list[tuple[float, list[dict[str, Any]]]] = field(default_factory=list)
    unit: str = "km"  # the scenario's `units`: lengths in the report's text, tables, maps

    @property
    def profiles(self) -> list[str]:
        return list(self.areas[0].named) if self.areas else []


@dataclass
class ReportData:
    scenario: Scenario
    targets: Places  # the named targets
    systems: list[SystemRun]
    date: str
    steps: Steps


# ------------------------------------------------------------------------- inputs


def named_targets(scenario: Scenario, date: str) -> Places:
    """Capitals of the scenario's groups and countries, each once, in group order."""
    caps = geonames.capitals()
    codes: list[str] = []
    for name in scenario.capitals_of:
        try:
            members = catalog.group(name).members_on(date)
        except InputError:
            members = [countries.country(name).iso3]
        codes += [c for c in members if c not in codes]
    cc = caps.country_code.astype(str)
    idx = [int(np.flatnonzero(cc == c)[0]) for c in codes if (cc == c).any()]
    return caps.take(np.array(idx, dtype=np.intp))


def host_countries(area: Area) -> tuple[str, ...]:
    """ISO-3 codes of the countries holding the area (a point on each polygon's
    surface, and each point)."""
    pts = [shapely.Polygon(p[0]).point_on_surface() for p in area.polygons]
    lon = np.array([p.x for p in pts] + list(area.points[:, 0]))
    lat = np.array([p.y for p in pts] + list(area.points[:, 1]))
    if lon.size == 0:
        return ()
    found = countries.country_at(lon, lat)
    return tuple(sorted({str(c) for c in found if c}))


def _area(scenario: Scenario, k: int, spec: AreaSpec) -> Area:
    try:
        return reachmap.area(*spec.specs)
    except InputError as err:
        raise scenario.error(("area", k, "from"), str(err)) from None


def _range(spec: SystemSpec) -> tuple[System | None, RangeSpec, str]:
    if spec.id is not None:
        system = catalog.system(spec.id)
        rng = RangeSpec(system.range_m.low, system.range_m.high, system)
        return system, rng, spec.name or system.name
    assert spec.range_m is not None
    return None, RangeSpec(*spec.range_m), spec.name or "range"


def _profiles(scenario: Scenario, system: System | None) -> list[str]:
    if system is None:
        return []
    if system.propulsion != "ballistic":
        return [system.propulsion]  # its own profile (cruise, glide)
    return list(scenario.options.profiles)


# -------------------------------------------------------------------------- runs


def run(scenario: Scenario, steps: Steps | None = None) -> ReportData:
    """Compute everything the report shows for ``scenario``."""
    steps = steps or Steps()
    date = scenario.membership_date()
    opts = scenario.options
    with steps.step("Loading data (countries, places)"):
        countries.countries()
        geonames.cities(opts.min_population)
        targets = named_targets(scenario, date)
        areas = [(spec, _area(scenario, k, spec)) for k, spec in enumerate(scenario.areas)]
    runs = []
    for sys_spec in scenario.systems:
        system, rng, label = _range(sys_spec)
        profiles = _profiles(scenario, system)
        area_runs = []
        for k, (spec, area) in enumerate(areas):
            name = spec.name or area.label
            with steps.step(f"Envelopes and coverage: {name}"):
                area_runs.append(
                    _run_area(
                        spec,
                        area,
                        name,
                        AREA_COLOURS[k % len(AREA_COLOURS)],
                        rng,
                        system,
                        profiles,
                        targets,
                        scenario,
                        date,
                    )
                )
        pairs = [
            Pair(d, b, CompareResult(d.named[profiles[0]], b.named[profiles[0]]))
            if profiles
            else Pair(d, b, CompareResult(_plain(d, rng, targets), _plain(b, rng, targets)))
            for d in area_runs
            if d.role == "deployed"
            for b in area_runs
            if b.role == "baseline"
        ]
        sr = SystemRun(label, system, rng, area_runs, pairs, unit=opts.units)
        if system is not None and opts.isochrone_minutes:
            with steps.step("Flight-time contours"):
                _isochrones(sr, scenario)
        if system is not None:
            from reachmap.flight.report import flight_rows

            for km in opts.flight_ranges_km:
                rows = flight_rows(km * 1e3, system, ["all"])
                sr.flight_rows.append((km, [r.to_json() for r in rows]))
        runs.append(sr)
    return ReportData(scenario, targets, runs, date, steps)


def _plain(run: AreaRun, rng: RangeSpec, targets: Places) -> ReachResult:
    return reach(run.area, rng, targets)


def _run_area(
    spec: AreaSpec,
    area: Area,
    name: str,
    colour: str,
    rng: RangeSpec,
    system: System | None,
    profiles: list[str],
    targets: Places,
    scenario: Scenario,
    date: str,
) -> AreaRun:
    tol = scenario.options.tolerance_m
    low = store.cached_envelope(area, rng.low_m, tol)
    high = store.cached_envelope(area, rng.high_m, tol) if rng.high_m > rng.low_m else low
    envs = (low, high) if high is not low else (low,)
    cov = store.cached_coverage(
        area, rng, envs, min_population=scenario.options.min_population, date=date
    )
    capitals = reach(area, rng, geonames.capitals())
    named = {p: reach(area, rng, targets, flight_profile=p) for p in profiles}
    if not named:
        named = {"": reach(area, rng, targets)}
    run = AreaRun(spec, area, name, colour, host_countries(area), low, high, cov, capitals, named)
    if scenario.options.rotating_earth and system is not None and system.propulsion == "ballistic":
        run.rotating_s = rotating_times(area, targets, named[profiles[0]].distance_m, system)
    return run


def rotating_times(
    area: Area, targets: Places, distance_m: np.ndarray, system: System
) -> np.ndarray:
    """Min-energy flight time (s) on the rotating Earth from the nearest point of the
    area to each target; NaN inside the area or beyond the high estimate."""
    from reachmap.flight.report import flight_rows
    from reachmap.flight.rotating import RotatingSpec
    from reachmap.geodesy.ellipsoid import GEOD

    out = np.full(len(targets), np.nan)
    for i in range(len(targets)):
        d = float(distance_m[i])
        if not (0 < d <= system.range_m.high):
            continue
        lon, lat = float(targets.lon_deg[i]), float(targets.lat_deg[i])
        starts = []
        if area.polygons:
            near = area.nearest([lon], [lat])
            starts.append((float(near.lon_deg[0]), float(near.lat_deg[0])))
        for plon, plat in area.points:
            starts.append((float(plon), float(plat)))
        dists = [GEOD.inv(s[0], s[1], lon, lat)[2] for s in starts]
        slon, slat = starts[int(np.argmin(dists))]
        spec = RotatingSpec(slon, slat, lon, lat)
        row = flight_rows(d, system, ["min-energy"], rotating=spec)[0].to_json()
        out[i] = np.nan if row["time_s"] is None else row["time_s"]
    return out


def _isochrones(sr: SystemRun, scenario: Scenario) -> None:
    from reachmap.flight.times import flight_time_s

    assert sr.system is not None
    want = scenario.isochrone_area.id
    target = next(a for a in sr.areas if a.spec.id == want)
    sr.isochrone_area = target
    minutes = np.array(scenario.options.isochrone_minutes)
    ranges = range_for_time(sr.system, minutes * 60.0)
    t_max = float(flight_time_s(sr.system.range_m.high, sr.system)) / 60.0
    for m, r in zip(minutes.tolist(), ranges.tolist(), strict=True):
        if not np.isfinite(r):
            where = "beyond" if m > t_max else "below"
            sr.isochrone_notes.append(
                f"{m:g} min is {where} the modelled flight times of {sr.system.name} "
                f"(up to {t_max:.1f} min at {length_label(sr.system.range_m.high, sr.unit)}): "
                "left out"
            )
            continue
        sr.isochrones.append(
            (m, store.cached_envelope(target.area, r, scenario.options.tolerance_m))
        )
