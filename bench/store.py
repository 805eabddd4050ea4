"""Benchmark: the scenarios store's create / get / update latency on SQLite and on
PostgreSQL, against the strongest baseline in the same run: the bare driver (sqlite3,
psycopg) inserting and selecting the same row by primary key in the same database.

The ratio is what the store adds (SQLAlchemy Core, checking the fields, the pooled
connection, the write lock). SQLite is a WAL file in a temporary directory; PostgreSQL
is a throwaway server (tests/pg_server.py, fsync on) on a unix socket, skipped when
its binaries are missing. Each figure is the median and p95 of ``--n`` calls, quiet
and with a competing busy process (bench/contention.py). Prints one JSON object.

    python bench/store.py [--n 300] [--modes quiet,busy] [--backends sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import json
import secrets
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from contention import in_mode, machine, modes

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import pg_server  # noqa: E402

from reachmap.store import ScenarioStore  # noqa: E402

PARAMS = {"from": ["BLR"], "system": "oreshnik", "targets": "capitals", "minutes": "5,10,15"}
ROW = "INSERT INTO reachmap_scenarios VALUES ({0}, {0}, {0}, {0}, {0}, {0}, {0})"


def latencies(fn: Callable[[int], object], n: int) -> dict[str, float]:
    times = []
    for i in range(n):
        start = time.perf_counter()
        fn(i)
        times.append(time.perf_counter() - start)
    times.sort()
    return {
        "median_ms": round(times[n // 2] * 1e3, 3),
        "p95_ms": round(times[int(n * 0.95)] * 1e3, 3),
    }


def raw_sqlite(path: Path) -> tuple[Callable[[int], object], Callable[[int], object]]:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA busy_timeout = 30000")
    ids: list[str] = []

    def insert(i: int) -> None:
        ids.append(secrets.token_urlsafe(16))
        conn.execute("BEGIN IMMEDIATE")
        stamp = "2026-12-01 00:00:00"
        conn.execute(ROW.format("?"), (ids[-1], "h" * 64, "t", json.dumps(PARAMS), stamp, stamp, 1))
        conn.execute("COMMIT")

    def select(i: int) -> None:
        conn.execute("SELECT * FROM reachmap_scenarios WHERE id = ?", (ids[i],)).fetchone()

    return insert, select


def raw_postgres(url: str) -> tuple[Callable[[int], object], Callable[[int], object]]:
    import psycopg

    host = url.split("host=")[1].split("&")[0]
    conn = psycopg.connect(host=host, port=pg_server.PORT, user="postgres", dbname="postgres",
                           autocommit=True)  # fmt: skip
    ids: list[str] = []

    def insert(i: int) -> None:
        ids.append(secrets.token_urlsafe(16))
        conn.execute(ROW.format("%s"), (ids[-1], "h" * 64, "t", json.dumps(PARAMS),
                                        "2026-12-01", "2026-12-01", 1))  # fmt: skip

    def select(i: int) -> None:
        conn.execute("SELECT * FROM reachmap_scenarios WHERE id = %s", (ids[i],)).fetchone()

    return insert, select


def figures(store: ScenarioStore, raw: Any, n: int) -> dict[str, Any]:
    made: list[Any] = []
    create = latencies(lambda i: made.append(store.create(f"s{i}", PARAMS)), n)
    get = latencies(lambda i: store.get(made[i].scenario.id), n)
    update = latencies(
        lambda i: store.update(made[i].scenario.id, made[i].owner_token, version=1, title="u"), n
    )
    raw_insert, raw_select = raw
    base_insert = latencies(raw_insert, n)
    base_select = latencies(raw_select, n)
    return {
        "store": {"create": create, "get": get, "update": update},
        "bare_driver": {"insert": base_insert, "select_by_id": base_select},
        "ratio_median_store_over_driver": {
            "create": round(create["median_ms"] / base_insert["median_ms"], 2),
            "get": round(get["median_ms"] / base_select["median_ms"], 2),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--modes", default="quiet,busy")
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    result: dict[str, Any] = {"benchmark": "scenarios store latency", "n": args.n,
                              "machine": machine()}  # fmt: skip
    backends = args.backends.split(",")
    with tempfile.TemporaryDirectory() as tmp:
        if "sqlite" in backends:
            path = Path(tmp) / "bench.sqlite3"
            with ScenarioStore.open(path) as store:
                raw = raw_sqlite(path)
                result["sqlite"] = {m: in_mode(m, lambda: figures(store, raw, args.n))
                                    for m in modes(args.modes)}  # fmt: skip
        if "postgresql" in backends:
            bindir = pg_server.find_bindir()
            if bindir is None:
                result["postgresql"] = "skipped: no PostgreSQL binaries"
            else:
                with pg_server.server(bindir, fsync=True) as url:
                    with ScenarioStore.open(url) as store:
                        raw = raw_postgres(url)
                        result["postgresql"] = {
                            m: in_mode(m, lambda: figures(store, raw, args.n))
                            for m in modes(args.modes)
                        }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
