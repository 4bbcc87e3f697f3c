"""Ranked full-text search over the FTS indexes, the LIKE baseline, and the candidates of
a rule set (the articles holding one of its keywords).

One of the archive's repositories (see ``monitor.archive.archive``): its methods share the
archive's connection and transaction helpers (``session``); each is one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence

from monitor.archive import (
    candidates,
    fts,
)
from monitor.archive import search as ranked_search
from monitor.archive.filters import ArticleFilter
from monitor.archive.rows import (
    RankedArticle,
)
from monitor.archive.search import FtsQuery
from monitor.archive.session import Repository
from monitor.archive.timestamps import to_archive_time


class SearchRepository(Repository):
    """Ranked full-text search over the FTS indexes, and the LIKE baseline."""

    def search_ids(self, query_fts: str, *, folded: bool, limit: int) -> list[int]:
        """Ids matching an FTS5 query in the exact or the folded table (see ``fts``)."""
        with self._reading("search"):
            return fts.search_ids(self._db, query_fts, folded=folded, limit=limit)

    def candidate_ids(self, query: FtsQuery, since_iso: str | None = None) -> list[int]:
        """Ids of the articles matching either expression of ``query`` (a rule set's candidate
        query), published since ``since_iso`` (all when None), oldest published first."""
        since = to_archive_time(since_iso, name="since_iso") if since_iso else None
        with self._reading("find candidate articles"):
            return candidates.candidate_ids(self._db, query, since)

    def search(
        self,
        query: FtsQuery,
        *,
        limit: int = 20,
        offset: int = 0,
        filters: ArticleFilter | None = None,
    ) -> list[RankedArticle]:
        """Articles matching a compiled query, ranked by BM25 (title > lead > body), newest
        first on ties, among those ``filters`` select (all by default; see ``search``)."""
        with self._reading("search"):
            return ranked_search.search(self._db, query, filters or ArticleFilter(), limit, offset)

    def like_search(
        self, phrases: Sequence[str], *, limit: int = 20, filters: ArticleFilter | None = None
    ) -> list[RankedArticle]:
        """Articles holding every phrase, by a LIKE scan: title hits, then newest, first (the
        baseline bench_search compares with; see ``search.like_search``)."""
        with self._reading("scan articles"):
            return ranked_search.like_search(self._db, phrases, filters or ArticleFilter(), limit)
