"""Progress on stderr for the steps that take a while, shown only on a terminal.

Nothing is drawn when stderr is a pipe or a file, so JSON, CSV and GeoJSON on stdout and
logs of scripted runs stay clean; the display is transient (erased when the step ends).
Where the library counts its work (:mod:`reachmap.progress`: countries, envelopes,
contours), the line shows the count and the share done ("Coverage ... countries
143/250 (57%) 9.8 s"); otherwise a spinner and the elapsed time. On a narrow terminal
the label is cut, never the count. Labels are plain text (no rich markup).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape

if TYPE_CHECKING:
    from rich.progress import Progress

    from reachmap.progress import Progress as Counter
    from reachmap.report.build import Steps

__all__ = ["count_text", "steps_progress", "working"]


def _enabled() -> bool:
    isatty = getattr(sys.stderr, "isatty", None)
    return bool(isatty and isatty())


def _bar(console: Console) -> Progress:
    from rich.progress import Progress, ProgressColumn, SpinnerColumn
    from rich.text import Text

    class Line(ProgressColumn):
        """The label, the count and the seconds ("... countries 143/250 (57%) 9.8 s"),
        the label cut with an ellipsis to fit the terminal, never the count."""

        def render(self, task: Any) -> Text:
            count = task.fields.get("count", "")
            tail = (
                f" {count} {task.elapsed or 0.0:.1f} s"
                if count
                else f" {task.elapsed or 0.0:.1f} s"
            )
            room = max(8, console.width - 3 - len(tail))  # the spinner and its space
            label = task.description
            if len(label) > room:
                label = label[: room - 1].rstrip() + "…"
            return Text(label + tail, no_wrap=True, overflow="crop")

    return Progress(SpinnerColumn(), Line(), console=console, transient=True)


def count_text(step: str, done: int, total: int) -> str:
    """What the progress line says of a count.

    >>> count_text("countries", 143, 250), count_text("places", 0, 0)
    ('countries 143/250 (57%)', 'places')
    """
    if total <= 0:
        return step
    return f"{step} {done:,}/{total:,} ({100 * done // total}%)"


@contextmanager
def working(label: str) -> Iterator[Counter | None]:
    """A spinner with ``label`` and the elapsed time on stderr while the block runs; the
    block gets a :data:`reachmap.progress.Progress` to pass to the library, which adds
    its counts to the line (None when stderr is not a terminal: nothing is drawn)."""
    if not _enabled():
        yield None
        return
    with _bar(Console(file=sys.stderr)) as bar:
        task = bar.add_task(label, total=None, count="")

        def progress(step: str, done: int, total: int) -> None:
            bar.update(task, count=count_text(step, done, total))

        yield progress


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
            task.append(bar.add_task(label, total=None, count=""))

        def end(label: str, seconds: float) -> None:
            bar.remove_task(task.pop())  # type: ignore[arg-type]
            if seconds >= 1.0:
                console.print(f"[dim]  {escape(label)}: {seconds:.1f} s[/dim]")

        yield Steps(start, end)
