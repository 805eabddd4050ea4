"""Saved scenarios: create, read by share id, update or delete with the owner's token,
list an owner's.

A scenario has two secrets of different kinds:

* its **id** is the share link: whoever has it may read the scenario. It is 128 random
  bits (``secrets.token_urlsafe(16)``, 22 characters), so ids cannot be guessed or
  enumerated.
* its **owner token** is the right to change it: 256 random bits
  (``secrets.token_urlsafe(32)``, 43 characters), shown once, when the scenario is
  made. Only its SHA-256 is stored (a database that leaks gives no token; a random
  256-bit token needs no slow password hash) and it is compared in constant time
  (:func:`hmac.compare_digest`). One token may own many scenarios: pass it to
  :meth:`ScenarioStore.create` to add to an owner's list.

Updates are optimistic: the caller sends the ``version`` it read; if someone saved in
between, the update is refused with :class:`VersionConflict` instead of overwriting
their work.

>>> import tempfile, pathlib
>>> store = ScenarioStore.open(pathlib.Path(tempfile.mkdtemp()) / "s.sqlite3")
>>> made = store.create("Oreshnik from Belarus", {"from": "BLR", "system": "oreshnik"})
>>> store.get(made.scenario.id).params
{'from': 'BLR', 'system': 'oreshnik'}
>>> store.update(made.scenario.id, made.owner_token, version=1, title="v2").version
2
>>> store.close()
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import hmac
import json
import os
import re
import secrets
from typing import Any

import sqlalchemy as sa

from reachmap.errors import InputError, shown
from reachmap.store import database, params
from reachmap.store.errors import NotOwner, ScenarioNotFound, VersionConflict
from reachmap.store.schema import migrate, scenarios

ID_BYTES = 16
TOKEN_BYTES = 32
_ID = re.compile(r"[A-Za-z0-9_-]{22}")
_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")
#: most scenarios one call to :meth:`ScenarioStore.list_owned` returns
MAX_LIST = 1_000


@dataclasses.dataclass(frozen=True)
class Scenario:
    """One saved scenario (``params`` as :func:`reachmap.store.params.check_params`
    keeps them, the web API's ``scenario`` field; times in UTC)."""

    id: str
    title: str
    params: dict[str, Any]
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "scenario": self.params,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "version": self.version,
        }


@dataclasses.dataclass(frozen=True)
class Created:
    """A new scenario and its owner's token (the only time the token is given out)."""

    scenario: Scenario
    owner_token: str

    def to_json(self) -> dict[str, Any]:
        return {**self.scenario.to_json(), "owner_token": self.owner_token}


def token_hash(token: str) -> str:
    """SHA-256 of an owner token, hex (what the database keeps)."""
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def _owner_hash(token: object) -> str:
    if not isinstance(token, str) or not _TOKEN.fullmatch(token):
        raise NotOwner(
            "the owner token is missing or malformed; give the token you received when "
            "the scenario was saved"
        )
    return token_hash(token)


