"""Adjacency and border length: "Belarus borders Poland, Lithuania and Slovakia",
"shares borders with both Ukraine and Russia", "a 1,084-kilometer border with Ukraine".

Adjacency comes from the bundled outlines (:mod:`reachmap.analysis.borders`): one
verdict per named neighbour, inconsistent when the two outlines share no border
(with the distance between them). A stated length is compared with the length
measured on the Natural Earth 1:10m outline and its scale is always stated; it is
never called inconsistent on that basis, since border lengths depend on the scale
of the map they are measured on (finer outlines give longer lines). A figure
between :data:`SHORTER` and :data:`LONGER` times the 1:10m length is consistent
with that; outside it the figure is imprecise (check its source).
"""

from __future__ import annotations

import functools
import re

from reachmap.analysis.borders import SCALE_NOTE, borders
from reachmap.claims import resolve
from reachmap.claims.gazetteer import Mention
from reachmap.claims.model import Claim, Document, claim, km
from reachmap.claims.quantities import Quantity, tolerance_si
from reachmap.claims.text import Sentence
from reachmap.claims.units import is_second
from reachmap.claims.verdicts import CONSISTENT, IMPRECISE, INCONSISTENT
from reachmap.data.countries import NATURAL_EARTH

KIND = "borders"
#: Published lengths run from about the 1:10m length (rounded, older surveys) to
#: well above it: Belarus-Ukraine is 862 km at 1:10m, 930-1,180 km in OSM-derived
#: data and 1,084 km officially (DESIGN.md, "Data"), 1.0-1.37 times. A figure shorter
#: than 0.95 or longer than 1.6 times the 1:10m length is more than scale explains.
SHORTER, LONGER = 0.95, 1.6

_ADJACENCY = re.compile(
    r"\b(?:borders|bordering|bordered\s+by|border(?:s)?\s+with|neighbou?rs|neighbou?ring|"
    r"is\s+adjacent\s+to|adjoins|frontiers?\s+with)\b",
    re.IGNORECASE,
)
_LENGTH_NEAR = re.compile(r"\b(?:border|frontier|boundary)\b", re.IGNORECASE)
_WITH = re.compile(r"^[^.;]{0,50}?\bwith\s+(?:both\s+)?(?:the\s+)?", re.IGNORECASE)
_WITH_BEFORE = re.compile(r"\b(?:border|frontier|boundary)\s+with\s+(?:the\s+)?$", re.IGNORECASE)
_BREAK = re.compile(r";|\b(?:while|whereas|but|although|though|and\s+is|and\s+has)\b", re.I)
_PAREN = re.compile(r"\([^)]*\)")


@functools.cache
def _border(a: str, b: str) -> tuple[float, int]:
    (found,) = borders(a, [b]).borders
    return found.length_m, found.pieces


def _dataset() -> str:
    ne = NATURAL_EARTH
    return f"{ne['name']} {ne['scale']} v{ne['version']} ({ne['point_of_view']})"


def _short() -> str:
    return f"Natural Earth {NATURAL_EARTH['scale']}"


def _countries(doc: Document, sentence: Sentence, lo: int, hi: int) -> list[Mention]:
    return [
        m
        for m in doc.mentions_in(sentence)
        if m.kind == "country" and not m.adjective and lo <= m.start < hi
    ]


def _subject(doc: Document, sentence: Sentence, before: int) -> Mention | None:
    found = _countries(doc, sentence, sentence.start, before)
    if found:
        return found[-1]
    adjectives = [m for m in doc.mentions_in(sentence) if m.kind == "country" and m.start < before]
    return adjectives[-1] if adjectives else None


def _adjacency(doc: Document, sentence: Sentence) -> list[Claim]:
    out: list[Claim] = []
    for verb in _ADJACENCY.finditer(sentence.text):
        at = sentence.start + verb.start()
        subject = _subject(doc, sentence, at)
        if subject is None:
            continue
        tail = sentence.text[verb.end() :]
        stop = _BREAK.search(tail)
        end = sentence.start + verb.end() + (stop.start() if stop else len(tail))
        masked = _PAREN.sub(lambda m: " " * len(m.group()), doc.text[:end])
        for n in _countries(doc, sentence, sentence.start + verb.end(), end):
            if masked[n.start] == " " or n.key == subject.key:
                continue  # inside a parenthesis, or the subject again
            out.append(_adjacent(doc, sentence, subject, n, (at, verb.end() + sentence.start)))
    return out


