"""The ``reachmap`` command line: thin commands over :mod:`reachmap`.

Each command lives in a small module of this package and registers itself on
:data:`app`. Library errors (:class:`reachmap.errors.InputError`) become one
line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import os
import sys

import typer

from reachmap.cli.app import app
from reachmap.errors import InputError

try:  # typer >= 0.22 vendors click and raises its own copy's exceptions
    from typer._click import exceptions as _click_exc
except ImportError:  # pragma: no cover - older typer with the click package
    from click import exceptions as _click_exc  # type: ignore[no-redef]

# Importing the command modules registers their commands on ``app``.
from reachmap.cli import catalog_cmds as _catalog_cmds  # noqa: E402,F401  # isort: skip
from reachmap.cli import geo_cmds as _geo_cmds  # noqa: E402,F401  # isort: skip
from reachmap.cli import flight_cmds as _flight_cmds  # noqa: E402,F401  # isort: skip
from reachmap.cli import envelope_cmds as _envelope_cmds  # noqa: E402,F401  # isort: skip
from reachmap.cli import compare_cmds as _compare_cmds  # noqa: E402,F401  # isort: skip

__all__ = ["app", "main"]


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return (and exit with) its status code."""
    try:
        result = app(args=argv, standalone_mode=False)
        code = result if isinstance(result, int) else 0
    except InputError as err:
        print(f"reachmap: error: {err}", file=sys.stderr)
        code = 2
    except typer.Exit as err:
        code = err.exit_code
    except _click_exc.ClickException as err:
        err.show()
        code = 2
    except typer.Abort:
        print("reachmap: aborted", file=sys.stderr)
        code = 130
    except BrokenPipeError:
        code = 0
    except Exception as err:  # a bug, not bad input: one line, and a way to see more
        if os.environ.get("REACHMAP_DEBUG"):
            raise
        print(
            f"reachmap: internal error ({type(err).__name__}: {err}); please report it, "
            "and rerun with REACHMAP_DEBUG=1 for the traceback",
            file=sys.stderr,
        )
        code = 1
    if argv is None:
        sys.exit(code)
    return code
