"""Answers kept for the next identical request: an LRU of JSON bytes keyed on the
normalised request (the job and its validated parameters, in a canonical JSON form),
so a repeated ``/api/envelope`` is answered without a worker.

>>> cache = ResultCache(2)
>>> cache.put(("envelope", {"range": "5500"}), b"{}")
>>> cache.get(("envelope", {"range": "5500"}))
b'{}'
>>> cache.get(("envelope", {"range": "5000"})) is None
True
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from typing import Any

__all__ = ["ResultCache"]


def _key(request: tuple[str, dict[str, Any]]) -> bytes:
    name, params = request
    text = json.dumps([name, params], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=20).digest()


class ResultCache:
    """At most ``entries`` answers, the least recently used dropped first."""

    def __init__(self, entries: int) -> None:
        self.entries = entries
        self._data: OrderedDict[bytes, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, request: tuple[str, dict[str, Any]]) -> bytes | None:
        key = _key(request)
        with self._lock:
            value = self._data.get(key)
            if value is not None:
                self._data.move_to_end(key)
            return value

    def put(self, request: tuple[str, dict[str, Any]], value: bytes) -> None:
        if self.entries <= 0:
            return
        key = _key(request)
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.entries:
                self._data.popitem(last=False)
