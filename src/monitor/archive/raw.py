"""Raw pages: the HTML of every fetched article page, compressed, so ``reparse`` needs no network.

One row per article id (the last fetch), for complete and quarantined records alike. The HTML
is stored as zlib level 6 (``zstd`` is not in the 3.11 standard library); ``raw_size`` is the
uncompressed length.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from sqlite_utils import Database

ZLIB_LEVEL = 6
_BATCH = 100  # pages read per query by iter_raw_pages


@dataclass(frozen=True)
class RawPage:
    """A fetched article page as it came off the wire (``html`` decompressed)."""

    article_id: int
    url: str
    fetched_at: str
    content_type: str | None
    http_status: int
    html: bytes


def write_raw_page(db: Database, page: RawPage) -> None:
    """Store ``page``, replacing the previous fetch of the same article."""
    db.table("raw_pages").upsert(
        {
            "article_id": page.article_id,
            "url": page.url,
            "fetched_at": page.fetched_at,
            "content_type": page.content_type,
            "http_status": page.http_status,
            "html": zlib.compress(page.html, ZLIB_LEVEL),
            "raw_size": len(page.html),
        },
        pk="article_id",
    )


def iter_raw_pages(db: Database, after: int = -1) -> Iterator[RawPage]:
    """Every raw page of an article id above ``after``, in id order, read in batches.

    Each batch is read completely before its pages are yielded, so the caller may write to
    the archive (store the reparsed record) between pages.
    """
    while True:
        rows = db.execute(
            "SELECT article_id, url, fetched_at, content_type, http_status, html"
            " FROM raw_pages WHERE article_id > ? ORDER BY article_id LIMIT ?",
            (after, _BATCH),
        ).fetchall()
        if not rows:
            return
        for article_id, url, fetched_at, content_type, http_status, html in rows:
            yield RawPage(
                article_id, url, fetched_at, content_type, http_status, zlib.decompress(html)
            )
        after = rows[-1][0]


def count_raw_pages(db: Database, after: int = -1) -> int:
    """How many raw pages have an article id above ``after``."""
    count: int = db.execute(
        "SELECT COUNT(*) FROM raw_pages WHERE article_id > ?", (after,)
    ).fetchone()[0]
    return count


def latest_raw_pages(db: Database, limit: int) -> list[RawPage]:
    """The ``limit`` raw pages of the highest article ids (the newest), newest first."""
    rows = db.execute(
        "SELECT article_id, url, fetched_at, content_type, http_status, html"
        " FROM raw_pages ORDER BY article_id DESC LIMIT ?",
        (limit,),
    ).fetchall()
    return [
        RawPage(article_id, url, fetched_at, content_type, status, zlib.decompress(html))
        for article_id, url, fetched_at, content_type, status, html in rows
    ]
