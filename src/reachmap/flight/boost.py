"""The boost phase: burn time and burnout point per system, and the class defaults.

A ballistic flight starts with a powered phase: :class:`BoostModel` holds its burn
time and where the free flight starts (burnout altitude and downrange). It comes
from the catalog (``[system.boost]``) when the catalog has one, else from the
documented class default in :data:`DEFAULT_BOOST` (:func:`boost_for`). The class
defaults are built, from the public figures in :data:`BOOST_REFERENCES`, with the
closed-form gravity turn of :func:`gravity_turn_burnout_m`; the minimum-energy
profile flies a class default scaled to its range
(:mod:`reachmap.flight.scaled_boost`).
Everything that is a model assumption rather than a public figure says so in
its ``source`` (docs/flight.md, "Boost phase" and "Range-scaled boost").
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

from reachmap.data import catalog
from reachmap.errors import InputError
from reachmap.flight import kepler
from reachmap.flight.kepler import FloatArray
from reachmap.numeric import finite_or_none

if TYPE_CHECKING:
    from reachmap.data.catalog import Source, System

__all__ = [
    "BOOST_REFERENCES",
    "DEFAULT_BOOST",  # noqa: F822 - provided lazily by the module __getattr__
    "DEFAULT_BOOST_SOURCE_IDS",
    "NO_BOOST",
    "STANDARD_GRAVITY_MPS2",
    "BoostModel",
    "BoostReference",
    "boost_for",
    "cite_sources",
    "default_boost",
    "gravity_turn_burnout_m",
    "gravity_turn_m",
]


@dataclass(frozen=True)
class BoostModel:
    """The powered phase: burn time, and where the free flight starts.

    ``source`` says where the numbers come from; ``is_default`` marks the class
    defaults of :data:`DEFAULT_BOOST` (not system data). ``reference_range_m`` is
    the range a class default is shaped for; only boosts that have one are
    scaled to the range for the minimum-energy profile
    (:func:`reachmap.flight.scaled_boost.min_energy_boost`).
    """

    burn_time_s: float
    burnout_altitude_m: float
    burnout_downrange_m: float
    source: str
    is_default: bool = False
    reference_range_m: float | None = None

    @property
    def scales_to_range(self) -> bool:
        """True for a class default: the minimum-energy profile flies it scaled to the range."""
        return self.reference_range_m is not None

    def to_json(self) -> dict[str, Any]:
        """``burn_time_s, burnout_altitude_km, burnout_downrange_km, source, default``."""
        return {
            "burn_time_s": finite_or_none(self.burn_time_s),
            "burnout_altitude_km": finite_or_none(self.burnout_altitude_m / 1e3),
            "burnout_downrange_km": finite_or_none(self.burnout_downrange_m / 1e3),
            "source": self.source,
            "default": self.is_default,
        }


def cite_sources(sources: Sequence[Source] | None, *, urls: bool = False) -> str:
    """One line citing ``sources`` (publisher, title, date, optionally the URL)."""
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
    altitude, downrange = gravity_turn_m(t, v, math.cos(g), math.sin(g))
    return float(altitude), float(downrange)


def gravity_turn_m(
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
    rng = cite_sources([sources[i] for i in ref.range_source_ids], urls=True)
    anchors = "; ".join(
        f"{c} {BOOST_REFERENCES[c].burn_time_s:g} s: "
        + cite_sources([sources[i] for i in BOOST_REFERENCES[c].burn_source_ids], urls=True)
        for c in _ANCHORS
    )
    if ref.burn_time_s is not None:
        burn = ref.burn_time_s
        same = ref.burn_source_ids == ref.range_source_ids
        cited = (
            "same source"
            if same
            else cite_sources([sources[i] for i in ref.burn_source_ids], urls=True)
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


def boost_for(system: System | None) -> BoostModel:
    """The boost phase used for ``system``: catalog data, else its class default.

    No system means no boost: burnout at the surface, as in the textbook checks.
    """
    if system is None:
        return NO_BOOST
    if system.boost is not None:
        b = system.boost
        return BoostModel(
            b.burn_time_s,
            b.burnout_altitude_m,
            b.burnout_downrange_m,
            cite_sources(b.sources, urls=True),
        )
    defaults = default_boost()
    if system.system_class not in defaults:
        known = ", ".join(defaults)
        raise InputError(
            f"{system.name} ({system.system_class}) has no boost data and no class default; "
            f"defaults exist for {known}"
        )
    return defaults[system.system_class]
