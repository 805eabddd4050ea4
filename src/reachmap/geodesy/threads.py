"""How reachmap's compiled kernels use threads: the one place that decides.

The kernels (:mod:`reachmap.geodesy.screen`) are *serial* numba functions compiled
with ``nogil=True`` that work on a range ``[lo, hi)`` of query points. Large calls
are cut into blocks that a small pool of Python threads takes one at a time, the
calling thread included; small calls run serially in the calling thread.

Why not ``parallel=True``: numba's parallel loops split the work into one static
share per thread, and the OpenMP layer's idle threads spin. With another busy
process on a 2-core machine, an envelope of Belarus at 500 km then took 4.7 s instead
of 0.16 s, and large distance calls were slower than with one thread, since the
share on the busy core finishes last. Here threads wait passively (a lock, not a
spin), blocks are taken dynamically (a thread on a busy core simply takes fewer), and
every point is computed by the same serial code whatever the block, so results are
bit-identical for any thread count. Numba's own threading layer is never started
(:func:`numba_threading_started` checks), so ``NUMBA_THREADING_LAYER`` and
``OMP_*`` settings do not matter to reachmap.

Settings:

* ``REACHMAP_THREADS`` (environment, read on first use) or :func:`set_threads`: the
  most threads one call uses. Default: the cores this process may run on, at most
  ``MAX_DEFAULT_THREADS``. Server workers that already use every core should set 1.
* Calls with fewer than ``PARALLEL_MIN_POINTS`` points never use the pool (envelope
  tracing makes many such calls; thread hand-offs would cost more than they save).

>>> set_threads(1); threads()
1
>>> set_threads(None)  # back to the default
"""

from __future__ import annotations

import itertools
import math
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from reachmap.errors import InputError

#: below this many points a call runs serially in the calling thread
PARALLEL_MIN_POINTS = 16_384
#: smallest block handed to a thread (a few ms of kernel work)
MIN_BLOCK_POINTS = 4_096
#: blocks per thread: enough that a thread slowed by another process costs at most
#: about one block at the end of the call
BLOCKS_PER_THREAD = 8
#: default cap on threads per call
MAX_DEFAULT_THREADS = 8
ENV_THREADS = "REACHMAP_THREADS"

_lock = threading.Lock()
_threads: int | None = None
_pool: ThreadPoolExecutor | None = None
_pool_size = 0


def _default_threads() -> int:
    env = os.environ.get(ENV_THREADS, "").strip()
    if env:
        if not (env.isdigit() and int(env) >= 1):
            raise InputError(
                f"{ENV_THREADS} must be a whole number >= 1 (1: no extra threads), got {env!r}"
            )
        return int(env)
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_DEFAULT_THREADS))


def threads() -> int:
    """The most threads one kernel call uses."""
    global _threads
    if _threads is None:
        _threads = _default_threads()
    return _threads


def set_threads(n: int | None) -> None:
    """Cap the threads per kernel call (``None``: back to the default)."""
    global _threads
    if n is not None and (not isinstance(n, int) or isinstance(n, bool) or n < 1):
        raise InputError(f"threads must be a whole number >= 1, got {n!r}")
    _threads = n


def _get_pool(workers: int) -> ThreadPoolExecutor:
    global _pool, _pool_size
    with _lock:
        if _pool is None or _pool_size < workers:
            old = _pool
            _pool = ThreadPoolExecutor(workers, thread_name_prefix="reachmap")
            _pool_size = workers
            if old is not None:
                old.shutdown(wait=False)
        return _pool


def _forget_pool() -> None:  # a forked child has the pool object but not its threads
    global _pool, _pool_size
    _pool, _pool_size = None, 0


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pool)


def run_blocks(kernel: Callable[..., Any], n: int, *args: Any) -> None:
    """Call ``kernel(*args, lo, hi)`` over blocks covering ``[0, n)``.

    ``kernel`` must release the GIL (numba ``nogil=True``) and write each point's
    results only to that point's slots, so blocks are independent.
    """
    t = threads()
    if t <= 1 or n < PARALLEL_MIN_POINTS:
        kernel(*args, 0, n)
        return
    n_blocks = min(t * BLOCKS_PER_THREAD, math.ceil(n / MIN_BLOCK_POINTS))
    bounds = [n * k // n_blocks for k in range(n_blocks + 1)]
    counter = itertools.count()  # next() is atomic under the GIL

    def work() -> None:
        while (k := next(counter)) < n_blocks:
            kernel(*args, bounds[k], bounds[k + 1])

    pool = _get_pool(t - 1)
    futures: list[Future[None]] = [pool.submit(work) for _ in range(t - 1)]
    try:
        work()  # the caller works too: no deadlock however busy the pool is
    finally:
        for f in futures:
            f.result()


def numba_threading_started() -> bool:
    """Whether numba's own threading layer (OpenMP/TBB/workqueue) was launched."""
    import sys

    par = sys.modules.get("numba.np.ufunc.parallel")
    return bool(getattr(par, "_is_initialized", False))
