"""The scenarios store, every test on SQLite and on a real PostgreSQL server
(``store_url`` in conftest.py): ids and tokens, ownership, optimistic updates,
restarts, migrations, limits, and two processes writing at once."""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from reachmap.errors import InputError, InputTypeError, TooLarge
from reachmap.store import (
    NotOwner,
    ScenarioNotFound,
    ScenarioStore,
    SchemaTooNew,
    StoreUnavailable,
    VersionConflict,
)
from reachmap.store import params as store_params
from reachmap.store.schema import SCHEMA_VERSION, scenarios, schema_version

PARAMS = {"from": ["BLR", "53.71,31.70"], "system": "oreshnik", "targets": "capitals"}


@pytest.fixture
def store(store_url: str):
    with ScenarioStore.open(store_url) as opened:
        yield opened


def _raw_rows(store_url: str) -> list[dict[str, object]]:
    engine = sa.create_engine(store_url)
    with engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(sa.select(scenarios)).mappings()]
    engine.dispose()
    return rows


def test_create_then_get_gives_back_what_was_saved(store: ScenarioStore) -> None:
    made = store.create("Oreshnik from Belarus", PARAMS)
    got = store.get(made.scenario.id)
    assert got == made.scenario
    assert (got.title, got.params, got.version) == ("Oreshnik from Belarus", PARAMS, 1)
    assert got.created_at == got.updated_at
    assert (
        got.created_at.utcoffset() is not None and got.created_at.utcoffset().total_seconds() == 0
    )
    assert json.loads(json.dumps(made.to_json()))["owner_token"] == made.owner_token


def test_ids_carry_128_random_bits_and_tokens_256(store: ScenarioStore) -> None:
    made = [store.create(f"s{i}", {}) for i in range(40)]
    ids = {m.scenario.id for m in made}
    tokens = {m.owner_token for m in made}
    assert len(ids) == len(tokens) == 40
    for m in made:
        assert len(base64.urlsafe_b64decode(m.scenario.id + "==")) == 16
        assert len(base64.urlsafe_b64decode(m.owner_token + "=")) == 32
    # 40 uniform 128-bit ids: each of the 128 bit positions is set in some id and clear in
    # another (a constant or counter-like id fails; chance for random ids: 128 * 2**-39)
    bits = [int.from_bytes(base64.urlsafe_b64decode(i + "==")) for i in ids]
    assert all(any(b >> k & 1 for b in bits) and not all(b >> k & 1 for b in bits)
               for k in range(128))  # fmt: skip


def test_the_owner_token_is_not_stored_only_its_hash(store: ScenarioStore, store_url: str) -> None:
    made = store.create("t", PARAMS)
    (row,) = _raw_rows(store_url)
    assert made.owner_token not in json.dumps(row, default=str)
    assert row["owner_hash"] == hashlib.sha256(made.owner_token.encode()).hexdigest()


def test_the_owner_updates_and_the_version_counts(store: ScenarioStore) -> None:
    made = store.create("first", PARAMS)
    sid, token = made.scenario.id, made.owner_token
    v2 = store.update(sid, token, version=1, title="second")
    assert (v2.title, v2.params, v2.version) == ("second", PARAMS, 2)
    v3 = store.update(sid, token, version=2, scenario_params={"range": "5500km"})
    assert (v3.title, v3.params, v3.version) == ("second", {"range": "5500km"}, 3)
    assert v3.created_at == made.scenario.created_at < v3.updated_at
    assert store.get(sid) == v3


def test_only_the_owner_can_change_a_scenario(store: ScenarioStore) -> None:
    made = store.create("mine", PARAMS)
    other = store.create("theirs", {})
    sid = made.scenario.id
    for token in (other.owner_token, None, "", "x" * 43 + "!", made.owner_token[:-1]):
        with pytest.raises(NotOwner):
            store.update(sid, token, version=1, title="hijacked")
    assert store.get(sid) == made.scenario


