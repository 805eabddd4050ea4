"""Reading the user's files and writing outputs, safely (docs/limits.md).

Reading: :func:`read_input` reads only regular files, up to a size limit checked
before anything is read. A device (``/dev/zero`` never ends), a FIFO (it blocks until
someone writes), a socket or a directory is refused with one line.

Writing: every file reachmap writes (command output, exports, the data cache) goes
through :func:`atomic_write`, so a failed or interrupted write never leaves a partial
file: the target is either the old file or the complete new one (:func:`os.replace`
is atomic within one directory). The target decides how:

* a regular file or a new name: a temporary file beside it, renamed into place. A new
  file gets the usual permissions (``0666`` less the umask: ``0644`` under umask 022),
  an existing one keeps its mode;
* a symbolic link: the file it points to is replaced the same way; the link stays;
* a character device (``/dev/null``, a terminal) or a FIFO: written through, never
  replaced (a FIFO must have a reader already: reachmap does not wait for one);
* ``-``: standard output;
* a directory, a block device or a socket: refused.

Temporary files are removed on failure, on Ctrl-C (``KeyboardInterrupt``) and, once
:func:`handle_termination` is installed (the command line does), on SIGTERM and SIGHUP.

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> write_text_atomic(folder / "out.txt", "done\\n")
>>> (folder / "out.txt").read_text()
'done\\n'
>>> sorted(p.name for p in folder.iterdir())  # no temporary file left behind
['out.txt']
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import stat
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import Any, BinaryIO

from reachmap.errors import InputError, TooLarge, shown

#: Largest file reachmap reads as input (GeoJSON areas, place files, articles), bytes.
MAX_INPUT_BYTES = 128 * 2**20

#: The file name that means standard output (``-o -``).
STDOUT = "-"

_CHUNK = 1 << 20
#: temporary files being written now (removed by :func:`remove_pending`)
_PENDING: set[Path] = set()
_LOCK = threading.Lock()


# ------------------------------------------------------------------------------ reading


def user_path(path: str | os.PathLike[str]) -> Path:
    """``path`` with ``~`` and ``~user`` expanded; a ``~name`` that is no user (or no home
    directory) stays as typed, a file name like any other.

    >>> user_path("~no-such-user-0/x.geojson").name
    'x.geojson'
    """
    try:
        return Path(path).expanduser()
    except RuntimeError:  # "Could not determine home directory."
        return Path(path)


def _kind(mode: int) -> str:
    """What a non-regular file is, in words."""
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _size(n: int) -> str:
    return f"{n / 2**20:,.0f} MiB" if n >= 2**20 and n % 2**20 == 0 else f"{n:,} bytes"


def _name(path: object) -> str:
    """A file name for a message: long ones cut short (one line, whatever the name)."""
    return shown(os.fspath(path) if isinstance(path, os.PathLike) else path, width=120)


def _os_error(action: str, what: str, path: object, err: OSError) -> InputError:
    reason = err.strerror or type(err).__name__
    return InputError(f"cannot {action} {what} {_name(path)}: {reason}")


def read_input(path: str | Path, what: str = "file", limit: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of the user's file ``path``: a regular file of at most ``limit`` bytes.

    Anything else is refused before it is opened; a file over the limit before it is
    read (:class:`TooLarge`). ``what`` names the file in messages ("launch area file").

    >>> read_input("/dev/zero")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    reachmap.errors.InputError: file '/dev/zero' is a character device, not a regular file; ...
    """
    name = os.fspath(path)
    try:
        info = os.stat(name)
    except FileNotFoundError:
        raise InputError(f"{what} {_name(name)} does not exist") from None
    except ValueError:  # an embedded NUL byte
        raise InputError(f"{what} {_name(name)}: a file name cannot contain a NUL byte") from None
    except OSError as err:
        raise _os_error("read", what, name, err) from None
    _check_regular(info, what, name, limit)
    try:
        # O_NONBLOCK: should the name be swapped for a FIFO after the check, open
        # returns at once and the fstat below refuses it.
        fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as err:
        raise _os_error("read", what, name, err) from None
    try:
        _check_regular(os.fstat(fd), what, name, limit)
        chunks: list[bytes] = []
        total = 0
        while chunk := os.read(fd, min(_CHUNK, limit + 1 - total)):
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:  # it grew while being read
                raise TooLarge(_too_large(what, name, total, limit))
    except OSError as err:
        raise _os_error("read", what, name, err) from None
    finally:
        os.close(fd)
    return b"".join(chunks)