def _adjacent(
    doc: Document, sentence: Sentence, a: Mention, b: Mention, verb: tuple[int, int]
) -> Claim:
    length_m, pieces = _border(a.key, b.key)
    computed: dict[str, object] = {
        "country": a.key, "neighbour": b.key, "border_length_m": length_m,
        "border_length_km": length_m / 1000.0, "dataset": _dataset(),
    }  # fmt: skip
    if length_m > 0:
        verdict = CONSISTENT
        text = f"{a.name} and {b.name} share a border: {km(length_m)} on the {_short()} outline"
    else:
        gap = resolve.distance_m(a, b)
        computed["distance_m"] = gap
        verdict = INCONSISTENT
        text = f"{a.name} and {b.name} share no border on the {_short()} outline; " + (
            "they touch at a point only" if gap == 0 else f"they are {km(gap)} apart"
        )
    return claim(
        sentence,
        KIND,
        verdict,
        text + ".",
        focus=(b.start, b.end),
        computed=computed,
        assumptions=[f"adjacency from the outlines: {_dataset()}"],
        sources=[_dataset()],
    )


def _neighbour_for(doc: Document, sentence: Sentence, q: Quantity) -> Mention | None:
    after = doc.text[q.end : sentence.end]
    if (m := _WITH.match(after)) is not None:
        found = _countries(doc, sentence, q.end + m.end(), q.end + m.end() + 4)
        if found:
            return found[0]
    # "its border with Poland is 418 km long"
    for c in reversed(_countries(doc, sentence, sentence.start, q.start)):
        if _WITH_BEFORE.search(doc.text, sentence.start, c.start) and q.start - c.end < 30:
            return c
    # "Ukraine (officially 1,084 km of border)": the country before the parenthesis
    open_at = doc.text.rfind("(", sentence.start, q.start)
    if open_at >= 0 and ")" not in doc.text[open_at : q.start]:
        before = _countries(doc, sentence, sentence.start, open_at)
        if before and open_at - before[-1].end <= 2:
            return before[-1]
    return None


def _lengths(doc: Document, sentence: Sentence) -> list[Claim]:
    out: list[Claim] = []
    for q in doc.quantities_in(sentence):
        if q.dimension != "length" or q.is_range or is_second(doc, q):
            continue
        window = doc.text[max(sentence.start, q.start - 30) : min(sentence.end, q.end + 40)]
        if not _LENGTH_NEAR.search(window):
            continue
        neighbour = _neighbour_for(doc, sentence, q)
        if neighbour is None:
            continue
        subject = next(
            (
                m
                for m in reversed(_countries(doc, sentence, sentence.start, neighbour.start))
                if m.key != neighbour.key
            ),
            None,
        )
        if subject is None:  # "its border with ...": the first country of the sentence before
            subject = _previous_subject(doc, sentence, neighbour)
        if subject is None or subject.key == neighbour.key:
            continue
        out.append(_length(sentence, q, subject, neighbour))
    return out


def _previous_subject(doc: Document, sentence: Sentence, neighbour: Mention) -> Mention | None:
    earlier = [s for s in doc.sentences if s.end <= sentence.start]
    for prev in reversed(earlier):
        found = [m for m in _countries(doc, prev, prev.start, prev.end) if m.key != neighbour.key]
        if found:
            return found[0]
    return None


def _length(sentence: Sentence, q: Quantity, a: Mention, b: Mention) -> Claim:
    length_m, pieces = _border(a.key, b.key)
    lo, hi = tolerance_si(q)
    computed: dict[str, object] = {
        "country": a.key, "neighbour": b.key, "stated_m": [lo, hi],
        "border_length_m": length_m, "border_length_km": length_m / 1000.0,
        "ratio_stated_to_outline": (q.si / length_m) if length_m > 0 else None,
        "dataset": _dataset(),
    }  # fmt: skip
    measured = f"length on the {_short()} outline ({a.name}-{b.name}: {km(length_m)})"
    if length_m == 0:
        verdict = INCONSISTENT
        text = f"{a.name} and {b.name} share no border on the {_short()} outline"
    elif hi < SHORTER * length_m:
        verdict = IMPRECISE
        text = (
            f"'{q.text}' is shorter than the {measured}, although finer outlines give longer "
            "lines: check the figure's source"
        )
    elif lo > LONGER * length_m:
        verdict = IMPRECISE
        text = (
            f"'{q.text}' is {q.si / length_m:.2f} times the {measured}, more than map "
            "scale usually explains: check the figure's source"
        )
    else:
        verdict = CONSISTENT
        text = (
            f"'{q.text}' is {q.si / length_m:.2f} times the {measured}: within what map scale "
            f"explains ({SHORTER:g}-{LONGER:g} times); border lengths are not checked more "
            "closely than that"
        )
    return claim(
        sentence,
        KIND,
        verdict,
        text + ".",
        focus=(q.start, max(q.end, b.end) if b.start >= q.end else q.end),
        uses=(q,),
        computed=computed,
        assumptions=[SCALE_NOTE],
        sources=[_dataset()],
    )


def find(doc: Document) -> list[Claim]:
    out: list[Claim] = []
    for sentence in doc.sentences:
        out.extend(_adjacency(doc, sentence))
        out.extend(_lengths(doc, sentence))
    return out
