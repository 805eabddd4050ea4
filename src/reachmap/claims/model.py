"""The objects every claim kind shares: a claim with its verdict, the parsed document
and the article's context (launch area, baseline, system).

A :class:`Claim` serialises to exactly the JSON shape of issue 11 (``text, start, end,
kind, verdict, explanation, computed, assumptions, sources``); ``focus`` (the words
the verdict is about, for the highlighted view) and ``uses`` (the quantities it
checked) stay internal.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from reachmap.claims.verdicts import CONSISTENT, IMPRECISE, INCONSISTENT, NOT_CHECKABLE, VERDICTS
from reachmap.units import display_unit, m_to

if TYPE_CHECKING:
    from collections.abc import Iterable

    from reachmap.claims.gazetteer import Mention
    from reachmap.claims.quantities import Quantity
    from reachmap.claims.text import Sentence
    from reachmap.data.catalog import Source

#: Order used when several verdicts mark the same words: the most serious shows.
SEVERITY = {INCONSISTENT: 3, IMPRECISE: 2, CONSISTENT: 1, NOT_CHECKABLE: 0}

KINDS = (
    "units",
    "distance",
    "borders",
    "reach",
    "flight_time",
    "range_class",
    "basing",
    "number",
)


@dataclass
class Claim:
    """One checked (or uncheckable) statement of the input."""

    text: str
    start: int
    end: int
    kind: str
    verdict: str
    explanation: str
    computed: dict[str, Any] = field(default_factory=dict)
    assumptions: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    focus: tuple[int, int] | None = None
    uses: tuple[Quantity, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "kind": self.kind,
            "verdict": self.verdict,
            "explanation": self.explanation,
            "computed": _plain(self.computed),
            "assumptions": list(self.assumptions),
            "sources": list(self.sources),
        }


def claim(
    sentence: Sentence,
    kind: str,
    verdict: str,
    explanation: str,
    *,
    focus: tuple[int, int] | None = None,
    uses: tuple[Quantity, ...] = (),
    computed: dict[str, Any] | None = None,
    assumptions: list[str] | None = None,
    sources: list[str] | None = None,
) -> Claim:
    """A claim about ``sentence`` (its text and offsets are the claim's)."""
    assert verdict in VERDICTS, verdict
    return Claim(
        sentence.text,
        sentence.start,
        sentence.end,
        kind,
        verdict,
        explanation,
        computed or {},
        assumptions or [],
        sources or [],
        focus,
        uses,
    )


@dataclass
class Context:
    """What a claim may take from outside its sentence.

    ``from_area``/``vs_area`` come from ``--from``/``--vs``; ``on`` is the date for
    group membership (NATO, EU), YYYY-MM-DD or None for today; ``units`` (km, mi, nmi:
    ``--units``) the unit measured lengths are explained in.
    """

    from_area: list[str] = field(default_factory=list)
    vs_area: list[str] = field(default_factory=list)
    on: str | None = None
    units: str = "km"


@dataclass
class Document:
    """The input with its sentences, quantities and gazetteer mentions (sorted by offset)."""

    text: str
    sentences: list[Sentence]
    quantities: list[Quantity]
    mentions: list[Mention]
    context: Context
    used: list[Quantity] = field(default_factory=list)  # quantities earlier kinds checked
    cache: dict[object, Any] = field(default_factory=dict)  # results shared between claims

    def quantities_in(self, s: Sentence) -> list[Quantity]:
        return [q for q in self.quantities if s.start <= q.start < s.end]

    def mentions_in(self, s: Sentence) -> list[Mention]:
        return [m for m in self.mentions if s.start <= m.start < s.end]

    def mentions_before(self, offset: int) -> list[Mention]:
        """Mentions that end before ``offset``, nearest last."""
        return [m for m in self.mentions if m.end <= offset]


def _plain(value: Any) -> Any:
    """JSON values: NaN/inf become None, tuples lists, numpy scalars floats."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


#: The unit of the explanation being written (``Context.units``), set for one check by
#: :func:`explained_in`; a context variable, so that concurrent checks (the web API's
#: threads) each keep their own.
_UNIT: ContextVar[str] = ContextVar("reachmap_claims_unit", default="km")


@contextmanager
def explained_in(unit: str) -> Iterator[None]:
    """Write the explanations made inside the block with lengths in ``unit``."""
    token = _UNIT.set(display_unit(unit))
    try:
        yield
    finally:
        _UNIT.reset(token)


def _figure(metres: float, unit: str) -> str:
    """'1,084 km', '3.2 km', '673.6 mi': one decimal below 10 units, none above."""
    value = m_to(metres, unit)
    return f"{value:,.1f} {unit}" if abs(value) < 10 else f"{value:,.0f} {unit}"


def km(metres: float) -> str:
    """A length reachmap measured or computed, for an explanation: '1,084 km', or under
    ``--units mi`` the chosen unit first and kilometres beside it (articles mostly write
    km): '674 mi (1,084 km)'.

    >>> km(1_084_000.0)
    '1,084 km'
    >>> with explained_in("nmi"):
    ...     km(3_200.0)
    '1.7 nmi (3.2 km)'
    """
    unit = _UNIT.get()
    text = _figure(metres, unit)
    return text if unit == "km" else f"{text} ({_figure(metres, 'km')})"


def published(metres: float) -> str:
    """A length published in kilometres (a catalog range, a treaty's band, an article's
    own figure), kilometres first and the chosen unit beside: '5,500 km (3,418 mi)'."""
    unit = _UNIT.get()
    text = _figure(metres, "km")
    return text if unit == "km" else f"{text} ({_figure(metres, unit)})"


def minutes(seconds: float) -> str:
    """A time for an explanation: '7.9 min'."""
    return f"{seconds / 60.0:,.1f} min"


def span(low_m: float, high_m: float) -> str:
    """A published low-high estimate: '5,000-5,500 km', one figure when they agree; under
    ``--units mi`` with the span in miles beside: '5,000-5,500 km (3,107-3,418 mi)'."""
    if low_m == high_m:
        return published(high_m)
    unit = _UNIT.get()

    def pair(u: str) -> str:
        return f"{_figure(low_m, u)[: -len(u) - 1]}-{_figure(high_m, u)}"

    return pair("km") if unit == "km" else f"{pair('km')} ({pair(unit)})"


def cite(sources: Iterable[Source]) -> list[str]:
    """'Publisher, 'Title' (date) URL' for each catalog source."""
    return [f"{s.publisher}, '{s.title}' ({s.date}) {s.url}" for s in sources]