class ScenarioStore:
    """The scenarios in one database (see :mod:`reachmap.store.database` for ``db``).
    Thread-safe: each call takes its own pooled connection."""

    def __init__(self, engine: sa.Engine, url: sa.URL) -> None:
        self._engine = engine
        self._url = url

    @classmethod
    def open(cls, db: str | os.PathLike[str] | None = None) -> ScenarioStore:
        """Open (and create or migrate) the store ``db`` names; nothing: the default
        SQLite file. Raises :class:`StoreUnavailable` when it cannot."""
        url = database.parse_url(db)
        engine = database.connect(url)
        try:
            with database.writing(engine, url) as conn:
                migrate(conn, database.shown_url(url))
        except BaseException:
            engine.dispose()
            raise
        return cls(engine, url)

    @property
    def url(self) -> str:
        """The database URL, password hidden."""
        return database.shown_url(self._url)

    @property
    def backend(self) -> str:
        """``'sqlite'`` or ``'postgresql'``."""
        return self._engine.dialect.name

    def close(self) -> None:
        """Close the pooled connections (the store can be opened again later)."""
        self._engine.dispose()

    def __enter__(self) -> ScenarioStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def create(
        self, title: str, scenario_params: object, owner_token: str | None = None
    ) -> Created:
        """Save a new scenario; ``owner_token`` adds it to that owner's scenarios
        (default: a new owner). Returns it with the owner's token."""
        title = params.check_title(title)
        checked = params.check_params(scenario_params)
        token = secrets.token_urlsafe(TOKEN_BYTES) if owner_token is None else owner_token
        owner = _owner_hash(token)
        now = _now()
        row = {
            "id": secrets.token_urlsafe(ID_BYTES),
            "owner_hash": owner,
            "title": title,
            "params": params.dumps(checked),
            "created_at": now,
            "updated_at": now,
            "version": 1,
        }
        with database.writing(self._engine, self._url) as conn:
            conn.execute(scenarios.insert().values(**row))
        return Created(_scenario(row), token)

    def get(self, scenario_id: str) -> Scenario:
        """The scenario with this share id (anyone may read it)."""
        _check_id(scenario_id)
        with database.reading(self._engine, self._url) as conn:
            row = (
                conn.execute(sa.select(scenarios).where(scenarios.c.id == scenario_id))
                .mappings()
                .first()
            )
        if row is None:
            raise ScenarioNotFound(f"no scenario has the id {shown(scenario_id)}")
        return _scenario(row)

    def update(
        self,
        scenario_id: str,
        owner_token: str | None,
        *,
        version: int | None = None,
        title: str | None = None,
        scenario_params: object = None,
    ) -> Scenario:
        """Change the title and/or parameters. ``version`` is the version the caller
        read: if it is no longer the stored one, :class:`VersionConflict` (None: no
        check, the last save wins). :class:`NotOwner` for a token that is not the
        owner's, :class:`ScenarioNotFound` for an unknown id."""
        _check_id(scenario_id)
        if version is not None and (isinstance(version, bool) or not isinstance(version, int)):
            raise InputError(
                f"`version` must be the scenario's version number, got {shown(version)}"
            )
        changes: dict[str, Any] = {}
        if title is not None:
            changes["title"] = params.check_title(title)
        if scenario_params is not None:
            changes["params"] = params.dumps(params.check_params(scenario_params))
        where = [scenarios.c.id == scenario_id]
        with database.writing(self._engine, self._url) as conn:
            found = _owned(conn, scenario_id, owner_token)
            if version is not None:
                if found.version != version:
                    raise _conflict(version, found.version)
                where.append(scenarios.c.version == version)
            changes.update(updated_at=_now(), version=scenarios.c.version + 1)
            done = conn.execute(scenarios.update().where(*where).values(**changes))
            if done.rowcount != 1 and version is not None:
                # PostgreSQL: another transaction committed between the read and the write
                current = conn.execute(
                    sa.select(scenarios.c.version).where(scenarios.c.id == scenario_id)
                ).scalar_one()
                raise _conflict(version, current)
            row = (
                conn.execute(sa.select(scenarios).where(scenarios.c.id == scenario_id))
                .mappings()
                .one()
            )
        return _scenario(row)

    def delete(self, scenario_id: str, owner_token: str | None) -> None:
        """Delete the scenario for good (its link stops working); only the owner may.
        :class:`NotOwner` for a token that is not the owner's, :class:`ScenarioNotFound`
        for an unknown (or already deleted) id."""
        _check_id(scenario_id)
        with database.writing(self._engine, self._url) as conn:
            _owned(conn, scenario_id, owner_token)
            done = conn.execute(scenarios.delete().where(scenarios.c.id == scenario_id))
            if done.rowcount != 1:  # PostgreSQL: another delete committed in between
                raise ScenarioNotFound(f"no scenario has the id {shown(scenario_id)}")

    def list_owned(self, owner_token: str | None, limit: int = MAX_LIST) -> list[Scenario]:
        """The owner's scenarios, most recently changed first (at most ``limit``)."""
        owner = _owner_hash(owner_token)
        limit = max(1, min(int(limit), MAX_LIST))
        with database.reading(self._engine, self._url) as conn:
            rows = (
                conn.execute(
                    sa.select(scenarios)
                    .where(scenarios.c.owner_hash == owner)
                    .order_by(scenarios.c.updated_at.desc(), scenarios.c.id)
                    .limit(limit)
                )
                .mappings()
                .all()
            )
        return [_scenario(r) for r in rows]


def _owned(conn: sa.Connection, scenario_id: str, owner_token: str | None) -> Any:
    """The scenario's owner hash and version, once the token is known to be the owner's."""
    found = conn.execute(
        sa.select(scenarios.c.owner_hash, scenarios.c.version).where(scenarios.c.id == scenario_id)
    ).first()
    if found is None:
        raise ScenarioNotFound(f"no scenario has the id {shown(scenario_id)}")
    if not hmac.compare_digest(_owner_hash(owner_token), found.owner_hash):
        raise NotOwner(
            "this owner token does not own the scenario; only its owner can change or "
            "delete it (save a copy instead)"
        )
    return found


def _check_id(scenario_id: object) -> None:
    if not isinstance(scenario_id, str) or not _ID.fullmatch(scenario_id):
        raise ScenarioNotFound(f"no scenario has the id {shown(scenario_id)}")


def _conflict(expected: int, current: int) -> VersionConflict:
    return VersionConflict(
        f"the scenario changed since version {expected} was read (it is now version "
        f"{current}); read it again and reapply the change",
        current_version=current,
    )


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _utc(value: dt.datetime) -> dt.datetime:
    # SQLite gives back naive datetimes (they were written in UTC)
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _scenario(row: Any) -> Scenario:
    return Scenario(
        id=row["id"],
        title=row["title"],
        params=json.loads(row["params"]),
        created_at=_utc(row["created_at"]),
        updated_at=_utc(row["updated_at"]),
        version=int(row["version"]),
    )
