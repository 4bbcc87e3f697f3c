"""Articles selected by date, section, rule and on-topic flag, read one batch at a time.

``ArticleFilter`` is what ``monitor export`` asks for. ``article_batch`` returns the next
``batch`` selected articles after a key ``(published_at, article_id)``: keyset paging along the
``articles_published_at`` index (which holds the rowid, ``article_id``), so each batch costs
the same however far the export has gone, no cursor is held open between batches, and memory
is one batch whatever the archive's size. Rows come oldest published first, in the shape of
``SELECTED_KEYS``: ``tags`` in page order and ``rules`` (those that matched, by name) as lists.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlite_utils import Database

from monitor.clock import VN_TZ

SELECTED_KEYS = (
    "article_id", "url", "section", "title", "lead", "body", "published_at", "author", "tags",
    "on_topic", "rules", "first_seen_at",
)  # fmt: skip

_SELECT = """
SELECT a.article_id, a.url, a.section, a.title, a.lead, a.body, a.published_at, a.author,
    (SELECT json_group_array(tag) FROM
        (SELECT tag FROM article_tags t WHERE t.article_id = a.article_id ORDER BY position)),
    a.on_topic,
    (SELECT json_group_array(rule) FROM
        (SELECT DISTINCT rule FROM matches m WHERE m.article_id = a.article_id ORDER BY rule)),
    a.first_seen_at
FROM articles a
"""


@dataclass(frozen=True)
class ArticleFilter:
    """Which articles to select; every condition given must hold (the default: all)."""

    since: date | None = None  # published on or after this day (Vietnam time)
    until: date | None = None  # published on or before this day (Vietnam time)
    section: str | None = None  # this section or one below it: 'vu-an' takes 'vu-an/canh-giac'
    rule: str | None = None  # matched by the rule of this name
    on_topic: bool = False  # only articles marked on-topic


def day_start(day: date) -> str:
    """Midnight at the start of ``day`` in Vietnam, in the archive's time form."""
    return datetime.combine(day, time(), VN_TZ).isoformat(timespec="seconds")


def _conditions(filters: ArticleFilter) -> tuple[list[str], list[Any]]:
    """SQL conditions on ``articles a`` and their parameters."""
    clauses: list[str] = []
    args: list[Any] = []
    if filters.since is not None:
        clauses.append("a.published_at >= ?")
        args.append(day_start(filters.since))
    if filters.until is not None:
        clauses.append("a.published_at < ?")
        args.append(day_start(filters.until + timedelta(days=1)))
    if filters.section:
        clauses.append("(a.section = ? OR substr(a.section, 1, ?) = ?)")
        args += [filters.section, len(filters.section) + 1, filters.section + "/"]
    if filters.rule:
        clauses.append(
            "EXISTS (SELECT 1 FROM matches m WHERE m.article_id = a.article_id AND m.rule = ?)"
        )
        args.append(filters.rule)
    if filters.on_topic:
        clauses.append("a.on_topic = 1")
    return clauses, args


def article_batch(
    db: Database, filters: ArticleFilter, after: tuple[str, int] | None, batch: int
) -> list[dict[str, Any]]:
    """Up to ``batch`` selected articles published after the key ``after`` (None: from the
    oldest), ordered by (published_at, article_id)."""
    clauses, args = _conditions(filters)
    if after is not None:
        clauses.append("(a.published_at, a.article_id) > (?, ?)")
        args += after
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    rows = db.execute(
        f"{_SELECT} {where} ORDER BY a.published_at, a.article_id LIMIT ?", (*args, batch)
    ).fetchall()
    return [_selected(row) for row in rows]


def _selected(row: tuple[Any, ...]) -> dict[str, Any]:
    article = dict(zip(SELECTED_KEYS, row, strict=True))
    article["tags"] = json.loads(article["tags"])
    article["rules"] = json.loads(article["rules"])
    article["on_topic"] = bool(article["on_topic"])
    return article


def count_articles(db: Database, filters: ArticleFilter) -> int:
    """How many articles ``filters`` select."""
    clauses, args = _conditions(filters)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    count: int = db.execute(f"SELECT COUNT(*) FROM articles a {where}", args).fetchone()[0]
    return count
