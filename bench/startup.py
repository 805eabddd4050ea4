"""Benchmark: start-up of ``import reachmap`` and of two light commands, in fresh
interpreters, against the floor of importing reachmap's own base libraries.

Each case runs in a new ``python`` process (``subprocess``, output discarded), ``--repeat``
times, interleaved so that a change in the machine's load hits every case alike;
the median wall and CPU times are reported, with the ratios to the floor
``python -c "import numpy, pyproj, shapely"`` measured in the same run, quiet and with a
competing busy process (bench/contention.py).

Cases: ``import reachmap``; ``reachmap systems`` (catalog table); ``reachmap flight
--distance 790`` (one ballistic flight, no compiled kernels); ``reachmap reach --from
BLR --range 500`` (loads the numba kernels and the country outlines, for scale).

Prints one JSON object. Goal (issue 8): import <= 0.35 s, systems and flight <= 0.6 s
on a quiet machine whose floor is ~0.29 s.
Usage: python bench/startup.py [--repeat 9] [--modes quiet,busy]
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from contention import in_mode, machine, modes

_CLI = "import sys; from reachmap.cli import main; sys.argv[0] = 'reachmap'; main()"

CASES: dict[str, list[str]] = {
    "floor_import_numpy_pyproj_shapely": ["-c", "import numpy, pyproj, shapely"],
    "import_reachmap": ["-c", "import reachmap"],
    "cli_systems": ["-c", _CLI, "systems"],
    "cli_flight_distance_790": ["-c", _CLI, "flight", "--distance", "790"],
    "cli_reach_blr_500": ["-c", _CLI, "reach", "--from", "BLR", "--range", "500"],
}
GOALS_S = {"import_reachmap": 0.35, "cli_systems": 0.6, "cli_flight_distance_790": 0.6}


def run_once(args: list[str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run([sys.executable, *args], check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def figures(repeat: int) -> dict[str, Any]:
    samples: dict[str, list[tuple[float, float]]] = {k: [] for k in CASES}
    for _ in range(repeat):
        for name, args in CASES.items():
            samples[name].append(run_once(args))
    floor = statistics.median(w for w, _ in samples["floor_import_numpy_pyproj_shapely"])
    floor_cpu = statistics.median(c for _, c in samples["floor_import_numpy_pyproj_shapely"])
    out: dict[str, Any] = {}
    for name, rows in samples.items():
        med = statistics.median(w for w, _ in rows)
        cpu = statistics.median(c for _, c in rows)
        row: dict[str, Any] = {
            "median_s": med,
            "max_s": max(w for w, _ in rows),
            "ratio_over_floor": med / floor,
            "cpu_median_s": cpu,
            "cpu_ratio_over_floor": cpu / floor_cpu,
        }
        if name in GOALS_S:
            # the goal was set on a machine whose floor was 0.29 s: scale it with the floor
            row["goal_s_at_floor_0.29"] = GOALS_S[name]
            row["scaled_goal_s"] = GOALS_S[name] * floor / 0.29
            row["meets_scaled_goal"] = med <= row["scaled_goal_s"]
        out[name] = row
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=9)
    ap.add_argument("--modes", default="quiet,busy")
    args = ap.parse_args()
    # Time the package as installed, with its bytecode: with PYTHONDONTWRITEBYTECODE set
    # (as in some shells here) and no __pycache__, every process would compile every
    # module from source (~0.1-0.2 s more).
    spec = importlib.util.find_spec("reachmap")
    assert spec is not None and spec.origin is not None
    compileall.compile_dir(str(Path(spec.origin).parent), quiet=1)
    for a in CASES.values():  # warm caches (kernels, country outlines) outside the timing
        run_once(a)
    result: dict[str, Any] = {
        "benchmark": "start-up in fresh interpreters (median wall time), vs the import floor",
        "python": sys.version.split()[0],
        "bytecode": "compiled before timing",
        "machine": machine(),
    }
    for mode in modes(args.modes):
        result[mode] = in_mode(mode, lambda: figures(args.repeat))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
