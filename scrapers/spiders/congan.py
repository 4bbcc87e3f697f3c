"""The congan.com.vn spider: entry points → new article ids → article pages.

A normal run fetches the entry points (feeds, listings, tag pages) with conditional requests,
fetches only articles whose id the archive does not know, and walks each listing back only as
far as its high-water mark (``scrapers.walks``), at most ``site.max_listing_pages`` pages. A
backfill run walks listings back until a page's articles are all older than ``--since``, saving
where it got to after each page so an interrupted backfill resumes there.

The spider never writes to the archive: it yields ``ArticlePage`` items and sends the signals of
``scrapers.events`` for ``scrapers.pipelines.ArchivePipeline`` to write, counts what the run's
outcome depends on in ``crawler.stats`` (``scrapers.outcome``), and notes its entry points'
validators, tallies and walks in the context for the pipeline to keep after a clean run.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest, ResponseDataLossError
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.defer import CancelledError
from twisted.python.failure import Failure

from monitor.archive import EntryKind
from monitor.clock import now, now_iso
from monitor.discover import Listing, feed_hint, listing_hint, parse_feed, parse_listing
from monitor.ingest import FetchedPage
from monitor.record import DiscoveryHint
from monitor.urls import ArticleUrl, tag_path
from scrapers import outcome
from scrapers.backfill import BackfillPage, backfill_key
from scrapers.context import CrawlContext, crawl_context
from scrapers.events import ArticlePage, article_missing, backfill_moved, gone_key
from scrapers.sitemaps import SitemapEntries
from scrapers.walks import EntryWalk, walk_key

ARTICLE_PRIORITY = 10  # finish a page's articles before walking on
ROBOTS_FORBIDDEN = "Forbidden by robots.txt"  # Scrapy's RobotsTxtMiddleware refusing a request
GONE_STATUSES = (404, 410)


class ConganSpider(SitemapEntries, Spider):
    name = "congan"

    def __init__(self, context: CrawlContext, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.context = context
        self.allowed_domains = context.domains
        self.scheduled: set[int] = set()
        self.pages: dict[int, BackfillPage] = {}  # article id → its backfill page
        self.init_sitemaps()

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> ConganSpider:
        """The spider of the run in the ``MONITOR_CONTEXT`` setting."""
        kwargs = {"context": crawl_context(crawler.settings)} | kwargs
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.request_dropped, signal=signals.request_dropped)
        crawler.signals.connect(spider.robots_parsed, signal=signals.robots_parsed)
        crawler.signals.connect(spider.item_scraped, signal=signals.item_scraped)
        return spider

    def count(self, key: str, amount: int = 1) -> None:
        """Add to one of the run's figures in Scrapy's stats (keys in ``scrapers.outcome``)."""
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(key, amount)

    def tell(self, signal: object, **data: Any) -> None:
        """Send one of ``scrapers.events``' signals, for the pipeline to write."""
        self.crawler.signals.send_catch_log(signal, **data)

    # --- entry points -------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Request]:
        site = self.context.config.site
        for path in site.feeds:
            yield self._entry(path, self.parse_feed, kind="feed")
        for path in (*site.listings, *(tag_path(tag) for tag in site.tags)):
            for request in self._listing_starts(path):
                yield request
        for request in (*self.sitemap_starts(), *self._rechecks()):
            yield request

    def _rechecks(self) -> Iterable[Request]:
        """Recent articles again, conditionally, to catch edits (``crawl.recheck_days``)."""
        days = self.context.config.crawl.recheck_days
        if self.context.mode != "normal" or days == 0:
            return
        since = (now(self.context.clock) - timedelta(days=days)).isoformat(timespec="seconds")
        for article_id in self.context.archive.articles.recent_article_ids(since):
            stored = self.context.archive.articles.get_article(article_id)
            if stored is None:
                continue
            self.scheduled.add(article_id)
            url = stored.fetched_url or stored.url
            yield Request(
                url,
                callback=self.parse_article,
                errback=self.article_failed,
                headers=self._conditional_headers(url),
                meta={
                    "article_id": article_id,
                    "hint": self.context.archive.articles.discovery_hint(article_id),
                    "handle_httpstatus_list": [304],
                },
            )

    def _listing_starts(self, path: str) -> Iterable[Request]:
        if self.context.mode == "backfill":
            yield self._entry(path, self.parse_listing, url=self._backfill_resume(path))
            return
        walk = EntryWalk.from_state(path, self.context.archive.state.get_state(walk_key(path)))
        self.context.walks[path] = walk
        yield self._entry(path, self.parse_listing, chain="main")
        for index, url in enumerate(walk.resume):
            yield self._entry(path, self.parse_listing, url=url, chain=f"resume-{index}")

    def _entry(
        self,
        path: str,
        callback: Any,
        url: str | None = None,
        chain: str = "main",
        kind: EntryKind = "listing",
    ) -> Request:
        first = url is None  # the entry point itself, not a page a walk resumes at
        self.context.entry(path, kind)
        url = url or self.context.entry_url(path)
        conditional = first and self.context.mode == "normal"
        return Request(
            url,
            callback=callback,
            errback=self.entry_failed,
            headers=self._conditional_headers(url) if conditional else {},
            meta={
                "entry": path,
                "page": 1,
                "chain": chain,
                "first": first,
                "handle_httpstatus_list": [304],
            },
            dont_filter=True,
        )

    def _conditional_headers(self, url: str) -> dict[str, str]:
        cached = self.context.archive.state.cached_validators(url)
        etag, modified = cached if cached else (None, None)
        headers = {"If-None-Match": etag} if etag else {}
        return headers | ({"If-Modified-Since": modified} if modified else {})

    def _note_entry(self, response: Response) -> bool:
        """Count the entry page and keep its validators; False when it is unchanged (304)."""
        self.count(outcome.ENTRY_PAGES)
        if response.meta.get("first"):
            self.context.entries[response.meta["entry"]].status = response.status
        if response.status == 304:
            self.count(outcome.NOT_MODIFIED)
            return False
        etag, modified = _header(response, "ETag"), _header(response, "Last-Modified")
        if etag or modified:
            self.context.pending_validators[response.url] = (etag, modified, response.status)
        return True

    def entry_failed(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        self._entry_error(f"{request.url}: {failure_reason(failure)}")
        entry = request.meta.get("entry", "")
        if request.meta.get("first") and entry in self.context.entries:
            error = failure.value
            status = error.response.status if isinstance(error, HttpError) else None
            self.context.entries[entry].status = status
        walk = self.context.walks.get(entry)
        if walk is not None:
            walk.end(request.meta["chain"], "failed")
        self.sitemap_failed(entry)

    def _entry_error(self, error: str) -> None:
        assert self.crawler.stats is not None
        if not self.crawler.stats.get_value(outcome.ENTRY_ERRORS):
            self.crawler.stats.set_value(outcome.FIRST_ENTRY_ERROR, error)
        self.count(outcome.ENTRY_ERRORS)

    # --- feeds and listings -------------------------------------------------------------

    def parse_feed(self, response: Response) -> Iterable[Request]:
        if not self._note_entry(response):
            return
        context, entry = self.context, response.meta["entry"]
        items = parse_feed(response.body, response.url, context.config.profile, context.hosts)
        self.count_links(entry, len(items))
        yield from self._article_requests(entry, [(i.article, feed_hint(entry, i)) for i in items])

    def parse_listing(self, response: Response) -> Iterable[Request]:
        entry, number, chain = response.meta["entry"], response.meta["page"], response.meta["chain"]
        if not self._note_entry(response):
            if entry in self.context.walks:
                self.context.walks[entry].end(chain, "reached")
            return
        listing = self._listing(response, entry)
        found = [(item.article, listing_hint(entry, item)) for item in listing.items]
        requests = list(self._article_requests(entry, found))
        self.count_links(entry, len(found))
        self.context.event(
            "page", entry=entry, page=number, found=len(listing.articles), new=len(requests)
        )
        yield from requests
        if self.context.mode == "backfill":
            page = BackfillPage.of(entry, number, listing, requests)
            yield from self._backfill_page(page)
        else:
            yield from self._walk(self.context.walks[entry], chain, number, listing)

    def _listing(self, response: Response, entry: str) -> Listing:
        context = self.context
        return parse_listing(
            response.body,
            response.url,
            context.config.profile,
            context.hosts,
            listing_path=urlsplit(context.entry_url(entry)).path,
        )

    def _walk(
        self, walk: EntryWalk, chain: str, number: int, listing: Listing
    ) -> Iterable[Request]:
        ids = [article.article_id for article in listing.articles]
        cap = self.context.config.site.max_listing_pages
        url = walk.after_page(chain, number, ids, listing.next_page, cap)
        if url is not None:
            yield self._next_page(walk.entry, number, url, chain)

    def _next_page(self, entry: str, number: int, url: str, chain: str = "main") -> Request:
        return Request(
            url,
            callback=self.parse_listing,
            errback=self.entry_failed,
            meta={"entry": entry, "page": number + 1, "chain": chain},
        )

    # --- articles -----------------------------------------------------------------------

    def count_links(self, entry: str, links: int) -> None:
        self.count(outcome.LISTING_ARTICLES, links)
        self.context.entries[entry].links += links

    def unknown(
        self, found: Iterable[tuple[ArticleUrl, DiscoveryHint]]
    ) -> list[tuple[ArticleUrl, DiscoveryHint]]:
        """Those of ``found`` neither archived (nor quarantined) nor requested in this run."""
        candidates = [(a, hint) for a, hint in found if a.article_id not in self.scheduled]
        known = self.context.archive.articles.known_ids(a.article_id for a, _ in candidates)
        return [(a, hint) for a, hint in candidates if a.article_id not in known]

    def _article_requests(
        self, entry: str, found: Iterable[tuple[ArticleUrl, DiscoveryHint]]
    ) -> Iterable[Request]:
        for article, hint in self.unknown(found):
            self.scheduled.add(article.article_id)
            yield Request(
                article.url,
                callback=self.parse_article,
                errback=self.article_failed,
                priority=ARTICLE_PRIORITY,
                meta={"article_id": article.article_id, "hint": hint, "origin": entry},
            )

    def parse_article(self, response: Response) -> Iterable[ArticlePage]:
        if response.status == 304:  # a recheck found the article unchanged
            self.count(outcome.RECHECKED_UNCHANGED)
            return
        page = FetchedPage(
            url=response.url,
            body=response.body,
            content_type=_header(response, "Content-Type"),
            status=response.status,
            fetched_at=now_iso(self.context.clock),
            hint=response.meta.get("hint"),
        )
        article_id, origin = int(response.meta["article_id"]), response.meta.get("origin")
        etag, modified = _header(response, "ETag"), _header(response, "Last-Modified")
        yield ArticlePage(page, article_id, origin, etag, modified)

    def article_failed(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        if isinstance(failure.value, IgnoreRequest) and str(failure.value) == ROBOTS_FORBIDDEN:
            # skipped, not failed: failing would keep every run from committing validators
            # and walks for as long as a feed links an article robots.txt disallows
            self.logger.info("article %s skipped: forbidden by robots.txt", request.url)
            self.count(outcome.ROBOTS_FORBIDDEN)
            self.article_done(int(request.meta["article_id"]))
            return
        if self._gone(failure, request):
            return
        self._article_failed(request, failure_reason(failure))

    def _gone(self, failure: Failure, request: Request) -> bool:
        """Whether the article is taken as gone: it answered 404 or 410 in
        ``crawl.gone_after_runs`` runs and was never stored in between. Such an article is
        skipped, not failed, like one robots.txt refuses: a listing or feed can link a page the
        site took down for weeks, and every run would fail, never committing its validators and
        walks. Fewer runs than that are failures, so a passing 404 never loses an article."""
        error = failure.value
        if not (isinstance(error, HttpError) and error.response.status in GONE_STATUSES):
            return False
        article_id = int(request.meta["article_id"])
        runs = int(self.context.archive.state.get_state(gone_key(article_id)) or 0) + 1
        self.tell(article_missing, article_id=article_id, runs=runs)
        if runs < self.context.config.crawl.gone_after_runs:
            return False
        status = error.response.status
        self.logger.info("article %s skipped: gone (%d in %d runs)", request.url, status, runs)
        self.count(outcome.GONE)
        self.article_done(article_id)
        return True

    def _article_failed(self, request: Request, why: str) -> None:
        self.logger.warning("article %s failed: %s", request.url, why)
        self.count(outcome.FAILED_ARTICLES)
        self.article_done(int(request.meta["article_id"]))

    def request_dropped(self, request: Request, spider: Spider) -> None:
        """The scheduler refused a request as a duplicate: an article redirected back to a URL
        already fetched in this run. It fails, or the run would end clean without it and the
        next run, finding its entry points unchanged, would never ask for it again."""
        if "article_id" in request.meta:
            self._article_failed(request, "redirected to a URL already requested in this run")

    def item_scraped(self, item: Any, response: Response, spider: Spider) -> None:
        """The pipeline stored an article page: the article is done."""
        if isinstance(item, ArticlePage):
            self.article_done(item.article_id)

    def article_done(self, article_id: int) -> None:
        """Called once per scheduled article, stored or failed."""
        page = self.pages.pop(article_id, None)
        if page is None:
            return
        page.pending.discard(article_id)
        if not page.pending:
            for request in self._backfill_decision(page):
                assert self.crawler.engine is not None
                self.crawler.engine.crawl(request)

    # --- backfill -----------------------------------------------------------------------

    def _backfill_page(self, page: BackfillPage) -> Iterable[Request]:
        self.pages.update({article_id: page for article_id in page.pending})
        if not page.pending:
            yield from self._backfill_decision(page)

    def _backfill_decision(self, page: BackfillPage) -> Iterable[Request]:
        """Walk on unless this page's articles are all older than ``since``."""
        dates = self.context.archive.articles.published_dates(page.article_ids)
        oldest = min(dates.values(), default=None)
        since = self.context.since
        reached = (
            since is not None and oldest is not None and date.fromisoformat(oldest[:10]) < since
        )
        done = reached or page.next_page is None or not page.article_ids
        self.context.event("backfill", entry=page.entry, page=page.number, oldest=oldest, done=done)
        if done or page.next_page is None:
            self.tell(backfill_moved, entry=page.entry, place=None)
            return
        place = {"since": str(since), "url": page.next_page}
        self.tell(backfill_moved, entry=page.entry, place=place)
        yield self._next_page(page.entry, page.number, page.next_page)

    def _backfill_resume(self, entry: str) -> str | None:
        saved = self.context.archive.state.get_state(backfill_key(entry))
        if isinstance(saved, dict) and saved.get("since") == str(self.context.since):
            self.context.event("resume", entry=entry, url=saved.get("url"))
            return str(saved["url"])
        return None


def _header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


# errors that carry no message of their own
_CANCELLED = "download cancelled (over crawl.max_response_bytes, or the crawl stopping)"
_UNSAID: dict[type[object], str] = {
    CancelledError: _CANCELLED,
    DownloadCancelledError: _CANCELLED,
    ResponseDataLossError: "the body ended before its announced length",
}


def failure_reason(failure: Failure) -> str:
    """Why a request failed, in one line: the error's message; for an error without one, what
    it means (a download cut at the size cap, a body cut short); for an error wrapping a list of
    Twisted failures (a dropped connection), their reasons."""
    return _reason(failure.value)


def _reason(error: BaseException | None) -> str:
    if error is None:
        return "unknown error"
    if not str(error) and type(error) in _UNSAID:
        return _UNSAID[type(error)]
    reasons = getattr(error, "reasons", None) or getattr(error.__cause__, "reasons", None)
    if reasons:
        return "; ".join(_reason(reason.value) for reason in reasons)
    return str(error) or type(error).__name__
