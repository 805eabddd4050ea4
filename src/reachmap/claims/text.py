"""Reading the input and splitting it into sentences with character offsets.

Offsets are indices into the decoded text (Python ``str`` positions, i.e. Unicode
code points), so ``text[start:end]`` is the sentence. Splitting is rule-based:
a sentence ends at ``.``, ``!`` or ``?`` (with closing quotes or brackets) before
whitespace and a capital letter, digit or opening quote, unless the word before
the period is a known abbreviation or a single initial; a blank line always ends
a sentence (headlines, list items).

>>> [s.text for s in sentences("Minsk is 680 km from Moscow. It is in Belarus.")]
['Minsk is 680 km from Moscow.', 'It is in Belarus.']
>>> [s.text for s in sentences("The U.S. Army said so. Dr. Smith agreed.")]
['The U.S. Army said so.', 'Dr. Smith agreed.']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reachmap.errors import InputError

#: Words that end with a period without ending a sentence (compared case-insensitively).
ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof st jr sr gen lt col maj capt sgt adm cmdr gov sen rep pres
    vs etc e.g i.e approx ca cf fig no nos vol pp art para sec dept est inc ltd co corp
    jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.u mt ft""".split()
)

_END = re.compile(r"[.!?]+[\"'”’»)\]]*(?=\s+[\"'“‘«(\[]?[A-Z0-9À-ÞА-Я])|\n[ \t]*\n\s*")
_WORD_BEFORE = re.compile(r"([\w.]+)\.$")


@dataclass(frozen=True)
class Sentence:
    """One sentence: ``text`` is ``source[start:end]``."""

    start: int
    end: int
    text: str


def decode(data: bytes, *, name: str = "input") -> str:
    """The text of ``data`` (UTF-8, an optional BOM); bad input raises :class:`InputError`.

    >>> decode(b"Minsk")
    'Minsk'
    >>> decode(b"ok \\xff")
    Traceback (most recent call last):
    ...
    reachmap.errors.InputError: input is not UTF-8 text: invalid byte 0xff at byte offset 3; \
save it as UTF-8 and try again
    """
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(
            f"{name} looks binary (a NUL byte at byte offset {nul}); give a plain UTF-8 text file"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(
            f"{name} is not UTF-8 text: invalid byte 0x{data[err.start]:02x} at byte offset "
            f"{err.start}; save it as UTF-8 and try again"
        ) from None
    if not text.strip():
        raise InputError(f"{name} is empty; give a text with sentences to check")
    return text


def _is_abbreviation(text: str, period_at: int) -> bool:
    if text[period_at] != ".":
        return False
    match = _WORD_BEFORE.search(text, max(0, period_at - 20), period_at + 1)
    if match is None:
        return False
    word = match.group(1).lower()
    return word in ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def sentences(text: str) -> list[Sentence]:
    """The sentences of ``text`` in order, stripped of surrounding whitespace."""
    out: list[Sentence] = []
    start = 0
    for match in _END.finditer(text):
        if match.group().startswith(".") and _is_abbreviation(text, match.start()):
            continue
        end = match.end() if not match.group().startswith("\n") else match.start()
        _add(text, start, end, out)
        start = match.end()
    _add(text, start, len(text), out)
    return out


def _add(text: str, start: int, end: int, out: list[Sentence]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(start, end, text[start:end]))
