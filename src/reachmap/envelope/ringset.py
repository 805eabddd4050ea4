"""Ring sets: one envelope per range, labelled, as the features of one file
(``reachmap envelope --range 500,1000,2000`` or a system's low and high estimate).

Each feature is the whole region within its range (rings overlap: the 1,000 km feature
contains the 500 km one), as range-ring maps draw them; its properties give the range
(``range_m``, ``range_km``), a ``label`` ("1,000 km") and its position in the set
(``ring``, 1 = the smallest). For bands that do not overlap use
:func:`reachmap.envelope.core.bands`.

>>> import reachmap
>>> rs = ring_set(reachmap.area("53.9,27.57"), [500e3, 1000e3])
>>> [(f.properties["ring"], f.properties["label"]) for f in rs.features]
[(1, '500 km'), (2, '1,000 km')]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reachmap.area import Area
from reachmap.envelope.core import (
    DEFAULT_TOLERANCE_M,
    EnvelopeSet,
    Feature,
    _common,
    check_range,
    envelope,
)
from reachmap.errors import InputError
from reachmap.units import length_label


def ring_set(
    area: Area,
    ranges_m: Sequence[float],
    tolerance_m: float = DEFAULT_TOLERANCE_M,
    system: Any = None,
    *,
    unit: str = "km",
    names: Sequence[str] | None = None,
) -> EnvelopeSet:
    """The envelopes of ``area`` at each of ``ranges_m`` (ascending, distinct), labelled
    in ``unit`` (km, mi, nmi); ``names`` (one per range, e.g. "low estimate") are put
    before the labels."""
    ranges = [check_range(r) for r in ranges_m]
    if not ranges:
        raise InputError("`range_m` gives no range; give e.g. 500,1000,2000")
    if ranges != sorted(set(ranges)):
        raise InputError("`range_m` must be distinct ranges in ascending order")
    if names is not None and len(names) != len(ranges):
        raise ValueError("one name per range")
    feats, envs = [], []
    for k, r in enumerate(ranges):
        env = envelope(area, r, tolerance_m)
        label = length_label(r, unit)
        props: dict[str, Any] = {"ring": k + 1, "label": label, "range_m": r}
        if names is not None:
            props["name"] = names[k]
            props["label"] = f"{names[k]}: {label}"
        props.update(_common(env, system))
        feats.append(Feature(env.polygons, props))
        envs.append(env)
    what = f"{system.name} from {area.label}" if system is not None else area.label
    return EnvelopeSet(f"Ring set: {what}", tuple(feats), tuple(envs))
