"""Threading of the compiled kernels: the same bits for any thread count, and numba's
own (spinning) threading layer never started."""

from __future__ import annotations

import numpy as np
import pytest

import reachmap
from reachmap.geodesy import threads


@pytest.fixture
def restore_threads():
    yield
    threads.set_threads(None)


def _queries(n: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(8)
    lon = rng.uniform(-180, 180, n)
    lat = np.degrees(np.arcsin(rng.uniform(-1, 1, n)))
    return lon, lat


def test_results_bit_identical_for_any_thread_count(restore_threads):
    # Enough points that the call is cut into blocks and runs on the pool.
    n = 3 * threads.PARALLEL_MIN_POINTS
    lon, lat = _queries(n)
    nor = reachmap.area("NOR")  # many small parts: many candidates per point
    out = []
    for t in (1, 3, 4):
        threads.set_threads(t)
        near = nor.nearest(lon, lat)
        out.append((nor.distance_m(lon, lat), near.edge, near.s_m, near.lon_deg))
    for other in out[1:]:
        for a, b in zip(out[0], other, strict=True):
            np.testing.assert_array_equal(a, b)


def test_block_runner_covers_every_point_once(restore_threads):
    threads.set_threads(3)
    n = 5 * threads.PARALLEL_MIN_POINTS + 17
    hits = np.zeros(n, dtype=np.int64)

    def kernel(out, lo, hi):  # a Python stand-in: same contract as the numba kernels
        out[lo:hi] += 1

    threads.run_blocks(kernel, n, hits)
    assert np.all(hits == 1)


def test_numba_threading_layer_never_started():
    lon, lat = _queries(2 * threads.PARALLEL_MIN_POINTS)
    reachmap.area("BLR").distance_m(lon, lat)
    assert not threads.numba_threading_started()


@pytest.mark.parametrize("bad", [0, -2, 1.5, "2", True])
def test_set_threads_refuses_nonsense(bad):
    with pytest.raises(reachmap.InputError, match="whole number"):
        threads.set_threads(bad)


def test_threads_env_setting(monkeypatch, restore_threads):
    monkeypatch.setenv(threads.ENV_THREADS, "3")
    threads.set_threads(None)
    assert threads.threads() == 3
    monkeypatch.setenv(threads.ENV_THREADS, "nonsense")
    threads.set_threads(None)
    with pytest.raises(reachmap.InputError, match="REACHMAP_THREADS must be a whole number"):
        threads.threads()
    monkeypatch.delenv(threads.ENV_THREADS)
    assert 1 <= threads.threads() <= threads.MAX_DEFAULT_THREADS
