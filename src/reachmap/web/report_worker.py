"""One report build, in a process of its own (started by :mod:`reachmap.web.reports`).

The job's folder holds ``scenario.toml`` (written by the server, validated there by
:func:`reachmap.report.scenario.parse`); this process builds the report from it exactly
as ``reachmap report scenario.toml`` does (:func:`reachmap.report.build.run` and
:func:`reachmap.report.write.write_report`), into ``report/``, and keeps
``status.json`` up to date: the step it is at, then ``done`` or ``failed`` with a
one-line error. The server kills it at the deadline.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
import traceback
from pathlib import Path
from typing import Any

__all__ = ["STATUS", "main", "now", "read_status", "write_status"]

STATUS = "status.json"
SCENARIO = "scenario.toml"
REPORT = "report"
COMMAND = "reachmap report scenario.toml"


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def read_status(job_dir: Path) -> dict[str, Any] | None:
    """The job's status, or None if it has none (yet, or any more)."""
    try:
        data = json.loads((job_dir / STATUS).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def write_status(job_dir: Path, **changes: Any) -> dict[str, Any]:
    """Merge ``changes`` into the job's status, written atomically (readers in other
    server processes never see half a file)."""
    from reachmap.io.files import atomic_write

    data = {**(read_status(job_dir) or {}), **changes}
    text = json.dumps(data, ensure_ascii=False)
    atomic_write(job_dir / STATUS, lambda p: p.write_text(text, "utf-8"))
    return data


def main(job_dir: str) -> None:
    """Build the report of ``job_dir/scenario.toml`` into ``job_dir/report``."""
    folder = Path(job_dir)
    done = 0

    def started(label: str) -> None:
        write_status(folder, step=label, steps_done=done)

    def ended(label: str, seconds: float) -> None:
        nonlocal done
        done += 1

    try:
        from reachmap.errors import InputError
        from reachmap.report import build, scenario, write

        try:
            sc = scenario.parse((folder / SCENARIO).read_text("utf-8"), SCENARIO)
            data = build.run(sc, build.Steps(started, ended))
            write.write_report(data, folder / REPORT, command=COMMAND)
        except InputError as err:
            write_status(folder, status="failed", error=str(err), finished_at=now())
            return
        write_status(
            folder,
            status="done",
            step=None,
            steps_done=done,
            finished_at=now(),
            cpu_s=round(time.process_time(), 1),
        )
    except Exception as err:  # a bug: the text goes to the build log, one line to the user
        traceback.print_exc()
        message = f"internal error building the report ({type(err).__name__}); this is a bug"
        write_status(folder, status="failed", error=message, finished_at=now())


if __name__ == "__main__":  # pragma: no cover - run as a script by the server
    os.environ.setdefault("MPLBACKEND", "Agg")
    main(sys.argv[1])
