"""Shared fixtures: the launch areas and places the tests keep coming back to, and a
command-line runner. Areas are session-scoped (an Area is immutable; its boundary is
built once, on first use)."""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import reachmap
from reachmap.area import Area
from reachmap.cli import main
from reachmap.data import geonames
from reachmap.places import Places

#: Krychaw, eastern Belarus (LAT,LON as a user types it): ~4,050 km from the North Pole
KRYCHAW = "53.71,31.70"

#: ``cli("reach", "--from", "BLR", ...)`` -> (exit code, stdout, stderr)
Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture(scope="session")
def belarus() -> Area:
    """Belarus from Natural Earth 1:10m (the launch area of the news reports)."""
    return reachmap.area("BLR")


@pytest.fixture(scope="session")
def krychaw() -> Area:
    """A point launch area in eastern Belarus (see :data:`KRYCHAW`)."""
    return reachmap.area(KRYCHAW)


@pytest.fixture(scope="session")
def capitals() -> Places:
    """GeoNames capitals, one per country."""
    return geonames.capitals()


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Cli:
    """Run the command line in-process and capture what it prints."""

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


# --- databases for the scenarios store: SQLite files and a real PostgreSQL server ---------

_DATABASES = itertools.count()


@pytest.fixture(autouse=True, scope="session")
def _scenarios_db_in_tmp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """No test writes the user's data directory: an app built with the default settings
    keeps its scenarios in a temporary file (``$REACHMAP_DB``)."""
    from reachmap.store.database import DB_ENV

    before = os.environ.get(DB_ENV)
    os.environ[DB_ENV] = str(tmp_path_factory.mktemp("scenarios-db") / "scenarios.sqlite3")
    yield
    if before is None:
        os.environ.pop(DB_ENV, None)
    else:
        os.environ[DB_ENV] = before


@pytest.fixture(autouse=True, scope="session")
def _reports_in_tmp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """No test writes the user's cache directory with web reports (``$REACHMAP_REPORTS``)."""
    from reachmap.web.reports import DIR_ENV

    before = os.environ.get(DIR_ENV)
    os.environ[DIR_ENV] = str(tmp_path_factory.mktemp("web-reports"))
    yield
    if before is None:
        os.environ.pop(DIR_ENV, None)
    else:
        os.environ[DIR_ENV] = before


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A PostgreSQL server of this session (tests/pg_server.py): its admin URL. Skipped,
    saying why, only where no PostgreSQL binaries are installed."""
    import pg_server

    bindir = pg_server.find_bindir()
    if bindir is None:
        pytest.skip(
            "PostgreSQL tests skipped: no initdb/pg_ctl/postgres found (install Debian's "
            "postgresql package; .ci/run does)"
        )
    with pg_server.server(bindir) as url:
        yield url


@pytest.fixture
def postgres_url(postgres_server: str) -> str:
    """The URL of a new, empty database on the session's PostgreSQL server."""
    import sqlalchemy as sa

    name = f"reachmap_test_{next(_DATABASES)}"
    admin = sa.create_engine(postgres_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    admin.dispose()
    return postgres_server.replace("@/postgres?", f"@/{name}?")


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each store test runs on a new SQLite file and on a new PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'scenarios.sqlite3'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture(scope="session")
def web_client(tmp_path_factory: pytest.TempPathFactory):
    """The web app in-process (starlette's TestClient over ASGI), with its computation
    workers started once for the whole session and a scenarios store of its own (a new
    SQLite file); a 500 raises in the test."""
    from fastapi.testclient import TestClient

    from reachmap.web.app import create_app
    from reachmap.web.settings import Settings

    db = tmp_path_factory.mktemp("web") / "scenarios.sqlite3"
    app = create_app(Settings(db_url=f"sqlite:///{db}"))
    with TestClient(app, raise_server_exceptions=True) as client:
        yield client
