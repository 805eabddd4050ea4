"""A throwaway PostgreSQL server for the tests: ``initdb`` into a temporary directory,
``postgres`` listening only on a unix socket in that directory, stopped and removed at
the end of the session.

The binaries are Debian's (``/usr/lib/postgresql/*/bin``, the newest version), or
those of ``pg_config --bindir``, or on ``PATH``; ``$REACHMAP_PG_BINDIR`` overrides.
PostgreSQL refuses to run as root: as root the server runs as the ``postgres`` user
(which Debian's package creates) through ``runuser``.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

BINARIES = ("initdb", "pg_ctl", "postgres")
#: the port names the socket file (.s.PGSQL.<port>); no TCP port is opened
PORT = 5432
SUPERUSER = "postgres"


def find_bindir() -> Path | None:
    """The directory holding initdb, pg_ctl and postgres, or None."""
    candidates: list[str] = []
    if os.environ.get("REACHMAP_PG_BINDIR"):
        candidates.append(os.environ["REACHMAP_PG_BINDIR"])
    versions = glob.glob("/usr/lib/postgresql/*/bin")
    candidates += sorted(versions, key=lambda p: int(Path(p).parent.name), reverse=True)
    pg_config = shutil.which("pg_config")
    if pg_config:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
            candidates.append(out.stdout.strip())
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(str(Path(initdb).parent))
    for folder in candidates:
        if folder and all((Path(folder) / b).is_file() for b in BINARIES):
            return Path(folder)
    return None


def _as_server_user(cmd: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return cmd
    try:
        pwd.getpwnam(SUPERUSER)
    except KeyError:
        raise RuntimeError(
            "running as root and there is no 'postgres' user to run the server as "
            "(install Debian's postgresql package, which makes it)"
        ) from None
    return ["runuser", "-u", SUPERUSER, "--", *cmd]


def _run(cmd: list[str], log: Path | None = None) -> None:
    done = subprocess.run(_as_server_user(cmd), capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        extra = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
        raise RuntimeError(f"{' '.join(cmd)} failed: {done.stderr.strip()}\n{extra}")


@contextlib.contextmanager
def server(bindir: Path, fsync: bool = False) -> Iterator[str]:
    """Run a server; yields the URL of its ``postgres`` database. ``fsync`` off (the
    default) is for tests: nothing must survive a crash of a throwaway server."""
    # directly under /tmp, not pytest's tmp_path: the server user must reach it (pytest's
    # tree is private to root) and a unix socket path must stay under 108 bytes
    root = Path(tempfile.mkdtemp(prefix="reachmap-pg-"))
    try:
        if os.geteuid() == 0:
            entry = pwd.getpwnam(SUPERUSER)
            os.chown(root, entry.pw_uid, entry.pw_gid)
        data, log = root / "data", root / "server.log"
        _run(
            [str(bindir / "initdb"), "-D", str(data), "-U", SUPERUSER, "--auth=trust",
             "-E", "UTF8", "--locale=C", "--no-sync"]
        )  # fmt: skip
        options = f"-k {root} -p {PORT} -c listen_addresses='' -c fsync={'on' if fsync else 'off'}"
        _run([str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(log),
              "-w", "-t", "60", "start"], log)  # fmt: skip
        try:
            yield f"postgresql+psycopg://{SUPERUSER}@/postgres?host={root}&port={PORT}"
        finally:
            _run([str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"], log)
    finally:
        shutil.rmtree(root, ignore_errors=True)
