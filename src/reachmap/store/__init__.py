"""Saved and shared scenarios: SQLite in the user's data directory by default, or a
PostgreSQL server shared by several app servers (SQLAlchemy Core, no ORM).

>>> from reachmap.store import ScenarioStore
>>> ScenarioStore.open("mysql://host/db")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
reachmap.errors.InputError: `db` 'mysql://host/db' is not a supported database; ...

Modules: :mod:`~reachmap.store.database` (URLs, engines, SQLite settings),
:mod:`~reachmap.store.schema` (tables and migrations), :mod:`~reachmap.store.params`
(what a scenario may hold), :mod:`~reachmap.store.scenarios` (the operations),
:mod:`~reachmap.store.errors` (what each refusal means to an interface).
"""

from __future__ import annotations

from reachmap.store.database import default_url
from reachmap.store.errors import (
    NotOwner,
    ScenarioNotFound,
    SchemaTooNew,
    StoreUnavailable,
    VersionConflict,
)
from reachmap.store.scenarios import Created, Scenario, ScenarioStore

__all__ = [
    "Created",
    "NotOwner",
    "Scenario",
    "ScenarioNotFound",
    "ScenarioStore",
    "SchemaTooNew",
    "StoreUnavailable",
    "VersionConflict",
    "default_url",
]
