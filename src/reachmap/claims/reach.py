"""Reach: "can reach all of Europe", "could strike Washington from Belarus", "puts every
NATO capital within range".

The named system's low and high range (catalog, with sources) from the launch area
(the sentence, ``--from``, or the deployment the article names; see
:mod:`reachmap.claims.resolve`) is compared with the distance to the target: a place
(exact distance to its point), a country or a region (its farthest part), or a
region's capitals. "Europe" is the European part of each country
(:data:`reachmap.data.regions.EUROPE_DEFINITION`, quoted in the assumptions); NATO
and the EU are their members on ``--on`` (default today).

Verdicts: within the low estimate, consistent; within the high estimate only,
imprecise (true only on the high figure); beyond the high estimate, inconsistent.
"Most of" holds when more than half of the region's capitals are within range.

The farthest part of a region (or country) is its exact farthest point
(:func:`reachmap.analysis.farthest.farthest_point`: a branch-and-bound along the
outline's geodesic edges to 1 mm, and a search of the interior wherever the distance
can have a maximum inside, as near the antipode of the launch area). The largest
vertex distance was used before 2026-12: it misses maxima inside edges and inside
the country (from -27,-155 Egypt's farthest point, the launch point's antipode, is
inside the country, beyond every vertex).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely

from reachmap.analysis.farthest import Part, farthest_point
from reachmap.area import Area
from reachmap.claims import resolve
from reachmap.claims.gazetteer import Mention
from reachmap.claims.model import Claim, Document, cite, claim, km, published, span
from reachmap.claims.quantities import Quantity, tolerance_si
from reachmap.claims.text import Sentence
from reachmap.claims.verdicts import CONSISTENT, IMPRECISE, INCONSISTENT, NOT_CHECKABLE
from reachmap.data import geonames
from reachmap.data.catalog import Estimate, System
from reachmap.data.regions import Region, region
from reachmap.words import plural

KIND = "reach"

#: "all of Europe" -> all, "most of Europe" -> most ("all" wins where both appear)
_SCOPE = re.compile(r"\b(?:(?P<all>all|every|entire|whole|each)|(?P<most>most))\b", re.I)
_CAPITALS = re.compile(r"\bcapitals?\b", re.IGNORECASE)
_STOP = re.compile(r"\b(?:in|within)\s+(?:\w+\s+)?(?:minutes?|seconds?|hours?)\b|[;]", re.I)
_VERB = re.compile(
    r"\b(?:(?:can|could|would|will|may|might)(?P<neg>not|n?['’]t|\s+not|\s+never)?\s+"
    r"(?:\w+\s+){0,2}?|able\s+to\s+|capable\s+of\s+)"
    r"(?:reach|strike|hit|target|cover|hold\s+at\s+risk)(?:ing)?\b"
    r"|\bput(?:s|ting)?\b(?P<put>[^.;]{1,60}?)\bwithin\s+(?:striking\s+)?(?:range|reach)\b"
    r"|\bwithin\s+(?:its\s+|their\s+|the\s+missile'?s\s+)?(?:striking\s+)?(?:range|reach)\s+"
    r"(?:of\s+)?",
    re.IGNORECASE,
)


def _scope(phrase: str) -> str:
    """ "all", "most" or "" for the words of a reach phrase."""
    found = {key for m in _SCOPE.finditer(phrase) for key, v in m.groupdict().items() if v}
    return "all" if "all" in found else "most" if found else ""


@dataclass(frozen=True)
class Far:
    """The farthest point of a region from an area (a lower bound if not ``complete``)."""

    distance_m: float
    lon_deg: float
    lat_deg: float
    iso3: str
    near: str  # nearest GeoNames place to it
    complete: bool = True


def _unit(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    lon_r, lat_r = np.radians(lon), np.radians(lat)
    return np.stack(
        [np.cos(lat_r) * np.cos(lon_r), np.cos(lat_r) * np.sin(lon_r), np.sin(lat_r)], axis=-1
    )


@functools.cache
def _parts_vertices(region_id: str, on: str | None) -> tuple[np.ndarray, np.ndarray]:
    reg = region(region_id, on)
    coords, codes = [], []
    for iso3, part in sorted(reg.parts.items()):
        xy = shapely.get_coordinates(part)
        coords.append(xy)
        codes.append(np.full(len(xy), iso3))
    return np.concatenate(coords), np.concatenate(codes)


def _farthest_in(doc: Document, launch: resolve.Launch, region_id: str) -> Far:
    key = ("farthest", launch.label, region_id)
    if key not in doc.cache:
        reg = region(region_id, doc.context.on)
        parts = [Part(iso3, geom) for iso3, geom in sorted(reg.parts.items())]
        doc.cache[key] = farthest(launch.area, parts)
    far: Far = doc.cache[key]
    return far


def farthest(launch: Area, parts: Sequence[Part]) -> Far:
    """The exact farthest point of ``parts`` from ``launch``, with the nearest town."""
    found = farthest_point(launch, parts)
    lon, lat = found.lon_deg, found.lat_deg
    return Far(found.distance_m, lon, lat, found.part, _nearest_place(lon, lat), found.complete)


@functools.cache
def _town_units() -> np.ndarray:
    towns = geonames.cities(1000)
    return _unit(towns.lon_deg, towns.lat_deg)


def _nearest_place(lon: float, lat: float) -> str:
    towns = geonames.cities(1000)
    u = _unit(np.array([lon]), np.array([lat]))
    i = int(np.argmax(_town_units() @ u[0]))
    return f"{towns.name[i]} ({towns.country_code[i]})"


def _capitals(reg: Region) -> geonames.Places:
    caps = geonames.capitals()
    inside = reg.contains(caps.lon_deg, caps.lat_deg, caps.country_code)
    return caps.take(np.flatnonzero(inside))


def _verdict(d_m: float, system: System) -> str:
    if d_m <= system.range_m.low:
        return CONSISTENT
    if d_m <= system.range_m.high:
        return IMPRECISE
    return INCONSISTENT


def _range_text(system: System) -> str:
    r = system.range_m
    rng = span(r.low, r.high)
    if system.id == "stated":
        return f"{system.name} ({rng})"
    return f"{system.name}'s range {rng} (catalog low/high estimate)"


def _sources(system: System) -> list[str]:
    return cite(system.range_m.sources)


@dataclass(frozen=True)
class Target:
    """What a claim says is within reach: a region, its capitals, or a place."""

    what: str  # "region", "capitals" or "place"
    scope: str  # "all", "most" or ""
    mention: Mention
    region_id: str = ""


def _target(doc: Document, sentence: Sentence, verb: re.Match[str]) -> Target | None:
    """What the claim says is within reach."""
    if verb.group("put"):
        lo, hi = sentence.start + verb.start("put"), sentence.start + verb.end("put")
    else:
        lo = sentence.start + verb.end()
        stop = _STOP.search(doc.text, lo, sentence.end)
        hi = stop.start() if stop else sentence.end
    phrase = doc.text[lo:hi]
    names = [m for m in doc.mentions_in(sentence) if lo <= m.start < hi]
    names = [m for m in names if m.kind != "system" and resolve.from_in(doc, sentence) != m]
    if not names:
        unknown = resolve.unknown_name(doc, lo, min(hi, lo + 40))
        if unknown is not None:
            return Target("unknown", unknown[0], first_of(doc, sentence), ",".join(unknown[1]))
        return None
    first = names[0]
    scope = _scope(phrase)
    if first.kind == "region" or (first.kind == "country" and first.adjective):
        what = "capitals" if _CAPITALS.search(phrase) else "region"
        key = first.key if first.kind == "region" else "europe"
        return Target(what, scope, first, key)
    if first.kind in resolve.PLACE_KINDS:
        return Target("place", scope, first)
    return None


def _check_region(
    doc: Document, sentence: Sentence, launch: resolve.Launch, system: System, key: str,
    scope: str, capitals: bool,
) -> tuple[str, str, dict[str, object]]:  # fmt: skip
    reg = region(key, doc.context.on)
    computed: dict[str, object] = {"region": reg.id, "definition": reg.definition}
    if capitals:
        caps = _capitals(reg)
        d = launch.area.distance_m(caps.lon_deg, caps.lat_deg)
        i = int(np.argmax(d))
        within_low = int((d <= system.range_m.low).sum())
        within_high = int((d <= system.range_m.high).sum())
        computed |= {
            "capitals": len(caps), "within_low": within_low, "within_high": within_high,
            "farthest_capital": str(caps.name[i]), "farthest_capital_m": float(d[i]),
        }  # fmt: skip
        text = (
            f"{plural(len(caps), 'capital')} of {reg.name}: {within_low} within "
            f"{published(system.range_m.low)} and {within_high} within "
            f"{published(system.range_m.high)} "
            f"of {launch.label}; the farthest is {caps.name[i]} at {km(float(d[i]))}"
        )
        if scope == "most":
            share = within_low / len(caps)
            verdict = (
                CONSISTENT
                if share > 0.5
                else IMPRECISE
                if within_high > len(caps) / 2
                else INCONSISTENT
            )
            return verdict, text, computed
        return _verdict(float(d[i]), system), text, computed
    xy, codes = _parts_vertices(reg.id, doc.context.on)
    far = _farthest_in(doc, launch, reg.id)
    computed |= {
        "farthest_m": far.distance_m, "farthest_lon": far.lon_deg, "farthest_lat": far.lat_deg,
        "farthest_country": far.iso3, "farthest_near": far.near,
    }  # fmt: skip
    text = (
        f"the farthest part of {reg.name} from {launch.label} is in {far.iso3} near {far.near} "
        f"({far.lat_deg:.2f}, {far.lon_deg:.2f}), {km(far.distance_m)} away"
    )
    if scope == "":
        cache_key = ("nearest", launch.label, reg.id)
        if cache_key not in doc.cache:
            near = launch.area.distance_m(xy[:, 0], xy[:, 1])
            doc.cache[cache_key] = float(np.nanmin(near))
        near_m = float(doc.cache[cache_key])
        computed["nearest_m"] = near_m
        text = f"the nearest part of {reg.name} is {km(near_m)} from {launch.label}; " + text
        verdict = CONSISTENT if near_m <= system.range_m.low else _verdict(near_m, system)
        return verdict, text + " (read as 'parts of it')", computed
    return _verdict(far.distance_m, system), text, computed


def _check_place(
    launch: resolve.Launch, system: System, m: Mention, scope: str
) -> tuple[str, str, dict[str, object]]:
    if m.kind == "country":
        xy = resolve._vertices(m.key)
        far = farthest(launch.area, [Part(m.key, resolve.country_area(m.key).geometry)])
        near_m = float(np.nanmin(launch.area.distance_m(xy[:, 0], xy[:, 1])))
        computed: dict[str, object] = {"nearest_m": near_m, "farthest_m": far.distance_m}
        text = (
            f"{m.name} is {km(near_m)} (nearest point) to {km(far.distance_m)} (farthest, near "
            f"{far.near}) from {launch.label}"
        )
        if scope == "all":
            return _verdict(far.distance_m, system), text, computed
        verdict = _verdict(far.distance_m, system)
        if verdict != CONSISTENT and near_m <= system.range_m.low:
            verdict = IMPRECISE
            text += "; only part of it is within range"
        return verdict, text, computed
    assert m.lon_deg is not None and m.lat_deg is not None  # a city or site
    d = float(launch.area.distance_m(m.lon_deg, m.lat_deg))
    return (
        _verdict(d, system),
        f"{resolve.label(m)} is {km(d)} from {launch.label}",
        {"distance_m": d},
    )


_STATED = re.compile(
    r"\b(?:flies|fly|flying|travels?|travelling|traveling|range\s+of|reach\s+of)\s+"
    r"(?:up\s+to\s+|about\s+|some\s+)?$",
    re.IGNORECASE,
)


def _stated(doc: Document, sentence: Sentence, before: int) -> tuple[System, Quantity] | None:
    """A range the sentence gives itself ("a missile that flies 800 miles")."""
    for q in doc.quantities_in(sentence):
        if (
            q.dimension == "length"
            and q.end <= before
            and _STATED.search(
                doc.text, sentence.start, q.start + (len(q.text) - len(q.text.lstrip()))
            )
        ):
            lo, hi = tolerance_si(q, "low")[0], tolerance_si(q, "high")[1]
            if q.hedge == "at_most":
                lo = hi = q.interval_si("high")[1]
            stand_in = System(
                "stated", f"a missile with the stated range '{q.text}'", (), "", "", "ballistic",
                "", "", Estimate(lo, hi, ()), None, None, None,
            )  # fmt: skip
            return stand_in, q
    return None


def find(doc: Document) -> list[Claim]:
    out: list[Claim] = []
    for sentence in doc.sentences:
        for verb in _VERB.finditer(sentence.text):
            target = _target(doc, sentence, verb)
            if target is None:
                continue
            out.append(_claim(doc, sentence, verb, target))
    return out


def first_of(doc: Document, sentence: Sentence) -> Mention:
    """A placeholder mention at the sentence start (for targets that are no known place)."""
    return Mention(sentence.start, sentence.start, "", "unknown", "", "")


def _claim(doc: Document, sentence: Sentence, verb: re.Match[str], target: Target) -> Claim:
    focus = (sentence.start + verb.start(), sentence.end)
    if target.what == "unknown":
        close = [c for c in target.region_id.split(",") if c]
        hint = f" Closest names: {', '.join(close)}." if close else ""
        return claim(
            sentence, KIND, NOT_CHECKABLE,
            f"'{target.scope}' is not a country, region, catalog site or city (15,000+ "
            f"people) reachmap knows, so this reach claim cannot be checked.{hint}",
            focus=focus, computed={"unknown_place": target.scope, "closest_names": close},
        )  # fmt: skip
    system, how_system = resolve.system_for(doc, sentence)
    stated = _stated(doc, sentence, sentence.start + verb.start())
    uses: tuple[Quantity, ...] = ()
    if stated is not None:
        system, uses = stated[0], (stated[1],)
        how_system = "stated in the sentence"
    launch = resolve.launch_area(doc, sentence)
    if system is None or launch is None:
        missing = "no system is named" if system is None else "no launch area is named"
        hint = "" if system is None else "; give one with --from"
        return claim(
            sentence, KIND, NOT_CHECKABLE,
            f"A reach claim, but {missing} in or before this sentence{hint}.", focus=focus,
        )  # fmt: skip
    assumptions: list[str] = []
    if target.what == "place":
        verdict, text, computed = _check_place(launch, system, target.mention, target.scope)
    else:
        verdict, text, computed = _check_region(
            doc, sentence, launch, system, target.region_id, target.scope,
            target.what == "capitals",
        )  # fmt: skip
        assumptions.append(str(computed["definition"]))
    computed |= {"range_low_m": system.range_m.low, "range_high_m": system.range_m.high,
                 "system": system.id, "launch_area": launch.label}  # fmt: skip
    note = {
        CONSISTENT: "within the low estimate",
        IMPRECISE: "within the high estimate only",
        INCONSISTENT: "beyond the high estimate",
    }[verdict]
    if verb.group("neg"):  # "would not reach Lisbon": the claim is that it is out of reach
        verdict = {CONSISTENT: INCONSISTENT, INCONSISTENT: CONSISTENT}.get(verdict, verdict)
        note += ", and the text says it is out of reach"
    explanation = f"{text[0].upper()}{text[1:]}; {_range_text(system)}: {note}."
    assumptions += [
        f"system {how_system}",
        f"launch area {launch.label}, {launch.how}",
        "distances: exact WGS84 geodesic to the nearest point of the launch area",
    ]
    return claim(
        sentence, KIND, verdict, explanation, focus=focus, computed=computed,
        assumptions=assumptions, sources=_sources(system), uses=uses,
    )  # fmt: skip
