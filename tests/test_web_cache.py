"""The server's answer cache: a repeated request is answered from memory with the same
bytes, an ETag sent back gives 304 and no body, gzip is served once its copy exists
(and decodes to the same bytes), and the cache keeps to its entry and byte budgets."""

from __future__ import annotations

import gzip
import time

from fastapi.testclient import TestClient

from reachmap.web.cache import ResultCache
from reachmap.web.params import ReachParams, job_args

PARAMS = {"from": "Minsk", "range": "600", "targets": "capitals"}


def _key() -> tuple[str, dict[str, object]]:
    return ("reach", job_args(ReachParams.model_validate({**PARAMS, "from": ["Minsk"]})))


def test_repeated_reach_is_the_cached_bytes_with_an_etag(web_client: TestClient) -> None:
    first = web_client.get("/api/reach", params=PARAMS, headers={"Accept-Encoding": "identity"})
    assert first.status_code == 200
    cache = web_client.app.state.cache  # type: ignore[attr-defined]
    kept = cache.answer(_key())
    assert kept is not None and kept.data == first.content
    assert first.headers["etag"] == kept.etag
    assert first.headers["cache-control"] == "no-cache"
    again = web_client.get("/api/reach", params=PARAMS, headers={"Accept-Encoding": "identity"})
    assert again.content == first.content and again.headers["etag"] == kept.etag
    # the same answer asked with other spellings of the same request: one entry
    upper = web_client.get("/api/reach", params={**PARAMS, "units": "KM"})
    assert upper.json() == first.json()


def test_if_none_match_gives_304_without_a_body(web_client: TestClient) -> None:
    first = web_client.get("/api/reach", params=PARAMS)
    etag = first.headers["etag"]
    for header in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        response = web_client.get("/api/reach", params=PARAMS, headers={"If-None-Match": header})
        assert response.status_code == 304, header
        assert response.content == b""
        assert response.headers["etag"] == etag
    stale = web_client.get("/api/reach", params=PARAMS, headers={"If-None-Match": '"other"'})
    assert stale.status_code == 200 and stale.content == first.content


def test_gzip_once_the_copy_exists_decodes_to_the_same_bytes(web_client: TestClient) -> None:
    params = {"from": "BLR", "range": "900", "targets": "capitals"}
    raw = {"Accept-Encoding": "gzip"}
    first = web_client.get("/api/reach", params=params, headers=raw)
    assert first.status_code == 200
    assert "content-encoding" not in first.headers  # not compressed on the way of an answer
    key = ("reach", job_args(ReachParams.model_validate({**params, "from": ["BLR"]})))
    kept = web_client.app.state.cache.answer(key)  # type: ignore[attr-defined]
    end = time.monotonic() + 30
    while kept.gzip_ready() is None and time.monotonic() < end:
        time.sleep(0.05)
    assert kept.gzip_ready() is not None
    with web_client.stream("GET", "/api/reach", params=params, headers=raw) as response:
        assert response.headers["content-encoding"] == "gzip"
        assert response.headers["vary"] == "Accept-Encoding"
        packed = b"".join(response.iter_raw())
    assert gzip.decompress(packed) == first.content
    assert len(packed) < len(first.content)
    refused = web_client.get("/api/reach", params=params, headers={"Accept-Encoding": "gzip;q=0"})
    assert "content-encoding" not in refused.headers
    assert refused.content == first.content


def test_errors_are_not_cached(web_client: TestClient) -> None:
    bad = {"from": "Belaru", "range": "100"}
    assert web_client.get("/api/reach", params=bad).status_code == 422
    key = ("reach", job_args(ReachParams.model_validate({**bad, "from": ["Belaru"]})))
    assert web_client.app.state.cache.answer(key) is None  # type: ignore[attr-defined]


def test_cache_keeps_to_its_entry_and_byte_budgets() -> None:
    by_count = ResultCache(2)
    for k in range(3):
        by_count.put(("reach", {"k": k}), b"x")
    assert by_count.get(("reach", {"k": 0})) is None
    assert by_count.get(("reach", {"k": 2})) == b"x"
    by_bytes = ResultCache(100, max_bytes=1000)
    for k in range(4):
        by_bytes.put(("reach", {"k": k}), bytes(300))
    assert by_bytes.get(("reach", {"k": 0})) is None  # 4 x 300 > 1000: the oldest went
    assert all(by_bytes.get(("reach", {"k": k})) is not None for k in (1, 2, 3))
    by_bytes.put(("reach", {"k": "big"}), bytes(600))  # past half the budget
    assert by_bytes.get(("reach", {"k": "big"})) is None
    off = ResultCache(0)
    assert off.put(("reach", {}), b"{}").data == b"{}"
    assert off.get(("reach", {})) is None
