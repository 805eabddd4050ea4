"""The one atomic-write helper (reachmap.io.files) used by outputs, exports and the cache."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reachmap.errors import InputError
from reachmap.io.files import atomic_write, check_writable, write_text_atomic


def test_write_replaces_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("old")
    write_text_atomic(target, "new ✓")
    assert target.read_text(encoding="utf-8") == "new ✓"
    write_text_atomic(target, b"\x00bytes")
    assert target.read_bytes() == b"\x00bytes"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_fill_gets_a_fresh_path_and_a_failure_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "db.gpkg"
    target.write_text("old")
    seen: list[Path] = []

    def fill(tmp: Path) -> None:
        seen.append(tmp)
        assert not tmp.exists() and tmp.parent == tmp_path  # beside the target, not created
        tmp.write_text("half")
        raise KeyboardInterrupt  # even an interrupt leaves nothing behind

    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, fill)
    assert target.read_text() == "old" and not seen[0].exists()
    assert [p.name for p in tmp_path.iterdir()] == ["db.gpkg"]


def test_check_writable_says_what_is_wrong(tmp_path: Path) -> None:
    check_writable(None)
    check_writable(tmp_path / "new.txt")
    with pytest.raises(InputError, match="directory .* does not exist"):
        check_writable(tmp_path / "missing" / "x.txt")
    with pytest.raises(InputError, match="it is a directory"):
        check_writable(tmp_path)
    with pytest.raises(InputError, match="does not exist"):
        write_text_atomic(tmp_path / "missing" / "x.txt", "text")


def test_check_writable_read_only_directory(tmp_path: Path, monkeypatch) -> None:
    # os.access is what decides (root may write anywhere, so the answer is simulated)
    monkeypatch.setattr(os, "access", lambda path, mode: False)
    with pytest.raises(InputError, match="is not writable"):
        check_writable(tmp_path / "x.txt")
