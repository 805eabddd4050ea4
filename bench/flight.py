"""Benchmark: flight times for 170,391 ground ranges (the size of a global city table).

Compares, in the same run, the vectorised library (``reachmap.flight.kepler``) with the
strongest scalar baseline: the same closed forms in a plain Python loop over
``math`` functions. The loop runs on a subsample and is extrapolated linearly to
the full size (a loop has no per-call set-up to amortise, so this is fair).
Also times the report layer: Oreshnik lofted (full class-default boost) and
Oreshnik minimum energy with the boost scaled to each range (the fixed point of
``flight.scaled_boost.min_energy_boost``, alone and with the Kepler arc).
Each figure is the median of ``--repeat`` runs, measured quiet and with a competing
busy process (bench/contention.py). Prints one JSON object; ratios, not seconds, are
what carry over between machines.

    python bench/flight.py [--n 170391] [--sample 5000] [--repeat 5] [--modes quiet,busy]
"""

from __future__ import annotations

import argparse
import json
import math
import platform
from collections.abc import Callable

import numpy as np
from contention import in_mode, machine, modes, timed

from reachmap.data import catalog
from reachmap.flight import kepler
from reachmap.flight.boost import DEFAULT_BOOST
from reachmap.flight.kepler import EARTH_RADIUS_M as R
from reachmap.flight.kepler import MU_EARTH_M3_S2 as MU
from reachmap.flight.scaled_boost import min_energy_boost
from reachmap.flight.times import flight_time_s

SEED = 20241121  # the first Oreshnik launch, 21 Nov 2024


def kepler_time(speed: float, gamma: float) -> float:
    """Scalar free-flight time from the surface back to the surface (Kepler's equation)."""
    q = speed * speed * R / MU
    a = R / (2.0 - q)
    es0 = R * speed * math.sin(gamma) / math.sqrt(MU * a)
    ec0 = q - 1.0
    e0 = math.atan2(es0, ec0)
    return math.sqrt(a**3 / MU) * (2.0 * (math.pi - e0) + 2.0 * es0)


def scalar_min_energy(range_m: float) -> float:
    psi = range_m / R
    s = math.sin(psi / 2.0)
    q = 2.0 * s / (1.0 + s)
    return kepler_time(math.sqrt(q * MU / R), (math.pi - psi) / 4.0)


def scalar_lofted(range_m: float, speed: float) -> float:
    psi = range_m / R
    s2 = math.sin(psi / 2.0)
    c = MU * 2.0 * s2 * s2 / (R * speed * speed)
    kmc = 2.0 * s2 * s2
    m = math.hypot(kmc, math.sin(psi))
    x = (2.0 * c - kmc) / m
    if x > 1.0:
        return math.nan
    gamma = 0.5 * (math.atan2(math.sin(psi), kmc) + math.acos(max(x, -1.0)))
    return kepler_time(speed, gamma)


def median_of(fn: Callable[[], object], repeat: int) -> float:
    return float(timed(fn, repeat)[0]["median_s"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=170_391)
    parser.add_argument("--sample", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--modes", default="quiet,busy")
    args = parser.parse_args()

    rng = np.random.default_rng(SEED)
    ranges = rng.uniform(100e3, 10_000e3, args.n)
    sample = ranges[: args.sample].tolist()
    speed = float(kepler.min_energy(10_000e3).speed_mps)  # lofted at a 10,000 km energy

    # Correctness first: the loop and the arrays must agree.
    vec_me = kepler.min_energy(ranges[: args.sample]).time_s
    vec_lo = kepler.fixed_speed(ranges[: args.sample], speed, "lofted").time_s
    loop_me = np.array([scalar_min_energy(r) for r in sample])
    loop_lo = np.array([scalar_lofted(r, speed) for r in sample])
    max_diff_s = float(max(np.nanmax(abs(vec_me - loop_me)), np.nanmax(abs(vec_lo - loop_lo))))

    oreshnik = catalog.system("oreshnik")
    min_energy_boost(ranges[:10], DEFAULT_BOOST["IRBM"])  # build the cached start table
    scale = args.n / args.sample

    def figures() -> dict[str, object]:
        t_me = median_of(lambda: kepler.min_energy(ranges), args.repeat)
        t_lo = median_of(lambda: kepler.fixed_speed(ranges, speed, "lofted"), args.repeat)
        t_report = median_of(lambda: flight_time_s(ranges, oreshnik, "lofted"), args.repeat)
        t_scaled = median_of(lambda: flight_time_s(ranges, oreshnik, "min-energy"), args.repeat)
        t_boost = median_of(lambda: min_energy_boost(ranges, DEFAULT_BOOST["IRBM"]), args.repeat)
        s_me = median_of(lambda: [scalar_min_energy(r) for r in sample], args.repeat) * scale
        s_lo = median_of(lambda: [scalar_lofted(r, speed) for r in sample], args.repeat) * scale
        s_lib = median_of(lambda: [kepler.min_energy(r) for r in sample[:500]], 1) * args.n / 500
        return {
            "vectorised_ms": {
                "min_energy": round(t_me * 1e3, 2),
                "lofted": round(t_lo * 1e3, 2),
                "oreshnik_lofted_with_boost": round(t_report * 1e3, 2),
                "oreshnik_min_energy_range_scaled_boost": round(t_scaled * 1e3, 2),
                "range_scaled_boost_only": round(t_boost * 1e3, 2),
            },
            "scalar_loop_ms_extrapolated": {
                "note": f"math-module loop timed on {args.sample} ranges, scaled x{scale:.1f}",
                "min_energy": round(s_me * 1e3, 1),
                "lofted": round(s_lo * 1e3, 1),
                "library_scalar_calls_min_energy": round(s_lib * 1e3, 1),
            },
            "speedup_vs_scalar_loop": {
                "min_energy": round(s_me / t_me, 1),
                "lofted": round(s_lo / t_lo, 1),
            },
            "goal_lofted_le_100ms": t_lo <= 0.1,
        }

    result: dict[str, object] = {
        "benchmark": "flight times, uniform 100-10,000 km",
        "n": args.n,
        "seed": SEED,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "machine": machine(),
        "max_abs_difference_s": max_diff_s,
    }
    for mode in modes(args.modes):
        result[mode] = in_mode(mode, figures)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
