"""From mentions to geometry, and what a claim leaves unsaid: its system and launch area.

* a city or site is its point (GeoNames coordinates, catalog site coordinates);
* a country is its area (Natural Earth 1:10m outline): the distance from a country
  is to its nearest point, 0 inside (:meth:`reachmap.area.Area.distance_m`);
* a claim's system is the one named in its sentence, else the last one named
  before it;
* a claim's launch area is the place after "from" in its sentence, else ``--from``,
  else the place the article says the system is deployed, stationed or based in.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import numpy as np

from reachmap.area import Area
from reachmap.claims.gazetteer import Mention
from reachmap.claims.model import Document
from reachmap.claims.text import Sentence
from reachmap.data import catalog
from reachmap.data.catalog import System
from reachmap.geodesy.ellipsoid import GEOD
from reachmap.io.resolve import area

_DEPLOYED = re.compile(
    r"\b(?:deploy|station|bas(?:e|ed|ing)\b|position|plac(?:e|ed|ing)\b|mov(?:e|ed|ing)\b|"
    r"transfer|sen[dt]\b|arriv)\w*\b[^.;]{0,60}?\b(?:in|to|into|on|at|from)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_FROM = re.compile(r"\bfrom\s+(?:the\s+)?(?:territory\s+of\s+|soil\s+of\s+)?$", re.IGNORECASE)
PLACE_KINDS = ("country", "city", "site")


@dataclass(frozen=True)
class Launch:
    """A launch area and how the claim got it (for the explanation)."""

    area: Area
    label: str
    how: str


@functools.cache
def country_area(iso3: str) -> Area:
    return area(iso3)


@functools.cache
def _vertices(iso3: str) -> np.ndarray:
    a = country_area(iso3)
    return np.concatenate([ring for poly in a.polygons for ring in poly])


@functools.cache
def _area_of(specs: tuple[str, ...]) -> Area:
    return area(*specs)


def is_point(m: Mention) -> bool:
    return m.lon_deg is not None and m.lat_deg is not None


def label(m: Mention) -> str:
    if m.kind == "city":
        return f"{m.name} ({m.country_code})"
    return m.name


def mention_area(m: Mention) -> Area:
    """The launch area a mention denotes (a country's outline or a point)."""
    if m.kind == "country":
        return country_area(m.key)
    if m.kind == "site":
        return _area_of((m.key,))
    return _area_of((f"{m.lat_deg},{m.lon_deg}",))


def distance_m(a: Mention, b: Mention) -> float:
    """Exact WGS84 distance between two places (points, or the nearest points of areas)."""
    if is_point(a) and is_point(b):
        _, _, d = GEOD.inv(a.lon_deg, a.lat_deg, b.lon_deg, b.lat_deg)
        return float(d)
    if is_point(a):
        a, b = b, a
    if b.lon_deg is not None and b.lat_deg is not None:
        return float(country_area(a.key).distance_m(b.lon_deg, b.lat_deg))
    return _area_to_area_m(a.key, b.key)


@functools.cache
def _area_to_area_m(iso_a: str, iso_b: str) -> float:
    """Shortest distance between two country outlines: the nearest vertex of either to the
    other (edges included); 0 where they touch or overlap."""
    va, vb = _vertices(iso_a), _vertices(iso_b)
    d_ab = country_area(iso_b).distance_m(va[:, 0], va[:, 1])
    d_ba = country_area(iso_a).distance_m(vb[:, 0], vb[:, 1])
    return float(min(np.nanmin(d_ab), np.nanmin(d_ba)))


_NAME = re.compile(r"(?:the\s+)?([A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+){0,2})")


def unknown_name(doc: Document, lo: int, hi: int) -> tuple[str, list[str]] | None:
    """A capitalised name in ``doc.text[lo:hi]`` that is no known place, with the closest
    known names; None if every capitalised word there is known."""
    from reachmap.claims.gazetteer import suggestions

    for m in _NAME.finditer(doc.text, lo, hi):
        start = m.start(1)
        if any(x.start <= start < x.end for x in doc.mentions):
            continue
        word = m.group(1)
        if word.lower() in ("it", "its", "the", "a", "an", "in", "from", "nato"):
            continue
        return word, suggestions(word)
    return None


def system_for(doc: Document, sentence: Sentence) -> tuple[System | None, str]:
    """The system a sentence is about, and how it was found."""
    here = [m for m in doc.mentions_in(sentence) if m.kind == "system"]
    if here:
        return catalog.system(here[0].key), f"named in the sentence ({here[0].text})"
    before = [m for m in doc.mentions_before(sentence.start) if m.kind == "system"]
    if before:
        return catalog.system(before[-1].key), f"named earlier in the text ({before[-1].text})"
    return None, ""


def from_in(doc: Document, sentence: Sentence) -> Mention | None:
    """The place after "from" in the sentence, if any."""
    for m in doc.mentions_in(sentence):
        if m.kind in PLACE_KINDS and _FROM.search(doc.text, max(0, m.start - 40), m.start):
            return m
    return None


def deployments(doc: Document) -> list[Mention]:
    """Places the text says something is deployed, stationed or based in, in order."""
    cached: list[Mention] | None = doc.cache.get("deployments")
    if cached is not None:
        return cached
    out: list[Mention] = []
    for m in doc.mentions:
        if m.kind in ("country", "site") and not m.adjective:
            if _DEPLOYED.search(doc.text, max(0, m.start - 90), m.start):
                out.append(m)
    doc.cache["deployments"] = out
    return out


def launch_area(doc: Document, sentence: Sentence) -> Launch | None:
    """The launch area of a claim in ``sentence`` (see the module docstring)."""
    m = from_in(doc, sentence)
    if m is not None:
        return Launch(mention_area(m), label(m), f"named in the sentence (from {m.text})")
    if doc.context.from_area:
        a = _area_of(tuple(doc.context.from_area))
        return Launch(a, a.label, "given with --from")
    deployed = deployments(doc)
    if deployed:
        before = [d for d in deployed if d.start < sentence.end]
        m = before[-1] if before else deployed[0]
        where = doc.text[max(0, m.start - 40) : m.end].split(".")[-1].strip()
        return Launch(mention_area(m), label(m), f"the deployment the text names ('{where}')")
    return None
