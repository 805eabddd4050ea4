"""reachmap.io.files: the one reader of user files (regular files within a size limit) and
the one atomic writer used by outputs, exports and the cache (modes, links, devices,
FIFOs, standard output, signals)."""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import socket
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from reachmap.errors import InputError, TooLarge
from reachmap.io.files import (
    MAX_INPUT_BYTES,
    atomic_write,
    check_writable,
    handle_termination,
    output_path,
    read_input,
    write_text_atomic,
)


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


# --- reading: only regular files, within the size limit (issue 8, section 2) ---------


@contextlib.contextmanager
def _deadline(seconds: int) -> Iterator[None]:
    """Fail instead of hanging (a FIFO that is opened blocks until someone writes)."""

    def fail(signum: int, frame: object) -> None:
        raise TimeoutError(f"still blocked after {seconds} s")

    before = signal.signal(signal.SIGALRM, fail)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, before)


def test_read_input_reads_a_regular_file(tmp_path: Path) -> None:
    path = tmp_path / "a.geojson"
    path.write_bytes(b"{}")
    assert read_input(path) == b"{}"
    assert read_input(str(path), "x", limit=2) == b"{}"  # exactly the limit is fine


@pytest.mark.parametrize(
    ("special", "kind"),
    [("/dev/zero", "a character device"), ("/dev/null", "a character device")],
)
def test_read_input_refuses_devices(special: str, kind: str) -> None:
    with pytest.raises(InputError, match=f"is {kind}, not a regular file"):
        read_input(special, "launch area file")


def test_read_input_refuses_a_fifo_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.geojson"
    os.mkfifo(fifo)
    with _deadline(10), pytest.raises(InputError, match=r"is a FIFO \(named pipe\)"):
        read_input(fifo)


def test_read_input_refuses_directories_and_sockets(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a directory, not a regular file"):
        read_input(tmp_path)
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(tmp_path / "s"))
        with pytest.raises(InputError, match="is a socket"):
            read_input(tmp_path / "s")
    finally:
        sock.close()


def test_read_input_refuses_a_large_file_before_reading(tmp_path: Path) -> None:
    sparse = tmp_path / "big.geojson"
    with sparse.open("wb") as fh:
        fh.truncate(MAX_INPUT_BYTES + 1)  # sparse: no disk used, nothing read
    with pytest.raises(TooLarge, match=r"is 134,217,729 bytes; reachmap reads at most 128 MiB"):
        read_input(sparse, "launch area file")
    small = tmp_path / "small.txt"
    small.write_bytes(b"x" * 11)
    with pytest.raises(TooLarge, match="is 11 bytes; reachmap reads at most 10 bytes"):
        read_input(small, limit=10)


def test_read_input_names_that_the_system_refuses(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        read_input(tmp_path / "absent.json")
    with pytest.raises(InputError, match="File name too long") as info:
        read_input("x" * 300)
    assert "(300 characters)" in str(info.value)  # the name is cut short in the message
    with pytest.raises(InputError, match="cannot contain a NUL byte"):
        read_input("a\0b")
    locked = tmp_path / "locked.json"
    locked.write_text("{}")
    locked.chmod(0)
    if os.access(locked, os.R_OK):  # root reads anyway: simulate the refusal
        return
    with pytest.raises(InputError, match="Permission denied"):
        read_input(locked)


# --- writing: modes, links, devices, FIFOs, stdout (issue 8, section 5) -----------------


@pytest.fixture
def umask_022() -> Iterator[None]:
    before = os.umask(0o022)
    yield
    os.umask(before)


def test_new_files_get_the_usual_mode_and_existing_files_keep_theirs(
    tmp_path: Path, umask_022: None
) -> None:
    new = tmp_path / "new.json"
    write_text_atomic(new, "{}")
    assert stat.S_IMODE(new.stat().st_mode) == 0o644  # 0666 less the umask, not mkstemp's 0600
    os.umask(0o077)
    write_text_atomic(tmp_path / "private.json", "{}")
    assert stat.S_IMODE((tmp_path / "private.json").stat().st_mode) == 0o600
    existing = tmp_path / "shared.json"
    existing.write_text("old")
    existing.chmod(0o664)
    write_text_atomic(existing, "new")
    assert stat.S_IMODE(existing.stat().st_mode) == 0o664
    assert existing.read_text() == "new"


def test_gpkg_export_gets_the_usual_mode(tmp_path: Path, umask_022: None) -> None:
    def fill(tmp: Path) -> None:  # as sqlite3 does: it creates the file itself
        con = sqlite3.connect(tmp)
        con.execute("CREATE TABLE t (x)")
        con.commit()
        con.close()

    atomic_write(tmp_path / "a.gpkg", fill)
    assert stat.S_IMODE((tmp_path / "a.gpkg").stat().st_mode) == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["a.gpkg"]


def test_a_symlink_is_kept_and_its_target_replaced(tmp_path: Path) -> None:
    target = tmp_path / "real.json"
    target.write_text("old")
    target.chmod(0o640)
    link = tmp_path / "link.json"
    link.symlink_to(target)
    write_text_atomic(link, "new")
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text() == "new" and stat.S_IMODE(target.stat().st_mode) == 0o640
    dangling = tmp_path / "dangling.json"
    dangling.symlink_to(tmp_path / "later.json")
    write_text_atomic(dangling, "made")
    assert dangling.is_symlink() and (tmp_path / "later.json").read_text() == "made"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "dangling.json", "later.json", "link.json", "real.json",
    ]  # fmt: skip


