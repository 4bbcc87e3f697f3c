"""scrapers.pipelines: the archive pipeline is built from the run's context or not at all;
it stores pages with their validators, keeps the crawl state the spider reports, and when the
spider closes records the run, keeping walks only after a complete run."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from monitor.archive import Archive
from monitor.config import Config
from monitor.ingest import FetchedPage
from scrapers import events
from scrapers.backfill import backfill_key
from scrapers.context import CrawlContext
from scrapers.outcome import ENTRY_ERRORS, ENTRY_PAGES, FAILED_ARTICLES, FIRST_ENTRY_ERROR, STORED
from scrapers.pipelines import ArchivePipeline
from scrapers.walks import EntryWalk, walk_key

from golden_pages import golden_pages

ENTRY = "/tin-chinh"


@pytest.fixture
def context(tmp_path: Path, config: Config) -> Iterator[CrawlContext]:
    with Archive.open(tmp_path / "monitor.db") as archive:
        yield CrawlContext(config, archive, archive.runs.start_run("normal"))


@pytest.fixture
def crawler(context: CrawlContext) -> Crawler:
    return get_crawler(Spider, {"MONITOR_CONTEXT": context})


@pytest.fixture
def pipeline(crawler: Crawler) -> ArchivePipeline:
    return ArchivePipeline.from_crawler(crawler)


def article(etag: str | None = None) -> events.ArticlePage:
    golden = golden_pages()[0]
    url, article_id = golden.expected["url"], golden.expected["article_id"]
    page = FetchedPage(url, golden.html, "text/html", 200, "2025-03-01T08:00:00+07:00")
    return events.ArticlePage(page, article_id, ENTRY, etag)


def stat(crawler: Crawler, key: str) -> Any:
    assert crawler.stats is not None
    return crawler.stats.get_value(key)


def test_pipeline_is_disabled_without_a_run_context() -> None:
    with pytest.raises(NotConfigured):
        ArchivePipeline.from_crawler(get_crawler(Spider))


def test_stored_page_keeps_its_validators_and_counts_for_its_entry(
    pipeline: ArchivePipeline, crawler: Crawler, context: CrawlContext
) -> None:
    context.entry(ENTRY, "listing")
    item = article(etag='"v1"')
    assert pipeline.process_item(item) is item
    assert context.archive.articles.known_ids([item.article_id]) == {item.article_id}
    assert context.archive.state.cached_validators(item.page.url) == ('"v1"', None)
    assert (stat(crawler, STORED + "new"), context.entries[ENTRY].new) == (1, 1)


def test_an_article_the_archive_cannot_store_is_one_line_and_a_failed_article(
    tmp_path: Path, config: Config, caplog: pytest.LogCaptureFixture
) -> None:
    Archive.open(tmp_path / "monitor.db").close()
    with Archive.open(tmp_path / "monitor.db", readonly=True) as archive:
        crawler = get_crawler(Spider, {"MONITOR_CONTEXT": CrawlContext(config, archive, 1)})
        item = article()
        assert ArchivePipeline.from_crawler(crawler).process_item(item) is item
    assert stat(crawler, FAILED_ARTICLES) == 1  # the run is not complete: fetched again
    (line,) = [r.getMessage() for r in caplog.records if r.name == "scrapers.pipelines"]
    assert line.startswith(f"article {item.article_id} not stored: cannot store article")
    assert "\n" not in line and "ArticlePage(" not in line


def test_missing_article_count_is_kept_until_the_article_is_stored(
    pipeline: ArchivePipeline, crawler: Crawler, context: CrawlContext
) -> None:
    item = article()
    key = events.gone_key(item.article_id)
    crawler.signals.send_catch_log(events.article_missing, article_id=item.article_id, runs=2)
    assert context.archive.state.get_state(key) == 2
    pipeline.process_item(item)
    assert context.archive.state.get_state(key) is None


def test_backfill_place_is_kept_as_the_spider_reports_it(
    crawler: Crawler, pipeline: ArchivePipeline, context: CrawlContext
) -> None:
    place = {"since": "2025-01-01", "url": "https://congan.com.vn/tin-chinh?page=3"}
    crawler.signals.send_catch_log(events.backfill_moved, entry=ENTRY, place=place)
    assert context.archive.state.get_state(backfill_key(ENTRY)) == place


def close(crawler: Crawler, reason: str = "finished") -> dict[str, Any]:
    """Close the spider; what the pipeline said of the run."""
    said: dict[str, Any] = {}

    def closed(result: dict[str, Any]) -> None:
        said.update(result)

    crawler.signals.connect(closed, signal=events.run_closed)
    crawler.signals.send_catch_log(signals.spider_closed, spider=Spider("congan"), reason=reason)
    return said


@pytest.mark.parametrize(("failed", "kept"), [(0, {"mark": 130}), (1, None)])
def test_closing_records_the_run_and_keeps_walks_only_when_complete(
    crawler: Crawler, pipeline: ArchivePipeline, context: CrawlContext, failed: int, kept: Any
) -> None:
    walk = context.walks[ENTRY] = EntryWalk(ENTRY)
    walk.after_page("main", 1, [130, 121], None, 5)
    assert crawler.stats is not None
    crawler.stats.set_value(ENTRY_PAGES, 1)
    crawler.stats.set_value(FAILED_ARTICLES, failed)
    assert close(crawler)["outcome"] == "ok"
    state = context.archive.state.get_state(walk_key(ENTRY))
    assert (state and {"mark": state["mark"]}) == kept


def test_closing_without_an_answering_entry_point_fails_the_run(
    crawler: Crawler, pipeline: ArchivePipeline
) -> None:
    assert crawler.stats is not None
    crawler.stats.set_value(ENTRY_ERRORS, 1)
    crawler.stats.set_value(FIRST_ENTRY_ERROR, "http://x/rss: refused")
    said = close(crawler)
    assert said["outcome"] == "failed"
    assert said["reason"] == "site unreachable: http://x/rss: refused"