def test_unknown_ids_are_not_found(store: ScenarioStore) -> None:
    made = store.create("t", {})
    unknown = "A" * 22
    for sid in (unknown, "short", "../../etc/passwd", "x" * 10_000, 42):
        with pytest.raises(ScenarioNotFound, match="no scenario has the id"):
            store.get(sid)  # type: ignore[arg-type]
        with pytest.raises(ScenarioNotFound):
            store.update(sid, made.owner_token, version=1, title="x")  # type: ignore[arg-type]


def test_a_stale_version_is_a_conflict_not_an_overwrite(store: ScenarioStore) -> None:
    made = store.create("t", PARAMS)
    sid, token = made.scenario.id, made.owner_token
    store.update(sid, token, version=1, title="saved in another tab")
    with pytest.raises(VersionConflict, match="now version 2") as caught:
        store.update(sid, token, version=1, title="stale edit")
    assert caught.value.current_version == 2
    assert store.get(sid).title == "saved in another tab"
    with pytest.raises(InputError, match="`version`"):
        store.update(sid, token, version="2", title="x")  # type: ignore[arg-type]


def test_only_the_owner_deletes_and_then_it_is_gone(store: ScenarioStore) -> None:
    made = store.create("mine", PARAMS)
    kept = store.create("also mine", PARAMS, made.owner_token)
    other = store.create("theirs", {})
    sid = made.scenario.id
    for token in (other.owner_token, None, "", made.owner_token[:-1]):
        with pytest.raises(NotOwner):
            store.delete(sid, token)
    assert store.get(sid) == made.scenario
    store.delete(sid, made.owner_token)
    with pytest.raises(ScenarioNotFound):
        store.get(sid)
    with pytest.raises(ScenarioNotFound):  # twice: the second finds nothing
        store.delete(sid, made.owner_token)
    with pytest.raises(ScenarioNotFound):
        store.update(sid, made.owner_token, title="back?")
    for bad in ("A" * 22, "short", 42):
        with pytest.raises(ScenarioNotFound):
            store.delete(bad, made.owner_token)  # type: ignore[arg-type]
    assert [s.id for s in store.list_owned(made.owner_token)] == [kept.scenario.id]
    assert store.get(other.scenario.id) == other.scenario


def test_an_owner_lists_their_scenarios_newest_first(store: ScenarioStore) -> None:
    a = store.create("a", {})
    b = store.create("b", {}, owner_token=a.owner_token)
    stranger = store.create("c", {})
    store.update(a.scenario.id, a.owner_token, version=1, title="a2")
    listed = store.list_owned(a.owner_token)
    assert [s.title for s in listed] == ["a2", "b"]
    assert [s.id for s in listed] == [a.scenario.id, b.scenario.id]
    assert [s.title for s in store.list_owned(stranger.owner_token)] == ["c"]
    nobody = "n" * 43
    assert store.list_owned(nobody) == []
    with pytest.raises(NotOwner):
        store.list_owned("too-short")
    assert len(store.list_owned(a.owner_token, limit=1)) == 1


def test_html_in_a_title_is_kept_verbatim(store: ScenarioStore) -> None:
    title = "<script>alert('x')</script> & \"quotes\" – Минск"
    made = store.create(title, {"from": "<img src=x onerror=alert(1)>"})
    got = store.get(made.scenario.id)
    assert got.title == title
    assert got.params == {"from": "<img src=x onerror=alert(1)>"}


def test_nothing_is_lost_across_a_restart(store_url: str) -> None:
    first = ScenarioStore.open(store_url)
    made = first.create("kept", PARAMS)
    updated = first.update(made.scenario.id, made.owner_token, version=1, title="kept 2")
    first.close()
    with ScenarioStore.open(store_url) as again:
        assert again.get(made.scenario.id) == updated
        assert again.list_owned(made.owner_token) == [updated]
        assert again.update(made.scenario.id, made.owner_token, version=2, title="3").version == 3


