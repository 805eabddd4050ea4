"""Shared benchmark helpers: timing (median of repeats), machine load, and a competing
busy process for the contention figures.

Every benchmark reports each figure twice: ``quiet`` (nothing of ours competing) and
``busy`` (one extra process spinning on core 0 for the whole measurement, as another
user or a server worker would). The machine may be shared with other work: each mode
records ``/proc/loadavg`` at its start and end, and times are the median of the
repeats, never the best.

Run on its own to check the spinner: ``python bench/contention.py``.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import statistics
import time
from collections.abc import Callable, Iterator
from typing import Any

#: the spinner stops by itself after this long even if the benchmark dies (s)
SPIN_LIMIT_S = 900.0


def _spin(core: int, seconds: float) -> None:
    with contextlib.suppress(AttributeError, OSError):  # pinning is best effort
        os.sched_setaffinity(0, {core})
    end = time.monotonic() + seconds
    x = 0
    while time.monotonic() < end:
        for _ in range(10_000):
            x += 1


@contextlib.contextmanager
def busy(core: int = 0, seconds: float = SPIN_LIMIT_S) -> Iterator[int]:
    """A process spinning on ``core`` while the block runs; killed at its end."""
    ctx = mp.get_context("spawn")  # no fork: the parent may hold threads
    proc = ctx.Process(target=_spin, args=(core, seconds), daemon=True)
    proc.start()
    time.sleep(0.2)  # let it reach the loop
    try:
        yield proc.pid or 0
    finally:
        proc.kill()
        proc.join(5)


def loadavg() -> list[float]:
    """1, 5 and 15 minute load averages (empty where /proc is missing)."""
    try:
        with open("/proc/loadavg") as f:
            return [float(x) for x in f.read().split()[:3]]
    except OSError:  # pragma: no cover
        return []


def timed(fn: Callable[[], Any], repeat: int) -> tuple[dict[str, Any], Any]:
    """Median wall and CPU time (this process, all threads) over ``repeat`` calls."""
    walls, cpus, out = [], [], None
    for _ in range(repeat):
        c, t = time.process_time(), time.perf_counter()
        out = fn()
        walls.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
    stats = {
        "median_s": statistics.median(walls),
        "min_s": min(walls),
        "max_s": max(walls),
        "cpu_median_s": statistics.median(cpus),
        "repeat": repeat,
    }
    return stats, out


def interleaved(
    runs: dict[str, Callable[[], Any]], repeat: int
) -> tuple[dict[str, dict[str, float]], dict[str, Any]]:
    """Median wall and CPU time of each run over ``repeat`` rounds that take every run
    once (so that a change in the machine's load hits every figure alike), and the last
    output of each."""
    rows: dict[str, list[dict[str, Any]]] = {k: [] for k in runs}
    outs: dict[str, Any] = {}
    for _ in range(repeat):
        for k, fn in runs.items():
            stats, outs[k] = timed(fn, 1)
            rows[k].append(stats)
    fig: dict[str, dict[str, float]] = {}
    for k, rs in rows.items():
        walls = sorted(x["median_s"] for x in rs)
        cpus = sorted(x["cpu_median_s"] for x in rs)
        fig[k] = {"median_s": walls[len(walls) // 2], "cpu_median_s": cpus[len(cpus) // 2]}
    return fig, outs


def modes(names: str) -> list[str]:
    """``--modes`` value -> list, each 'quiet' or 'busy'."""
    out = [m.strip() for m in names.split(",") if m.strip()]
    bad = [m for m in out if m not in ("quiet", "busy")]
    if bad or not out:
        raise SystemExit(f"--modes takes quiet,busy (or one of them), got {names!r}")
    return out


def in_mode(mode: str, run: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """Run the figures of one mode, with the load before and after."""
    before = loadavg()
    if mode == "busy":
        with busy() as pid:
            res = run()
        res["competing_process"] = f"pid {pid} spinning on core 0"
    else:
        res = run()
    res["loadavg_before"], res["loadavg_after"] = before, loadavg()
    return res


def machine() -> dict[str, Any]:
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover
        cores = os.cpu_count() or 1
    try:
        from reachmap.geodesy import threads

        n_threads: int | str = threads.threads()
    except ImportError:  # an older reachmap (numba parallel=True kernels)
        n_threads = "numba default"
    return {"cores": cores, "reachmap_threads": n_threads, "loadavg": loadavg()}


if __name__ == "__main__":
    import json

    def probe() -> dict[str, Any]:
        stats, _ = timed(lambda: sum(range(3_000_000)), 5)
        return {"sum_3e6": stats}

    print(json.dumps({m: in_mode(m, probe) for m in ("quiet", "busy")}, indent=2))
