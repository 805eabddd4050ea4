"""The range-scaled boost of the minimum-energy profile (docs/flight.md, "Range-scaled boost").

A minimum-energy flight needs only the burnout speed of its own range, so with a
class default (:data:`reachmap.flight.boost.DEFAULT_BOOST`) its burn is
shortened: burn time in proportion to the minimum-energy burnout speed, burnout
point from the same closed-form gravity turn, made self-consistent with the arc
by an Anderson-accelerated fixed point over arrays. A model assumption, not a
catalog fact; at the class default's reference range it is the default itself.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from reachmap.flight import kepler
from reachmap.flight.boost import BoostModel, gravity_turn_m
from reachmap.flight.kepler import HALF_CIRCUMFERENCE_M, FloatArray
from reachmap.numeric import JsonFields, in_chunks

__all__ = [
    "MIN_SCALED_RANGE_M",
    "SCALED_BOOST_SOURCE",
    "ScaledBoost",
    "min_energy_boost",
    "scaled_boost_model",
]

#: Shortest ground range of the range-scaled minimum-energy boost (docs/flight.md,
#: "Range-scaled boost"): below it the burn lasts a few seconds and the whole flight
#: stays within a few km of the ground, where the vacuum model says nothing.
MIN_SCALED_RANGE_M = 10e3
_SCALE_TOL_M = 1e-5  # the burnout point is self-consistent to 10 µm
_SCALE_MAX_STEPS = 60  # Anderson-accelerated fixed point: 5-8 steps are enough
#: The ``source`` of a range-scaled minimum-energy boost.
SCALED_BOOST_SOURCE = (
    "model assumption, not catalog fact: the class default's boost scaled to the range "
    "(minimum-energy profile only): burn time in proportion to the minimum-energy burnout "
    "speed, burnout point from the same gravity turn (docs/flight.md, 'Range-scaled boost')"
)


@dataclass(frozen=True)
class ScaledBoost(JsonFields):
    """The boost of the minimum-energy profile per ground range; NaN where ``valid`` is False."""

    burn_time_s: FloatArray
    burnout_altitude_m: FloatArray
    burnout_downrange_m: FloatArray
    valid: NDArray[np.bool_]


@functools.cache
def _scaling(boost: BoostModel) -> tuple[float, float, float]:
    """``v_ref`` and the calibration ``(c_h, c_d)`` of a class default.

    ``v_ref`` is the minimum-energy burnout speed to the reference range from the
    default's burnout point. The default's altitude and downrange are rounded to
    1 km; ``c_h, c_d`` (within 1.2 % of 1) carry that rounding as constant factors
    on the gravity-turn closed form, so that the reference range gives the
    default exactly.
    """
    assert boost.reference_range_m is not None
    v, cos_g, sin_g = kepler.min_energy_burnout(
        boost.reference_range_m - boost.burnout_downrange_m, boost.burnout_altitude_m
    )
    h1, d1 = gravity_turn_m(boost.burn_time_s, v, cos_g, sin_g)
    return float(v), boost.burnout_altitude_m / float(h1), boost.burnout_downrange_m / float(d1)


def _scaled_step(
    rng: FloatArray, h: FloatArray, d: FloatArray, boost: BoostModel
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """One pass of the fixed point: burnout point → min-energy arc → scaled burn → burnout point."""
    v_ref, c_h, c_d = _scaling(boost)
    v, cos_g, sin_g = kepler.min_energy_burnout(rng - d, h)
    burn = boost.burn_time_s * v / v_ref
    h_new, d_new = gravity_turn_m(burn, v, cos_g, sin_g)
    return h_new * c_h, d_new * c_d, burn


@dataclass(frozen=True)
class _StartTable:
    """Solved burnout points on a grid uniform in log(range), to start the iteration.

    ``ratios[k]`` holds altitude and downrange as multiples of the class default
    scaled linearly with range, at ``log(range) = log0 + k · step``; linear
    interpolation between them starts the iteration within about a metre.
    """

    log0: float
    step: float
    ratios: FloatArray  # shape (2, nodes)
    slopes: FloatArray  # shape (2, nodes - 1)

    def start(self, rng: FloatArray) -> tuple[FloatArray, FloatArray]:
        u = (np.log(rng) - self.log0) / self.step
        k = np.clip(u.astype(np.int64), 0, self.slopes.shape[1] - 1)
        w = u - k
        ratio_h = self.ratios[0].take(k) + w * self.slopes[0].take(k)
        ratio_d = self.ratios[1].take(k) + w * self.slopes[1].take(k)
        return ratio_h, ratio_d


@functools.cache
def _start_table(boost: BoostModel) -> _StartTable:
    assert boost.reference_range_m is not None
    lo, hi = math.log(MIN_SCALED_RANGE_M), math.log(HALF_CIRCUMFERENCE_M)
    nodes = np.exp(np.linspace(lo, hi, 1025))
    nodes[-1] = np.nextafter(HALF_CIRCUMFERENCE_M, 0.0)
    solved = _scaled_chunk(nodes, boost, None)
    linear = nodes / boost.reference_range_m
    ratios = np.array(
        [
            solved.burnout_altitude_m / (boost.burnout_altitude_m * linear),
            solved.burnout_downrange_m / (boost.burnout_downrange_m * linear),
        ]
    )
    # Only a starting point: a node without a solution (none known) starts from 1.
    ratios = np.where(np.isfinite(ratios), ratios, 1.0)
    return _StartTable(lo, (hi - lo) / (nodes.size - 1), ratios, np.diff(ratios, axis=1))


def _scaled_chunk(rng: FloatArray, boost: BoostModel, start: _StartTable | None) -> ScaledBoost:
    """Solve the self-consistent burnout point for each range (Anderson-accelerated).

    Anderson mixing with one previous step: from the residuals ``f = G(x) − x``,
    ``x ← G(x) − θ (G(x) − G(x_prev))`` with ``θ`` the least-squares weight,
    clipped so that the burnout stays above ground and short of the target.
    Converged elements are frozen, so an element's result does not depend on
    the others in the array. The start is the class default scaled linearly
    with range, corrected by the solved table when there is one; at the
    reference range it is the default itself, which is a fixed point.
    """
    assert boost.reference_range_m is not None
    ok = np.isfinite(rng) & (rng >= MIN_SCALED_RANGE_M) & (rng < HALF_CIRCUMFERENCE_M)
    r = np.where(ok, rng, boost.reference_range_m)
    frac = r / boost.reference_range_m
    h, d = boost.burnout_altitude_m * frac, boost.burnout_downrange_m * frac
    if start is not None:
        ratio_h, ratio_d = start.start(r)
        at_ref = r == boost.reference_range_m
        h, d = np.where(at_ref, h, h * ratio_h), np.where(at_ref, d, d * ratio_d)
    gh, gd, burn = _scaled_step(r, h, d, boost)
    fh, fd = gh - h, gd - d
    prev: tuple[FloatArray, ...] | None = None
    with np.errstate(all="ignore"):
        for _ in range(_SCALE_MAX_STEPS):
            done = np.maximum(np.abs(fh), np.abs(fd)) <= _SCALE_TOL_M
            if done.all():
                break
            if prev is None:
                nh, nd = gh, gd
            else:
                pgh, pgd, pfh, pfd = prev
                dfh, dfd = fh - pfh, fd - pfd
                theta = (fh * dfh + fd * dfd) / (dfh * dfh + dfd * dfd + 1e-300)
                # Stay in the domain: above ground, short of the target (G(x) always is).
                nh = np.maximum(gh - theta * (gh - pgh), 0.5 * gh)
                nd = np.minimum(gd - theta * (gd - pgd), 0.5 * (gd + r))
            prev = (gh, gd, fh, fd)
            h, d = np.where(done, h, nh), np.where(done, d, nd)
            gh, gd, burn = _scaled_step(r, h, d, boost)
            fh, fd = gh - h, gd - d
        valid = ok & (np.maximum(np.abs(fh), np.abs(fd)) <= _SCALE_TOL_M)
    nan = np.nan
    return ScaledBoost(
        burn_time_s=np.where(valid, burn, nan),
        burnout_altitude_m=np.where(valid, h, nan),
        burnout_downrange_m=np.where(valid, d, nan),
        valid=valid,
    )


def min_energy_boost(range_m: ArrayLike, boost: BoostModel) -> ScaledBoost:
    """The boost the minimum-energy profile flies over each ground range.

    A class default (``boost.reference_range_m`` set) is scaled to the range, a
    model assumption (docs/flight.md, "Range-scaled boost"): the burn delivers the
    minimum-energy burnout speed ``v`` for the range from its own burnout point,
    in ``t = t_ref · v / v_ref`` (the class default's mean speed gain per second),
    and the burnout point is the gravity turn of :func:`gravity_turn_burnout_m`
    for that burn, made self-consistent with the arc. At the reference range this
    is the class default itself. Ranges shorter than :data:`MIN_SCALED_RANGE_M`
    or not shorter than half the circumference are NaN (``valid`` False).

    Any other boost (catalog data, or none) is returned unchanged for every range.

    >>> from reachmap.flight.boost import default_boost
    >>> b = min_energy_boost([790e3, 5_000e3], default_boost()["IRBM"])
    >>> b.burn_time_s.round(1).tolist(), (b.burnout_altitude_m / 1e3).round(1).tolist()
    ([69.4, 153.0], [61.5, 259.0])
    """
    rng = np.asarray(range_m, dtype=np.float64)
    if not boost.scales_to_range:
        full = np.ones_like(rng)
        return ScaledBoost(
            boost.burn_time_s * full,
            boost.burnout_altitude_m * full,
            boost.burnout_downrange_m * full,
            np.isfinite(rng),
        )
    start = _start_table(boost)
    return in_chunks(lambda r: _scaled_chunk(r, boost, start), rng)


def scaled_boost_model(range_m: float, boost: BoostModel) -> tuple[BoostModel, str | None]:
    """The minimum-energy boost for one range as a :class:`BoostModel`, or why there is none.

    ``boost`` itself when it does not scale (catalog data, no boost); with no
    solution, a NaN boost and the reason, in words for the row's notes.
    """
    if not boost.scales_to_range:
        return boost, None
    b = min_energy_boost(range_m, boost)
    if not bool(b.valid):
        why = (
            f"shorter than the {MIN_SCALED_RANGE_M / 1e3:g} km lower limit of the range-scaled "
            "minimum-energy boost (a burn of a few seconds and a flight a few km high: outside "
            "the vacuum model)"
            if range_m < MIN_SCALED_RANGE_M
            else "the range-scaled boost has no solution for this range"
        )
        return BoostModel(math.nan, math.nan, math.nan, SCALED_BOOST_SOURCE, True), why
    scaled = BoostModel(
        float(b.burn_time_s),
        float(b.burnout_altitude_m),
        float(b.burnout_downrange_m),
        SCALED_BOOST_SOURCE,
        True,
    )
    return scaled, None
