"""Flight times for a ground range and a catalog system: the rows behind ``reachmap flight``.

This is the analysis layer over :mod:`reachmap.flight.kepler` (Kepler free flight),
:mod:`reachmap.flight.rotating` (rotating Earth) and the catalog. It decides, per
system, which burnout speed and boost phase apply:

* **ballistic**: boost phase (catalog ``Boost``, else the class default in
  :data:`DEFAULT_BOOST`) then a Kepler arc from the burnout point (altitude and
  downrange of the boost) to the surface. ``min-energy`` is the cheapest arc for
  the distance, and with a class default its boost is scaled to the distance
  (:func:`min_energy_boost`: a shorter burn for a shorter flight, a model
  assumption); ``lofted`` and ``depressed`` keep the full boost and are the two arcs flown at the
  burnout speed of the minimum-energy arc to the system's maximum range (the
  high catalog estimate), or, for ``lofted`` with an apogee, the arc through
  that apogee;
* **cruise**: constant speed along the geodesic (catalog ``speed_mps``);
* **glide**: boost phase, then constant speed at the catalog glide speed (a
  documented approximation of a hypersonic glide).

:func:`flight_rows` gives the per-profile rows of the DESIGN JSON shape;
:func:`flight_time_s` the vectorised times for reach tables.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from reachmap.data import catalog
from reachmap.errors import InputError
from reachmap.flight import kepler
from reachmap.flight.kepler import ATMOSPHERE_TOP_M, HALF_CIRCUMFERENCE_M, FloatArray, Trajectory
from reachmap.flight.rotating import RotatingSpec, rotating_max_range_m, solve_rotating

if TYPE_CHECKING:
    from reachmap.data.catalog import Source, System

__all__ = [
    "BALLISTIC_PROFILES",
    "BOOST_REFERENCES",
    "DEFAULT_BOOST",  # noqa: F822 - provided lazily by the module __getattr__
    "DEFAULT_BOOST_SOURCE_IDS",
    "default_boost",
    "MIN_SCALED_RANGE_M",
    "BoostModel",
    "BoostReference",
    "RotatingSpec",
    "ScaledBoost",
    "boost_for",
    "energy_error",
    "flight_rows",
    "flight_time_s",
    "gravity_turn_burnout_m",
    "min_energy_boost",
]

#: Profiles of a ballistic missile; ``all`` asks for every profile of the system.
BALLISTIC_PROFILES = ("min-energy", "lofted", "depressed")
_OWN_PROFILE = {"cruise": "cruise", "glide": "glide"}
ATMOSPHERE_NOTE = "apogee in the atmosphere: outside the vacuum model"
DESCENDING_NOTE = (
    "heads down from burnout: a real depressed flight would burn out lower and flatter "
    "than the fixed boost geometry assumes"
)
EARTH_MODEL = "spherical Earth R = 6,371 km, mu = 3.986004418e14 m^3/s^2, vacuum (no drag, no lift)"


@dataclass(frozen=True)
class BoostModel:
    """The powered phase: burn time, and where the free flight starts.

    ``source`` says where the numbers come from; ``is_default`` marks the class
    defaults of :data:`DEFAULT_BOOST` (not system data). ``reference_range_m`` is
    the range a class default is shaped for; only boosts that have one are
    scaled to the range for the minimum-energy profile (:func:`min_energy_boost`).
    """

    burn_time_s: float
    burnout_altitude_m: float
    burnout_downrange_m: float
    source: str
    is_default: bool = False
    reference_range_m: float | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "burn_time_s": self.burn_time_s,
            "burnout_altitude_km": self.burnout_altitude_m / 1e3,
            "burnout_downrange_km": self.burnout_downrange_m / 1e3,
            "source": self.source,
            "default": self.is_default,
        }


def _cite(sources: Sequence[Source] | None, *, urls: bool = False) -> str:
    if not sources:
        return "no source recorded"
    parts = []
    for s in sources:
        parts.append(
            f"{s.publisher}, {s.title!r} ({s.date})"
            + (f", {s.url}" if urls else "")
            + ("" if s.verified else " [unverified]")
        )
    return "; ".join(parts)


NO_BOOST = BoostModel(0.0, 0.0, 0.0, "none: burnout at the surface, free flight only")

#: Standard gravity (m/s²), the uniform gravity of the flat-Earth boost model.
STANDARD_GRAVITY_MPS2 = 9.80665


def gravity_turn_burnout_m(
    burn_time_s: float, speed_mps: float, gamma_rad: float
) -> tuple[float, float]:
    """Burnout altitude and downrange (m) of a constant thrust-to-weight gravity turn.

    The model behind the class defaults' burnout point (docs/flight.md, "Boost
    phase"): a vertical launch from rest that tips over into a gravity turn
    (thrust along the velocity), with constant thrust acceleration ``n g``, over
    a flat Earth with uniform gravity ``g``, no drag. With ``θ`` the angle of the
    velocity from the vertical, ``dv/dt = g (n − cos θ)`` and ``v dθ/dt = g sin θ``
    integrate in closed form with ``z = tan(θ/2)``::

        v = (C/2) z^(n−1) (1 + z²)
        t = (C/2g) [z^(n−1)/(n−1) + z^(n+1)/(n+1)]
        x = (2v²/g) z/(1+z²)² [1/(2n−1) + z²/(2n+1)]
        h = (v²/g) 1/(1+z²)² [1/(2n−2) − z⁴/(2n+2)]

    The burn time, burnout speed and path angle above the horizontal fix ``n``
    (a quadratic, root > 1) and ``C``. Vertical burnout (``gamma_rad = π/2``)
    gives ``h = v t / 2``, ``x = 0``.

    >>> [round(v / 1e3) for v in gravity_turn_burnout_m(180.0, 7_000.0, math.radians(23.0))]
    [300, 536]
    """
    t, v, g = float(burn_time_s), float(speed_mps), float(gamma_rad)
    if not (t > 0 and v > 0 and 0 < g <= math.pi / 2):
        raise ValueError(
            "the gravity-turn boost needs a positive burn time and speed and a path angle "
            f"in (0, 90] degrees, got {t:g} s, {v:g} m/s, {math.degrees(g):g} degrees"
        )
    altitude, downrange = _gravity_turn_m(t, v, math.cos(g), math.sin(g))
    return float(altitude), float(downrange)


def _gravity_turn_m(
    burn_time_s: ArrayLike, speed_mps: ArrayLike, cos_gamma: ArrayLike, sin_gamma: ArrayLike
) -> tuple[FloatArray, FloatArray]:
    """The closed form of :func:`gravity_turn_burnout_m` on arrays (no input checks).

    ``z = tan(θ/2)`` with ``θ = π/2 − γ`` is ``cos γ / (1 + sin γ)``.
    """
    t, v = np.asarray(burn_time_s, dtype=np.float64), np.asarray(speed_mps, dtype=np.float64)
    z = np.asarray(cos_gamma, dtype=np.float64) / (1.0 + np.asarray(sin_gamma, dtype=np.float64))
    z2 = z * z
    q = 1.0 + z2
    k = STANDARD_GRAVITY_MPS2 * t * q / v
    n = (q + np.sqrt(q * q + 4.0 * k * (k + 1.0 - z2))) / (2.0 * k)
    scale = v * v / STANDARD_GRAVITY_MPS2 / (q * q)
    altitude = scale * (1.0 / (2.0 * n - 2.0) - z2 * z2 / (2.0 * n + 2.0))
    downrange = 2.0 * scale * z * (1.0 / (2.0 * n - 1.0) + z2 / (2.0 * n + 1.0))
    return altitude, downrange


@dataclass(frozen=True)
class BoostReference:
    """What a class default is built from: a reference range and, where public, a burn time.

    ``range_m`` is a sourced maximum range of ``system`` (the arc the default
    boost is shaped for); ``burn_time_s`` is a sourced burn time, or None where no
    public figure was found and the burn time is interpolated (see
    :func:`_interpolated_burn_time_s`). Source ids refer to ``sources.toml``.
    """

    system: str
    range_m: float
    range_source_ids: tuple[str, ...]
    burn_time_s: float | None = None
    burn_source_ids: tuple[str, ...] = ()
    burn_basis: str = ""


#: The reference behind each class default (burn times: public figures or interpolated).
BOOST_REFERENCES: dict[str, BoostReference] = {
    "SRBM": BoostReference(
        "V-2 (A-4)",
        322e3,
        ("tdia-v2-1950",),
        65.0,
        ("tdia-v2-1950",),
        "the V-2's engine 'burned for 65 seconds'",
    ),
    "MRBM": BoostReference(
        "Pershing II", 1_770.3e3, ("sunsentinel-1985-04-25", "oklahoman-1989-06-17")
    ),
    "IRBM": BoostReference("RSD-10 Pioneer (SS-20)", 5_000e3, ("state-inf-narrative",)),
    "ICBM": BoostReference(
        "LGM-30G Minuteman III",
        9_663.7e3,
        ("ssbcrack-2024-11",),
        180.0,
        ("wired-nrc-boost-2012", "nrc-making-sense-2012"),
        "a solid-propellant ICBM burns about 3 minutes (National Research Council, 2012, as "
        "reported); a figure for the class, not for Minuteman III",
    ),
}

#: Every sources.toml entry the class defaults cite.
DEFAULT_BOOST_SOURCE_IDS: frozenset[str] = frozenset(
    i for r in BOOST_REFERENCES.values() for i in (*r.range_source_ids, *r.burn_source_ids)
)

_ANCHORS = ("SRBM", "ICBM")


def _surface_speed(range_m: float) -> float:
    return float(kepler.min_energy(range_m).speed_mps)


def _interpolated_burn_time_s(range_m: float) -> float:
    """Burn time between the sourced SRBM and ICBM ones, linear in minimum-energy speed.

    The speed is that of the textbook minimum-energy arc from the surface over
    ``range_m``; a model assumption, used where no public burn time was found.
    """
    lo, hi = (BOOST_REFERENCES[c] for c in _ANCHORS)
    assert lo.burn_time_s is not None and hi.burn_time_s is not None
    v_lo, v_hi = _surface_speed(lo.range_m), _surface_speed(hi.range_m)
    frac = (_surface_speed(range_m) - v_lo) / (v_hi - v_lo)
    return lo.burn_time_s + frac * (hi.burn_time_s - lo.burn_time_s)


def _consistent_burnout_m(burn_time_s: float, range_m: float) -> tuple[float, float]:
    """Burnout (altitude, downrange) of the gravity turn that flies into the min-energy arc.

    The gravity turn ends at the speed and path angle of the minimum-energy free
    flight from its own burnout point to ``range_m`` (fixed-point iteration, a
    contraction that settles in about 15 steps).
    """
    h = d = 0.0
    for _ in range(100):
        arc = kepler.min_energy(range_m - d, h)
        h_new, d_new = gravity_turn_burnout_m(
            burn_time_s, float(arc.speed_mps), float(arc.gamma_rad)
        )
        if abs(h_new - h) < 1e-3 and abs(d_new - d) < 1e-3:
            return h_new, d_new
        h, d = h_new, d_new
    msg = f"boost geometry did not settle for {range_m / 1e3:,.0f} km"  # pragma: no cover
    raise RuntimeError(msg)  # pragma: no cover


def _class_default(name: str) -> BoostModel:
    """The documented default of one class, rounded to 1 s and 1 km (docs/flight.md)."""
    ref = BOOST_REFERENCES[name]
    sources = catalog.sources()
    rng = _cite([sources[i] for i in ref.range_source_ids], urls=True)
    anchors = "; ".join(
        f"{c} {BOOST_REFERENCES[c].burn_time_s:g} s: "
        + _cite([sources[i] for i in BOOST_REFERENCES[c].burn_source_ids], urls=True)
        for c in _ANCHORS
    )
    if ref.burn_time_s is not None:
        burn = ref.burn_time_s
        same = ref.burn_source_ids == ref.range_source_ids
        cited = (
            "same source" if same else _cite([sources[i] for i in ref.burn_source_ids], urls=True)
        )
        burn_text = f"burn time {burn:g} s is from a public source: {ref.burn_basis} ({cited})"
    else:
        burn = float(round(_interpolated_burn_time_s(ref.range_m)))
        burn_text = (
            f"burn time {burn:g} s is a model assumption (no public figure found): interpolated "
            "linearly in minimum-energy burnout speed between the public SRBM and ICBM burn "
            f"times ({anchors})"
        )
    h, d = _consistent_burnout_m(burn, ref.range_m)
    h, d = round(h / 1e3) * 1e3, round(d / 1e3) * 1e3
    source = (
        f"reachmap {name} class default shaped for {ref.system}'s {ref.range_m / 1e3:,.0f} km "
        f"({rng}). {burn_text[0].upper()}{burn_text[1:]}. Burnout altitude {h / 1e3:g} km and "
        f"downrange {d / 1e3:g} km are a model assumption, not a catalog fact: a constant "
        "thrust-to-weight gravity turn (flat Earth, no drag) that reaches the minimum-energy "
        f"burnout speed and angle for {ref.range_m / 1e3:,.0f} km in the burn time "
        "(docs/flight.md, 'Boost phase')"
    )
    return BoostModel(burn, h, d, source, True, ref.range_m)


@functools.cache
def default_boost() -> dict[str, BoostModel]:
    """Documented class defaults, used only when the catalog has no boost data for a
    system. Built on first use (it reads the bundled sources), not at import.

    Also available as the module attribute ``DEFAULT_BOOST``."""
    out = {c: _class_default(c) for c in BOOST_REFERENCES}
    # Assumptions, not sources: glide vehicles ride an MRBM-class booster; air-launched
    # ballistic missiles an SRBM-class motor.
    out["HGV"] = out["MRBM"]
    out["ALBM"] = out["SRBM"]
    return out


def __getattr__(name: str) -> Any:
    if name == "DEFAULT_BOOST":  # lazily, so that importing reads no data file
        return default_boost()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


#: Shortest ground range of the range-scaled minimum-energy boost (docs/flight.md,
#: "Range-scaled boost"): below it the burn lasts a few seconds and the whole flight
#: stays within a few km of the ground, where the vacuum model says nothing.
MIN_SCALED_RANGE_M = 10e3
_SCALE_TOL_M = 1e-5  # the burnout point is self-consistent to 10 µm
_SCALE_MAX_STEPS = 60  # Anderson-accelerated fixed point: 5-8 steps are enough
_SCALE_CHUNK = 8192  # elements per chunk (cache-friendly, as in reachmap.flight.kepler)
_SCALED_BOOST_SOURCE = (
    "model assumption, not catalog fact: the class default's boost scaled to the range "
    "(minimum-energy profile only): burn time in proportion to the minimum-energy burnout "
    "speed, burnout point from the same gravity turn (docs/flight.md, 'Range-scaled boost')"
)


@dataclass(frozen=True)
class ScaledBoost:
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
    h1, d1 = _gravity_turn_m(boost.burn_time_s, v, cos_g, sin_g)
    return float(v), boost.burnout_altitude_m / float(h1), boost.burnout_downrange_m / float(d1)


def _scaled_step(
    rng: FloatArray, h: FloatArray, d: FloatArray, boost: BoostModel
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """One pass of the fixed point: burnout point → min-energy arc → scaled burn → burnout point."""
    v_ref, c_h, c_d = _scaling(boost)
    v, cos_g, sin_g = kepler.min_energy_burnout(rng - d, h)
    burn = boost.burn_time_s * v / v_ref
    h_new, d_new = _gravity_turn_m(burn, v, cos_g, sin_g)
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

    >>> b = min_energy_boost([790e3, 5_000e3], default_boost()["IRBM"])
    >>> b.burn_time_s.round(1).tolist(), (b.burnout_altitude_m / 1e3).round(1).tolist()
    ([69.4, 153.0], [61.5, 259.0])
    """
    rng = np.asarray(range_m, dtype=np.float64)
    if boost.reference_range_m is None:
        full = np.ones_like(rng)
        return ScaledBoost(
            boost.burn_time_s * full,
            boost.burnout_altitude_m * full,
            boost.burnout_downrange_m * full,
            np.isfinite(rng),
        )
    flat = rng.ravel()
    start = _start_table(boost)
    parts = [
        _scaled_chunk(flat[i : i + _SCALE_CHUNK], boost, start)
        for i in range(0, flat.size, _SCALE_CHUNK)
    ] or [_scaled_chunk(flat, boost, start)]
    joined = {
        f.name: np.concatenate([getattr(p, f.name) for p in parts]).reshape(rng.shape)
        for f in fields(ScaledBoost)
    }
    return ScaledBoost(**joined)


