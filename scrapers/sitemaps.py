"""Sitemap entry points of a normal run (a mixin of the spider).

Entry points are the ``Sitemap:`` lines of the robots.txt Scrapy reads to obey it (no extra
request; with ``crawl.obey_robots = false`` it is not read, and only ``site.sitemaps`` count)
and the ``site.sitemaps`` paths. Each is requested conditionally; an index's children are read
as ``monitor.discover.SitemapWalk`` decides, at most ``site.sitemap_max_depth`` levels down
and ``site.sitemap_max_files`` child files a run. Of a urlset, only articles the archive does
not know are requested, newest ids first, at most ``site.sitemap_max_articles`` a file (the
rest in later runs). Backfill runs do not read sitemaps.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response

from monitor.discover import (
    ChildSitemap,
    SitemapUrl,
    SitemapWalk,
    parse_sitemap,
    sitemap_hint,
)
from monitor.record import DiscoveryHint
from monitor.urls import ArticleUrl, absolute_url
from scrapers.context import CrawlContext

log = logging.getLogger("scrapers.sitemaps")


class SitemapEntries:
    """Reads sitemaps for ``ConganSpider``: its walks, in the context's ``sitemap_walks``, are
    kept by the archive pipeline after a clean run.

    What it uses of the spider is declared here; the spider defines each."""

    context: CrawlContext
    crawler: Crawler

    def _note_entry(self, response: Response) -> bool:
        raise NotImplementedError

    def _conditional_headers(self, url: str) -> dict[str, str]:
        raise NotImplementedError

    def entry_failed(self, failure: Any) -> None:
        raise NotImplementedError

    def count_links(self, entry: str, links: int) -> None:
        raise NotImplementedError

    def unknown(
        self, found: Iterable[tuple[ArticleUrl, DiscoveryHint]]
    ) -> list[tuple[ArticleUrl, DiscoveryHint]]:
        raise NotImplementedError

    def _article_requests(
        self, entry: str, found: Iterable[tuple[ArticleUrl, DiscoveryHint]]
    ) -> Iterable[Request]:
        raise NotImplementedError

    def init_sitemaps(self) -> None:
        self.child_files = 0

    def sitemap_starts(self) -> Iterable[Request]:
        if self.context.mode != "normal":
            return
        for path in self.context.config.site.sitemaps:
            yield self._sitemap_root(self.context.entry_url(path), path)

    def robots_parsed(self, robotparser: Any, request: Request) -> None:
        """Scrapy read robots.txt: its ``Sitemap:`` lines on the site's own hosts are entry
        points too (those already configured are not asked twice)."""
        base = self.context.config.site.base_url
        if self.context.mode != "normal" or urlsplit(request.url).netloc != urlsplit(base).netloc:
            return
        for line in getattr(getattr(robotparser, "rp", None), "sitemaps", ()):
            url = absolute_url(str(line), base)
            if url is None or urlsplit(url).netloc not in self.context.hosts:
                continue
            entry = _entry_name(url, base)
            if entry not in self.context.sitemap_walks:
                assert self.crawler.engine is not None
                self.crawler.engine.crawl(self._sitemap_root(url, entry))

    def _sitemap_root(self, url: str, entry: str) -> Request:
        state = self.context.archive.state.get_state(sitemap_key(entry))
        self.context.sitemap_walks[entry] = SitemapWalk.from_state(entry, state)
        self.context.entry(entry, "sitemap")
        return self._sitemap_request(entry, ChildSitemap(url), depth=0)

    def _sitemap_request(self, entry: str, file: ChildSitemap, depth: int) -> Request:
        meta = {"entry": entry, "file": file, "depth": depth, "first": depth == 0}
        return Request(
            file.url,
            callback=self.parse_sitemap,
            errback=self.entry_failed,
            headers=self._conditional_headers(file.url),
            meta=meta | {"chain": "sitemap", "handle_httpstatus_list": [304]},
            dont_filter=True,
        )

    def parse_sitemap(self, response: Response) -> Iterable[Request]:
        entry, file, depth = (response.meta[key] for key in ("entry", "file", "depth"))
        walk = self.context.sitemap_walks[entry]
        if not self._note_entry(response):  # 304: as a clean run read it
            self._read(walk, file, depth)
            if depth == 0:
                yield from self._children(walk, [ChildSitemap(u) for u in walk.without_lastmod()])
            return
        crawl = self.context.config.crawl
        profile, hosts = self.context.config.profile, self.context.hosts
        sitemap = parse_sitemap(
            response.body, response.url, profile, hosts, crawl.max_response_bytes
        )
        if sitemap.problem:
            self.sitemap_failed(entry)
            log.warning("sitemap %s not read: %s", response.url, sitemap.problem)
            return
        if sitemap.children:
            walk.indexes.append(response.url)
            yield from self._index(walk, sitemap.children, depth)
        yield from self._urlset(walk, response.url, sitemap.articles)
        self._read(walk, file, depth)

    @staticmethod
    def _read(walk: SitemapWalk, file: ChildSitemap, depth: int) -> None:
        if depth > 0:  # entry points are asked every run anyway
            walk.done(file.url, file.lastmod)

    def _index(
        self, walk: SitemapWalk, children: Iterable[ChildSitemap], depth: int
    ) -> Iterable[Request]:
        if depth >= self.context.config.site.sitemap_max_depth:
            log.info("sitemap index of %s below sitemap_max_depth: not followed", walk.entry)
            return
        yield from self._children(walk, walk.due(children), depth + 1)

    def _children(
        self, walk: SitemapWalk, children: list[ChildSitemap], depth: int = 1
    ) -> Iterable[Request]:
        for child in children:
            if self.child_files >= self.context.config.site.sitemap_max_files:
                walk.incomplete = True  # the rest next run
                return
            self.child_files += 1
            yield self._sitemap_request(walk.entry, child, depth)

    def _urlset(
        self, walk: SitemapWalk, url: str, articles: Iterable[SitemapUrl]
    ) -> Iterable[Request]:
        found = [(item.article, sitemap_hint(walk.entry, item)) for item in articles]
        self.count_links(walk.entry, len(found))
        unknown = sorted(self.unknown(found), key=lambda pair: -pair[0].article_id)
        cap = self.context.config.site.sitemap_max_articles
        if len(unknown) > cap:  # the newest now, the rest in later runs: read this file again
            walk.incomplete = True
            self.context.pending_validators.pop(url, None)
        yield from self._article_requests(walk.entry, unknown[:cap])

    def sitemap_failed(self, entry: str) -> None:
        walk = self.context.sitemap_walks.get(entry)
        if walk is not None:
            walk.incomplete = True


def sitemap_key(entry: str) -> str:
    return f"sitemap:{entry}"


def _entry_name(url: str, base: str) -> str:
    """A sitemap on the base URL's host is named by its path, like configured ones."""
    parts = urlsplit(url)
    if parts.netloc != urlsplit(base).netloc:
        return url
    return urlunsplit(("", "", parts.path, parts.query, ""))