def test_threads_updating_one_scenario_lose_no_update(store: ScenarioStore) -> None:
    made = store.create("0", {})
    sid, token = made.scenario.id, made.owner_token
    errors: list[BaseException] = []

    def bump(times: int) -> None:
        try:
            for _ in range(times):
                while True:
                    current = store.get(sid)
                    try:
                        store.update(sid, token, version=current.version,
                                     title=str(int(current.title) + 1))  # fmt: skip
                        break
                    except VersionConflict:
                        continue
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    workers = [threading.Thread(target=bump, args=(15,)) for _ in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert errors == []
    final = store.get(sid)
    assert (final.title, final.version) == ("60", 61)


WORKER = textwrap.dedent(
    """
    import sys
    from reachmap.store import ScenarioStore, VersionConflict
    url, sid, token, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    store = ScenarioStore.open(url)
    for i in range(n):
        store.create(f"made {i}", {"minutes": [i + 1]}, owner_token=token)
        while True:
            current = store.get(sid)
            try:
                store.update(sid, token, version=current.version,
                             title=str(int(current.title) + 1))
                break
            except VersionConflict:
                pass
    store.close()
    """
)


def test_two_processes_writing_at_once_lose_nothing(store_url: str) -> None:
    with ScenarioStore.open(store_url) as store:
        made = store.create("0", {})
    n = 40
    args = [sys.executable, "-c", WORKER, store_url, made.scenario.id, made.owner_token, str(n)]
    procs = [subprocess.Popen(args, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    with ScenarioStore.open(store_url) as store:
        final = store.get(made.scenario.id)
        assert (final.title, final.version) == (str(2 * n), 2 * n + 1)
        owned = store.list_owned(made.owner_token)
    assert len(owned) == 2 * n + 1
    assert sorted(s.params.get("minutes", [0])[0] for s in owned) == sorted(
        [0] + 2 * list(range(1, n + 1))
    )


# --- schema ------------------------------------------------------------------------------


def test_a_new_database_gets_the_current_schema_version(
    store: ScenarioStore, store_url: str
) -> None:
    engine = sa.create_engine(store_url)
    with engine.connect() as conn:
        assert conn.execute(sa.select(schema_version.c.version)).scalars().all() == [SCHEMA_VERSION]
    engine.dispose()
    store.close()
    ScenarioStore.open(store_url).close()  # opening again migrates nothing, adds no row
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(schema_version)).scalar() == 1
    engine.dispose()


def test_a_database_of_a_newer_reachmap_is_refused(store: ScenarioStore, store_url: str) -> None:
    made = store.create("from the future", {})
    store.close()
    engine = sa.create_engine(store_url)
    with engine.begin() as conn:
        conn.execute(schema_version.update().values(version=SCHEMA_VERSION + 1))
    engine.dispose()
    with pytest.raises(SchemaTooNew, match="newer than this reachmap knows") as caught:
        ScenarioStore.open(store_url)
    assert "\n" not in str(caught.value)
    assert _raw_rows(store_url)[0]["id"] == made.scenario.id  # untouched


def test_an_empty_version_table_is_migrated(store_url: str) -> None:
    engine = sa.create_engine(store_url)
    with engine.begin() as conn:
        schema_version.create(conn)
    engine.dispose()
    with ScenarioStore.open(store_url) as store:
        made = store.create("t", {})
        assert store.get(made.scenario.id).title == "t"


# --- limits and bad input ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "error", "match"),
    [
        ("x" * (store_params.MAX_TITLE_CHARS + 1), TooLarge, "at most 200"),
        ("two\nlines", InputError, "U\\+000A"),
        ("nul\x00", InputError, "U\\+0000"),
        ("lone \ud800", InputError, "U\\+D800"),
        (None, InputTypeError, "must be text"),
    ],
)
def test_bad_titles_are_refused(
    store: ScenarioStore, title: object, error: type, match: str
) -> None:
    with pytest.raises(error, match=match):
        store.create(title, {})  # type: ignore[arg-type]
    assert store.create("x" * store_params.MAX_TITLE_CHARS, {}).scenario.title == "x" * 200


def _deep(levels: int) -> object:
    value: object = {"type": "Point"}
    for _ in range(levels):
        value = {"type": "GeometryCollection", "geometries": [value]}
    return value


BAD_PARAMS = [
    ([], InputTypeError, "`scenario` must be an object"),
    ({"form": "BLR"}, InputError, "unknown field 'form'; the fields are: from, vs"),
    ({"range": []}, InputError, "`scenario.range` is an empty list"),
    ({"from": [{"spec": "BLR", "colour": "red"}]}, InputError, "unknown field 'colour'"),
    ({"from": [{"point": [31.7, 91]}]}, InputError, "is off the Earth"),
    ({"from": [{"point": ["31.7", 53]}]}, InputError, r"\[lon, lat\] in degrees"),
    ({"from": [{"spec": 5}]}, InputTypeError, r"`scenario.from\[0\].spec` must be text"),
    ({"from": [{"geojson": []}]}, InputError, "must be a GeoJSON object"),
    ({"from": [{"label": "x"}]}, InputError, "without a GeoJSON 'type', 'spec', 'point'"),
    ({"title": "a\tb"}, InputError, "`scenario.title` contains the control character"),
    ({"geojson": {"coordinates": []}}, InputError, "`scenario.geojson` must be a GeoJSON"),
    ({"from": ["BLR", 5]}, InputTypeError, r"`scenario.from\[1\]` must be text"),
    ({"from": {"coordinates": [1, 2]}}, InputError, "without a GeoJSON 'type'"),
    ({"from": ["BLR"] * 101}, TooLarge, "at most 100"),
    ({"from": " "}, InputError, "`scenario.from` is empty"),
    ({"range": "-5"}, InputError, "`scenario.range` must be positive"),
    ({"range": "2000,30000"}, InputError, "more than half the Earth's circumference"),
    ({"range": True}, InputTypeError, "`scenario.range` must be a number of km"),
    ({"range": "5500 parsecs"}, InputError, "unknown unit 'parsecs'"),
    ({"minutes": [5, 0]}, InputError, "`scenario.minutes` must be between 0 and 1,440"),
    ({"minutes": "5,ten"}, InputError, "must be minutes"),
    ({"profile": "ballistic"}, InputError, "use one of: min-energy, lofted, depressed, all"),
    ({"system": 7}, InputTypeError, "`scenario.system` must be a system name"),
    ({"range": float("nan")}, InputError, "JSON cannot hold"),
    ({"from": "\udfff"}, InputError, "lone surrogate"),
    ({"from": {"type": "Point", "name": "a\x00b"}}, InputError, "NUL character"),
    ({"vs": _deep(40)}, InputError, "nested more than 32"),
    (
        {"from": {"type": "x", "big": "y" * store_params.MAX_PARAMS_CHARS}},
        TooLarge,
        "at most 262,144 are kept",
    ),  # fmt: skip
]


@pytest.mark.parametrize(("bad", "error", "match"), BAD_PARAMS, ids=[m for _, _, m in BAD_PARAMS])
def test_bad_params_are_refused_naming_the_field(
    store: ScenarioStore, bad: object, error: type, match: str
) -> None:
    with pytest.raises(error, match=match) as caught:
        store.create("t", bad)
    assert "\n" not in str(caught.value)
    if isinstance(bad, dict) and len(bad) == 1 and caught.value.param is not None:
        assert caught.value.param == f"scenario.{next(iter(bad))}"  # the field, for the API
    made = store.create("ok", PARAMS)
    with pytest.raises(error, match=match):
        store.update(made.scenario.id, made.owner_token, version=1, scenario_params=bad)
    assert store.get(made.scenario.id) == made.scenario


def test_every_field_in_its_accepted_shapes(store: ScenarioStore) -> None:
    full = {
        "from": [{"type": "Point", "coordinates": [27.56, 53.9]}, "kapustin-yar"],
        "vs": "BLR",
        "system": None,
        "range": [2000, "5500km", "1200mi,3000"],
        "targets": "europe",
        "minutes": "5,10,15",
        "profile": "lofted",
    }
    assert store.get(store.create("all", full).scenario.id).params == full


def test_the_pages_own_fields_are_kept(store: ScenarioStore) -> None:
    # what the page's scenarioOf() sends (src/reachmap/web/static/js/app.js)
    page = {
        "title": "<b>Oreshnik</b>",
        "system": "oreshnik",
        "range": None,
        "from": [
            {"spec": "BLR", "label": "Belarus"},
            {"point": [31.7, 53.71]},
            {"geojson": {"type": "Point", "coordinates": [27.56, 53.9]}, "name": "Minsk.geojson"},
        ],
        "targets": "cities",
        "minutes": None,
        "vs": None,
    }
    assert store.get(store.create("t", page).scenario.id).params == page
    assert store.create("empty", {"from": []}).scenario.params == {"from": []}


def test_an_update_without_a_version_is_the_last_save(store: ScenarioStore) -> None:
    made = store.create("t", PARAMS)
    sid, token = made.scenario.id, made.owner_token
    store.update(sid, token, version=1, title="elsewhere")
    again = store.update(sid, token, title="last save wins")
    assert (again.title, again.version) == ("last save wins", 3)
    with pytest.raises(NotOwner):
        store.update(sid, "z" * 43, title="not without the token")


def test_params_are_stored_as_json_text(store: ScenarioStore, store_url: str) -> None:
    store.create("t", PARAMS)
    (row,) = _raw_rows(store_url)
    assert json.loads(str(row["params"])) == PARAMS


# --- opening -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("db", "match"),
    [
        ("mysql://host/db", "is not a supported database; give a file path, sqlite:///PATH"),
        ("postgresql://host:notaport/db", "is not a database URL"),
        ("sqlite://", "names no file"),
        ("sqlite:///:memory:", "names no file"),
        ("   ", "`db` is empty"),
    ],
)
def test_bad_urls_are_one_line_input_errors(db: str, match: str) -> None:
    with pytest.raises(InputError, match=match) as caught:
        ScenarioStore.open(db)
    assert "\n" not in str(caught.value)


