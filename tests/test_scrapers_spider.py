"""scrapers.spiders.congan: an article the scheduler drops counts as failed, not as done."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from scrapy import Request, signals
from scrapy.utils.test import get_crawler

from monitor.archive import Archive
from monitor.config import Config
from scrapers.context import CrawlContext
from scrapers.spiders.congan import ConganSpider

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
