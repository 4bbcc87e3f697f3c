"""Articles selected by date, section, rule and on-topic flag, read one batch at a time.

``ArticleFilter`` (``monitor.archive.filters``) is what ``monitor export`` asks for;
``article_batch`` returns the next ``batch`` selected articles after a key
``(published_at, article_id)``: keyset paging along the
``articles_published_at`` index (which holds the rowid, ``article_id``), so each batch costs
the same however far the export has gone, no cursor is held open between batches, and memory
is one batch whatever the archive's size. Rows come oldest published first, in the shape of
``SELECTED_KEYS``: ``tags`` in page order and ``rules`` (those that matched, by name) as lists.
"""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from monitor.archive.filters import ArticleFilter, conditions, where
from monitor.archive.rows import SelectedArticle

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


def article_batch(
    db: Database, filters: ArticleFilter, after: tuple[str, int] | None, batch: int
) -> list[SelectedArticle]:
    """Up to ``batch`` selected articles published after the key ``after`` (None: from the
    oldest), ordered by (published_at, article_id)."""
    clauses, args = conditions(filters)
    if after is not None:
        clauses.append("(a.published_at, a.article_id) > (?, ?)")
        args += after
    clause = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    rows = db.execute(
        f"{_SELECT} {clause} ORDER BY a.published_at, a.article_id LIMIT ?", (*args, batch)
    ).fetchall()
    return [_selected(row) for row in rows]


def _selected(row: tuple[Any, ...]) -> SelectedArticle:
    article = dict(zip(SELECTED_KEYS, row, strict=True))
    article["tags"] = tuple(json.loads(article["tags"]))
    article["rules"] = tuple(json.loads(article["rules"]))
    article["on_topic"] = bool(article["on_topic"])
    return SelectedArticle(**article)


def count_articles(db: Database, filters: ArticleFilter) -> int:
    """How many articles ``filters`` select."""
    clause, args = where(filters)
    count: int = db.execute(f"SELECT COUNT(*) FROM articles a {clause}", args).fetchone()[0]
    return count
