"""Unit conversions written side by side: "1,084-kilometer (673-mile)", "500 km (310
miles)", "between 500 and 5,500 kilometers (310 to 3,400 miles)", nautical miles,
km/h and mph, Mach.

Two figures agree when their rounding intervals overlap (trailing zeros may be
rounded: see :mod:`reachmap.claims.quantities`): "5,500 km (3,400 mi)" is
consistent, "800 miles (1,500 km)" is not (800 mi is 1,287 km). A near miss, with
the intervals less than 3 % apart, is imprecise: a conversion rounded the wrong way
or from a rounded figure. Mach numbers convert with the ISA speed of sound between
295.07 m/s (11-20 km) and 340.29 m/s (sea level): the speed of sound depends on the
altitude, so any speed in that span is a correct conversion.
"""

from __future__ import annotations

import re

from reachmap.claims.model import Claim, Document, claim
from reachmap.claims.quantities import MACH_MPS, Quantity, tolerance_si
from reachmap.claims.verdicts import CONSISTENT, IMPRECISE, INCONSISTENT

KIND = "units"
#: Intervals closer than this (relative) are a near miss, not a wrong conversion.
NEAR_MISS = 0.03
_BETWEEN = re.compile(r"^\s*(?:\(\s*|,\s*or\s+|\s+or\s+|\(\s*or\s+|\s*/\s*|\s*,\s*)$", re.I)
_SI_UNIT = {"length": "m", "time": "s", "speed": "m/s"}


def _pairs(doc: Document) -> list[tuple[Quantity, Quantity]]:
    qs = [q for q in doc.quantities if q.dimension in _SI_UNIT]
    out = []
    for a, b in zip(qs, qs[1:], strict=False):
        between = doc.text[a.end : b.start]
        if a.dimension != b.dimension or a.unit == b.unit or not _BETWEEN.match(between):
            continue
        if a.is_range != b.is_range:
            continue
        out.append((a, b))
    return out


def is_second(doc: Document, q: Quantity) -> bool:
    """True if ``q`` is the converted figure of a pair ("673-mile" in "1,084-kilometer
    (673-mile)"): other kinds check the first figure only."""
    before = [p for p in doc.quantities if p.end <= q.start and p.dimension == q.dimension]
    if not before or before[-1].unit == q.unit:
        return False
    return _BETWEEN.match(doc.text[before[-1].end : q.start]) is not None


def _interval(q: Quantity, which: str) -> tuple[float, float]:
    return tolerance_si(q, which) if q.hedge == "approx" else q.interval_si(which)


def _fmt(value_si: float, q: Quantity) -> str:
    if q.unit == "Mach":
        lo, hi = value_si / MACH_MPS[1], value_si / MACH_MPS[0]
        return f"Mach {lo:,.2f}-{hi:,.2f}"
    value = value_si / q.factor
    digits = 1 if abs(value) < 1000 else 0
    return f"{value:,.{digits}f} {q.unit}"


def _check(a: Quantity, b: Quantity, which: str) -> tuple[str, str, dict[str, object]]:
    ia, ib = _interval(a, which), _interval(b, which)
    na, nb = (a.low if which == "low" else a.high), (b.low if which == "low" else b.high)
    a_txt = f"{na.value:,g} {a.unit}" if a.unit != "Mach" else f"Mach {na.value:g}"
    b_txt = f"{nb.value:,g} {b.unit}" if b.unit != "Mach" else f"Mach {nb.value:g}"
    mid_a, mid_b = sum(ia) / 2, sum(ib) / 2
    gap = max(ia[0] - ib[1], ib[0] - ia[1], 0.0)
    rel = gap / max(min(mid_a, mid_b), 1e-9)
    si = _SI_UNIT[a.dimension]
    computed = {
        f"{which}_first_interval_{si}": list(ia),
        f"{which}_second_interval_{si}": list(ib),
        f"{which}_gap_{si}": gap,
        f"{which}_gap_relative": rel,
    }
    text = f"{_side(a_txt, na.value, a, b)}; {_side(b_txt, nb.value, b, a)}"
    if gap == 0.0:
        return CONSISTENT, text + " (the rounding intervals overlap)", computed
    verdict = IMPRECISE if rel < NEAR_MISS else INCONSISTENT
    return verdict, text + f" (rounding intervals {rel:.1%} apart)", computed


def _side(label: str, value: float, q: Quantity, other: Quantity) -> str:
    """'1,084 km = 673.6 mi', or for Mach the span over the ISA speeds of sound."""
    if q.unit == "Mach":
        lo, hi = (value * c / other.factor for c in MACH_MPS)
        return f"{label} = {lo:,.0f}-{hi:,.0f} {other.unit}"
    return f"{label} = {_fmt(value * q.factor, other)}"


def find(doc: Document) -> list[Claim]:
    out = []
    for a, b in _pairs(doc):
        sentence = next(s for s in doc.sentences if s.start <= a.start < s.end)
        parts = ["low", "high"] if a.is_range else ["low"]
        results = [_check(a, b, which) for which in parts]
        worst = max(results, key=lambda r: {CONSISTENT: 0, IMPRECISE: 1, INCONSISTENT: 2}[r[0]])
        computed: dict[str, object] = {}
        for r in results:
            computed.update(r[2])
        explanation = "; ".join(r[1] for r in results) + "."
        assumptions = [
            "trailing zeros may be rounded (3,400 stands for 3,350-3,450); 1 mi = 1,609.344 m, "
            "1 nmi = 1,852 m exactly"
        ]
        if "Mach" in (a.unit, b.unit):
            assumptions.append(
                f"Mach 1 = {MACH_MPS[0]} m/s (ISA, 11-20 km) to {MACH_MPS[1]} m/s (ISA, sea "
                "level): the speed of sound depends on altitude"
            )
        out.append(
            claim(
                sentence,
                KIND,
                worst[0],
                explanation[0].upper() + explanation[1:],
                focus=(a.start, b.end + (1 if doc.text[b.end : b.end + 1] == ")" else 0)),
                uses=(a, b),
                computed=computed,
                assumptions=assumptions,
            )
        )
    return out