def _scales(boost: BoostModel) -> bool:
    return boost.reference_range_m is not None


def _min_energy_model(range_m: float, boost: BoostModel) -> tuple[BoostModel, str | None]:
    """The minimum-energy boost for one range as a :class:`BoostModel`, or why there is none."""
    if not _scales(boost):
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
        return BoostModel(math.nan, math.nan, math.nan, _SCALED_BOOST_SOURCE, True), why
    scaled = BoostModel(
        float(b.burn_time_s),
        float(b.burnout_altitude_m),
        float(b.burnout_downrange_m),
        _SCALED_BOOST_SOURCE,
        True,
    )
    return scaled, None


def boost_for(system: System | None) -> BoostModel:
    """The boost phase used for ``system``: catalog data, else its class default.

    No system means no boost: burnout at the surface, as in the textbook checks.
    """
    if system is None:
        return NO_BOOST
    if system.boost is not None:
        b = system.boost
        return BoostModel(
            b.burn_time_s, b.burnout_altitude_m, b.burnout_downrange_m, _cite(b.sources, urls=True)
        )
    defaults = default_boost()
    if system.system_class not in defaults:
        known = ", ".join(defaults)
        raise InputError(
            f"{system.name} ({system.system_class}) has no boost data and no class default; "
            f"defaults exist for {known}"
        )
    return defaults[system.system_class]


