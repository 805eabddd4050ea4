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

A file is never trusted to change an answer. On load it must be a regular file of at
most :data:`MAX_CACHE_BYTES`, whose members pass the zip CRC check, and whose arrays
match the caller's :data:`Schema` (names, dtypes, shapes, sizes shared between arrays)
and its ``check`` of the contents (offsets in order, indices in range, coordinates in
degrees); otherwise the data are rebuilt from the bundled source and the file replaced.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import json
import os
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import platformdirs

from reachmap.errors import InputError
from reachmap.io.files import atomic_write, read_input, user_path

#: Environment variable that overrides the cache directory.
CACHE_DIR_ENV = "REACHMAP_CACHE_DIR"
#: Largest cache file read (the bundled data sets need about 18 MB).
MAX_CACHE_BYTES = 512 * 2**20

#: What a cached data set must hold: array name -> (dtype, shape). A dimension is a
#: length, or a name that must be the same length wherever it appears ("rows"); "*" is
#: any length.
Schema = Mapping[str, tuple[str, Sequence[int | str]]]

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
        return user_path(override)
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
    name: str,
    key: str,
    build: Callable[[], dict[str, np.ndarray]],
    what: str,
    schema: Schema | None = None,
    check: Callable[[dict[str, np.ndarray]], bool] | None = None,
) -> dict[str, np.ndarray]:
    """The arrays cached under ``name``/``key``, built (and saved) on a miss or when the
    file does not pass ``schema`` and ``check`` (see :func:`valid`).

    ``what`` describes the one-off work for the first-run notice.
    """
    arrays = load_arrays(name, key, schema, check)
    if arrays is None:
        notice(f"first run: {what} (once)")
        arrays = build()
        save_arrays(name, key, arrays)
    return arrays


def _path(name: str, key: str) -> Path:
    return cache_dir() / f"{name}-{key}.npz"


def load_arrays(
    name: str,
    key: str,
    schema: Schema | None = None,
    check: Callable[[dict[str, np.ndarray]], bool] | None = None,
) -> dict[str, np.ndarray] | None:
    """All arrays of cached data set ``name`` with ``key``, or None if absent, unreadable
    or not :func:`valid`."""
    path = _path(name, key)
    try:
        data = read_input(path, "cache file", MAX_CACHE_BYTES)
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files}  # reading a member checks its CRC
    except (InputError, OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        return None
    return arrays if valid(arrays, schema, check) else None


def valid(
    arrays: Mapping[str, np.ndarray],
    schema: Schema | None,
    check: Callable[[dict[str, np.ndarray]], bool] | None = None,
) -> bool:
    """Whether ``arrays`` has exactly the schema's names, dtypes and shapes (named sizes
    equal everywhere) and passes ``check``; a failing or raising check is False.

    >>> schema = {"x": ("f8", ("rows",)), "y": ("f8", ("rows", 2))}
    >>> valid({"x": np.zeros(3), "y": np.zeros((3, 2))}, schema)
    True
    >>> valid({"x": np.zeros(3), "y": np.zeros((4, 2))}, schema)
    False
    """
    if schema is not None:
        if set(arrays) != set(schema):
            return False
        sizes: dict[str, int] = {}
        for key, (dtype, shape) in schema.items():
            arr = arrays[key]
            if arr.dtype != np.dtype(dtype) or arr.ndim != len(shape):
                return False
            for dim, n in zip(shape, arr.shape, strict=True):
                if isinstance(dim, int) and n != dim:
                    return False
                if isinstance(dim, str) and dim != "*" and sizes.setdefault(dim, n) != n:
                    return False
    if check is None:
        return True
    try:
        with np.errstate(all="ignore"):
            return bool(check(dict(arrays)))
    except (ArithmeticError, LookupError, TypeError, ValueError):  # bad data, not a bug
        return False


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
        if path.is_symlink() or (path.exists() and not path.is_file() and not path.is_dir()):
            path.unlink()  # our own file name: a FIFO or a link there is not written through
        atomic_write(path, fill)
    except (OSError, InputError):  # the cache is an optimisation: keep going without it
        return None
    for old in directory.glob(f"{name}-*.npz"):
        if old != path:
            with contextlib.suppress(OSError):
                old.unlink()
    return path


def offsets_ok(offsets: np.ndarray, total: int) -> bool:
    """Whether ``offsets`` start at 0, never decrease and end at ``total``.

    >>> offsets_ok(np.array([0, 2, 2, 5]), 5), offsets_ok(np.array([0, 3, 2, 5]), 5)
    (True, False)
    """
    return (
        len(offsets) > 0
        and offsets[0] == 0
        and offsets[-1] == total
        and bool(np.all(np.diff(offsets) >= 0))
    )


def indices_ok(indices: np.ndarray, n: int) -> bool:
    """Whether every index lies in ``0 .. n-1``."""
    return indices.size == 0 or (int(indices.min()) >= 0 and int(indices.max()) < n)


def degrees_ok(lon_deg: np.ndarray, lat_deg: np.ndarray) -> bool:
    """Whether every coordinate is a finite longitude (+-180) and latitude (+-90)."""
    with np.errstate(invalid="ignore"):
        return bool(np.all(np.abs(lon_deg) <= 180.0) and np.all(np.abs(lat_deg) <= 90.0))


def n_strings(packed: np.ndarray) -> int:
    """How many strings :func:`pack_strings` packed into ``packed`` (without decoding)."""
    return int(np.count_nonzero(packed == 0))


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
