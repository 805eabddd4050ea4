"""Where each key of a TOML document is: line numbers for error messages.

:mod:`tomllib` parses but does not say where a value was; this scanner reads the text
line by line (table headers, arrays of tables, dotted keys, multi-line strings) and
maps every key path to the line that defines it.
"""

from __future__ import annotations

import re
from typing import Any

_NAME = r"""(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')"""
_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(rf"^\s*({_NAME}(?:\s*\.\s*{_NAME})*)\s*=")


def _parts(dotted: str) -> list[str]:
    return [p.strip().strip("\"'") for p in re.findall(_NAME, dotted)]


def key_lines(text: str) -> dict[tuple[Any, ...], int]:
    """Line (1-based) of every table header and key, by path: ``("title",)``,
    ``("area", 1, "role")`` for the second ``[[area]]``, ``("options", "profiles")``.

    >>> lines = key_lines('title = "x"\\n[[area]]\\nid = "a"\\n[[area]]\\nrole = "b"\\n')
    >>> lines[("area", 1, "role")], lines[("area", 0)]
    (5, 2)
    """
    out: dict[tuple[Any, ...], int] = {}
    arrays: dict[tuple[str, ...], int] = {}
    current: tuple[Any, ...] = ()
    in_multiline = False
    for n, raw in enumerate(text.splitlines(), 1):
        if raw.count('"""') % 2 or raw.count("'''") % 2:
            was, in_multiline = in_multiline, not in_multiline
            if was:
                continue
        elif in_multiline:
            continue
        head = _HEADER.match(raw)
        if head and not _KEY.match(raw):
            names = tuple(_parts(head.group(2)))
            path: list[Any] = []
            for k in range(len(names)):
                path.append(names[k])
                prefix = names[: k + 1]
                if prefix in arrays and not (k == len(names) - 1 and head.group(1) == "[["):
                    path.append(arrays[prefix])
            if head.group(1) == "[[":
                arrays[names] = arrays.get(names, -1) + 1
                path.append(arrays[names])
            current = tuple(path)
            out.setdefault(current, n)
            continue
        key = _KEY.match(raw)
        if key:
            out.setdefault((*current, *_parts(key.group(1))), n)
    return out