def _propulsion(system: System | None) -> str:
    return "ballistic" if system is None else system.propulsion


def _energy_speed(system: System, boost: BoostModel) -> float:
    """Burnout speed of the minimum-energy arc to the system's maximum range."""
    ff = system.range_m.high - boost.burnout_downrange_m
    return float(kepler.min_energy(ff, boost.burnout_altitude_m).speed_mps)


def _cruise_speed(system: System) -> tuple[float, float]:
    """Slowest and fastest catalog speed; NaN when the catalog gives none."""
    if system.speed_mps is None:
        return math.nan, math.nan
    return system.speed_mps.low, system.speed_mps.high


def own_profile(system: System | None) -> str:
    """The profile a system flies unless told otherwise: min-energy for ballistic
    missiles (and no system), cruise or glide for the others."""
    return _OWN_PROFILE.get(_propulsion(system), "min-energy")


def flight_time_s(
    range_m: ArrayLike, system: System | None, profile: str | None = None
) -> FloatArray:
    """Total flight time (boost included) for each ground range; NaN where not valid.

    ``profile`` defaults to the system's own: ``min-energy`` for ballistic
    missiles, ``cruise``/``glide`` for the others (fastest catalog speed).
    ``min-energy`` with a class-default boost flies the boost scaled to each
    range (:func:`min_energy_boost`). Ranges beyond the system's maximum, shorter
    than the boost downrange (lofted, depressed, glide, catalog boosts) or than
    :data:`MIN_SCALED_RANGE_M` (range-scaled min-energy) are NaN, and so is every
    range of a cruise or glide system without a catalog speed.

    >>> flight_time_s([1_000e3, 25_000e3], None).round(1).tolist()
    [474.4, nan]
    """
    rng = np.asarray(range_m, dtype=np.float64)
    kind = _propulsion(system)
    name = profile or own_profile(system)
    _check_profile_name(name, system)
    with np.errstate(invalid="ignore"):
        in_reach = (rng > 0) & (rng <= HALF_CIRCUMFERENCE_M)
        if system is not None:
            in_reach &= rng <= system.range_m.high
    if system is not None and kind == "cruise":
        return np.where(in_reach, rng / _cruise_speed(system)[1], np.nan)
    boost = boost_for(system)
    ff = rng - boost.burnout_downrange_m
    if system is not None and kind == "glide":
        glide = np.where(ff > 0, ff, np.nan) / _cruise_speed(system)[1]
        return np.where(in_reach, boost.burn_time_s + glide, np.nan)
    h = boost.burnout_altitude_m
    if name == "min-energy" and _scales(boost):
        scaled = min_energy_boost(rng, boost)
        arc = kepler.min_energy(rng - scaled.burnout_downrange_m, scaled.burnout_altitude_m)
        ok = in_reach & scaled.valid & arc.valid
        return np.where(ok, scaled.burn_time_s + arc.time_s, np.nan)
    if name == "min-energy":
        arc = kepler.min_energy(ff, h)
    elif system is None:
        raise InputError(f"profile {name!r} needs a system: its maximum range sets the speed")
    else:
        arc = kepler.fixed_speed(ff, _energy_speed(system, boost), _branch(name), h)
    return np.where(in_reach & arc.valid, boost.burn_time_s + arc.time_s, np.nan)


