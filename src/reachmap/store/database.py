"""Database URLs and engines: SQLite in the user's data directory by default, or a
PostgreSQL server that several app servers share.

``db`` (``reachmap serve --db``) is one of:

* nothing: ``$REACHMAP_DB`` if set, else ``<user data dir>/scenarios.sqlite3``
  (``platformdirs.user_data_dir("reachmap")``);
* a file path, or ``sqlite:///PATH``: a SQLite file (made with its directory);
* ``postgresql://USER:PASSWORD@HOST:PORT/DB`` or ``postgresql+psycopg://...``: a
  PostgreSQL server through psycopg 3 (``?host=/run/postgresql`` for a unix socket).

SQLite runs in WAL mode (readers never wait for the writer), with a busy timeout (a
writer waits for another process's write instead of failing) and foreign keys on. A
write transaction starts with ``BEGIN IMMEDIATE``: it takes the write lock before it
reads, so a read-then-write never meets a snapshot that another process has moved on
(SQLite's ``SQLITE_BUSY_SNAPSHOT``, which no timeout retries).

Every failure to open or reach the database is a :class:`StoreUnavailable` of one line.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import platformdirs
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, make_url

from reachmap.errors import InputError, InputTypeError, shown, type_name
from reachmap.io.files import user_path
from reachmap.store.errors import StoreUnavailable

#: environment variable naming the database when no ``db`` is given
DB_ENV = "REACHMAP_DB"
FILE_NAME = "scenarios.sqlite3"
#: how long a SQLite writer waits for another's lock before giving up (s): writes here
#: take milliseconds, so 30 s means something is stuck, not busy
BUSY_TIMEOUT_S = 30.0
#: how long to wait for a PostgreSQL server to answer a connection (s)
CONNECT_TIMEOUT_S = 10
_WRITE = "reachmap_write"
_EXAMPLES = "give a file path, sqlite:///PATH or postgresql://USER:PASSWORD@HOST:PORT/DB"


def default_url() -> str:
    """``$REACHMAP_DB``, else the SQLite file in the user data directory."""
    override = os.environ.get(DB_ENV)
    if override:
        return override
    return str(Path(platformdirs.user_data_dir("reachmap")) / FILE_NAME)


def parse_url(db: str | os.PathLike[str] | None = None) -> URL:
    """The SQLAlchemy URL ``db`` names (see the module docstring).

    >>> parse_url("/tmp/s.sqlite3").render_as_string()
    'sqlite:////tmp/s.sqlite3'
    >>> parse_url("postgresql://me:secret@db.example/reachmap").render_as_string()
    'postgresql+psycopg://me:***@db.example/reachmap'
    >>> parse_url("mysql://h/db")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    reachmap.errors.InputError: `db` 'mysql://h/db' is not a supported database; ...
    """
    text = default_url() if db is None else db
    if isinstance(text, os.PathLike):
        text = os.fspath(text)
    if not isinstance(text, str):
        raise InputTypeError(f"`db` must be text (a URL or a path), got {type_name(text)}")
    if not text.strip():
        raise InputError(f"`db` is empty; {_EXAMPLES}")
    if "://" not in text:
        return URL.create("sqlite", database=str(user_path(text).absolute()))
    try:
        url = make_url(text)
    except Exception as exc:  # ArgumentError, ValueError (a port that is no number)
        raise InputError(f"`db` {shown(text)} is not a database URL ({exc}); {_EXAMPLES}") from None
    if url.drivername in ("sqlite", "sqlite+pysqlite"):
        if url.database in (None, "", ":memory:") or url.database.startswith("file:"):
            raise InputError(
                f"`db` {shown(text)} names no file; scenarios must outlive the server: {_EXAMPLES}"
            )
        return url.set(drivername="sqlite", database=str(user_path(url.database).absolute()))
    if url.drivername in ("postgresql", "postgres", "postgresql+psycopg"):
        return url.set(drivername="postgresql+psycopg")
    raise InputError(f"`db` {shown(text)} is not a supported database; {_EXAMPLES}")


def shown_url(url: URL) -> str:
    """The URL for a message: the password hidden."""
    return url.render_as_string(hide_password=True)


def connect(url: URL) -> sa.Engine:
    """An engine on ``url`` that has answered one query (else :class:`StoreUnavailable`)."""
    if url.get_backend_name() == "sqlite":
        engine = _sqlite_engine(url)
    else:
        engine = sa.create_engine(
            url,
            pool_pre_ping=True,  # a server restarted under us: reconnect, do not fail once
            connect_args={"connect_timeout": CONNECT_TIMEOUT_S, "application_name": "reachmap"},
        )
    try:
        with guard(url), engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    except StoreUnavailable:
        engine.dispose()
        raise
    return engine


def _sqlite_engine(url: URL) -> sa.Engine:
    path = Path(str(url.database))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreUnavailable(
            f"cannot make the directory {str(path.parent)!r} for the scenarios database "
            f"({exc.strerror or exc}); give --db a writable path"
        ) from None
    if path.is_dir():
        raise StoreUnavailable(f"the scenarios database {str(path)!r} is a directory; name a file")
    engine = sa.create_engine(
        url, connect_args={"timeout": BUSY_TIMEOUT_S, "check_same_thread": False}
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        # the driver's own transaction handling would BEGIN (deferred) behind our back
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        immediate = conn.get_execution_options().get(_WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


@contextlib.contextmanager
def writing(engine: sa.Engine, url: URL) -> Iterator[sa.Connection]:
    """A write transaction (committed on success, rolled back on an error)."""
    with guard(url), engine.connect() as conn:
        conn.execution_options(**{_WRITE: True})
        with conn.begin():
            yield conn


@contextlib.contextmanager
def reading(engine: sa.Engine, url: URL) -> Iterator[sa.Connection]:
    """A read-only transaction (one consistent snapshot)."""
    with guard(url), engine.connect() as conn, conn.begin():
        yield conn


@contextlib.contextmanager
def guard(url: URL) -> Iterator[None]:
    """Turn a database that cannot be opened or reached into :class:`StoreUnavailable`."""
    try:
        yield
    except (sa.exc.OperationalError, sa.exc.InterfaceError) as exc:
        raise StoreUnavailable(
            f"cannot use the scenarios database {shown_url(url)}: {_first_line(exc)}"
        ) from None
    except sa.exc.DatabaseError as exc:  # "file is not a database"
        if isinstance(exc, sa.exc.IntegrityError | sa.exc.ProgrammingError):
            raise
        raise StoreUnavailable(
            f"cannot use the scenarios database {shown_url(url)}: {_first_line(exc)}"
        ) from None


def _first_line(exc: sa.exc.DBAPIError) -> str:
    text = str(exc.orig) if exc.orig is not None else str(exc)
    line = next((s.strip() for s in text.splitlines() if s.strip()), type(exc).__name__)
    return line if len(line) <= 200 else line[:200] + "..."
