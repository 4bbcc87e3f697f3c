"""Helpers shared by the ``test_archive*`` modules: a record factory and a store shortcut.

(Named ``test_archive_*`` so that it belongs with the tests it serves; it holds no tests.)
"""

from __future__ import annotations

import sqlite3
import zlib
from collections.abc import Iterable
from contextlib import closing
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from monitor.archive import Archive, StoreOutcome
from monitor.archive.migrations import migrate
from monitor.record import ArticleRecord, Image
from replica.corpus import CorpusPage

FETCHED_AT = "2025-03-19T11:47:05+07:00"
LATER = "2025-03-20T08:00:00+07:00"


def record(article_id: int = 141005, **changes: Any) -> ArticleRecord:
    """A complete record; ``changes`` replace any field."""
    base = ArticleRecord(
        url=f"https://congan.com.vn/tin-chinh/bai-viet_{article_id}.html",
        canonical_url=f"https://congan.com.vn/tin-chinh/bai-viet_{article_id}.html",
        article_id=article_id,
        section="tin-chinh",
        title="Công tác dân vận ở Thủ Đức",
        lead="Công an TP giữ vững an ninh.",
        body="Lực lượng Công an phối hợp với Ban Dân vận.\n\nNhân dân đồng tình.",
        published_at="2025-03-19T10:00:00+07:00",
        published_precision="minute",
        updated_at=None,
        author="Mai Loan",
        tags=("dân vận", "Thủ Đức"),
        images=(Image("https://cdn.congan.com.vn/a.jpg", "Buổi gặp mặt"),),
        extraction={"title": "metadata", "body": "profile"},
    )
    return replace(base, **changes)


def store(
    archive: Archive,
    rec: ArticleRecord,
    *,
    html: bytes = b"<html><body>page</body></html>",
    fetched_at: str = FETCHED_AT,
    run_id: int | None = None,
) -> StoreOutcome:
    """Store ``rec`` as fetched with status 200."""
    return archive.articles.store_article(
        rec,
        html,
        content_type="text/html; charset=utf-8",
        http_status=200,
        fetched_at=fetched_at,
        run_id=run_id,
    )


def scalar(path: Path, sql: str, *parameters: Any) -> Any:
    """One value read straight from the file, bypassing the archive (to inspect storage)."""
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute(sql, parameters).fetchone()[0]


def fts_instances(path: Path, table: str, article_id: int | None = None) -> list[tuple[Any, ...]]:
    """Every token the FTS table ``table`` indexes, as (term, article, column, offset), read
    through a temporary ``fts5vocab`` table (the file is not changed); one article's only,
    when ``article_id`` is given, with the article shown as 0."""
    with closing(sqlite3.connect(path)) as connection:
        connection.execute(
            f"CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, {table}, instance)"
        )
        rows = connection.execute(
            "SELECT term, doc, col, offset FROM temp.vocab ORDER BY doc, col, offset"
        ).fetchall()
    if article_id is None:
        return rows
    return [(term, 0, column, offset) for term, doc, column, offset in rows if doc == article_id]


def store_pages(archive: Archive, pages: Iterable[CorpusPage]) -> None:
    """Store each page (as fetched, with a complete record of its id) through ``store_article``."""
    for page in pages:
        store(archive, record(page.article_id), html=page.html)


def zlib_archive(path: Path, pages: Iterable[CorpusPage]) -> None:
    """An archive as migration 10 left it, holding ``pages`` as raw pages were written then:
    zlib level 6, no codec column."""
    with closing(sqlite3.connect(path)) as connection:
        migrate(Database(connection), target=10)
        connection.executemany(
            "INSERT INTO raw_pages (article_id, url, fetched_at, content_type, http_status,"
            " html, raw_size) VALUES (?, ?, ?, 'text/html; charset=utf-8', 200, ?, ?)",
            [
                (page.article_id, page.url, FETCHED_AT, zlib.compress(page.html, 6), len(page.html))
                for page in pages
            ],
        )
        connection.commit()


def raw_rows(path: Path) -> list[tuple[int, str, int | None]]:
    """(article_id, codec, dictionary_id) of every raw page, read straight from the file."""
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute(
            "SELECT article_id, codec, dictionary_id FROM raw_pages ORDER BY article_id"
        ).fetchall()