def _branch(name: str) -> kepler.Branch:
    return "lofted" if name == "lofted" else "depressed"


def _valid_profiles(system: System | None) -> tuple[str, ...]:
    kind = _propulsion(system)
    return (_OWN_PROFILE[kind],) if kind in _OWN_PROFILE else BALLISTIC_PROFILES


def _check_profile_name(name: str, system: System | None) -> None:
    valid = _valid_profiles(system)
    if name not in valid:
        what = (
            f"{system.name} ({system.propulsion})" if system is not None else "a ballistic flight"
        )
        raise InputError(
            f"unknown profile {name!r} for {what}; use one of: {', '.join((*valid, 'all'))}"
        )


def energy_error(range_m: float, system: System | None) -> str | None:
    """Why ``system`` cannot fly ``range_m`` at all (beyond its energy), or None."""
    if system is None or range_m <= system.range_m.high:
        return None
    what = "energy" if system.propulsion == "ballistic" else "range"
    return (
        f"{range_m / 1e3:,.0f} km is beyond the {what} of {system.name}: its maximum "
        f"reported range is {system.range_m.high / 1e3:,.0f} km ({_cite(system.range_m.sources)})"
    )


def _check_range(range_m: float) -> None:
    if not (math.isfinite(range_m) and range_m > 0):
        raise InputError(f"distance must be a positive number of km, got {range_m / 1e3:g} km")
    if range_m >= HALF_CIRCUMFERENCE_M:
        raise InputError(
            f"distance {range_m / 1e3:,.0f} km is not shorter than half the Earth's circumference "
            f"({HALF_CIRCUMFERENCE_M / 1e3:,.0f} km): the other way round is shorter; "
            f"give less than {HALF_CIRCUMFERENCE_M / 1e3:,.0f} km"
        )


