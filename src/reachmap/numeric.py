"""Small numerics shared by the models: golden-section search, chunked evaluation, NaN as None.

Pure numpy; imports nothing from reachmap, so any layer may use it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any, TypeVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "CHUNK_SIZE",
    "INV_PHI",
    "Golden",
    "JsonFields",
    "finite_or_none",
    "golden_section",
    "in_chunks",
    "json_values",
]

#: 1/φ = (√5 − 1)/2: each golden-section step keeps this fraction of the bracket.
INV_PHI = (math.sqrt(5.0) - 1.0) / 2.0

#: Elements per chunk of :func:`in_chunks`: a few hundred kB of float64 temporaries
#: per array operation, which stay in the cache of the development machine.
CHUNK_SIZE = 8192

FloatArray = NDArray[np.float64]
T = TypeVar("T")


@dataclass(frozen=True)
class Golden:
    """The result of :func:`golden_section` per element.

    ``lo``, ``hi``: the final bracket; ``x``, ``fx``: the better of the two interior
    points evaluated in the last step, and its value.
    """

    lo: FloatArray
    hi: FloatArray
    x: FloatArray
    fx: FloatArray


def golden_section(
    f: Callable[[FloatArray], FloatArray], lo: ArrayLike, hi: ArrayLike, steps: int
) -> Golden:
    """Minimise ``f`` on ``[lo, hi]`` per element by golden-section search, ``steps`` steps.

    ``f`` maps an array of abscissae to an array of values of the same shape; every
    element runs its own search (``lo``, ``hi`` broadcast). Each step evaluates the
    two interior points ``hi − (hi − lo)/φ`` and ``lo + (hi − lo)/φ`` afresh and keeps
    ``[lo, x2]`` where ``f(x1) <= f(x2)``, else ``[x1, hi]``, so the bracket shrinks
    by 1/φ ≈ 0.618 per step (80 steps: below 1e-16 of its width). Near the minimum
    ties are common (``f`` is flat to float precision there); they go left. ``f``
    should be unimodal on the bracket; use ``+inf`` rather than NaN for points
    without a value (a NaN compares false and moves the bracket right).

    >>> g = golden_section(lambda x: (x - 0.3) ** 2, 0.0, [1.0, 2.0], 60)
    >>> np.round(g.x, 9).tolist(), bool(np.all(g.hi - g.lo < 1e-11))
    ([0.3, 0.3], True)
    """
    if steps < 1:
        raise ValueError(f"golden_section needs at least one step, got {steps}")
    lo, hi = (np.asarray(a, dtype=np.float64) for a in np.broadcast_arrays(lo, hi))
    x1 = x2 = f1 = f2 = lo
    for _ in range(steps):
        x1, x2 = hi - INV_PHI * (hi - lo), lo + INV_PHI * (hi - lo)
        f1, f2 = f(x1), f(x2)
        left = f1 <= f2  # the minimum is in [lo, x2]
        lo, hi = np.where(left, lo, x1), np.where(left, x2, hi)
    better = f1 <= f2
    return Golden(lo, hi, np.where(better, x1, x2), np.where(better, f1, f2))


def in_chunks(solve: Callable[..., T], *arrays: ArrayLike, size: int = CHUNK_SIZE) -> T:
    """``solve(*arrays)`` over the broadcast arrays, in chunks of ``size`` elements.

    ``solve`` works element by element and returns a dataclass whose fields are
    arrays of its input's shape. Up to ``size`` elements it gets the arrays as
    they are; larger inputs are flattened, solved chunk by chunk and each field
    joined back into the broadcast shape. Long chains of array operations on
    chunks that stay in cache reuse freed memory instead of touching fresh pages
    (about twice as fast for 100k+ elements); results do not depend on chunking.

    >>> @dataclass(frozen=True)
    ... class Sq:
    ...     y: np.ndarray
    >>> in_chunks(lambda a: Sq(a * a), np.arange(6.0).reshape(2, 3), size=4).y.tolist()
    [[0.0, 1.0, 4.0], [9.0, 16.0, 25.0]]
    """
    full = np.broadcast_arrays(*(np.asarray(a) for a in arrays))
    shape = full[0].shape
    if full[0].size <= size:
        return solve(*full)
    flat = [a.ravel() for a in full]
    parts: list[Any] = [
        solve(*(a[i : i + size] for a in flat)) for i in range(0, flat[0].size, size)
    ]
    joined = {
        f.name: np.concatenate([getattr(p, f.name) for p in parts]).reshape(shape)
        for f in fields(parts[0])
    }
    return type(parts[0])(**joined)


def finite_or_none(value: Any) -> Any:
    """``value`` fit for JSON: NaN and infinities become None, numpy floats Python floats.

    >>> finite_or_none(np.float64(2.5)), finite_or_none(float("nan")), finite_or_none(3)
    (2.5, None, 3)
    """
    if isinstance(value, float | np.floating):
        return float(value) if math.isfinite(value) else None
    return value


def json_values(value: Any) -> Any:
    """A number or array as JSON: arrays become (nested) lists, NaN and infinities None.

    >>> json_values(np.array([[1.0, np.nan]])), json_values(np.bool_(True)), json_values(2.0)
    ([[1.0, None]], True, 2.0)
    """
    a = np.asarray(value)
    if a.dtype.kind != "f":
        return a.tolist()
    if a.ndim == 0:
        return finite_or_none(a.item())
    out = a.astype(object)
    out[~np.isfinite(a)] = None
    return out.tolist()


class JsonFields:
    """Mixin for a frozen dataclass of numbers and arrays: ``to_json()`` field by field."""

    def to_json(self) -> dict[str, Any]:
        """Every field by name, through :func:`json_values` (lists, None for NaN)."""
        return {f.name: json_values(getattr(self, f.name)) for f in fields(self)}  # type: ignore[arg-type]