def _too_large(what: str, name: str, size: int, limit: int) -> str:
    return (
        f"{what} {_name(name)} is {size:,} bytes; reachmap reads at most {_size(limit)} "
        "(docs/limits.md): simplify or split it"
    )


def _check_regular(info: os.stat_result, what: str, name: str, limit: int) -> None:
    if not stat.S_ISREG(info.st_mode):
        raise InputError(
            f"{what} {_name(name)} is {_kind(info.st_mode)}, not a regular file; "
            "give the name of a file"
        )
    if info.st_size > limit:
        raise TooLarge(_too_large(what, name, info.st_size, limit))


# ------------------------------------------------------------------------------ writing


def is_stdout(path: str | Path | None) -> bool:
    """True for ``-``, the name of standard output."""
    return path is not None and os.fspath(path) == STDOUT


def output_path(value: str | Path | None) -> Path | None:
    """The file an ``-o`` value names, or None for standard output (None or ``-``)."""
    if value is None or is_stdout(value):
        return None
    return Path(value)


def _stat(path: Path) -> os.stat_result | None:
    """``os.stat`` (following links), None if nothing is there; InputError otherwise."""
    try:
        return os.stat(path)
    except FileNotFoundError:
        return None
    except ValueError:
        raise InputError(
            f"cannot write {_name(path)}: a file name cannot contain a NUL byte"
        ) from None
    except OSError as err:
        raise _os_error("write", "to", path, err) from None


def _through(info: os.stat_result | None) -> bool:
    """Whether a target is written through instead of replaced (a device or a FIFO)."""
    return info is not None and (stat.S_ISCHR(info.st_mode) or stat.S_ISFIFO(info.st_mode))


def writes_through(path: str | Path) -> bool:
    """Whether writing ``path`` goes through to something that is not replaced: standard
    output (``-``), a character device or a FIFO (see the module doc)."""
    if is_stdout(path):
        return True
    try:
        return _through(os.stat(user_path(path)))
    except (OSError, ValueError):
        return False


def check_writable(path: str | Path | None) -> None:
    """Fail before any work if ``path`` cannot be written (one clear line); None and
    ``-`` (standard output) pass."""
    if path is None or is_stdout(path):
        return
    path = user_path(path)
    info = _stat(path)
    if _through(info):
        return
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise InputError(
            f"cannot write {_name(path)}: it is {_kind(info.st_mode)}; give a file name"
        )
    if info is not None and not os.access(path, os.W_OK):
        raise InputError(f"cannot write {_name(path)}: the file is read-only")
    parent = _real(path).parent
    if not parent.is_dir():
        raise InputError(f"cannot write {_name(path)}: directory {_name(parent)} does not exist")
    if not os.access(parent, os.W_OK):
        raise InputError(f"cannot write {_name(path)}: directory {_name(parent)} is not writable")
    if len(os.fsencode(_real(path).name)) > _name_max(parent):
        raise InputError(f"cannot write {_name(path)}: the file name is too long")


def _real(path: Path) -> Path:
    """``path`` with symbolic links resolved (a dangling link: the file it would create)."""
    return Path(os.path.realpath(path))


