"""The archive pipeline: the one component that writes to the archive during a crawl.

Built from the ``MONITOR_CONTEXT`` setting (disabled, by ``NotConfigured``, without one). It
stores each ``ArticlePage`` through ``monitor.ingest`` in its own transaction, with the page's
validators; keeps the crawl state the spider's signals report (``scrapers.events``); and when
the spider closes, records the run: its outcome (``scrapers.outcome``), its figures and entry
yields, and — after a complete run only — the walks and the entry points' validators.

An article the archive cannot store (a ``StorageError``: the database locked past its timeout,
say) is one log line and a failed article: the run is not complete, so its validators do not
advance and the next run fetches it again. A full disk (``ArchiveFullError``) ends the run:
nothing more could be stored; the run is recorded as failed with the error's one line (when
even that cannot be written, the next run marks it interrupted) and nothing stored before it
is lost.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.utils.defer import deferred_from_coro

from monitor.errors import ArchiveFullError, StorageError
from monitor.ingest import ingest_page
from scrapers import events
from scrapers.backfill import backfill_key
from scrapers.context import CrawlContext, crawl_context
from scrapers.outcome import (
    ARCHIVE_FULL,
    ARCHIVE_FULL_CLOSE,
    FAILED_ARTICLES,
    STORED,
    Outcome,
    run_figures,
    run_outcome,
)
from scrapers.sitemaps import sitemap_key
from scrapers.walks import walk_key

log = logging.getLogger("scrapers.pipelines")


class ArchivePipeline:
    """Writes what the spider fetched and reported; records the run when the spider closes."""

    def __init__(self, crawler: Crawler, context: CrawlContext) -> None:
        self.crawler = crawler
        self.context = context
        self.full: str | None = None  # the error that ended the run: the archive's disk is full
        for handler, signal in (
            (self.article_missing, events.article_missing),
            (self.backfill_moved, events.backfill_moved),
            (self.spider_closed, signals.spider_closed),
        ):
            crawler.signals.connect(handler, signal=signal)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        return cls(crawler, crawl_context(crawler.settings))

    def process_item(self, item: Any) -> Any:
        if isinstance(item, events.ArticlePage) and self.full is None:
            try:
                self.store(item)
            except StorageError as error:
                self.not_stored(item, error)
        return item

    def not_stored(self, item: events.ArticlePage, error: StorageError) -> None:
        """One line; the article counts as failed (fetched again next run); a full disk
        closes the run."""
        log.error("article %s not stored: %s", item.article_id, error)
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(FAILED_ARTICLES)
        if isinstance(error, ArchiveFullError):
            assert self.crawler.engine is not None
            self.full = str(error)
            self.crawler.stats.set_value(ARCHIVE_FULL, self.full)
            deferred_from_coro(self.crawler.engine.close_spider_async(reason=ARCHIVE_FULL_CLOSE))

    def store(self, item: events.ArticlePage) -> None:
        """The page, then its validators (for rechecks); a new article counts for the entry
        point that named it; an article that answered 404 before is counted afresh."""
        context, archive, page = self.context, self.context.archive, item.page
        outcome = ingest_page(archive, context.config.profile, page, run_id=context.run_id)
        if outcome is not None:
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value(STORED + outcome)
        if item.etag or item.last_modified:
            archive.state.store_validators(page.url, item.etag, item.last_modified, page.status)
        tally = context.entries.get(item.entry or "")
        if outcome == "new" and tally is not None:
            tally.new += 1
        if archive.state.get_state(events.gone_key(item.article_id)):
            archive.state.put_state(events.gone_key(item.article_id), None)

    def article_missing(self, article_id: int, runs: int) -> None:
        self.context.archive.state.put_state(events.gone_key(article_id), runs)

    def backfill_moved(self, entry: str, place: dict[str, str] | None) -> None:
        self.context.archive.state.put_state(backfill_key(entry), place)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        outcome = run_outcome(stats, reason)
        if outcome.complete:
            self.keep_walks()  # never after a failure: an error here is Scrapy's to log
        figures = run_figures(stats)
        try:
            self.record_run(outcome, figures)
        except StorageError as error:  # a full disk: the next run marks this one interrupted
            log.error("run %s not recorded: %s", self.context.run_id, error)
        result = {"outcome": outcome.status, "reason": outcome.reason, **figures}
        self.crawler.signals.send_catch_log(events.run_closed, result=result)

    def keep_walks(self) -> None:
        """After a complete run: where each walk got to, then the entry points' validators
        (an incomplete sitemap walk withdraws those of the files it must read again)."""
        context, archive = self.context, self.context.archive
        for entry, walk in context.walks.items():
            archive.state.put_state(walk_key(entry), walk.state_after_clean_run())
        for entry, sitemap in context.sitemap_walks.items():
            for url in sitemap.unkept_validators():
                context.pending_validators.pop(url, None)
            archive.state.put_state(sitemap_key(entry), sitemap.state_after_clean_run())
        for url, (etag, modified, status) in context.pending_validators.items():
            archive.state.store_validators(url, etag, modified, status)

    def record_run(self, outcome: Outcome, figures: dict[str, int]) -> None:
        archive, run_id = self.context.archive, self.context.run_id
        archive.runs.record_entry_yields(run_id, self.context.entry_yields())
        archive.runs.add_run_figures(run_id, **figures)
        archive.runs.finish_run(run_id, outcome.status, outcome.reason)
