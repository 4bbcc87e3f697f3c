"""scrapers.middlewares: retry waits grow exponentially, honour Retry-After, and are capped;
the offsite filter spares no request; a host of the site that does not resolve ends the run
without a retry, other connection errors are left to the retries."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from scrapy import Request, Spider
from scrapy.exceptions import CannotResolveHostError, IgnoreRequest
from scrapy.http import Response
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler
from twisted.internet.error import ConnectionRefusedError, DNSLookupError

from monitor.archive import Archive
from monitor.config import Config
from scrapers.context import CrawlContext
from scrapers.middlewares import (
    BackoffRetryMiddleware,
    FirstPartyOffsiteMiddleware,
    UnresolvedSiteMiddleware,
    is_dns_failure,
)
from scrapers.outcome import UNRESOLVED


def middleware(base: float = 2.0, cap: float = 120.0) -> BackoffRetryMiddleware:
    return BackoffRetryMiddleware(
        Settings({"RETRY_ENABLED": True, "BACKOFF_BASE": base, "BACKOFF_MAX": cap})
    )


def retry(times: int) -> Request:
    return Request("https://congan.com.vn/tin-chinh", meta={"retry_times": times})


@pytest.mark.parametrize(("times", "wait"), [(1, 2.0), (2, 4.0), (3, 8.0), (10, 120.0)])
def test_wait_doubles_up_to_the_cap(times: int, wait: float) -> None:
    assert middleware().delay(retry(times), None) == wait


def test_retry_after_seconds_is_honoured() -> None:
    assert middleware().delay(retry(1), b"30") == 30.0


def test_retry_after_is_capped() -> None:
    assert middleware(cap=10).delay(retry(1), b"3600") == 10.0


def test_unreadable_retry_after_falls_back_to_backoff() -> None:
    assert middleware().delay(retry(2), b"soon") == 4.0


def offsite(allowed: list[str]) -> FirstPartyOffsiteMiddleware:
    crawler = get_crawler(Spider)
    crawler.spider = Spider("congan", allowed_domains=allowed)
    filter_ = FirstPartyOffsiteMiddleware.from_crawler(crawler)
    filter_.spider_opened(crawler.spider)
    return filter_


def test_offsite_filter_spares_no_request_not_even_dont_filter() -> None:
    filter_ = offsite(["127.0.0.1"])
    with pytest.raises(IgnoreRequest):  # an entry point redirected to another host
        filter_.process_request(Request("http://127.0.0.2:8000/tin-chinh", dont_filter=True))
    filter_.process_request(Request("http://127.0.0.1:8000/tin-chinh", dont_filter=True))  # passes


def test_offsite_request_is_refused_when_downloaded_not_when_scheduled() -> None:
    filter_ = offsite(["127.0.0.1"])
    article = Request("http://127.0.0.2:8000/tin-chinh/a_1.html")  # a redirect's target
    spider = filter_.crawler.spider
    assert spider is not None
    filter_.request_scheduled(article, spider)  # refused here, it would vanish: no errback
    with pytest.raises(IgnoreRequest):  # refused here: the errback says the article failed
        filter_.process_request(article)


class Closes:
    """The seam that ends the crawl, counting the calls."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> None:
        self.calls += 1


@pytest.fixture
def closes() -> Closes:
    return Closes()


@pytest.fixture
def unresolved(
    tmp_path: Path, config: Config, closes: Closes
) -> Iterator[UnresolvedSiteMiddleware]:
    """The middleware of a run on the shipped config (site.base_url https://congan.com.vn)."""
    with Archive.open(tmp_path / "monitor.db") as archive:
        context = CrawlContext(config, archive, archive.runs.start_run("normal"))
        crawler = get_crawler(Spider, {"MONITOR_CONTEXT": context})
        yield UnresolvedSiteMiddleware(crawler, context, closes)


def lookup_failed(host: str) -> CannotResolveHostError:
    """The error Scrapy's download handler raises for a name that does not resolve."""
    return CannotResolveHostError(f"DNS lookup failed: no results for hostname lookup: {host}.")


def refused() -> ConnectionRefusedError:
    """Twisted's error for a refused connection, as its connector raises it."""
    # twisted leaves ConnectError.__init__ unannotated, so any call of it is untyped to mypy
    return ConnectionRefusedError()  # type: ignore[no-untyped-call]


def test_failed_lookup_of_the_site_ends_the_run_naming_the_setting(
    unresolved: UnresolvedSiteMiddleware, closes: Closes
) -> None:
    robots = Request("https://congan.com.vn/robots.txt")
    with pytest.raises(IgnoreRequest):  # past the retry middleware: not retried
        unresolved.process_exception(robots, lookup_failed("congan.com.vn"))
    assert closes.calls == 1
    assert unresolved.crawler.stats is not None
    assert unresolved.crawler.stats.get_value(UNRESOLVED) == (
        "cannot resolve congan.com.vn (site.base_url): check the address or the network"
    )


def test_requests_to_a_host_that_did_not_resolve_are_refused_without_a_lookup(
    unresolved: UnresolvedSiteMiddleware, closes: Closes
) -> None:
    with pytest.raises(IgnoreRequest):
        unresolved.process_exception(Request("https://congan.com.vn/robots.txt"), DNSLookupError())
    with pytest.raises(IgnoreRequest, match=r"cannot resolve congan\.com\.vn"):
        unresolved.process_request(Request("https://congan.com.vn/rss/home.rss"))
    with pytest.raises(IgnoreRequest):  # a second failure does not close the run again
        unresolved.process_exception(Request("https://congan.com.vn/tin-chinh"), DNSLookupError())
    assert closes.calls == 1


def test_refused_connection_is_left_to_the_retries(
    unresolved: UnresolvedSiteMiddleware, closes: Closes
) -> None:
    feed = Request("https://congan.com.vn/rss/home.rss")
    # the hook as Scrapy calls it, whose result it reads (None: leave it to the retries)
    hook: Callable[[Request, Exception], Request | Response | None] = unresolved.process_exception
    assert hook(feed, refused()) is None
    unresolved.process_request(feed)  # passes: nothing ended the run
    assert closes.calls == 0
    assert unresolved.crawler.stats is not None
    assert unresolved.crawler.stats.get_value(UNRESOLVED) is None


@pytest.mark.parametrize(
    ("error", "dns"),
    [
        (DNSLookupError("x.invalid"), True),
        (lookup_failed("x.invalid"), True),
        (refused(), False),
    ],
)
def test_a_dns_failure_is_told_from_other_connection_errors(error: Exception, dns: bool) -> None:
    assert is_dns_failure(error) is dns