def _expand(profiles: Sequence[str], system: System | None, apogee_m: float | None) -> list[str]:
    names: list[str] = []
    for p in profiles or ["all"]:
        for name in _valid_profiles(system) if p == "all" else (p,):
            _check_profile_name(name, system)
            if name not in names:
                names.append(name)
    if apogee_m is not None and names != ["lofted"]:
        raise InputError(
            "--apogee defines a lofted path; use it with --profile lofted (or drop --apogee)"
        )
    explicit = "all" not in profiles
    if system is None and apogee_m is None and explicit:
        for name in names:
            if name in ("lofted", "depressed"):
                raise InputError(
                    f"profile {name!r} needs a burnout speed: give --system (its maximum range "
                    "sets the speed) or, for a lofted path, --apogee"
                )
    return names


def flight_rows(
    range_m: float,
    system: System | None,
    profiles: Sequence[str],
    *,
    apogee_m: float | None = None,
    rotating: RotatingSpec | None = None,
) -> list[dict[str, Any]]:
    """One row per profile for a ground range (and optionally a rotating-Earth route).

    Rows have the DESIGN JSON shape (``profile, ground_range_km, time_s,
    free_flight_time_s, apogee_km, burnout_speed_mps, path_angle_deg, valid,
    notes``) plus ``boost_time_s``, ``boost`` (the boost this row flies: burn
    time, burnout altitude and downrange, ``scaled_to_range``; the minimum-energy
    row of a class default flies the boost scaled to the range, see
    :func:`min_energy_boost`) and ``assumptions``; numbers are None where the row
    is not valid. Configuration errors (an unknown profile, a distance
    beyond half the circumference, ``apogee_m`` with a non-lofted profile or
    below the minimum-energy apogee) raise :class:`InputError`; a distance the
    system cannot fly gives invalid rows with the reason in ``notes``.

    >>> [round(r["time_s"] / 60, 1) for r in flight_rows(1_000e3, None, ["min-energy"])]
    [7.9]
    """
    _check_range(range_m)
    names = _expand(profiles, system, apogee_m)
    kind = _propulsion(system)
    if system is not None and kind in _OWN_PROFILE:
        return [_clean(_constant_speed_row(range_m, system))]
    full = boost_for(system)
    speed = _energy_speed(system, full) if system is not None else None
    scaled, problem = _min_energy_model(range_m, full) if "min-energy" in names else (full, None)
    shown = scaled if _scales(full) and "min-energy" in names else None
    assumptions = _assumptions(system, full, speed, rotating, shown)
    rows = []
    for name in names:
        boost = scaled if name == "min-energy" else full
        ff = range_m - boost.burnout_downrange_m
        h = boost.burnout_altitude_m
        row = _row(name, range_m, boost, assumptions, scaled=boost is not full)
        if name == "min-energy" and problem is not None:
            _fail(row, problem)
        elif ff <= 0:
            _fail(row, _inside_boost(boost))
        elif (reason := energy_error(range_m, system)) is not None:
            _fail(row, reason)
        elif name == "min-energy":
            _fill(row, kepler.min_energy(ff, h), boost)
        elif name == "lofted" and apogee_m is not None:
            _fill(row, _through_apogee(ff, apogee_m, h, range_m), boost)
            if speed is not None and (row["burnout_speed_mps"] or 0.0) > speed * (1 + 1e-9):
                _fail(
                    row,
                    f"needs more burnout speed than {system.name if system else ''}'s "
                    f"maximum-range arc ({speed:,.0f} m/s)",
                )
        elif speed is None:
            _fail(row, "no burnout speed: give --system (its maximum range sets it) or --apogee")
        else:
            _fill(row, kepler.fixed_speed(ff, speed, _branch(name), h), boost)
        if rotating is not None and row["valid"]:
            _rotate(
                row,
                name,
                rotating,
                boost,
                row["burnout_speed_mps"] if name != "min-energy" else None,
            )
        rows.append(row)
    return [_clean(row) for row in rows]


