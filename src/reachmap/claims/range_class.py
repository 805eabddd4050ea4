"""Range classes and stated ranges: "Intermediate-range missiles can travel between 500
and 5,500 kilometers", "Oreshnik, an intermediate-range ballistic missile",
"Oreshnik has a range of up to 5,500 km".

Classes are those of the INF Treaty (1987), Article II: shorter-range 500-1,000 km,
intermediate-range 1,000-5,500 km (:func:`reachmap.data.catalog.inf_class`); above
5,500 km is intercontinental. Giving one class the band of both (500-5,500 km, the
treaty's whole scope) conflates them: imprecise, not inconsistent. A band outside
both is inconsistent. "Medium-range" is not an Article II class and is left
unchecked (with that reason). A system's stated range is compared with the
catalog's sourced low/high estimates: inside them (with the figure's rounding and
hedge) consistent, outside imprecise, since the catalog holds public estimates, not
the truth.
"""

from __future__ import annotations

import re

from reachmap.claims import resolve
from reachmap.claims.model import Claim, Document, cite, claim, published, span
from reachmap.claims.quantities import Quantity, tolerance_si
from reachmap.claims.text import Sentence
from reachmap.claims.units import is_second
from reachmap.claims.verdicts import CONSISTENT, IMPRECISE, INCONSISTENT, NOT_CHECKABLE
from reachmap.data import catalog

KIND = "range_class"
INF = (catalog.INF_SHORTER_RANGE_MIN_M, catalog.INF_INTERMEDIATE_RANGE_MIN_M,
       catalog.INF_INTERMEDIATE_RANGE_MAX_M)  # fmt: skip
#: Class -> (low, high) band in metres (INF Article II; above it intercontinental).
BANDS = {
    "intermediate-range": (INF[1], INF[2]),
    "shorter-range": (INF[0], INF[1]),
    "intercontinental": (INF[2], float("inf")),
}
_CLASS = re.compile(
    r"\b(?P<word>intermediate|shorter|short|medium|intercontinental)[\s-]+range\b"
    r"|\b(?P<abbr>IRBMs?|SRBMs?|MRBMs?|ICBMs?)\b|\b(?P<icbm>intercontinental)\b",
    re.IGNORECASE,
)
_WORD = {"intermediate": "intermediate-range", "shorter": "shorter-range",
         "short": "shorter-range", "medium": "medium-range",
         "intercontinental": "intercontinental", "irbm": "intermediate-range",
         "srbm": "shorter-range", "mrbm": "medium-range", "icbm": "intercontinental"}  # fmt: skip
_RANGE_OF = re.compile(
    r"\b(?:range|ranges|reach)\b[^.;]{0,25}$|\b(?:travel|fly|flies|strike|hit)\b[^.;]{0,20}$",
    re.I,
)
_CATALOG_CLASS = {
    "below INF range": "below INF range",
    "shorter-range (INF)": "shorter-range",
    "intermediate-range (INF)": "intermediate-range",
    "intercontinental": "intercontinental",
}
_SOURCE = "INF Treaty (1987), Article II, paragraphs 5 and 6"


def _class_of(m: re.Match[str]) -> str:
    word = (m.group("word") or m.group("abbr") or m.group("icbm")).lower().rstrip("s")
    return _WORD[word]


def _band_claim(sentence: Sentence, cls: str, q: Quantity, focus: tuple[int, int]) -> Claim:
    low_fig, high_fig = tolerance_si(q, "low"), tolerance_si(q, "high")
    computed: dict[str, object] = {"class": cls, "stated_low_m": list(low_fig),
                                   "stated_high_m": list(high_fig)}  # fmt: skip
    if cls not in BANDS:
        return claim(sentence, KIND, NOT_CHECKABLE,
                     f"'{cls}' is not a class of INF Treaty Article II (shorter-range 500-1,000 "
                     "km, intermediate-range 1,000-5,500 km), so its band is not defined there.",
                     focus=focus, uses=(q,), computed=computed, sources=[_SOURCE])  # fmt: skip
    band = BANDS[cls]
    computed["inf_band_m"] = list(band)

    def at(fig: tuple[float, float], value: float) -> bool:
        return fig[0] <= value <= fig[1]

    written = span(q.low.value * q.factor, q.high.value * q.factor) if q.is_range else f"'{q.text}'"
    band_text = span(*band) if band[1] != float("inf") else f"above {published(band[0])}"
    top_ok = at(high_fig, band[1]) if band[1] != float("inf") else low_fig[0] >= band[0]
    if top_ok and (not q.is_range or at(low_fig, band[0])):
        verdict, why = CONSISTENT, f"matches the INF Article II {cls} band, {band_text}"
    elif q.is_range and at(low_fig, INF[0]) and at(high_fig, INF[2]):
        other = (
            "shorter-range (500-1,000 km)"
            if cls != "shorter-range"
            else ("intermediate-range (1,000-5,500 km)")
        )
        verdict = IMPRECISE
        why = f"is the INF Treaty's whole scope: it conflates {cls} ({band_text}) with {other}"
    elif INF[0] * 0.95 <= low_fig[0] and high_fig[1] <= INF[2] * 1.05:
        verdict, why = (
            IMPRECISE,
            f"lies within the INF scope but is not the {cls} band, {band_text}",
        )
    else:
        verdict, why = INCONSISTENT, f"is outside the INF Article II {cls} band, {band_text}"
    return claim(sentence, KIND, verdict, f"{written} for {cls} {why}.", focus=focus, uses=(q,),
                 computed=computed, sources=[_SOURCE])  # fmt: skip