def test_an_unreachable_server_is_unavailable() -> None:
    # port 9 on loopback (discard): nothing listens, the connection is refused at once
    with pytest.raises(StoreUnavailable, match="cannot use the scenarios database") as caught:
        ScenarioStore.open("postgresql://me:secret@127.0.0.1:9/reachmap")
    assert "\n" not in str(caught.value)
    assert "secret" not in str(caught.value) and "me:***@127.0.0.1:9" in str(caught.value)


def test_a_missing_database_on_a_live_server_is_unavailable(postgres_server: str) -> None:
    with pytest.raises(StoreUnavailable, match="no_such_db"):
        ScenarioStore.open(postgres_server.replace("@/postgres?", "@/no_such_db?"))


def test_sqlite_directory_problems_are_unavailable(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    with pytest.raises(StoreUnavailable, match="cannot make the directory .*; give --db"):
        ScenarioStore.open(blocker / "sub" / "s.sqlite3")
    with pytest.raises(StoreUnavailable, match="is a directory"):
        ScenarioStore.open(tmp_path)
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is not a SQLite database, just some text" * 100)
    with pytest.raises(StoreUnavailable, match="file is not a database"):
        ScenarioStore.open(junk)


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "s.sqlite3"  # directories are made
    with ScenarioStore.open(path) as store:
        store.create("t", {})
        with store._engine.connect() as conn:  # the store's own connections
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30_000
    import sqlite3

    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA journal_mode").fetchone() == ("wal",)  # persistent
    raw.close()


def test_the_default_database_is_in_the_user_data_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    import platformdirs

    from reachmap.store import database, default_url

    monkeypatch.delenv(database.DB_ENV, raising=False)
    expected = Path(platformdirs.user_data_dir("reachmap")) / "scenarios.sqlite3"
    assert default_url() == str(expected)
    assert database.parse_url(None).database == str(expected.absolute())
    monkeypatch.setenv(database.DB_ENV, "postgresql://h/db")
    assert database.parse_url(None).render_as_string() == "postgresql+psycopg://h/db"
