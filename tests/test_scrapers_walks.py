"""scrapers.walks and the spider's listing walk: a walk goes on while a page is above the mark,
ends at the mark, the last page or ``site.max_listing_pages``, and a walk stopped by that cap
resumes there next run; the mark advances only once no gap is left. In-process, no server."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from monitor.archive import Archive
from monitor.config import Config
from scrapers.context import CrawlContext
from scrapers.pipelines import ArchivePipeline
from scrapers.spiders.congan import ConganSpider
from scrapers.walks import EntryWalk, walk_key

ENTRY = "/tin-chinh"
PAGE = "https://congan.com.vn/tin-chinh?page={}"
CAP = 2


def walk(mark: int | None = 100) -> EntryWalk:
    return EntryWalk.from_state(ENTRY, {"mark": mark})


def test_walk_goes_on_while_the_page_is_above_the_mark() -> None:
    assert walk().after_page("main", 1, [130, 121], PAGE.format(2), CAP) == PAGE.format(2)


def test_walk_ends_at_the_mark() -> None:
    entry = walk()
    assert entry.after_page("main", 1, [130, 100], PAGE.format(2), CAP) is None
    assert entry.endings == {"main": ("reached", None)}


def test_walk_without_a_mark_ends_at_the_last_page() -> None:
    entry = walk(mark=None)
    assert entry.after_page("main", 1, [130, 1], None, CAP) is None
    assert entry.endings == {"main": ("end", None)}


def test_walk_stops_at_the_page_cap_noting_where() -> None:
    entry = walk()
    assert entry.after_page("main", CAP, [120, 111], PAGE.format(3), CAP) is None
    assert entry.endings == {"main": ("cap", PAGE.format(3))}


def test_capped_walk_keeps_its_mark_and_resumes_at_the_cap_next_run() -> None:
    entry = walk()
    entry.after_page("main", 1, [130, 121], PAGE.format(2), CAP)
    entry.after_page("main", 2, [120, 111], PAGE.format(3), CAP)
    state = entry.state_after_clean_run()
    assert state == {"mark": 100, "pending_mark": 130, "resume": [PAGE.format(3)]}
    assert EntryWalk.from_state(ENTRY, state).resume == (PAGE.format(3),)


def test_mark_advances_once_the_resumed_gap_is_closed() -> None:
    state = {"mark": 100, "pending_mark": 130, "resume": [PAGE.format(3)]}
    entry = EntryWalk.from_state(ENTRY, state)
    entry.after_page("main", 1, [132, 100], PAGE.format(2), CAP)  # two new, then the mark
    entry.after_page("resume-0", 1, [110, 95], PAGE.format(4), CAP)
    assert entry.state_after_clean_run() == {"mark": 132, "pending_mark": None, "resume": []}


def test_failed_chain_leaves_the_walk_as_it_was() -> None:
    state = {"mark": 100, "pending_mark": 130, "resume": [PAGE.format(3)]}
    entry = EntryWalk.from_state(ENTRY, state)
    entry.after_page("main", 1, [132, 100], PAGE.format(2), CAP)
    entry.end("resume-0", "failed")
    assert entry.state_after_clean_run() == state


# --- the spider's walk decisions -----------------------------------------------------------


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[Archive]:
    with Archive.open(tmp_path / "monitor.db") as opened:
        yield opened


def capped(config: Config) -> Config:
    site = config.site.model_copy(update={"listings": (ENTRY,), "max_listing_pages": CAP})
    return config.model_copy(update={"site": site})


def spider_of(config: Config, archive: Archive) -> ConganSpider:
    context = CrawlContext(capped(config), archive, archive.runs.start_run("normal"))
    return ConganSpider.from_crawler(get_crawler(ConganSpider, {"MONITOR_CONTEXT": context}))


def listing_starts(spider: ConganSpider) -> list[Request]:
    async def collect() -> list[Request]:
        return [request async for request in spider.start()]

    return [r for r in asyncio.run(collect()) if r.meta.get("entry") == ENTRY]


def answer(request: Request, ids: range, next_page: str | None) -> HtmlResponse:
    """A listing page of ``ids`` (newest first) leading to ``next_page``."""
    items = "".join(f'<li><h3><a href="/tin-chinh/a_{i}.html">Bài {i}</a></h3></li>' for i in ids)
    more = f'<a class="next" rel="next" href="{next_page}">›</a>' if next_page else ""
    body = f'<html><body><ul class="list-news">{items}</ul>{more}</body></html>'
    return HtmlResponse(request.url, body=body.encode(), encoding="utf-8", request=request)


def walk_pages(spider: ConganSpider, request: Request, *pages: range) -> list[Request]:
    """Answer ``request`` and the pages the walk asks next; the listing pages it asked for."""
    asked = [request]
    for number, ids in enumerate(pages, start=1):
        output = list(spider.parse_listing(answer(request, ids, PAGE.format(number + 1))))
        following = [r for r in output if "article_id" not in r.meta]
        if not following:
            break
        request = following[0]
        asked.append(request)
    return asked


def test_spider_walks_a_listing_to_max_listing_pages(config: Config, archive: Archive) -> None:
    spider = spider_of(config, archive)
    (main,) = listing_starts(spider)
    asked = walk_pages(spider, main, range(130, 120, -1), range(120, 110, -1), range(110, 100, -1))
    assert [r.url for r in asked] == [spider.context.entry_url(ENTRY), PAGE.format(2)]
    assert spider.context.walks[ENTRY].endings == {"main": ("cap", PAGE.format(3))}


def test_spider_resumes_a_capped_walk_where_it_stopped_next_run(
    config: Config, archive: Archive
) -> None:
    archive.state.put_state(walk_key(ENTRY), {"mark": 100})
    first = spider_of(config, archive)
    walk_pages(first, listing_starts(first)[0], range(130, 120, -1), range(120, 110, -1))
    ArchivePipeline.from_crawler(first.crawler).keep_walks()  # as after a complete run
    second = spider_of(config, archive)
    main, resume = listing_starts(second)
    assert (resume.url, resume.meta["chain"]) == (PAGE.format(3), "resume-0")
    assert main.url == second.context.entry_url(ENTRY)
