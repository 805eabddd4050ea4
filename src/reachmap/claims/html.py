"""The checked text as one HTML page: every claim highlighted by its verdict.

All input text is escaped; the page has no scripts and loads nothing. Each claim's
words (its ``focus``) are marked with the verdict's colour and a tooltip holding
the explanation, numbered, and listed with the full explanation under the text.
Overlapping marks merge and show the most serious verdict.
"""

from __future__ import annotations

from html import escape

from reachmap.claims.checker import CheckResult
from reachmap.claims.model import SEVERITY, VERDICTS, Claim

_STYLE = """
body { font: 16px/1.6 Georgia, serif; max-width: 46em; margin: 2em auto; padding: 0 1em; }
.text { white-space: pre-wrap; }
mark { padding: 0 .15em; border-radius: .2em; }
mark.consistent { background: #c8ecc8; }
mark.inconsistent { background: #f6b8b8; }
mark.imprecise { background: #fbe3a6; }
mark.not_checkable { background: #e4e4e4; }
sup { font: 11px sans-serif; color: #555; }
table { border-collapse: collapse; font: 14px/1.4 sans-serif; margin-top: 2em; }
td, th { border-top: 1px solid #ccc; padding: .3em .5em; vertical-align: top; text-align: left; }
.legend span { margin-right: 1em; }
"""


def _marks(claims: list[Claim]) -> list[tuple[int, int, str, list[int]]]:
    """Merged (start, end, verdict, claim numbers) spans, in text order."""
    spans = sorted((c.focus or (c.start, c.end), c.verdict, i + 1) for i, c in enumerate(claims))
    merged: list[tuple[int, int, str, list[int]]] = []
    for (start, end), verdict, number in spans:
        if merged and start < merged[-1][1]:
            s0, e0, v0, nums = merged[-1]
            worst = v0 if SEVERITY[v0] >= SEVERITY[verdict] else verdict
            merged[-1] = (s0, max(e0, end), worst, [*nums, number])
        else:
            merged.append((start, end, verdict, [number]))
    return merged


def render(source: str, result: CheckResult, *, title: str = "reachmap check") -> str:
    """The page for ``source`` checked into ``result``."""
    claims = result.claims
    parts: list[str] = []
    at = 0
    for start, end, verdict, numbers in _marks(claims):
        parts.append(escape(source[at:start]))
        tip = " | ".join(f"[{n}] {claims[n - 1].explanation}" for n in numbers)
        refs = ",".join(str(n) for n in numbers)
        parts.append(
            f'<mark class="{verdict}" title="{escape(tip)}">{escape(source[start:end])}</mark>'
            f'<sup><a href="#c{numbers[0]}">{refs}</a></sup>'
        )
        at = end
    parts.append(escape(source[at:]))
    summary = result.summary()
    legend = " ".join(
        f'<span><mark class="{v}">{v.replace("_", " ")}</mark> {summary[v]}</span>'
        for v in VERDICTS
    )
    rows = "\n".join(
        f'<tr id="c{i}"><td>{i}</td><td>{escape(c.kind)}</td>'
        f'<td><mark class="{c.verdict}">{escape(c.verdict.replace("_", " "))}</mark></td>'
        f"<td>{escape(c.explanation)}</td></tr>"
        for i, c in enumerate(claims, 1)
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>\n"
        f'<h1>{escape(title)}</h1>\n<p class="legend">{legend}</p>\n'
        f'<div class="text">{"".join(parts)}</div>\n'
        "<table><tr><th>#</th><th>kind</th><th>verdict</th><th>explanation</th></tr>\n"
        f"{rows}\n</table>\n"
        "<p><small>reachmap describes geography and textbook flight physics of publicly "
        "reported systems; it does not model effects or defences, and it never ranks or "
        "recommends targets.</small></p>\n</body></html>\n"
    )
