"""Live mode: download a feed once into a per-source cache, keyed by URL and validated by ETag/Last-Modified.

- conditional requests (``If-None-Match`` / ``If-Modified-Since``): a 304 reuses the cached body;
- timeouts (connect and read), retries with exponential backoff on connection errors, 5xx and 429;
- a size cap, checked against ``Content-Length`` and while streaming;
- a body shorter than its ``Content-Length`` is a truncated download, retried, never cached;
- the body is written to a temporary file and renamed, so the cache never holds half a file;
- a progress bar (tqdm) on stderr.

Errors raise :class:`~euaigraph.ingest.base.FeedError` naming the source and the URL.
"""

from __future__ import annotations

import hashlib
import json
import os
import tarfile
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import requests
from tqdm import tqdm

from . import safe_json
from .base import Feed, FeedError

DEFAULT_MAX_BYTES = 512 * 1024 * 1024
_RETRY_STATUS = {429, 500, 502, 503, 504}


@dataclass(frozen=True)
class CacheEntry:
    url: str
    path: str
    retrieved_at: str
    etag: str | None
    last_modified: str | None
    sha256: str
    size: int

    @property
    def version(self) -> str:
        return self.etag or self.last_modified or f"sha256:{self.sha256[:16]}"

    def feed(self, path: Path | None = None) -> Feed:
        """The cached body (or a folder extracted from it) as a feed, with URL, retrieval time and version."""
        return Feed(path=Path(path or self.path), url=self.url,
                    retrieved_at=datetime.fromisoformat(self.retrieved_at), version=self.version)


def _slot(cache_dir: Path, url: str) -> Path:
    return cache_dir / hashlib.sha256(url.encode()).hexdigest()[:24]


def cached(cache_dir: Path, url: str) -> CacheEntry | None:
    """The cached copy of ``url``, or None (also when its record is unreadable: the feed is fetched again)."""
    meta = _slot(cache_dir, url) / "meta.json"
    try:
        entry = CacheEntry(**safe_json.loads(meta.read_bytes()))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError):
        return None
    return entry if Path(entry.path).exists() else None


def fetch(
    source: str,
    url: str,
    cache_dir: Path,
    *,
    timeout: float = 30.0,
    retries: int = 3,
    backoff: float = 1.0,
    max_bytes: int = DEFAULT_MAX_BYTES,
    headers: dict[str, str] | None = None,
    progress: bool = True,
    session: requests.Session | None = None,
) -> CacheEntry:
    """Download ``url`` into ``cache_dir`` (or reuse the cached copy on 304). Raises FeedError."""
    slot = _slot(Path(cache_dir), url)
    slot.mkdir(parents=True, exist_ok=True)
    previous = cached(Path(cache_dir), url)
    request_headers = {"User-Agent": "euaigraph (+https://w3id.org/euaigraph)", **(headers or {})}
    if previous:
        if previous.etag:
            request_headers["If-None-Match"] = previous.etag
        if previous.last_modified:
            request_headers["If-Modified-Since"] = previous.last_modified
    http = session or requests.Session()
    last_error = "no attempt made"
    for attempt in range(retries + 1):
        if attempt:
            time.sleep(backoff * 2 ** (attempt - 1))
        try:
            with http.get(url, headers=request_headers, stream=True, timeout=(timeout, timeout)) as reply:
                if reply.status_code == 304 and previous:
                    return previous
                if reply.status_code in _RETRY_STATUS:
                    last_error = f"HTTP {reply.status_code}"
                    continue
                if reply.status_code >= 400:
                    raise FeedError(source, url, f"HTTP {reply.status_code} {reply.reason}")
                return _store(source, url, slot, reply, max_bytes, progress)
        except _Truncated as exc:
            last_error = str(exc)
        except requests.RequestException as exc:
            last_error = f"{type(exc).__name__}: {exc}"
    raise FeedError(source, url, f"gave up after {retries + 1} attempts: {last_error}")


class _Truncated(Exception):
    pass


def _store(source: str, url: str, slot: Path, reply: requests.Response, max_bytes: int, progress: bool) -> CacheEntry:
    declared = reply.headers.get("Content-Length")
    expected = int(declared) if declared and declared.isdigit() else None
    if expected is not None and expected > max_bytes:
        raise FeedError(source, url, f"the feed is {expected} bytes, over the cap of {max_bytes}")
    digest, size = hashlib.sha256(), 0
    fd, tmp_name = tempfile.mkstemp(dir=slot, prefix=".partial-")
    try:
        with os.fdopen(fd, "wb") as out, tqdm(total=expected, unit="B", unit_scale=True, desc=source,
                                              disable=not progress, leave=False) as bar:
            for block in reply.iter_content(1 << 16):
                size += len(block)
                if size > max_bytes:
                    raise FeedError(source, url, f"the feed is over the cap of {max_bytes} bytes")
                digest.update(block)
                out.write(block)
                bar.update(len(block))
        if expected is not None and size != expected:
            raise _Truncated(f"truncated body: {size} of {expected} bytes")
        body = slot / "body"
        os.replace(tmp_name, body)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    entry = CacheEntry(
        url=url, path=str(body), retrieved_at=datetime.now(UTC).replace(microsecond=0).isoformat(),
        etag=reply.headers.get("ETag"), last_modified=reply.headers.get("Last-Modified"),
        sha256=digest.hexdigest(), size=size,
    )
    meta_tmp = slot / ".meta.json"
    meta_tmp.write_text(json.dumps(asdict(entry), indent=1))
    os.replace(meta_tmp, slot / "meta.json")
    return entry


def extract_tarball(source: str, entry: CacheEntry, *, max_members: int = 200_000,
                    max_bytes: int = 4 * DEFAULT_MAX_BYTES) -> Path:
    """Extract a cached .tar.gz (a GitHub repository tarball) next to it, refusing links and paths that escape.

    Returns the extracted folder; an existing extraction of the same body is reused.
    """
    target = Path(entry.path).with_name(f"tree-{entry.sha256[:16]}")
    if target.exists():
        return target
    partial = target.with_name(target.name + ".partial")
    total = 0
    try:
        with tarfile.open(entry.path, "r:*") as archive:
            members = archive.getmembers()
            if len(members) > max_members:
                raise FeedError(source, entry.url, f"archive has {len(members)} members, over {max_members}")
            for member in members:
                total += max(member.size, 0)
                if total > max_bytes:
                    raise FeedError(source, entry.url, f"archive expands past {max_bytes} bytes")
            archive.extractall(partial, filter="data")  # refuses absolute paths, '..', devices and outside links
    except (tarfile.TarError, OSError) as exc:
        raise FeedError(source, entry.url, f"not a readable tar archive: {exc}") from exc
    os.replace(partial, target)
    return target
