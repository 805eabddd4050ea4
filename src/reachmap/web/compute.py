"""Every computation under a deadline, in worker processes that can be stopped.

A request's computation (a job of :mod:`reachmap.web.jobs`) runs in one of
``Settings.compute_workers`` worker processes, never in the server's own process: the
server keeps answering others while an envelope is traced. A request waits at most
``Settings.deadline_s`` in all, queueing for a free worker included (right after the
server starts, the wait for the first worker to load its data comes before that); past it the answer
is 503 (the error shape) and the worker still busy with it is killed and replaced, so a
heavy request costs its deadline and no more. (A thread could not be stopped: it would
go on using a core after its answer was sent.)

Workers are fresh interpreters (``python -c``, not ``fork``: nothing of the server's
threads or event loop is inherited, and unlike ``multiprocessing``'s spawn the server's
main script is not run again), load the data every request needs
(:func:`reachmap.web.jobs.warm`) and then answer jobs one at a time over a pipe. What
goes back is the answer's JSON bytes, an :class:`~reachmap.errors.InputError` (4xx), or
the text of a bug (500). A worker whose server process dies sees its socket close
and exits.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from reachmap.errors import InputError
from reachmap.web.errors import ApiError
from reachmap.web.settings import Settings

__all__ = ["Compute", "DeadlineExceeded"]

log = logging.getLogger("reachmap.web")

#: requests that may wait for a worker at once (each waits in a thread); more get 503
MAX_WAITING = 64
_STOP_LOCK = threading.Lock()

#: seconds a new worker may take to load its data before it counts as broken: about
#: 5 s on a quiet machine, but 120 s was measured at a load average of 20 on 2 cores
#: (then a 120 s limit restarted every worker before it was ready, and none ever was)
START_TIMEOUT_S = 600.0


class DeadlineExceeded(ApiError):
    def __init__(self, deadline_s: float) -> None:
        super().__init__(
            503,
            "deadline_exceeded",
            f"the computation did not finish within {deadline_s:g} s; ask for less (a "
            "larger tolerance, a smaller range, fewer places) or try again later",
        )


def worker_main(fd: int) -> None:
    """A worker: load the data, then answer ``(module, function, kwargs)`` jobs on the
    socket ``fd``."""
    import warnings

    conn = Connection(fd)

    import numpy as np

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the server to handle
    from reachmap.web import jobs

    jobs.warm()
    conn.send(("ready", None))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        module, name, kwargs = job
        try:
            fn = getattr(importlib.import_module(module), name)
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                reply: tuple[str, Any] = ("ok", fn(**kwargs))
        except InputError as err:
            reply = ("input", err)
        except Exception as err:  # a bug: its text goes to the server's log
            reply = ("bug", f"{type(err).__name__}: {err}\n{traceback.format_exc()}")
        try:
            conn.send(reply)
        except Exception as err:  # e.g. an error that cannot be pickled
            conn.send(("bug", f"cannot send the answer: {type(err).__name__}: {err}"))


class _Worker:
    """One worker process, and the server's end of its socket."""

    def __init__(self) -> None:
        mine, theirs = socket.socketpair()
        env = dict(os.environ)
        # the worker imports the same reachmap as the server, wherever it came from
        root = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = os.pathsep.join([root, *filter(None, [env.get("PYTHONPATH")])])
        code = f"from reachmap.web.compute import worker_main; worker_main({theirs.fileno()})"
        self.process = subprocess.Popen(
            [sys.executable, "-c", code], pass_fds=[theirs.fileno()], env=env, close_fds=True
        )
        theirs.close()
        self.conn = Connection(mine.detach())
        self.stopped = False

    def wait_ready(self) -> bool:
        try:
            return self.conn.poll(START_TIMEOUT_S) and self.conn.recv()[0] == "ready"
        except (EOFError, OSError):
            return False

    def stop(self, *, kill: bool = False) -> None:
        """Stop the process and close the socket (once, from whichever thread is first)."""
        with _STOP_LOCK:
            if self.stopped:
                return
            self.stopped = True
        if kill:
            self.process.kill()
        else:
            try:
                self.conn.send(None)
            except OSError:
                pass
        try:
            self.process.wait(5.0)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        with contextlib.suppress(OSError):
            self.conn.close()


