"""Progress of long computations: a callback the interfaces pass in, the library calls.

A :data:`Progress` is called as ``progress(step, done, total)``: ``done`` of ``total``
things called ``step`` ("countries", "envelopes", "contours") are finished; ``total`` 0
names a step that has no count ("nearest and farthest points"). The library only
counts; it never draws or prints. The command line draws a line on a terminal's
stderr from it (:mod:`reachmap.cli.progress`); everything else passes nothing.

>>> seen = []
>>> [x for x in counted(lambda *a: seen.append(a), "contours", "ab")]
['a', 'b']
>>> seen
[('contours', 0, 2), ('contours', 1, 2), ('contours', 2, 2)]
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

__all__ = ["Progress", "counted", "report"]

#: ``progress(step, done, total)``: ``done`` of ``total`` ``step`` are finished (``total``
#: 0: a step without a count has begun).
Progress = Callable[[str, int, int], None]

T = TypeVar("T")


def report(progress: Progress | None, step: str, done: int, total: int) -> None:
    """Tell ``progress`` (if any) that ``done`` of ``total`` ``step`` are finished."""
    if progress is not None:
        progress(step, done, total)


def counted(progress: Progress | None, step: str, items: Sequence[T]) -> Iterator[T]:
    """The ``items``, telling ``progress`` how many are finished before the first and
    after each one."""
    n = len(items)
    report(progress, step, 0, n)
    for k, item in enumerate(items):
        yield item
        report(progress, step, k + 1, n)
