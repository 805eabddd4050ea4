"""Flight times: "could hit Paris in two minutes", "a reported flight of about 15
minutes", "15 minutes to reach Dnipro".

The distance is from the launch area (the sentence's "from", ``--from`` or the
deployment the article names) to the named target, exactly (nearest point of an
area). A ballistic system's time is compared with its profiles
(:func:`reachmap.flight.report.flight_rows`): minimum energy, depressed and
lofted at the burnout speed of its maximum range, boost included, and with the
**fastest time physically possible** in the documented model: the shortest boost
(the range-scaled minimum-energy boost, or the catalog's) followed by a depressed
arc at the system's burnout speed whose apogee is at least 100 km (the edge of
space; flatter paths are outside the vacuum model). With no system named, the
fastest is the free-flight arc through a 100 km apogee and the slowest is not
bounded. Cruise and glide systems fly at their catalog speeds.

Verdicts: faster than the fastest, or slower than the most lofted flight at the
system's energy, by more than :data:`MODEL_MARGIN`: inconsistent; within the
margin: imprecise; otherwise consistent, naming the profile that fits (depressed,
minimum energy, or lofted with the apogee that gives the stated time).
"""

from __future__ import annotations

import re

from reachmap.claims import resolve
from reachmap.claims.gazetteer import Mention
from reachmap.claims.model import Claim, Document, cite, claim, km, minutes
from reachmap.claims.quantities import Quantity, tolerance_si
from reachmap.claims.text import Sentence
from reachmap.claims.verdicts import CONSISTENT, IMPRECISE, INCONSISTENT, NOT_CHECKABLE
from reachmap.data.catalog import System
from reachmap.flight.boost import boost_for
from reachmap.flight.fit import fastest_s, lofted_apogee_m
from reachmap.flight.report import flight_rows
from reachmap.numeric import finite_or_none

KIND = "flight_time"
#: The model is a spherical, non-rotating Earth in vacuum: Earth's rotation changes a
#: 5,500 km range by about ±5 % at 54° N (DESIGN.md), and boost figures are class
#: defaults; times within 5 % of a bound are imprecise, not impossible.
MODEL_MARGIN = 0.05

_TIME_CONTEXT = re.compile(
    r"\b(?:flight|fly|flies|flew|reach|reaching|hit|hitting|strike|striking|arrive|get\s+to|"
    r"travel|journey|took|take|takes|warning)\b",
    re.IGNORECASE,
)


def _target(
    doc: Document, sentence: Sentence, q: Quantity, origin: Mention | None
) -> Mention | None:
    places = [
        m
        for m in doc.mentions_in(sentence)
        if m.kind in resolve.PLACE_KINDS and m != origin and not m.adjective
    ]
    if not places:
        return None
    return min(places, key=lambda m: min(abs(m.start - q.end), abs(q.start - m.end)))


_TO_TARGET = re.compile(r"\b(?:reach|hit|strike|against|to)\s+(?:the\s+)?(?=[A-Z])")


def _unknown_target(doc: Document, sentence: Sentence) -> tuple[str, list[str]] | None:
    for m in _TO_TARGET.finditer(sentence.text):
        at = sentence.start + m.end()
        found = resolve.unknown_name(doc, at, at + 30)
        if found is not None:
            return found
    return None


def _distance_m(launch: resolve.Launch, target: Mention) -> float:
    if target.lon_deg is not None and target.lat_deg is not None:
        return float(launch.area.distance_m(target.lon_deg, target.lat_deg))
    xy = resolve._vertices(target.key)
    return float(launch.area.distance_m(xy[:, 0], xy[:, 1]).min())


def _ballistic(
    range_m: float, system: System | None, lo: float, hi: float
) -> tuple[str, str, dict[str, object]]:
    fast, detail = fastest_s(range_m, system)
    rows = {
        r.profile: r for r in flight_rows(range_m, system, ["all"] if system else ["min-energy"])
    }

    def time_s(profile: str) -> float | None:  # None where the profile has no valid flight
        row = rows.get(profile)
        return finite_or_none(row.time_s) if row is not None else None

    me = time_s("min-energy")
    slow = time_s("lofted") if system else None
    computed: dict[str, object] = {
        "range_m": range_m, "fastest_s": fast, "min_energy_s": me, "lofted_s": slow,
        "depressed_s": time_s("depressed"), **detail,
    }  # fmt: skip
    bounds = (
        f"fastest possible {minutes(fast)}, min-energy {minutes(me)}"
        if me
        else (f"fastest possible {minutes(fast)}")
    )
    if slow:
        bounds += (
            f", most lofted at the system's energy {minutes(slow)} (the steepest arc at full "
            "energy: an extreme bound, not a normal flight)"
        )
    if hi < fast * (1 - MODEL_MARGIN):
        return INCONSISTENT, f"is faster than physically possible ({bounds})", computed
    if hi < fast:
        return IMPRECISE, f"is just faster than the model's fastest flight ({bounds})", computed
    if slow is not None and lo > slow * (1 + MODEL_MARGIN):
        return (
            INCONSISTENT,
            f"is slower than any flight at the system's energy ({bounds})",
            computed,
        )
    if slow is not None and lo > slow:
        return IMPRECISE, f"is just slower than the most lofted flight ({bounds})", computed
    if me is not None and lo <= me <= hi:
        fit = "a minimum-energy flight"
    elif me is not None and hi < me:
        fit = "a depressed flight"
    elif system is not None and me is not None:
        apogee = lofted_apogee_m(range_m, system, 0.5 * (lo + min(hi, slow or hi)))
        computed["lofted_apogee_m"] = apogee
        fit = "a lofted flight" + (f" (apogee about {km(apogee)})" if apogee else "")
    else:
        fit = "a flight slower than minimum energy (lofted)"
    return CONSISTENT, f"fits {fit} ({bounds})", computed


