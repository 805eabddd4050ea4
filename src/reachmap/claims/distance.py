"""Distances between named places: "Rome is some 1,700 km from Minsk", "Vilnius is less
than 50 km from Belarus", "1,700 km from Minsk to Rome", "Riga lies roughly 400
kilometres away".

The distance is the exact WGS84 geodesic between the places as resolved by
:mod:`reachmap.claims.resolve`: a city is its GeoNames point, a country its area, so
the distance from a country is to its nearest point (0 inside), not to its capital.
"N km from the X border" from a place inside X is the distance to X's boundary.
"Away" with no place named is measured from the place named last before the
sentence (said in the assumptions).

The figure's hedge and rounding give the values it allows
(:func:`reachmap.claims.quantities.tolerance_si`); a city stands for ground around
its point, so each city end adds :data:`CITY_TOLERANCE_M`. Consistent inside that,
imprecise within 10 % beyond it, inconsistent further out.
"""

from __future__ import annotations

import re

import numpy as np

from reachmap.claims import resolve
from reachmap.claims.gazetteer import Mention, suggestions
from reachmap.claims.model import Claim, Document, claim, km
from reachmap.claims.quantities import Quantity, tolerance_si
from reachmap.claims.text import Sentence
from reachmap.claims.units import is_second
from reachmap.claims.verdicts import CONSISTENT, IMPRECISE, INCONSISTENT, NOT_CHECKABLE
from reachmap.data import geonames
from reachmap.data.countries import NATURAL_EARTH
from reachmap.geodesy.ellipsoid import GEOD

KIND = "distance"
#: A city is a point in GeoNames but ground on the map: a distance "from Minsk" may be
#: measured from its edge, its airport or another centre. Greater Minsk spans about
#: 25 km; 10 km per city end covers where such figures are usually measured from.
CITY_TOLERANCE_M = 10_000.0
#: Beyond the allowed values by at most this share: imprecise rather than wrong.
LOOSE = 0.10

_DIRECTION = r"(?:(?:north|south|east|west)(?:-?(?:east|west))?(?:ward)?s?\s+)"
_AFTER_FROM = re.compile(
    rf"^\s*(?:\([^)]*\)\s*)?(?:away\s+)?(?:by\s+road\s+)?{_DIRECTION}?(?:from|of|off)\s+(?:the\s+)?",
    re.IGNORECASE,
)
_AFTER_BETWEEN = re.compile(r"^\s*(?:\([^)]*\)\s*)?(?:apart\s+)?between\s+", re.IGNORECASE)
_AWAY = re.compile(r"^\s*(?:\([^)]*\)\s*)?(?:away|distant)\b", re.IGNORECASE)
_DISTANCE_OF = re.compile(
    r"\b(?:distance|drive|trip|journey|flight)\s+(?:from|between)\s+[^.;]*$", re.IGNORECASE
)
_APPOSITION = re.compile(
    r"\bfrom\s+(?:the\s+)?(?P<place>[A-Z][^,;.]{1,40}?)(?:\s+(?:area|region|site|range))?"
    r",\s*$"
)
_TO = re.compile(r"^\s*(?:to|and)\s+(?:the\s+)?", re.IGNORECASE)
_BORDER = re.compile(r"^\s*(?:'s\s+|’s\s+)?(?:border|frontier)", re.IGNORECASE)
_NAME = re.compile(r"^[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+){0,2}")
_RANGE_WORDS = re.compile(
    r"\b(?:range|ranges|reach|strike|hit|travel|fly|flies|flew|target|radius)\b", re.I
)


def _place_at(doc: Document, sentence: Sentence, offset: int, slack: int = 4) -> Mention | None:
    for m in doc.mentions_in(sentence):
        if m.kind in resolve.PLACE_KINDS and offset <= m.start <= offset + slack:
            return m
    return None


def _subject(doc: Document, sentence: Sentence, before: int) -> Mention | None:
    places = [
        m
        for m in doc.mentions_in(sentence)
        if m.kind in resolve.PLACE_KINDS and m.end <= before and not m.adjective
    ]
    return places[-1] if places else None


