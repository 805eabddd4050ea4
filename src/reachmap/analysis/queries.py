"""What the interfaces ask, answered once: the command line and the web API both call
these functions with the words a user typed (``from``, ``system``, ``range``,
``targets``, ...) and get the same result objects, so ``reachmap reach --format json``
and ``/api/reach`` give the same JSON.

Each step marks its errors with the parameter it resolves (:func:`reachmap.errors.about`):
the command line names the flag (``--from``), the web API the field (``from``).

Launch areas come either as specs (countries, sites, ``LAT,LON``, files) or as
already built :class:`~reachmap.area.Area` objects (the web API's uploaded GeoJSON);
the web API refuses file names before it calls in here.

>>> range_spec(None, "5500km").high_m
5500000.0
>>> time_profile("default"), time_profile("none"), time_profile("Lofted")
('', None, 'lofted')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from reachmap.errors import InputError, about

if TYPE_CHECKING:
    from reachmap.analysis.bands import BandsResult, RingSpec
    from reachmap.analysis.compare import CompareResult
    from reachmap.analysis.coverage import CoverageResult
    from reachmap.analysis.coverage_vs import CoverageChange
    from reachmap.analysis.reach import RangeSpec, ReachResult
    from reachmap.area import Area
    from reachmap.data.catalog import System
    from reachmap.envelope.core import EnvelopeSet
    from reachmap.places import Places
    from reachmap.progress import Progress


def launch_area(specs: Sequence[str | Area], param: str = "from") -> Area:
    """The union of the launch-area specs given for ``param`` (``from`` or ``vs``)."""
    with about(param):
        if not specs:
            raise InputError(
                f"no launch area given; give `{param}` AREA (a country, site, LAT,LON or file)"
            )
        from reachmap.io.resolve import area

        return area(*specs)


def range_spec(system: str | None, range_: str | None, *, allow_zero: bool = False) -> RangeSpec:
    """The range of catalog ``system`` or the typed ``range_`` (km unless a unit is given)."""
    from reachmap.analysis.reach import RangeSpec
    from reachmap.units import parse_length_m

    with about("range"):
        range_m = parse_length_m(range_, allow_zero=allow_zero) if range_ is not None else None
    with about("system"):
        return RangeSpec.from_args(system, range_m)


def ring_spec(system: str | None, range_: str | None, rings: bool = False) -> RingSpec | None:
    """A ring set, or None for one range: ``range_`` with commas (``500,1000,2000``,
    each km unless a unit is given; with catalog ``system`` the rings carry its flight
    times), or with ``rings`` the low and high estimate of ``system`` as two rings.

    >>> ring_spec(None, "1000,500").ranges_m, ring_spec("oreshnik", None, True).names
    ((500000.0, 1000000.0), ('low estimate', 'high estimate'))
    >>> ring_spec("oreshnik", "1000,3000").system.name
    'Oreshnik'
    """
    from reachmap.analysis.bands import RingSpec
    from reachmap.data import catalog
    from reachmap.units import parse_lengths_m

    if rings:
        with about("system"):
            if system is None or range_ is not None:
                raise InputError(
                    "`rings` takes a catalog `system` (its low and high estimate) and no "
                    "`range_m`; for your own ranges give `range_m` as 500,1000,2000"
                )
            sys_ = catalog.system(system)
        low, high = sys_.range_m.low, sys_.range_m.high
        if low == high:
            return RingSpec((high,), ("estimate",), sys_)
        return RingSpec((low, high), ("low estimate", "high estimate"), sys_)
    if range_ is None or "," not in range_:
        return None
    with about("range"):
        ranges = tuple(parse_lengths_m(range_))
    if system is None:
        return RingSpec(ranges)
    with about("system"):
        return RingSpec(ranges, None, catalog.system(system))


def time_profile(profile: str) -> str | None:
    """The library's ``flight_profile`` for a typed profile ("default" -> the system's own,
    "none" -> no flight times)."""
    word = profile.strip().lower()
    if word == "none":
        return None
    return "" if word == "default" else word


def reach_query(
    area: Area,
    rng: RangeSpec,
    targets: str = "cities",
    min_population: int = 15000,
    within: str | None = None,
    profile: str = "default",
    apogee_m: float | None = None,
    progress: Progress | None = None,
) -> ReachResult | CoverageResult:
    """``reach``: distances to the ``targets`` places, or country coverage for
    ``targets="countries"`` (optionally only the countries ``within`` a region);
    ``progress`` (:mod:`reachmap.progress`) hears of the coverage's steps."""
    from reachmap.analysis import reach as reach_mod

    if targets.strip().lower() == "countries":
        from reachmap.analysis import coverage

        with about("min_population"):
            cov = coverage.coverage_table(
                area, rng, min_population=min_population, progress=progress
            )
        return cov if within is None else coverage_in(cov, within)
    places = _targets(targets, min_population, within)
    with about("profile"):
        return reach_mod.reach(
            area, rng, places, flight_profile=time_profile(profile), apogee_m=apogee_m
        )


def _targets(targets: str, min_population: int, within: str | None) -> Places:
    from reachmap.io.resolve import places_within, resolve_targets

    with about("targets"):
        places = resolve_targets(targets, min_population)
    if within is None:
        return places
    with about("in"):
        return places_within(places, within)