def _system_range(sentence: Sentence, system: catalog.System, q: Quantity) -> Claim:
    lo, hi = tolerance_si(q, "low")[0], tolerance_si(q, "high")[1]
    r = system.range_m
    computed = {"system": system.id, "stated_m": [lo, hi], "catalog_low_m": r.low,
                "catalog_high_m": r.high}  # fmt: skip
    catalog_text = span(r.low, r.high)
    if q.hedge == "at_most":  # "up to X": X is the maximum range
        lo = tolerance_si(q)[1] if not q.is_range else lo
        lo = min(lo, q.interval_si("high")[0])
        hi = q.interval_si("high")[1]
    inside = lo <= r.high and hi >= r.low
    verdict = CONSISTENT if inside else IMPRECISE
    how = "overlaps" if inside else "lies outside"
    return claim(
        sentence, KIND, verdict,
        f"'{q.text}' {how} the catalog's sourced estimates for {system.name}, {catalog_text}"
        + ("" if inside else "; the catalog keeps public estimates, so this is "
           "flagged, not refuted") + ".",
        focus=(q.start, q.end), uses=(q,), computed=computed, assumptions=[r.note],
        sources=cite(r.sources),
    )  # fmt: skip


def _system_class(
    sentence: Sentence, system: catalog.System, cls: str, at: tuple[int, int]
) -> Claim:
    actual = _CATALOG_CLASS[catalog.inf_class(system.range_m.high)]
    low_class = _CATALOG_CLASS[catalog.inf_class(system.range_m.low)]
    computed = {"system": system.id, "stated_class": cls, "catalog_class_high": actual,
                "catalog_class_low": low_class}  # fmt: skip
    rng = span(system.range_m.low, system.range_m.high)
    if cls not in BANDS:
        return claim(sentence, KIND, NOT_CHECKABLE,
                     f"'{cls}' is not an INF Article II class; {system.name}'s catalog range "
                     f"{rng} makes it {actual} in the treaty's terms.", focus=at,
                     computed=computed, sources=[_SOURCE])  # fmt: skip
    if cls == actual:
        verdict, why = CONSISTENT, "matches"
    elif cls == low_class:
        verdict, why = (
            IMPRECISE,
            "holds for the low estimate only; the high estimate makes it " + actual,
        )
    else:
        verdict, why = INCONSISTENT, f"does not match: the catalog range makes it {actual}"
    return claim(sentence, KIND, verdict,
                 f"{system.name} as {cls}: its catalog range {rng} {why} (INF Article II).",
                 focus=at, computed=computed, sources=[_SOURCE])  # fmt: skip


def find(doc: Document) -> list[Claim]:
    out: list[Claim] = []
    used = {id(q) for q in doc.used}
    for sentence in doc.sentences:
        qs = [
            q
            for q in doc.quantities_in(sentence)
            if q.dimension == "length" and id(q) not in used and not is_second(doc, q)
        ]
        classes = list(_CLASS.finditer(sentence.text))
        taken: set[int] = set()
        for m in classes:
            cls = _class_of(m)
            at = (sentence.start + m.start(), sentence.start + m.end())
            band = next(
                (
                    q
                    for q in qs
                    if at[1] <= q.start <= at[1] + 80
                    and (q.is_range or q.hedge == "at_most")
                    and not any(
                        at[1] <= p.start < q.start and p.kind in resolve.PLACE_KINDS
                        for p in doc.mentions_in(sentence)
                    )
                ),
                None,
            )
            if band is not None:
                out.append(_band_claim(sentence, cls, band, (at[0], band.end)))
                taken.add(id(band))
                continue
            system, _ = resolve.system_for(doc, sentence)
            here = [x for x in doc.mentions_in(sentence) if x.kind == "system"]
            if system is not None and here:
                out.append(_system_class(sentence, system, cls, at))
        for q in qs:
            if id(q) in taken or not _RANGE_OF.search(doc.text, sentence.start, q.start):
                continue
            here = [x for x in doc.mentions_in(sentence) if x.kind == "system" and x.end <= q.start]
            if here:
                out.append(_system_range(sentence, catalog.system(here[-1].key), q))
    return out
