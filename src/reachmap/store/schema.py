"""The tables, and the migrations that make them.

The schema has a version, kept in the one-row table ``reachmap_schema_version``.
:data:`MIGRATIONS` is the ordered list of steps from an empty database; opening a
store applies the missing ones in one transaction (all or none), under a lock that
makes a second process opening the same database at the same moment wait and then
find the work done. A database whose version is newer than :data:`SCHEMA_VERSION` was
written by a newer reachmap: it is refused, never written.

To change the schema: append a migration (never edit one that has shipped), update
the table definitions below to the result, and test a database made by the previous
version (``tests/test_store.py``).

Tables are prefixed ``reachmap_`` so that a PostgreSQL database shared with other
applications has no clash of names.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

from reachmap.store.errors import SchemaTooNew

metadata = sa.MetaData()

schema_version = sa.Table(
    "reachmap_schema_version",
    metadata,
    sa.Column("version", sa.Integer, nullable=False),
)

#: the scenarios as the code reads and writes them (the result of every migration)
scenarios = sa.Table(
    "reachmap_scenarios",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    # sha256 of the owner token, hex: the token itself is never stored
    sa.Column("owner_hash", sa.String(64), nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("params", sa.Text, nullable=False),  # JSON text, validated before it is written
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Index("ix_reachmap_scenarios_owner", "owner_hash", "updated_at"),
)


def _v1_scenarios(conn: sa.Connection) -> None:
    """Version 1: the scenarios table, written out as it shipped (not from the live
    definition above, so a later change there cannot change what this step does)."""
    shipped = sa.MetaData()
    sa.Table(
        "reachmap_scenarios",
        shipped,
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("owner_hash", sa.String(64), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("params", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Index("ix_reachmap_scenarios_owner", "owner_hash", "updated_at"),
    )
    shipped.create_all(conn)


#: every step from an empty database, in order: step i makes version i + 1
MIGRATIONS: tuple[Callable[[sa.Connection], None], ...] = (_v1_scenarios,)
SCHEMA_VERSION = len(MIGRATIONS)
#: any constant: the PostgreSQL advisory lock that serialises migrations
_PG_LOCK_KEY = 0x7265616368  # "reach"


def stored_version(conn: sa.Connection) -> int:
    """The schema version of the database (0: nothing of reachmap's in it yet)."""
    if not sa.inspect(conn).has_table(schema_version.name):
        return 0
    value = conn.execute(sa.select(schema_version.c.version)).scalar()
    return 0 if value is None else int(value)


def migrate(conn: sa.Connection, where: str, target: int = SCHEMA_VERSION) -> int:
    """Bring the database to ``target`` inside the caller's write transaction; returns
    the version it was at. ``where`` names the database in messages."""
    if conn.dialect.name == "postgresql":
        # released at the end of the transaction; SQLite's BEGIN IMMEDIATE already
        # holds the database's one write lock
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
    found = stored_version(conn)
    if found > SCHEMA_VERSION:
        raise SchemaTooNew(
            f"the scenarios database {where} has schema version {found}, newer than this "
            f"reachmap knows ({SCHEMA_VERSION}); upgrade reachmap, or give --db another database"
        )
    if found >= target:
        return found
    if found == 0:
        schema_version.create(conn, checkfirst=True)
        if conn.execute(sa.select(sa.func.count()).select_from(schema_version)).scalar() == 0:
            conn.execute(schema_version.insert().values(version=0))
    for step in MIGRATIONS[found:target]:
        step(conn)
    conn.execute(schema_version.update().values(version=target))
    return found
