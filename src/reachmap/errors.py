"""The one error type users see.

Library code raises :class:`InputError` for anything the caller can fix (an
unknown country, latitude 91, a negative range). The command line turns it into
one line on stderr and exit code 2; the web API into a 4xx JSON body.

The library speaks parameters, the interfaces speak their own words: a message
names the parameter to fix in backticks (```range_m` must be ...``), and each
interface puts its own name for it there (the command line its flag, ``--range``;
see :func:`reachmap.cli.options.flag_message`).

Two subclasses say more about the refusal, for callers that want to tell them apart
(the web API answers 413 to :class:`TooLarge`); every one is an :class:`InputError`:

* :class:`InputTypeError`: a value of the wrong type (``reachmap.envelope(area, "5")``);
  also a :class:`TypeError`, so code written against plain Python keeps working;
* :class:`TooLarge`: input past one of the documented limits (docs/limits.md).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager


class InputError(ValueError):
    """Bad input: the message says what was wrong and how to fix it.

    ``param`` names the parameter the input was given for, when the message alone does
    not (an unknown country given as the launch area: ``from``); see :func:`about`.
    """

    param: str | None = None


class InputTypeError(InputError, TypeError):
    """A value of the wrong type; the message names the parameter and the type wanted."""


class TooLarge(InputError):
    """Input past a documented limit (file size, vertices, list length; docs/limits.md)."""


def shown(text: object, width: int = 60) -> str:
    """``repr`` of user text for a message, cut to ``width`` characters: a 100 kB argument
    still gives a one-line error.

    >>> shown("Minsk")
    "'Minsk'"
    >>> shown("x" * 300)
    "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...' (300 characters)"
    """
    value = str(text)
    if len(value) <= width:
        return repr(value)
    cut = repr(value[:width])
    return f"{cut[:-1]}...{cut[-1]} ({len(value):,} characters)"


def type_name(value: object) -> str:
    """The type of ``value`` as a message says it: ``None``, ``str``, ``list``...

    >>> type_name(None), type_name("5"), type_name(2.5)
    ('None', 'str', 'float')
    """
    return "None" if value is None else type(value).__name__


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


def require_text(value: object, what: str = "a name") -> str:
    """``value`` if it is text, else :class:`InputTypeError` ("a name must be text, got int").

    >>> require_text("Minsk")
    'Minsk'
    """
    if not isinstance(value, str):
        raise InputTypeError(f"{what} must be text, got {type_name(value)}")
    return value


@contextmanager
def about(param: str) -> Iterator[None]:
    """Mark an :class:`InputError` raised inside as being about ``param`` (unless a
    deeper ``about`` already said which), so that an interface can name its field.

    >>> try:
    ...     with about("from"):
    ...         raise InputError("unknown launch area 'Belaru'")
    ... except InputError as err:
    ...     err.param
    'from'
    """
    try:
        yield
    except InputError as err:
        if err.param is None:
            err.param = param
        raise
