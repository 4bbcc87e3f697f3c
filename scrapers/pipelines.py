"""Item pipeline: every fetched article page goes to ``monitor.ingest`` (parse + archive)."""

from __future__ import annotations

from typing import Any

from scrapy import Spider
from scrapy.crawler import Crawler

from monitor.ingest import FetchedPage, ingest_page
from scrapers.spiders.congan import ConganSpider


class ArchivePipeline:
    """Stores each page in its own archive transaction and counts the outcomes for the run."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        return cls(crawler)

    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        spider = self.crawler.spider
        if not isinstance(spider, ConganSpider) or not isinstance(item, FetchedPage):
            return item
        context = spider.context
        outcome = ingest_page(context.archive, context.config.profile, item, run_id=context.run_id)
        if outcome is not None:
            context.count(outcome)
        spider.stored(item, outcome)
        return item
