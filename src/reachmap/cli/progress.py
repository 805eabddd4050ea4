"""Progress on stderr for the steps that take a while, shown only on a terminal.

Nothing is drawn when stderr is a pipe or a file, so JSON, CSV and GeoJSON on stdout and
logs of scripted runs stay clean; the display is transient (erased when the step ends).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape

if TYPE_CHECKING:
    from rich.progress import Progress

    from reachmap.report.build import Steps

__all__ = ["steps_progress", "working"]


def _enabled() -> bool:
    isatty = getattr(sys.stderr, "isatty", None)
    return bool(isatty and isatty())


def _bar(console: Console) -> Progress:
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )


@contextmanager
def working(label: str) -> Iterator[None]:
    """A spinner with ``label`` and the elapsed time on stderr while the block runs."""
    if not _enabled():
        yield
        return
    with _bar(Console(file=sys.stderr)) as bar:
        bar.add_task(escape(label), total=None)
        yield


@contextmanager
def steps_progress() -> Iterator[Steps]:
    """A :class:`reachmap.report.build.Steps` drawing a progress line per step on stderr
    (only when it is a terminal), and each step over a second's time when it ends."""
    from reachmap.report.build import Steps

    if not _enabled():
        yield Steps()
        return
    console = Console(file=sys.stderr)
    with _bar(console) as bar:
        task: list[object] = []

        def start(label: str) -> None:
            task.append(bar.add_task(escape(label), total=None))

        def end(label: str, seconds: float) -> None:
            bar.remove_task(task.pop())  # type: ignore[arg-type]
            if seconds >= 1.0:
                console.print(f"[dim]  {escape(label)}: {seconds:.1f} s[/dim]")

        yield Steps(start, end)
