"""The command line loads only the module of the command it runs (reachmap/cli/app.py).

What must hold: the table of commands and modules matches what the modules register,
in the order ``--help`` lists them; a command line with one command imports no other
command module, and still runs as a command of the group (typer makes an app of a
single command that command itself); ``--help`` and an unknown name see every command.
Each check of what is imported runs in a fresh interpreter.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from reachmap.cli.app import COMMANDS, app

_PROBE = r"""
import contextlib, io, json, sys
from reachmap.cli import main
out, err = io.StringIO(), io.StringIO()
with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
    code = main({argv!r})
loaded = sorted(m.rsplit(".", 1)[1] for m in sys.modules
                if m.startswith("reachmap.cli.") and m.endswith("_cmds"))
print(json.dumps({{"code": code, "loaded": loaded, "out": out.getvalue(),
                  "err": err.getvalue()}}))
"""


def _run(argv: list[str]) -> dict[str, object]:
    res = subprocess.run(
        [sys.executable, "-c", _PROBE.format(argv=argv)],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"},
    )
    return json.loads(res.stdout.strip().splitlines()[-1])


def test_the_table_matches_the_registered_commands() -> None:
    registered = app.registered_commands  # reading it imports every command module
    assert [c.name for c in registered] == list(COMMANDS)
    for info in registered:
        assert info.callback is not None
        assert info.callback.__module__ == f"reachmap.cli.{COMMANDS[info.name or '']}"


@pytest.mark.parametrize(
    ("argv", "module", "expect"),
    [
        (["systems"], "catalog_cmds", "Oreshnik"),
        (["flight", "--distance", "790"], "flight_cmds", "min-energy"),
        (["borders", "--help"], "borders_cmds", "Usage: reachmap borders"),
    ],
)
def test_one_command_loads_one_module(argv: list[str], module: str, expect: str) -> None:
    got = _run(argv)
    assert got["code"] == 0, got["err"]
    assert got["loaded"] == [module]
    assert expect in str(got["out"])


def test_help_and_unknown_names_see_every_command() -> None:
    every = sorted(set(COMMANDS.values()))
    top = _run(["--help"])
    assert top["code"] == 0 and top["loaded"] == every
    listed = [line.split()[1] for line in str(top["out"]).splitlines() if line[2:3].isalpha()]
    assert [n for n in listed if n in COMMANDS] == list(COMMANDS)
    typo = _run(["sistems"])
    assert typo["code"] == 2 and typo["loaded"] == every
    assert "systems" in str(typo["err"])  # the suggestion needs the full list


def test_importing_one_command_module_imports_only_it() -> None:
    # pytest's doctest collection imports borders_cmds first: its registration used to
    # load every other module and leave "borders" last in --help
    probe = (
        "import json, sys\n"
        "import reachmap.cli.borders_cmds\n"
        "alone = sorted(m for m in sys.modules if m.endswith('_cmds'))\n"
        "from reachmap.cli.app import app\n"
        "print(json.dumps([alone, [c.name for c in app.registered_commands]]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True
    ).stdout
    alone, names = json.loads(out.strip().splitlines()[-1])
    assert alone == ["reachmap.cli.borders_cmds"]
    assert names == list(COMMANDS)