def _constant_speed(
    range_m: float, system: System, lo: float, hi: float
) -> tuple[str, str, dict[str, object]]:
    if system.speed_mps is None:
        return NOT_CHECKABLE, f"cannot be timed: the catalog gives no speed for {system.name}", {}
    boost = boost_for(system) if system.propulsion == "glide" else None
    burn = boost.burn_time_s if boost else 0.0
    cruise = range_m - (boost.burnout_downrange_m if boost else 0.0)
    fast = burn + cruise / system.speed_mps.high
    slow = burn + cruise / system.speed_mps.low
    computed: dict[str, object] = {"range_m": range_m, "fastest_s": fast, "slowest_s": slow}
    speeds = (
        f"{minutes(fast)} at the fastest catalog speed"
        if fast == slow
        else f"{minutes(fast)} to {minutes(slow)} at the catalog speeds"
    )
    if hi < fast * (1 - MODEL_MARGIN):
        return INCONSISTENT, f"is faster than possible: {speeds}", computed
    if hi < fast:
        return IMPRECISE, f"is just faster than the catalog speed allows: {speeds}", computed
    # Catalog speeds of cruise missiles are upper bounds ("up to") and routes are not
    # straight, so a longer time is always possible.
    return CONSISTENT, f"is not faster than the catalog speed allows: {speeds}", computed


def find(doc: Document) -> list[Claim]:
    out: list[Claim] = []
    for sentence in doc.sentences:
        for q in doc.quantities_in(sentence):
            if q.dimension != "time" or not _TIME_CONTEXT.search(sentence.text):
                continue
            out.append(_check(doc, sentence, q))
    return out


def _check(doc: Document, sentence: Sentence, q: Quantity) -> Claim:
    origin = resolve.from_in(doc, sentence)
    launch = resolve.launch_area(doc, sentence)
    target = _target(doc, sentence, q, origin)
    system, how_system = resolve.system_for(doc, sentence)
    if target is None and (unknown := _unknown_target(doc, sentence)):
        close = unknown[1]
        hint = f" Closest names: {', '.join(close)}." if close else ""
        return claim(sentence, KIND, NOT_CHECKABLE,
                     f"A flight time to '{unknown[0]}', which is not a place reachmap knows."
                     + hint, focus=(q.start, q.end), uses=(q,),
                     computed={"unknown_place": unknown[0], "closest_names": close})  # fmt: skip
    if launch is None or target is None:
        missing = "no launch area (give --from)" if launch is None else "no target place"
        return claim(sentence, KIND, NOT_CHECKABLE, f"A flight time, but {missing} is named.",
                     focus=(q.start, q.end), uses=(q,))  # fmt: skip
    d = _distance_m(launch, target)
    lo, hi = tolerance_si(q)
    if d <= 0.0:
        return claim(sentence, KIND, NOT_CHECKABLE,
                     f"{resolve.label(target)} lies inside the launch area {launch.label}.",
                     focus=(q.start, q.end), uses=(q,))  # fmt: skip
    if system is not None and system.propulsion in ("cruise", "glide"):
        verdict, text, computed = _constant_speed(d, system, lo, hi)
    else:
        verdict, text, computed = _ballistic(d, system, lo, hi)
    computed |= {"stated_s": [lo, hi], "launch_area": launch.label, "target": resolve.label(target)}
    what = system.name if system is not None else "a ballistic missile (no system named)"
    explanation = (
        f"{launch.label} to {resolve.label(target)}: {km(d)}; '{q.text}' for {what} {text}."
    )
    assumptions = [
        f"launch area {launch.label}, {launch.how}; distance to the nearest point of it",
        "spherical non-rotating Earth, vacuum (docs/flight.md); fastest: shortest boost + "
        "depressed arc at the system's burnout speed with apogee >= 100 km",
    ]
    if system is not None:
        assumptions.append(f"system {how_system}")
    sources = cite(system.range_m.sources) if system else []
    return claim(sentence, KIND, verdict, explanation, focus=(q.start, q.end), uses=(q,),
                 computed=computed, assumptions=assumptions, sources=sources)  # fmt: skip
