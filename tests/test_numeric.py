"""The shared numerics (reachmap.numeric): golden-section search and chunked evaluation."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pytest

from reachmap.numeric import INV_PHI, finite_or_none, golden_section, in_chunks, json_values


def test_golden_section_finds_known_minima_per_element() -> None:
    # cos has its minimum at pi on [2, 4]; (x - c)^2 at c: each element its own search.
    g = golden_section(np.cos, 2.0, 4.0, 80)
    assert float(g.x) == pytest.approx(math.pi, abs=1e-7)  # flat to ~1e-16 in f: sqrt(eps)
    assert float(g.fx) == pytest.approx(-1.0, abs=1e-15)
    centres = np.array([[0.1, 0.5], [0.9, 0.25]])
    g = golden_section(lambda x: (x - centres) ** 2, np.zeros((2, 2)), 1.0, 60)
    assert g.x.shape == (2, 2)
    np.testing.assert_allclose(g.x, centres, atol=1e-8)
    assert ((g.lo <= centres) & (centres <= g.hi)).all()


def test_golden_section_bracket_shrinks_by_the_golden_ratio() -> None:
    for steps in (1, 5, 30):
        g = golden_section(lambda x: np.abs(x - 0.3), 0.0, 1.0, steps)
        assert float(g.hi - g.lo) == pytest.approx(INV_PHI**steps, rel=1e-9)


def test_golden_section_agrees_with_scipy_brent() -> None:
    from scipy.optimize import minimize_scalar

    def f(x: np.ndarray) -> np.ndarray:
        return np.sin(3 * x) + 0.5 * x * x

    ref = minimize_scalar(lambda x: float(f(np.asarray(x))), bounds=(-1.5, 0.5), method="bounded")
    g = golden_section(f, -1.5, 0.5, 80)
    assert float(g.x) == pytest.approx(ref.x, abs=1e-5)  # scipy's default xatol is 1e-5


def test_golden_section_ties_go_left_and_inf_means_no_value() -> None:
    flat = golden_section(lambda x: np.zeros_like(x), 0.0, 1.0, 40)
    assert float(flat.hi) < 1e-6  # every tie keeps [lo, x2]
    # +inf beyond 0.6 ("no arc there"): the search stays on the finite side.
    g = golden_section(lambda x: np.where(x > 0.6, np.inf, -x), 0.0, 1.0, 60)
    assert float(g.x) == pytest.approx(0.6, abs=1e-9)
    with pytest.raises(ValueError, match="at least one step"):
        golden_section(np.cos, 0.0, 1.0, 0)


@dataclass(frozen=True)
class _Pair:
    total: np.ndarray
    ok: np.ndarray


def _solve(a: np.ndarray, b: np.ndarray) -> _Pair:
    return _Pair(np.sqrt(a) + b, a > b)


@pytest.mark.parametrize("shape", [(), (0,), (1,), (7,), (8,), (9,), (3, 5), (2, 0)])
def test_in_chunks_equals_one_call_for_any_shape(shape: tuple[int, ...]) -> None:
    rng = np.random.default_rng(1)
    a = rng.uniform(0, 10, shape)
    whole = _solve(a, np.asarray(2.0))
    chunked = in_chunks(_solve, a, 2.0, size=4)
    for got, want in ((chunked.total, whole.total), (chunked.ok, whole.ok)):
        assert got.shape == want.shape and got.dtype == want.dtype
        np.testing.assert_array_equal(got, want)


def test_in_chunks_splits_large_inputs() -> None:
    sizes: list[int] = []

    def solve(a: np.ndarray) -> _Pair:
        sizes.append(a.size)
        return _Pair(a, a > 0)

    in_chunks(solve, np.ones(10), size=4)
    assert sizes == [4, 4, 2]


def test_finite_or_none() -> None:
    assert finite_or_none(np.float64(1.5)) == 1.5 and type(finite_or_none(np.float64(1))) is float
    assert finite_or_none(math.inf) is None and finite_or_none(np.nan) is None
    assert finite_or_none(7) == 7 and finite_or_none("x") == "x" and finite_or_none(None) is None


def test_array_results_own_their_json() -> None:
    import json

    from reachmap.flight import kepler
    from reachmap.flight.rotating import RotatingSpec, solve_rotating

    t = kepler.min_energy([1_000e3, -1.0])  # the second element has no arc
    data = t.to_json()
    assert data["valid"] == [True, False] and data["time_s"][1] is None
    assert data["time_s"][0] == float(t.time_s[0])
    assert json_values(np.array([[1.0, np.inf]])) == [[1.0, None]]
    sol = solve_rotating(RotatingSpec(20.0, 10.0, 20.0, 10.0))  # same point: invalid
    data = sol.to_json()
    assert data["valid"] is False and data["time_s"] is None
    assert data["burnout_position_m"] == [None, None, None]
    json.dumps(data, allow_nan=False)
