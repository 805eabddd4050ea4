"""The ``reachmap`` command line: thin commands over :mod:`reachmap`.

Each command lives in a small module of this package and registers itself on
:data:`app`; a command line imports only the module of the command it runs
(:func:`reachmap.cli.app.only`). Library errors (:class:`reachmap.errors.InputError`) become one
line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import os
import re
import sys
import warnings

import numpy as np
import typer

from reachmap.cli.app import app, only
from reachmap.cli.options import flag_message
from reachmap.errors import InputError
from reachmap.io.files import Terminated, handle_termination

try:  # typer >= 0.22 vendors click and raises its own copy's exceptions
    from typer._click import exceptions as _click_exc
except ImportError:  # pragma: no cover - older typer with the click package
    from click import exceptions as _click_exc  # type: ignore[no-redef]

__all__ = ["app", "main"]


#: A token that is a number or a LAT,LON pair, such as ``-33.9,18.4`` or ``-5``: never
#: an option, although it starts with "-" (click would read it as one).
_NEGATIVE_NUMBER = re.compile(
    r"^-\d[\d.eE+-]*[NSEWnsew]?(?:\s*[,;]\s*[+-]?[\d.eE+-]+[NSEWnsew]?)?$"
)


def _protect_numbers(args: list[str]) -> list[str]:
    """Pass a positional number that starts with "-" as an argument: ``area -33.9,18.4``
    means the coordinates, not an option ``-3``. A leading space hides the "-" from
    click; the parsers strip it. After an option (``--range -5``) click already takes
    the token as the option's value, and everything after ``--`` is left alone."""
    out: list[str] = []
    for i, arg in enumerate(args):
        if arg == "--":
            return out + args[i:]
        after_option = i > 0 and args[i - 1].startswith("-")
        out.append(" " + arg if _NEGATIVE_NUMBER.match(arg) and not after_option else arg)
    return out


def _plain_streams() -> None:
    """On a terminal that cannot show a character (e.g. ASCII only), print a
    replacement instead of failing."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("_", "-")
        if not encoding.startswith("utf") and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


def _usage_line(err: _click_exc.ClickException) -> str:
    """A framework usage error as one line, with where to read more."""
    message = " ".join(err.format_message().split())
    ctx = getattr(err, "ctx", None)
    if ctx is not None:
        message += f" (see '{ctx.command_path} --help')"
    return message


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return (and exit with) its status code."""
    _plain_streams()
    args = _protect_numbers(sys.argv[1:] if argv is None else list(argv))
    try:
        # NaN is how the library marks a value that does not exist (a place out of
        # reach, a flight the model cannot fly): numpy's warnings about it are noise.
        # SIGTERM/SIGHUP unwind like Ctrl-C, so no temporary output file is left behind.
        with (
            np.errstate(all="ignore"),
            warnings.catch_warnings(),
            handle_termination(),
            only(args),
        ):
            warnings.simplefilter("ignore", RuntimeWarning)
            result = app(args=args, prog_name="reachmap", standalone_mode=False)
        code = result if isinstance(result, int) else 0
    except InputError as err:
        print(f"reachmap: error: {flag_message(err)}", file=sys.stderr)
        code = 2
    except typer.Exit as err:
        code = err.exit_code
    except _click_exc.ClickException as err:
        print(f"reachmap: error: {_usage_line(err)}", file=sys.stderr)
        code = 2
    except typer.Abort:
        print("reachmap: aborted", file=sys.stderr)
        code = 130
    except Terminated as err:
        print(f"reachmap: stopped by {err}", file=sys.stderr)
        code = 128 + err.signum
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