def _clean(value: Any) -> Any:
    """Plain JSON values: NaN and infinities become None, numpy scalars floats."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, float | np.floating):
        return float(value) if math.isfinite(value) else None
    return value


def _through_apogee(ff: float, apogee_m: float, h: float, range_m: float) -> Trajectory:
    lowest = float(kepler.min_energy(ff, h).apogee_m)
    if not apogee_m >= lowest * (1 - 1e-12):
        raise InputError(
            f"apogee {apogee_m / 1e3:,.0f} km is too low for a lofted path over "
            f"{range_m / 1e3:,.0f} km: the minimum-energy apogee is {lowest / 1e3:,.0f} km; "
            f"give --apogee {math.ceil(lowest / 1e3):,} or more"
        )
    return kepler.through_apogee(ff, apogee_m, h)


def _inside_boost(boost: BoostModel) -> str:
    return f"shorter than the boost phase's {boost.burnout_downrange_m / 1e3:,.0f} km downrange"


def _row(
    name: str,
    range_m: float,
    boost: BoostModel,
    assumptions: dict[str, Any],
    *,
    scaled: bool = False,
) -> dict[str, Any]:
    return {
        "profile": name,
        "ground_range_km": range_m / 1e3,
        "time_s": None,
        "boost_time_s": boost.burn_time_s,
        "boost": {
            "burn_time_s": boost.burn_time_s,
            "burnout_altitude_km": boost.burnout_altitude_m / 1e3,
            "burnout_downrange_km": boost.burnout_downrange_m / 1e3,
            "scaled_to_range": scaled,
        },
        "free_flight_time_s": None,
        "apogee_km": None,
        "burnout_speed_mps": None,
        "path_angle_deg": None,
        "valid": False,
        "notes": [],
        "assumptions": assumptions,
    }


def _fail(row: dict[str, Any], note: str) -> None:
    row["valid"] = False
    for key in ("time_s", "free_flight_time_s", "apogee_km", "burnout_speed_mps", "path_angle_deg"):
        row[key] = None
    row["notes"].append(note)


def _fill(row: dict[str, Any], arc: Trajectory, boost: BoostModel) -> None:
    if not bool(arc.valid):
        _fail(row, "no Kepler arc reaches this distance at this burnout speed")
        return
    ff_time = float(arc.time_s)
    apogee = float(arc.apogee_m)
    row.update(
        time_s=boost.burn_time_s + ff_time,
        free_flight_time_s=ff_time,
        apogee_km=apogee / 1e3,
        burnout_speed_mps=float(arc.speed_mps),
        path_angle_deg=math.degrees(float(arc.gamma_rad)),
        valid=True,
    )
    if apogee < ATMOSPHERE_TOP_M:
        row["notes"].append(ATMOSPHERE_NOTE)
    if float(arc.gamma_rad) < 0:
        row["notes"].append(DESCENDING_NOTE)


def _rotate(
    row: dict[str, Any], name: str, spec: RotatingSpec, boost: BoostModel, speed: float | None
) -> None:
    """Replace the row's numbers by the rotating-Earth arc; keep the non-rotating ones aside."""
    sol = solve_rotating(
        spec,
        speed_mps=speed,
        branch=_branch(name),
        burn_time_s=boost.burn_time_s,
        burnout_altitude_m=boost.burnout_altitude_m,
        burnout_downrange_m=boost.burnout_downrange_m,
    )
    nonrotating = {
        k: row[k] for k in ("time_s", "free_flight_time_s", "apogee_km", "burnout_speed_mps")
    }
    extra: dict[str, Any] = {
        "sphere_distance_km": sol.distance_m / 1e3,
        "azimuth_deg": sol.azimuth_deg,
        "inertial_speed_mps": sol.inertial_speed_mps,
        "nonrotating": nonrotating,
    }
    if not sol.valid:
        _fail(row, "on the rotating Earth this burnout speed does not reach the target")
        row["rotating_earth"] = extra
        return
    if speed is None:  # minimum energy: what the same burnout speed reaches without rotation
        equiv = float(kepler.max_range_m(sol.speed_mps, boost.burnout_altitude_m))
        equiv += boost.burnout_downrange_m
        extra["equivalent_nonrotating_range_km"] = equiv / 1e3
        extra["range_change_pct"] = (sol.distance_m / equiv - 1.0) * 100.0
    row.update(
        time_s=sol.time_s,
        free_flight_time_s=sol.free_flight_time_s,
        apogee_km=sol.apogee_m / 1e3,
        burnout_speed_mps=sol.speed_mps,
        path_angle_deg=math.degrees(sol.gamma_rad),
    )
    row["notes"] = [n for n in row["notes"] if n != ATMOSPHERE_NOTE]
    if sol.apogee_m < ATMOSPHERE_TOP_M:
        row["notes"].append(ATMOSPHERE_NOTE)
    row["rotating_earth"] = extra


