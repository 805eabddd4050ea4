"""Shared fixtures: the launch areas and places the tests keep coming back to, and a
command-line runner. Areas are session-scoped (an Area is immutable; its boundary is
built once, on first use)."""

from __future__ import annotations

from collections.abc import Callable

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
