"""What discovery learnt, kept beside the articles: hints and what each entry point yielded.

- ``discovery_hints``: the first ``DiscoveryHint`` seen for an article (what the feed item,
  sitemap entry or listing item that named it said), keyed by article id like ``raw_pages``
  (archived or quarantined), for ``monitor reparse`` to hand to the parser again.
- ``entry_yields``: per crawl run and entry point, its kind, the status its first page
  answered (None: no answer), the article links it named and the new articles they gave.
- ``id_coverage``: ids archived per publication day against the span of those ids — the
  site's ids are one global rising sequence, so ``ids / span`` estimates how much was found.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from sqlite_utils import Database

from monitor.archive.rows import CoverageDay, EntryYieldSummary
from monitor.record import DiscoveryHint

EntryKind = Literal["feed", "listing", "sitemap"]


@dataclass(frozen=True)
class EntryYield:
    """One entry point's part in one run."""

    entry: str
    kind: EntryKind
    status: int | None  # what its first page answered (304 included); None: no answer
    links: int = 0  # article links it named (all pages, child sitemaps included)
    new: int = 0  # new articles stored from those links


_TABLES = (
    """
    CREATE TABLE discovery_hints (
        article_id INTEGER PRIMARY KEY,
        source TEXT NOT NULL CHECK (source IN ('feed', 'sitemap', 'listing')),
        entry TEXT NOT NULL,
        published TEXT,
        title TEXT,
        summary TEXT,
        seen_at TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE entry_yields (
        run_id INTEGER NOT NULL REFERENCES crawl_runs (run_id) ON DELETE CASCADE,
        entry TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('feed', 'listing', 'sitemap')),
        status INTEGER,
        links INTEGER NOT NULL DEFAULT 0,
        new INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (run_id, entry)
    )
    """,
    "CREATE INDEX entry_yields_entry ON entry_yields (entry, run_id)",
)


def create_tables(db: Database) -> None:
    """Migration 9 (with ``runs.add_fallbacks_figure``)."""
    for statement in _TABLES:
        db.execute(statement)


def keep_hint(db: Database, article_id: int, hint: DiscoveryHint, seen_at: str) -> None:
    """Store ``hint`` unless the article has one already: the first hint seen is kept."""
    db.execute(
        "INSERT OR IGNORE INTO discovery_hints"
        " (article_id, source, entry, published, title, summary, seen_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (article_id, hint.source, hint.entry, hint.published, hint.title, hint.summary, seen_at),
    )


def get_hint(db: Database, article_id: int) -> DiscoveryHint | None:
    row = db.execute(
        "SELECT source, entry, published, title, summary FROM discovery_hints WHERE article_id = ?",
        (article_id,),
    ).fetchone()
    return None if row is None else DiscoveryHint(*row)


def get_hints(db: Database, ids: list[int]) -> dict[int, DiscoveryHint]:
    """The hints kept of those of ``ids`` that have one."""
    rows = db.execute(
        "SELECT article_id, source, entry, published, title, summary FROM discovery_hints"
        " WHERE article_id IN (SELECT value FROM json_each(?))",
        (json.dumps(ids),),
    )
    return {row[0]: DiscoveryHint(*row[1:]) for row in rows}


def delete_hint(db: Database, article_id: int) -> int:
    return db.execute("DELETE FROM discovery_hints WHERE article_id = ?", (article_id,)).rowcount


def record_yields(db: Database, run_id: int, yields: Iterable[EntryYield]) -> None:
    db.conn.executemany(
        "INSERT OR REPLACE INTO entry_yields (run_id, entry, kind, status, links, new)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [(run_id, y.entry, y.kind, y.status, y.links, y.new) for y in yields],
    )


def yields_since(db: Database, since: str) -> list[EntryYieldSummary]:
    """Per entry point, over the normal runs started since ``since``: runs, links, new, and
    the status of its latest run; most new articles first."""
    cursor = db.execute(
        """
        SELECT y.entry, y.kind, COUNT(*) AS runs, SUM(y.links) AS links, SUM(y.new) AS new,
               (SELECT status FROM entry_yields AS z WHERE z.entry = y.entry
                ORDER BY z.run_id DESC LIMIT 1) AS last_status
        FROM entry_yields AS y JOIN crawl_runs AS r USING (run_id)
        WHERE r.started_at >= ? AND r.mode = 'normal'
        GROUP BY y.entry, y.kind ORDER BY new DESC, links DESC, y.entry
        """,
        (since,),
    )
    return [EntryYieldSummary(*row) for row in cursor]


def recent_statuses(db: Database, runs: int) -> dict[str, list[int | None]]:
    """Each entry point's statuses in the last ``runs`` runs that requested it, newest first."""
    statuses: dict[str, list[int | None]] = {}
    cursor = db.execute(
        "SELECT entry, status FROM entry_yields WHERE run_id IN"
        " (SELECT run_id FROM crawl_runs WHERE mode = 'normal' ORDER BY run_id DESC LIMIT ?)"
        " ORDER BY run_id DESC",
        (runs * 4,),
    )
    for entry, status in cursor:
        found = statuses.setdefault(entry, [])
        if len(found) < runs:
            found.append(status)
    return statuses


def id_coverage(db: Database, since_day: str) -> list[CoverageDay]:
    """Per publication day (Vietnam time) from ``since_day`` (YYYY-MM-DD): ids archived,
    the lowest and highest of them and their span, newest day first."""
    cursor = db.execute(
        """
        SELECT substr(published_at, 1, 10) AS day, COUNT(*) AS ids,
               MIN(article_id) AS first_id, MAX(article_id) AS last_id,
               MAX(article_id) - MIN(article_id) + 1 AS span
        FROM articles WHERE published_at >= ? GROUP BY day ORDER BY day DESC
        """,
        (since_day,),
    )
    return [CoverageDay(*row) for row in cursor]
