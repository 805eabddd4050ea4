"""The data cache (reachmap.data.cache) is never trusted to change an answer: a cache file
that is truncated, altered, of the wrong names, dtypes or shapes, inconsistent inside,
or not a regular file is rebuilt from the bundled source (issue 8, "The error contract")."""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from reachmap.data import cache, countries, geonames


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private cache directory (never the user's)."""
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(tmp_path))
    return tmp_path


SCHEMA: cache.Schema = {
    "coords": ("f8", ("n", 2)),
    "weight": ("f4", ("n",)),
    "offsets": ("i8", ("rings+1",)),
    "name": ("u1", ("*",)),
}


def _build() -> dict[str, np.ndarray]:
    return {
        "coords": np.array([[27.5, 53.9], [30.5, 50.4], [24.1, 56.9], [25.3, 54.7]]),
        "weight": np.ones(4, dtype=np.float32),
        "offsets": np.array([0, 1, 4], dtype=np.int64),
        "name": cache.pack_strings(["a", "b"]),
    }


def _check(a: dict[str, np.ndarray]) -> bool:
    return cache.offsets_ok(a["offsets"], len(a["coords"])) and cache.degrees_ok(
        a["coords"][:, 0], a["coords"][:, 1]
    )


def _load(builds: list[int]) -> dict[str, np.ndarray]:
    def build() -> dict[str, np.ndarray]:
        builds.append(1)
        return _build()

    return cache.cached_arrays("toy", "k1", build, "toy data", SCHEMA, _check)