def coverage_in(cov: CoverageResult, spec: str) -> CoverageResult:
    """Coverage rows of the countries in a region (partly included ones on their part:
    "Russia (European part)") or in a list of countries (whole countries)."""
    from reachmap.analysis import region_coverage
    from reachmap.data import countries, regions

    with about("in"):
        key = spec.strip().lower()
        if key in regions.region_names():
            return region_coverage.coverage_in_region(cov, regions.region(key))
        codes = {countries.country(n).iso3 for n in spec.split(",") if n.strip()}
    return region_coverage.coverage_in_countries(cov, codes)


def coverage_change_query(
    cov: CoverageResult, vs: Area, within: str | None = None, progress: Progress | None = None
) -> CoverageChange:
    """``reach --targets countries --vs AREA``: the coverage from ``vs`` too, and the
    countries newly within reach or newly fully covered from ``cov``'s launch area."""
    from reachmap.analysis.coverage import CoverageResult
    from reachmap.analysis.coverage_vs import coverage_change

    ref = reach_query(vs, cov.range, "countries", cov.min_population, within, progress=progress)
    assert isinstance(ref, CoverageResult)
    return coverage_change(cov, ref)


def compare_query(
    first: Area,
    second: Area,
    rng: RangeSpec,
    targets: str = "capitals",
    min_population: int = 15000,
    within: str | None = None,
    profile: str = "default",
    apogee_m: float | None = None,
) -> CompareResult:
    """``compare``: the same places from two launch areas (forward basing)."""
    from reachmap.analysis import compare as compare_mod

    places = _targets(targets, min_population, within)
    with about("profile"):
        return compare_mod.compare(
            first, second, rng, places, flight_profile=time_profile(profile), apogee_m=apogee_m
        )


def envelope_query(
    area: Area,
    rng: RangeSpec,
    tolerance_m: float,
    vs: Area | None = None,
    unit: str = "km",
    progress: Progress | None = None,
) -> EnvelopeSet:
    """``envelope``: the low/high bands, or with ``vs`` what ``area`` adds to it (its
    title in ``unit``)."""
    from reachmap.envelope.core import bands, difference

    with about("range"):
        if vs is not None:
            return difference(
                area, vs, rng.high_m, tolerance_m, rng.system, unit=unit, progress=progress
            )
        return bands(area, rng.low_m, rng.high_m, tolerance_m, rng.system, progress)


def isochrones_query(
    area: Area,
    system: str,
    minutes: str,
    profile: str | None,
    tolerance_m: float,
    progress: Progress | None = None,
) -> EnvelopeSet:
    """``isochrones``: flight-time contours of catalog ``system`` at ``minutes`` (text)."""
    from reachmap.analysis.isochrones import isochrones, parse_minutes
    from reachmap.data import catalog

    with about("system"):
        if not system:
            raise InputError("give `system` NAME (see `reachmap systems`)")
        sys_ = catalog.system(system)
    with about("minutes"):
        times = parse_minutes(minutes)
    with about("profile"):
        return isochrones(area, sys_, times, profile, tolerance_m, progress)


def bands_query(
    area: Area,
    ring: RingSpec,
    targets: str = "cities",
    min_population: int = 15000,
    within: str | None = None,
    unit: str = "km",
    *,
    profile: str = "default",
    apogee_m: float | None = None,
) -> BandsResult:
    """``reach`` with a ring set: the places by distance band (labels in ``unit``), with
    the flight times of the ring set's system, if any, in ``profile``."""
    from reachmap.analysis.bands import reach_bands

    if targets.strip().lower() == "countries":
        with about("targets"):
            raise InputError(
                "a ring set lists places by band; for countries (`targets` countries) give "
                "one range or a `system`"
            )
    places = _targets(targets, min_population, within)
    if apogee_m is not None and ring.system is None:
        with about("apogee"):
            raise InputError("`apogee` sets the flight-time column, which needs a `system`")
    with about("profile"):
        return reach_bands(
            area,
            ring.ranges_m,
            places,
            unit=unit,
            system=ring.system,
            flight_profile=time_profile(profile),
            apogee_m=apogee_m,
        )


def ring_set_query(area: Area, ring: RingSpec, tolerance_m: float, unit: str = "km") -> EnvelopeSet:
    """``envelope`` with a ring set: one labelled envelope per range; with a system each
    ring also carries the system's own-profile flight time to its range
    (``flight_time_s``, ``flight_profile``)."""
    from reachmap.envelope.ringset import ring_set

    with about("range"):
        result = ring_set(
            area, ring.ranges_m, tolerance_m, ring.system, unit=unit, names=ring.names
        )
    if ring.system is None:
        return result
    import numpy as np

    from reachmap.analysis.reach import flight_times

    ranges = np.asarray(ring.ranges_m)
    times, profile = flight_times(ranges, ranges[-1], ring.system, "")
    feats = tuple(
        replace(
            f,
            properties={
                **f.properties,
                "flight_time_s": float(t) if np.isfinite(t) else None,
                "flight_profile": profile,
            },
        )
        for f, t in zip(result.features, times.tolist(), strict=True)
    )
    notes = result.notes
    if not np.isfinite(times).all():
        notes = (*notes, _untimed_note(ring.system, unit))
    return replace(result, features=feats, notes=notes)


def _untimed_note(system: System, unit: str) -> str:
    from reachmap.units import length_label

    return (
        f"no flight time for rings beyond {system.name}'s maximum reported range "
        f"({length_label(system.range_m.high, unit)}) or outside its flight model"
    )
