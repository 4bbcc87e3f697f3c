"""Crawl bookkeeping kept between runs: HTTP validators and named state values.

- ``http_cache``: the ``ETag`` / ``Last-Modified`` a URL last answered with, for conditional
  requests (``If-None-Match`` / ``If-Modified-Since``) on feeds, listings and articles.
- ``crawl_state``: JSON values under a key — backfill resume points, high-water marks, the
  checkpoints of bulk jobs (``monitor.checkpoint``).
"""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from monitor.errors import StorageError


def cached_validators(db: Database, url: str) -> tuple[str | None, str | None] | None:
    """``(etag, last_modified)`` stored for ``url``, or ``None`` when it was never stored."""
    row = db.execute("SELECT etag, last_modified FROM http_cache WHERE url = ?", (url,)).fetchone()
    return None if row is None else (row[0], row[1])


def store_validators(
    db: Database,
    url: str,
    etag: str | None,
    last_modified: str | None,
    status: int | None,
    now: str,
) -> None:
    """Remember the validators (and status) ``url`` answered with ``now``."""
    db.table("http_cache").upsert(
        {
            "url": url,
            "etag": etag,
            "last_modified": last_modified,
            "checked_at": now,
            "status": status,
        },
        pk="url",
    )


def get_state(db: Database, key: str, default: Any = None) -> Any:
    """The value stored under ``key``, or ``default``."""
    row = db.execute("SELECT value FROM crawl_state WHERE key = ?", (key,)).fetchone()
    return default if row is None else json.loads(row[0])


def put_state(db: Database, key: str, value: Any, now: str) -> None:
    """Store ``value`` (anything JSON can represent) under ``key``, updated ``now``."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError) as error:
        raise StorageError(f"crawl state {key!r} is not JSON: {error}", key=key) from None
    db.table("crawl_state").upsert({"key": key, "value": text, "updated_at": now}, pk="key")


def delete_state(db: Database, key: str) -> bool:
    """Remove the value under ``key``; returns whether there was one."""
    return db.execute("DELETE FROM crawl_state WHERE key = ?", (key,)).rowcount > 0
