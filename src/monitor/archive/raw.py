"""Raw pages: the HTML of every fetched article page, compressed, so ``reparse`` needs no network.

One row per article id (the last fetch), for complete and quarantined records alike. A page is
written as zstd level 3 with the archive's current dictionary (plain zstd while it has none);
rows written before migration 11 are zlib level 6 and read as before (see ``raw_codec``). Each
row says how it was compressed: ``codec`` ('zlib' or 'zstd'), ``dictionary_id`` (NULL: none)
and ``level`` (the zstd level; NULL: zlib, or zstd level 3 written before migration 13);
``raw_size`` is the uncompressed length. ``raw_store`` trains the dictionaries and packs the
rows not yet at ``raw_codec.PACK_LEVEL`` with one.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from monitor.archive import raw_codec, raw_dictionaries
from monitor.archive.raw_codec import CodecError, Dictionary
from monitor.errors import StorageError

_BATCH = 100  # pages read per query by iter_raw_pages
_COLUMNS = "article_id, url, fetched_at, content_type, http_status, html, codec, dictionary_id"


@dataclass(frozen=True)
class RawPage:
    """A fetched article page as it came off the wire (``html`` decompressed)."""

    article_id: int
    url: str
    fetched_at: str
    content_type: str | None
    http_status: int
    html: bytes


@dataclass(frozen=True)
class StoredBlob:
    """A row's page as stored, for recompression: its codec and dictionary."""

    article_id: int
    html: bytes
    codec: str
    dictionary_id: int | None


def add_codec_columns(db: Database) -> None:
    """``codec`` ('zlib' for the rows already there) and ``dictionary_id`` (migration 11),
    and the index the foreign key and recompression's search for rows without one use."""
    db.execute(
        "ALTER TABLE raw_pages ADD COLUMN codec TEXT NOT NULL DEFAULT 'zlib'"
        " CHECK (codec IN ('zlib', 'zstd'))"
    )
    db.execute(
        "ALTER TABLE raw_pages ADD COLUMN dictionary_id INTEGER"
        " REFERENCES raw_dictionaries (dictionary_id)"
        " CHECK (dictionary_id IS NULL OR codec = 'zstd')"
    )
    db.execute("CREATE INDEX raw_pages_dictionary_id ON raw_pages (dictionary_id)")


def add_level_column(db: Database) -> None:
    """``level`` (migration 13): NULL for the rows already there, which maintenance packs;
    and the index through which it finds the rows to pack. Added in place: no row rewritten."""
    db.execute(
        "ALTER TABLE raw_pages ADD COLUMN level INTEGER CHECK (level IS NULL OR codec = 'zstd')"
    )
    db.execute("CREATE INDEX raw_pages_level ON raw_pages (level, article_id)")


def write_raw_page(db: Database, page: RawPage) -> None:
    """Store ``page``, replacing the previous fetch of the same article."""
    dictionary = raw_dictionaries.current(db)
    db.table("raw_pages").upsert(
        {
            "article_id": page.article_id,
            "url": page.url,
            "fetched_at": page.fetched_at,
            "content_type": page.content_type,
            "http_status": page.http_status,
            "html": raw_codec.compress(page.html, dictionary),
            "raw_size": len(page.html),
            "codec": "zstd",
            "dictionary_id": None if dictionary is None else dictionary.dictionary_id,
            "level": raw_codec.ZSTD_LEVEL,
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
            f"SELECT {_COLUMNS} FROM raw_pages WHERE article_id > ? ORDER BY article_id LIMIT ?",
            (after, _BATCH),
        ).fetchall()
        if not rows:
            return
        yield from _pages(db, rows)
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
        f"SELECT {_COLUMNS} FROM raw_pages ORDER BY article_id DESC LIMIT ?", (limit,)
    ).fetchall()
    return _pages(db, rows)


def _pages(db: Database, rows: Sequence[Sequence[Any]]) -> list[RawPage]:
    """The pages of ``rows`` (``_COLUMNS``), decompressed."""
    dictionaries = raw_dictionaries.by_id(db, (row[7] for row in rows if row[7] is not None))
    pages = []
    for article_id, url, fetched_at, content_type, status, blob, codec, dictionary_id in rows:
        dictionary = None if dictionary_id is None else dictionaries.get(dictionary_id)
        html = decompressed(article_id, blob, codec, dictionary_id, dictionary)
        pages.append(RawPage(article_id, url, fetched_at, content_type, status, html))
    return pages


def decompressed(
    article_id: int,
    blob: bytes,
    codec: str,
    dictionary_id: int | None,
    dictionary: Dictionary | None,
) -> bytes:
    """A row's page; a ``StorageError`` naming the article when it does not decompress."""
    if dictionary_id is not None and dictionary is None:
        raise StorageError(
            f"raw page of article {article_id}: its dictionary {dictionary_id} is missing",
            article_id=article_id,
        )
    try:
        return raw_codec.decompress(blob, codec, dictionary)
    except CodecError as error:
        named = codec if dictionary_id is None else f"{codec} with dictionary {dictionary_id}"
        raise StorageError(
            f"raw page of article {article_id} does not decompress ({named}): {error}",
            article_id=article_id,
        ) from None


def blobs_below(db: Database, level: int, limit: int) -> list[StoredBlob]:
    """Up to ``limit`` rows compressed below zstd ``level`` (a NULL level counts as below: zlib,
    or zstd from before migration 13), lowest level then lowest article id first. Through the
    index, always: scanning the table instead (which the planner may prefer) would read every
    page's blob to find the few left."""
    rows = db.execute(
        "SELECT article_id, html, codec, dictionary_id FROM raw_pages INDEXED BY raw_pages_level"
        " WHERE level IS NULL OR level < ? ORDER BY level, article_id LIMIT ?",
        (level, limit),
    )
    return [StoredBlob(*row) for row in rows]


def replace_blob(db: Database, article_id: int, blob: bytes, dictionary: Dictionary) -> None:
    """Store a row's page compressed anew: zstd with ``dictionary``, at its level."""
    db.execute(
        "UPDATE raw_pages SET html = ?, codec = 'zstd', dictionary_id = ?, level = ?"
        " WHERE article_id = ?",
        (blob, dictionary.dictionary_id, dictionary.level, article_id),
    )


def count_above(db: Database, article_id: int, *, up_to: int) -> int:
    """How many pages have an id above ``article_id``, counted up to ``up_to`` at most."""
    count: int = db.execute(
        "SELECT count(*) FROM (SELECT 1 FROM raw_pages WHERE article_id > ? LIMIT ?)",
        (article_id, up_to),
    ).fetchone()[0]
    return count
