"""The command line's error contract: one line and exit code 2 for anything the user
can fix, whatever part of the stack notices it (issue 8, "The error contract")."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Cli


@pytest.mark.parametrize(
    "args",
    [
        ("reach", "--bogus"),
        ("systems", "--bogus"),
        ("reach", "--from", "BLR", "--range", "500", "--limit", "-5"),
        ("reach", "--from", "BLR", "--range", "500", "--limit", "0"),
        ("compare", "--from", "BLR", "--vs", "RUS", "--range", "500", "--limit", "-1"),
        ("reach", "--from", "BLR", "--range", "500", "--format", "xml"),
        ("flight", "--distance"),
        ("nosuchcommand",),
    ],
)
def test_usage_errors_are_one_line_exit_2(cli: Cli, args: tuple[str, ...]) -> None:
    code, out, err = cli(*args)
    assert code == 2, (out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("reachmap: error: "), err


def test_usage_error_names_the_help_to_read(cli: Cli) -> None:
    _, _, err = cli("reach", "--bogus")
    assert "--bogus" in err and "reachmap reach --help" in err


@pytest.mark.parametrize("spec", ["-33.9,18.4", "-33.9, 18.4", "-33.9,-18.4"])
def test_negative_coordinates_are_an_area_not_an_option(cli: Cli, spec: str) -> None:
    code, out, err = cli("area", spec, "--format", "geojson")
    assert code == 0, err
    lon, lat = json.loads(out)["features"][0]["geometry"]["coordinates"]
    assert lat == -33.9 and abs(lon) == 18.4


def test_negative_coordinates_out_of_range_say_why(cli: Cli) -> None:
    code, _, err = cli("area", "-95,18.4")
    assert code == 2 and "latitude -95 is outside -90..90" in err


def test_negative_value_after_an_option_is_its_value(cli: Cli) -> None:
    code, _, err = cli("reach", "--from", "BLR", "--range", "-5")
    assert code == 2 and err.strip() == "reachmap: error: range must be positive, got '-5'"


def test_cruise_system_gets_its_own_profile_by_default(
    cli: Cli,
) -> None:
    code, out, err = cli(
        "reach", "--from", "BLR", "--system", "kalibr", "--targets", "capitals",
        "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["summary"]["flight_profile"] == "cruise"
    code, out, err = cli(
        "compare", "--from", "BLR", "--vs", "RUS", "--system", "kalibr",
        "--format", "json",
    )  # fmt: skip
    assert code == 0, err


def _cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from reachmap.cli import main; main()", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=300,
    )


def test_ascii_only_terminal_gets_replacements_not_a_crash() -> None:
    proc = _cli("systems", "oreshnik", PYTHONIOENCODING="ascii")
    assert proc.returncode == 0, proc.stderr
    assert "Oreshnik" in proc.stdout and proc.stderr == ""


def test_no_numpy_warnings_on_stderr() -> None:
    # places inside the launch area and beyond range give NaN times by design
    proc = _cli("reach", "--from", "BLR", "--system", "oreshnik", "--targets", "capitals")
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
