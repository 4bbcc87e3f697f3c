"""scrapers.spiders.congan: an article the scheduler drops counts as failed, not as done, one
robots.txt forbids as skipped; a failure's reason is never empty."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from scrapy import Request, signals
from scrapy.exceptions import (
    DownloadCancelledError,
    DownloadFailedError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.utils.test import get_crawler
from twisted.internet.defer import CancelledError
from twisted.internet.error import ConnectionLost
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed
from twisted.web.http import _DataLoss

from monitor.archive import Archive
from monitor.config import Config
from scrapers.context import CrawlContext
from scrapers.spiders.congan import ConganSpider, failure_reason

ARTICLE = "https://congan.com.vn/tin-chinh/a_179591.html"


@pytest.fixture
def spider(tmp_path: Path, config: Config) -> Iterator[ConganSpider]:
    with Archive.open(tmp_path / "monitor.db") as archive:
        context = CrawlContext(config, archive, archive.start_run("normal"))
        crawler = get_crawler(ConganSpider)
        yield ConganSpider.from_crawler(crawler, context=context)


def drop(spider: ConganSpider, request: Request) -> None:
    assert spider.crawler.signals is not None
    spider.crawler.signals.send_catch_log(signals.request_dropped, request=request, spider=spider)


def test_dropped_article_request_is_a_failed_article(spider: ConganSpider) -> None:
    drop(spider, Request(ARTICLE, meta={"article_id": 179591}))  # a redirect back to itself
    assert spider.failed_articles == 1


def test_dropped_listing_page_is_not_an_article(spider: ConganSpider) -> None:
    drop(spider, Request("https://congan.com.vn/tin-chinh/trang-2.html", meta={"entry": "/x"}))
    assert spider.failed_articles == 0


def failed(error: BaseException) -> Failure:
    return Failure(error)  # type: ignore[no-untyped-call]  # Twisted's constructor is untyped


def article_error(spider: ConganSpider, error: Exception) -> None:
    failure = failed(error)
    failure.request = Request(ARTICLE, meta={"article_id": 179591})  # type: ignore[attr-defined]
    spider.article_failed(failure)


def test_article_robots_txt_forbids_is_skipped_not_failed(spider: ConganSpider) -> None:
    article_error(spider, IgnoreRequest("Forbidden by robots.txt"))
    assert spider.failed_articles == 0  # or no run would be clean while a feed links it
    article_error(spider, IgnoreRequest("Filtered offsite request to '127.0.0.2'"))
    assert spider.failed_articles == 1


def wrapping(error: Exception, *reasons: BaseException) -> Exception:
    """``error`` raised from Twisted's ResponseFailed, as Scrapy's download handler does."""
    error.__cause__ = ResponseFailed([failed(reason) for reason in reasons])  # type: ignore[no-untyped-call]
    return error


CANCELLED = "download cancelled (over crawl.max_response_bytes, or the crawl stopping)"
LOST = "Connection to the other side was lost in a non-clean fashion."


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (DownloadCancelledError(), CANCELLED),  # a body streamed past the size cap
        (
            wrapping(ResponseDataLossError(), _DataLoss()),
            "the body ended before its announced length",
        ),
        (wrapping(DownloadFailedError("[<Failure …>]"), ConnectionLost()), LOST),
        (
            wrapping(DownloadFailedError("x"), ConnectionLost(), CancelledError()),
            f"{LOST}; {CANCELLED}",
        ),
        (IgnoreRequest("max redirections reached"), "max redirections reached"),
        (KeyError(), "KeyError"),
    ],
)
def test_failure_reason_is_one_line_and_never_empty(error: Exception, reason: str) -> None:
    assert failure_reason(failed(error)) == reason