def _unknown(doc: Document, sentence: Sentence, q: Quantity, at: int) -> Claim | None:
    name = _NAME.match(doc.text[at : sentence.end])
    if name is None:
        return None
    close = suggestions(name.group())
    hint = f" Closest names: {', '.join(close)}." if close else ""
    return claim(
        sentence,
        KIND,
        NOT_CHECKABLE,
        f"'{name.group()}' is not a country, catalog site or city (15,000+ people) reachmap "
        f"knows, so the distance '{q.text}' cannot be checked.{hint}",
        focus=(q.start, at + name.end()),
        uses=(q,),
        computed={"unknown_place": name.group(), "closest_names": close},
    )


def _pair(
    doc: Document, sentence: Sentence, q: Quantity
) -> tuple[Mention, Mention, str] | Claim | None:
    """The two places a length is between, how the second was found, or an unknown name."""
    after = doc.text[q.end : sentence.end]
    if (m := _AFTER_FROM.match(after)) is not None:
        at = q.end + m.end()
        p2 = _place_at(doc, sentence, at)
        if p2 is None:
            return _unknown(doc, sentence, q, at)
        rest = _TO.match(doc.text[p2.end : sentence.end])
        if rest is not None and (p3 := _place_at(doc, sentence, p2.end + rest.end())):
            return p2, p3, "named"
        p1 = _subject(doc, sentence, q.start)
        return (p1, p2, "named") if p1 is not None else None
    if (m := _AFTER_BETWEEN.match(after)) is not None:
        p1 = _place_at(doc, sentence, q.end + m.end())
        if p1 is None:
            return _unknown(doc, sentence, q, q.end + m.end())
        rest = _TO.match(doc.text[p1.end : sentence.end])
        p2 = _place_at(doc, sentence, p1.end + rest.end()) if rest else None
        return (p1, p2, "named") if p2 is not None else None
    before = doc.text[sentence.start : q.start]
    if (m := _APPOSITION.search(before)) is not None:  # "at Dnipro from Kapustin Yar, ~790 km"
        earlier = [
            p
            for p in doc.mentions_in(sentence)
            if p.kind in resolve.PLACE_KINDS and p.end <= sentence.start + m.start()
        ]
        p1 = next((p for p in doc.mentions_in(sentence) if p.kind in resolve.PLACE_KINDS
                   and p.start == sentence.start + m.start("place")), None)  # fmt: skip
        if p1 is not None and earlier:
            return earlier[-1], p1, "named"
    if (m := _DISTANCE_OF.search(before)) is not None:
        places = [
            p
            for p in doc.mentions_in(sentence)
            if p.kind in resolve.PLACE_KINDS and sentence.start + m.start() < p.start < q.start
        ]
        if len(places) >= 2:
            return places[0], places[1], "named"
    if _AWAY.match(after):
        p1 = _subject(doc, sentence, q.start)
        if p1 is None:
            return None
        earlier = [
            m
            for m in doc.mentions_before(p1.start)
            if m.kind in resolve.PLACE_KINDS and m.key != p1.key and not m.adjective
        ]
        if doc.context.from_area:
            spec = doc.context.from_area[0]
            found = [m for m in doc.mentions if m.text.lower() == spec.lower()]
            earlier = found[-1:] or earlier
        if earlier:
            return p1, earlier[-1], "previous"
    return None


def _capital_reading(
    p1: Mention, p2: Mention, how: str, lo: float, hi: float
) -> tuple[str, float] | None:
    """For "X lies N km away" after a country: the capital's name and distance if that fits."""
    if how != "previous" or p2.kind != "country" or p1.lon_deg is None or p1.lat_deg is None:
        return None
    caps = geonames.capitals()
    row = np.flatnonzero(caps.country_code == p2.key)
    if row.size == 0:
        return None
    i = int(row[0])
    _, _, d = GEOD.inv(p1.lon_deg, p1.lat_deg, float(caps.lon_deg[i]), float(caps.lat_deg[i]))
    return (str(caps.name[i]), float(d)) if lo <= d <= hi else None