def _same(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> bool:
    return set(a) == set(b) and all(
        a[k].dtype == b[k].dtype and np.array_equal(a[k], b[k]) for k in a
    )


def _rewrite(path: Path, change: Callable[[dict[str, np.ndarray]], None]) -> None:
    with np.load(path) as npz:
        arrays = {k: npz[k] for k in npz.files}
    change(arrays)
    with path.open("wb") as fh:
        np.savez(fh, **arrays)  # type: ignore[arg-type]


def test_a_good_file_is_used_and_not_rebuilt(cache_dir: Path) -> None:
    builds: list[int] = []
    first = _load(builds)
    assert builds == [1] and (cache_dir / "toy-k1.npz").is_file()
    assert _same(_load(builds), first) and builds == [1]


def _with_it(a: dict[str, np.ndarray], key: str, value: np.ndarray) -> None:
    a[key] = value


ALTERATIONS: dict[str, Callable[[dict[str, np.ndarray]], None]] = {
    "an array missing": lambda a: a.pop("name"),
    "an extra array": lambda a: _with_it(a, "extra", np.zeros(2)),
    "a wrong dtype": lambda a: _with_it(a, "coords", a["coords"].astype(np.float32)),
    "a wrong number of dimensions": lambda a: _with_it(a, "coords", a["coords"].ravel()),
    "a wrong fixed size": lambda a: _with_it(a, "coords", np.zeros((4, 3))),
    "sizes that disagree": lambda a: _with_it(a, "weight", np.ones(5, dtype=np.float32)),
    "offsets out of order": lambda a: _with_it(a, "offsets", np.array([0, 3, 4])[[0, 2, 1]]),
    "offsets past the end": lambda a: _with_it(a, "offsets", np.array([0, 1, 5])),
    "a latitude of 91": lambda a: _with_it(a, "coords", a["coords"] + [0, 37.2]),
    "a NaN coordinate": lambda a: _with_it(a, "coords", np.where(a["coords"] > 30, np.nan, 1)),
}


@pytest.mark.parametrize("what", list(ALTERATIONS))
def test_an_altered_file_is_rebuilt_and_replaced(cache_dir: Path, what: str) -> None:
    builds: list[int] = []
    _load(builds)
    path = cache_dir / "toy-k1.npz"
    _rewrite(path, ALTERATIONS[what])
    assert cache.load_arrays("toy", "k1", SCHEMA, _check) is None  # refused as it is
    assert _same(_load(builds), _build()) and builds == [1, 1]  # rebuilt, same answer
    assert _same(cache.load_arrays("toy", "k1", SCHEMA, _check) or {}, _build())  # replaced


def test_a_truncated_file_is_rebuilt(cache_dir: Path) -> None:
    builds: list[int] = []
    _load(builds)
    path = cache_dir / "toy-k1.npz"
    data = path.read_bytes()
    for keep in (0, 10, len(data) // 2, len(data) - 1):
        path.write_bytes(data[:keep])
        assert _same(_load(builds), _build())
    assert len(builds) == 5


def test_a_flipped_byte_in_the_data_fails_the_crc_and_is_rebuilt(cache_dir: Path) -> None:
    builds: list[int] = []
    _load(builds)
    path = cache_dir / "toy-k1.npz"
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo("coords.npy")
    # the last byte of the member's data: a coordinate, valid in shape and range
    at = info.header_offset + 30 + len(info.filename) + len(info.extra) + info.compress_size - 1
    data[at] ^= 0x01
    path.write_bytes(bytes(data))
    assert cache.load_arrays("toy", "k1") is None  # even without a schema: the CRC
    assert _same(_load(builds), _build()) and builds == [1, 1]


def test_a_fifo_or_directory_in_the_cache_is_not_read(cache_dir: Path) -> None:
    os.mkfifo(cache_dir / "toy-k1.npz")  # np.load would block on it forever
    builds: list[int] = []
    assert _same(_load(builds), _build()) and builds == [1]
    assert (cache_dir / "toy-k1.npz").is_file()  # replaced by a real cache file
    (cache_dir / "toy-k1.npz").unlink()
    (cache_dir / "toy-k1.npz").mkdir()
    assert _same(_load(builds), _build()) and builds == [1, 1]  # cannot save: still right


def test_the_checks_are_exact() -> None:
    assert cache.valid(_build(), SCHEMA, _check)
    assert not cache.valid(_build(), SCHEMA, lambda a: a["offsets"][9] > 0)  # raising: False
    assert cache.offsets_ok(np.array([0]), 0)
    assert not cache.offsets_ok(np.array([], dtype=np.int64), 0)
    assert not cache.offsets_ok(np.array([1, 2]), 2)
    assert cache.indices_ok(np.array([0, 4]), 5) and not cache.indices_ok(np.array([5]), 5)
    assert not cache.indices_ok(np.array([-1]), 5)
    assert cache.n_strings(cache.pack_strings(["Minsk", "", "Hrodna"])) == 3


def test_bundled_data_sets_pass_their_own_checks(cache_dir: Path) -> None:
    """The schemas describe what the builders write (else every run would rebuild)."""
    c = countries._read_shapefile()
    assert cache.valid(c, countries._SCHEMA, countries._arrays_ok)
    g = geonames._read_geonames()
    assert cache.valid(g, geonames._SCHEMA, geonames._arrays_ok)
    broken = dict(g, name_rows=g["name_rows"][::-1].copy())  # still a permutation...
    assert cache.valid(broken, geonames._SCHEMA, geonames._arrays_ok)
    broken["name_rows"][0] = broken["name_rows"][1]  # ...but now a row twice
    assert not cache.valid(broken, geonames._SCHEMA, geonames._arrays_ok)
    broken = dict(g, name_hash=g["name_hash"][::-1].copy())  # the index must stay sorted
    assert not cache.valid(broken, geonames._SCHEMA, geonames._arrays_ok)
    broken = dict(c, country_offsets=c["country_offsets"][:-1])  # a country fewer
    assert not cache.valid(broken, countries._SCHEMA, countries._arrays_ok)


def test_a_tampered_country_cache_gives_the_same_outlines(cache_dir: Path) -> None:
    """End to end: Belarus from a cache whose rings were cut short is Belarus."""
    key = countries._cache_key()
    good = countries._read_shapefile()
    cache.save_arrays("countries", key, good)
    path = cache_dir / f"countries-{key}.npz"

    def cut(a: dict[str, np.ndarray]) -> None:
        a["coords"] = a["coords"][:-100]  # the offsets now point past the end

    _rewrite(path, cut)
    loaded = countries._load_arrays()
    assert _same(loaded, good)
    assert _same(cache.load_arrays("countries", key) or {}, good)  # and the file repaired
