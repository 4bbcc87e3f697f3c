"""Articles: storing fetched pages, reading records, raw pages, export selections.

One of the archive's repositories (see ``monitor.archive.archive``): its methods share the
archive's connection and transaction helpers (``session``); each is one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice

from monitor.archive import (
    articles,
    discovery,
    health,
    quarantine,
    raw,
    runs,
)
from monitor.archive.articles import Prepared, StoreOutcome
from monitor.archive.bulk import insert_new_records
from monitor.archive.filters import ArticleFilter
from monitor.archive.raw import RawPage
from monitor.archive.rows import (
    ArticleVersion,
    SelectedArticle,
    StoredArticle,
)
from monitor.archive.selection import article_batch, count_articles
from monitor.archive.session import Repository
from monitor.archive.timestamps import to_archive_time
from monitor.record import ArticleRecord, DiscoveryHint


class ArticleRepository(Repository):
    """Articles: storing fetched pages, reading records, raw pages, export selections."""

    def store_article(  # noqa: PLR0913 -- keyword-only facts of one fetch, all needed
        self,
        record: ArticleRecord,
        raw_html: bytes,
        *,
        content_type: str | None,
        http_status: int,
        fetched_at: str,
        run_id: int | None,
        fetched_url: str | None = None,
        hint: DiscoveryHint | None = None,
    ) -> StoreOutcome:
        """Archive one fetched article page and its record, in one transaction.

        The raw page is always kept. An incomplete record goes to quarantine ('quarantined')
        and leaves any archived article of the same id untouched; a complete one is 'new',
        'unchanged' or 'updated' (see ``articles``) and leaves quarantine. With a ``run_id``
        the run's figure of that name is incremented in the same transaction: callers must
        not add it themselves. ``fetched_at`` is any ISO 8601 time with an offset; it becomes
        ``first_seen_at``/``last_seen_at`` at +07:00. ``fetched_url`` defaults to the
        record's url. A ``hint`` is kept unless the article has one already (the first
        seen); the run's ``fallbacks`` figure counts records that needed a fallback.
        """
        seen_at = to_archive_time(fetched_at, name="fetched_at")
        page = RawPage(record.article_id, record.url, seen_at, content_type, http_status, raw_html)
        with self._writing(f"store article {record.article_id}"):
            raw.write_raw_page(self._db, page)
            outcome = self._store_record(record, seen_at, fetched_url or record.url, run_id)
            if hint is not None:
                discovery.keep_hint(self._db, record.article_id, hint, seen_at)
        return outcome

    def store_reparsed(self, prepared: Prepared, page: RawPage, *, run_id: int) -> StoreOutcome:
        """Store the record parsed again from the archive's own raw ``page`` (``prepared``
        ahead: see ``articles.prepare``), in one transaction (or in ``Archive.batch``'s): as
        ``store_article`` would, but the raw page and the discovery hint, which are the
        archive's already, are not written again (recompressing every page made a reparse's
        storing dearer than its parsing)."""
        with self._writing(f"store reparsed article {prepared.record.article_id}"):
            return self._store_record(prepared, page.fetched_at, page.url, run_id)

    def _store_record(
        self,
        record: ArticleRecord | Prepared,
        seen_at: str,
        fetched_url: str,
        run_id: int | None,
    ) -> StoreOutcome:
        """The record into articles or quarantine, and the run's figures (caller's transaction)."""
        plain = record.record if isinstance(record, Prepared) else record
        outcome: StoreOutcome
        if plain.complete:
            outcome = articles.store_complete(
                self._db, record, seen_at=seen_at, fetched_url=fetched_url
            )
        else:
            quarantine.hold(self._db, plain, seen_at=seen_at)
            outcome = "quarantined"
        if run_id is not None:
            figures = {outcome: 1, "fallbacks": int(plain.from_fallback)}
            runs.add_figures(self._db, run_id, figures)
        return outcome

    def delete_article(self, article_id: int) -> bool:
        """Remove the article everywhere (row, history, FTS, quarantine, raw page)."""
        with self._writing(f"delete article {article_id}"):
            hints = discovery.delete_hint(self._db, article_id)
            return articles.delete_article(self._db, article_id) or hints > 0

    def set_on_topic(self, article_id: int, on_topic: bool) -> bool:
        """Set the article's ``on_topic`` flag; returns whether the article exists."""
        with self._writing(f"set on_topic of article {article_id}"):
            return articles.set_on_topic(self._db, article_id, on_topic)

    def get_article(self, article_id: int) -> StoredArticle | None:
        """The archived article with ``tags`` and ``images`` lists, or ``None``."""
        with self._reading(f"read article {article_id}"):
            return articles.get_article(self._db, article_id)

    def article_versions(self, article_id: int) -> list[ArticleVersion]:
        """The article's earlier versions, oldest first (empty when it never changed)."""
        with self._reading(f"read versions of article {article_id}"):
            return articles.get_versions(self._db, article_id)

    def known_ids(self, ids: Iterable[int]) -> set[int]:
        """Those of ``ids`` archived *or quarantined*: both are reparsed, never refetched."""
        with self._reading("look up known ids"):
            return articles.known_ids(self._db, [int(article_id) for article_id in ids])

    def content_hashes(self, ids: Iterable[int]) -> dict[int, str]:
        """``content_hash`` of those of ``ids`` that are archived (for ``articles.prepare``)."""
        with self._reading("read content hashes"):
            return articles.content_hashes(self._db, [int(article_id) for article_id in ids])

    def published_dates(self, ids: Iterable[int]) -> dict[int, str]:
        """``published_at`` of those of ``ids`` that are archived (for backfill's stop rule)."""
        with self._reading("read publish dates"):
            return articles.published_dates(self._db, [int(article_id) for article_id in ids])

    def max_article_id(self) -> int | None:
        """The highest id archived or quarantined, ``None`` when there is none."""
        with self._reading("read the highest article id"):
            return articles.max_article_id(self._db)

    def sections(self) -> list[str]:
        """The sections archived articles are in, sorted (``vu-an/canh-giac``, not ``vu-an``
        unless an article is in ``vu-an`` itself)."""
        with self._reading("read the sections"):
            return articles.sections(self._db)

    def recent_article_ids(self, since_iso: str | None) -> list[int]:
        """Ids of articles published at or after ``since_iso`` (any offset; every article when
        None), newest first."""
        since = to_archive_time(since_iso, name="since_iso") if since_iso is not None else None
        with self._reading("read recent articles"):
            return articles.recent_article_ids(self._db, since)

    def raw_pages(self, after: int = -1) -> Iterator[RawPage]:
        """Every kept raw page of an id above ``after``, decompressed, in id order (writing
        between pages is fine)."""
        pages = raw.iter_raw_pages(self._db, after)
        while True:
            with self._reading("read raw pages"):
                page = next(pages, None)
            if page is None:
                return
            yield page

    def count_raw_pages(self, after: int = -1) -> int:
        """How many raw pages are kept of ids above ``after``."""
        with self._reading("count raw pages"):
            return raw.count_raw_pages(self._db, after)

    def latest_raw_pages(self, limit: int) -> list[RawPage]:
        """The raw pages of the ``limit`` newest article ids, newest first."""
        with self._reading("read raw pages"):
            return raw.latest_raw_pages(self._db, limit)

    def discovery_hint(self, article_id: int) -> DiscoveryHint | None:
        """The first hint an entry point gave of the article (``None``: none kept)."""
        with self._reading(f"read the discovery hint of article {article_id}"):
            return discovery.get_hint(self._db, article_id)

    def discovery_hints(self, ids: Iterable[int]) -> dict[int, DiscoveryHint]:
        """The first hint kept of each of ``ids`` that has one."""
        with self._reading("read discovery hints"):
            return discovery.get_hints(self._db, [int(article_id) for article_id in ids])

    def articles_since(self, since_iso: str | None) -> Iterator[StoredArticle]:
        """Articles published at or after ``since_iso`` (every article when None), oldest
        published first."""
        return self.articles_by_id(reversed(self.recent_article_ids(since_iso)))

    def articles_by_id(self, ids: Iterable[int], batch: int = 200) -> Iterator[StoredArticle]:
        """The articles of ``ids``, in their order, read ``batch`` at a time (an id no longer
        archived is left out)."""
        listed = iter(ids)
        while window := list(islice(listed, batch)):
            yield from self.get_articles(window)

    def get_articles(self, ids: Iterable[int]) -> list[StoredArticle]:
        """The archived articles of ``ids`` (as ``get_article`` gives each), in that order;
        an id not archived is left out."""
        listed = [int(article_id) for article_id in ids]
        with self._reading(f"read {len(listed)} articles"):
            return articles.get_articles(self._db, listed)

    def iter_articles(
        self, filters: ArticleFilter | None = None, batch: int = 1000
    ) -> Iterator[SelectedArticle]:
        """The selected articles, oldest published first, read ``batch`` at a time (constant
        memory whatever the archive's size; see ``selection`` for the rows' shape)."""
        filters = filters or ArticleFilter()
        after: tuple[str, int] | None = None
        while True:
            with self._reading("read articles"):
                rows = article_batch(self._db, filters, after, batch)
            last = len(rows) < batch
            after = None if last else (str(rows[-1].published_at), rows[-1].article_id)
            yield from rows
            del rows  # freed before the next batch is read: one batch in memory, not two
            if last:
                return

    def count_articles(self, filters: ArticleFilter | None = None) -> int:
        """How many articles ``filters`` select (all by default)."""
        with self._reading("count articles"):
            return count_articles(self._db, filters or ArticleFilter())

    def bulk_load(
        self, records: Iterable[ArticleRecord], *, seen_at: str, chunk: int = 5000
    ) -> int:
        """Insert new complete records fast, ``chunk`` per transaction (see ``bulk``)."""
        seen = to_archive_time(seen_at, name="seen_at")
        loaded = 0
        iterator = iter(records)
        while part := list(islice(iterator, chunk)):
            with self._writing(f"load {len(part)} articles"):
                loaded += insert_new_records(self._db, part, seen_at=seen)
        return loaded

    def stored_between(self, started_iso: str, finished_iso: str) -> dict[str, int]:
        """What was stored in a time span: articles, profile misses, quarantined pages."""
        started = to_archive_time(started_iso, name="started")
        finished = to_archive_time(finished_iso, name="finished")
        with self._reading("read what a run stored"):
            return health.stored_between(self._db, started, finished)

    def publishing(self, since_iso: str) -> tuple[int, str | None, int]:
        """Articles archived, the oldest publication time, and how many were published since
        ``since_iso`` (``monitor.growth`` estimates the archive's growth from them)."""
        since = to_archive_time(since_iso, name="since")
        with self._reading("read the publishing rate"):
            return health.publishing(self._db, since)

    def latest_first_seen(self) -> str | None:
        """When the newest article was first stored (None for an empty archive)."""
        with self._reading("read the newest article's time"):
            return health.latest_first_seen(self._db)
