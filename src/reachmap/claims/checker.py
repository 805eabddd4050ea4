"""Run every claim kind over a text and collect the verdicts.

Each kind is one module of this package with ``KIND`` and ``find(doc) -> claims``;
adding a kind is adding a module and its name to :data:`KIND_MODULES`. After the
kinds, every quantity no claim used is reported as ``not_checkable`` with the
reason, so that nothing numeric is dropped silently.

>>> result = check_text("Belarus shares a 1,084-kilometer (673-mile) border with Ukraine.")
>>> sorted((c.kind, c.verdict) for c in result.claims)
[('borders', 'consistent'), ('borders', 'consistent'), ('units', 'consistent')]
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any

from reachmap.claims import gazetteer, quantities, text
from reachmap.claims.model import (
    NOT_CHECKABLE,
    VERDICTS,
    Claim,
    Context,
    Document,
    claim,
    explained_in,
)

#: Claim kinds, in the order they run (modules of reachmap.claims).
KIND_MODULES = (
    "units",
    "borders",
    "range_class",
    "distance",
    "reach",
    "flight_time",
    "basing",
)

_UNCHECKED_REASON = {
    "length": "a length that is not tied to two named places, a border, a system's range or "
    "a unit conversion",
    "time": "a time without a route (launch area and named target) or a system to fly it",
    "speed": "a speed: reachmap checks speeds only as unit conversions",
    "percent": "a percentage: reachmap checks geography and flight physics, not shares",
    "year": "a year: reachmap does not check dates",
    "date": "a date: reachmap does not check dates",
    "count": "a count or other number: reachmap checks distances, borders, reach, flight "
    "times and range classes only",
}


@dataclass
class CheckResult:
    """The claims of a text (in order of their position) and counts by verdict and kind."""

    claims: list[Claim]
    n_sentences: int
    n_characters: int
    timings_s: dict[str, float] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        by_verdict = {v: 0 for v in VERDICTS}
        by_kind: dict[str, int] = {}
        for c in self.claims:
            by_verdict[c.verdict] += 1
            by_kind[c.kind] = by_kind.get(c.kind, 0) + 1
        return {
            **by_verdict,
            "claims": len(self.claims),
            "checked": len(self.claims) - by_verdict[NOT_CHECKABLE],
            "by_kind": by_kind,
            "sentences": self.n_sentences,
            "characters": self.n_characters,
        }

    def to_json(self) -> dict[str, Any]:
        return {"claims": [c.to_json() for c in self.claims], "summary": self.summary()}


def parse_document(source: str, context: Context | None = None) -> Document:
    """Sentences, quantities and mentions of ``source`` (the shared input of every kind)."""
    sents = text.sentences(source)
    qs: list[quantities.Quantity] = []
    ms: list[gazetteer.Mention] = []
    for s in sents:
        qs.extend(quantities.parse(s.text, s.start))
        ms.extend(gazetteer.find(s.text, s.start))
    return Document(source, sents, qs, ms, context or Context())


def check_text(source: str, context: Context | None = None) -> CheckResult:
    """Every checkable claim of ``source`` with its verdict, plus the unchecked numbers;
    measured lengths are explained in ``context.units`` (km by default)."""
    context = context or Context()
    with explained_in(context.units):
        return _check(source, context)


def _check(source: str, context: Context) -> CheckResult:
    import time

    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    doc = parse_document(source, context)
    timings["parse"] = time.perf_counter() - t0
    found: list[Claim] = []
    for name in KIND_MODULES:
        t = time.perf_counter()
        module = importlib.import_module(f"reachmap.claims.{name}")
        claims = module.find(doc)
        found.extend(claims)
        if name != "units":  # a conversion can also be a distance, border or range
            doc.used.extend(q for c in claims for q in c.uses)
        timings[name] = time.perf_counter() - t
    found.extend(_unchecked(doc, found))
    found.sort(key=lambda c: (c.start, (c.focus or (c.start, c.end))[0], c.kind))
    return CheckResult(found, len(doc.sentences), len(source), timings)


def _unchecked(doc: Document, found: list[Claim]) -> list[Claim]:
    used = {id(q) for c in found for q in c.uses}
    covered = [c.focus for c in found if c.focus is not None]
    out: list[Claim] = []
    for q in doc.quantities:
        if id(q) in used or any(a <= q.start and q.end <= b for a, b in covered):
            continue
        sentence = next(s for s in doc.sentences if s.start <= q.start < s.end)
        last = out[-1] if out else None
        if (
            last is not None
            and q.dimension in ("date", "year")
            and last.computed.get("dimension") in ("date", "year")
            and last.focus is not None
            and last.start == sentence.start
            and 0 <= q.start - last.focus[1] <= 12
            and not any(ch.isdigit() for ch in doc.text[last.focus[1] : q.start])
        ):  # "21 Nov 2024" is one date
            last.focus = (last.focus[0], q.end)
            last.uses = (*last.uses, q)
            whole = doc.text[last.focus[0] : last.focus[1]]
            last.explanation = f"'{whole}' is {_UNCHECKED_REASON['date']}."
            last.computed = {"value": whole, "unit": None, "dimension": "date"}
            continue
        out.append(
            claim(
                sentence,
                "number",
                NOT_CHECKABLE,
                f"'{q.text}' is {_UNCHECKED_REASON[q.dimension]}.",
                focus=(q.start, q.end),
                uses=(q,),
                computed={"value": q.value, "unit": q.unit or None, "dimension": q.dimension},
            )
        )
    return out
