"""Every computation under a deadline.

Skeleton: computations run in a thread pool and the request waits at most
``Settings.deadline_s`` before it is answered 503 (the error shape).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

from reachmap.web.errors import ApiError
from reachmap.web.settings import Settings

__all__ = ["Compute"]


class Compute:
    """Run job functions (:mod:`reachmap.web.jobs`) with a deadline."""

    def __init__(self, settings: Settings) -> None:
        self.deadline_s = settings.deadline_s
        self._pool = ThreadPoolExecutor(max_workers=max(1, settings.compute_workers))

    async def run(self, fn: Callable[..., bytes], /, **kwargs: Any) -> bytes:
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self._pool, partial(fn, **kwargs))
        try:
            return await asyncio.wait_for(future, self.deadline_s)
        except TimeoutError:
            raise ApiError(
                503,
                "deadline_exceeded",
                f"the computation took longer than {self.deadline_s:g} s; ask for less "
                "(a larger range or tolerance, fewer places) or try again later",
            ) from None

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