class Compute:
    """A pool of worker processes that runs jobs with a deadline."""

    def __init__(self, settings: Settings) -> None:
        self.deadline_s = settings.deadline_s
        self.size = max(1, settings.compute_workers)
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._started = False
        self._generation = 0  # counts close(): a worker started before one is not used
        self._waiters = ThreadPoolExecutor(max_workers=MAX_WAITING, thread_name_prefix="wait")
        self._waiting = 0
        self._up = threading.Event()  # set once a worker has loaded its data

    def start(self) -> None:
        """Start the workers (in the background; also done by the first job)."""
        with self._lock:
            if self._started:
                return
            self._started = True
        for _ in range(self.size):
            self._spawn()

    def _spawn(self, attempt: int = 0) -> None:
        generation = self._generation

        def run() -> None:
            worker = _Worker()
            with self._lock:
                current = generation == self._generation
                if current:
                    self._all.add(worker)
            if not current:
                worker.stop(kill=True)
            elif worker.wait_ready():
                self._up.set()
                self._release(worker)
            elif generation != self._generation:  # the pool was closed while it started
                worker.stop(kill=True)
            else:
                log.error("a computation worker failed to start; starting another")
                self._drop(worker)
                time.sleep(min(30.0, 2.0**attempt))
                if generation == self._generation:
                    self._spawn(attempt + 1)

        threading.Thread(target=run, daemon=True, name="reachmap-web-spawn").start()

    def wait_ready(self, timeout_s: float = START_TIMEOUT_S) -> bool:
        """Start the workers and wait until every one has loaded its data."""
        self.start()
        end = time.monotonic() + timeout_s
        while self._idle.qsize() < self.size:
            if time.monotonic() > end:
                return False
            time.sleep(0.05)
        return True

    def _release(self, worker: _Worker) -> None:
        """Hand a free worker to the next job (unless the pool was closed meanwhile)."""
        with self._lock:
            if worker in self._all:
                self._idle.put(worker)
                return
        worker.stop(kill=True)

    def _drop(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        threading.Thread(target=worker.stop, kwargs={"kill": True}, daemon=True).start()

    async def run(self, fn: Callable[..., bytes], /, **kwargs: Any) -> bytes:
        """The JSON bytes ``fn(**kwargs)`` returns in a worker, within the deadline."""
        self.start()
        with self._lock:
            if self._waiting >= MAX_WAITING:
                raise DeadlineExceeded(self.deadline_s)
            self._waiting += 1
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(
                self._waiters, self._call, fn.__module__, fn.__name__, kwargs
            )
        finally:
            with self._lock:
                self._waiting -= 1

    def _call(self, module: str, name: str, kwargs: dict[str, Any]) -> bytes:
        # Right after the server starts, requests wait for the first worker to load its
        # data (seconds) before their deadline starts: the server answers at once.
        if not self._up.wait(START_TIMEOUT_S):
            raise DeadlineExceeded(self.deadline_s)
        deadline = time.monotonic() + self.deadline_s
        try:
            worker = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise DeadlineExceeded(self.deadline_s) from None
        try:
            worker.conn.send((module, name, kwargs))
            done = worker.conn.poll(max(0.0, deadline - time.monotonic()))
            reply: tuple[str, Any] = worker.conn.recv() if done else ("late", None)
            status, payload = reply
        except (EOFError, OSError):
            status, payload = "died", None
        if status in ("late", "died"):
            self._drop(worker)
            self._spawn()
            if status == "late":
                raise DeadlineExceeded(self.deadline_s)
            raise RuntimeError(f"the worker computing {name} stopped")
        self._release(worker)
        if status == "ok":
            return bytes(payload)
        if status == "input" and isinstance(payload, InputError):
            raise payload
        raise RuntimeError(f"{name} failed in a worker: {payload}")

    def close(self) -> None:
        """Stop every worker; a later job starts the pool again."""
        with self._lock:
            self._generation += 1
            self._started = False
            workers = list(self._all)
            self._all.clear()
            self._idle = queue.Queue()
            self._up = threading.Event()
            waiters, self._waiters = (
                self._waiters,
                ThreadPoolExecutor(max_workers=MAX_WAITING, thread_name_prefix="wait"),
            )
        for worker in workers:
            worker.stop(kill=True)
        waiters.shutdown(wait=False)
