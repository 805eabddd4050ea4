"""The one error type users see.

Library code raises :class:`InputError` for anything the caller can fix (an
unknown country, latitude 91, a negative range). The command line turns it into
one line on stderr and exit code 2; the web API into a 4xx JSON body.

The library speaks parameters, the interfaces speak their own words: a message
names the parameter to fix in backticks (```range_m` must be ...``), and each
interface puts its own name for it there (the command line its flag, ``--range``;
see :func:`reachmap.cli.options.flag_message`).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class InputError(ValueError):
    """Bad input: the message says what was wrong and how to fix it."""


def suggest(word: str, choices: Iterable[str], n: int = 3) -> str:
    """A "did you mean" clause for ``word`` among ``choices`` ('' if none is close).

    >>> suggest("Belaru", ["Belarus", "Chile", "Japan"])
    " Did you mean: 'Belarus'?"
    """
    pool = list(choices)
    lowered = {c.lower(): c for c in pool}
    close = difflib.get_close_matches(word.lower(), list(lowered), n=n, cutoff=0.6)
    if not close:
        return ""
    return " Did you mean: " + ", ".join(repr(lowered[c]) for c in close) + "?"