def test_a_fifo_is_written_through_to_its_reader(tmp_path: Path) -> None:
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    with _deadline(20):
        for _ in range(1000):
            try:
                write_text_atomic(fifo, "through the pipe")
                break
            except InputError:  # the reader has not opened its end yet
                time.sleep(0.01)
    reader.join(10)
    assert got == [b"through the pipe"]
    assert stat.S_ISFIFO(fifo.lstat().st_mode)  # still a FIFO, not replaced by a file


def test_a_fifo_without_a_reader_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    check_writable(fifo)  # a FIFO is a fine target...
    with _deadline(10), pytest.raises(InputError, match="a FIFO with no reader"):
        write_text_atomic(fifo, "nobody listens")  # ...but nobody reads it now
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["out.fifo"]


def _char_device(tmp_path: Path, name: str, minor: int) -> Path:
    """A private copy of /dev/null (minor 3) or /dev/full (minor 7): a test that went
    wrong must never replace the machine's own device."""
    path = tmp_path / name
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, minor))
    except PermissionError:
        pytest.skip("creating a device node needs root (CI runs as root)")
    return path


def test_a_character_device_is_written_through_not_replaced(tmp_path: Path) -> None:
    null = _char_device(tmp_path, "null", 3)
    check_writable(null)
    write_text_atomic(null, "into the void")
    assert stat.S_ISCHR(null.lstat().st_mode)  # still the device
    full = _char_device(tmp_path, "full", 7)
    with pytest.raises(InputError, match="No space left on device"):
        write_text_atomic(full, "x" * 10_000)
    assert stat.S_ISCHR(full.lstat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["full", "null"]


def test_block_devices_and_sockets_are_refused(tmp_path: Path) -> None:
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(tmp_path / "s"))
        with pytest.raises(InputError, match="it is a socket"):
            check_writable(tmp_path / "s")
        with pytest.raises(InputError, match="it is a socket"):
            atomic_write(tmp_path / "s", lambda tmp: tmp.write_text("x"))
    finally:
        sock.close()
    block = tmp_path / "disk"
    try:
        os.mknod(block, 0o600 | stat.S_IFBLK, os.makedev(7, 0))
    except PermissionError:
        return  # needs root; the socket above covers the refusal path
    with pytest.raises(InputError, match="it is a block device"):
        check_writable(block)


def test_dash_means_standard_output(capfd: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert output_path("-") is None and output_path(None) is None
    assert output_path("out.json") == Path("out.json")
    check_writable("-")
    write_text_atomic("-", "to stdout\n")
    atomic_write("-", lambda tmp: tmp.write_bytes(b"bytes too\n"))
    assert capfd.readouterr().out == "to stdout\nbytes too\n"


def test_read_only_files_and_long_names_are_refused(tmp_path: Path, monkeypatch) -> None:
    with pytest.raises(InputError, match="File name too long"):
        check_writable(tmp_path / ("x" * 300))
    locked = tmp_path / "locked.json"
    locked.write_text("old")
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: Path(p) != locked and real_access(p, mode))
    with pytest.raises(InputError, match="the file is read-only"):
        check_writable(locked)


def test_system_errors_while_writing_are_one_line(tmp_path: Path) -> None:
    def fill(tmp: Path) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(InputError, match="cannot write to .*: No space left on device"):
        atomic_write(tmp_path / "x.json", fill)
    assert list(tmp_path.iterdir()) == []


# --- signals: no temporary file survives SIGTERM, SIGHUP or Ctrl-C ----------------------

_SLOW_WRITER = """
import sys, time
from pathlib import Path
from reachmap.io.files import Terminated, atomic_write, handle_termination

def fill(tmp):
    with open(tmp, "w") as fh:
        fh.write("partial")
        fh.flush()
        print("writing", flush=True)
        time.sleep(60)

try:
    with handle_termination():
        atomic_write(Path(sys.argv[1]), fill)
except Terminated as err:
    sys.exit(128 + err.signum)
except KeyboardInterrupt:
    sys.exit(130)
"""


@pytest.mark.parametrize(
    ("signum", "code"),
    [(signal.SIGTERM, 128 + signal.SIGTERM), (signal.SIGHUP, 128 + signal.SIGHUP),
     (signal.SIGINT, 130)],
)  # fmt: skip
def test_temporary_file_is_removed_when_the_process_is_stopped(
    tmp_path: Path, signum: int, code: int
) -> None:
    target = tmp_path / "out.json"
    target.write_text("old")
    proc = subprocess.Popen(
        [sys.executable, "-c", _SLOW_WRITER, str(target)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline() == "writing\n"
        assert len(list(tmp_path.iterdir())) == 2  # the target and the temporary file
        proc.send_signal(signum)
        assert proc.wait(30) == code
    finally:
        proc.kill()
        proc.wait()
        assert proc.stdout is not None
        proc.stdout.close()
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]
    assert target.read_text() == "old"


def test_handlers_come_back_after_handle_termination() -> None:
    before = signal.getsignal(signal.SIGTERM)
    with handle_termination():
        assert signal.getsignal(signal.SIGTERM) is not before
    assert signal.getsignal(signal.SIGTERM) is before
