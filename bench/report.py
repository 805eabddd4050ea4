"""Benchmark: the built-in report (``reachmap report``, Oreshnik in Belarus) on warm
caches, step by step, against two baselines measured in the same run.

Each run is a fresh ``python`` process (as a user's ``reachmap report`` is) that builds
the report into a temporary folder and prints its step timings. The caches live in a
private directory (``REACHMAP_CACHE_DIR``, so other work on the machine cannot evict
them) made warm by one untimed run first. Figures, medians over ``--repeat`` runs:

* ``warm``: the report with its result cache (envelopes and coverage from disk);
* ``cold_results`` (baseline): the same with ``REACHMAP_RESULT_CACHE=0``, recomputing
  every envelope and coverage table (data caches still warm) -> ratio cold / warm;
* ``map_floor`` (baseline per map): the same view with only the country outlines and
  graticule, PNG and SVG written -> each map's ratio to it.

Goals (issue 9): warm report under 15 s on this 2-core machine, HTML under 8 MB, each
map under 2 s. Quiet and with a competing busy process (bench/contention.py).
Prints one JSON object.
Usage: python bench/report.py [--repeat 3] [--modes quiet,busy]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from typing import Any

from contention import in_mode, machine, modes

CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
from pathlib import Path
from reachmap.report import build, maps, outlines, scenario, write
steps = build.Steps()
t_import = time.perf_counter() - t0
data = build.run(scenario.load(), steps)
index = write.write_report(data, Path(sys.argv[1]), steps=steps)
total = time.perf_counter() - t0
floor = {}
if sys.argv[2] == "1":
    from reachmap.report import figures
    first = data.systems[0].areas[0]
    for name in ("aeqd", "world"):
        view = figures.view_for(name, figures.centre_of(first.area), [first.high])
        outlines.projected_countries.cache_clear()
        t = time.perf_counter()
        r = maps.render(maps.MapSpec(view, "floor", caption="floor"))
        maps.to_png(r); maps.to_svg(r); maps.to_png(r, palette=True)
        floor[name] = time.perf_counter() - t
print(json.dumps({"total_s": total, "import_s": t_import, "steps": steps.timings,
                  "html_bytes": index.stat().st_size, "floor": floor}))
"""


def child(env: dict[str, str], floor: bool) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="reachmap-bench-") as tmp:
        res = subprocess.run(
            [sys.executable, "-c", CHILD, os.path.join(tmp, "report"), "1" if floor else "0"],
            capture_output=True, text=True, env=env, check=True,
        )  # fmt: skip
    return json.loads(res.stdout.strip().splitlines()[-1])


def summarise(runs: list[dict[str, Any]]) -> dict[str, Any]:
    steps: dict[str, list[float]] = {}
    for r in runs:
        for label, s in r["steps"]:
            steps.setdefault(label, []).append(s)
    med = {k: statistics.median(v) for k, v in steps.items()}
    maps_ = {k: v for k, v in med.items() if k.startswith("Map:")}
    return {
        "total_s": statistics.median(r["total_s"] for r in runs),
        "import_s": statistics.median(r["import_s"] for r in runs),
        "steps_s": med,
        "maps_s": maps_,
        "slowest_map_s": max(maps_.values()) if maps_ else None,
        "html_bytes": runs[-1]["html_bytes"],
    }


def measure(repeat: int) -> dict[str, Any]:
    env = dict(os.environ)
    warm = [child(env, floor=True) for _ in range(repeat)]
    cold = [child({**env, "REACHMAP_RESULT_CACHE": "0"}, floor=False) for _ in range(repeat)]
    w, c = summarise(warm), summarise(cold)
    floor = {k: statistics.median(r["floor"][k] for r in warm) for k in warm[0]["floor"]}
    ratios = {
        k: v / (floor["world"] if "world" in k else floor["aeqd"]) for k, v in w["maps_s"].items()
    }
    return {
        "warm": w,
        "cold_results": c,
        "map_floor_s": floor,
        "ratio_cold_over_warm": c["total_s"] / w["total_s"],
        "ratio_map_over_floor": ratios,
        "goals": {
            "warm_total_under_15_s": w["total_s"] < 15.0,
            "html_under_8_mb": w["html_bytes"] < 8e6,
            "each_map_under_2_s": (w["slowest_map_s"] or 0) < 2.0,
        },
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--modes", default="quiet,busy")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="reachmap-bench-cache-") as cache_dir:
        os.environ["REACHMAP_CACHE_DIR"] = cache_dir
        child(dict(os.environ), floor=False)  # warm every cache once, untimed
        out: dict[str, Any] = {"benchmark": "report", "machine": machine()}
        for mode in modes(args.modes):
            out[mode] = in_mode(mode, lambda: measure(args.repeat))
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
