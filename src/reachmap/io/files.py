"""Writing files safely: check the target first, write a temporary file beside it, rename.

Every file reachmap writes (command output, exports, the data cache) goes through
:func:`atomic_write`, so a failed or interrupted write never leaves a partial file:
the target is either the old file or the complete new one (:func:`os.replace` is
atomic on POSIX and Windows within one directory).

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> write_text_atomic(folder / "out.txt", "done\\n")
>>> (folder / "out.txt").read_text()
'done\\n'
>>> sorted(p.name for p in folder.iterdir())  # no temporary file left behind
['out.txt']
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from reachmap.errors import InputError


def check_writable(path: Path | None) -> None:
    """Fail before any work if ``path`` cannot be written (one clear line); None passes."""
    if path is None:
        return
    parent = path.expanduser().resolve().parent
    if not parent.is_dir():
        raise InputError(f"cannot write {str(path)!r}: directory {str(parent)!r} does not exist")
    if not os.access(parent, os.W_OK):
        raise InputError(f"cannot write {str(path)!r}: directory {str(parent)!r} is not writable")
    if path.is_dir():
        raise InputError(f"cannot write {str(path)!r}: it is a directory")


def atomic_write(path: Path, fill: Callable[[Path], object]) -> None:
    """Run ``fill`` on a fresh temporary path beside ``path`` (not yet created: SQLite
    wants to create its file itself), then rename it into place. On any failure the
    temporary file is removed and ``path`` is left as it was."""
    path = Path(path).expanduser()
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.resolve().parent)
    os.close(fd)
    tmp = Path(name)
    try:
        tmp.unlink()
        fill(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text_atomic(path: Path, text: str | bytes) -> None:
    """Write ``text`` (UTF-8) or bytes to ``path`` atomically, after :func:`check_writable`."""
    check_writable(path)
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    atomic_write(path, lambda tmp: tmp.write_bytes(data))
