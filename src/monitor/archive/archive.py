"""``Archive``: the one object through which the monitor reads and writes its database.

Each method is one transaction: a write method opens ``BEGIN IMMEDIATE`` and commits only when
everything it had to write is written (``store_article``: raw page, article or quarantine row,
tags, images, history, both FTS rows and the run's figure), so a crash or an error leaves the
database as it was before the call. Any SQLite failure becomes a ``StorageError`` naming the
path and the operation. The SQL itself lives in the sibling modules, one per table family.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from itertools import islice
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from sqlite_utils import Database

from monitor.archive import (
    alerts,
    articles,
    discovery,
    fts,
    health,
    quarantine,
    raw,
    runs,
    state,
)
from monitor.archive import search as ranked_search
from monitor.archive.alerts import AlertStatus, MatchRow
from monitor.archive.articles import StoreOutcome
from monitor.archive.bulk import insert_new_records
from monitor.archive.connection import open_database
from monitor.archive.discovery import EntryYield
from monitor.archive.filters import ArticleFilter
from monitor.archive.migrations import schema_version
from monitor.archive.raw import RawPage
from monitor.archive.rows import (
    AlertRow,
    ArchiveSettings,
    ArticleAlert,
    ArticleText,
    ArticleVersion,
    CoverageDay,
    EntryYieldSummary,
    RankedArticle,
    Run,
    SelectedArticle,
    StatsFigures,
    StoredArticle,
    StoredMatch,
)
from monitor.archive.runs import RunMode, RunOutcome
from monitor.archive.search import FtsQuery
from monitor.archive.selection import article_batch, count_articles
from monitor.archive.stats import Period, stats_figures
from monitor.archive.timestamps import to_archive_time
from monitor.archive.transaction import write_transaction
from monitor.clock import SYSTEM_CLOCK, Clock, now_iso
from monitor.errors import StorageError
from monitor.record import ArticleRecord, DiscoveryHint


class Archive:
    """An open archive file. Create it with ``Archive.open``; use it as a context manager."""

    def __init__(
        self, db: Database, path: Path, *, readonly: bool, clock: Clock = SYSTEM_CLOCK
    ) -> None:
        self._db = db
        self.path = path
        self.readonly = readonly
        self.clock = clock

    @classmethod
    def open(cls, path: str | Path, *, readonly: bool = False, clock: Clock = SYSTEM_CLOCK) -> Self:
        """Open (creating and migrating unless ``readonly``) the archive at ``path``; the
        times it writes itself (run starts, retries due, state updates) are ``clock``'s."""
        path = Path(path)
        return cls(open_database(path, readonly=readonly), path, readonly=readonly, clock=clock)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def settings(self) -> ArchiveSettings:
        """The connection's settings: journal_mode, foreign_keys, busy_timeout, schema_version."""
        with self._reading("read settings"):
            pragma = {
                name: self._db.execute(f"PRAGMA {name}").fetchone()[0]
                for name in ("journal_mode", "foreign_keys", "busy_timeout")
            }
            return ArchiveSettings(**pragma, schema_version=schema_version(self._db))

    # --- articles -------------------------------------------------------------------------

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
            outcome: StoreOutcome
            if record.complete:
                outcome = articles.store_complete(
                    self._db, record, seen_at=seen_at, fetched_url=fetched_url or record.url
                )
            else:
                quarantine.hold(self._db, record, seen_at=seen_at)
                outcome = "quarantined"
            if hint is not None:
                discovery.keep_hint(self._db, record.article_id, hint, seen_at)
            if run_id is not None:
                figures = {outcome: 1, "fallbacks": int(record.from_fallback)}
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

    def published_dates(self, ids: Iterable[int]) -> dict[int, str]:
        """``published_at`` of those of ``ids`` that are archived (for backfill's stop rule)."""
        with self._reading("read publish dates"):
            return articles.published_dates(self._db, [int(article_id) for article_id in ids])

    def max_article_id(self) -> int | None:
        """The highest id archived or quarantined, ``None`` when there is none."""
        with self._reading("read the highest article id"):
            return articles.max_article_id(self._db)

    def recent_article_ids(self, since_iso: str) -> list[int]:
        """Ids of articles published at or after ``since_iso`` (any offset), newest first."""
        since = to_archive_time(since_iso, name="since_iso")
        with self._reading("read recent articles"):
            return articles.recent_article_ids(self._db, since)

    def raw_pages(self) -> Iterator[RawPage]:
        """Every kept raw page, decompressed, in id order (writing between pages is fine)."""
        pages = raw.iter_raw_pages(self._db)
        while True:
            with self._reading("read raw pages"):
                page = next(pages, None)
            if page is None:
                return
            yield page

    def latest_raw_pages(self, limit: int) -> list[RawPage]:
        """The raw pages of the ``limit`` newest article ids, newest first."""
        with self._reading("read raw pages"):
            return raw.latest_raw_pages(self._db, limit)

    def counts(self) -> dict[str, int]:
        """Row counts: articles, quarantined, versions, runs, raw_pages."""
        with self._reading("count rows"):
            return articles.counts(self._db)

    def search_ids(self, query_fts: str, *, folded: bool, limit: int) -> list[int]:
        """Ids matching an FTS5 query in the exact or the folded table (see ``fts``)."""
        with self._reading("search"):
            return fts.search_ids(self._db, query_fts, folded=folded, limit=limit)

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

    def discovery_hint(self, article_id: int) -> DiscoveryHint | None:
        """The first hint an entry point gave of the article (``None``: none kept)."""
        with self._reading(f"read the discovery hint of article {article_id}"):
            return discovery.get_hint(self._db, article_id)

    # --- discovery ----------------------------------------------------------------------

    def record_entry_yields(self, run_id: int, yields: Iterable[EntryYield]) -> None:
        """What each entry point gave in run ``run_id`` (see ``discovery``)."""
        with self._writing(f"record the entry points of run {run_id}"):
            discovery.record_yields(self._db, run_id, list(yields))

    def entry_yields_since(self, since_iso: str) -> list[EntryYieldSummary]:
        """Per entry point over the normal runs since ``since_iso``: entry, kind, runs, links,
        new, last_status; most new articles first."""
        since = to_archive_time(since_iso, name="since_iso")
        with self._reading("read the entry points' yields"):
            return discovery.yields_since(self._db, since)

    def entry_statuses(self, runs: int) -> dict[str, list[int | None]]:
        """Each entry point's first-page status in its last ``runs`` runs, newest first."""
        with self._reading("read the entry points' statuses"):
            return discovery.recent_statuses(self._db, runs)

    def id_coverage(self, since: date) -> list[CoverageDay]:
        """Per publication day since ``since``, newest first: day, ids, first_id, last_id,
        span — ids archived against the span of the site's id sequence they cover."""
        with self._reading("read the id coverage"):
            return discovery.id_coverage(self._db, since.isoformat())

    # --- HTTP cache and crawl state -------------------------------------------------------

    def cached_validators(self, url: str) -> tuple[str | None, str | None] | None:
        """``(etag, last_modified)`` last stored for ``url``, or ``None``."""
        with self._reading(f"read HTTP validators of {url}"):
            return state.cached_validators(self._db, url)

    def store_validators(
        self, url: str, etag: str | None, last_modified: str | None, status: int | None
    ) -> None:
        """Remember what ``url`` answered with, for the next conditional request."""
        with self._writing(f"store HTTP validators of {url}"):
            state.store_validators(self._db, url, etag, last_modified, status, self._now())

    def get_state(self, key: str, default: Any = None) -> Any:
        """The JSON value stored under ``key``, or ``default``."""
        with self._reading(f"read crawl state {key!r}"):
            return state.get_state(self._db, key, default)

    def put_state(self, key: str, value: Any) -> None:
        """Store a JSON value under ``key``."""
        with self._writing(f"store crawl state {key!r}"):
            state.put_state(self._db, key, value, self._now())

    # --- matches and alerts -----------------------------------------------------------------

    def unmatched_articles(self, limit: int = 500) -> list[ArticleText]:
        """Articles whose current content was not matched yet (new or edited), oldest first."""
        with self._reading("read unmatched articles"):
            return alerts.unmatched_articles(self._db, limit)

    def record_matches(
        self,
        article_id: int,
        content_hash: str,
        matches: Iterable[MatchRow],
        new_alerts: Iterable[tuple[str, str]],
        *,
        on_topic: bool,
    ) -> int:
        """One article's match result in one transaction: its matches (replacing older ones),
        the (rule, channel) alerts not queued before, on_topic; returns the alerts queued."""
        with self._writing(f"record matches of article {article_id}"):
            return alerts.record_matches(
                self._db, article_id, content_hash, matches, new_alerts,
                on_topic=on_topic, now=self._now(),
            )  # fmt: skip

    def forget_matched(self, since_iso: str | None = None) -> int:
        """Make articles (published since ``since_iso``, or all) due for matching again."""
        since = to_archive_time(since_iso, name="since_iso") if since_iso else None
        with self._writing("reset matching"):
            return alerts.forget_matched(self._db, since)

    def articles_since(self, since_iso: str) -> Iterator[StoredArticle]:
        """Articles published at or after ``since_iso``: id, section, title, lead, body."""
        since = to_archive_time(since_iso, name="since_iso")
        for article_id in reversed(self.recent_article_ids(since)):
            article = self.get_article(article_id)
            if article is not None:
                yield article

    def due_alerts(
        self, channel: str, *, now: str | None = None, limit: int = 200
    ) -> list[AlertRow]:
        """Pending alerts of ``channel`` due now, with their article and first match."""
        with self._reading(f"read alerts due on {channel}"):
            return alerts.due_alerts(self._db, channel, now or self._now(), limit)

    def list_alerts(self, status: AlertStatus | None = None, limit: int = 100) -> list[AlertRow]:
        with self._reading("list alerts"):
            return alerts.list_alerts(self._db, status, limit)

    def mark_alerts_sending(self, alert_ids: Iterable[int]) -> None:
        """These alerts are about to be handed to their channel (committed before sending)."""
        with self._writing("mark alerts sending"):
            alerts.mark_sending(self._db, list(alert_ids), self._now())

    def sending_alerts(self) -> list[tuple[int, str]]:
        """(id, channel) of alerts a crashed delivery left with their channel."""
        with self._reading("read alerts left sending"):
            return alerts.sending_alerts(self._db)

    def clear_alerts_sending(self, alert_ids: Iterable[int]) -> None:
        """Their channel never got them: due again as before."""
        with self._writing("clear alerts sending"):
            alerts.clear_sending(self._db, list(alert_ids))

    def mark_alerts_sent(self, alert_ids: Iterable[int]) -> None:
        """The channel accepted these alerts."""
        with self._writing("mark alerts sent"):
            alerts.mark_sent(self._db, list(alert_ids), self._now())

    def mark_alerts_attempt_failed(
        self, alert_ids: Iterable[int], error: str, next_attempt_at: str | None
    ) -> None:
        """A failed delivery: retry at ``next_attempt_at``, or give up when it is None."""
        with self._writing("record a failed delivery"):
            alerts.mark_failed_attempt(self._db, list(alert_ids), error, next_attempt_at)

    def retry_failed_alerts(self, alert_ids: Iterable[int] | None = None) -> int:
        """Failed alerts back to pending, due now; returns how many."""
        ids = None if alert_ids is None else list(alert_ids)
        with self._writing("retry failed alerts"):
            return alerts.retry_failed(self._db, self._now(), ids)

    def alert_counts(self) -> dict[str, int]:
        with self._reading("count alerts"):
            return alerts.alert_counts(self._db)

    def matches_of(self, article_id: int) -> list[StoredMatch]:
        with self._reading(f"read matches of article {article_id}"):
            return alerts.matches_of(self._db, article_id)

    # --- health and maintenance ---------------------------------------------------------------

    def stored_between(self, started_iso: str, finished_iso: str) -> dict[str, int]:
        """What was stored in a time span: articles, profile misses, quarantined pages."""
        started = to_archive_time(started_iso, name="started")
        finished = to_archive_time(finished_iso, name="finished")
        with self._reading("read what a run stored"):
            return health.stored_between(self._db, started, finished)

    def latest_first_seen(self) -> str | None:
        """When the newest article was first stored (None for an empty archive)."""
        with self._reading("read the newest article's time"):
            return health.latest_first_seen(self._db)

    def maintain(self) -> None:
        """Optimize both FTS indexes, let SQLite refresh its statistics, and VACUUM."""
        with self._writing("optimize the search indexes"):
            fts.optimize(self._db)
        with self._reading("vacuum the archive"):
            self._db.execute("PRAGMA optimize")
            self._db.execute("VACUUM")

    # --- crawl runs -----------------------------------------------------------------------

    def start_run(self, mode: RunMode) -> int:
        """Record a run as 'running'; returns its id."""
        with self._writing(f"start a {mode} run"):
            return runs.start_run(self._db, mode, self._now())

    def finish_run(
        self, run_id: int, outcome: RunOutcome, reason: str | None = None, **figures: int
    ) -> None:
        """Close the run: final ``outcome``, optional ``reason``; ``figures`` are set."""
        with self._writing(f"finish run {run_id}"):
            runs.finish_run(self._db, run_id, outcome, reason, figures, self._now())

    def add_run_figures(self, run_id: int, **increments: int) -> None:
        """Add to the run's figures (``requests=1, bytes=5120``…)."""
        with self._writing(f"update run {run_id}"):
            runs.add_figures(self._db, run_id, increments)

    def last_runs(self, n: int) -> list[Run]:
        """The ``n`` most recent runs, newest first."""
        with self._reading("read runs"):
            return runs.last_runs(self._db, n)

    def get_run(self, run_id: int) -> Run | None:
        """The run of that id, with its figures."""
        with self._reading(f"read run {run_id}"):
            return runs.get_run(self._db, run_id)

    def mark_interrupted_runs(self) -> int:
        """Mark runs left 'running' as 'interrupted'; returns how many.

        Call it only when no other process can be crawling into this archive.
        """
        with self._writing("mark interrupted runs"):
            return runs.mark_interrupted(self._db, self._now())

    # --- queries: show, export, stats ------------------------------------------------------

    def alerts_of(self, article_id: int) -> list[ArticleAlert]:
        """The article's alerts, oldest first: rule, channel, status, attempts, sent_at…"""
        with self._reading(f"read alerts of article {article_id}"):
            return alerts.alerts_of(self._db, article_id)

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

    def stats_figures(
        self, by: Period, filters: ArticleFilter | None = None, top: int = 10
    ) -> StatsFigures:
        """Articles ``filters`` select per period, section (``top``) and rule; crawl runs per
        period in its date range (``stats``)."""
        with self._reading("read statistics"):
            return stats_figures(self._db, by, filters or ArticleFilter(), top)

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

    # --- transactions ---------------------------------------------------------------------

    def _now(self) -> str:
        return now_iso(self.clock)

    @contextmanager
    def _writing(self, what: str) -> Iterator[None]:
        if self.readonly:
            raise StorageError(
                f"cannot {what}: archive {self.path} is open read-only", path=str(self.path)
            )
        try:
            with write_transaction(self._db):
                yield
        except (sqlite3.Error, json.JSONDecodeError) as error:
            raise self._error(what, error) from error

    @contextmanager
    def _reading(self, what: str) -> Iterator[None]:
        try:
            yield
        except (sqlite3.Error, json.JSONDecodeError) as error:
            raise self._error(what, error) from error

    def _error(self, what: str, error: Exception) -> StorageError:
        return StorageError(f"cannot {what} in archive {self.path}: {error}", path=str(self.path))
