"""scrapers.middlewares: retry waits grow exponentially, honour Retry-After, and are capped;
the offsite filter spares no request."""

from __future__ import annotations

import pytest
from scrapy import Request, Spider
from scrapy.exceptions import IgnoreRequest
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from scrapers.middlewares import BackoffRetryMiddleware, FirstPartyOffsiteMiddleware


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
