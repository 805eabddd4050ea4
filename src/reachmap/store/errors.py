"""What the scenarios store refuses, one class per answer an interface gives.

Every one is an :class:`~reachmap.errors.InputError`, so the command line prints one
line and exits with status 2 for each; the web API tells them apart (the status it
answers is given with each class).
"""

from __future__ import annotations

from reachmap.errors import InputError


class ScenarioNotFound(InputError):
    """No scenario has this id (HTTP 404)."""


class NotOwner(InputError):
    """The owner token is missing or is not this scenario's (HTTP 403)."""


class VersionConflict(InputError):
    """The scenario changed since the caller read it (HTTP 409); ``current_version`` is
    the version now stored: read it again, then retry the update with that version."""

    def __init__(self, message: str, current_version: int) -> None:
        super().__init__(message)
        self.current_version = current_version


class StoreUnavailable(InputError):
    """The database cannot be opened or reached: a bad URL, a server that does not
    answer, a directory that cannot be written (HTTP 503 while serving; exit status 2
    when ``reachmap serve --db`` starts)."""


class SchemaTooNew(StoreUnavailable):
    """The database was written by a newer reachmap whose schema this one does not know."""
