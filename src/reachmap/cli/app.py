"""The typer application object shared by the command modules, loading them lazily.

Each command module registers its commands on :data:`app` when it is imported.
Importing all of them costs more than most commands do (the claim checker, the
coverage analysis, the report: ~0.1 s of a 0.6 s start-up), so the command line
imports only the module of the command it runs (:func:`only`); anything else that
asks ``app`` for its commands (``--help``, a mistyped name, typer's test runner) gets
all of them, listed in the order of :data:`COMMANDS`.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import typer
from typer.models import CommandFunctionType, CommandInfo

#: every command and the module of ``reachmap.cli`` that defines it, in the order
#: ``reachmap --help`` lists them (tests/test_cli_lazy.py checks this table)
COMMANDS: dict[str, str] = {
    "systems": "catalog_cmds",
    "sites": "catalog_cmds",
    "area": "geo_cmds",
    "reach": "geo_cmds",
    "compare": "geo_cmds",
    "flight": "flight_cmds",
    "envelope": "envelope_cmds",
    "isochrones": "envelope_cmds",
    "borders": "borders_cmds",
    "check": "check_cmds",
    "report": "report_cmds",
    "map": "report_cmds",
    "serve": "serve_cmds",
}


class _LazyTyper(typer.Typer):
    """A Typer whose ``registered_commands`` imports the command modules on first
    read, unless :func:`only` has just imported the one a command line needs."""

    _commands: list[CommandInfo]
    _complete = False
    _partial = False

    @property
    def registered_commands(self) -> list[CommandInfo]:
        if self._partial:
            return self._commands
        if not self._complete:
            self._partial = True
            try:
                for module in dict.fromkeys(COMMANDS.values()):
                    importlib.import_module(f"reachmap.cli.{module}")
            finally:
                self._partial = False
            self._complete = True
        order = list(COMMANDS)
        self._commands.sort(key=lambda c: order.index(c.name or ""))
        return self._commands

    @registered_commands.setter
    def registered_commands(self, value: list[CommandInfo]) -> None:
        self._commands = value

    def command(self, *args: Any, **kwargs: Any) -> Any:
        """Register a command without loading the other modules (importing one command
        module directly must not import them all)."""
        decorator = super().command(*args, **kwargs)

        def register(f: CommandFunctionType) -> CommandFunctionType:
            was, self._partial = self._partial, True
            try:
                return decorator(f)
            finally:
                self._partial = was

        return register


app = _LazyTyper(
    name="reachmap",
    help=(
        "From a launch area, what can a publicly reported system reach, and how fast? "
        "Exact distances on the WGS84 ellipsoid, sourced catalog numbers."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def _group() -> None:
    # A callback keeps ``app`` a group of commands when only one command is loaded
    # (typer makes an app of one command that command itself); no docstring, so the
    # group's help stays the one above.
    return None


@contextmanager
def only(args: list[str]) -> Iterator[None]:
    """While running the command line ``args``, load only its command's module (all of
    them for ``--help``, no command or an unknown one)."""
    name = args[0] if args else ""
    if app._complete or name not in COMMANDS:
        yield
        return
    app._partial = True
    try:
        importlib.import_module(f"reachmap.cli.{COMMANDS[name]}")
        yield
    finally:
        app._partial = False