def _assumptions(
    system: System | None,
    boost: BoostModel,
    speed: float | None,
    rotating: RotatingSpec | None,
    scaled: BoostModel | None = None,
) -> dict[str, Any]:
    earth = EARTH_MODEL + (
        ", rotating (omega = 7.2921159e-5 rad/s)" if rotating else ", non-rotating"
    )
    out: dict[str, Any] = {"earth": earth, "boost": boost.as_dict()}
    if system is not None and speed is not None:
        lead = ""
        if scaled is not None and boost.reference_range_m is not None:
            numbers = (
                f": {scaled.burn_time_s:,.0f} s burn, burnout at "
                f"{scaled.burnout_altitude_m / 1e3:,.0f} km altitude, "
                f"{scaled.burnout_downrange_m / 1e3:,.0f} km downrange"
                if math.isfinite(scaled.burn_time_s)
                else ""
            )
            lead = (
                "min-energy burns only what this range needs: its boost is the class default "
                "scaled to the range (model assumption, not catalog fact)"
                f"{numbers}; burn time in proportion to the burnout speed, "
                f"{boost.burn_time_s:g} s at {boost.reference_range_m / 1e3:,.0f} km "
                "(docs/flight.md, 'Range-scaled boost'). Lofted/depressed keep the full "
                f"{boost.burn_time_s:g} s boost and "
            )
        out["energy"] = (
            (lead or "lofted/depressed ")
            + f"fly at {speed:,.0f} m/s, the burnout speed of the minimum-energy "
            "arc "
            f"to {system.name}'s maximum range {system.range_m.high / 1e3:,.0f} km "
            f"({_cite(system.range_m.sources)})"
        )
        if rotating is not None:
            out["max_range_this_azimuth_km"] = _max_range_along(system, boost, speed, rotating)
    return out


