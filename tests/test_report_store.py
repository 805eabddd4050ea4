"""The report's result cache: a cached envelope or coverage table is the computed one,
bit for bit, and any change of input gives a new entry."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import reachmap
from reachmap.analysis.reach import RangeSpec
from reachmap.envelope.core import envelope
from reachmap.report import store


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("REACHMAP_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv(store.ENV_VAR, "1")
    return tmp_path / "results"


def _same(a: reachmap.Envelope, b: reachmap.Envelope) -> None:
    assert len(a.polygons) == len(b.polygons)
    for pa, pb in zip(a.polygons, b.polygons, strict=True):
        assert len(pa) == len(pb)
        for ra, rb in zip(pa, pb, strict=True):
            assert np.array_equal(ra, rb)
    for f in store._ENV_FIELDS:
        assert getattr(a, f) == getattr(b, f), f


def test_envelope_round_trip(cache: Path) -> None:
    area = reachmap.area("64.73,177.5")  # crosses 180 deg and holds the pole
    fresh = envelope(area, 3_000e3, 50.0)
    first = store.cached_envelope(area, 3_000e3, 50.0)
    assert len(list(cache.glob("envelope-*.npz"))) == 1
    again = store.cached_envelope(area, 3_000e3, 50.0)
    _same(fresh, first)
    _same(fresh, again)
    assert again.area is area and bool(again.contains(0.0, 90.0))
    store.cached_envelope(area, 3_001e3, 50.0)
    store.cached_envelope(reachmap.area("64.73,177.6"), 3_000e3, 50.0)
    assert len(list(cache.glob("envelope-*.npz"))) == 3  # range and area are in the key


def test_coverage_round_trip(cache: Path) -> None:
    area = reachmap.area("krychaw")
    rng = RangeSpec(1_000e3, 1_500e3)
    envs = (store.cached_envelope(area, 1_000e3, 50.0), store.cached_envelope(area, 1_500e3, 50.0))
    a = store.cached_coverage(area, rng, envs, min_population=15000, date="2026-01-01")
    b = store.cached_coverage(area, rng, envs, min_population=15000, date="2026-01-01")
    assert len(list(cache.glob("coverage-*.json"))) == 1
    assert a.table == b.table and a.groups == b.groups and a.summary() == b.summary()


def test_disabled_and_unwritable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REACHMAP_CACHE_DIR", str(tmp_path / "file"))
    (tmp_path / "file").write_text("not a directory")
    area = reachmap.area("krychaw")
    env = store.cached_envelope(area, 800e3, 50.0)  # cannot write: computed, no error
    _same(env, envelope(area, 800e3, 50.0))
    monkeypatch.setenv(store.ENV_VAR, "0")
    monkeypatch.setenv("REACHMAP_CACHE_DIR", str(tmp_path / "c"))
    store.cached_envelope(area, 800e3, 50.0)
    assert not (tmp_path / "c").exists()
