"""scrapers.spiders.congan: an article the scheduler drops counts as failed, not as done, one
robots.txt forbids as skipped; one answering 404 is reported, not written; a failure's reason
is never empty."""

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
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler
from twisted.internet.defer import CancelledError
from twisted.internet.error import ConnectionLost
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed
from twisted.web.http import _DataLoss

from monitor.archive import Archive
from monitor.config import Config
from scrapers.context import CrawlContext
from scrapers.events import article_missing, gone_key
from scrapers.outcome import FAILED_ARTICLES
from scrapers.spiders.congan import ConganSpider, failure_reason

ARTICLE = "https://congan.com.vn/tin-chinh/a_179591.html"


@pytest.fixture
def spider(tmp_path: Path, config: Config) -> Iterator[ConganSpider]:
    with Archive.open(tmp_path / "monitor.db") as archive:
        context = CrawlContext(config, archive, archive.runs.start_run("normal"))
        crawler = get_crawler(ConganSpider, {"MONITOR_CONTEXT": context})
        yield ConganSpider.from_crawler(crawler)


def failed_articles(spider: ConganSpider) -> int:
    assert spider.crawler.stats is not None
    return int(spider.crawler.stats.get_value(FAILED_ARTICLES, 0))


def drop(spider: ConganSpider, request: Request) -> None:
    assert spider.crawler.signals is not None
    spider.crawler.signals.send_catch_log(signals.request_dropped, request=request, spider=spider)


def test_dropped_article_request_is_a_failed_article(spider: ConganSpider) -> None:
    drop(spider, Request(ARTICLE, meta={"article_id": 179591}))  # a redirect back to itself
    assert failed_articles(spider) == 1


def test_dropped_listing_page_is_not_an_article(spider: ConganSpider) -> None:
    drop(spider, Request("https://congan.com.vn/tin-chinh/trang-2.html", meta={"entry": "/x"}))
    assert failed_articles(spider) == 0


def failed(error: BaseException) -> Failure:
    return Failure(error)  # type: ignore[no-untyped-call]  # Twisted's constructor is untyped


def article_error(spider: ConganSpider, error: Exception) -> None:
    failure = failed(error)
    failure.request = Request(ARTICLE, meta={"article_id": 179591})  # type: ignore[attr-defined]
    spider.article_failed(failure)


def test_article_robots_txt_forbids_is_skipped_not_failed(spider: ConganSpider) -> None:
    article_error(spider, IgnoreRequest("Forbidden by robots.txt"))
    assert failed_articles(spider) == 0  # or no run would be clean while a feed links it
    article_error(spider, IgnoreRequest("Filtered offsite request to '127.0.0.2'"))
    assert failed_articles(spider) == 1


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


def test_article_answering_404_is_reported_for_the_pipeline_not_written(
    spider: ConganSpider,
) -> None:
    reported: dict[str, object] = {}

    def missing(article_id: int, runs: int) -> None:
        reported.update(article_id=article_id, runs=runs)

    spider.crawler.signals.connect(missing, signal=article_missing)
    article_error(spider, HttpError(Response(ARTICLE, status=404), "Ignoring non-200 response"))
    assert reported == {"article_id": 179591, "runs": 1}
    assert (
        spider.context.archive.state.get_state(gone_key(179591)) is None
    )  # the pipeline writes it
    assert failed_articles(spider) == 1  # gone only after crawl.gone_after_runs runs
