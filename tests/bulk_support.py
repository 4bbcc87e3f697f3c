"""Archives for the bulk jobs' tests (``reparse``, ``match --all``) and ``bench/bench_reparse.py``:
the golden pages renumbered to many distinct ids, kept as raw pages, and how to compare two
archives' content and read a job's checkpoint from outside the process running it."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import replace
from pathlib import Path
from typing import Any

from monitor.archive import Archive
from monitor.config import SiteProfile
from monitor.ingest import FetchedPage, parse_page
from monitor.record import ArticleRecord

from golden_pages import golden_pages

WHEN = "2025-06-23T12:00:00+07:00"
FIRST_ID = 900_000
CONTENT_TYPE = "text/html; charset=utf-8"

# What a reparse writes, every column (its times come from the raw pages, so they compare).
RECORD_TABLES = {
    "articles": "SELECT * FROM articles ORDER BY article_id",
    "quarantine": "SELECT * FROM quarantine ORDER BY article_id",
    "article_tags": "SELECT * FROM article_tags ORDER BY article_id, position",
    "article_images": "SELECT * FROM article_images ORDER BY article_id, position",
    "article_versions": "SELECT * FROM article_versions ORDER BY article_id, version",
}
# What matching writes, without the times it writes (matched_at, created_at).
MATCH_TABLES = {
    "articles": "SELECT article_id, matched_hash, on_topic FROM articles ORDER BY article_id",
    "matches": 'SELECT article_id, rule, keyword, field, start, "end", snippet, content_hash'
    ' FROM matches ORDER BY article_id, rule, field, start, "end"',
    "alerts": "SELECT article_id, rule, channel, status FROM alerts"
    " ORDER BY article_id, rule, channel",
}


def broken(profile: SiteProfile) -> SiteProfile:
    """A profile whose footer marker ends every body at its first paragraph (the generic layer
    cuts there too): no body, so every record is quarantined — a profile a redesign broke."""
    return profile.model_copy(update={"footer_markers": ("",)})


def build_archive(path: Path, profile: SiteProfile, total: int) -> None:
    """An archive of ``total`` raw pages: the golden pages (``-generic`` ones excepted) again
    and again under ids from ``FIRST_ID``, each with the record ``profile`` reads from it.
    Each golden page is parsed once; the pages are stored in one transaction."""
    with Archive.open(path) as archive, archive.batch(f"store {total} pages"):
        for html, record in renumbered(profile, total):
            archive.articles.store_article(
                record, html, content_type=CONTENT_TYPE, http_status=200, fetched_at=WHEN,
                run_id=None,
            )  # fmt: skip


def build_articles(path: Path, profile: SiteProfile, total: int) -> None:
    """An archive of ``total`` complete articles, as ``build_archive`` makes them but loaded in
    bulk, without raw pages: quick, for the jobs that read articles only (matching)."""
    with Archive.open(path) as archive:
        records = [record for _, record in renumbered(profile, total) if record.complete]
        archive.articles.bulk_load(records, seen_at=WHEN)


def renumbered(profile: SiteProfile, total: int) -> Iterator[tuple[bytes, ArticleRecord]]:
    """``total`` golden pages with their records, under ids from ``FIRST_ID``."""
    goldens = [g for g in golden_pages() if not g.name.endswith("-generic")]
    records = []
    for golden in goldens:
        page = FetchedPage(golden.expected["url"], golden.html, CONTENT_TYPE, 200, WHEN)
        record = parse_page(profile, page)
        assert record is not None
        records.append((golden.html, record))
    for n in range(total):
        html, record = records[n % len(records)]
        stem, _ = record.url.rsplit("_", 1)
        url = f"{stem}_{FIRST_ID + n}.html"
        yield html, replace(record, url=url, canonical_url=url, article_id=FIRST_ID + n)


def copy_archive(source: Path, target: Path) -> Path:
    """A consistent copy of the archive at ``source`` (SQLite's backup, WAL included)."""
    with closing(sqlite3.connect(source)) as reading, closing(sqlite3.connect(target)) as copy:
        reading.backup(copy)
    return target


def contents(path: Path, queries: dict[str, str]) -> dict[str, list[tuple[Any, ...]]]:
    """Each table's rows as ``queries`` select them: what two equivalent runs agree on."""
    with closing(sqlite3.connect(path)) as db:
        return {table: db.execute(query).fetchall() for table, query in queries.items()}


def checkpoint_of(path: Path, job: str) -> dict[str, Any] | None:
    """The checkpoint ``job`` left in the archive (read as another process would), or None."""
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as db:
        db.execute("PRAGMA busy_timeout = 10000")
        row = db.execute(
            "SELECT value FROM crawl_state WHERE key = ?", (f"checkpoint:{job}",)
        ).fetchone()
    return None if row is None else dict(json.loads(row[0]))


def config_file(folder: Path, database: Path, extra: str = "", name: str = "monitor") -> Path:
    """A config naming ``database``, plus ``extra`` TOML (rules, profile changes)."""
    path = folder / f"{name}.toml"
    path.write_text(f"[database]\npath = {json.dumps(str(database))}\n{extra}", encoding="utf-8")
    return path
