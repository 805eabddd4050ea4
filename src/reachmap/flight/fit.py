"""Which flight fits a reported time: the fastest flight the model allows, and the
lofted apogee that gives a stated time.

The **fastest** flight over a range is the shortest boost (the range-scaled
minimum-energy boost, or the catalog's) followed by a depressed arc at the system's
burnout speed (that of the minimum-energy arc to its maximum range) whose apogee is
at least 100 km, the edge of space: flatter paths are outside the vacuum model. With
no system it is the free-flight arc through a 100 km apogee. The **lofted** flight
that takes a given time keeps the full boost and flies through the apogee found by
bisection (time grows with apogee at a fixed range).

>>> from reachmap.data import catalog
>>> t, _ = fastest_s(830e3, catalog.system("oreshnik"))
>>> round(t / 60, 1)
5.4
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from reachmap.data.catalog import System
from reachmap.flight import kepler
from reachmap.flight.boost import boost_for
from reachmap.flight.report import flight_rows
from reachmap.flight.scaled_boost import min_energy_boost
from reachmap.flight.times import energy_speed_mps
from reachmap.numeric import finite_or_none

APOGEE_MIN_M = kepler.ATMOSPHERE_TOP_M


def fastest_s(range_m: float, system: System | None) -> tuple[float, dict[str, float]]:
    """The fastest flight over ``range_m`` in the model (see the module docstring)."""
    if system is None:
        arc = kepler.through_apogee(range_m, APOGEE_MIN_M)
        return float(arc.time_s), {"boost_s": 0.0, "apogee_m": APOGEE_MIN_M}
    full = boost_for(system)
    short = min_energy_boost(range_m, full)
    burn = float(short.burn_time_s)
    h, x = float(short.burnout_altitude_m), float(short.burnout_downrange_m)
    if not math.isfinite(burn):
        burn, h, x = full.burn_time_s, full.burnout_altitude_m, full.burnout_downrange_m
    speed = energy_speed_mps(system, full)
    arc = kepler.fixed_speed(range_m - x, speed, "depressed", h)
    if not bool(arc.valid) or float(arc.apogee_m) < APOGEE_MIN_M:
        arc = kepler.through_apogee(range_m - x, max(APOGEE_MIN_M, h * (1 + 1e-9)), h)
    return burn + float(arc.time_s), {
        "boost_s": burn, "burnout_speed_limit_mps": speed, "apogee_m": float(arc.apogee_m),
    }  # fmt: skip


def lofted_apogee_m(range_m: float, system: System, time_s: float) -> float | None:
    """The apogee of the lofted flight (full boost) that takes ``time_s``, by bisection."""
    full = boost_for(system)
    ff = range_m - full.burnout_downrange_m
    h = full.burnout_altitude_m
    lo = float(kepler.min_energy(ff, h).apogee_m)
    hi = 20_000e3
    if not (full.burn_time_s + float(kepler.through_apogee(ff, lo, h).time_s) <= time_s):
        return None
    for _ in range(45):  # 20,000 km / 2^45: below a micrometre
        mid = 0.5 * (lo + hi)
        t = full.burn_time_s + float(kepler.through_apogee(ff, mid, h).time_s)
        lo, hi = (mid, hi) if t < time_s else (lo, mid)
    return 0.5 * (lo + hi)


@dataclass(frozen=True)
class TimeFit:
    """How a reported flight time compares with the model's flights over one range."""

    range_m: float
    time_s: float
    fastest_s: float
    min_energy_s: float | None
    most_lofted_s: float | None  # lofted at the system's energy (full boost)
    #: "faster than possible", "depressed", "min-energy", "lofted", "slower than possible"
    fits: str
    apogee_m: float | None  # of the lofted flight that takes time_s

    def to_json(self) -> dict[str, object]:
        return {
            "range_m": self.range_m,
            "time_s": self.time_s,
            "fits": self.fits,
            "lofted_apogee_m": self.apogee_m,
            "fastest_s": self.fastest_s,
            "min_energy_s": self.min_energy_s,
            "most_lofted_s": self.most_lofted_s,
        }


#: Times within this of the minimum-energy time count as minimum energy (rounding
#: of reported minutes is coarser).
MIN_ENERGY_MATCH_S = 1.0


def fit_time(range_m: float, system: System, time_s: float) -> TimeFit:
    """Which profile of ``system`` flies ``range_m`` in ``time_s`` (boost included)."""
    fast, _ = fastest_s(range_m, system)
    rows = {r.profile: r for r in flight_rows(range_m, system, ["all"])}
    me = finite_or_none(rows["min-energy"].time_s) if "min-energy" in rows else None
    slow = finite_or_none(rows["lofted"].time_s) if "lofted" in rows else None
    apogee = None
    if time_s < fast:
        fits = "faster than possible"
    elif slow is not None and time_s > slow:
        fits = "slower than possible"
    elif me is not None and abs(time_s - me) <= MIN_ENERGY_MATCH_S:
        fits = "min-energy"
    elif me is not None and time_s < me:
        fits = "depressed"
    else:
        # Lofted keeps the full boost; a time between the range-scaled minimum-energy
        # flight and the full-boost arc through the minimum-energy apogee is closest to
        # minimum energy (no lofted arc is that fast).
        apogee = lofted_apogee_m(range_m, system, time_s)
        fits = "lofted" if apogee is not None else "min-energy"
    return TimeFit(range_m, time_s, fast, me, slow, fits, apogee)
