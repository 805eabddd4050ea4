"""Forward basing: "reach targets more quickly from Belarus", "cuts warning time",
"expands the ability to target NATO allies".

A :func:`reachmap.analysis.compare.compare` between the basing the text names (the
sentence's "from"/"in", ``--from``, or the deployment the article names) and two
baselines: Russia's territory, and Russia's catalog sites (test ranges, launch
sites and reported bases), or ``--vs`` instead of both. Places compared: the
capitals in Europe (:data:`reachmap.data.regions.EUROPE_DEFINITION`), or of the NATO
members when the sentence names NATO or allies. The explanation quotes the median
minutes saved (minimum-energy flights of the system named, or the catalog's systems
of the class named) and the places newly within reach, listed alphabetically: a
description, never a ranking.

"More quickly": consistent when the median time falls against both baselines,
imprecise when only against the catalog sites (Russia's own territory is already
as close), inconsistent when against neither. "Expands"/"brings within range":
consistent when places come newly within reach against Russia's territory,
imprecise when only against the sites or when only times fall, else inconsistent.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import numpy as np

from reachmap.analysis.compare import CompareResult, compare
from reachmap.analysis.reach import RangeSpec
from reachmap.area import Area
from reachmap.claims import resolve
from reachmap.claims.model import Claim, Document, cite, claim
from reachmap.claims.range_class import _CLASS, _class_of
from reachmap.claims.text import Sentence
from reachmap.claims.verdicts import CONSISTENT, IMPRECISE, INCONSISTENT, NOT_CHECKABLE
from reachmap.data import catalog, geonames
from reachmap.data.catalog import System
from reachmap.data.regions import region
from reachmap.io.resolve import area
from reachmap.places import Places
from reachmap.words import plural

KIND = "basing"
BASELINE_COUNTRY = "RUS"
#: Catalog site kinds that are places missiles are, or were, launched or based.
BASE_KINDS = ("test range", "launch site", "reported base")

_QUICKER = re.compile(
    r"\b(?:more\s+quickly|faster|sooner|quicker|less\s+time|shorter\s+(?:flight|warning)|"
    r"(?:cut|cuts|cutting|reduce|reduces|reducing|shorten|shortens|shortening)\s+(?:the\s+)?"
    r"(?:flight|warning|response)\s+times?)\b",
    re.IGNORECASE,
)
_EXPANDS = re.compile(
    r"\b(?:expand|expands|expanding|extend|extends|extending|increase|increases|widen|widens)"
    r"\s+(?:\w+\s+){0,3}?(?:ability|reach|range|capacity)\b"
    r"|\bbring(?:s|ing)?\s+(?:\w+\s+){0,4}?within\s+(?:striking\s+)?(?:range|reach)\b",
    re.IGNORECASE,
)
_NATO = re.compile(r"\b(?:NATO|allies|allied|alliance)\b")
_CLASS_NAME = {"intermediate-range": "IRBM", "shorter-range": "SRBM", "medium-range": "MRBM",
               "intercontinental": "ICBM"}  # fmt: skip


@functools.cache
def _targets(group: str, on: str | None) -> Places:
    caps = geonames.capitals()
    reg = region(group, on)
    inside = reg.contains(caps.lon_deg, caps.lat_deg, caps.country_code)
    return caps.take(np.flatnonzero(inside))


@functools.cache
def _baselines() -> tuple[tuple[str, Area], ...]:
    sites = [s for s in catalog.sites() if s.country == BASELINE_COUNTRY and s.kind in BASE_KINDS]
    return (
        ("Russia's territory", resolve.country_area(BASELINE_COUNTRY)),
        ("Russia's catalog sites (" + ", ".join(s.name for s in sites) + ")",
         area(*[s.id for s in sites])),
    )  # fmt: skip


def _systems(doc: Document, sentence: Sentence) -> tuple[list[System], str]:
    system, how = resolve.system_for(doc, sentence)
    if system is not None:
        return [system], how
    m = _CLASS.search(sentence.text)
    if m is not None:
        cls = _CLASS_NAME.get(_class_of(m), "")
        found = [s for s in catalog.systems() if s.system_class == cls and s.country == "RUS"]
        if found:
            return (
                found,
                f"the catalog's Russian {cls} systems ({', '.join(s.name for s in found)})",
            )
    return [], ""


def _run(basing: Area, base: Area, system: System, targets: Places) -> dict[str, Any]:
    profile = "min-energy" if system.propulsion == "ballistic" else ""
    result: CompareResult = compare(basing, base, RangeSpec(system.range_m.low,
                                    system.range_m.high, system), targets,
                                    flight_profile=profile)  # fmt: skip
    s = result.summary()
    rows = result.rows()
    newly = sorted(r["name"] for r in rows if r["change"] == "newly within reach")
    return {
        "median_minutes_saved": s["minutes_saved_median"],
        "places_timed": s["places_timed_from_both"],
        "newly_within": newly,
        "places_within_from": s["places_within_from"],
        "places_within_vs": s["places_within_vs"],
    }


def find(doc: Document) -> list[Claim]:
    out: list[Claim] = []
    for sentence in doc.sentences:
        for what, pattern in (("quicker", _QUICKER), ("expands", _EXPANDS)):
            m = pattern.search(sentence.text)
            if m is not None:
                focus = (sentence.start + m.start(), sentence.start + m.end())
                out.append(_check(doc, sentence, what, focus))
    return out


def _check(doc: Document, sentence: Sentence, what: str, focus: tuple[int, int]) -> Claim:
    systems, how_system = _systems(doc, sentence)
    launch = resolve.launch_area(doc, sentence)
    if not systems or launch is None:
        missing = "no system or missile class" if not systems else "no basing (give --from)"
        return claim(sentence, KIND, NOT_CHECKABLE,
                     f"A forward-basing claim, but {missing} is named.", focus=focus)  # fmt: skip
    group = "nato" if _NATO.search(sentence.text) else "europe"
    targets = _targets(group, doc.context.on)
    if doc.context.vs_area:
        vs = area(*doc.context.vs_area)
        baselines: tuple[tuple[str, Area], ...] = ((vs.label + " (--vs)", vs),)
    else:
        baselines = _baselines()
    system = systems[0]
    runs = []
    for name, base in baselines:
        key = ("basing", launch.label, name, system.id, group)
        if key not in doc.cache:
            doc.cache[key] = _run(launch.area, base, system, targets)
        runs.append((name, doc.cache[key]))
    parts = []
    for name, r in runs:
        saved = r["median_minutes_saved"]
        newly = r["newly_within"]
        parts.append(
            f"against {name}: median {saved:+.1f} min over {plural(r['places_timed'], 'capital')}"
            + (
                f", newly within reach: {', '.join(newly)}"
                if newly
                else ", none newly within reach"
            )
            if saved is not None
            else f"against {name}: no capital timed from both"
        )
    saved_all = [r["median_minutes_saved"] or 0.0 for _, r in runs]
    newly_all = [len(r["newly_within"]) for _, r in runs]
    if what == "quicker":
        if all(s > 0 for s in saved_all):
            verdict = CONSISTENT
        elif any(s > 0 for s in saved_all):
            verdict = IMPRECISE
        else:
            verdict = INCONSISTENT
    elif newly_all[0] > 0:
        verdict = CONSISTENT
    elif any(newly_all) or any(s > 0 for s in saved_all):
        verdict = IMPRECISE
    else:
        verdict = INCONSISTENT
    places = "NATO members' capitals" if group == "nato" else "capitals in Europe"
    explanation = (
        f"{system.name} from {launch.label}, {places} ({len(targets)}), minimum-energy "
        f"flights: " + "; ".join(parts) + "."
    )
    computed = {"system": system.id, "basing": launch.label, "targets": places,
                "baselines": {name: r for name, r in runs}}  # fmt: skip
    assumptions = [
        f"basing {launch.label}, {launch.how}",
        f"system {how_system}" + ("; the first is compared" if len(systems) > 1 else ""),
        "distances exact WGS84 to the nearest point of each area; flight times: "
        "minimum-energy, boost included (docs/flight.md); places listed alphabetically",
    ]
    return claim(sentence, KIND, verdict, explanation, focus=focus, computed=computed,
                 assumptions=assumptions,
                 sources=cite(system.range_m.sources))  # fmt: skip
