"""Live mode (ingest/fetch.py) against a real HTTP server on 127.0.0.1 serving recorded responses: conditional
requests and the cache, errors that are not retried, errors that are, truncated and slow bodies, the size cap.
No test here touches the internet."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from euaigraph.ingest.base import FeedError
from euaigraph.ingest.fetch import cached, fetch

from .recording_server import Reply

BODY = b'{"licenseListVersion": "3.27.0", "licenses": []}\n' * 40


def _no_partials(cache: Path) -> bool:
    return not any(p.name.startswith(".partial") for p in cache.rglob("*"))


def test_200_with_etag_then_304_reuses_the_cache(http_server, tmp_path):
    url = http_server.route("/licenses.json", Reply(200, BODY, {"ETag": '"v1"'}), Reply(304))
    first = fetch("spdx", url, tmp_path, progress=False)
    assert Path(first.path).read_bytes() == BODY and first.etag == '"v1"' and first.version == '"v1"'
    second = fetch("spdx", url, tmp_path, progress=False)
    assert second == first  # the cached entry, unchanged
    assert Path(second.path).read_bytes() == BODY
    assert [r.headers.get("If-None-Match") for r in http_server.requests] == [None, '"v1"']


def test_last_modified_is_sent_back(http_server, tmp_path):
    stamp = "Wed, 01 Jul 2025 10:00:00 GMT"
    url = http_server.route("/nal.rdf", Reply(200, BODY, {"Last-Modified": stamp}), Reply(304))
    assert fetch("eu-vocabularies", url, tmp_path, progress=False).version == stamp
    fetch("eu-vocabularies", url, tmp_path, progress=False)
    assert http_server.requests[1].headers.get("If-Modified-Since") == stamp


def test_404_is_a_feed_error_and_not_retried(http_server, tmp_path):
    url = http_server.route("/missing.json", Reply(404, b"no such file"))
    with pytest.raises(FeedError) as error:
        fetch("spdx", url, tmp_path, retries=3, backoff=0.01, progress=False)
    assert "404" in str(error.value) and url in str(error.value)
    assert len(http_server.requests) == 1
    assert cached(tmp_path, url) is None


def test_500_then_200_is_retried_with_backoff(http_server, tmp_path):
    url = http_server.route("/flaky.json", Reply(500, b"busy"), Reply(200, BODY))
    started = time.monotonic()
    entry = fetch("spdx", url, tmp_path, retries=2, backoff=0.2, progress=False)
    assert time.monotonic() - started >= 0.2  # it waited before the second attempt
    assert Path(entry.path).read_bytes() == BODY
    assert len(http_server.requests) == 2


def test_500_every_time_gives_up_after_the_retries(http_server, tmp_path):
    url = http_server.route("/down.json", Reply(503, b"down"))
    with pytest.raises(FeedError, match="gave up after 3 attempts: HTTP 503"):
        fetch("spdx", url, tmp_path, retries=2, backoff=0.01, progress=False)
    assert len(http_server.requests) == 3


def test_a_truncated_body_is_never_cached(http_server, tmp_path):
    url = http_server.route("/cut.json", Reply(200, BODY, truncate_to=100))
    with pytest.raises(FeedError, match="gave up"):
        fetch("spdx", url, tmp_path, retries=1, backoff=0.01, progress=False)
    assert cached(tmp_path, url) is None
    assert not list(tmp_path.rglob("body")) and _no_partials(tmp_path)


def test_a_truncated_body_then_a_whole_one_caches_the_whole_one(http_server, tmp_path):
    url = http_server.route("/cut-then-ok.json", Reply(200, BODY, truncate_to=100), Reply(200, BODY))
    entry = fetch("spdx", url, tmp_path, retries=1, backoff=0.01, progress=False)
    assert Path(entry.path).read_bytes() == BODY and entry.size == len(BODY)
    assert _no_partials(tmp_path)


def test_a_slow_response_times_out(http_server, tmp_path):
    url = http_server.route("/slow.json", Reply(200, BODY, delay=3))
    with pytest.raises(FeedError, match="Timeout"):
        fetch("spdx", url, tmp_path, timeout=0.3, retries=0, progress=False)
    assert cached(tmp_path, url) is None


def test_a_body_over_the_cap_is_refused(http_server, tmp_path):
    url = http_server.route("/big.json", Reply(200, BODY))
    with pytest.raises(FeedError, match="over the cap"):
        fetch("spdx", url, tmp_path, max_bytes=len(BODY) - 1, progress=False)
    assert cached(tmp_path, url) is None and _no_partials(tmp_path)