def _verdict(d_m: float, lo: float, hi: float) -> str:
    if lo <= d_m <= hi:
        return CONSISTENT
    if lo * (1 - LOOSE) <= d_m <= hi * (1 + LOOSE):
        return IMPRECISE
    return INCONSISTENT


def _describe(m: Mention) -> str:
    if resolve.is_point(m):
        what = "GeoNames point" if m.kind == "city" else "catalog site"
        return f"{resolve.label(m)} as its {what} ({m.lat_deg:.3f}, {m.lon_deg:.3f})"
    return f"{m.name} as its area ({NATURAL_EARTH['name']} {NATURAL_EARTH['scale']} outline)"


def _check(
    doc: Document, sentence: Sentence, q: Quantity, p1: Mention, p2: Mention, how: str
) -> Claim:
    border = _BORDER.match(doc.text[p2.end : sentence.end]) is not None
    if border and p2.kind == "country" and p1.lon_deg is not None and p1.lat_deg is not None:
        d = resolve.distance_m(p1, p2)
        if d == 0.0:  # inside the country: the claim is about its boundary
            near = resolve.country_area(p2.key).nearest(p1.lon_deg, p1.lat_deg)
            d = float(near.distance_m[0])
    else:
        d = resolve.distance_m(p1, p2)
    lo, hi = tolerance_si(q)
    slack = CITY_TOLERANCE_M * sum(m.kind == "city" for m in (p1, p2))
    lo_t, hi_t = max(lo - slack, 0.0), hi + slack
    verdict = _verdict(d, lo_t, hi_t)
    capital = _capital_reading(p1, p2, how, lo_t + CITY_TOLERANCE_M, hi_t + CITY_TOLERANCE_M)
    to = f"the {p2.name} border" if border else resolve.label(p2)
    if hi_t == float("inf"):
        allowed = f"at least {km(lo_t)}"
    elif lo_t == 0.0:
        allowed = f"up to {km(hi_t)}"
    else:
        allowed = f"{km(lo_t)} to {km(hi_t)}"
    explanation = (
        f"{resolve.label(p1)} to {to}: {km(d)}, the exact WGS84 geodesic; '{q.text}' allows "
        f"{allowed}" + (f" including {km(slack)} for the extent of the cities" if slack else "")
    )
    if verdict == IMPRECISE:
        explanation += "; slightly outside"
    if verdict != CONSISTENT and capital is not None:
        verdict = IMPRECISE
        explanation += (
            f"; measured from {capital[0]}, {p2.name}'s capital, it is {km(capital[1])}, which "
            "fits: the text does not say from where"
        )
    assumptions = [_describe(p1), _describe(p2)]
    if how == "previous":
        assumptions.append(f"'away' is taken from {p2.name}, the place named before")
    computed = {
        "distance_m": d,
        "distance_km": d / 1000.0,
        "allowed_m": [lo_t, hi_t],
        "from": resolve.label(p1),
        "to": to,
    }
    return claim(
        sentence,
        KIND,
        verdict,
        explanation + ".",
        focus=(min(p1.start, q.start), max(p2.end, q.end)),
        uses=(q,),
        computed=computed,
        assumptions=assumptions,
        sources=[f"{NATURAL_EARTH['name']} {NATURAL_EARTH['version']}", "GeoNames (CC BY 4.0)"],
    )


def find(doc: Document) -> list[Claim]:
    out: list[Claim] = []
    used = {id(q) for q in doc.used}
    for sentence in doc.sentences:
        for q in doc.quantities_in(sentence):
            if q.dimension != "length" or q.is_range or id(q) in used or is_second(doc, q):
                continue
            pair = _pair(doc, sentence, q)
            if pair is None:
                continue
            if isinstance(pair, Claim):
                out.append(pair)
                continue
            p1, p2, how = pair
            if _RANGE_WORDS.search(doc.text[p1.end : q.start]) and p1.kind != "city":
                continue  # "can strike targets 500 km from X": a range, not a distance
            out.append(_check(doc, sentence, q, p1, p2, how))
    return out