def _name_max(directory: Path) -> int:
    try:
        return os.pathconf(directory, "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):  # pragma: no cover - not POSIX
        return 255


def _umask() -> int:
    """The process umask, read without changing it where the system allows."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    with _LOCK:  # os.umask can only be read by setting it
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def new_file_mode() -> int:
    """The permissions of a new file: ``0o666`` less the umask (``0o644`` under 022)."""
    return 0o666 & ~_umask()


def atomic_write(path: str | Path, fill: Callable[[Path], object]) -> None:
    """Write ``path`` by running ``fill`` on a fresh temporary path (not yet created:
    SQLite wants to create its file itself), then moving the result into place (see the
    module doc for symbolic links, devices, FIFOs and ``-``). On any failure the
    temporary file is removed and ``path`` is left as it was; errors of the system
    (disk full, no permission) become one-line :class:`InputError`."""
    if is_stdout(path):
        _write_through(None, fill)
        return
    path = user_path(path)
    info = _stat(path)  # through links, /dev/stdout and /dev/fd/N too
    if _through(info):
        _write_through(path, fill)
        return
    target = _real(path)
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise InputError(f"cannot write {_name(path)}: it is {_kind(info.st_mode)}")
    mode = stat.S_IMODE(info.st_mode) if info is not None else new_file_mode()
    with _temporary(target.parent, target.name, path) as tmp:
        fill(tmp)
        try:
            os.chmod(tmp, mode)
            os.replace(tmp, target)
        except OSError as err:
            raise _os_error("write", "to", path, err) from None


@contextlib.contextmanager
def _temporary(directory: Path, name: str, shown_as: Path | str) -> Iterator[Path]:
    """A fresh, not yet existing path in ``directory``, removed (with any SQLite side
    files) unless it was moved away."""
    prefix = "." + os.fsencode(name)[:180].decode("utf-8", "ignore") + "."
    try:
        fd, temp_name = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=directory)
    except OSError as err:
        raise _os_error("write", "to", shown_as, err) from None
    os.close(fd)
    tmp = Path(temp_name)
    with _LOCK:
        _PENDING.add(tmp)
    try:
        tmp.unlink()
        yield tmp
    except OSError as err:
        raise _os_error("write", "to", shown_as, err) from None
    finally:
        _remove(tmp)
        with _LOCK:
            _PENDING.discard(tmp)


def _remove(tmp: Path) -> None:
    for extra in ("", "-journal", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            Path(f"{tmp}{extra}").unlink()


def _write_through(target: Path | None, fill: Callable[[Path], object]) -> None:
    """Fill a private temporary file, then copy it into ``target`` (a device or a FIFO,
    opened without creating or replacing anything) or standard output (None)."""
    folder = Path(tempfile.mkdtemp(prefix="reachmap-"))
    try:
        with _temporary(folder, "output", target or STDOUT) as tmp:
            fill(tmp)
            with tmp.open("rb") as src:
                if target is None:
                    sys.stdout.flush()
                    shutil.copyfileobj(src, _stdout_bytes())
                    _stdout_bytes().flush()
                else:
                    _copy_into(target, src)
    finally:
        with contextlib.suppress(OSError):
            folder.rmdir()


def _stdout_bytes() -> BinaryIO:
    stream: Any = sys.stdout
    return stream.buffer if hasattr(stream, "buffer") else stream


def _copy_into(target: Path, src: BinaryIO) -> None:
    try:
        # O_NONBLOCK: a FIFO without a reader fails at once (ENXIO) instead of hanging.
        fd = os.open(target, os.O_WRONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as err:
        if err.errno == errno.ENXIO:
            raise InputError(
                f"cannot write {_name(target)}: it is a FIFO with no reader; start the reader first"
            ) from None
        raise _os_error("write", "to", target, err) from None
    try:
        os.set_blocking(fd, True)
        with os.fdopen(fd, "wb", closefd=False) as dst:
            shutil.copyfileobj(src, dst)
    except OSError as err:
        raise _os_error("write", "to", target, err) from None
    finally:
        os.close(fd)


def write_text_atomic(path: str | Path, text: str | bytes) -> None:
    """Write ``text`` (UTF-8) or bytes to ``path`` atomically, after :func:`check_writable`;
    ``-`` writes to standard output."""
    check_writable(path)
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    atomic_write(path, lambda tmp: tmp.write_bytes(data))


# ---------------------------------------------------------------------------- signals


class Terminated(BaseException):
    """SIGTERM or SIGHUP arrived: raised by :func:`handle_termination`'s handler so that
    every pending write is unwound and its temporary file removed."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    raise Terminated(signum)


def remove_pending() -> None:
    """Remove every temporary file still being written (for a handler of last resort)."""
    with _LOCK:
        pending = list(_PENDING)
    for tmp in pending:
        _remove(tmp)


@contextlib.contextmanager
def handle_termination() -> Iterator[None]:
    """While active, SIGTERM and SIGHUP raise :class:`Terminated` (in the main thread),
    so writes unwind like Ctrl-C does; the previous handlers come back afterwards.
    Outside the main thread it does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    names = ("SIGTERM", "SIGHUP")
    sigs = [getattr(signal, n) for n in names if hasattr(signal, n)]
    before = {s: signal.signal(s, _raise_terminated) for s in sigs}
    try:
        yield
    finally:
        for s, handler in before.items():
            signal.signal(s, handler)
        remove_pending()
