"""The quantity grammar: numbers with units, ranges, hedges and rounding intervals.

reachmap's own small grammar rather than a general extractor such as ``quantulum3``:
a verdict needs what such libraries do not report — how precisely a figure is
written (``3,400`` may be rounded to the hundred), the hedge in front of it
("about", "less than", "up to"), ranges ("between 500 and 5,500 km",
"500-5,500 km") and adjectival forms ("a 1,084-kilometer border") — and it must be
deterministic and fast without a statistical disambiguation model. The grammar
covers lengths (km, mi, nmi, m), times (s, min, h), speeds (km/h, mph, m/s, knots,
Mach) and percentages; every other number is kept as a bare quantity (a year, a
date, a count) so that nothing numeric is dropped silently.

**Rounding interval.** A figure stands for every value that rounds to it. Trailing
zeros of a whole number may be rounded, down to two significant figures: ``3,400``
is ``3,350-3,450``, ``5,500`` is ``5,450-5,550``, ``1,000`` is ``950-1,050`` and
``500`` is ``495-505``; ``673`` is ``672.5-673.5``; decimals are significant to their
last digit (``5.50`` is ``5.495-5.505``). Two figures are the most a figure with
trailing zeros is taken to promise: "800 miles" may be 795-805 mi but is not read
as "somewhere between 750 and 850".

>>> q = parse("a range of 5,500 km (3,400 mi)")
>>> [(x.value, x.unit, x.interval_si()) for x in q]
[(5500.0, 'km', (5450000.0, 5550000.0)), (3400.0, 'mi', (5391302.4, 5552236.8))]
>>> [(x.low.value, x.high.value, x.unit) for x in parse("between 500 and 5,500 kilometres")]
[(500.0, 5500.0, 'km')]
>>> [(x.hedge, x.value, x.unit) for x in parse("less than 50 km from Belarus")]
[('at_most', 50.0, 'km')]
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

#: unit word (lower case) -> (canonical unit, dimension, SI factor). The mile and the
#: nautical mile are exact by definition (international yard and pound agreement, 1959;
#: International Hydrographic Conference, 1929).
UNITS: dict[str, tuple[str, str, float]] = {}
for _words, _canon, _dim, _factor in (
    ("km kms kilometre kilometres kilometer kilometers", "km", "length", 1000.0),
    ("nautical-mile nautical-miles nmi", "nmi", "length", 1852.0),
    ("mi mile miles", "mi", "length", 1609.344),
    ("metre metres meter meters", "m", "length", 1.0),
    ("sec secs second seconds", "s", "time", 1.0),
    ("min mins minute minutes", "min", "time", 60.0),
    ("h hr hrs hour hours", "h", "time", 3600.0),
    ("km/h kmh kph km/hr kilometres-per-hour kilometers-per-hour", "km/h", "speed", 1 / 3.6),
    ("mph miles-per-hour", "mph", "speed", 0.44704),
    ("m/s metres-per-second meters-per-second", "m/s", "speed", 1.0),
    ("knot knots kn kt", "kn", "speed", 1852.0 / 3600.0),
    ("% percent per-cent", "%", "percent", 0.01),
):
    for _w in _words.split():
        UNITS[_w] = (_canon, _dim, _factor)

#: ISA speed of sound at sea level and in the 11-20 km layer (m/s): "Mach N" spans both.
MACH_MPS = (295.07, 340.29)

_SMALL = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen twenty"
).split()
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}  # fmt: skip
WORD_NUMBERS: dict[str, float] = {w: float(i) for i, w in enumerate(_SMALL)}
WORD_NUMBERS |= {w: float(v) for w, v in _TENS.items()}
WORD_NUMBERS |= {"a": 1.0, "an": 1.0, "half an": 0.5, "half a": 0.5, "a hundred": 100.0,
                 "a thousand": 1000.0, "a dozen": 12.0}  # fmt: skip

#: hedge phrase -> kind. "approx": within about 10 %; "at_most"/"at_least": a bound;
#: "nearly": a little below; "over": a little above.
HEDGES: dict[str, str] = {}
for _kind, _phrases in (
    (
        "approx",
        "about|around|some|roughly|approximately|approx.|circa|ca.|c.|~|≈|an estimated|"
        "estimated|close to|nearly as much as|on the order of|or so",
    ),
    (
        "at_most",
        "less than|fewer than|under|below|up to|at most|no more than|not more than|"
        "within|a maximum of|maximum of|as little as|not exceeding",
    ),
    (
        "at_least",
        "more than|over|above|at least|no less than|not less than|beyond|"
        "in excess of|upwards of|as much as|exceeding",
    ),
    (
        "nearly",
        "nearly|almost|just under|just below|slightly less than|a little under|a little less than",
    ),
    ("over", "just over|just above|slightly more than|a little over|a little more than"),
):
    for _p in _phrases.split("|"):
        HEDGES[_p] = _kind

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
#: A figure longer than this is no claim (and past ~308 digits not even a float): skipped.
MAX_FIGURE_CHARS = 40
_WORDS = "|".join(
    sorted(
        [
            rf"(?:{'|'.join(_TENS)})-(?:{'|'.join(_SMALL[1:10])})",
            *(w.replace(" ", r"\s+") for w in WORD_NUMBERS),
        ],
        key=len,
        reverse=True,
    )
)
_VALUE = rf"(?:{_NUM}|\b(?:{_WORDS}))"
_UNIT_RE = "|".join(
    sorted((re.escape(u).replace("\\-", r"[\s-]") for u in UNITS), key=len, reverse=True)
)
_HEDGE_RE = "|".join(sorted((re.escape(h) for h in HEDGES), key=len, reverse=True))
_QUANTITY = re.compile(
    rf"""
    (?:(?<![\w.])(?P<hedge>{_HEDGE_RE})\s*)?
    (?:(?P<pre>between|from)\s+)?
    (?:(?P<mach>[Mm]ach)\s*)?
    (?P<n1>{_VALUE})
    (?:\s*(?P<unit1>{_UNIT_RE})(?![\w/]))?
    (?:\s*(?P<conn>-|–|—|to|and|or)\s*(?:[Mm]ach\s*)?(?P<n2>{_VALUE}))?
    (?:(?:\s*|\s*-\s*|-)(?P<unit>{_UNIT_RE})(?![\w/]))?
    """,
    re.VERBOSE | re.IGNORECASE,
)
_YEAR = re.compile(r"^(1[89]\d\d|20\d\d)$")
_MONTHS = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
).split()
_MONTH_NEAR = re.compile(rf"\b(?:{'|'.join(_MONTHS)})\b\.?", re.IGNORECASE)


@dataclass(frozen=True)
class Number:
    """One written number: its value, rounding unit and where it is."""

    value: float
    step: float  # the rounding unit: 100 for "3,400", 1 for "673", 0.1 for "5.5"
    start: int
    end: int
    spelled: bool = False

    @property
    def interval(self) -> tuple[float, float]:
        return self.value - self.step / 2, self.value + self.step / 2


@dataclass(frozen=True)
class Quantity:
    """A number or a range of two, with a unit, a hedge and its span in the text.

    ``dimension`` is length, time, speed, percent, or for bare numbers year, date or
    count. ``low``/``high`` are the same :class:`Number` unless a range was written.
    """

    low: Number
    high: Number
    unit: str
    dimension: str
    factor: float  # SI units per unit
    hedge: str | None
    start: int
    end: int
    text: str
    is_range: bool = False

    @property
    def value(self) -> float:
        return self.low.value

    @property
    def si(self) -> float:
        """The written value in SI units (metres, seconds, m/s); the low end of a range."""
        return self.low.value * self.factor

    def interval_si(self, which: str = "low") -> tuple[float, float]:
        """Rounding interval of the low (or ``"high"``) figure in SI units (Mach: ISA span)."""
        lo, hi = (self.low if which == "low" else self.high).interval
        if self.unit == "Mach":
            return lo * MACH_MPS[0], hi * MACH_MPS[1]
        return lo * self.factor, hi * self.factor


def _number(text: str, start: int) -> Number:
    raw = text.strip()
    word = raw.lower()
    word = " ".join(word.split())
    if word in WORD_NUMBERS or not raw[0].isdigit():
        if "-" in word:
            tens, unit = word.split("-", 1)
            value = _TENS[tens] + WORD_NUMBERS[unit]
        else:
            value = WORD_NUMBERS[word]
        step = 1.0 if value >= 1 else 0.5
        return Number(value, step, start, start + len(raw), spelled=True)
    digits = raw.replace(",", "")
    if "." in digits:
        decimals = len(digits.split(".")[1])
        step = 10.0**-decimals
    else:
        trailing = len(digits) - len(digits.rstrip("0"))
        step = 10.0 ** min(trailing, max(len(digits) - 2, 0)) if digits.strip("0") else 1.0
    return Number(float(digits), step, start, start + len(raw))


def _bare_dimension(text: str, m: re.Match[str], n: Number) -> str:
    if _YEAR.match(m.group("n1")):
        return "year"
    near = text[max(0, m.start() - 12) : m.end() + 12]
    if _MONTH_NEAR.search(near):
        return "date"
    return "count"


def _word_boundary_ok(text: str, m: re.Match[str]) -> bool:
    """Digits glued to letters ("9M729", "RS-26", "SS-20s") are names, not numbers."""
    start = m.start("n1")
    if start > 0 and (text[start - 1].isalnum() or text[start - 1] in "-/"):
        if not (m.group("mach") or m.group("hedge") or m.group("pre")):
            return False
    end = m.end()
    return not (end < len(text) and (text[end].isalnum() and not m.group("unit")))


def parse(text: str, offset: int = 0) -> list[Quantity]:
    """Every quantity of ``text`` in order; offsets shifted by ``offset``.

    Spelled numbers count only with a unit ("two minutes", "an hour"); a range
    needs a unit, or "between"/"from" in front ("between 500 and 5,500 km").

    >>> [(q.text, q.dimension) for q in parse("In 2024 it flew two minutes; 5 of them.")]
    [('2024', 'year'), ('two minutes', 'time'), ('5', 'count')]
    >>> [(q.low.value, q.high.value) for q in parse("a 500-5,500 km band")]
    [(500.0, 5500.0)]
    >>> parse("Mach 10 (7,673 mph)")[0].unit
    'Mach'
    """
    out: list[Quantity] = []
    for m in _QUANTITY.finditer(text):
        if not m.group("n1") or not _word_boundary_ok(text, m):
            continue
        if max(len(m.group("n1")), len(m.group("n2") or "")) > MAX_FIGURE_CHARS:
            continue
        q = _quantity(text, m, offset)
        if q is not None:
            out.append(q)
    return out


def _quantity(text: str, m: re.Match[str], offset: int) -> Quantity | None:
    n1 = _number(m.group("n1"), offset + m.start("n1"))
    unit_word = (m.group("unit") or m.group("unit1") or "").lower()
    unit_word = re.sub(r"[\s-]+", "-", unit_word)
    n2 = _number(m.group("n2"), offset + m.start("n2")) if m.group("n2") else None
    conn = (m.group("conn") or "").lower()
    if n2 is not None and conn in ("and", "or") and not m.group("pre"):
        n2 = None  # "5 and 6" is two figures, not a range
    if m.group("unit1") and n2 is not None and not m.group("unit"):
        n2 = None  # "5 km to 6" is not a range
    end = (
        m.end()
        if (n2 is not None or m.group("unit"))
        else m.end("unit1")
        if m.group("unit1")
        else m.end("n1")
    )
    if n2 is None and m.group("n2") and not m.group("unit1"):
        end = m.end("n1")
        unit_word = ""
    mach = bool(m.group("mach"))
    if (n1.spelled or (n2 is not None and n2.spelled)) and not (unit_word or mach):
        return None
    if unit_word == "" and not mach and m.group("n1") and not m.group("n1")[0].isdigit():
        return None
    hedge = HEDGES.get((m.group("hedge") or "").lower())
    start = (
        m.start("hedge")
        if m.group("hedge")
        else (
            m.start("pre")
            if m.group("pre") and n2 is not None
            else m.start("mach")
            if mach
            else m.start("n1")
        )
    )
    if mach:
        canon, dim, factor = "Mach", "speed", math.nan
    elif unit_word in UNITS:
        canon, dim, factor = UNITS[unit_word]
    else:
        if n1.spelled:
            return None
        canon, dim, factor = "", _bare_dimension(text, m, n1), 1.0
        end = m.end("n1")
        n2 = None
    high = n2 if n2 is not None else n1
    if n2 is not None and n2.value < n1.value:
        return None  # "15-3" is not a range
    return Quantity(
        n1, high, canon, dim, factor, hedge, offset + start, offset + end,
        text[start:end], n2 is not None,
    )  # fmt: skip


def tolerance_si(q: Quantity, which: str = "low") -> tuple[float, float]:
    """The values (SI) a figure with its hedge allows, before any model tolerance.

    No hedge: the rounding interval. "about": that or 10 % either side of the figure,
    whichever is wider (a reader would not call a figure 10 % off "about" right).
    "less than"/"up to": at most the figure; "more than": at least it; "nearly": up
    to 10 % below; "just over": up to 10 % above.

    >>> [round(v / 1e3) for v in tolerance_si(parse("about 1,700 km")[0])]
    [1530, 1870]
    """
    lo, hi = q.interval_si(which)
    value = (q.low if which == "low" else q.high).value
    if q.unit == "Mach":
        at_lo, at_hi = value * MACH_MPS[0], value * MACH_MPS[1]
    else:
        at_lo = at_hi = value * q.factor
    if q.hedge == "approx":
        return min(lo, 0.9 * at_lo), max(hi, 1.1 * at_hi)
    if q.hedge == "at_most":
        return 0.0, at_hi
    if q.hedge == "at_least":
        return at_lo, math.inf
    if q.hedge == "nearly":
        return min(lo, 0.9 * at_lo), hi
    if q.hedge == "over":
        return lo, max(hi, 1.1 * at_hi)
    return lo, hi