def _max_range_along(system: System, boost: BoostModel, speed: float, spec: RotatingSpec) -> float:
    """The system's maximum range on the rotating Earth along the launch→target azimuth."""
    lat1, lat2 = math.radians(spec.launch_lat_deg), math.radians(spec.target_lat_deg)
    dlon = math.radians(spec.target_lon_deg - spec.launch_lon_deg)
    azimuth = math.degrees(
        math.atan2(
            math.sin(dlon) * math.cos(lat2),
            math.cos(lat1) * math.sin(lat2) - math.sin(lat1) * math.cos(lat2) * math.cos(dlon),
        )
    )
    best = rotating_max_range_m(
        spec.launch_lat_deg,
        azimuth,
        speed,
        burn_time_s=boost.burn_time_s,
        burnout_altitude_m=boost.burnout_altitude_m,
        burnout_downrange_m=boost.burnout_downrange_m,
    )
    return float(best) / 1e3


def _constant_speed_row(range_m: float, system: System) -> dict[str, Any]:
    kind = system.propulsion
    slow, fast = _cruise_speed(system)
    boost = boost_for(system) if kind == "glide" else BoostModel(0.0, 0.0, 0.0, "none")
    cruise_m = range_m - boost.burnout_downrange_m
    assumptions: dict[str, Any] = {
        "earth": "constant Earth-relative speed along the geodesic (Earth rotation does not apply)",
        "speed": (
            f"{slow:,.0f}-{fast:,.0f} m/s ({_cite(system.speed_mps.sources)})"
            if system.speed_mps is not None
            else "none in the catalog"
        ),
    }
    if kind == "glide":
        assumptions["boost"] = boost.as_dict()
        assumptions["glide"] = (
            "hypersonic glide approximated as boost + constant speed (no pull-up, no bleed-off)"
        )
    row = _row(kind, range_m, boost, assumptions)
    row.update(speed_mps=None if math.isnan(fast) else fast, time_slow_s=None)
    if math.isnan(fast):
        _fail(row, f"the catalog gives no speed for {system.name}, so its flight time is unknown")
    elif cruise_m <= 0:
        _fail(row, _inside_boost(boost))
    elif (reason := energy_error(range_m, system)) is not None:
        _fail(row, reason)
    else:
        row.update(
            time_s=boost.burn_time_s + cruise_m / fast,
            free_flight_time_s=cruise_m / fast,
            time_slow_s=boost.burn_time_s + cruise_m / slow,
            valid=True,
        )
        row["notes"].append(
            f"at the fastest catalog speed; {row['time_slow_s'] / 60:,.1f} min at {slow:,.0f} m/s"
        )
    return row
