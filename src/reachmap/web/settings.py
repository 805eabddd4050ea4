"""How the web app is configured: one frozen :class:`Settings`, from code or from the
environment (``reachmap serve`` sets ``REACHMAP_WEB_*`` variables so that each of
uvicorn's worker processes builds the same app; see :func:`reachmap.web.app.factory`).

>>> Settings.from_env({"REACHMAP_WEB_PORT": "9000"}).port
9000
>>> Settings.from_env(Settings(deadline_s=2.5).to_env()).deadline_s
2.5
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, fields

from reachmap.errors import InputError

__all__ = ["ENV_PREFIX", "Settings"]

ENV_PREFIX = "REACHMAP_WEB_"


@dataclass(frozen=True)
class Settings:
    """The web app's settings; limits are per request (docs/web.md)."""

    #: address to listen on: the loopback interface unless ``--host`` says otherwise
    host: str = "127.0.0.1"
    port: int = 8000
    #: scenarios store (SQLAlchemy URL); None: SQLite in the user data directory
    db_url: str | None = None
    #: uvicorn worker processes (each has its own computation pool)
    workers: int = 1
    #: largest request body (bytes), checked on Content-Length and while reading
    max_body_bytes: int = 2 * 1024 * 1024
    #: vertices of an uploaded GeoJSON launch area (the library's own limit is
    #: 1,000,000, docs/limits.md; a web request gets a tenth: 1.5 x Canada's outline)
    max_vertices: int = 100_000
    #: ``to`` places of one ``/api/flight`` request (as ``reachmap flight --to``)
    max_targets: int = 100
    #: seconds one computation may take before the request gets 503
    deadline_s: float = 30.0
    #: computation worker processes per app
    compute_workers: int = 2
    #: answers kept in each server process (LRU, keyed on the normalised request)
    cache_entries: int = 64
    #: and at most this many bytes of them (a 34,000-place reach is 2.8 MB)
    cache_bytes: int = 256 * 1024 * 1024
    #: where finished reports are kept (None: ``$REACHMAP_REPORTS``, else the user cache)
    report_dir: str | None = None
    #: seconds one report build may take before it is stopped (and fails)
    report_deadline_s: float = 300.0
    #: report builds at once per server process, and how many more may wait
    report_builds: int = 1
    report_queue: int = 4
    #: finished reports kept (the oldest go first), and their total size at most
    report_cache_entries: int = 32
    report_cache_mb: int = 500
    #: origins allowed by CORS (none by default: the page is served by the app itself)
    cors_origins: tuple[str, ...] = ()

    def to_env(self) -> dict[str, str]:
        """The settings as environment variables (:meth:`from_env` reads them back)."""
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None:
                continue
            text = ",".join(value) if isinstance(value, tuple) else str(value)
            out[ENV_PREFIX + f.name.upper()] = text
        return out

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Settings:
        """Settings from ``REACHMAP_WEB_*`` variables; the others keep their defaults."""
        values: dict[str, object] = {}
        for f in fields(cls):
            text = environ.get(ENV_PREFIX + f.name.upper())
            if text is None:
                continue
            kind = type(getattr(cls(), f.name)) if f.name not in ("db_url", "report_dir") else str
            try:
                if kind is tuple:
                    values[f.name] = tuple(t for t in text.split(",") if t)
                elif kind in (int, float):
                    values[f.name] = kind(text)
                else:
                    values[f.name] = text
            except ValueError:
                raise InputError(f"{ENV_PREFIX}{f.name.upper()}={text!r} is not a number") from None
        return dataclasses.replace(cls(), **values)  # type: ignore[arg-type]
