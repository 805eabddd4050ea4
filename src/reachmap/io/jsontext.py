"""Results as JSON text: the one encoder of the command line's ``--format json`` and of
the web API's responses, so that both print the same numbers.

Floats keep full precision (rounding is for tables, not for JSON); numpy scalars and
arrays become plain numbers and lists; NaN and infinities are refused (a result that
holds one is a bug: the library reports a missing value as ``null``).

>>> import numpy as np
>>> to_json({"range_km": np.float64(5500.0), "ids": np.arange(2)}, indent=None)
'{"range_km":5500.0,"ids":[0,1]}'
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["to_json"]


def to_json(data: Any, indent: int | None = 2) -> str:
    """``data`` as JSON text (UTF-8 characters kept, full float precision)."""
    separators = None if indent is not None else (",", ":")
    return json.dumps(
        data,
        indent=indent,
        ensure_ascii=False,
        allow_nan=False,
        default=_jsonable,
        separators=separators,
    )


def _jsonable(obj: Any) -> Any:
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, Path):
        return str(obj)
    raise TypeError(f"not JSON serialisable: {type(obj).__name__}")
