"""On-disk cache of parsed bundled data (country outlines, GeoNames places).

Parsing the bundled sources takes seconds (a 10 MB shapefile, 61 MB of JSON);
the parsed arrays are kept as one uncompressed ``.npz`` per data set in the
user cache directory (``platformdirs.user_cache_dir("reachmap")``, or the
directory named by the ``REACHMAP_CACHE_DIR`` environment variable). A file
name carries a key that hashes everything the content depends on (the format
version of the writer, the package versions, the source file's size and
modification time), so a stale file is never read: it is replaced.

Writes are atomic (:func:`reachmap.io.files.atomic_write`). If the directory
cannot be written the callers just keep their in-memory result: the cache is an
optimisation, never a requirement.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import zipfile
from collections.abc import Callable, Iterable, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import platformdirs

from reachmap.io.files import atomic_write

#: Environment variable that overrides the cache directory.
CACHE_DIR_ENV = "REACHMAP_CACHE_DIR"

_SEPARATOR = "\0"


def cache_dir() -> Path:
    """The directory holding cached data (it may not exist yet).

    >>> import os
    >>> os.environ["REACHMAP_CACHE_DIR"] = "/tmp/rm-cache"
    >>> str(cache_dir())
    '/tmp/rm-cache'
    >>> del os.environ["REACHMAP_CACHE_DIR"]
    """
    override = os.environ.get(CACHE_DIR_ENV)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_cache_dir("reachmap"))


@functools.cache
def package_version(name: str) -> str:
    """Installed version of distribution ``name``, or ``'unknown'``."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "unknown"


def file_stamp(path: str | Path) -> str:
    """``name:size:mtime_ns`` of a source file, so a replaced file changes the key."""
    stat = os.stat(path)
    return f"{Path(path).name}:{stat.st_size}:{stat.st_mtime_ns}"


def cache_key(*parts: object) -> str:
    """A short hex digest of everything a cached file depends on.

    >>> len(cache_key("countries", 1, "5.1.1"))
    16
    """
    text = "\n".join(str(p) for p in (*parts, package_version("reachmap")))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def notice(message: str) -> None:
    """Tell an interactive user about slow one-off work (silent when stderr is not a
    terminal, so pipelines and tests see only results and errors)."""
    import sys

    if sys.stderr.isatty():
        print(f"reachmap: {message}", file=sys.stderr, flush=True)


def cached_arrays(
    name: str, key: str, build: Callable[[], dict[str, np.ndarray]], what: str
) -> dict[str, np.ndarray]:
    """The arrays cached under ``name``/``key``, built (and saved) on a miss.

    ``what`` describes the one-off work for the first-run notice.
    """
    arrays = load_arrays(name, key)
    if arrays is None:
        notice(f"first run: {what} (once)")
        arrays = build()
        save_arrays(name, key, arrays)
    return arrays


def _path(name: str, key: str) -> Path:
    return cache_dir() / f"{name}-{key}.npz"


def load_arrays(name: str, key: str) -> dict[str, np.ndarray] | None:
    """All arrays of cached data set ``name`` with ``key``, or None if absent or unreadable."""
    path = _path(name, key)
    try:
        with np.load(path, allow_pickle=False) as npz:
            return {k: npz[k] for k in npz.files}
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        return None


def save_arrays(name: str, key: str, arrays: Mapping[str, np.ndarray]) -> Path | None:
    """Write ``arrays`` atomically as data set ``name``; return the path, or None on failure.

    Older files of the same data set (other keys) are removed.
    """
    directory = cache_dir()
    path = _path(name, key)

    def fill(tmp: Path) -> None:
        with tmp.open("wb") as fh:  # a file object: np.savez adds no ".npz" suffix
            np.savez(fh, **arrays)  # type: ignore[arg-type]

    try:
        directory.mkdir(parents=True, exist_ok=True)
        atomic_write(path, fill)
    except OSError:
        return None
    for old in directory.glob(f"{name}-*.npz"):
        if old != path:
            with contextlib.suppress(OSError):
                old.unlink()
    return path


def pack_strings(strings: Iterable[str]) -> np.ndarray:
    """Encode strings as one UTF-8 byte array (compact, and loadable without pickle).

    >>> unpack_strings(pack_strings(["Minsk", "", "Hrodna"]))
    ['Minsk', '', 'Hrodna']
    """
    blob = "".join(s + _SEPARATOR for s in strings).encode("utf-8")
    return np.frombuffer(blob, dtype=np.uint8)


def unpack_strings(packed: np.ndarray) -> list[str]:
    """Inverse of :func:`pack_strings`."""
    return packed.tobytes().decode("utf-8").split(_SEPARATOR)[:-1]


def pack_json(obj: Any) -> np.ndarray:
    """Encode a JSON-serialisable object as a byte array for an ``.npz``."""
    return np.frombuffer(json.dumps(obj, ensure_ascii=False).encode("utf-8"), dtype=np.uint8)


def unpack_json(packed: np.ndarray) -> Any:
    """Inverse of :func:`pack_json`."""
    return json.loads(packed.tobytes().decode("utf-8"))
