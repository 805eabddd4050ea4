"""Benchmark: ``reachmap check`` on a 5,000-word text, warm (caches and kernels loaded).

The text is the sample article (bench/sample_article.txt) repeated to 5,000 words,
with each copy's figures and places varied so that caches of earlier copies do not
answer later ones. Baseline, in the same run: the parse pass alone (sentences,
quantities, gazetteer), the floor any checker pays before computing anything; the
ratio says what the verdicts cost on top. Runs once cold (reported, not judged),
then ``--repeat`` times warm, best of, with a competing busy process on one core
(``--busy 0`` to switch it off). Prints one JSON object.

    python bench/check.py [--words 5000] [--repeat 3] [--busy 1]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import platform
import time
from pathlib import Path

from reachmap.claims import check_text
from reachmap.claims.checker import parse_document

SAMPLE = Path(__file__).with_name("sample_article.txt")
#: Substitutions per copy: figures and places change, the sentence shapes stay.
VARIANTS = [
    {},
    {"Paris": "Madrid", "1,700 km": "2,300 km", "Rome": "Athens", "two minutes": "six minutes"},
    {"Paris": "Lisbon", "Washington": "Ottawa", "Vilnius": "Tallinn", "Riga": "Helsinki"},
    {"Paris": "Oslo", "Minsk": "Brest", "Rome": "Vienna", "Slovakia": "Hungary"},
    {"Paris": "Prague", "Washington": "Reykjavik", "less than 50 km": "some 250 km"},
    {"Paris": "Stockholm", "Rome": "Sofia", "1,084": "1,090", "673": "677"},
]


def _busy(stop: mp.Event) -> None:  # type: ignore[valid-type]
    x = 0
    while not stop.is_set():  # type: ignore[attr-defined]
        x = (x * 31 + 7) % 1_000_003


def article(words: int) -> str:
    base = SAMPLE.read_text(encoding="utf-8")
    parts: list[str] = []
    n = 0
    i = 0
    while n < words:
        text = base
        for old, new in VARIANTS[i % len(VARIANTS)].items():
            text = text.replace(old, new)
        parts.append(text)
        n += len(text.split())
        i += 1
    return "\n\n".join(parts)


def best_of(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--busy", type=int, default=1, help="competing busy processes")
    args = parser.parse_args()
    text = article(args.words)
    t = time.perf_counter()
    result = check_text(text)
    cold = time.perf_counter() - t
    stop = mp.Event()
    workers = [mp.Process(target=_busy, args=(stop,), daemon=True) for _ in range(args.busy)]
    for w in workers:
        w.start()
    try:
        warm = best_of(lambda: check_text(text), args.repeat)
        parse = best_of(lambda: parse_document(text), args.repeat)
    finally:
        stop.set()
        for w in workers:
            w.join()
    summary = result.summary()
    print(
        json.dumps(
            {
                "benchmark": "reachmap check, sample article repeated",
                "words": len(text.split()),
                "sentences": summary["sentences"],
                "claims": summary["claims"],
                "by_kind": summary["by_kind"],
                "by_verdict": {
                    k: summary[k]
                    for k in ("consistent", "inconsistent", "imprecise", "not_checkable")
                },
                "cold_s": round(cold, 2),
                "warm_s": round(warm, 3),
                "parse_only_s": round(parse, 3),
                "warm_over_parse": round(warm / parse, 1),
                "goal_warm_lt_5s": warm < 5.0,
                "busy_processes": args.busy,
                "python": platform.python_version(),
            },
            indent=2,
        )  # fmt: skip
    )


if __name__ == "__main__":
    main()
