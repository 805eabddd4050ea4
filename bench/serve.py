"""Benchmark: the web API over loopback (`reachmap serve --workers 2`), against calling
the same library functions directly in-process, quiet and with a competing busy process
(bench/contention.py).

* ``/api/reach?from=BLR&system=oreshnik`` over the 34,006 GeoNames cities (>= 15,000
  people): p50/p95 of ``--repeat`` sequential requests on a warm server (goal: p95 <=
  150 ms), four ways: ``warm_repeated`` the same request again (answered from the
  server's cache, 2.8 MB uncompressed: the client sends no Accept-Encoding), the same
  with ``Accept-Encoding: gzip`` (the cached gzip copy, bytes on the wire reported),
  ``revalidated`` (``If-None-Match`` with the ETag: 304, no body), and
  ``varied_range`` a new request each time (``range`` 5400, 5401, ... km: no cache hit,
  the worker computes and encodes the answer; its Area remembers the cities' distances,
  as after any first request; no flight-time column as there is no system).
  Baseline: ``reach(...).to_json()`` in this process on a prebuilt Area (which,
  like a worker, remembers the cities' distances after the first call).
* ``/api/envelope?from=BLR&range=5500``: cold (not cached: each sample a tolerance of its
  own, 50.0, 50.1, ... m, so a new computation; goal <= 1 s) and cached (the same
  request again; goal <= 20 ms). Baseline: ``envelope_query`` + GeoJSON in-process.
* load: ``--clients`` (16) concurrent keep-alive clients for ``--duration`` (60) s, each
  cycling through a mix (reach of Belarus over the cities, reach of capitals, the
  envelope (cached), a flight, the catalog, an area): errors, p50/p95, requests/s.

Everything is bounded: counts and the load's duration are fixed, each request has a 60 s
timeout, and the server is stopped at the end. Loopback only (127.0.0.1).
Prints one JSON object. Usage:
python bench/serve.py [--port 8917] [--repeat 40] [--clients 16] [--duration 60]
    [--modes quiet,busy]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from typing import Any
from urllib.parse import urlencode

from contention import in_mode, machine, modes, timed

HOST = "127.0.0.1"
REACH = {"from": "BLR", "system": "oreshnik"}
ENVELOPE = {"from": "BLR", "range": "5500"}
MIX = [
    ("/api/reach", REACH),
    ("/api/reach", {"from": "BLR", "system": "oreshnik", "targets": "capitals"}),
    ("/api/envelope", ENVELOPE),
    ("/api/flight", {"from": "BLR", "to": "London", "system": "oreshnik"}),
    ("/api/systems", {}),
    ("/api/areas/BLR", {"format": "json"}),
]


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _summary_ms(values: list[float]) -> dict[str, Any]:
    ms = [v * 1000 for v in values]
    return {"n": len(ms), "p50_ms": _pct(ms, 0.5), "p95_ms": _pct(ms, 0.95), "max_ms": max(ms)}


class Client:
    """One keep-alive HTTP connection to the server."""

    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection(HOST, port, timeout=60)

    def get(
        self, path: str, params: dict[str, str], headers: dict[str, str] | None = None
    ) -> tuple[int, bytes, float]:
        url = path + ("?" + urlencode(params) if params else "")
        t = time.perf_counter()
        self.conn.request("GET", url, headers=headers or {})
        response = self.conn.getresponse()
        body = response.read()
        return response.status, body, time.perf_counter() - t

    def etag(self, path: str, params: dict[str, str]) -> str:
        self.conn.request("GET", path + "?" + urlencode(params))
        response = self.conn.getresponse()
        response.read()
        return response.getheader("ETag") or ""


def start_server(port: int, workers: int) -> subprocess.Popen[bytes]:
    exe = shutil.which("reachmap") or os.path.join(os.path.dirname(sys.executable), "reachmap")
    env = {**os.environ, "REACHMAP_THREADS": os.environ.get("REACHMAP_THREADS", "1")}
    cmd = [exe, "serve", "--host", HOST, "--port", str(port), "--workers", str(workers)]
    # the server's own lines go to stderr: stdout is the benchmark's JSON alone
    proc = subprocess.Popen(cmd, env=env, start_new_session=True, stdout=sys.stderr)
    end = time.monotonic() + 300
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise SystemExit(f"reachmap serve exited with {proc.returncode}")
        try:
            status, _, _ = Client(port).get("/api/systems", {})
            if status == 200:
                return proc
        except OSError:
            pass
        time.sleep(0.5)
    stop_server(proc)
    raise SystemExit("reachmap serve did not answer within 300 s")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def baselines(repeat: int) -> dict[str, Any]:
    """The same library calls in this process (the strongest baseline: no HTTP, no JSON
    transport, no worker process)."""
    from reachmap.analysis import queries
    from reachmap.io import export
    from reachmap.web.jobs import encode

    belarus = queries.launch_area(["BLR"])
    rng = queries.range_spec("oreshnik", None)
    cold, _ = timed(lambda: queries.reach_query(belarus, rng, "cities").to_json(), 1)
    warm, _ = timed(lambda: queries.reach_query(belarus, rng, "cities").to_json(), repeat)
    warm_enc, _ = timed(lambda: encode(queries.reach_query(belarus, rng, "cities").to_json()), 5)
    r5400 = queries.range_spec(None, "5400")
    varied, _ = timed(lambda: encode(queries.reach_query(belarus, r5400, "cities").to_json()), 5)
    r5500 = queries.range_spec(None, "5500")

    def envelope() -> Any:
        result = queries.envelope_query(belarus, r5500, 50.0)
        return export.feature_collection(result, name=result.title)

    env, _ = timed(envelope, 3)
    return {
        "reach_first_call": cold,
        "reach_warm_to_json": warm,
        "reach_warm_to_json_and_encode": warm_enc,
        "reach_range_5400_to_json_and_encode": varied,
        "envelope_5500_geojson": env,
    }


def measure(port: int, repeat: int, clients: int, duration: float, tol0: float) -> dict[str, Any]:
    first = Client(port)
    first.conn.timeout = 900  # the workers may still be loading their data (a busy machine)
    assert first.get("/api/reach", {"from": "BLR", "range": "100", "targets": "capitals"})[0] == 200
    c = Client(port)
    for _ in range(3):  # warm: the workers' areas and distances
        assert c.get("/api/reach", REACH)[0] == 200
    reach = [c.get("/api/reach", REACH) for _ in range(repeat)]
    assert all(s == 200 for s, _, _ in reach)
    gz = {"Accept-Encoding": "gzip"}
    c.get("/api/reach", REACH, gz)  # the first gzip request has the copy made
    time.sleep(2.0)
    packed = [c.get("/api/reach", REACH, gz) for _ in range(repeat)]
    assert all(s == 200 for s, _, _ in packed)
    etag = {"If-None-Match": c.etag("/api/reach", REACH)}
    revalidated = [c.get("/api/reach", REACH, etag) for _ in range(repeat)]
    assert all(s == 304 for s, _, _ in revalidated)
    varied = [
        c.get("/api/reach", {"from": "BLR", "range": f"{5400 + k + repeat * (tol0 - 50):g}"})
        for k in range(repeat)
    ]
    assert all(s == 200 for s, _, _ in varied)
    cold = []
    for k in range(5):
        status, _, dt = c.get("/api/envelope", {**ENVELOPE, "tolerance": f"{tol0 + k / 10:.1f}"})
        assert status == 200
        cold.append(dt)
    cached = [c.get("/api/envelope", ENVELOPE) for _ in range(repeat)]
    assert all(s == 200 for s, _, _ in cached)
    return {
        "reach_blr_oreshnik_cities": {
            **_summary_ms([dt for _, _, dt in reach]),
            "bytes": len(reach[0][1]),
            "case": "warm_repeated: the same request again, identity encoding",
        },
        "reach_blr_oreshnik_cities_gzip": {
            **_summary_ms([dt for _, _, dt in packed]),
            "bytes": len(packed[0][1]),
            "case": "warm_repeated with Accept-Encoding: gzip (body not decompressed)",
        },
        "reach_blr_oreshnik_cities_revalidated": {
            **_summary_ms([dt for _, _, dt in revalidated]),
            "case": "If-None-Match with the ETag: 304",
        },
        "reach_blr_varied_range_cities": {
            **_summary_ms([dt for _, _, dt in varied]),
            "bytes": len(varied[0][1]),
            "case": "varied_range: a new range each request (cache miss, worker computes)",
        },
        "envelope_blr_5500_cold": _summary_ms(cold),
        "envelope_blr_5500_cached": _summary_ms([dt for _, _, dt in cached]),
        "load": load(port, clients, duration),
    }


def load(port: int, clients: int, duration: float) -> dict[str, Any]:
    times: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    end = time.monotonic() + duration

    def client(k: int) -> None:
        conn = Client(port)
        i = k
        while time.monotonic() < end:
            path, params = MIX[i % len(MIX)]
            i += 1
            try:
                status, _, dt = conn.get(path, params)
            except Exception as err:  # counted, then a new connection
                with lock:
                    errors.append(f"{type(err).__name__}: {err}")
                conn = Client(port)
                continue
            with lock:
                times.append(dt)
                if status != 200:
                    errors.append(f"{path}: HTTP {status}")

    t = time.perf_counter()
    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    wall = time.perf_counter() - t
    return {
        "clients": clients,
        "duration_s": wall,
        "requests": len(times),
        "errors": len(errors),
        "error_examples": errors[:5],
        "throughput_rps": len(times) / wall,
        **_summary_ms(times or [0.0]),
        "mix": [p + ("?" + urlencode(q) if q else "") for p, q in MIX],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port", type=int, default=8917)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=40)
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--duration", type=float, default=60.0)
    ap.add_argument("--modes", default="quiet,busy")
    args = ap.parse_args()
    os.environ.setdefault("REACHMAP_THREADS", "1")
    out: dict[str, Any] = {
        "machine": machine(),
        "server": f"reachmap serve --workers {args.workers}",
    }
    t = time.perf_counter()
    proc = start_server(args.port, args.workers)
    out["server_start_s"] = time.perf_counter() - t
    try:
        for k, mode in enumerate(modes(args.modes)):

            def run(k: int = k) -> dict[str, Any]:
                res = measure(args.port, args.repeat, args.clients, args.duration, 50.0 + k)
                res["baseline_in_process"] = base = baselines(min(args.repeat, 10))
                reach_ms = res["reach_blr_oreshnik_cities"]["p95_ms"]
                varied_ms = res["reach_blr_varied_range_cities"]["p95_ms"]
                res["ratios"] = {
                    "reach_p95_over_in_process_median": reach_ms
                    / (1000 * base["reach_warm_to_json"]["median_s"]),
                    "envelope_cold_p50_over_in_process_median": res["envelope_blr_5500_cold"][
                        "p50_ms"
                    ]
                    / (1000 * base["envelope_5500_geojson"]["median_s"]),
                    "envelope_cached_p50_over_in_process_median": res["envelope_blr_5500_cached"][
                        "p50_ms"
                    ]
                    / (1000 * base["envelope_5500_geojson"]["median_s"]),
                }
                res["ratios"]["reach_varied_p95_over_in_process_median"] = varied_ms / (
                    1000 * base["reach_range_5400_to_json_and_encode"]["median_s"]
                )
                res["goals"] = {
                    "reach_p95_le_150ms": reach_ms <= 150,
                    "reach_varied_p95_le_150ms": varied_ms <= 150,
                    "envelope_cold_max_le_1s": res["envelope_blr_5500_cold"]["max_ms"] <= 1000,
                    "envelope_cached_p95_le_20ms": res["envelope_blr_5500_cached"]["p95_ms"] <= 20,
                    "load_zero_errors": res["load"]["errors"] == 0,
                }
                return res

            out[mode] = in_mode(mode, run)
    finally:
        stop_server(proc)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
